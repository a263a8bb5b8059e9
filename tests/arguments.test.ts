import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { BUCKET_POLICY_SIDS, SecureBucket, SecureBucketArgs, SecureBucketArgumentError, validateSecureBucketArgs } from "../components";
import { built, failedRegistration, validationError } from "./helpers/components";
import { thrownBy } from "./helpers/errors";
import { valueOf } from "./helpers/outputs";
import { principalsOf, statement } from "./helpers/policies";
import { COMPONENT_TYPE } from "./helpers/resourceTypes";
import { recordedResources, registeredSoFar } from "./setup/pulumiMocks";

/** How every principal problem says what a principal must look like. */
const PRINCIPAL_FORMAT =
    "arn:<partition>:iam::<12-digit account>:root, :role/[path/]<name> or :user/[path/]<name>, where <partition> is aws or aws-<name> (aws-cn, aws-us-gov, aws-eusc, ...)";
const GOOD_ROLE = "arn:aws:iam::111111111111:role/app";
/** What the message of a region @pulumi/aws does not list says. */
const UNLISTED_REGION =
    'is not a region the installed @pulumi/aws lists (such as "us-east-1"); for a region newer than its list, upgrade @pulumi/aws or add the region to unlistedRegions';

const registeredTypes = (): string[] => recordedResources().map((r) => r.type);

describe("SecureBucket arguments", () => {
    describe("validateSecureBucketArgs refuses each bad argument with one problem that names it, shows its value and says what is allowed", () => {
        interface BadInput {
            title: string;
            /** Component name; "vault" unless the name itself is what is wrong. */
            name?: string;
            args: unknown;
            /** How the problem names the argument. */
            argument: string;
            /** The bad value as the problem shows it. */
            shown: string;
            /** A distinctive fragment of what the problem says is allowed. */
            allowed: string;
        }
        const cases: BadInput[] = [
            { title: "a bucket name too short", args: { bucketName: "ab" }, argument: "bucketName", shown: '"ab"', allowed: "must be 3 to 63 characters long (is 2)" },
            { title: "a bucket name too long", args: { bucketName: "a".repeat(64) }, argument: "bucketName", shown: `"${"a".repeat(64)}"`, allowed: "must be 3 to 63 characters long (is 64)" },
            { title: "a bucket name with uppercase letters", args: { bucketName: "Data-Bucket" }, argument: "bucketName", shown: '"Data-Bucket"', allowed: "must use only lowercase letters, digits and '-'" },
            { title: "a bucket name with an underscore", args: { bucketName: "data_bucket" }, argument: "bucketName", shown: '"data_bucket"', allowed: "must use only lowercase letters, digits and '-'" },
            { title: "a bucket name with dots", args: { bucketName: "data.example.com" }, argument: "bucketName", shown: '"data.example.com"', allowed: "must not contain '.'" },
            { title: "a bucket name starting with '-'", args: { bucketName: "-data-bucket" }, argument: "bucketName", shown: '"-data-bucket"', allowed: "must start and end with a lowercase letter or digit" },
            { title: "a bucket name shaped like an IPv4 address", args: { bucketName: "192.168.10.20" }, argument: "bucketName", shown: '"192.168.10.20"', allowed: "must not contain '.'" },
            { title: "a bucket name with the reserved prefix xn--", args: { bucketName: "xn--data-bucket" }, argument: "bucketName", shown: '"xn--data-bucket"', allowed: "must not start with 'xn--'" },
            { title: "a bucket name with the reserved suffix -s3alias", args: { bucketName: "data-bucket-s3alias" }, argument: "bucketName", shown: '"data-bucket-s3alias"', allowed: "must not end with '-s3alias'" },
            { title: "an empty bucket name", args: { bucketName: "" }, argument: "bucketName", shown: '""', allowed: "must be 3 to 63 characters long (is 0)" },
            {
                title: "a component name too long (56 characters) to auto-name the bucket from",
                name: "a".repeat(56),
                args: {},
                argument: "name",
                shown: `"${"a".repeat(56)}"`,
                allowed: "must be 1 to 55 characters long (is 56); or set bucketName",
            },
            { title: "an auto-naming component name with uppercase letters", name: "AppData", args: {}, argument: "name", shown: '"AppData"', allowed: "must use only lowercase letters, digits and '-'; or set bucketName" },
            { title: "an auto-naming component name with an underscore", name: "app_data", args: {}, argument: "name", shown: '"app_data"', allowed: "must use only lowercase letters, digits and '-'; or set bucketName" },
            { title: "an alias name without alias/", args: { aliasName: "data-key" }, argument: "aliasName", shown: '"data-key"', allowed: "must start with 'alias/'" },
            { title: "an alias name under the AWS-reserved alias/aws/", args: { aliasName: "alias/aws/data" }, argument: "aliasName", shown: '"alias/aws/data"', allowed: "must not start with 'alias/aws/'" },
            { title: "an alias name with forbidden characters", args: { aliasName: "alias/data key!" }, argument: "aliasName", shown: '"alias/data key!"', allowed: "must use only letters, digits, '/', '_' and '-'" },
            { title: "an alias name with nothing after alias/", args: { aliasName: "alias/" }, argument: "aliasName", shown: '"alias/"', allowed: "must name something after 'alias/'" },
            {
                title: "a principal with a wildcard",
                args: { readers: [GOOD_ROLE, "arn:aws:iam::111111111111:role/*"] },
                argument: "readers[1]",
                shown: '"arn:aws:iam::111111111111:role/*"',
                allowed: `must not contain wildcards ('*' or '?'): name each principal as ${PRINCIPAL_FORMAT}`,
            },
            {
                title: "an IAM group ARN as a principal",
                args: { writers: ["arn:aws:iam::111111111111:group/developers"] },
                argument: "writers[0]",
                shown: '"arn:aws:iam::111111111111:group/developers"',
                allowed: `is an IAM group, which a policy cannot name as a principal: name its roles or users (${PRINCIPAL_FORMAT})`,
            },
            {
                title: "an STS assumed-role session ARN as a principal",
                args: { administrators: ["arn:aws:sts::111111111111:assumed-role/x/session"] },
                argument: "administrators[0]",
                shown: '"arn:aws:sts::111111111111:assumed-role/x/session"',
                allowed: `use the role ARN (${PRINCIPAL_FORMAT})`,
            },
            { title: "an empty principal", args: { readers: [""] }, argument: "readers[0]", shown: '""', allowed: `must not be empty: ${PRINCIPAL_FORMAT}` },
            { title: "a bare account id as a principal", args: { readers: ["111111111111"] }, argument: "readers[0]", shown: '"111111111111"', allowed: `must be a principal ARN: ${PRINCIPAL_FORMAT}` },
            {
                title: "a malformed principal ARN (an 11-digit account)",
                args: { writers: [GOOD_ROLE, "arn:aws:iam::11111111111:root"] },
                argument: "writers[1]",
                shown: '"arn:aws:iam::11111111111:root"',
                allowed: `must be a principal ARN: ${PRINCIPAL_FORMAT}`,
            },
            {
                title: "a role path longer than IAM's 512 characters",
                args: { readers: [`arn:aws:iam::111111111111:role/${"p/".repeat(256)}reader`] },
                argument: "readers[0]",
                shown: JSON.stringify(`arn:aws:iam::111111111111:role/${"p/".repeat(256)}reader`.slice(0, 117) + "..."),
                allowed: "has a path longer than IAM's 512 characters",
            },
            {
                title: "an account root as an administrator (it would exempt only the root user from the deletion guard)",
                args: { administrators: ["arn:aws:iam::111111111111:root"] },
                argument: "administrators[0]",
                shown: '"arn:aws:iam::111111111111:root"',
                allowed: "is an account root, which as an administrator would exempt only the root user from the key's deletion guard",
            },
            {
                title: "an administrator whose IAM path holds '${' (the deletion guard would read a policy variable)",
                args: { administrators: ["arn:aws:iam::111111111111:role/${aws:username}/key-admin"] },
                argument: "administrators[0]",
                shown: '"arn:aws:iam::111111111111:role/${aws:username}/key-admin"',
                allowed: "holds '*', '?' or '${', which the key's deletion guard (ArnNotEquals aws:PrincipalArn) would read as a wildcard or a policy variable",
            },
            {
                title: "readers that are not a list",
                args: { readers: "arn:aws:iam::111111111111:root" },
                argument: "readers",
                shown: '"arn:aws:iam::111111111111:root"',
                allowed: "must be a list of principal ARNs",
            },
            { title: "a key rotation period of 89 days", args: { keyRotationPeriodInDays: 89 }, argument: "keyRotationPeriodInDays", shown: "89", allowed: "must be from 90 to 2560" },
            { title: "a key rotation period of 2561 days", args: { keyRotationPeriodInDays: 2561 }, argument: "keyRotationPeriodInDays", shown: "2561", allowed: "must be from 90 to 2560" },
            { title: "a key rotation period of 365.5 days", args: { keyRotationPeriodInDays: 365.5 }, argument: "keyRotationPeriodInDays", shown: "365.5", allowed: "must be a whole number from 90 to 2560" },
            { title: "a key deletion window of 6 days", args: { keyDeletionWindowInDays: 6 }, argument: "keyDeletionWindowInDays", shown: "6", allowed: "must be from 7 to 30" },
            { title: "a key deletion window of 31 days", args: { keyDeletionWindowInDays: 31 }, argument: "keyDeletionWindowInDays", shown: "31", allowed: "must be from 7 to 30" },
            { title: 'minimum TLS version "1.1"', args: { minimumTlsVersion: "1.1" }, argument: "minimumTlsVersion", shown: '"1.1"', allowed: 'must be one of "1.2", "1.3"' },
            { title: "minimum TLS version 1.2 as a number", args: { minimumTlsVersion: 1.2 }, argument: "minimumTlsVersion", shown: "1.2", allowed: 'must be one of "1.2", "1.3"' },
            { title: "aborting incomplete multipart uploads after 0 days", args: { abortIncompleteMultipartUploadDays: 0 }, argument: "abortIncompleteMultipartUploadDays", shown: "0", allowed: "must be from 1 to 36500" },
            { title: "expiring noncurrent versions after -1 days", args: { noncurrentVersionExpirationDays: -1 }, argument: "noncurrentVersionExpirationDays", shown: "-1", allowed: "must be from 1 to 36500" },
            { title: 'forceDestroy as the string "true" (a JavaScript caller)', args: { forceDestroy: "true" }, argument: "forceDestroy", shown: '"true"', allowed: "must be true or false" },
            { title: 'region "useast1"', args: { region: "useast1" }, argument: "region", shown: '"useast1"', allowed: UNLISTED_REGION },
            { title: 'region "eu-west-9", shaped like a region but not one', args: { region: "eu-west-9" }, argument: "region", shown: '"eu-west-9"', allowed: UNLISTED_REGION },
            { title: 'region "mars-north-1"', args: { region: "mars-north-1" }, argument: "region", shown: '"mars-north-1"', allowed: UNLISTED_REGION },
            {
                title: "unlistedRegions holding a name that is not shaped like a region",
                args: { unlistedRegions: ["eu west 9"] },
                argument: "unlistedRegions[0]",
                shown: '"eu west 9"',
                allowed: 'must be an AWS region name such as "us-east-1"',
            },
            { title: "a tag key starting with aws:", args: { tags: { team: "data", "aws:x": "y" } }, argument: "tags.aws:x", shown: '"aws:x"', allowed: "tag keys must not start with 'aws:'" },
            {
                title: "51 tags (AWS allows 50 per resource)",
                args: { tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`tag-${i}`, "x"])) },
                argument: "tags",
                shown: "51",
                allowed: "is more tags than AWS allows on one resource (at most 50)",
            },
            {
                title: "a tag key of 129 characters",
                args: { tags: { ["k".repeat(129)]: "x" } },
                argument: `tags.${"k".repeat(129)}`,
                shown: JSON.stringify("k".repeat(117) + "..."),
                allowed: "tag keys must be 1 to 128 characters long (is 129)",
            },
            { title: "a tag key with a character AWS refuses (#)", args: { tags: { "team#1": "x" } }, argument: "tags.team#1", shown: '"team#1"', allowed: "tag keys must use only letters, digits, spaces and _ . : / = + - @" },
            {
                title: "an unknown argument (reader, a typo of readers): every known argument listed, in the table's order",
                args: { reader: [GOOD_ROLE] },
                argument: "reader",
                shown: JSON.stringify([GOOD_ROLE]),
                allowed:
                    "is not an argument of SecureBucket; known: administrators, readers, writers, bucketName, aliasName, region, unlistedRegions, accessLogs, objectLock, " +
                    "bucketKeyEnabled, versioning, keyRotationPeriodInDays, keyDeletionWindowInDays, minimumTlsVersion, abortIncompleteMultipartUploadDays, " +
                    "noncurrentVersionExpirationDays, forceDestroy, protect, eventBridge, transitions, noncurrentVersionTransitions, cloudFrontDistributions, tags",
            },
        ];

        for (const c of cases) {
            it(c.title, () => {
                const name = c.name ?? "vault";
                const error = validationError(name, c.args);
                expect(error.problems, "one bad argument, one problem").to.have.length(1);
                const [problem] = error.problems;
                const namedAndShown = `${c.argument}: ${c.shown} `;
                expect(problem.slice(0, namedAndShown.length), "names the argument and shows the value").to.equal(namedAndShown);
                expect(problem, "says what is allowed").to.include(c.allowed);
                expect(error.message).to.equal(`Invalid arguments for SecureBucket "${name}":\n  - ${problem}`);
            });
        }
    });

    it("validateSecureBucketArgs reports several bad arguments together in one error, one problem each", () => {
        const error = validationError("vault", {
            bucketName: "Bad_Name",
            aliasName: "data-key",
            readers: [GOOD_ROLE, "arn:aws:iam::*:root"],
            keyRotationPeriodInDays: 30,
            minimumTlsVersion: "1.0",
            forceDestroy: "yes",
            tags: { "aws:team": "data" },
            reader: [],
        });
        const named = error.problems.map((p) => p.slice(0, p.indexOf(": ")));
        expect(named).to.have.members(["reader", "readers[1]", "bucketName", "aliasName", "tags.aws:team", "keyRotationPeriodInDays", "minimumTlsVersion", "forceDestroy"]);
        for (const problem of error.problems) expect(error.message).to.include(`\n  - ${problem}`);
        expect(error.problems).to.include("keyRotationPeriodInDays: 30 must be from 90 to 2560");
        expect(error.problems).to.include(`readers[1]: "arn:aws:iam::*:root" must not contain wildcards ('*' or '?'): name each principal as ${PRINCIPAL_FORMAT}`);
    });

    it("validateSecureBucketArgs accepts what AWS accepts: an aws-eusc principal, region eusc-de-east-1, paths with '!' and '~', a tag key of 128 letters beyond the BMP", () => {
        const emojiKey = "\u{1D49C}".repeat(128); // 128 letters (MATHEMATICAL SCRIPT CAPITAL A), 256 UTF-16 units
        const args: SecureBucketArgs = {
            region: "eusc-de-east-1",
            administrators: ["arn:aws-eusc:iam::111111111111:role/ops!/key-admin"],
            readers: ["arn:aws-eusc:iam::111111111111:role/reader", "arn:aws-iso-b:iam::111111111111:user/x", "arn:aws:iam::111111111111:role/a/b!c~/reader"],
            tags: { [emojiKey]: "v".repeat(256), "owner name": "Zoë Ñandú" },
        };
        expect(validateSecureBucketArgs("sovereign", args)).to.deep.include(args);
    });

    it("validateSecureBucketArgs accepts the regions @pulumi/aws 7.14.0 lacks that the offline engine knows (ap-southeast-6, us-isob-west-1, us-isof-*), and a newer one named in unlistedRegions", () => {
        for (const region of ["ap-southeast-6", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1"]) {
            expect(validateSecureBucketArgs("vault", { region }).region, region).to.equal(region);
        }
        expect(validateSecureBucketArgs("vault", { region: "eu-west-9", unlistedRegions: ["eu-west-9"] }).region).to.equal("eu-west-9");
    });

    describe("the component", () => {
        it("a bad plain value: the construction throws the validator's error and registers nothing", async () => {
            const args = { bucketName: "Bad_Name" };
            const error = thrownBy(SecureBucketArgumentError, () => new SecureBucket("plain-bad", args));
            expect(error.message).to.equal(validationError("plain-bad", args).message);
            expect(await registeredSoFar()).to.deep.equal([]);
        });

        const resolving: [string, string, SecureBucketArgs, SecureBucketArgs][] = [
            ["a bucket name arriving as an Output", "output-bucket-name", { bucketName: pulumi.output("Bad_Name") }, { bucketName: "Bad_Name" }],
            ["a tag value arriving as a Promise", "promise-tag", { tags: { owner: Promise.resolve("team#1") } }, { tags: { owner: "team#1" } }],
        ];
        for (const [title, name, args, plain] of resolving) {
            it(`${title}: checked when it resolves, with the plain value's message, and nothing but the component is registered`, async () => {
                const { error } = await failedRegistration(name, args);
                const plainError = validationError(name, plain);
                expect(error.problems).to.deep.equal(plainError.problems);
                expect(error.message).to.include(plainError.message);
                expect(registeredTypes()).to.deep.equal([COMPONENT_TYPE]);
            });
        }

        describe("refuses at deploy time what only the deployment can tell, registering nothing but the component", () => {
            it("an administrator of another account: names administrators and KMS's rule", async () => {
                const foreign = "arn:aws:iam::222222222222:role/key-admin";
                const { error } = await failedRegistration("foreign-admin", { administrators: ["arn:aws:iam::111111111111:role/key-admin", foreign] });
                expect(error.problems).to.have.length(1);
                const refusal = `administrators[1]: "${foreign}" is in account 222222222222, not in the key's account 111111111111`;
                expect(error.problems[0].slice(0, refusal.length)).to.equal(refusal);
                expect(error.problems[0]).to.include("Allowing users in other accounts to use a KMS key");
                expect(registeredTypes()).to.deep.equal([COMPONENT_TYPE]);
            });

            it("a reader of another partition, arriving as an Output: names readers and the partitions", async () => {
                const { error } = await failedRegistration("other-partition", { readers: [pulumi.output("arn:aws-cn:iam::111111111111:role/reader")] });
                expect(error.problems).to.deep.equal([
                    'readers[0]: "arn:aws-cn:iam::111111111111:role/reader" is in partition aws-cn, but the key and the bucket are in partition aws: no permission crosses partitions',
                ]);
                expect(registeredTypes()).to.deep.equal([COMPONENT_TYPE]);
            });
        });

        describe("registers all ten resources for good values", () => {
            it("every argument given: roles and users with paths (one with '!'), an account root, principals of other accounts", async () => {
                const readers = [
                    "arn:aws:iam::111111111111:role/team/app/reader",
                    "arn:aws:iam::111111111111:user/alice",
                    "arn:aws:iam::222222222222:root",
                    "arn:aws:iam::333333333333:role/partner/reader",
                ];
                const writers = ["arn:aws:iam::111111111111:role/ingest/pipeline-writer", "arn:aws:iam::111111111111:user/batch.writer@example"];
                const args: Required<SecureBucketArgs> = {
                    administrators: ["arn:aws:iam::111111111111:role/security/key-admin", "arn:aws:iam::111111111111:user/ops!/oncall"],
                    readers,
                    writers,
                    bucketName: "example-valid-data-1",
                    aliasName: "alias/example/valid_data-1",
                    region: "eu-west-1",
                    unlistedRegions: [],
                    bucketKeyEnabled: false,
                    versioning: true,
                    keyRotationPeriodInDays: 180,
                    keyDeletionWindowInDays: 14,
                    minimumTlsVersion: "1.3",
                    abortIncompleteMultipartUploadDays: 3,
                    noncurrentVersionExpirationDays: 90,
                    forceDestroy: false,
                    protect: true,
                    tags: { environment: "test", "cost-center": "1234", owner: pulumi.output("platform-team") },
                    accessLogs: { bucket: "example.access-logs", prefix: pulumi.output("valid-data/") },
                    objectLock: { mode: "GOVERNANCE", years: 1 },
                    eventBridge: true,
                    transitions: [
                        { days: 30, storageClass: "STANDARD_IA" },
                        { days: 60, storageClass: "GLACIER" },
                        { days: 180, storageClass: "DEEP_ARCHIVE" },
                    ],
                    noncurrentVersionTransitions: [{ days: 0, storageClass: "GLACIER_IR" }],
                    cloudFrontDistributions: ["arn:aws:cloudfront::111111111111:distribution/E2QWRUHAPOMQZL"],
                    extraBucketPolicyStatements: [
                        {
                            Sid: "PartnerReadsReports",
                            Effect: "Allow",
                            Principal: { AWS: ["arn:aws:iam::444444444444:role/reports"] },
                            Action: ["s3:GetObject"],
                            Resource: ["arn:aws:s3:::example-valid-data-1/reports/*"],
                        },
                    ],
                    adoptExisting: { replace: ["bucketPolicy", "lifecycle", "notifications", "logging"], retainOnDelete: true },
                };
                const sb = await built("valid-data", args);
                // The component, its nine children, and the access logging, Object Lock and notifications.
                expect(recordedResources()).to.have.length(13);
                const bucketPolicy = await valueOf(sb.bucketPolicy);
                expect(principalsOf(statement(bucketPolicy, BUCKET_POLICY_SIDS.allowReaders))).to.deep.equal(readers);
                expect(principalsOf(statement(bucketPolicy, BUCKET_POLICY_SIDS.allowWriters))).to.deep.equal(writers);
                expect(await valueOf(sb.bucketName)).to.equal("example-valid-data-1");
            });

            const extremes: [string, string, SecureBucketArgs, string][] = [
                [
                    "every number at its lowest, a 3-character bucket name, empty principal lists and no tags",
                    "bounds-low",
                    { keyRotationPeriodInDays: 90, keyDeletionWindowInDays: 7, abortIncompleteMultipartUploadDays: 1, noncurrentVersionExpirationDays: 1, bucketName: "a-1", administrators: [], readers: [], writers: [], tags: {} },
                    "a-1",
                ],
                [
                    "every number at its highest (lifecycle periods of a hundred years) and a 63-character bucket name",
                    "bounds-high",
                    { keyRotationPeriodInDays: 2560, keyDeletionWindowInDays: 30, abortIncompleteMultipartUploadDays: 36500, noncurrentVersionExpirationDays: 36500, bucketName: `b${"-0".repeat(31)}` },
                    `b${"-0".repeat(31)}`,
                ],
                ["no bucket name and a 55-character component name: the bucket is auto-named with 63 characters", "c".repeat(55), {}, `${"c".repeat(55)}-xxxxxxx`],
            ];
            for (const [title, name, args, bucketName] of extremes) {
                it(title, async () => {
                    const sb = await built(name, args);
                    expect(recordedResources()).to.have.length(10);
                    expect(await valueOf(sb.bucketName)).to.equal(bucketName);
                });
            }
        });
    });
});
