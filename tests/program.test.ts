/**
 * The program (program/program.ts), run the way the engine runs index.ts, on the mock engine: the
 * stack's config set with `setAllConfig`, then `programFromStackConfig` inside `runInPulumiStack`.
 * What each example stack deploys is asserted here, once; the CLI's plan (tests/e2e/cli.test.ts)
 * and the Automation API (tests/automation.test.ts) hand the same program its arguments.
 *
 * Under the mocks `runInPulumiStack` registers a `pulumi:pulumi:Stack` named `<project>-<stack>`
 * (here `secure-bucket-test`, which is also the component's name), runs the program with it as the
 * default parent and resolves to the stack outputs as plain values. It can resolve before the last
 * child is registered, so each run waits for Pulumi's queue of RPCs to drain. It also leaves that
 * Stack installed as the default parent of every later resource: each test uninstalls it.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import { PLACEHOLDER_KEY_ID, PLACEHOLDER_NAME_SUFFIX } from "../offline/placeholders";
import { programFromStackConfig } from "../program/program";
import { rejectedWith, thrownBy } from "./helpers/errors";
import { policy, principalsOf, statement } from "./helpers/policies";
import { listIn, OUTPUT_NAMES, stackConfigWith } from "./helpers/program";
import { CHILD_TYPES, COMPONENT_TYPE } from "./helpers/resourceTypes";
import { stackConfig } from "./helpers/stackFile";
import { ACCOUNT_ID, expectRejection, one, PROJECT, RecordedResource, recordedResources, registeredSoFar, registrationsCompleted, STACK } from "./setup/pulumiMocks";

// An internal runtime function (exported by the JavaScript, left out of the type declarations).
const { setStackResource } = runtimeState as unknown as { setStackResource(resource: undefined): void };

const STACK_TYPE = "pulumi:pulumi:Stack";
/** The component's name, and the Stack's: `<project>-<stack>` of the mocks. */
const NAME = `${PROJECT}-${STACK}`;
const AUTO_NAMED_BUCKET = `${NAME}-${PLACEHOLDER_NAME_SUFFIX}`;

/** The children each example stack's opt-ins add, by type. */
const OPT_INS = {
    dev: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketNotification:BucketNotification"],
    prod: ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"],
    none: [],
};

/**
 * Runs the program as `pulumi up` does, with `config` as the stack's config, and waits for every
 * registration: the Stack, the component, its nine children and the opt-ins' children.
 */
async function runStack(config: Record<string, string>, optIns: readonly string[]): Promise<Record<string, string>> {
    pulumi.runtime.setAllConfig(config);
    const outputs = (await pulumi.runtime.runInPulumiStack(() => Promise.resolve(programFromStackConfig()))) as Record<string, string>;
    await registrationsCompleted(2 + Object.keys(CHILD_TYPES).length + optIns.length);
    return outputs;
}

/** Runs the program with `config` before each test of the enclosing block; `outputs` holds what it resolved to. */
function runBeforeEach(config: Record<string, string>, optIns: readonly string[]): { outputs: Record<string, string> } {
    const run = { outputs: {} as Record<string, string> };
    beforeEach(async () => {
        run.outputs = await runStack(config, optIns);
    });
    return run;
}

/** The Stack, the component, and everything else registered: the component's children. */
function stackTree(): { stack: RecordedResource; component: RecordedResource; children: readonly RecordedResource[] } {
    const stack = one(STACK_TYPE);
    const component = one(COMPONENT_TYPE);
    const children = recordedResources().filter((r) => r !== stack && r !== component);
    return { stack, component, children };
}

/**
 * What both example stacks deploy alike: in `region` and `account`, the Stack, the component and its
 * children, and policies that grant exactly the principals `config` names, with the deletion guard
 * exempting the administrators and the deploying role.
 */
function expectStackWide(
    outputs: Record<string, string>,
    config: Record<string, string>,
    { account, region, optIns }: { account: string; region: string; optIns: readonly string[] },
): void {
    const administrators = listIn(config, "secure-bucket:administrators");
    const readers = listIn(config, "secure-bucket:readers");
    const writers = listIn(config, "secure-bucket:writers");

    expect(outputs.keyArn).to.equal(`arn:aws:kms:${region}:${account}:key/${outputs.keyId}`);
    expect(outputs.aliasArn).to.equal(`arn:aws:kms:${region}:${account}:${outputs.aliasName}`);

    const bucketAndObjects = [outputs.bucketArn, `${outputs.bucketArn}/*`];
    const readersStatement = statement(outputs.bucketPolicy, "AllowReaders");
    expect(principalsOf(readersStatement)).to.deep.equal(readers);
    expect(readersStatement.Resource).to.deep.equal(bucketAndObjects);
    expect(principalsOf(statement(outputs.bucketPolicy, "AllowWriters"))).to.deep.equal(writers);
    expect(statement(outputs.bucketPolicy, "DenyInsecureTransport").Condition).to.deep.equal({ BoolIfExists: { "aws:SecureTransport": "false" } });
    expect(statement(outputs.bucketPolicy, "DenyOtherKmsKeys").Condition?.StringNotEquals).to.deep.equal({
        "s3:x-amz-server-side-encryption-aws-kms-key-id": outputs.keyArn,
    });
    expect(statement(outputs.bucketPolicy, "DenyOtherKmsKeysForReplicas").Condition?.StringNotEquals).to.deep.equal({
        "s3:x-amz-server-side-encryption-aws-kms-key-id": [outputs.keyArn, outputs.keyId],
    });

    expect(principalsOf(statement(outputs.keyPolicy, "EnableIamPoliciesForAccount"))).to.deep.equal([`arn:aws:iam::${account}:root`]);
    expect(principalsOf(statement(outputs.keyPolicy, "AllowKeyAdministration"))).to.deep.equal(administrators);
    const throughS3 = { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` }, StringLike: { "kms:EncryptionContext:aws:s3:arn": bucketAndObjects } };
    const decrypt = statement(outputs.keyPolicy, "AllowReadersDecryptThroughS3");
    expect(principalsOf(decrypt)).to.deep.equal(readers);
    expect(decrypt.Condition).to.deep.equal(throughS3);
    const encrypt = statement(outputs.keyPolicy, "AllowWritersEncryptThroughS3");
    expect(principalsOf(encrypt)).to.deep.equal(writers);
    expect(encrypt.Condition).to.deep.equal(throughS3);
    const guard = statement(outputs.keyPolicy, "DenyKeyDeletionByNonAdministrators");
    expect(guard.Effect).to.equal("Deny");
    expect(guard.Condition, "the deletion guard exempts the administrators and the deploying role").to.deep.equal({
        ArnNotEquals: { "aws:PrincipalArn": [...administrators, `arn:aws:iam::${account}:role/ci/placeholder-deployer`] },
    });

    const { stack, component, children } = stackTree();
    expect(stack.name).to.equal(NAME);
    expect(component.name).to.equal(NAME);
    expect(component.parent, "the component is under the Stack").to.equal(stack.urn);
    expect(children.map((r) => r.type).sort()).to.deep.equal([...Object.values(CHILD_TYPES), ...optIns].sort());
    for (const child of children) {
        expect(child.parent, `${child.name} is under the component`).to.equal(component.urn);
        expect(child.inputs.region, `region of ${child.name}`).to.equal(region);
    }
    // The resources apply the documents the stack exports.
    expect(one(CHILD_TYPES.key).inputs.policy).to.equal(outputs.keyPolicy);
    expect(one(CHILD_TYPES.policy).inputs.policy).to.equal(outputs.bucketPolicy);
}

describe("the program (programFromStackConfig) run as the engine runs it", () => {
    afterEach(() => {
        pulumi.runtime.setAllConfig({});
        setStackResource(undefined);
        // Read back through the public API: the internal setter must be the one it reads.
        expect(pulumi.runtime.getStackResource(), "the Stack of runInPulumiStack is uninstalled").to.equal(undefined);
    });

    describe("with Pulumi.dev.yaml", () => {
        const config = stackConfig("dev");
        const run = runBeforeEach(config, OPT_INS.dev);

        it("resolves to exactly the eight stack outputs, as plain strings", () => {
            expect(Object.keys(run.outputs)).to.deep.equal(OUTPUT_NAMES);
            for (const name of OUTPUT_NAMES) expect(run.outputs[name], name).to.be.a("string").and.not.equal("");
            expect(policy(run.outputs.bucketPolicy).Version).to.equal("2012-10-17");
            expect(policy(run.outputs.keyPolicy).Version).to.equal("2012-10-17");
        });

        it("auto-names the bucket from <project>-<stack> and names the alias after it", () => {
            expect(run.outputs.bucketName).to.equal(AUTO_NAMED_BUCKET);
            expect(run.outputs.bucketArn).to.equal(`arn:aws:s3:::${AUTO_NAMED_BUCKET}`);
            expect(one(CHILD_TYPES.bucket).inputs, "no name given: Pulumi auto-names it").not.to.have.property("bucket");
            expect(run.outputs.keyId).to.equal(PLACEHOLDER_KEY_ID);
            expect(run.outputs.aliasName).to.equal(`alias/${NAME}`);
        });

        it("registers the Stack, the SecureBucket under it and its nine children in eu-west-1, with policies granting exactly the stack file's principals", () => {
            expectStackWide(run.outputs, config, { account: "111111111111", region: "eu-west-1", optIns: OPT_INS.dev });
        });

        it("requires TLS 1.2, protects nothing, and applies the stack file's deletion window, lifecycle and tags", () => {
            expect(statement(run.outputs.bucketPolicy, "DenyOutdatedTlsVersions").Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
            expect(recordedResources().filter((r) => r.protect).map((r) => r.name)).to.deep.equal([]);
            const key = one(CHILD_TYPES.key);
            expect(key.inputs.deletionWindowInDays).to.equal(7);
            expect(key.inputs.rotationPeriodInDays).to.equal(365);
            expect(key.inputs.tags).to.deep.equal({ environment: "dev", owner: "platform-team" });
            expect(one(CHILD_TYPES.bucket).inputs.tags).to.deep.equal({ environment: "dev", owner: "platform-team" });
            expect(one(CHILD_TYPES.lifecycle).inputs.rules).to.deep.include({
                id: "expire-noncurrent-versions",
                status: "Enabled",
                filter: {},
                noncurrentVersionExpiration: { noncurrentDays: 30 },
                expiration: { expiredObjectDeleteMarker: true },
                noncurrentVersionTransitions: [{ noncurrentDays: 7, storageClass: "GLACIER_IR" }],
            });
        });

        it("turns on the stack file's opt-ins: access logs to the log bucket, EventBridge, transitions, and reads by its CloudFront distribution", () => {
            expect(one(OPT_INS.dev[0]).inputs).to.deep.equal({
                bucket: AUTO_NAMED_BUCKET,
                targetBucket: "example-corp-dev-access-logs",
                targetPrefix: `${AUTO_NAMED_BUCKET}/`,
                region: "eu-west-1",
            });
            expect(one(OPT_INS.dev[1]).inputs).to.deep.equal({ bucket: AUTO_NAMED_BUCKET, eventbridge: true, region: "eu-west-1" });
            expect(one(CHILD_TYPES.lifecycle).inputs.rules).to.deep.include({
                id: "transition-current-versions",
                status: "Enabled",
                filter: {},
                transitions: [
                    { days: 30, storageClass: "STANDARD_IA" },
                    { days: 90, storageClass: "GLACIER_IR" },
                ],
            });
            const distribution = listIn(config, "secure-bucket:cloudFrontDistributions");
            const bucketArn = `arn:aws:s3:::${AUTO_NAMED_BUCKET}`;
            expect(statement(run.outputs.bucketPolicy, "AllowCloudFrontDistributionsToRead").Condition).to.deep.equal({ StringEquals: { "AWS:SourceArn": distribution } });
            expect(statement(run.outputs.keyPolicy, "AllowCloudFrontDistributionsToDecrypt").Condition).to.deep.equal({
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
                StringEquals: { "AWS:SourceArn": distribution },
            });
        });
    });

    describe("with Pulumi.prod.yaml", () => {
        const config = stackConfig("prod");
        const run = runBeforeEach(config, OPT_INS.prod);

        it("uses the fixed bucket and alias names", () => {
            expect(run.outputs.bucketName).to.equal("example-corp-prod-secure-data");
            expect(run.outputs.bucketArn).to.equal("arn:aws:s3:::example-corp-prod-secure-data");
            expect(one(CHILD_TYPES.bucket).inputs.bucket).to.equal("example-corp-prod-secure-data");
            expect(run.outputs.aliasName).to.equal("alias/example-corp/prod/secure-data");
            expect(one(CHILD_TYPES.alias).inputs.name).to.equal("alias/example-corp/prod/secure-data");
        });

        it("deploys into account 333333333333 (its aws:allowedAccountIds) in us-east-1, with policies granting exactly the stack file's principals", () => {
            expect(config["aws:allowedAccountIds"]).to.equal('["333333333333"]');
            expectStackWide(run.outputs, config, { account: "333333333333", region: "us-east-1", optIns: OPT_INS.prod });
        });

        it("requires TLS 1.3, protects the key and the bucket (only), rotates every 180 days and keeps the 30-day deletion window", () => {
            expect(statement(run.outputs.bucketPolicy, "DenyOutdatedTlsVersions").Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.3" } });
            expect(recordedResources().filter((r) => r.protect).map((r) => r.type)).to.have.members([CHILD_TYPES.bucket, CHILD_TYPES.key]);
            const key = one(CHILD_TYPES.key);
            expect(key.inputs.rotationPeriodInDays).to.equal(180);
            expect(key.inputs.deletionWindowInDays).to.equal(30);
        });

        it("turns on Object Lock in GOVERNANCE mode for 30 days, on the existing bucket, after versioning", () => {
            const lock = one(OPT_INS.prod[0]);
            expect(lock.inputs).to.deep.equal({
                bucket: "example-corp-prod-secure-data",
                objectLockEnabled: "Enabled",
                rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } },
                region: "us-east-1",
            });
            expect(lock.dependencies).to.include(one(CHILD_TYPES.versioning).urn);
            expect(one(CHILD_TYPES.bucket).inputs).not.to.have.property("objectLockEnabled");
        });
    });

    describe("in the AWS European Sovereign Cloud (aws:region eusc-de-east-1)", () => {
        const principal = (name: string) => `arn:aws-eusc:iam::${ACCOUNT_ID}:role/${name}`;
        const config = {
            "aws:region": "eusc-de-east-1",
            "secure-bucket:administrators": JSON.stringify([principal("key-admin")]),
            "secure-bucket:readers": JSON.stringify([principal("app")]),
            "secure-bucket:writers": JSON.stringify([principal("ingest")]),
        };

        it("runs, with ARNs of partition aws-eusc, S3 in that region as kms:ViaService, and every child in it", async () => {
            const outputs = await runStack(config, OPT_INS.none);
            const bucketArn = `arn:aws-eusc:s3:::${AUTO_NAMED_BUCKET}`;
            expect(outputs.bucketArn).to.equal(bucketArn);
            expect(outputs.keyArn).to.equal(`arn:aws-eusc:kms:eusc-de-east-1:${ACCOUNT_ID}:key/${PLACEHOLDER_KEY_ID}`);
            expect(outputs.aliasArn).to.equal(`arn:aws-eusc:kms:eusc-de-east-1:${ACCOUNT_ID}:alias/${NAME}`);

            const throughS3 = {
                StringEquals: { "kms:ViaService": "s3.eusc-de-east-1.amazonaws.eu" },
                StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
            };
            expect(statement(outputs.keyPolicy, "AllowReadersDecryptThroughS3").Condition).to.deep.equal(throughS3);
            expect(statement(outputs.keyPolicy, "AllowWritersEncryptThroughS3").Condition).to.deep.equal(throughS3);
            expect(principalsOf(statement(outputs.keyPolicy, "EnableIamPoliciesForAccount"))).to.deep.equal([`arn:aws-eusc:iam::${ACCOUNT_ID}:root`]);
            expect(statement(outputs.keyPolicy, "DenyKeyDeletionByNonAdministrators").Condition).to.deep.equal({
                ArnNotEquals: { "aws:PrincipalArn": [principal("key-admin"), `arn:aws-eusc:iam::${ACCOUNT_ID}:role/ci/placeholder-deployer`] },
            });
            expect(principalsOf(statement(outputs.bucketPolicy, "AllowReaders"))).to.deep.equal([principal("app")]);
            expect(statement(outputs.bucketPolicy, "AllowReaders").Resource).to.deep.equal([bucketArn, `${bucketArn}/*`]);
            expect(principalsOf(statement(outputs.bucketPolicy, "AllowWriters"))).to.deep.equal([principal("ingest")]);

            const { children } = stackTree();
            expect(children).to.have.length(Object.keys(CHILD_TYPES).length);
            for (const child of children) expect(child.inputs.region, `region of ${child.name}`).to.equal("eusc-de-east-1");
        });
    });

    describe("with bad config", () => {
        it("in a stack: the run fails with a RunError naming each bad key, and nothing but the Stack is registered", async () => {
            const config = stackConfigWith("dev", { "secure-bucket:protect": "yes", "secure-bucket:keyRotationPeriodInDays": "30" });
            const failure = await rejectedWith(pulumi.RunError, runStack(config, OPT_INS.none));
            expect(failure.message).to.include('secure-bucket:protect: "yes" must be true or false');
            expect(failure.message).to.include("secure-bucket:keyRotationPeriodInDays: 30 must be from 90 to 2560");
            // The Stack also passes the error on through promises nobody awaits (the language host
            // would print it and fail the update). Resolves once it has: this very error is expected,
            // and any other rejection still fails the test.
            await expectRejection((reason) => reason === failure);
            await registrationsCompleted(1);
            expect(recordedResources().map((r) => r.type)).to.deep.equal([STACK_TYPE]);
        });

        it("called directly: throws a RunError naming every bad key, before any resource", async () => {
            pulumi.runtime.setAllConfig(stackConfigWith("dev", { "aws:region": "", "secure-bucket:keyRotationPeriodInDays": "abc" }));
            const error = thrownBy(pulumi.RunError, () => programFromStackConfig());
            expect(error.message).to.include('aws:region: "" must be set');
            expect(error.message).to.include('secure-bucket:keyRotationPeriodInDays: "abc" must be a whole number');
            expect(await registeredSoFar()).to.deep.equal([]);
        });
    });
});
