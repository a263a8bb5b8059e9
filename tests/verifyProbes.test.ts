/**
 * verify's probe logic against a stub S3 that answers as AWS documents it: PutObject's response
 * carries `x-amz-server-side-encryption`, `...-aws-kms-key-id` and `...-bucket-key-enabled` (PutObject,
 * S3 API reference); an explicit deny in the bucket policy answers 403 AccessDenied; in a versioned
 * bucket every PutObject adds a version and DeleteObject with a VersionId removes that version for
 * good (no delete marker); ListObjectVersions pages with NextKeyMarker/NextVersionIdMarker.
 */
import { expect } from "chai";
import { ProbeS3, PROBE_PREFIX, runProbes } from "../verify/probes";

const BUCKET = "app-data";
const KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const AWS_MANAGED_KEY_ARN = "arn:aws:kms:eu-west-1:111111111111:key/aaaaaaaa-0000-0000-0000-000000000000";

function accessDenied(): Error {
    return Object.assign(new Error("Access Denied"), { name: "AccessDenied", $metadata: { httpStatusCode: 403 } });
}

interface Behaviour {
    /** The bucket policy denies the upload that asks for SSE-S3 (SecureBucket's DenyEncryptionOtherThanKms). */
    deniesSseS3: boolean;
    /** The identity may not write at all. */
    deniesAllWrites?: boolean;
    /** The key a header-less upload lands under, and whether with the Bucket Key. */
    defaultKey: string;
    bucketKey: boolean;
}

/** A versioned bucket in memory, paging ListObjectVersions one version at a time. */
function stubS3(behaviour: Behaviour): ProbeS3 & { versions: { Key: string; VersionId: string }[] } {
    const versions: { Key: string; VersionId: string }[] = [];
    let next = 0;
    return {
        versions,
        async putObject(input) {
            if (behaviour.deniesAllWrites || (input.ServerSideEncryption === "AES256" && behaviour.deniesSseS3)) throw accessDenied();
            const VersionId = `v${++next}`;
            versions.push({ Key: input.Key, VersionId });
            if (input.ServerSideEncryption === "AES256") return { ServerSideEncryption: "AES256", VersionId };
            return { ServerSideEncryption: "aws:kms", SSEKMSKeyId: behaviour.defaultKey, BucketKeyEnabled: behaviour.bucketKey, VersionId };
        },
        async listObjectVersions(input) {
            const matching = versions.filter((v) => v.Key.startsWith(input.Prefix));
            const start = input.VersionIdMarker === undefined ? 0 : matching.findIndex((v) => v.VersionId === input.VersionIdMarker) + 1;
            const page = matching.slice(start, start + 1);
            const truncated = start + 1 < matching.length;
            return { Versions: page, IsTruncated: truncated, ...(truncated ? { NextKeyMarker: page[0].Key, NextVersionIdMarker: page[0].VersionId } : {}) };
        },
        async deleteObject(input) {
            const at = versions.findIndex((v) => v.Key === input.Key && v.VersionId === input.VersionId);
            if (at >= 0) versions.splice(at, 1);
            return {};
        },
    };
}

const verdicts = (checks: { name: string; verdict: string }[]) => Object.fromEntries(checks.map((c) => [c.name, c.verdict]));

describe("verify's probes (against a stub answering as AWS documents)", function () {
    it("pass on a SecureBucket: the header-less upload lands under the key with the Bucket Key, SSE-S3 is refused, every probe version is removed", async function () {
        const s3 = stubS3({ deniesSseS3: true, defaultKey: KEY_ARN, bucketKey: true });
        const checks = await runProbes(s3, BUCKET, KEY_ARN, "run-1");
        expect(verdicts(checks)).to.deep.equal({ "probe.uploadWithoutEncryptionHeaders": "pass", "probe.sseS3UploadRefused": "pass" });
        expect(s3.versions).to.deep.equal([]);
    });

    it("report drift when the upload lands under another key, or without the Bucket Key", async function () {
        for (const behaviour of [
            { deniesSseS3: true, defaultKey: AWS_MANAGED_KEY_ARN, bucketKey: true },
            { deniesSseS3: true, defaultKey: KEY_ARN, bucketKey: false },
        ]) {
            const checks = await runProbes(stubS3(behaviour), BUCKET, KEY_ARN, "run-2");
            expect(verdicts(checks)["probe.uploadWithoutEncryptionHeaders"]).to.equal("drift");
        }
    });

    it("report drift when an SSE-S3 upload is accepted, and remove both probe versions", async function () {
        const s3 = stubS3({ deniesSseS3: false, defaultKey: KEY_ARN, bucketKey: true });
        const checks = await runProbes(s3, BUCKET, KEY_ARN, "run-3");
        expect(verdicts(checks)["probe.sseS3UploadRefused"]).to.equal("drift");
        expect(s3.versions).to.deep.equal([]);
    });

    it("never pass the SSE-S3 refusal when every upload is refused: not verifiable here", async function () {
        const checks = await runProbes(stubS3({ deniesSseS3: true, deniesAllWrites: true, defaultKey: KEY_ARN, bucketKey: true }), BUCKET, KEY_ARN, "run-4");
        expect(verdicts(checks)).to.deep.equal({ "probe.uploadWithoutEncryptionHeaders": "not verifiable here", "probe.sseS3UploadRefused": "not verifiable here" });
    });

    it("remove only their own versions and fail, naming what is left, when a version cannot be removed", async function () {
        const s3 = stubS3({ deniesSseS3: false, defaultKey: KEY_ARN, bucketKey: true });
        s3.versions.push({ Key: "someone-elses-object", VersionId: "theirs" });
        s3.deleteObject = async () => {
            throw accessDenied();
        };
        let error: unknown;
        await runProbes(s3, BUCKET, KEY_ARN, "run-5").catch((e: unknown) => (error = e));
        expect(String(error)).to.match(new RegExp(`could not remove its probe objects from ${BUCKET}.*\\n.*${PROBE_PREFIX}run-5/no-encryption-headers`));
        expect(s3.versions.map((v) => v.Key)).to.include("someone-elses-object");
    });
});
