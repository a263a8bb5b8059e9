/**
 * The Automation API inline program, run the way the engine runs it (`runInPulumiStack`) on the mock
 * engine, with each example stack file's config.
 *
 * Under the mocks `runInPulumiStack` registers a `pulumi:pulumi:Stack` resource (named
 * `<project>-<stack>`, here `secure-bucket-test`), runs the program with it as the default parent, and
 * resolves to the stack outputs as plain values (Outputs resolved, since the mocks are not a
 * preview). It resolves once the outputs are known, which can be before the last child is
 * registered, so the tests wait for the RPC queue to drain before reading what was registered. It
 * also leaves that Stack resource installed as the default parent of every later resource; the
 * tests put that back so no other test file sees it.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import { getStackResource } from "@pulumi/pulumi/runtime/stack";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import { secureBucketInlineProgram } from "../automation/inlineProgram";
import { stackConfig } from "./helpers/stackFile";
import { CHILD_TYPES, COMPONENT_TYPE } from "./helpers/resourceTypes";
import { ACCOUNT_ID, PROJECT, RecordedResource, recordedResources, STACK, takeUnhandledRejections } from "./setup/pulumiMocks";

// Internal runtime functions (exported by the JavaScript, left out of the type declarations).
const { waitForRPCs } = runtimeSettings as unknown as { waitForRPCs(): Promise<void> };
const { setStackResource } = runtimeState as unknown as { setStackResource(resource: undefined): void };

const STACK_TYPE = "pulumi:pulumi:Stack";
const OUTPUT_NAMES = ["aliasArn", "aliasName", "bucketArn", "bucketName", "bucketPolicy", "keyArn", "keyId", "keyPolicy"];
const NAME = `${PROJECT}-${STACK}`;

interface Statement {
    Sid: string;
    Effect: string;
    Principal?: { AWS: string[] } | string;
    Condition?: Record<string, Record<string, unknown>>;
}

/** Runs the inline program with a stack file's config, as the engine would, and waits for every registration. */
async function runWithConfig(config: Record<string, string>): Promise<Record<string, unknown>> {
    pulumi.runtime.setAllConfig(config);
    const outputs = await pulumi.runtime.runInPulumiStack(secureBucketInlineProgram);
    await waitForRPCs();
    expect(outputs, "runInPulumiStack resolves to the stack outputs").to.be.an("object");
    return outputs as Record<string, unknown>;
}

function one(type: string): RecordedResource {
    const matches = recordedResources().filter((r) => r.type === type);
    expect(matches, `resources of type ${type}`).to.have.length(1);
    return matches[0];
}

function statements(policy: unknown): Statement[] {
    expect(policy).to.be.a("string");
    return (JSON.parse(policy as string) as { Statement: Statement[] }).Statement;
}

function statement(policy: unknown, sid: string): Statement {
    const found = statements(policy).find((s) => s.Sid === sid);
    expect(found, `statement ${sid}`).to.not.equal(undefined);
    return found as Statement;
}

function listOf(config: Record<string, string>, key: string): string[] {
    return JSON.parse(config[key]) as string[];
}

describe("inline program (automation/inlineProgram) under the mock engine", () => {
    afterEach(() => {
        pulumi.runtime.setAllConfig({});
        setStackResource(undefined);
        expect(getStackResource(), "the Stack resource of runInPulumiStack is uninstalled").to.equal(undefined);
        expect(pulumi.runtime.allConfig()).to.deep.equal({});
    });

    describe("with Pulumi.dev.yaml", () => {
        const config = stackConfig("dev");
        let outputs: Record<string, unknown>;
        beforeEach(async () => {
            outputs = await runWithConfig(config);
        });

        it("resolves to exactly the eight stack outputs, as plain values", () => {
            expect(Object.keys(outputs).sort()).to.deep.equal(OUTPUT_NAMES);
            for (const name of OUTPUT_NAMES) expect(outputs[name], name).to.be.a("string").and.not.equal("");
        });

        it("auto-names the bucket from <project>-<stack> and puts the key in the stack's region", () => {
            expect(outputs.bucketName).to.match(new RegExp(`^${NAME}-[0-9a-f]{7}$`));
            expect(outputs.bucketArn).to.equal(`arn:aws:s3:::${outputs.bucketName as string}`);
            expect(outputs.keyArn).to.equal(`arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/${outputs.keyId as string}`);
            expect(outputs.aliasName).to.equal(`alias/${NAME}`);
            expect(outputs.aliasArn).to.equal(`arn:aws:kms:eu-west-1:${ACCOUNT_ID}:alias/${NAME}`);
        });

        it("exports policies that parse and grant exactly the stack file's principals", () => {
            const bucket = outputs.bucketArn as string;
            expect(statement(outputs.bucketPolicy, "AllowReaders").Principal).to.deep.equal({ AWS: listOf(config, "secure-bucket:readers") });
            expect(statement(outputs.bucketPolicy, "AllowWriters").Principal).to.deep.equal({ AWS: listOf(config, "secure-bucket:writers") });
            expect(statement(outputs.bucketPolicy, "DenyOutdatedTlsVersions").Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
            expect(JSON.stringify(statements(outputs.bucketPolicy))).to.include(bucket);
            expect(statement(outputs.keyPolicy, "AllowKeyAdministration").Principal).to.deep.equal({
                AWS: listOf(config, "secure-bucket:administrators"),
            });
            expect(statement(outputs.keyPolicy, "AllowReadersDecryptThroughS3").Principal).to.deep.equal({
                AWS: listOf(config, "secure-bucket:readers"),
            });
        });

        it("registers the Stack, the SecureBucket under it and its nine children, with the stack file's settings", () => {
            const stack = one(STACK_TYPE);
            expect(stack.name).to.equal(NAME);
            const component = one(COMPONENT_TYPE);
            expect(component.name).to.equal(NAME);
            expect(component.parent).to.equal(stack.urn);
            const children = recordedResources().filter((r) => r !== stack && r !== component);
            expect(children.map((r) => r.type).sort()).to.deep.equal(Object.values(CHILD_TYPES).sort());
            for (const child of children) expect(child.parent, child.name).to.equal(component.urn);

            const key = one("aws:kms/key:Key");
            const bucket = one("aws:s3/bucket:Bucket");
            // dev: protect false, a 7-day deletion window, every child in eu-west-1, the stack's tags.
            expect(key.protect).to.equal(false);
            expect(bucket.protect).to.equal(false);
            expect(key.inputs.deletionWindowInDays).to.equal(7);
            for (const child of children) expect(child.inputs.region, child.name).to.equal("eu-west-1");
            expect(bucket.inputs.tags).to.deep.equal({ environment: "dev", owner: "platform-team" });
        });
    });

    describe("with Pulumi.prod.yaml", () => {
        const config = stackConfig("prod");
        let outputs: Record<string, unknown>;
        beforeEach(async () => {
            outputs = await runWithConfig(config);
        });

        it("names the bucket and alias as the stack file says, in us-east-1", () => {
            expect(Object.keys(outputs).sort()).to.deep.equal(OUTPUT_NAMES);
            expect(outputs.bucketName).to.equal("example-corp-prod-secure-data");
            expect(outputs.bucketArn).to.equal("arn:aws:s3:::example-corp-prod-secure-data");
            expect(outputs.aliasName).to.equal("alias/example-corp/prod/secure-data");
            expect(outputs.keyArn).to.equal(`arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/${outputs.keyId as string}`);
        });

        it("exports policies that parse: TLS 1.3, the prod principals, key deletion reserved to the administrators", () => {
            expect(statement(outputs.bucketPolicy, "DenyOutdatedTlsVersions").Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.3" } });
            expect(statement(outputs.bucketPolicy, "AllowWriters").Principal).to.deep.equal({ AWS: listOf(config, "secure-bucket:writers") });
            const deny = statement(outputs.keyPolicy, "DenyKeyDeletionByNonAdministrators");
            expect(deny.Effect).to.equal("Deny");
            expect(deny.Condition).to.deep.equal({
                ArnNotEquals: { "aws:PrincipalArn": [...listOf(config, "secure-bucket:administrators"), "arn:aws:iam::333333333333:role/ci/deployer"] },
            });
        });

        it("registers a protected key and bucket with the prod settings", () => {
            const key = one("aws:kms/key:Key");
            const bucket = one("aws:s3/bucket:Bucket");
            expect(key.protect).to.equal(true);
            expect(bucket.protect).to.equal(true);
            expect(bucket.inputs.bucket).to.equal("example-corp-prod-secure-data");
            expect(key.inputs.rotationPeriodInDays).to.equal(180);
            expect(key.inputs.deletionWindowInDays).to.equal(30);
            expect(one("aws:kms/alias:Alias").inputs.name).to.equal("alias/example-corp/prod/secure-data");
            expect(one(COMPONENT_TYPE).parent).to.equal(one(STACK_TYPE).urn);
        });
    });

    describe("with bad config", () => {
        it("fails naming the config key, and registers no SecureBucket", async () => {
            const config = { ...stackConfig("dev"), "secure-bucket:keyRotationPeriodInDays": "30" };
            pulumi.runtime.setAllConfig(config);
            let failure: unknown;
            try {
                await pulumi.runtime.runInPulumiStack(secureBucketInlineProgram);
            } catch (error) {
                failure = error;
            }
            await waitForRPCs();
            // runInPulumiStack also passes the error on through promises nobody awaits (the language
            // host would print it and fail the update): take exactly those.
            expect(await takeUnhandledRejections((reason) => reason === failure)).to.not.deep.equal([]);
            expect(failure).to.be.instanceOf(pulumi.RunError);
            expect((failure as Error).message).to.include("secure-bucket:keyRotationPeriodInDays: 30 must be from 90 to 2560");
            expect(recordedResources().map((r) => r.type)).to.not.include(COMPONENT_TYPE);
        });
    });
});
