/**
 * Reading stack config (program/stackConfig.ts): the example stack files become exactly their
 * arguments, and every bad value is reported with its fully qualified key, its value and what is
 * allowed. No program runs here: tests/program.test.ts runs it.
 *
 * That Pulumi.yaml declares each key the program reads, with its type and default, is checked by
 * tests/pulumiYaml.test.ts (the file is generated from the arguments' declarations); this file keeps
 * the one check generation does not make: a declared default reads back as the value it stands for.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import type { SecureBucketArgs } from "../components/secureBucketArgs";
import { validateSecureBucketArgs } from "../components/validateArgs";
import { CONFIG_KEYS, parseStackConfig, PROJECT, StackConfigError } from "../program/stackConfig";
import { thrownBy } from "./helpers/errors";
import { stackConfigWith } from "./helpers/program";
import { PROJECT_DIR, stackConfig } from "./helpers/stackFile";

const DEV_ARGS: SecureBucketArgs = {
    region: "eu-west-1",
    administrators: ["arn:aws:iam::111111111111:role/platform-admin"],
    readers: ["arn:aws:iam::111111111111:role/app-dev", "arn:aws:iam::222222222222:role/analytics-reader"],
    writers: ["arn:aws:iam::111111111111:role/app-dev"],
    protect: false,
    keyDeletionWindowInDays: 7,
    noncurrentVersionExpirationDays: 30,
    tags: { environment: "dev", owner: "platform-team" },
    accessLogs: { bucket: "example-corp-dev-access-logs" },
    eventBridge: true,
    transitions: [
        { days: 30, storageClass: "STANDARD_IA" },
        { days: 90, storageClass: "GLACIER_IR" },
    ],
    noncurrentVersionTransitions: [{ days: 7, storageClass: "GLACIER_IR" }],
    cloudFrontDistributions: ["arn:aws:cloudfront::111111111111:distribution/E2EXAMPLEDEV01"],
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
    objectLock: { mode: "GOVERNANCE", days: 30 },
};

const COMPONENT_NAME = "secure-bucket-dev";

/** The error `parseStackConfig` throws for the dev stack's config with `changes`. */
function configError(changes: Record<string, string | undefined>): StackConfigError {
    return thrownBy(StackConfigError, () => parseStackConfig(stackConfigWith("dev", changes), COMPONENT_NAME));
}

describe("stack config: parseStackConfig", () => {
    describe("on the stack files", () => {
        it("turns Pulumi.dev.yaml into exactly the dev arguments", () => {
            expect(parseStackConfig(stackConfig("dev"), "secure-bucket-dev")).to.deep.equal(DEV_ARGS);
        });

        it("turns Pulumi.prod.yaml into exactly the prod arguments", () => {
            expect(parseStackConfig(stackConfig("prod"), "secure-bucket-prod")).to.deep.equal(PROD_ARGS);
        });

        it("leaves keys of other namespaces (aws:allowedAccountIds, aws:profile) to their owners", () => {
            expect(stackConfig("dev")).to.have.property("aws:allowedAccountIds");
            expect(parseStackConfig({ ...stackConfig("dev"), "aws:profile": "sandbox" }, COMPONENT_NAME)).to.deep.equal(DEV_ARGS);
        });

        it("reads an aws:region newer than @pulumi/aws's list when secure-bucket:unlistedRegions names it", () => {
            const args = parseStackConfig(stackConfigWith("dev", { "aws:region": "eu-west-9", "secure-bucket:unlistedRegions": '["eu-west-9"]' }), COMPONENT_NAME);
            expect(args).to.deep.equal({ ...DEV_ARGS, region: "eu-west-9", unlistedRegions: ["eu-west-9"] });
        });

        it("leaves a user program's own namespaces alone, even ones that hold our argument names or resemble ours (secure-backup:, secure-bucket-app:)", () => {
            const own = { "myapp:readers": "[]", "secure-backup:writers": "[]", "secure-bucket-app:readers": "[]" };
            expect(parseStackConfig({ ...stackConfig("dev"), ...own }, COMPONENT_NAME)).to.deep.equal(DEV_ARGS);
        });

        it("reads each default Pulumi.yaml declares, as Pulumi hands it to the program, as the value the component applies when the key is unset", () => {
            const declarations = (parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as { config: Record<string, { type?: string; default?: unknown }> }).config;
            const defaults = Object.entries(declarations).filter(([, declaration]) => "default" in declaration);
            expect(defaults.map(([key]) => key)).to.include.members([`${PROJECT}:protect`, `${PROJECT}:readers`, `${PROJECT}:minimumTlsVersion`]);
            const isOfType: Record<string, (value: unknown) => boolean> = {
                boolean: (value) => typeof value === "boolean",
                integer: (value) => Number.isInteger(value),
                string: (value) => typeof value === "string",
                array: (value) => Array.isArray(value),
            };
            const config: Record<string, string> = { "aws:region": "eu-west-1" };
            for (const [key, { type, default: value }] of defaults) {
                expect(isOfType[type ?? ""]?.(value), `the default of ${key} is a ${type}`).to.equal(true);
                config[key] = typeof value === "string" ? value : JSON.stringify(value);
            }
            const read = parseStackConfig(config, COMPONENT_NAME) as Record<string, unknown>;
            const applied = validateSecureBucketArgs(COMPONENT_NAME, {}) as Record<string, unknown>;
            for (const [key] of defaults) {
                const argument = key.slice(`${PROJECT}:`.length);
                expect(read[argument], key).to.deep.equal(applied[argument]);
            }
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
            /** What the message says is allowed. */
            allowed: string;
        }
        const region = "must be set to the stack's AWS region";
        const UNLISTED_REGION =
            'is not a region the installed @pulumi/aws lists (such as "us-east-1"); for a region newer than its list, upgrade @pulumi/aws or add the region to secure-bucket:unlistedRegions';
        const principals = "must be a YAML list of principal ARNs";
        const wholeNumber = "must be a whole number from 90 to 2560";
        const cases: BadConfig[] = [
            { title: "aws:region missing", changes: { "aws:region": undefined }, key: "aws:region", shown: "(not set)", allowed: region },
            { title: "aws:region empty", changes: { "aws:region": "" }, key: "aws:region", shown: '""', allowed: region },
            { title: 'aws:region "useast1"', changes: { "aws:region": "useast1" }, key: "aws:region", shown: '"useast1"', allowed: UNLISTED_REGION },
            { title: 'aws:region "mars-north-1"', changes: { "aws:region": "mars-north-1" }, key: "aws:region", shown: '"mars-north-1"', allowed: UNLISTED_REGION },
            { title: 'aws:region "eu-west-9"', changes: { "aws:region": "eu-west-9" }, key: "aws:region", shown: '"eu-west-9"', allowed: UNLISTED_REGION },
            {
                title: "readers a bare string, not a list",
                changes: { "secure-bucket:readers": "arn:aws:iam::111111111111:role/app-dev" },
                key: "secure-bucket:readers",
                shown: '"arn:aws:iam::111111111111:role/app-dev"',
                allowed: principals,
            },
            {
                title: "readers a list holding a number",
                changes: { "secure-bucket:readers": '["arn:aws:iam::111111111111:role/app-dev",42]' },
                key: "secure-bucket:readers",
                shown: JSON.stringify('["arn:aws:iam::111111111111:role/app-dev",42]'),
                allowed: principals,
            },
            {
                title: "readers holding a wildcard principal (a value the component refuses)",
                changes: { "secure-bucket:readers": '["arn:aws:iam::*:root"]' },
                key: "secure-bucket:readers[0]",
                shown: '"arn:aws:iam::*:root"',
                allowed: "must not contain wildcards ('*' or '?'): name each principal as arn:<partition>:iam::<12-digit account>:root",
            },
            { title: 'keyRotationPeriodInDays "abc"', changes: { "secure-bucket:keyRotationPeriodInDays": "abc" }, key: "secure-bucket:keyRotationPeriodInDays", shown: '"abc"', allowed: wholeNumber },
            { title: 'keyRotationPeriodInDays "365.5"', changes: { "secure-bucket:keyRotationPeriodInDays": "365.5" }, key: "secure-bucket:keyRotationPeriodInDays", shown: '"365.5"', allowed: wholeNumber },
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
                title: "objectLock COMPLIANCE without the acknowledgement: the message names the key path the flag goes to",
                changes: { "secure-bucket:objectLock": '{"mode":"COMPLIANCE","years":7}' },
                key: "secure-bucket:objectLock.acknowledgeComplianceCannotBeUndone",
                shown: "(not set)",
                allowed: 'must be true to use mode "COMPLIANCE"',
            },
            {
                title: "a tag key starting with aws:",
                changes: { "secure-bucket:tags": '{"aws:team":"data"}' },
                key: "secure-bucket:tags.aws:team",
                shown: '"aws:team"',
                allowed: "tag keys must not start with 'aws:'",
            },
            {
                title: "an unknown key: secure-bucket:reader, a typo of readers, with every known key listed",
                changes: { "secure-bucket:reader": '["arn:aws:iam::111111111111:role/app-dev"]' },
                key: "secure-bucket:reader",
                shown: JSON.stringify('["arn:aws:iam::111111111111:role/app-dev"]'),
                allowed: `is not a config key of this project; did you mean \`readers\`? Known: ${CONFIG_KEYS.join(", ")}`,
            },
            {
                title: "an unknown key near no known one: secure-bucket:colour, with every known key listed and no guess",
                changes: { "secure-bucket:colour": "blue" },
                key: "secure-bucket:colour",
                shown: '"blue"',
                allowed: `is not a config key of this project; known: ${CONFIG_KEYS.join(", ")}`,
            },
            {
                title: "secure-bucket:region, which is aws:region: the suggestion is the key of the other namespace",
                changes: { "secure-bucket:region": "eu-west-1" },
                key: "secure-bucket:region",
                shown: '"eu-west-1"',
                allowed: "is not a config key of this project; did you mean `aws:region`?",
            },
            {
                title: "a key in a near-miss namespace of this project's own: securebucket:writers",
                changes: { "securebucket:writers": '["arn:aws:iam::111111111111:role/app-dev"]' },
                key: "securebucket:writers",
                shown: JSON.stringify('["arn:aws:iam::111111111111:role/app-dev"]'),
                allowed: 'is not read: its namespace "securebucket" is not this project\'s, "secure-bucket"; did you mean `secure-bucket:writers`?',
            },
            {
                title: "a near-miss namespace and a misspelt name: Secure_Bucket:reader",
                changes: { "Secure_Bucket:reader": "[]" },
                key: "Secure_Bucket:reader",
                shown: '"[]"',
                allowed: 'is not read: its namespace "Secure_Bucket" is not this project\'s, "secure-bucket"; did you mean `secure-bucket:readers`?',
            },
        ];

        for (const c of cases) {
            it(c.title, () => {
                const error = configError(c.changes);
                expect(error.message).to.include("Invalid stack config:");
                expect(error.message, "names the key and shows the value").to.include(`  - ${c.key}: ${c.shown} `);
                expect(error.message, "says what is allowed").to.include(c.allowed);
                expect(error.problems, "one bad value, one problem").to.have.length(1);
                expect(error.problems[0].startsWith(`${c.key}: `), error.problems[0]).to.equal(true);
            });
        }

        it("CONFIG_KEYS, which the unknown key's message lists, are every argument the project's own keys carry", () => {
            expect(CONFIG_KEYS).to.include.members(["administrators", "readers", "writers", "bucketName", "protect", "tags"]);
            expect(CONFIG_KEYS, "the region is aws:region, not a key of this project").not.to.include("region");
        });
    });

    describe("reports several problems at once: exactly one for each bad key, and no other", () => {
        const cases: { title: string; changes: Record<string, string | undefined>; keys: string[] }[] = [
            {
                title: "several values of the wrong type, an unknown key and a missing region",
                changes: {
                    "aws:region": undefined,
                    "secure-bucket:protect": "yes",
                    "secure-bucket:keyRotationPeriodInDays": "abc",
                    "secure-bucket:tags": "[]",
                    "secure-bucket:reader": "[]",
                },
                keys: ["aws:region", "secure-bucket:keyRotationPeriodInDays", "secure-bucket:protect", "secure-bucket:reader", "secure-bucket:tags"],
            },
            {
                title: "several values the component refuses",
                changes: { "secure-bucket:keyRotationPeriodInDays": "30", "secure-bucket:bucketName": "Bad_Name", "secure-bucket:readers": '["arn:aws:iam::*:root"]' },
                keys: ["secure-bucket:bucketName", "secure-bucket:keyRotationPeriodInDays", "secure-bucket:readers[0]"],
            },
            {
                title: "a value of the wrong type together with values the component refuses (every problem, of type or of value, at once)",
                changes: { "secure-bucket:protect": "yes", "secure-bucket:keyRotationPeriodInDays": "30", "secure-bucket:readers": '["arn:aws:iam::*:root"]' },
                keys: ["secure-bucket:keyRotationPeriodInDays", "secure-bucket:protect", "secure-bucket:readers[0]"],
            },
        ];
        for (const c of cases) {
            it(c.title, () => {
                const error = configError(c.changes);
                expect(error.problems.map((p) => p.slice(0, p.indexOf(": "))).sort(), "the keys the problems name").to.deep.equal(c.keys);
            });
        }
    });
});
