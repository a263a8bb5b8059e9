/**
 * verify against moto as the live account: a bucket set up as the plan says reads as no drift;
 * each seeded drift is reported by name; the probes read "not verifiable here", because moto
 * enforces the planned TLS deny without its condition and so refuses every upload.
 */
import { DeleteAliasCommand, DisableKeyRotationCommand } from "@aws-sdk/client-kms";
import { DeletePublicAccessBlockCommand, ListObjectVersionsCommand, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutObjectLockConfigurationCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import * as fs from "fs";
import { planStack } from "../../cli/plan";
import type { PlanDocument } from "../../cli/planJson";
import { PLACEHOLDER_KEY_ID } from "../../offline/placeholders";
import { AwsClients, awsClients } from "../../verify/clients";
import { expectedFromPlan } from "../../verify/expected";
import { verifyBucket, VerifyReport } from "../../verify";
import { tempProject } from "../helpers/tempProject";
import { Applied, applyPlan } from "./applyPlan";
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, Moto, resetMoto, startMoto } from "./moto";

const STACK = `config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["${MOTO_ACCOUNT}"]
  secure-bucket:bucketName: verify-emulator-bucket
  secure-bucket:administrators: ["arn:aws:iam::${MOTO_ACCOUNT}:role/key-admin"]
  secure-bucket:readers: ["arn:aws:iam::${MOTO_ACCOUNT}:role/app"]
  secure-bucket:writers: ["arn:aws:iam::${MOTO_ACCOUNT}:role/app"]
  secure-bucket:protect: false
`;
const DEPLOYER = `arn:aws:iam::${MOTO_ACCOUNT}:role/ci/deployer`;

/** What moto cannot show, with the planned bucket policy applied. */
const NOT_VERIFIABLE_ON_MOTO = ["encryption.blockedEncryptionTypes", "key.rotationPeriod", "probe.uploadWithoutEncryptionHeaders", "probe.sseS3UploadRefused"];

function names(report: VerifyReport, verdict: string): string[] {
    return report.checks.filter((c) => c.verdict === verdict).map((c) => c.name).sort();
}

describe("verify against the emulator (moto)", function () {
    let moto: Moto;
    let clients: AwsClients;
    let plan: PlanDocument;
    let applied: Applied;

    before(async function () {
        moto = await startMoto();
        clients = awsClients({ region: "us-east-1", endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
        const projectDir = tempProject({ emu: STACK });
        try {
            plan = await planStack({ projectDir, stack: "emu" });
        } finally {
            fs.rmSync(projectDir, { recursive: true, force: true });
        }
    });
    after(async function () {
        await moto?.stop();
    });
    beforeEach(async function () {
        await resetMoto(moto);
        applied = await applyPlan(clients, plan, DEPLOYER);
    });

    const verify = () => verifyBucket({ plan, complete: true, clients, emulator: true, probes: true });

    it("finds no drift in a bucket set up as the plan says, and says which checks moto cannot judge", async function () {
        const report = await verify();
        expect(report.keyArn).to.equal(applied.keyArn);
        expect(names(report, "drift")).to.deep.equal([]);
        expect(names(report, "not verifiable here")).to.deep.equal([...NOT_VERIFIABLE_ON_MOTO].sort());
        // Every check of the plan's settings and statements passed, the deploying role bound from the key policy.
        expect(names(report, "pass")).to.include.members([
            "bucket.region",
            "encryption.algorithm",
            "encryption.key",
            "encryption.bucketKey",
            "publicAccessBlock",
            "ownership",
            "versioning",
            "lifecycle",
            "logging",
            "notifications.eventBridge",
            "key.rotation",
            "key.alias",
            ...expectedFromPlan(plan).keyPolicy.map((s) => `keyPolicy.statement:${String(s.Sid)}`),
            ...expectedFromPlan(plan).bucketPolicy.map((s) => `bucketPolicy.statement:${String(s.Sid)}`),
        ]);
    });

    it("reports encryption switched to SSE-S3 as drift of the algorithm, the key and the Bucket Key", async function () {
        await clients.s3.send(
            new PutBucketEncryptionCommand({ Bucket: applied.bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }] } }),
        );
        expect(names(await verify(), "drift")).to.deep.equal(["encryption.algorithm", "encryption.bucketKey", "encryption.key"]);
    });

    it("reports rotation turned off", async function () {
        await clients.kms.send(new DisableKeyRotationCommand({ KeyId: applied.keyArn }));
        expect(names(await verify(), "drift")).to.deep.equal(["key.rotation"]);
    });

    it("reports a bucket policy statement removed, by its Sid", async function () {
        const statements = expectedFromPlan(plan).bucketPolicy.filter((s) => s.Sid !== "DenyOtherKmsKeys");
        const policy = JSON.stringify({ Version: "2012-10-17", Statement: statements }).split(PLACEHOLDER_KEY_ID).join(applied.keyArn.split("/")[1]);
        await clients.s3.send(new PutBucketPolicyCommand({ Bucket: applied.bucket, Policy: policy }));
        expect(names(await verify(), "drift")).to.deep.equal(["bucketPolicy.statement:DenyOtherKmsKeys"]);
    });

    it("fails, saying so, when the plan's alias is gone (the key cannot be found without --key-arn)", async function () {
        await clients.kms.send(new DeleteAliasCommand({ AliasName: "alias/secure-bucket-emu" }));
        const error = await verify().then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(String(error)).to.match(/the plan's key alias alias\/secure-bucket-emu does not exist .*: give the key with --key-arn/);
    });

    it("reports the public access block turned off", async function () {
        await clients.s3.send(new DeletePublicAccessBlockCommand({ Bucket: applied.bucket }));
        expect(names(await verify(), "drift")).to.deep.equal(["publicAccessBlock"]);
    });

    describe("a bucket with an Object Lock default retention (the prod stack's GOVERNANCE 30 days)", () => {
        let lockedPlan: PlanDocument;
        before(async function () {
            const projectDir = tempProject({ emu: `${STACK}  secure-bucket:objectLock: { mode: GOVERNANCE, days: 30 }\n` });
            try {
                lockedPlan = await planStack({ projectDir, stack: "emu" });
            } finally {
                fs.rmSync(projectDir, { recursive: true, force: true });
            }
        });
        const lock = (Days: number) =>
            clients.s3.send(
                new PutObjectLockConfigurationCommand({ Bucket: applied.bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days } } } }),
            );
        const probeVersions = async () => (await clients.s3.send(new ListObjectVersionsCommand({ Bucket: applied.bucket }))).Versions ?? [];

        it("checks the retention against the plan, and uploads no probe, whose objects could not be deleted: not verifiable here, saying why", async function () {
            await resetMoto(moto);
            applied = await applyPlan(clients, lockedPlan, DEPLOYER);
            await lock(30);
            const report = await verifyBucket({ plan: lockedPlan, complete: true, clients, emulator: true, probes: true });
            expect(names(report, "drift"), JSON.stringify(report.checks.filter((c) => c.verdict === "drift"))).to.deep.equal([]);
            expect(names(report, "pass")).to.include("objectLock.defaultRetention");
            for (const name of ["probe.uploadWithoutEncryptionHeaders", "probe.sseS3UploadRefused"]) {
                expect(report.checks.find((c) => c.name === name)).to.deep.include({
                    verdict: "not verifiable here",
                    reason: "the bucket has an Object Lock default retention (GOVERNANCE, 30 days): a probe object could not be deleted before it expires, so verify uploads none",
                });
            }
            expect(await probeVersions()).to.deep.equal([]);
        });

        it("reports a retention the plan does not have, or a shorter one, as drift by name", async function () {
            await lock(1);
            expect(names(await verify(), "drift")).to.deep.equal(["objectLock.defaultRetention"]);
            await resetMoto(moto);
            applied = await applyPlan(clients, lockedPlan, DEPLOYER);
            await lock(1);
            expect(names(await verifyBucket({ plan: lockedPlan, complete: true, clients, emulator: true, probes: true }), "drift")).to.deep.equal(["objectLock.defaultRetention"]);
            expect(await probeVersions()).to.deep.equal([]);
        });
    });
});
