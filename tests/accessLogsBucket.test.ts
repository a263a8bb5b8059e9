import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogsBucket, AccessLogsBucketArgs, buildAccessLogsBucketPolicy, SecureBucket, SecureBucketArgumentError } from "../components";
import { logDeliverySid } from "../components/policies/accessLogsBucketPolicy";
import { LOG_SOURCE_FORMAT } from "../components/rules/logSource";
import { statement } from "./helpers/policies";
import { thrownBy } from "./helpers/errors";
import { OPT_IN_TYPES, registeredAs } from "./helpers/optIns";
import { registered, registeredOutputs } from "./helpers/outputs";
import { CHILD_TYPES } from "./helpers/resourceTypes";
import { ACCOUNT_ID, expectRejection, one, recordedResources, registeredSoFar, registrationsCompleted } from "./setup/pulumiMocks";

const TYPE = "secure-bucket:index:AccessLogsBucket";

/** Builds an AccessLogsBucket and resolves once it and its seven children are registered. */
async function builtLogs(name: string, args?: AccessLogsBucketArgs): Promise<AccessLogsBucket> {
    const logs = new AccessLogsBucket(name, args);
    await registered(logs, logs.bucket, logs.publicAccessBlock, logs.versioning, logs.encryption, logs.lifecycle, logs.policy, logs.ownershipControls);
    return logs;
}

describe("AccessLogsBucket with default arguments", () => {
    let logs: AccessLogsBucket;
    beforeEach(async () => {
        logs = await builtLogs("logs");
    });

    it("registers the component with its type token and seven children parented to it, named after it", () => {
        const component = one(TYPE);
        const children = recordedResources().filter((r) => r !== component);
        for (const child of children) expect(child.parent, child.name).to.equal(component.urn);
        expect(children.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
            [
                `${CHILD_TYPES.bucket} logs`,
                `${CHILD_TYPES.publicAccessBlock} logs-public-access-block`,
                `${CHILD_TYPES.versioning} logs-versioning`,
                `${CHILD_TYPES.encryption} logs-encryption`,
                `${CHILD_TYPES.lifecycle} logs-lifecycle`,
                `${CHILD_TYPES.policy} logs-policy`,
                `${CHILD_TYPES.ownership} logs-ownership`,
            ].sort(),
        );
    });

    it("auto-names the bucket, forceDestroy off, without Object Lock (S3 delivers no logs to a bucket with it)", () => {
        expect(one(CHILD_TYPES.bucket).inputs).to.deep.equal({ forceDestroy: false, tags: {} });
        expect(recordedResources().filter((r) => r.type === OPT_IN_TYPES.objectLock || "objectLockEnabled" in r.inputs)).to.deep.equal([]);
    });

    it("encrypts with SSE-S3 (AES256), SSE-C blocked", () => {
        expect(one(CHILD_TYPES.encryption).inputs).to.deep.equal({
            bucket: "logs-xxxxxxx",
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }],
        });
    });

    it("enables versioning, blocks public access, disables ACLs", () => {
        expect(one(CHILD_TYPES.versioning).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
        expect(one(CHILD_TYPES.publicAccessBlock).inputs).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(one(CHILD_TYPES.ownership).inputs.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
    });

    it("expires logs after 365 days and their noncurrent versions 30 days later, after the versioning", () => {
        const lifecycle = one(CHILD_TYPES.lifecycle);
        expect(lifecycle.inputs.rules).to.deep.equal([
            { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: 365 } },
            { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 }, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ]);
        expect(lifecycle.dependencies).to.include(one(CHILD_TYPES.versioning).urn);
    });

    it("protects the bucket, and nothing else", () => {
        expect(recordedResources().filter((r) => r.protect).map((r) => r.type)).to.deep.equal([CHILD_TYPES.bucket]);
    });

    it("applies the policy for this account's buckets over TLS 1.2, and registers it with the bucket's name and ARN as outputs", async () => {
        const bucketArn = "arn:aws:s3:::logs-xxxxxxx";
        const expected = JSON.stringify(buildAccessLogsBucketPolicy({ bucketArn, accountId: ACCOUNT_ID, sources: [], minimumTlsVersion: "1.2" }));
        expect(one(CHILD_TYPES.policy).inputs.policy).to.equal(expected);
        const { registered: outputs } = await registeredOutputs(logs, { bucketName: logs.bucketName, bucketArn: logs.bucketArn, bucketPolicy: logs.bucketPolicy });
        expect(outputs).to.deep.equal({ bucketName: "logs-xxxxxxx", bucketArn, bucketPolicy: expected });
    });
});

describe("AccessLogsBucket fully configured", () => {
    beforeEach(async () => {
        await builtLogs("audit-logs", {
            bucketName: "example-audit-logs",
            region: "eu-west-1",
            sourceBuckets: ["example-app", pulumi.output("example.legacy/logs/legacy/")],
            retentionDays: 90,
            noncurrentVersionExpirationDays: 7,
            minimumTlsVersion: "1.3",
            forceDestroy: true,
            protect: false,
            tags: { team: "security" },
        });
    });

    it("sets the region on every child, and the name, tags and forceDestroy on the bucket, protecting nothing", () => {
        for (const r of recordedResources().filter((x) => x.type !== TYPE)) expect(r.inputs.region, r.name).to.equal("eu-west-1");
        expect(one(CHILD_TYPES.bucket).inputs).to.deep.equal({ bucket: "example-audit-logs", forceDestroy: true, region: "eu-west-1", tags: { team: "security" } });
        expect(recordedResources().filter((r) => r.protect)).to.deep.equal([]);
    });

    it("uses the given retention periods", () => {
        const [logsRule, noncurrentRule] = one(CHILD_TYPES.lifecycle).inputs.rules as Record<string, unknown>[];
        expect(logsRule.expiration).to.deep.equal({ days: 90 });
        expect(noncurrentRule.noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 7 });
    });

    it("lets only the named source buckets deliver, their names turned into ARNs, each under its prefix (its name and '/' by default), over TLS 1.3", () => {
        expect(one(CHILD_TYPES.policy).inputs.policy).to.equal(
            JSON.stringify(
                buildAccessLogsBucketPolicy({
                    bucketArn: "arn:aws:s3:::example-audit-logs",
                    accountId: ACCOUNT_ID,
                    sources: [
                        { bucketArn: "arn:aws:s3:::example-app", prefix: "example-app/" },
                        { bucketArn: "arn:aws:s3:::example.legacy", prefix: "logs/legacy/" },
                    ],
                    minimumTlsVersion: "1.3",
                }),
            ),
        );
    });
});

describe("AccessLogsBucket refuses bad arguments at construction, naming each, and registers nothing", () => {
    const cases: [string, AccessLogsBucketArgs, string][] = [
        ["a negative retentionDays", { retentionDays: -1 }, "retentionDays: -1 must be from 1 to 36500"],
        [
            "a region @pulumi/aws does not list, and no unlistedRegions naming it",
            { region: "eu-west-9", unlistedRegions: ["eu-south-3"] },
            'region: "eu-west-9" is not a region the installed @pulumi/aws lists (such as "us-east-1"); for a region newer than its list, upgrade @pulumi/aws or add the region to unlistedRegions',
        ],
        [
            "a source bucket that is not a bucket name",
            { sourceBuckets: ["example-app", "Example_App"] },
            `sourceBuckets[1]: "Example_App" must use only lowercase letters, digits, '.' and '-', and start and end with a letter or digit`,
        ],
        [
            "a source bucket with a bad name before its prefix",
            { sourceBuckets: ["Example_App/logs/"] },
            `sourceBuckets[0]: "Example_App/logs/" has a bucket name (before the first '/') that must use only lowercase letters, digits, '.' and '-', and start and end with a letter or digit`,
        ],
        [
            "a source bucket with an empty prefix (it could write anywhere in the log bucket)",
            { sourceBuckets: ["example-app/"] },
            `sourceBuckets[0]: "example-app/" has an empty prefix after '/', which would let example-app write anywhere in the log bucket: write ${LOG_SOURCE_FORMAT}`,
        ],
        [
            "a source prefix holding a wildcard",
            { sourceBuckets: ["example-app/logs/*"] },
            `sourceBuckets[0]: "example-app/logs/*" has a prefix holding '*', '?' or '\${', which the bucket policy's Resource would read as a wildcard or a policy variable`,
        ],
    ];
    for (const [title, args, problem] of cases) {
        it(title, async () => {
            const error = thrownBy(SecureBucketArgumentError, () => new AccessLogsBucket("bad-logs", args));
            expect(error.message).to.equal(`Invalid arguments for AccessLogsBucket "bad-logs":\n  - ${problem}`);
            expect(await registeredSoFar()).to.deep.equal([]);
        });
    }
});

describe("AccessLogsBucket with more sources than its policy can hold", () => {
    it("fails when the policy is built, over AWS's 20 KB, naming sourceBuckets and what to do; the policy never registers", async () => {
        const failure = expectRejection((reason) => reason instanceof SecureBucketArgumentError && reason.message.includes('AccessLogsBucket "crowded"'));
        void expectRejection((reason) => String(reason).includes('AccessLogsBucket "crowded"'));
        const logs = new AccessLogsBucket("crowded", { sourceBuckets: Array.from({ length: 80 }, (_, i) => `example-source-bucket-${i}`) });
        const error = (await failure) as SecureBucketArgumentError;
        expect(error.problems).to.have.length(1);
        expect(error.problems[0]).to.match(/^sourceBuckets: 80 entries would make the bucket policy \d+ bytes, over AWS's 20480-byte limit \(each source has a statement of its own\): name fewer, or none to admit every bucket of the account$/);
        await registered(logs.bucket, logs.publicAccessBlock, logs.versioning, logs.encryption, logs.lifecycle);
        expect(recordedResources().map((r) => r.type)).to.not.include(CHILD_TYPES.policy);
    });
});

describe("AccessLogsBucket in the same program as a SecureBucket that logs into it and that it names as a source", () => {
    it("registers everything: the logging targets the log bucket, whose policy names the secure bucket", async () => {
        const [source, setSource] = pulumi.deferredOutput<string>();
        const logs = new AccessLogsBucket("logs", { sourceBuckets: [source] });
        const sb = new SecureBucket("app", { accessLogs: { bucket: logs.bucketName } });
        setSource(sb.bucketName);
        // Both components, the log bucket's seven children, the secure bucket's nine and its logging.
        await registrationsCompleted(19);
        const logging = registeredAs(OPT_IN_TYPES.accessLogging, "app-access-logs");
        expect(logging.inputs).to.include({ bucket: "app-xxxxxxx", targetBucket: "logs-xxxxxxx", targetPrefix: "app-xxxxxxx/" });
        expect(logging.dependencies).to.include(registeredAs(CHILD_TYPES.bucket, "logs").urn);
        expect(registeredAs(CHILD_TYPES.policy, "logs-policy").inputs.policy).to.equal(
            JSON.stringify(buildAccessLogsBucketPolicy({ bucketArn: "arn:aws:s3:::logs-xxxxxxx", accountId: ACCOUNT_ID, sources: [{ bucketArn: "arn:aws:s3:::app-xxxxxxx", prefix: "app-xxxxxxx/" }], minimumTlsVersion: "1.2" })),
        );
    });

    it("a custom accessLogs.prefix named in the entry: delivered there, and the log bucket's policy admits it there", async () => {
        const [source, setSource] = pulumi.deferredOutput<string>();
        const logs = new AccessLogsBucket("logs", { sourceBuckets: [source] });
        const sb = new SecureBucket("app", { accessLogs: { bucket: logs.bucketName, prefix: "audit/app/" } });
        setSource(pulumi.interpolate`${sb.bucketName}/audit/app/`);
        await registrationsCompleted(19);
        expect(registeredAs(OPT_IN_TYPES.accessLogging, "app-access-logs").inputs).to.include({ targetBucket: "logs-xxxxxxx", targetPrefix: "audit/app/" });
        expect(statement(registeredAs(CHILD_TYPES.policy, "logs-policy").inputs.policy, logDeliverySid(1)).Resource).to.equal("arn:aws:s3:::logs-xxxxxxx/audit/app/*");
    });

    describe("a SecureBucket whose logs the log bucket would refuse: refused at deploy time, naming the entry to add; its logging never registers", () => {
        // [SecureBucket name (unique: its failure is matched by it), the log bucket's entry for it, its accessLogs.prefix, the problem]
        const cases: [string, (own: pulumi.Output<string>) => pulumi.Output<string>, string | undefined, string][] = [
            [
                "custom",
                (own) => own,
                "audit/",
                `is an AccessLogsBucket that admits custom-xxxxxxx's logs only under "custom-xxxxxxx/", not under the prefix "audit/": S3 would be denied each delivery and the logs lost without an error; add "custom-xxxxxxx/audit/" to its sourceBuckets`,
            ],
            [
                "unnamed",
                () => pulumi.output("example-other"),
                undefined,
                `is an AccessLogsBucket that does not name unnamed-xxxxxxx among its sourceBuckets, not under the prefix "unnamed-xxxxxxx/": S3 would be denied each delivery and the logs lost without an error; add "unnamed-xxxxxxx" to its sourceBuckets`,
            ],
            [
                "rootlogs",
                (own) => own,
                "",
                `is an AccessLogsBucket that admits rootlogs-xxxxxxx's logs only under "rootlogs-xxxxxxx/", not under the prefix "": S3 would be denied each delivery and the logs lost without an error; give accessLogs.prefix a value and add "rootlogs-xxxxxxx/<that prefix>" to its sourceBuckets (they admit no empty prefix)`,
            ],
        ];
        for (const [name, entryFor, prefix, problem] of cases) {
            it(`${name}: ${prefix === undefined ? "not among the sources" : `accessLogs.prefix ${JSON.stringify(prefix)}`}`, async () => {
                const failure = expectRejection((reason) => reason instanceof SecureBucketArgumentError && reason.message.includes(`SecureBucket "${name}"`));
                // Newer Pulumi SDKs also fail what is built on the failed value, with the error wrapped in theirs.
                void expectRejection((reason) => String(reason).includes(`SecureBucket "${name}"`));
                const [entry, setEntry] = pulumi.deferredOutput<string>();
                const logs = new AccessLogsBucket("logs", { sourceBuckets: [entry] });
                const sb = new SecureBucket(name, { accessLogs: { bucket: logs.bucketName, ...(prefix === undefined ? {} : { prefix }) } });
                setEntry(entryFor(sb.bucketName));
                const error = (await failure) as SecureBucketArgumentError;
                expect(error.problems).to.deep.equal([`accessLogs.bucket: "logs-xxxxxxx" ${problem}`]);
                // Both components and their seven and nine children: everything but the logging.
                await registrationsCompleted(18);
                expect(recordedResources().map((r) => r.type)).to.not.include(OPT_IN_TYPES.accessLogging);
            });
        }
    });
});
