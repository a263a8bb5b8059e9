import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { BUCKET_POLICY_SIDS, KEY_POLICY_SIDS, PolicyDocument, SecureBucket, SecureBucketArgs } from "../components";
import { registered, valueOf } from "./helpers/outputs";
import { CHILD_TYPES, COMPONENT_TYPE } from "./helpers/resourceTypes";
import { ACCOUNT_ID, clearRecorded, DEPLOYER_ROLE_ARN, PROVIDER_REGION, RecordedResource, recordedResources, takeUnhandledRejections } from "./setup/pulumiMocks";

/** Builds a SecureBucket and waits until it and every child are registered. */
async function build(name: string, args?: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions): Promise<SecureBucket> {
    const sb = new SecureBucket(name, args, opts);
    await registered(
        sb,
        sb.key,
        sb.alias,
        sb.bucket,
        sb.ownershipControls,
        sb.publicAccessBlock,
        sb.encryption,
        sb.versioning,
        sb.lifecycle,
        sb.policy,
    );
    return sb;
}

/**
 * What the describe block's bucket registered. Built once per block (construction is the slow part)
 * and copied, because the root hook clears the recorder before every test.
 */
let resources: readonly RecordedResource[] = [];

function one(type: string): RecordedResource {
    const matches = resources.filter((r) => r.type === type);
    expect(matches, `resources of type ${type}`).to.have.length(1);
    return matches[0];
}


describe("SecureBucket with default arguments", () => {
    let sb: SecureBucket;
    before(async () => {
        clearRecorded();
        sb = await build("data");
        resources = [...recordedResources()];
    });

    it("registers the component with the packaging-compatible type token", () => {
        const component = one(COMPONENT_TYPE);
        expect(component.name).to.equal("data");
        expect(component.custom).to.equal(false);
    });

    it("registers exactly the nine children, each parented to the component, with names derived from the component's", () => {
        const component = one(COMPONENT_TYPE);
        const children = resources.filter((r) => r !== component);
        expect(children.map((r) => r.type).sort()).to.deep.equal(Object.values(CHILD_TYPES).sort());
        for (const child of children) {
            expect(child.parent, child.name).to.equal(component.urn);
            expect(child.name === "data" || child.name.startsWith("data-"), child.name).to.equal(true);
        }
        expect(children.map((r) => r.name).sort()).to.deep.equal(
            ["data", "data-alias", "data-encryption", "data-key", "data-lifecycle", "data-ownership", "data-policy", "data-public-access-block", "data-versioning"].sort(),
        );
    });

    it("creates a symmetric key with rotation every 365 days, a 30-day deletion window and its own policy", () => {
        const key = one(CHILD_TYPES.key).inputs;
        expect(key.keyUsage).to.equal("ENCRYPT_DECRYPT");
        expect(key.customerMasterKeySpec).to.equal("SYMMETRIC_DEFAULT");
        expect(key.enableKeyRotation).to.equal(true);
        expect(key.rotationPeriodInDays).to.equal(365);
        expect(key.deletionWindowInDays).to.equal(30);
        expect(key.bypassPolicyLockoutSafetyCheck).to.equal(false);
        expect(key.policy).to.be.a("string");
        expect(key).not.to.have.property("region");
    });

    it("names the alias alias/<name> and points it at the key", async () => {
        const alias = one(CHILD_TYPES.alias).inputs;
        expect(alias.name).to.equal("alias/data");
        expect(alias.targetKeyId).to.equal(await valueOf(sb.keyId));
    });

    it("auto-names the bucket from the component name and keeps forceDestroy off", async () => {
        const bucket = one(CHILD_TYPES.bucket).inputs;
        expect(bucket).not.to.have.property("bucket");
        expect(bucket.forceDestroy).to.equal(false);
        expect(await valueOf(sb.bucketName)).to.match(/^data-[0-9a-f]{7}$/);
    });

    it("disables ACLs with BucketOwnerEnforced ownership", async () => {
        const ownership = one(CHILD_TYPES.ownership).inputs;
        expect(ownership.rule).to.deep.equal({ objectOwnership: "BucketOwnerEnforced" });
        expect(ownership.bucket).to.equal(await valueOf(sb.bucketName));
    });

    it("turns on all four public access block flags", () => {
        const pab = one(CHILD_TYPES.publicAccessBlock).inputs;
        expect(pab).to.include({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    });

    it("encrypts by default with the key ARN (never the alias), bucket key on, SSE-C blocked", async () => {
        const encryption = one(CHILD_TYPES.encryption).inputs;
        const keyArn = await valueOf(sb.keyArn);
        expect(keyArn).to.match(/^arn:aws:kms:/);
        expect(encryption.rules).to.deep.equal([
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn },
                bucketKeyEnabled: true,
                blockedEncryptionTypes: ["SSE-C"],
            },
        ]);
    });

    it("enables versioning", () => {
        expect(one(CHILD_TYPES.versioning).inputs.versioningConfiguration).to.deep.equal({ status: "Enabled" });
    });

    it("aborts incomplete multipart uploads after 7 days and expires noncurrent versions after 365", () => {
        const rules = one(CHILD_TYPES.lifecycle).inputs.rules as Record<string, unknown>[];
        expect(rules).to.deep.equal([
            {
                id: "abort-incomplete-multipart-uploads",
                status: "Enabled",
                filter: {},
                abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
            },
            {
                id: "expire-noncurrent-versions",
                status: "Enabled",
                filter: {},
                noncurrentVersionExpiration: { noncurrentDays: 365 },
                expiration: { expiredObjectDeleteMarker: true },
            },
        ]);
    });

    it("applies the bucket policy it exports, with only the deny statements when no principals are given", async () => {
        const applied = one(CHILD_TYPES.policy).inputs.policy as string;
        expect(applied).to.equal(await valueOf(sb.bucketPolicy));
        const document = JSON.parse(applied) as PolicyDocument;
        expect(document.Statement.map((s) => s.Sid)).to.deep.equal([
            BUCKET_POLICY_SIDS.denyInsecureTransport,
            BUCKET_POLICY_SIDS.denyOutdatedTls,
            BUCKET_POLICY_SIDS.denyNonKmsEncryption,
            BUCKET_POLICY_SIDS.denyKmsWithoutKeyId,
            BUCKET_POLICY_SIDS.denyOtherKmsKeys,
            BUCKET_POLICY_SIDS.denySseC,
        ]);
        expect(document.Statement.every((s) => s.Effect === "Deny")).to.equal(true);
        expect(applied).to.include(await valueOf(sb.bucketArn));
        expect(applied).to.include(await valueOf(sb.keyArn));
    });

    it("applies the key policy it exports: the account root only, from getCallerIdentity and getPartition", async () => {
        const applied = one(CHILD_TYPES.key).inputs.policy as string;
        expect(applied).to.equal(await valueOf(sb.keyPolicy));
        const document = JSON.parse(applied) as PolicyDocument;
        expect(document.Statement).to.deep.equal([
            {
                Sid: KEY_POLICY_SIDS.enableIamPolicies,
                Effect: "Allow",
                Principal: { AWS: [`arn:aws:iam::${ACCOUNT_ID}:root`] },
                Action: ["kms:*"],
                Resource: "*",
            },
        ]);
    });

    it("protects the key and the bucket, and nothing else", () => {
        const protectedTypes = resources
            .filter((r) => r.protect)
            .map((r) => r.type)
            .sort();
        expect(protectedTypes).to.deep.equal([CHILD_TYPES.bucket, CHILD_TYPES.key].sort());
    });

    it("chains ownership → public access block → encryption → versioning → lifecycle → policy with dependsOn", () => {
        const chain = ["ownership", "publicAccessBlock", "encryption", "versioning", "lifecycle", "policy"] as const;
        for (let i = 1; i < chain.length; i++) {
            const before = one(CHILD_TYPES[chain[i - 1]]);
            const after = one(CHILD_TYPES[chain[i]]);
            expect(after.dependencies, `${chain[i]} waits for ${chain[i - 1]}`).to.include(before.urn);
        }
    });

    it("creates the key after the bucket (its policy names the bucket) and the encryption after the key", () => {
        expect(one(CHILD_TYPES.key).dependencies).to.include(one(CHILD_TYPES.bucket).urn);
        expect(one(CHILD_TYPES.encryption).dependencies).to.include(one(CHILD_TYPES.key).urn);
        expect(one(CHILD_TYPES.alias).dependencies).to.include(one(CHILD_TYPES.key).urn);
    });

    it("resolves every output", async () => {
        const bucketName = await valueOf(sb.bucketName);
        expect(await valueOf(sb.bucketArn)).to.equal(`arn:aws:s3:::${bucketName}`);
        const keyId = await valueOf(sb.keyId);
        expect(await valueOf(sb.keyArn)).to.equal(`arn:aws:kms:${PROVIDER_REGION}:${ACCOUNT_ID}:key/${keyId}`);
        expect(await valueOf(sb.aliasName)).to.equal("alias/data");
        expect(await valueOf(sb.aliasArn)).to.equal(`arn:aws:kms:${PROVIDER_REGION}:${ACCOUNT_ID}:alias/data`);
    });

    it("registers its outputs on the component", async () => {
        // registerOutputs stores them on the component's registration; the mock monitor keeps them.
        const component = one(COMPONENT_TYPE);
        const monitorState = (pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { state: unknown }> }).resources.get(component.urn);
        await valueOf(sb.bucketPolicy);
        await new Promise((resolve) => setImmediate(resolve));
        const state = JSON.stringify(monitorState?.state);
        expect(state).to.include("bucketPolicy").and.to.include("keyArn").and.to.include("aliasArn");
    });

    it("requires TLS 1.2 or later by default", async () => {
        const bucketPolicy = JSON.parse(await valueOf(sb.bucketPolicy)) as PolicyDocument;
        const tls = bucketPolicy.Statement.find((s) => s.Sid === BUCKET_POLICY_SIDS.denyOutdatedTls);
        expect(tls?.Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.2" } });
    });
});

describe("SecureBucket data users without an explicit region", () => {
    it("names S3 in the provider's region as kms:ViaService", async () => {
        const sb = await build("plain", { readers: ["arn:aws:iam::111111111111:role/reader"] });
        const keyPolicy = JSON.parse(await valueOf(sb.keyPolicy)) as PolicyDocument;
        const readers = keyPolicy.Statement.find((s) => s.Sid === KEY_POLICY_SIDS.allowReaders);
        expect(readers?.Condition?.StringEquals).to.deep.equal({ "kms:ViaService": `s3.${PROVIDER_REGION}.amazonaws.com` });
    });
});

describe("SecureBucket fully configured", () => {
    const admin = "arn:aws:iam::111111111111:role/security/key-admin";
    const reader = "arn:aws:iam::222222222222:role/analytics-reader";
    const writer = "arn:aws:iam::111111111111:user/ingest";
    const args: SecureBucketArgs = {
        administrators: [admin],
        readers: [reader, pulumi.output("arn:aws:iam::111111111111:role/app")],
        writers: [writer, Promise.resolve("arn:aws:iam::111111111111:role/app")],
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
    before(async () => {
        clearRecorded();
        sb = await build("archive", args);
        resources = [...recordedResources()];
    });

    it("sets the region on every child resource", () => {
        const children = resources.filter((r) => r.type !== COMPONENT_TYPE);
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
        expect(resources.filter((r) => r.protect)).to.deep.equal([]);
    });

    it("turns the bucket key off, suspends versioning and uses the given lifecycle periods", () => {
        const rule = (one(CHILD_TYPES.encryption).inputs.rules as Record<string, unknown>[])[0];
        expect(rule.bucketKeyEnabled).to.equal(false);
        expect(one(CHILD_TYPES.versioning).inputs.versioningConfiguration).to.deep.equal({ status: "Suspended" });
        const rules = one(CHILD_TYPES.lifecycle).inputs.rules as { abortIncompleteMultipartUpload?: unknown; noncurrentVersionExpiration?: unknown }[];
        expect(rules[0].abortIncompleteMultipartUpload).to.deep.equal({ daysAfterInitiation: 2 });
        expect(rules[1].noncurrentVersionExpiration).to.deep.equal({ noncurrentDays: 30 });
    });

    it("grants readers and writers in the bucket policy, resolving Output and Promise principals, without duplicates", async () => {
        const document = JSON.parse(await valueOf(sb.bucketPolicy)) as PolicyDocument;
        const readers = document.Statement.find((s) => s.Sid === BUCKET_POLICY_SIDS.allowReaders);
        const writers = document.Statement.find((s) => s.Sid === BUCKET_POLICY_SIDS.allowWriters);
        expect(readers?.Principal).to.deep.equal({ AWS: [reader, "arn:aws:iam::111111111111:role/app"] });
        expect(writers?.Principal).to.deep.equal({ AWS: [writer, "arn:aws:iam::111111111111:role/app"] });
        const tls = document.Statement.find((s) => s.Sid === BUCKET_POLICY_SIDS.denyOutdatedTls);
        expect(tls?.Condition).to.deep.equal({ NumericLessThan: { "s3:TlsVersion": "1.3" } });
    });

    it("builds the key policy for the configured region, bucket and principals", async () => {
        const document = JSON.parse(await valueOf(sb.keyPolicy)) as PolicyDocument;
        expect(document.Statement.map((s) => s.Sid)).to.deep.equal([
            KEY_POLICY_SIDS.enableIamPolicies,
            KEY_POLICY_SIDS.allowAdministration,
            KEY_POLICY_SIDS.allowReaders,
            KEY_POLICY_SIDS.allowWriters,
            KEY_POLICY_SIDS.denyDeletion,
        ]);
        const writers = document.Statement.find((s) => s.Sid === KEY_POLICY_SIDS.allowWriters);
        expect(writers?.Condition).to.deep.equal({
            StringEquals: { "kms:ViaService": "s3.eu-central-1.amazonaws.com" },
            StringLike: { "kms:EncryptionContext:aws:s3:arn": ["arn:aws:s3:::example-corp-archive", "arn:aws:s3:::example-corp-archive/*"] },
        });
        const deny = document.Statement.find((s) => s.Sid === KEY_POLICY_SIDS.denyDeletion);
        // The deployer's role (its path from getSessionContext, not the session ARN) is exempt too.
        expect(deny?.Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": [admin, DEPLOYER_ROLE_ARN] } });
    });

    it("keeps the component's own resource options: protect on the component reaches every child", async () => {
        await build("guarded", { bucketName: "example-guarded", protect: false }, { protect: true });
        const guarded = recordedResources().filter((r) => r.name.startsWith("guarded"));
        expect(guarded).to.have.length(10);
        for (const r of guarded) expect(r.protect, r.type).to.equal(true);
    });
});

describe("SecureBucket policy size limits", () => {
    /** The error an Output's apply raised, read the way the engine reads the Output. */
    async function failureOf(output: pulumi.Output<string>): Promise<string> {
        try {
            await (output as unknown as { promise(): Promise<string> }).promise();
        } catch (error) {
            return String(error);
        }
        return "no error";
    }
    const readers = (count: number) => Array.from({ length: count }, (_, i) => `arn:aws:iam::111111111111:role/reader-with-a-rather-long-name-${i}`);

    /** The resources that take the oversized policy fail to register, as `pulumi up` would report. */
    const registrationFailuresMentioning = (text: string) => takeUnhandledRejections((reason) => String(reason).includes(text));

    it("fails with a message naming the principal arguments when the bucket policy would exceed 20 KB", async () => {
        const sb = new SecureBucket("crowded", { readers: readers(300) });
        const failure = await failureOf(sb.bucketPolicy);
        expect(await registrationFailuresMentioning("bucket policy would be")).to.not.deep.equal([]);
        expect(failure).to.match(/bucket policy would be \d+ bytes, over AWS's 20480-byte limit/);
        expect(failure).to.include("administrators, readers and writers");
    });

    it("fails with a message naming the principal arguments when the key policy would exceed 32 KB", async () => {
        const sb = new SecureBucket("more-crowded", { readers: readers(500) });
        const failure = await failureOf(sb.keyPolicy);
        expect(await registrationFailuresMentioning("key policy would be")).to.not.deep.equal([]);
        expect(failure).to.match(/key policy would be \d+ bytes, over AWS's 32768-byte limit/);
    });
});
