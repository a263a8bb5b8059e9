/**
 * The seed procedure's "Verify encryption", automated: an upload with no encryption headers must
 * land under the bucket's key with the Bucket Key; an upload asking for SSE-S3 must be refused; and
 * every version the probes wrote is removed. A refusal proves the encryption deny only when the
 * header-less upload went through (the same identity could write): otherwise the probe is "not
 * verifiable here", never "pass".
 */
import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { randomUUID } from "crypto";
import type { Check } from "./compare";
import type { DefaultRetention } from "./expected";

/** The S3 calls the probes make (the SDK's S3Client in use; a stub in the tests). */
export interface ProbeS3 {
    putObject(input: { Bucket: string; Key: string; Body: string; ServerSideEncryption?: "AES256" }): Promise<{
        ServerSideEncryption?: string;
        SSEKMSKeyId?: string;
        BucketKeyEnabled?: boolean;
        VersionId?: string;
    }>;
    listObjectVersions(input: { Bucket: string; Prefix: string; KeyMarker?: string; VersionIdMarker?: string }): Promise<{
        Versions?: { Key?: string; VersionId?: string }[];
        DeleteMarkers?: { Key?: string; VersionId?: string }[];
        IsTruncated?: boolean;
        NextKeyMarker?: string;
        NextVersionIdMarker?: string;
    }>;
    deleteObject(input: { Bucket: string; Key: string; VersionId?: string }): Promise<unknown>;
}

/** The probes' checks when none is run: a probe written under an Object Lock default retention could not be removed until it expires. */
export function probesNotRun(retention: DefaultRetention, whose: "the bucket" | "the plan"): Check[] {
    const period = retention.days !== undefined ? `${retention.days} days` : `${retention.years ?? "?"} years`;
    const reason = `${whose} has an Object Lock default retention (${retention.mode ?? "?"}, ${period}): a probe object could not be deleted before it expires, so verify uploads none`;
    return ["probe.uploadWithoutEncryptionHeaders", "probe.sseS3UploadRefused"].map((name) => ({ name, verdict: "not verifiable here", reason }));
}

/** The probe objects' key prefix: nothing else in a bucket should start with it. */
export const PROBE_PREFIX = "secure-bucket-verify-probe/";

function refusal(error: unknown): string | undefined {
    const name = error instanceof Error ? error.name : "";
    const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
    return name === "AccessDenied" || status === 403 ? `${name || "HTTP 403"}: ${error instanceof Error ? error.message : ""}`.trim() : undefined;
}

/** Every version (and delete marker) under `prefix`, page by page. */
async function versionsUnder(s3: ProbeS3, bucket: string, prefix: string): Promise<{ Key: string; VersionId?: string }[]> {
    const found: { Key: string; VersionId?: string }[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
        const page = await s3.listObjectVersions({ Bucket: bucket, Prefix: prefix, ...markers });
        for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) if (v.Key !== undefined) found.push({ Key: v.Key, VersionId: v.VersionId });
        if (page.IsTruncated !== true) return found;
        markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
}

/**
 * Runs the probes against `bucket`, whose default key should be `keyArn`; resolves to their checks.
 * Rejects, naming what is left, when a probe version cannot be removed.
 */
export async function runProbes(s3: ProbeS3, bucket: string, keyArn: string, id: string = randomUUID()): Promise<Check[]> {
    const prefix = `${PROBE_PREFIX}${id}/`;
    const checks: Check[] = [];
    let wrote = false;
    let headerlessWent = false;
    let failed = false;
    try {
        try {
            const put = await s3.putObject({ Bucket: bucket, Key: `${prefix}no-encryption-headers`, Body: "secure-bucket verify probe" });
            wrote = true;
            headerlessWent = true;
            const actual = { serverSideEncryption: put.ServerSideEncryption, keyArn: put.SSEKMSKeyId, bucketKeyEnabled: put.BucketKeyEnabled === true };
            const expected = { serverSideEncryption: "aws:kms", keyArn, bucketKeyEnabled: true };
            const same = actual.serverSideEncryption === expected.serverSideEncryption && actual.keyArn === keyArn && actual.bucketKeyEnabled;
            checks.push({ name: "probe.uploadWithoutEncryptionHeaders", verdict: same ? "pass" : "drift", expected, actual, ...(same ? {} : { reason: "the object did not land under this key with the Bucket Key" }) });
        } catch (error) {
            const refused = refusal(error);
            if (refused === undefined) throw error;
            checks.push({
                name: "probe.uploadWithoutEncryptionHeaders",
                verdict: "not verifiable here",
                actual: refused,
                reason: "the upload was refused: the identity running verify may lack s3:PutObject or kms:GenerateDataKey, or the endpoint evaluates the bucket policy without its conditions (moto)",
            });
        }
        try {
            await s3.putObject({ Bucket: bucket, Key: `${prefix}sse-s3`, Body: "secure-bucket verify probe", ServerSideEncryption: "AES256" });
            wrote = true;
            checks.push({ name: "probe.sseS3UploadRefused", verdict: "drift", expected: "refused", actual: "stored", reason: "an upload asking for SSE-S3 was accepted" });
        } catch (error) {
            const refused = refusal(error);
            if (refused === undefined) throw error;
            checks.push(
                headerlessWent
                    ? { name: "probe.sseS3UploadRefused", verdict: "pass", expected: "refused", actual: refused }
                    : {
                          name: "probe.sseS3UploadRefused",
                          verdict: "not verifiable here",
                          actual: refused,
                          reason: "the header-less upload was refused too, so this refusal does not show the encryption deny",
                      },
            );
        }
    } catch (error) {
        failed = true;
        throw error;
    } finally {
        // Remove every version written, also when a probe failed half-way (a request that failed
        // unexpectedly may still have stored its object). A refused upload wrote nothing.
        if (wrote || failed) await removeAll(s3, bucket, prefix);
    }
    return checks;
}

async function removeAll(s3: ProbeS3, bucket: string, prefix: string): Promise<void> {
    const left: string[] = [];
    for (const version of await versionsUnder(s3, bucket, prefix)) {
        try {
            await s3.deleteObject({ Bucket: bucket, Key: version.Key, VersionId: version.VersionId });
        } catch (error) {
            left.push(`${version.Key} (version ${version.VersionId ?? "null"}): ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    if (left.length > 0) throw new Error(`verify could not remove its probe objects from ${bucket}; remove them by hand:\n  ${left.join("\n  ")}`);
    if ((await versionsUnder(s3, bucket, prefix)).length > 0) throw new Error(`probe versions are still listed under s3://${bucket}/${prefix} after their removal`);
}

/** The probes' calls on the SDK's S3 client. */
export function sdkProbeS3(s3: S3Client): ProbeS3 {
    return {
        putObject: async (input) => s3.send(new PutObjectCommand(input)),
        listObjectVersions: async (input) => s3.send(new ListObjectVersionsCommand(input)),
        deleteObject: async (input) => s3.send(new DeleteObjectCommand(input)),
    };
}
