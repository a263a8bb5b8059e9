import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { BUCKET_POLICY_SIDS, KEY_POLICY_SIDS, SecureBucket, SecureBucketArgs, SecureBucketArgumentError } from "../components";
import { criticalPath } from "../bench/criticalPath";
import { built, failedRegistration } from "./helpers/components";
import { registeredOutputs, rejectionOf, valueOf } from "./helpers/outputs";
import { policy, principalsOf, statement } from "./helpers/policies";
import { CHILD_TYPES, COMPONENT_TYPE } from "./helpers/resourceTypes";
import { ACCOUNT_ID, DEPLOYER_ROLE_ARN, expectRejection, one, PROVIDER_REGION, recordedResources, registeredSoFar } from "./setup/pulumiMocks";
import { PLACEHOLDER_KEY_ID as KEY_ID } from "../offline/placeholders";


describe("SecureBucket with default arguments", () => {
    let sb: SecureBucket;
    beforeEach(async () => {
        sb = await built("data");
    });

    it("registers the component with the packaging-compatible type token", () => {
        const component = one(COMPONENT_TYPE);
        expect(component.name).to.equal("data");
        expect(component.custom).to.equal(false);
    });

    it("registers exactly the nine children, each parented to the component, with names derived from the component's", () => {
        const component = one(COMPONENT_TYPE);
        const children = recordedResources().filter((r) => r !== component);
        expect(children.map((r) => r.type).sort()).to.deep.equal(Object.values(CHILD_TYPES).sort());
        for (const child of children) expect(child.parent, child.name).to.equal(component.urn);
        expect(children.map((r) => r.name).sort()).to.deep.equal(
            ["data", "data-alias", "data-encryption", "data-key", "data-lifecycle", "data-ownership", "data-policy", "data-public-access-block", "data-versioning"].sort(),
        );
    });

    it("auto-names the bucket <name>-<random>, keeps forceDestroy off and sets no region", async () => {
        expect(one(CHILD_TYPES.bucket).inputs).to.deep.equal({ forceDestroy: false, tags: {} });
        expect(await valueOf(sb.bucketName)).to.equal("data-xxxxxxx");
    });

    it("creates a symmetric key with rotation every 365 days, a 30-day deletion window, the lockout check kept and its own policy", async () => {
        expect(one(CHILD_TYPES.key).inputs).to.deep.equal({
            description: "Encrypts the S3 bucket data-xxxxxxx (SecureBucket data)",
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            enableKeyRotation: true,
            rotationPeriodInDays: 365,
            deletionWindowInDays: 30,
            bypassPolicyLockoutSafetyCheck: false,
            policy: await valueOf(sb.keyPolicy),
            tags: {},
        });
    });

    it("names the alias alias/<name> and points it at the key", () => {
        expect(one(CHILD_TYPES.alias).inputs).to.deep.equal({ name: "alias/data", targetKeyId: KEY_ID });
    });

    it("disables ACLs with BucketOwnerEnforced ownership", () => {
        expect(one(CHILD_TYPES.ownership).inputs).to.deep.equal({ bucket: "data-xxxxxxx", rule: { objectOwnership: "BucketOwnerEnforced" } });
    });

    it("turns on all four public access block flags", () => {
        expect(one(CHILD_TYPES.publicAccessBlock).inputs).to.deep.equal({
            bucket: "data-xxxxxxx",
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        });
    });

    it("encrypts by default with the key ARN (never the alias), bucket key on, SSE-C blocked", () => {
        expect(one(CHILD_TYPES.encryption).inputs).to.deep.equal({
            bucket: "data-xxxxxxx",
            rules: [
                {
                    applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: `arn:aws:kms:${PROVIDER_REGION}:${ACCOUNT_ID}:key/${KEY_ID}` },
                    bucketKeyEnabled: true,
                    blockedEncryptionTypes: ["SSE-C"],
                },
            ],
        });
    });

    it("enables versioning", () => {
        expect(one(CHILD_TYPES.versioning).inputs).to.deep.equal({ bucket: "data-xxxxxxx", versioningConfiguration: { status: "Enabled" } });
    });

    it("aborts incomplete multipart uploads after 7 days and expires noncurrent versions after 365, and expired delete markers", () => {
        expect(one(CHILD_TYPES.lifecycle).inputs).to.deep.equal({
            bucket: "data-xxxxxxx",
            rules: [
                { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: 365 },
                    expiration: { expiredObjectDeleteMarker: true },
                },
            ],
        });
    });

    it("applies the bucket policy it exports, with only the deny statements when no principals are given", async () => {
        const { inputs } = one(CHILD_TYPES.policy);
        expect(inputs.bucket).to.equal("data-xxxxxxx");
        expect(inputs.policy).to.equal(await valueOf(sb.bucketPolicy));
        const document = policy(inputs.policy);
        expect(document.Statement.map((s) => s.Sid)).to.deep.equal([
            BUCKET_POLICY_SIDS.denyInsecureTransport,
            BUCKET_POLICY_SIDS.denyOutdatedTls,
            BUCKET_POLICY_SIDS.denyNonKmsEncryption,
            BUCKET_POLICY_SIDS.denyKmsWithoutKeyId,
            BUCKET_POLICY_SIDS.denyOtherKmsKeys,
            BUCKET_POLICY_SIDS.denyOtherKmsKeysForReplicas,
            BUCKET_POLICY_SIDS.denySseC,
        ]);
        expect(document.Statement.every((s) => s.Effect === "Deny")).to.equal(true);
        expect(inputs.policy).to.include(await valueOf(sb.bucketArn)).and.to.include(await valueOf(sb.keyArn));
    });

    it("requires TLS 1.2 or later by default", async () => {
        expect(statement(await valueOf(sb.bucketPolicy), BUCKET_POLICY_SIDS.denyOutdatedTls).Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
    });

    it("applies the key policy it exports: the account root only, from getCallerIdentity and getPartition", async () => {
        expect(policy(await valueOf(sb.keyPolicy)).Statement).to.deep.equal([
            { Sid: KEY_POLICY_SIDS.enableIamPolicies, Effect: "Allow", Principal: { AWS: [`arn:aws:iam::${ACCOUNT_ID}:root`] }, Action: ["kms:*"], Resource: "*" },
        ]);
    });

    it("protects the key and the bucket, and nothing else", () => {
        const protectedTypes = recordedResources()
            .filter((r) => r.protect)
            .map((r) => r.type);
        expect(protectedTypes).to.have.members([CHILD_TYPES.bucket, CHILD_TYPES.key]);
    });

    it("orders the children only where an input or a documented conflict needs it: four waves", () => {
        // Each child's dependencies among its siblings: the inputs it takes from them, and the dependsOn
        // edges the component justifies (public access block → policy → ownership, versioning → lifecycle).
        const waitsFor: Record<Exclude<keyof typeof CHILD_TYPES, "bucket">, (keyof typeof CHILD_TYPES)[]> = {
            key: ["bucket"],
            alias: ["key"],
            publicAccessBlock: ["bucket"],
            versioning: ["bucket"],
            encryption: ["bucket", "key"],
            lifecycle: ["bucket", "versioning"],
            policy: ["bucket", "key", "publicAccessBlock"],
            ownership: ["bucket", "policy", "publicAccessBlock"],
        };
        for (const [role, siblings] of Object.entries(waitsFor)) {
            const urns = siblings.map((sibling) => one(CHILD_TYPES[sibling]).urn);
            expect([...new Set(one(CHILD_TYPES[role as keyof typeof CHILD_TYPES]).dependencies)], role).to.have.members(urns);
        }
        const path = criticalPath(recordedResources(), (r) => r.type !== COMPONENT_TYPE);
        expect(path.waves).to.equal(4);
        expect(path.byWave.map((wave) => [...wave].sort())).to.deep.equal([
            ["data"],
            ["data-key", "data-public-access-block", "data-versioning"],
            ["data-alias", "data-encryption", "data-lifecycle", "data-policy"],
            ["data-ownership"],
        ]);
    });

    it("creates the key after the bucket (its policy names the bucket), and the alias and the encryption after the key", () => {
        expect(one(CHILD_TYPES.key).dependencies).to.include(one(CHILD_TYPES.bucket).urn);
        expect(one(CHILD_TYPES.alias).dependencies).to.include(one(CHILD_TYPES.key).urn);
        expect(one(CHILD_TYPES.encryption).dependencies).to.include(one(CHILD_TYPES.key).urn);
    });

    it("resolves every output", async () => {
        expect(await valueOf(sb.bucketArn)).to.equal("arn:aws:s3:::data-xxxxxxx");
        expect(await valueOf(sb.keyId)).to.equal(KEY_ID);
        expect(await valueOf(sb.keyArn)).to.equal(`arn:aws:kms:${PROVIDER_REGION}:${ACCOUNT_ID}:key/${KEY_ID}`);
        expect(await valueOf(sb.aliasName)).to.equal("alias/data");
        expect(await valueOf(sb.aliasArn)).to.equal(`arn:aws:kms:${PROVIDER_REGION}:${ACCOUNT_ID}:alias/data`);
    });

    it("registers its outputs on the component", async () => {
        const outputs = { bucketName: sb.bucketName, bucketArn: sb.bucketArn, keyArn: sb.keyArn, keyId: sb.keyId, aliasName: sb.aliasName, aliasArn: sb.aliasArn, bucketPolicy: sb.bucketPolicy, keyPolicy: sb.keyPolicy };
        const { registered, resolved } = await registeredOutputs(sb, outputs);
        expect(registered).to.deep.equal(resolved);
    });
});

describe("SecureBucket with data users and no region", () => {
    it("names S3 in the provider's region as kms:ViaService", async () => {
        const sb = await built("plain", { readers: ["arn:aws:iam::111111111111:role/reader"] });
        expect(statement(await valueOf(sb.keyPolicy), KEY_POLICY_SIDS.allowReaders).Condition?.StringEquals).to.deep.equal({
            "kms:ViaService": `s3.${PROVIDER_REGION}.amazonaws.com`,
        });
    });
});

describe("SecureBucket fully configured", () => {
    const admin = "arn:aws:iam::111111111111:role/security/key-admin";
    const reader = "arn:aws:iam::222222222222:role/analytics-reader";
    const writer = "arn:aws:iam::111111111111:user/ingest";
    const app = "arn:aws:iam::111111111111:role/app";
    const args: SecureBucketArgs = {
        administrators: [admin],
        readers: [reader, pulumi.output(app)],
        // The app twice, once as a Promise: each policy names it once.
        writers: [writer, Promise.resolve(app), app],
        bucketName: "example-corp-archive",
        aliasName: "alias/example/archive",
        region: "eu-central-1",
        bucketKeyEnabled: false,
        versioning: false,
        keyRotationPeriodInDays: 90,
        keyDeletionWindowInDays: 7,
        minimumTlsVersion: "1.3",
        abortIncompleteMultipartUploadDays: 2,
        noncurrentVersionExpirationDays: 30,
        forceDestroy: true,
        protect: false,
        tags: { team: "data", environment: pulumi.output("prod") },
    };
    let sb: SecureBucket;
    beforeEach(async () => {
        sb = await built("archive", args);
    });

    it("sets the region on every child resource", () => {
        const children = recordedResources().filter((r) => r.type !== COMPONENT_TYPE);
        expect(children).to.have.length(9);
        for (const child of children) expect(child.inputs.region, child.type).to.equal("eu-central-1");
    });

    it("uses the given bucket name, alias name and tags", async () => {
        expect(one(CHILD_TYPES.bucket).inputs.bucket).to.equal("example-corp-archive");
        expect(await valueOf(sb.bucketName)).to.equal("example-corp-archive");
        expect(await valueOf(sb.aliasName)).to.equal("alias/example/archive");
        const tags = { team: "data", environment: "prod" };
        expect(one(CHILD_TYPES.bucket).inputs.tags).to.deep.equal(tags);
        expect(one(CHILD_TYPES.key).inputs.tags).to.deep.equal(tags);
    });

    it("passes the key options through", () => {
        expect(one(CHILD_TYPES.key).inputs).to.include({ rotationPeriodInDays: 90, deletionWindowInDays: 7, enableKeyRotation: true });
    });

    it("honours the destructive opt-ins: forceDestroy on, no protection", () => {
        expect(one(CHILD_TYPES.bucket).inputs.forceDestroy).to.equal(true);
        expect(recordedResources().filter((r) => r.protect)).to.deep.equal([]);
    });

    it("turns the bucket key off, suspends versioning and uses the given lifecycle periods", () => {
        const [encryptionRule] = one(CHILD_TYPES.encryption).inputs.rules as Record<string, unknown>[];
        expect(encryptionRule.bucketKeyEnabled).to.equal(false);
        expect(one(CHILD_TYPES.versioning).inputs.versioningConfiguration).to.deep.equal({ status: "Suspended" });
        const [abort, expire] = one(CHILD_TYPES.lifecycle).inputs.rules as Record<string, unknown>[];
        expect(abort.abortIncompleteMultipartUpload).to.deep.equal({ daysAfterInitiation: 2 });
        expect(expire.noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 30 });
    });

    it("grants readers and writers in the bucket policy, resolving Output and Promise principals, without duplicates, over TLS 1.3", async () => {
        const bucketPolicy = await valueOf(sb.bucketPolicy);
        expect(principalsOf(statement(bucketPolicy, BUCKET_POLICY_SIDS.allowReaders))).to.deep.equal([reader, app]);
        expect(principalsOf(statement(bucketPolicy, BUCKET_POLICY_SIDS.allowWriters))).to.deep.equal([writer, app]);
        expect(statement(bucketPolicy, BUCKET_POLICY_SIDS.denyOutdatedTls).Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.3" } });
    });

    it("builds the key policy for the configured region, bucket and principals, exempting the administrator and the deploying role from the deletion guard", async () => {
        const keyPolicy = await valueOf(sb.keyPolicy);
        expect(policy(keyPolicy).Statement.map((s) => s.Sid)).to.deep.equal([
            KEY_POLICY_SIDS.enableIamPolicies,
            KEY_POLICY_SIDS.allowAdministration,
            KEY_POLICY_SIDS.allowReaders,
            KEY_POLICY_SIDS.allowWriters,
            KEY_POLICY_SIDS.denyDeletion,
        ]);
        expect(principalsOf(statement(keyPolicy, KEY_POLICY_SIDS.allowAdministration))).to.deep.equal([admin]);
        expect(principalsOf(statement(keyPolicy, KEY_POLICY_SIDS.allowReaders))).to.deep.equal([reader, app]);
        expect(principalsOf(statement(keyPolicy, KEY_POLICY_SIDS.allowWriters))).to.deep.equal([writer, app]);
        expect(statement(keyPolicy, KEY_POLICY_SIDS.allowWriters).Condition).to.deep.equal({
            StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::example-corp-archive", "arn:aws:s3:::example-corp-archive/*"] },
        });
        // The deployer's role (its path from getSessionContext, not the session ARN) is exempt too.
        expect(statement(keyPolicy, KEY_POLICY_SIDS.denyDeletion).Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": [admin, DEPLOYER_ROLE_ARN] } });
    });
});

describe("SecureBucket resource options", () => {
    it("keeps the component's own options: protect on the component reaches every child, even with protect: false", async () => {
        await built("guarded", { bucketName: "example-guarded", protect: false }, { protect: true });
        expect(recordedResources()).to.have.length(10);
        for (const r of recordedResources()) expect(r.protect, r.type).to.equal(true);
    });
});

describe("SecureBucket policy size limits", () => {
    const readers = (count: number) => Array.from({ length: count }, (_, i) => `arn:aws:iam::111111111111:role/reader-with-a-rather-long-name-${i}`);
    const cases: [string, string, number, RegExp][] = [
        ["bucket policy", "crowded", 300, /The bucket policy would be \d+ bytes, over AWS's 20480-byte limit/],
        ["key policy", "more-crowded", 500, /The key policy would be \d+ bytes, over AWS's 32768-byte limit/],
    ];
    for (const [kind, name, count, limit] of cases) {
        it(`a ${kind} over AWS's limit fails naming the component and the principal arguments, before anything is created`, async () => {
            // The size is checked with the longest ARNs the bucket and the key can get, before the bucket.
            // Newer Pulumi SDKs also fail what is built on the bucket, with this error wrapped in theirs.
            const failure = expectRejection((reason) => String(reason).includes(`SecureBucket "${name}": The ${kind} would be`));
            const sb = new SecureBucket(name, { readers: readers(count) });
            const error = (await failure) as Error;
            expect(error.message).to.match(limit).and.to.include("name fewer principals in administrators, readers and writers");
            await valueOf(sb.urn);
            expect((await registeredSoFar()).map((r) => r.type)).to.deep.equal([COMPONENT_TYPE]);
        });
    }
});

describe("SecureBucket's bucket gate", () => {
    it("a reader arriving as an Output that resolves to a bad ARN: both policies reject with the argument error, and nothing but the component is registered", async () => {
        const badReader = "arn:aws:iam::*:root";
        const { sb, error } = await failedRegistration("output-reader", { readers: ["arn:aws:iam::111111111111:role/app", pulumi.output(badReader)] });
        const problem = `readers[1]: "${badReader}" must not contain wildcards ('*' or '?'): name each principal as arn:<partition>:iam::<12-digit account>:root`;
        expect(error.problems).to.have.length(1);
        expect(error.problems[0].slice(0, problem.length)).to.equal(problem);
        expect(error.message).to.include(`Invalid arguments for SecureBucket "output-reader":\n  - ${problem}`);
        for (const [label, output] of [
            ["bucketPolicy", sb.bucketPolicy],
            ["keyPolicy", sb.keyPolicy],
        ] as const) {
            const rejection = await rejectionOf(output);
            expect(rejection, label).to.be.instanceOf(SecureBucketArgumentError);
            expect((rejection as SecureBucketArgumentError).problems, label).to.deep.equal(error.problems);
        }
        // The bucket, which every child is built on, waits for every value checked when it resolves.
        expect(recordedResources().map((r) => r.type)).to.deep.equal([COMPONENT_TYPE]);
    });
});
