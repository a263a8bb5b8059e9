import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as pulumiState from "@pulumi/pulumi/runtime/state";
import { parse } from "yaml";
import {
    PolicyDocument,
    PolicyStatement,
    SECURE_BUCKET_DEFAULTS,
    SECURE_BUCKET_TYPE,
    SecureBucketArgs,
    validateSecureBucketArgs,
} from "../components";
import { secureBucketProgram } from "../program/program";
import { CONFIG_KEYS, StackConfigError, parseStackConfig } from "../program/stackConfig";
import { PROJECT_DIR, stackConfig } from "./helpers/stackFile";
import { ACCOUNT_ID, PROJECT, RecordedResource, STACK, recordedResources, takeUnhandledRejections } from "./setup/pulumiMocks";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const DEV_ARGS: SecureBucketArgs = {
    region: "eu-west-1",
    administrators: ["arn:aws:iam::111111111111:role/platform-admin"],
    readers: ["arn:aws:iam::111111111111:role/app-dev", "arn:aws:iam::222222222222:role/analytics-reader"],
    writers: ["arn:aws:iam::111111111111:role/app-dev"],
    protect: false,
    keyDeletionWindowInDays: 7,
    noncurrentVersionExpirationDays: 30,
    tags: { environment: "dev", owner: "platform-team" },
};

const PROD_ARGS: SecureBucketArgs = {
    region: "us-east-1",
    bucketName: "example-corp-prod-secure-data",
    aliasName: "alias/example-corp/prod/secure-data",
    administrators: ["arn:aws:iam::333333333333:role/security/key-admin", "arn:aws:iam::333333333333:role/break-glass"],
    readers: ["arn:aws:iam::333333333333:role/app-prod", "arn:aws:iam::222222222222:role/analytics-reader"],
    writers: ["arn:aws:iam::333333333333:role/app-prod", "arn:aws:iam::333333333333:role/ingest/pipeline-writer"],
    minimumTlsVersion: "1.3",
    keyRotationPeriodInDays: 180,
    protect: true,
    tags: { environment: "prod", owner: "platform-team", "data-classification": "confidential" },
};

/** The error `parseStackConfig` throws; fails the test when it throws nothing or something else. */
function configError(config: Record<string, string>): StackConfigError {
    let thrown: unknown;
    try {
        parseStackConfig(config, "secure-bucket-dev");
    } catch (error) {
        thrown = error;
    }
    expect(thrown, "the error parseStackConfig throws").to.be.instanceOf(StackConfigError);
    return thrown as StackConfigError;
}

/** The dev stack's config with some keys replaced (a value) or removed (undefined). */
function devWith(changes: Record<string, string | undefined>): Record<string, string> {
    const config = { ...stackConfig("dev") };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    return config;
}

describe("stack config", () => {
    describe("parseStackConfig on the stack files", () => {
        it("turns Pulumi.dev.yaml into exactly the dev arguments", () => {
            expect(parseStackConfig(stackConfig("dev"), "secure-bucket-dev")).to.deep.equal(DEV_ARGS);
        });

        it("turns Pulumi.prod.yaml into exactly the prod arguments", () => {
            expect(parseStackConfig(stackConfig("prod"), "secure-bucket-prod")).to.deep.equal(PROD_ARGS);
        });

        it("ignores keys of other namespaces (aws:profile)", () => {
            expect(parseStackConfig({ ...stackConfig("dev"), "aws:profile": "sandbox" }, "secure-bucket-dev")).to.deep.equal(DEV_ARGS);
        });
    });

    describe("Pulumi.yaml", () => {
        interface Declaration {
            type?: string;
            default?: unknown;
        }
        const project = parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config?: Record<string, Declaration> };
        const declarations = Object.entries(project.config ?? {});
        const declaredKeys = declarations.map(([key]) => key);
        const withDefault = declarations.filter(([, declaration]) => "default" in declaration);

        it("declares this project's keys only", () => {
            expect(declaredKeys.filter((key) => !key.startsWith(`${PROJECT}:`))).to.deep.equal([]);
        });

        it("declares the component's default for every argument in SECURE_BUCKET_DEFAULTS", () => {
            for (const [argument, value] of Object.entries(SECURE_BUCKET_DEFAULTS)) {
                const declaration = project.config?.[`${PROJECT}:${argument}`];
                expect(declaration, `declaration of ${PROJECT}:${argument}`).not.to.equal(undefined);
                expect(declaration?.default, `default of ${PROJECT}:${argument}`).to.deep.equal(value);
            }
        });

        it("declares, for every key with a default, the value the component applies when the key is unset", () => {
            expect(withDefault.length).to.be.greaterThan(0);
            const applied = validateSecureBucketArgs("defaults", {}) as unknown as Record<string, unknown>;
            for (const [key, declaration] of withDefault) {
                const argument = key.slice(`${PROJECT}:`.length);
                if (argument in SECURE_BUCKET_DEFAULTS) {
                    expect(declaration.default, key).to.deep.equal(SECURE_BUCKET_DEFAULTS[argument as keyof typeof SECURE_BUCKET_DEFAULTS]);
                }
                expect(declaration.default, key).to.deep.equal(applied[argument]);
            }
        });

        it("gives every default the declared type", () => {
            const isOfType: Record<string, (value: unknown) => boolean> = {
                boolean: (value) => typeof value === "boolean",
                integer: (value) => Number.isInteger(value),
                string: (value) => typeof value === "string",
                array: (value) => Array.isArray(value),
            };
            for (const [key, declaration] of withDefault) {
                expect(Object.keys(isOfType), `type of ${key}`).to.include(declaration.type);
                expect(isOfType[declaration.type ?? ""](declaration.default), `default of ${key} is a ${declaration.type}`).to.equal(true);
            }
        });

        it("declares only keys the program reads (CONFIG_KEYS)", () => {
            const unread = declaredKeys.map((key) => key.slice(`${PROJECT}:`.length)).filter((key) => !CONFIG_KEYS.includes(key));
            expect(unread).to.deep.equal([]);
        });

        it("declares every key the program reads (CONFIG_KEYS)", () => {
            const undeclared = CONFIG_KEYS.filter((key) => !declaredKeys.includes(`${PROJECT}:${key}`));
            expect(undeclared, "keys the program reads that Pulumi.yaml does not declare").to.deep.equal([]);
        });
    });

    describe("rejects each bad value, naming the fully qualified key, its value and what is allowed", () => {
        interface BadConfig {
            title: string;
            changes: Record<string, string | undefined>;
            /** The fully qualified key the message names. */
            key: string;
            /** The value as the message shows it. */
            shown: string;
            /** A distinctive fragment of what the message says is allowed. */
            allowed: string;
        }
        const cases: BadConfig[] = [
            { title: "aws:region missing", changes: { "aws:region": undefined }, key: "aws:region", shown: "(not set)", allowed: "must be set to the stack's AWS region" },
            { title: "aws:region empty", changes: { "aws:region": "" }, key: "aws:region", shown: '""', allowed: "must be set to the stack's AWS region" },
            { title: 'aws:region "useast1"', changes: { "aws:region": "useast1" }, key: "aws:region", shown: '"useast1"', allowed: 'must be an AWS region name such as "us-east-1"' },
            {
                title: "readers a bare string, not a list",
                changes: { "secure-bucket:readers": "arn:aws:iam::111111111111:role/app-dev" },
                key: "secure-bucket:readers",
                shown: '"arn:aws:iam::111111111111:role/app-dev"',
                allowed: "must be a YAML list of principal ARNs",
            },
            {
                title: "readers a list holding a number",
                changes: { "secure-bucket:readers": '["arn:aws:iam::111111111111:role/app-dev",42]' },
                key: "secure-bucket:readers",
                shown: JSON.stringify('["arn:aws:iam::111111111111:role/app-dev",42]'),
                allowed: "must be a YAML list of principal ARNs",
            },
            {
                title: "readers holding a wildcard principal (a value the component refuses)",
                changes: { "secure-bucket:readers": '["arn:aws:iam::*:root"]' },
                key: "secure-bucket:readers[0]",
                shown: '"arn:aws:iam::*:root"',
                allowed: "must not contain wildcards ('*' or '?'): name each principal as arn:<partition>:iam::<12-digit account>:root",
            },
            { title: 'keyRotationPeriodInDays "abc"', changes: { "secure-bucket:keyRotationPeriodInDays": "abc" }, key: "secure-bucket:keyRotationPeriodInDays", shown: '"abc"', allowed: "must be a whole number from 90 to 2560" },
            { title: 'keyRotationPeriodInDays "365.5"', changes: { "secure-bucket:keyRotationPeriodInDays": "365.5" }, key: "secure-bucket:keyRotationPeriodInDays", shown: '"365.5"', allowed: "must be a whole number from 90 to 2560" },
            {
                title: 'keyRotationPeriodInDays "30" (out of range: the component\'s rule, under the config key)',
                changes: { "secure-bucket:keyRotationPeriodInDays": "30" },
                key: "secure-bucket:keyRotationPeriodInDays",
                shown: "30",
                allowed: "must be from 90 to 2560",
            },
            { title: 'protect "yes"', changes: { "secure-bucket:protect": "yes" }, key: "secure-bucket:protect", shown: '"yes"', allowed: "must be true or false" },
            { title: 'minimumTlsVersion "1.1"', changes: { "secure-bucket:minimumTlsVersion": "1.1" }, key: "secure-bucket:minimumTlsVersion", shown: '"1.1"', allowed: 'must be one of "1.2", "1.3"' },
            { title: "bucketName empty", changes: { "secure-bucket:bucketName": "" }, key: "secure-bucket:bucketName", shown: '""', allowed: "must be 3 to 63 characters long (is 0)" },
            { title: 'bucketName "Bad_Name"', changes: { "secure-bucket:bucketName": "Bad_Name" }, key: "secure-bucket:bucketName", shown: '"Bad_Name"', allowed: "must use only lowercase letters, digits and '-'" },
            {
                title: "tags a list instead of a map",
                changes: { "secure-bucket:tags": '["environment","dev"]' },
                key: "secure-bucket:tags",
                shown: JSON.stringify('["environment","dev"]'),
                allowed: "must be a YAML map of tag keys to string values",
            },
            {
                title: "a tag key starting with aws:",
                changes: { "secure-bucket:tags": '{"aws:team":"data"}' },
                key: "secure-bucket:tags.aws:team",
                shown: '"aws:team"',
                allowed: "tag keys must not start with 'aws:'",
            },
            {
                title: "an unknown key: secure-bucket:reader, a typo of readers",
                changes: { "secure-bucket:reader": '["arn:aws:iam::111111111111:role/app-dev"]' },
                key: "secure-bucket:reader",
                shown: JSON.stringify('["arn:aws:iam::111111111111:role/app-dev"]'),
                allowed: `is not a config key of this project; known: ${CONFIG_KEYS.join(", ")}`,
            },
        ];

        for (const c of cases) {
            it(c.title, () => {
                const error = configError(devWith(c.changes));
                expect(error.message).to.include("Invalid stack config:");
                expect(error.message, "names the key and shows the value").to.include(`  - ${c.key}: ${c.shown} `);
                expect(error.message, "says what is allowed").to.include(c.allowed);
                expect(error.problems, "one bad value, one problem").to.have.length(1);
                expect(error.problems[0].startsWith(`${c.key}: `), error.problems[0]).to.equal(true);
            });
        }

        it("the unknown key's message lists every known key", () => {
            const error = configError(devWith({ "secure-bucket:reader": "[]" }));
            for (const key of CONFIG_KEYS) expect(error.message).to.include(key);
            expect(CONFIG_KEYS).to.include("readers");
        });
    });

    describe("reports several problems at once", () => {
        /** Exactly one problem for each key, and no other problem. */
        function expectOneProblemPerKey(error: StackConfigError, keys: string[]): void {
            expect(error.problems).to.have.length(keys.length);
            for (const key of keys) expect(error.problems.filter((p) => p.startsWith(`${key}: `)), key).to.have.length(1);
        }

        it("several values of the wrong type, an unknown key and a missing region", () => {
            const error = configError(
                devWith({
                    "aws:region": undefined,
                    "secure-bucket:protect": "yes",
                    "secure-bucket:keyRotationPeriodInDays": "abc",
                    "secure-bucket:tags": "[]",
                    "secure-bucket:reader": "[]",
                }),
            );
            const keys = ["aws:region", "secure-bucket:protect", "secure-bucket:keyRotationPeriodInDays", "secure-bucket:tags", "secure-bucket:reader"];
            expectOneProblemPerKey(error, keys);
        });

        it("several values the component refuses", () => {
            const error = configError(
                devWith({
                    "secure-bucket:keyRotationPeriodInDays": "30",
                    "secure-bucket:bucketName": "Bad_Name",
                    "secure-bucket:readers": '["arn:aws:iam::*:root"]',
                }),
            );
            const keys = ["secure-bucket:keyRotationPeriodInDays", "secure-bucket:bucketName", "secure-bucket:readers[0]"];
            expectOneProblemPerKey(error, keys);
        });

        it("a value of the wrong type together with values the component refuses (every problem, of type or of value, at once)", () => {
            const error = configError(
                devWith({
                    "secure-bucket:protect": "yes",
                    "secure-bucket:keyRotationPeriodInDays": "30",
                    "secure-bucket:readers": '["arn:aws:iam::*:root"]',
                }),
            );
            const keys = ["secure-bucket:keyRotationPeriodInDays", "secure-bucket:protect", "secure-bucket:readers[0]"];
            expect(error.problems.map((p) => p.slice(0, p.indexOf(": "))).sort(), "the keys the problems name").to.deep.equal(keys);
        });
    });

    describe("the program under the mocks", () => {
        type StackResource = ReturnType<typeof pulumi.runtime.getStackResource>;
        /**
         * `runInPulumiStack` leaves its Stack as the global root resource, so every later resource in
         * this process would be parented to it. Pulumi's setter is internal (not in its .d.ts):
         * each run puts the previous root back.
         */
        const setStackResource = (pulumiState as unknown as { setStackResource(stack: StackResource): void }).setStackResource;

        /** The component name the program derives: `<project>-<stack>` of the mocks. */
        const NAME = `${PROJECT}-${STACK}`;

        afterEach(() => {
            pulumi.runtime.setAllConfig({});
        });

        /** Runs the program as `pulumi up` would, in a root Stack, with the given stack config. */
        async function runStack(config: Record<string, string>): Promise<Record<string, unknown>> {
            pulumi.runtime.setAllConfig(config);
            const previousRoot = pulumi.runtime.getStackResource();
            try {
                const outputs = await pulumi.runtime.runInPulumiStack(async () => secureBucketProgram());
                expect(outputs, "stack outputs").to.be.an("object");
                return outputs as Record<string, unknown>;
            } finally {
                setStackResource(previousRoot);
                expect(pulumi.runtime.getStackResource(), "root stack resource restored").to.equal(previousRoot);
            }
        }

        /** Waits until the last child in the dependsOn chain, the bucket policy, is registered. */
        async function allRegistered(): Promise<void> {
            const deadline = Date.now() + 10000;
            while (!recordedResources().some((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy") && Date.now() < deadline) await sleep(10);
            await tick();
        }

        function one(type: string): RecordedResource {
            const matches = recordedResources().filter((r) => r.type === type);
            expect(matches, `resources of type ${type}`).to.have.length(1);
            return matches[0];
        }

        function statement(policyJson: unknown, sid: string): PolicyStatement {
            expect(policyJson).to.be.a("string");
            const policy = JSON.parse(policyJson as string) as PolicyDocument;
            const found = policy.Statement.find((s) => s.Sid === sid);
            expect(found, `statement ${sid}`).not.to.equal(undefined);
            return found as PolicyStatement;
        }

        it("dev: resolves the stack outputs, builds the policies for eu-west-1 and leaves the key and bucket unprotected", async () => {
            const outputs = await runStack(stackConfig("dev"));
            await allRegistered();

            expect(Object.keys(outputs).sort()).to.deep.equal(["aliasArn", "aliasName", "bucketArn", "bucketName", "bucketPolicy", "keyArn", "keyId", "keyPolicy"]);
            expect(outputs.bucketName).to.be.a("string").and.match(new RegExp(`^${NAME}-`));
            expect(outputs.bucketArn).to.equal(`arn:aws:s3:::${outputs.bucketName as string}`);
            expect(outputs.keyArn).to.be.a("string").and.match(new RegExp(`^arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/`));
            expect(outputs.aliasName).to.equal(`alias/${NAME}`);

            const viaS3 = statement(outputs.keyPolicy, "AllowReadersDecryptThroughS3");
            expect(viaS3.Condition?.StringEquals?.["kms:ViaService"]).to.equal("s3.eu-west-1.amazonaws.com");
            expect(viaS3.Principal).to.deep.equal({ AWS: DEV_ARGS.readers });
            expect(statement(outputs.bucketPolicy, "AllowReaders").Principal).to.deep.equal({ AWS: DEV_ARGS.readers });
            expect(statement(outputs.bucketPolicy, "AllowWriters").Principal).to.deep.equal({ AWS: DEV_ARGS.writers });
            expect(statement(outputs.bucketPolicy, "DenyOutdatedTlsVersions").Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.2" } });

            const key = one("aws:kms/key:Key");
            expect(key.name).to.equal(`${NAME}-key`);
            expect(key.protect, "key protect").to.equal(false);
            expect(key.inputs.deletionWindowInDays).to.equal(7);
            expect(key.inputs.region).to.equal("eu-west-1");
            expect(key.inputs.tags).to.deep.equal(DEV_ARGS.tags);
            expect(key.inputs.policy).to.equal(outputs.keyPolicy);
            const bucket = one("aws:s3/bucket:Bucket");
            expect(bucket.protect, "bucket protect").to.equal(false);
            expect(bucket.inputs).not.to.have.property("bucket");
            expect(one("aws:s3/bucketPolicy:BucketPolicy").inputs.policy).to.equal(outputs.bucketPolicy);
            expect(recordedResources().filter((r) => r.type !== "pulumi:pulumi:Stack" && r.type !== SECURE_BUCKET_TYPE).map((r) => r.inputs.region)).to.deep.equal(
                Array(9).fill("eu-west-1"),
            );
        });

        it("prod: names the bucket example-corp-prod-secure-data, requires TLS 1.3 and protects the bucket and the key", async () => {
            const outputs = await runStack(stackConfig("prod"));
            await allRegistered();

            expect(outputs.bucketName).to.equal("example-corp-prod-secure-data");
            expect(outputs.aliasName).to.equal("alias/example-corp/prod/secure-data");
            expect(outputs.keyArn).to.be.a("string").and.match(new RegExp(`^arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/`));
            expect(statement(outputs.keyPolicy, "AllowWritersEncryptThroughS3").Condition?.StringEquals?.["kms:ViaService"]).to.equal("s3.us-east-1.amazonaws.com");
            expect(statement(outputs.bucketPolicy, "DenyOutdatedTlsVersions").Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.3" } });

            const bucket = one("aws:s3/bucket:Bucket");
            expect(bucket.inputs.bucket).to.equal("example-corp-prod-secure-data");
            expect(bucket.protect, "bucket protect").to.equal(true);
            const key = one("aws:kms/key:Key");
            expect(key.protect, "key protect").to.equal(true);
            expect(key.inputs.rotationPeriodInDays).to.equal(180);
            expect(key.inputs.deletionWindowInDays).to.equal(30);
            expect(one("aws:kms/alias:Alias").inputs.name).to.equal("alias/example-corp/prod/secure-data");
        });

        it("bad config in a stack: the run fails with a RunError naming the key, and nothing but the stack root is registered", async () => {
            let failure: unknown;
            try {
                await runStack(devWith({ "secure-bucket:protect": "yes" }));
            } catch (error) {
                failure = error;
            }
            expect(pulumi.RunError.isInstance(failure), `a RunError: ${String(failure)}`).to.equal(true);
            expect((failure as Error).message).to.include('secure-bucket:protect: "yes" must be true or false');

            // The Stack passes the program's error on through promises nobody awaits; those carry this
            // very error and are taken here. Anything else left unhandled fails the root guard.
            const passedOn = await takeUnhandledRejections((reason) => reason === failure);
            expect(passedOn, "the program's error, passed on by the Stack").to.not.deep.equal([]);

            expect(recordedResources().map((r) => r.type)).to.deep.equal(["pulumi:pulumi:Stack"]);
        });

        it("bad config, the program called directly: throws a RunError naming every bad key, before any resource", async () => {
            pulumi.runtime.setAllConfig(devWith({ "aws:region": "", "secure-bucket:keyRotationPeriodInDays": "abc" }));
            let failure: unknown;
            try {
                secureBucketProgram();
            } catch (error) {
                failure = error;
            }
            expect(pulumi.RunError.isInstance(failure), `a RunError: ${String(failure)}`).to.equal(true);
            const message = (failure as Error).message;
            expect(message).to.include('aws:region: "" must be set');
            expect(message).to.include('secure-bucket:keyRotationPeriodInDays: "abc" must be a whole number');
            await tick();
            expect(recordedResources()).to.deep.equal([]);
        });
    });
});
