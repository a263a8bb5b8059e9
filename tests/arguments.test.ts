import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { PolicyDocument, SECURE_BUCKET_TYPE, SecureBucket, SecureBucketArgs, SecureBucketArgumentError, validateSecureBucketArgs } from "../components";
import { registered, valueOf } from "./helpers/outputs";
import { expectRejection, recordedResources, takeUnhandledRejections } from "./setup/pulumiMocks";

/** Lets any work the construction queued run before the test looks at what was registered. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How every principal problem says what a principal must look like. */
const PRINCIPAL_FORMAT = "arn:<partition>:iam::<12-digit account>:root, :role/[path/]<name> or :user/[path/]<name>, where <partition> is aws or aws-<name> (aws-cn, aws-us-gov, aws-eusc, ...)";

/** The error `new SecureBucket(name, args)` throws; fails the test when it throws nothing or something else. */
function constructionError(name: string, args: unknown): SecureBucketArgumentError {
    let thrown: unknown;
    try {
        new SecureBucket(name, args as SecureBucketArgs);
    } catch (error) {
        thrown = error;
    }
    expect(thrown, "the error the construction throws").to.be.instanceOf(SecureBucketArgumentError);
    return thrown as SecureBucketArgumentError;
}

/** What an Output rejects with, read the way the engine reads it when it serialises a resource's inputs. */
async function rejectionOf<T>(output: pulumi.Output<T>): Promise<unknown> {
    try {
        // `promise()` is internal to Pulumi's Output (no public API exposes a rejection); the policy size tests read it the same way.
        const value = await (output as unknown as { promise(): Promise<T> }).promise();
        expect.fail(`the output resolved to ${JSON.stringify(value)} instead of rejecting`);
    } catch (error) {
        return error;
    }
}

/** Every child of a SecureBucket, to wait until all of them are registered. */
function everyResource(sb: SecureBucket): pulumi.Resource[] {
    return [sb, sb.key, sb.alias, sb.bucket, sb.ownershipControls, sb.publicAccessBlock, sb.encryption, sb.versioning, sb.lifecycle, sb.policy];
}

describe("SecureBucket argument validation", () => {
    /**
     * Waits for the registration failures of the component `componentName` (its argument errors,
     * reported as unhandled rejections), until they and the registrations stop arriving; takes them
     * so the afterEach guard does not count them as leaks.
     */
    async function registrationFailures(componentName: string): Promise<SecureBucketArgumentError[]> {
        const ours = (reason: unknown): reason is SecureBucketArgumentError =>
            reason instanceof SecureBucketArgumentError && reason.message.includes(`SecureBucket "${componentName}"`);
        // Wait for the registrations to stop arriving too: a failure must not be followed by more children.
        let registrations = -1;
        while (registrations !== recordedResources().length) {
            registrations = recordedResources().length;
            await sleep(250);
        }
        return (await takeUnhandledRejections(ours)).filter(ours);
    }

    describe("rejects each bad argument before registering anything, naming it, its value and what is allowed", () => {
        interface BadInput {
            title: string;
            /** Component name; "vault" unless the name itself is what is wrong. */
            name?: string;
            args: unknown;
            /** How the message names the argument. */
            argument: string;
            /** The bad value as the message shows it. */
            shown: string;
            /** A distinctive fragment of what the message says is allowed. */
            allowed: string;
        }
        const GOOD_ROLE = "arn:aws:iam::111111111111:role/app";
        const cases: BadInput[] = [
            { title: "a bucket name too short", args: { bucketName: "ab" }, argument: "bucketName", shown: '"ab"', allowed: "must be 3 to 63 characters long (is 2)" },
            {
                title: "a bucket name too long",
                args: { bucketName: "a".repeat(64) },
                argument: "bucketName",
                shown: `"${"a".repeat(64)}"`,
                allowed: "must be 3 to 63 characters long (is 64)",
            },
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
            {
                title: "readers that are not a list",
                args: { readers: "arn:aws:iam::111111111111:root" },
                argument: "readers",
                shown: '"arn:aws:iam::111111111111:root"',
                allowed: "must be a list of principal ARNs",
            },
            { title: "a tag key starting with aws:", args: { tags: { team: "data", "aws:x": "y" } }, argument: "tags.aws:x", shown: '"aws:x"', allowed: "tag keys must not start with 'aws:'" },
            {
                title: "an unknown argument (reader, a typo of readers)",
                args: { reader: [GOOD_ROLE] },
                argument: "reader",
                shown: JSON.stringify([GOOD_ROLE]),
                allowed: "is not an argument of SecureBucket; known: administrators, readers, writers, bucketName, aliasName, region, tags,",
            },
            { title: 'region "useast1"', args: { region: "useast1" }, argument: "region", shown: '"useast1"', allowed: 'must be an AWS region name such as "us-east-1"' },
            {
                title: "an account root as an administrator (it would exempt only the root user from the deletion guard)",
                args: { administrators: ["arn:aws:iam::111111111111:root"] },
                argument: "administrators[0]",
                shown: '"arn:aws:iam::111111111111:root"',
                allowed: "is an account root, which as an administrator would exempt only the root user from the key's deletion guard",
            },
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
                title: "a role path longer than IAM's 512 characters",
                args: { readers: [`arn:aws:iam::111111111111:role/${"p/".repeat(256)}reader`] },
                argument: "readers[0]",
                shown: JSON.stringify(`arn:aws:iam::111111111111:role/${"p/".repeat(256)}reader`.slice(0, 117) + "..."),
                allowed: "has a path longer than IAM's 512 characters",
            },
        ];

        for (const c of cases) {
            it(c.title, async () => {
                const name = c.name ?? "vault";
                const error = constructionError(name, c.args);
                expect(error.message).to.include(`Invalid arguments for SecureBucket "${name}"`);
                expect(error.message, "names the argument and shows the value").to.include(`  - ${c.argument}: ${c.shown} `);
                expect(error.message, "says what is allowed").to.include(c.allowed);
                expect(error.problems, "one bad argument, one problem").to.have.length(1);
                expect(error.problems[0]).to.match(new RegExp(`^${c.argument.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
                await tick();
                expect(recordedResources(), "registered resources").to.deep.equal([]);
            });
        }
    });

    it("reports several bad arguments together in one error, one problem each", async () => {
        const error = constructionError("vault", {
            bucketName: "Bad_Name",
            aliasName: "data-key",
            readers: ["arn:aws:iam::111111111111:role/app", "arn:aws:iam::*:root"],
            keyRotationPeriodInDays: 30,
            minimumTlsVersion: "1.0",
            forceDestroy: "yes",
            tags: { "aws:team": "data" },
            reader: [],
        });
        const named = ["reader", "readers[1]", "bucketName", "aliasName", "tags.aws:team", "keyRotationPeriodInDays", "minimumTlsVersion", "forceDestroy"];
        expect(error.problems).to.have.length(named.length);
        for (const argument of named) {
            expect(
                error.problems.filter((p) => p.startsWith(`${argument}: `)),
                `the problem naming ${argument}`,
            ).to.have.length(1);
            expect(error.message).to.include(`  - ${argument}: `);
        }
        expect(error.message).to.include('keyRotationPeriodInDays: 30 must be from 90 to 2560');
        expect(error.message).to.include('readers[1]: "arn:aws:iam::*:root" must not contain wildcards');
        await tick();
        expect(recordedResources()).to.deep.equal([]);
    });

    describe("arguments that arrive as Outputs, checked when they resolve", () => {
        it("a bad bucket name: the bucket's registration fails with the argument error, and nothing built on the bucket is registered", async () => {
            const name = "output-bucket-name";
            let sb: SecureBucket | undefined;
            expect(() => {
                sb = new SecureBucket(name, { bucketName: pulumi.output("Bad_Name") });
            }, "the construction itself").not.to.throw();
            let bucketName: string | undefined;
            sb?.bucketName.apply((value) => (bucketName = value));

            const failures = await registrationFailures(name);
            expect(failures.length, "registration failures").to.be.greaterThan(0);
            // The same problem the component reports for the plain value, under the same heading.
            const plain = constructionError(name, { bucketName: "Bad_Name" });
            for (const failure of failures) {
                expect(failure.problems).to.deep.equal(plain.problems);
                expect(failure.problems).to.deep.equal([`bucketName: "Bad_Name" must use only lowercase letters, digits and '-'`]);
                expect(failure.message).to.include(plain.message);
            }
            // Only the component was registered: not the bucket, and so nothing that needs its name or ARN.
            expect(recordedResources().map((r) => r.type)).to.deep.equal([SECURE_BUCKET_TYPE]);
            expect(bucketName, "bucketName output").to.equal(undefined);
        });

        it("a bad reader: the policy outputs reject with the argument error, and nothing but the component is registered", async () => {
            const name = "output-reader";
            const badReader = "arn:aws:iam::*:root";
            let sb: SecureBucket | undefined;
            expect(() => {
                sb = new SecureBucket(name, { readers: ["arn:aws:iam::111111111111:role/app", pulumi.output(badReader)] });
            }, "the construction itself").not.to.throw();
            if (sb === undefined) return;
            const expected = [
                `readers[1]: "${badReader}" must not contain wildcards ('*' or '?'): name each principal as ${PRINCIPAL_FORMAT}`,
            ];

            for (const [label, output] of [
                ["bucketPolicy", sb.bucketPolicy],
                ["keyPolicy", sb.keyPolicy],
            ] as const) {
                const rejection = await rejectionOf(output);
                expect(rejection, label).to.be.instanceOf(SecureBucketArgumentError);
                expect((rejection as SecureBucketArgumentError).problems, label).to.deep.equal(expected);
                expect((rejection as SecureBucketArgumentError).message, label).to.include(
                    `Invalid arguments for SecureBucket "${name}":\n  - ${expected[0]}`,
                );
            }

            const failures = await registrationFailures(name);
            expect(failures.length, "registration failures").to.be.greaterThan(0);
            for (const failure of failures) expect(failure.problems).to.deep.equal(expected);
            // The bucket, which every child is built on, waits for every value checked when it resolves.
            expect(recordedResources().map((r) => r.type)).to.deep.equal([SECURE_BUCKET_TYPE]);
        });
    });

    describe("accepts what AWS accepts, and refuses before anything is registered what only the deployment can tell (issue 10)", () => {
        it("AWS-valid values: an aws-eusc principal, region eusc-de-east-1, a path with '!', a tag key of 128 letters beyond the BMP", () => {
            const emojiKey = "\u{1D49C}".repeat(128); // 128 letters (MATHEMATICAL SCRIPT CAPITAL A), 256 UTF-16 units
            const validated = validateSecureBucketArgs("sovereign", {
                region: "eusc-de-east-1",
                administrators: ["arn:aws-eusc:iam::111111111111:role/ops!/key-admin"],
                readers: ["arn:aws-eusc:iam::111111111111:role/reader", "arn:aws-iso-b:iam::111111111111:user/x", "arn:aws:iam::111111111111:role/a/b!c~/reader"],
                tags: { [emojiKey]: "v".repeat(256), "owner name": "Zoë Ñandú" },
            });
            expect(validated.region).to.equal("eusc-de-east-1");
            expect(validated.administrators).to.deep.equal(["arn:aws-eusc:iam::111111111111:role/ops!/key-admin"]);
            expect(Object.keys(validated.tags)).to.include(emojiKey);
        });

        /** Builds a SecureBucket whose deploy-time check fails; resolves once that failure and the component's own registration are in. */
        async function deployTimeFailure(name: string, args: SecureBucketArgs): Promise<SecureBucketArgumentError> {
            const failure = expectRejection((reason) => reason instanceof SecureBucketArgumentError && reason.message.includes(`SecureBucket "${name}"`));
            const sb = new SecureBucket(name, args);
            const reason = await failure;
            await valueOf(sb.urn);
            return reason as SecureBucketArgumentError;
        }

        it("an administrator of another account: refused naming administrators and KMS's rule, and nothing but the component is registered", async () => {
            const foreign = "arn:aws:iam::222222222222:role/key-admin";
            const error = await deployTimeFailure("foreign-admin", { administrators: ["arn:aws:iam::111111111111:role/key-admin", foreign] });
            expect(error.problems).to.have.length(1);
            expect(error.problems[0]).to.match(new RegExp(`^administrators\\[1\\]: "${foreign}" is in account 222222222222, not in the key's account 111111111111`));
            expect(error.problems[0]).to.include("Allowing users in other accounts to use a KMS key");
            // The bucket, which every other child is built on, waits for this check: nothing is half-created.
            expect(recordedResources().map((r) => r.type)).to.deep.equal([SECURE_BUCKET_TYPE]);
        });

        it("a reader of another partition: refused naming readers, and nothing but the component is registered", async () => {
            const error = await deployTimeFailure("other-partition", { readers: ["arn:aws-cn:iam::111111111111:role/reader"] });
            expect(error.problems).to.deep.equal([
                'readers[0]: "arn:aws-cn:iam::111111111111:role/reader" is in partition aws-cn, but the key and the bucket are in partition aws: no permission crosses partitions',
            ]);
            expect(recordedResources().map((r) => r.type)).to.deep.equal([SECURE_BUCKET_TYPE]);
        });
    });

    describe("accepts good arguments", () => {
        it("a fully valid set: roles and users with paths (one with '!'), an account root, principals of other accounts", async () => {
            const administrators = ["arn:aws:iam::111111111111:role/security/key-admin", "arn:aws:iam::111111111111:user/ops!/oncall"];
            const readers = [
                "arn:aws:iam::111111111111:role/team/app/reader",
                "arn:aws:iam::111111111111:user/alice",
                "arn:aws:iam::222222222222:root",
                "arn:aws:iam::333333333333:role/partner/reader",
            ];
            const writers = ["arn:aws:iam::111111111111:role/ingest/pipeline-writer", "arn:aws:iam::111111111111:user/batch.writer@example"];
            const args: Required<SecureBucketArgs> = {
                administrators,
                readers,
                writers,
                bucketName: "example-valid-data-1",
                aliasName: "alias/example/valid_data-1",
                region: "eu-west-1",
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
            };
            let sb: SecureBucket | undefined;
            expect(() => {
                sb = new SecureBucket("valid-data", args);
            }).not.to.throw();
            if (sb === undefined) return;
            await registered(...everyResource(sb));
            const policy = JSON.parse(await valueOf(sb.bucketPolicy)) as PolicyDocument;
            const principals = (sid: string) => {
                const statement = policy.Statement.find((s) => s.Sid === sid);
                return statement !== undefined && statement.Principal !== "*" ? statement.Principal.AWS : [];
            };
            expect(principals("AllowReaders")).to.deep.equal(readers);
            expect(principals("AllowWriters")).to.deep.equal(writers);
            expect(await valueOf(sb.bucketName)).to.equal("example-valid-data-1");
            expect(recordedResources()).to.have.length(10);
        });

        const boundaries: [string, string, SecureBucketArgs][] = [
            ["the shortest key rotation period and deletion window", "bounds-low", { keyRotationPeriodInDays: 90, keyDeletionWindowInDays: 7 }],
            ["the longest key rotation period and deletion window", "bounds-high", { keyRotationPeriodInDays: 2560, keyDeletionWindowInDays: 30 }],
            ["lifecycle periods of 1 day and of a hundred years", "bounds-lifecycle", { abortIncompleteMultipartUploadDays: 1, noncurrentVersionExpirationDays: 36500 }],
            ["a 3-character bucket name", "bounds-short-bucket", { bucketName: "a-1" }],
            ["a 63-character bucket name", "bounds-long-bucket", { bucketName: `b${"-0".repeat(31)}` }],
            ["a 55-character component name auto-naming the bucket", "c".repeat(55), {}],
            ["an empty principal list and no tags", "bounds-empty", { readers: [], writers: [], administrators: [], tags: {} }],
        ];
        for (const [title, name, args] of boundaries) {
            it(title, async () => {
                let sb: SecureBucket | undefined;
                expect(() => {
                    sb = new SecureBucket(name, args);
                }).not.to.throw();
                if (sb === undefined) return;
                await registered(...everyResource(sb));
                expect(recordedResources()).to.have.length(10);
            });
        }
    });
});
