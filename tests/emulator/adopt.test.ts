/**
 * adopt against moto: buckets seeded with each kind of prior configuration (none, SSE-S3, another
 * KMS key, a policy statement of their own, lifecycle rules, notifications, Object Lock) are read
 * as they are, with what SecureBucket keeps and what would be lost; then the command end to end:
 * the report, the stack file written with its comments, and the offline plan that imports the bucket.
 */
import { CreateKeyCommand } from "@aws-sdk/client-kms";
import {
    CreateBucketCommand,
    PutBucketEncryptionCommand,
    PutBucketLifecycleConfigurationCommand,
    PutBucketNotificationConfigurationCommand,
    PutBucketPolicyCommand,
    PutBucketReplicationCommand,
    PutBucketTaggingCommand,
    PutBucketVersioningCommand,
    PutObjectCommand,
    PutObjectLockConfigurationCommand,
} from "@aws-sdk/client-s3";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { decideAdoption, Placement, refusals } from "../../adopt/decide";
import { ExistingBucket, inspectBucket } from "../../adopt/inspect";
import { sampleEncryption } from "../../adopt/sample";
import type { PlanDocument } from "../../cli/planJson";
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "../../cli/exitCodes";
import { AwsClients, awsClients } from "../../verify/clients";
import type { Run } from "../helpers/spawnRun";
import { tempProject } from "../helpers/tempProject";
import { runCli } from "./cli";
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, Moto, resetMoto, startMoto } from "./moto";

const PARTNER_STATEMENT = {
    Sid: "PartnerReadsReports",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::444444444444:role/reports" },
    Action: "s3:GetObject",
    Resource: "arn:aws:s3:::console-made/reports/*",
};
/** The key ARN adopt reports for the key the stack creates, which has no id before pulumi up. */
const NEW_KEY_ARN = `arn:aws:kms:us-east-1:${MOTO_ACCOUNT}:key/(the key this stack creates)`;
const HERE: Placement = { stackRegion: "us-east-1", callerAccount: MOTO_ACCOUNT, ownedByCaller: true, stackAccounts: [MOTO_ACCOUNT] };

describe("adopt against the emulator (moto)", function () {
    let moto: Moto;
    let clients: AwsClients;
    const Bucket = "console-made";

    before(async function () {
        moto = await startMoto();
        clients = awsClients({ region: "us-east-1", endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
    });
    after(async function () {
        await moto?.stop();
    });
    beforeEach(async function () {
        await resetMoto(moto);
    });
    const inspected = () => inspectBucket(clients, Bucket);
    /** Creates the bucket with its default encryption: SSE-S3, or SSE-KMS under the key given. */
    const createEncryptedBucket = async (SSEAlgorithm: "AES256" | "aws:kms", KMSMasterKeyID?: string) => {
        await clients.s3.send(new CreateBucketCommand({ Bucket }));
        await clients.s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm, KMSMasterKeyID } }] } }));
    };
    /** Creates the bucket encrypted by default under a new customer-managed key; resolves to the key's ARN. */
    const createBucketUnderAnotherKey = async (): Promise<string | undefined> => {
        const keyArn = (await clients.kms.send(new CreateKeyCommand({}))).KeyMetadata?.Arn;
        await createEncryptedBucket("aws:kms", keyArn);
        return keyArn;
    };

    describe("reads what each kind of bucket holds, and what adoption keeps and loses", () => {
        it("a bucket with nothing of its own: nothing kept, nothing lost; the adoption names the policy and lifecycle it replaces", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            const existing = await inspected();
            expect({ encryption: existing.encryption, policy: existing.bucketPolicy, lifecycle: existing.lifecycleRules, versioning: existing.versioning }).to.deep.equal({
                encryption: null,
                policy: null,
                lifecycle: [],
                versioning: "Disabled",
            });
            expect(decideAdoption(existing, {})).to.deep.equal({ config: { bucketName: Bucket, adoptExisting: { replace: ["bucketPolicy", "lifecycle"] } }, kept: [], lost: [] });
        });

        it("SSE-S3: read as AES256 without a key", async function () {
            await createEncryptedBucket("AES256");
            const existing = await inspected();
            expect(existing.encryption).to.deep.include({ sseAlgorithm: "AES256", kmsMasterKeyId: undefined, bucketKeyEnabled: false });
            expect(existing.defaultKeyManager).to.equal(undefined);
        });

        it("another KMS key: read with its ARN, as customer-managed", async function () {
            const keyArn = await createBucketUnderAnotherKey();
            const existing = await inspected();
            expect(existing.encryption).to.deep.include({ sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn });
            expect(existing.defaultKeyManager).to.equal("CUSTOMER");
        });

        it("a policy with statements of its own: the one SecureBucket can carry is kept, the public one is reported lost", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            const publicRead = { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${Bucket}/*` };
            await clients.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: "2012-10-17", Statement: [PARTNER_STATEMENT, publicRead] }) }));
            const decision = decideAdoption(await inspected(), {});
            expect(decision.config.extraBucketPolicyStatements).to.deep.equal([
                { Sid: "PartnerReadsReports", Effect: "Allow", Principal: { AWS: ["arn:aws:iam::444444444444:role/reports"] }, Action: ["s3:GetObject"], Resource: [`arn:aws:s3:::${Bucket}/reports/*`] },
            ]);
            expect(decision.kept).to.deep.equal(["bucket policy statement PartnerReadsReports: carried in extraBucketPolicyStatements"]);
            expect(decision.lost).to.deep.equal([
                "bucket policy statement PublicRead: cannot be carried (Principal allows everyone: the public access block (BlockPublicPolicy) makes S3 refuse a public bucket policy)",
            ]);
        });

        it("lifecycle rules: each reported lost, by id", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            await clients.s3.send(
                new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: [{ ID: "expire-tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 7 } }] } }),
            );
            expect(decideAdoption(await inspected(), {}).lost).to.deep.equal([
                'lifecycle rule "expire-tmp": replaced by SecureBucket\'s lifecycle rules (carry its transitions in transitions / noncurrentVersionTransitions)',
            ]);
        });

        it("notifications: kept while the stack leaves them alone, lost (and named in the adoption) with eventBridge", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            const QueueArn = `arn:aws:sqs:us-east-1:${MOTO_ACCOUNT}:uploads`;
            await clients.s3.send(new PutBucketNotificationConfigurationCommand({ Bucket, NotificationConfiguration: { QueueConfigurations: [{ QueueArn, Events: ["s3:ObjectCreated:*"] }] } }));
            const existing = await inspected();
            expect(decideAdoption(existing, {}).kept).to.deep.equal([`notification target SQS ${QueueArn} (s3:ObjectCreated:*): not managed by SecureBucket`]);
            const withEventBridge = decideAdoption(existing, { eventBridge: true });
            expect(withEventBridge.lost).to.deep.equal([`notification target SQS ${QueueArn} (s3:ObjectCreated:*): replaced by eventBridge`]);
            expect(withEventBridge.config.adoptExisting.replace).to.deep.equal(["bucketPolicy", "lifecycle", "notifications"]);
        });

        it("replication: kept, saying that a SecureBucketReplication from this bucket would replace it", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            await clients.s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
            await clients.s3.send(
                new PutBucketReplicationCommand({
                    Bucket,
                    ReplicationConfiguration: {
                        Role: `arn:aws:iam::${MOTO_ACCOUNT}:role/replication`,
                        Rules: [{ ID: "to-dr", Status: "Enabled", Priority: 1, Filter: { Prefix: "" }, DeleteMarkerReplication: { Status: "Disabled" }, Destination: { Bucket: "arn:aws:s3:::console-made-dr" } }],
                    },
                }),
            );
            expect(decideAdoption(await inspected(), {}).kept).to.deep.equal([
                "replication (1 rules): SecureBucket never touches it, but a SecureBucketReplication with this bucket as its source replaces it (S3 holds one replication configuration per bucket)",
            ]);
        });

        it("Object Lock: kept when the stack has none; a weaker mode or a shorter retention is refused", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
            await clients.s3.send(
                new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 30 } } } }),
            );
            const existing = await inspected();
            expect(existing.objectLock).to.deep.include({ enabled: true, mode: "COMPLIANCE", days: 30 });
            expect(refusals(existing, {}, HERE)).to.deep.equal([]);
            expect(decideAdoption(existing, {}).kept).to.include("Object Lock and its default retention: not managed by SecureBucket (no objectLock in the stack)");
            expect(refusals(existing, { objectLock: { mode: "GOVERNANCE", days: 7 } }, HERE)).to.deep.equal([
                "objectLock.mode GOVERNANCE would weaken the bucket's COMPLIANCE default retention",
                "objectLock's 7 days would shorten the bucket's default retention of 30 days",
            ]);
            expect(refusals(existing, { versioning: false }, HERE)).to.deep.equal([
                "the bucket has Object Lock, which keeps versioning on: S3 refuses to suspend it, and versioning is false in the stack",
            ]);
        });

        it("the sample counts object versions by encryption, page by page, and stops at its bound", async function () {
            const key = await clients.kms.send(new CreateKeyCommand({}));
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            for (const [i, sse] of ["AES256", "AES256", "aws:kms", "AES256"].entries()) {
                await clients.s3.send(
                    new PutObjectCommand({ Bucket, Key: `o${i}`, Body: "x", ServerSideEncryption: sse as "AES256", ...(sse === "aws:kms" ? { SSEKMSKeyId: key.KeyMetadata?.Arn } : {}) }),
                );
            }
            const progress: number[] = [];
            const all = await sampleEncryption(clients, Bucket, 100, (n) => progress.push(n));
            expect(all).to.deep.equal({ sampled: 4, more: false, notUnderCustomerKey: { "SSE-S3": 3 }, underCustomerKeys: { [String(key.KeyMetadata?.Arn)]: 1 } });
            expect(progress).to.deep.equal([4]);
            const bounded = await sampleEncryption(clients, Bucket, 2, () => undefined);
            expect([bounded.sampled, bounded.more]).to.deep.equal([2, true]);
        });
    });

    describe("refuses a bucket of another account or region than the stack's", () => {
        it("another region, other credentials' account, a bucket the account does not own", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            const existing: ExistingBucket = await inspected();
            expect(refusals({ ...existing, region: "eu-west-1" }, {}, HERE)).to.deep.equal([
                "the bucket is in eu-west-1, but the stack deploys to us-east-1 (aws:region): a bucket cannot move between regions",
            ]);
            expect(refusals(existing, {}, { ...HERE, stackAccounts: ["111111111111"], ownedByCaller: false })).to.deep.equal([
                `the credentials are of account ${MOTO_ACCOUNT}, but the stack deploys to 111111111111 (aws:allowedAccountIds)`,
                `the bucket console-made is not a bucket of account ${MOTO_ACCOUNT}: a stack adopts only its own account's buckets`,
            ]);
        });
    });

    describe("the command", () => {
        let projectDir: string;
        const STACK = `# The team's stack: adopt must keep this comment.
config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["${MOTO_ACCOUNT}"]
  # Sandbox: no protection.
  secure-bucket:protect: false
`;
        const cli = (args: string[]): Promise<Run> => runCli(projectDir, args);
        beforeEach(function () {
            projectDir = tempProject({ adopt: STACK });
        });
        afterEach(function () {
            fs.rmSync(projectDir, { recursive: true, force: true });
        });

        it("reports, writes the stack config with its comments, and the offline plan then imports the bucket and replaces nothing", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            await clients.s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: "team", Value: "data" }] } }));
            await clients.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify({ Version: "2012-10-17", Statement: [PARTNER_STATEMENT] }) }));
            await clients.s3.send(new PutObjectCommand({ Bucket, Key: "old", Body: "x", ServerSideEncryption: "AES256" }));

            const run = await cli(["adopt", "--bucket", Bucket, "--stack", "adopt", "--endpoint-url", moto.endpoint, "--write"]);
            expect(run.status, run.stderr).to.equal(EXIT_OK);
            expect(run.stdout).to.include("SecureBucket will change:\n  encryption.algorithm: (none) -> \"aws:kms\"");
            expect(run.stdout).to.include('  versioning: "Disabled" -> "Enabled"');
            expect(run.stdout).to.include("Object versions not under a customer-managed key: 1 of 1 sampled\n  SSE-S3: 1");
            expect(run.stdout).to.include('"bucketName": "console-made"');
            expect(run.stderr).to.include("sampled 1 object versions...");
            const written = fs.readFileSync(path.join(projectDir, "Pulumi.adopt.yaml"), "utf8");
            expect(written).to.match(/^# The team's stack: adopt must keep this comment\.\n/);
            expect(written).to.include(`  aws:allowedAccountIds: ["${MOTO_ACCOUNT}"]\n  # Sandbox: no protection.\n  secure-bucket:protect: false\n  secure-bucket:bucketName: console-made\n`);

            const text = await cli(["plan", "--stack", "adopt"]);
            expect(text.stdout).to.include("RESOURCES: 8 resources to create in AWS, 1 to import, grouped by 1 component");
            expect(text.stdout).to.match(/\n= aws:s3\/bucket:Bucket "secure-bucket-adopt": import console-made\n(.*\n)*? {4}retainOnDelete: true/);
            const planned = await cli(["plan", "--stack", "adopt", "--json"]);
            expect(planned.status, planned.stderr).to.equal(EXIT_OK);
            const plan = JSON.parse(planned.stdout) as PlanDocument;
            const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket");
            expect(bucket).to.deep.include({ import: Bucket, retainOnDelete: true });
            // The key and its alias are retained with the bucket: what was written under the key stays readable.
            for (const type of ["aws:kms/key:Key", "aws:kms/alias:Alias"]) expect(plan.resources.find((r) => r.type === type), type).to.deep.include({ retainOnDelete: true });
            expect(bucket?.inputs).to.deep.include({ bucket: Bucket, tags: { team: "data" }, forceDestroy: false });
            // Every other resource is created and applied to the existing bucket; none is imported.
            expect(plan.resources.filter((r) => r.import !== undefined).map((r) => r.name)).to.deep.equal(["secure-bucket-adopt"]);
            for (const r of plan.resources.filter((r) => r.type.startsWith("aws:s3/bucket") && r.type !== "aws:s3/bucket:Bucket")) expect(r.inputs.bucket, r.type).to.equal(Bucket);
            const policy = plan.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")?.inputs.policy as { Statement: { Sid: string }[] };
            expect(policy.Statement.map((s) => s.Sid)).to.include("PartnerReadsReports");
        });

        it("a bucket under another KMS key: the key changes to the one this stack creates, never read as already in place", async function () {
            const keyArn = await createBucketUnderAnotherKey();
            const run = await cli(["adopt", "--bucket", Bucket, "--stack", "adopt", "--endpoint-url", moto.endpoint, "--sample", "0"]);
            expect(run.status, run.stderr).to.equal(EXIT_OK);
            expect(run.stdout).to.include(`\n  encryption.key: "${String(keyArn)}" -> "${NEW_KEY_ARN}"\n`);
            expect(run.stdout).not.to.include("encryption.algorithm:");
        });

        it("a bucket under SSE-S3: the algorithm and the key change to this stack's key", async function () {
            await createEncryptedBucket("AES256");
            const run = await cli(["adopt", "--bucket", Bucket, "--stack", "adopt", "--endpoint-url", moto.endpoint, "--sample", "0"]);
            expect(run.status, run.stderr).to.equal(EXIT_OK);
            expect(run.stdout).to.include(`\n  encryption.algorithm: "AES256" -> "aws:kms"\n  encryption.key: (none) -> "${NEW_KEY_ARN}"\n`);
        });

        it("a program of your own: refuses --write (exit 2), reports what a SecureBucket with the printed arguments would change, and writes nothing", async function () {
            fs.writeFileSync(path.join(projectDir, "Pulumi.yaml"), "name: my-app\nruntime: nodejs\n");
            await clients.s3.send(new CreateBucketCommand({ Bucket }));
            const before = fs.readFileSync(path.join(projectDir, "Pulumi.adopt.yaml"), "utf8");

            const write = await cli(["adopt", "--bucket", Bucket, "--stack", "adopt", "--endpoint-url", moto.endpoint, "--write"]);
            expect(write.status).to.equal(EXIT_USAGE);
            expect(write.stderr).to.include('--write sets the stack config of this package\'s own program (project "secure-bucket"), but project "my-app" is a program of your own');
            expect(write.stdout).to.equal("");

            const run = await cli(["adopt", "--bucket", Bucket, "--stack", "adopt", "--endpoint-url", moto.endpoint, "--sample", "0"]);
            expect(run.status, run.stderr).to.equal(EXIT_OK);
            expect(run.stdout).to.match(/^adopt s3:\/\/console-made for a SecureBucket of project "my-app", stack "adopt"/);
            expect(run.stdout).to.include("\nA SecureBucket with the arguments below would change (this is not your program's plan");
            expect(run.stdout).not.to.include("SecureBucket will change");
            expect(run.stdout).to.include('"bucketName": "console-made"');
            expect(run.stdout).to.include('Nothing written: project "my-app" is a program of your own');
            expect(run.stdout).not.to.match(/pulumi up|--write/);
            expect(fs.readFileSync(path.join(projectDir, "Pulumi.adopt.yaml"), "utf8")).to.equal(before);
        });

        // The stack's config is read with SecureBucket's rules before anything else (program/stackConfig.ts): adopt never compares with an undefined region.
        it("refuses a stack without aws:region (exit 2), naming it", async function () {
            fs.writeFileSync(path.join(projectDir, "Pulumi.noregion.yaml"), `config:\n  aws:allowedAccountIds: ["${MOTO_ACCOUNT}"]\n`);
            const run = await cli(["adopt", "--bucket", Bucket, "--stack", "noregion", "--endpoint-url", moto.endpoint]);
            expect(run.status).to.equal(EXIT_USAGE);
            expect(run.stderr).to.include("aws:region: (not set) must be set to the stack's AWS region");
            expect(run.stdout).to.equal("");
        });

        it("refuses a bucket in another region than the stack's: exit 1, nothing written", async function () {
            await clients.s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
            const before = fs.readFileSync(path.join(projectDir, "Pulumi.adopt.yaml"), "utf8");
            const run = await cli(["adopt", "--bucket", Bucket, "--stack", "adopt", "--endpoint-url", moto.endpoint, "--write"]);
            expect(run.status).to.equal(EXIT_FAILURE);
            expect(run.stderr).to.include('refusing to adopt console-made into stack "adopt":\n  - the bucket is in eu-west-1, but the stack deploys to us-east-1');
            expect(run.stdout).to.equal("");
            expect(fs.readFileSync(path.join(projectDir, "Pulumi.adopt.yaml"), "utf8")).to.equal(before);
        });

        it("refuses a bucket of another account", async function () {
            const sts = clients.sts;
            const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111111111111:role/other", RoleSessionName: "other" }));
            const theirs = awsClients({
                region: "us-east-1",
                endpointUrl: moto.endpoint,
                credentials: { accessKeyId: String(assumed.Credentials?.AccessKeyId), secretAccessKey: String(assumed.Credentials?.SecretAccessKey) },
            });
            await theirs.s3.send(new CreateBucketCommand({ Bucket }));
            const run = await cli(["adopt", "--bucket", Bucket, "--stack", "adopt", "--endpoint-url", moto.endpoint]);
            expect(run.status).to.equal(EXIT_FAILURE);
            expect(run.stderr).to.include(`the bucket console-made is not a bucket of account ${MOTO_ACCOUNT}`);
        });
    });
});
