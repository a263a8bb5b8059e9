/**
 * The replication role's identity policy, evaluated with the IAM simulator together with the source
 * and destination SecureBucket's bucket and key policies: every call replication makes is allowed,
 * whatever the Bucket Key settings of the buckets and of the objects, with the request values the
 * README's table assumes; nothing else is; and no principal lands a replica under SSE-S3 or another key.
 */
import { expect } from "chai";
import { BUCKET_POLICY_SIDS, buildBucketPolicy } from "../components/policies/bucketPolicy";
import { buildKeyPolicy } from "../components/policies/keyPolicy";
import { buildReplicationRolePolicy, ReplicationSide } from "../components/policies/replicationPolicy";
import { ContextOverrides, iamAllow, IdentityPolicyDocument, simulateKms, simulateS3, simulateS3Detailed } from "./helpers/simulate";

const ACCOUNT = "111111111111";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/data-replication-role`;
const SOURCE: ReplicationSide = {
    bucketArn: "arn:aws:s3:::example-data",
    keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`,
    region: "eu-west-1",
};
const DESTINATION: ReplicationSide = {
    bucketArn: "arn:aws:s3:::example-data-replica",
    keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/22222222-2222-2222-2222-222222222222`,
    region: "us-east-1",
};
const OTHER_BUCKET = "arn:aws:s3:::example-elsewhere";
const OTHER_KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/33333333-3333-3333-3333-333333333333`;
const CONTEXT = "kms:EncryptionContext:aws:s3:arn";

const rolePolicy = (replicateDeletes: boolean, sourceObjectLock = false) =>
    buildReplicationRolePolicy({ source: SOURCE, destination: DESTINATION, accountId: ACCOUNT, dnsSuffix: "amazonaws.com", replicateDeletes, sourceObjectLock }) as IdentityPolicyDocument;
const ROLE_POLICY = rolePolicy(true);

/** A SecureBucket's bucket policy for a side, with some other reader and writer. */
const bucketPolicyOf = (side: ReplicationSide) =>
    buildBucketPolicy({ bucketArn: side.bucketArn, keyArn: side.keyArn, minimumTlsVersion: "1.2", readers: [`arn:aws:iam::${ACCOUNT}:role/app`], writers: [] });
const keyPolicyOf = (side: ReplicationSide) =>
    buildKeyPolicy({
        partition: "aws",
        dnsSuffix: "amazonaws.com",
        accountId: ACCOUNT,
        region: side.region,
        bucketArn: side.bucketArn,
        deployer: `arn:aws:iam::${ACCOUNT}:role/deployer`,
        administrators: [`arn:aws:iam::${ACCOUNT}:role/key-admin`],
        readers: [],
        writers: [],
    });

const OTHER: ReplicationSide = { ...SOURCE, bucketArn: OTHER_BUCKET };
/** The role's S3 request on `path` of a bucket (its ARN when empty), decided with that bucket's SecureBucket policy. */
const s3 = (action: string, side: ReplicationSide, path: string, identity = ROLE_POLICY, context: ContextOverrides = {}) =>
    simulateS3({ principal: ROLE, action, resource: path === "" ? side.bucketArn : `${side.bucketArn}/${path}`, context, bucketPolicy: bucketPolicyOf(side), identityPolicies: [identity] });

const SSE = "s3:x-amz-server-side-encryption";
const SSE_KEY = "s3:x-amz-server-side-encryption-aws-kms-key-id";
const SSE_C = "s3:x-amz-server-side-encryption-customer-algorithm";
/** The destination key's bare key id: the part of its ARN after `key/`. */
const DESTINATION_KEY_ID = "22222222-2222-2222-2222-222222222222";
/**
 * The encryption headers assumed for S3's own s3:ReplicateObject (the README's table): an SSE-KMS
 * replica is encrypted with the rule's replicaKmsKeyId, the destination key's ARN, which the request
 * may name by that ARN, by its bare key id, or not at all (AWS documents none of these); no SSE-C
 * header. TLS as every request of the helpers.
 */
const REPLICA_REQUESTS: ContextOverrides[] = [{ [SSE]: "aws:kms", [SSE_KEY]: DESTINATION.keyArn }, { [SSE]: "aws:kms", [SSE_KEY]: DESTINATION_KEY_ID }, { [SSE]: "aws:kms" }, {}];

const viaS3 = (side: ReplicationSide, region = side.region, context = side.bucketArn): ContextOverrides => ({ "kms:ViaService": `s3.${region}.amazonaws.com`, [CONTEXT]: context });
const kms = (action: string, keySide: ReplicationSide, context: ContextOverrides, keyArn = keySide.keyArn) =>
    simulateKms({ principal: ROLE, action, keyArn, context, keyPolicy: keyPolicyOf(keySide), identityPolicies: [ROLE_POLICY] });

describe("replication role policy, simulated (iam-simulate)", () => {
    describe("allows what replication needs, through the SecureBucket policies of both buckets", () => {
        for (const action of ["s3:GetReplicationConfiguration", "s3:ListBucket"]) {
            it(`${action} on the source bucket: Allowed`, async () => expect(await s3(action, SOURCE, "")).to.equal("Allowed"));
        }
        for (const action of ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]) {
            it(`${action} on a source object: Allowed`, async () => expect(await s3(action, SOURCE, "a/b.csv")).to.equal("Allowed"));
        }
        for (const action of ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]) {
            it(`${action} on a destination object: Allowed`, async () => expect(await s3(action, DESTINATION, "a/b.csv")).to.equal("Allowed"));
        }
    });

    describe("from an Object Lock source, also reads each version's retention and legal hold", () => {
        for (const action of ["s3:GetObjectRetention", "s3:GetObjectLegalHold"]) {
            it(`${action} on a source object: Allowed; on a destination object: ImplicitlyDenied`, async () => {
                expect(await s3(action, SOURCE, "a/b.csv", rolePolicy(false, true))).to.equal("Allowed");
                expect(await s3(action, DESTINATION, "a/b.csv", rolePolicy(false, true))).to.equal("ImplicitlyDenied");
            });
        }
    });

    describe("allows nothing else", () => {
        it("from a source without Object Lock, reading retention and legal holds is not granted: ImplicitlyDenied", async () => {
            for (const action of ["s3:GetObjectRetention", "s3:GetObjectLegalHold"]) expect(await s3(action, SOURCE, "a")).to.equal("ImplicitlyDenied");
        });
        it("without replicateDeletes, s3:ReplicateDelete is not granted: ImplicitlyDenied", async () => {
            expect(await s3("s3:ReplicateDelete", DESTINATION, "a", rolePolicy(false))).to.equal("ImplicitlyDenied");
        });
        it("reading object versions of another bucket: ImplicitlyDenied", async () => {
            expect(await s3("s3:GetObjectVersionForReplication", OTHER, "a")).to.equal("ImplicitlyDenied");
        });
        it("replicating into another bucket (or back into the source): ImplicitlyDenied", async () => {
            expect(await s3("s3:ReplicateObject", OTHER, "a")).to.equal("ImplicitlyDenied");
            expect(await s3("s3:ReplicateObject", SOURCE, "a")).to.equal("ImplicitlyDenied");
        });
        it("reading the destination's object versions, or plain GetObject on the source: ImplicitlyDenied", async () => {
            expect(await s3("s3:GetObjectVersionForReplication", DESTINATION, "a")).to.equal("ImplicitlyDenied");
            expect(await s3("s3:GetObject", SOURCE, "a")).to.equal("ImplicitlyDenied");
        });
        it("kms:Decrypt on another key: ImplicitlyDenied", async () => {
            expect(await kms("kms:Decrypt", { ...SOURCE, keyArn: OTHER_KEY }, viaS3(SOURCE))).to.equal("ImplicitlyDenied");
        });
        it("kms:Decrypt on the source key called directly, not through S3: ImplicitlyDenied", async () => {
            expect(await kms("kms:Decrypt", SOURCE, { [CONTEXT]: SOURCE.bucketArn })).to.equal("ImplicitlyDenied");
        });
        it("kms:Decrypt on the source key through S3 in another region: ImplicitlyDenied", async () => {
            expect(await kms("kms:Decrypt", SOURCE, viaS3(SOURCE, "us-east-1"))).to.equal("ImplicitlyDenied");
        });
        it("kms:Decrypt on the source key for another bucket's encryption context: ImplicitlyDenied", async () => {
            expect(await kms("kms:Decrypt", SOURCE, viaS3(SOURCE, SOURCE.region, OTHER_BUCKET))).to.equal("ImplicitlyDenied");
        });
        it("kms:Encrypt on the source key: ImplicitlyDenied", async () => {
            expect(await kms("kms:Encrypt", SOURCE, viaS3(SOURCE))).to.equal("ImplicitlyDenied");
        });
        it("kms:Decrypt on the destination key for the source bucket's context: ImplicitlyDenied", async () => {
            expect(await kms("kms:Decrypt", DESTINATION, viaS3(DESTINATION, DESTINATION.region, `${SOURCE.bucketArn}/a`))).to.equal("ImplicitlyDenied");
        });
        it("kms:Encrypt on the destination key for the source bucket's context: ImplicitlyDenied", async () => {
            expect(await kms("kms:Encrypt", DESTINATION, viaS3(DESTINATION, DESTINATION.region, SOURCE.bucketArn))).to.equal("ImplicitlyDenied");
        });
    });

    describe("every call replication makes, for the four Bucket Key combinations of the buckets and objects written with and without the Bucket Key: Allowed", () => {
        // No policy takes a Bucket Key setting: the four combinations of bucketKeyEnabled on the two
        // buckets build the same policies (tests/replication.test.ts, "SecureBucketReplication for the
        // four combinations of bucketKeyEnabled"), so what they change is only what S3 sends, and one
        // simulation of each request covers all four. The S3 requests carry no encryption context. The
        // KMS requests carry the encryption context of the object: the bucket ARN for an object written
        // under a Bucket Key, the object ARN for one written without (before the bucket's Bucket Key
        // was turned on, or with x-amz-server-side-encryption-bucket-key-enabled: false, which the
        // bucket policy allows), so a bucket holds both kinds whatever its setting; a replica
        // "generally" keeps its source object's setting ("Using an S3 Bucket Key with replication", S3
        // User Guide), and since "generally" is not "always", every pair of source and replica forms is
        // covered: each KMS call is decided on its own context, so simulating the source's Decrypt and
        // the replica's Encrypt for both forms covers the four pairs.
        const contextOf = (side: ReplicationSide, writtenWithBucketKey: boolean) => (writtenWithBucketKey ? side.bucketArn : `${side.bucketArn}/a/b.csv`);
        const written = (withBucketKey: boolean) => (withBucketKey ? "with" : "without");

        it("s3:ReplicateObject, the replica written with each tabled set of encryption headers (the other S3 calls, which carry none: 'allows what replication needs')", async () => {
            for (const headers of REPLICA_REQUESTS) {
                expect(await s3("s3:ReplicateObject", DESTINATION, "a/b.csv", ROLE_POLICY, headers), `ReplicateObject ${JSON.stringify(headers)}`).to.equal("Allowed");
            }
        });
        for (const withBucketKey of [true, false]) {
            it(`objects written ${written(withBucketKey)} a Bucket Key: kms:Decrypt on the source key for a source object, kms:Encrypt on the destination key for a replica`, async () => {
                expect(await kms("kms:Decrypt", SOURCE, viaS3(SOURCE, SOURCE.region, contextOf(SOURCE, withBucketKey))), "Decrypt source").to.equal("Allowed");
                expect(await kms("kms:Encrypt", DESTINATION, viaS3(DESTINATION, DESTINATION.region, contextOf(DESTINATION, withBucketKey))), "Encrypt replica").to.equal("Allowed");
            });
        }
        it("replica written with a Bucket Key: kms:Decrypt on the destination key for the destination bucket's context (S3 verifies the Bucket Key with it)", async () => {
            // The one Decrypt on the replica's key AWS documents: "Replicating encrypted objects", S3
            // User Guide, "Amazon S3 Bucket Keys and replication".
            expect(await kms("kms:Decrypt", DESTINATION, viaS3(DESTINATION, DESTINATION.region, contextOf(DESTINATION, true)))).to.equal("Allowed");
        });
        it("replica written without a Bucket Key: kms:Decrypt on the destination key for the replica's object ARN is Allowed too (an assumption, not a documented call)", async () => {
            // AWS documents Decrypt on the destination key only for verifying a Bucket Key (the
            // bucket-ARN context, above). The grant is kept for the object-ARN context as well: a
            // replica of an object written without a Bucket Key is encrypted under that context, and
            // should S3 ever decrypt or verify with it, a missing grant would fail that replica
            // silently; the grant stays within this key, through S3, for this bucket.
            expect(await kms("kms:Decrypt", DESTINATION, viaS3(DESTINATION, DESTINATION.region, contextOf(DESTINATION, false)))).to.equal("Allowed");
        });
    });

    describe("a replica under SSE-S3, another key or SSE-C: ExplicitlyDenied, for the replication role and for any other replicator of the account", () => {
        const OTHER_REPLICATOR = `arn:aws:iam::${ACCOUNT}:role/another-replication-rule`;
        const replicateAnything = iamAllow(["s3:ReplicateObject"], [`${DESTINATION.bucketArn}/*`]);
        const cases: [string, ContextOverrides, string][] = [
            ["SSE-S3 (AES256)", { [SSE]: "AES256" }, BUCKET_POLICY_SIDS.denyNonKmsEncryption],
            ["another KMS key, by its ARN", { [SSE]: "aws:kms", [SSE_KEY]: OTHER_KEY }, BUCKET_POLICY_SIDS.denyOtherKmsKeysForReplicas],
            ["another KMS key, by its bare key id", { [SSE]: "aws:kms", [SSE_KEY]: "33333333-3333-3333-3333-333333333333" }, BUCKET_POLICY_SIDS.denyOtherKmsKeysForReplicas],
            ["the destination key by its alias", { [SSE]: "aws:kms", [SSE_KEY]: "alias/example-data-replica" }, BUCKET_POLICY_SIDS.denyOtherKmsKeysForReplicas],
            ["SSE-C", { [SSE_C]: "AES256" }, BUCKET_POLICY_SIDS.denySseC],
        ];
        for (const [name, headers, sid] of cases) {
            it(`${name}: denied by ${sid}`, async () => {
                for (const [principal, identity] of [[OTHER_REPLICATOR, replicateAnything], [ROLE, ROLE_POLICY]] as const) {
                    const outcome = await simulateS3Detailed({ principal, action: "s3:ReplicateObject", resource: `${DESTINATION.bucketArn}/a`, context: headers, bucketPolicy: bucketPolicyOf(DESTINATION), identityPolicies: [identity] });
                    expect(outcome.result, principal).to.equal("ExplicitlyDenied");
                    expect(outcome.denyingSids, principal).to.deep.equal([sid]);
                }
            });
        }
        it("aws:kms without a key id: Allowed (a replica is never denied for a missing header; the README says what this leaves open)", async () => {
            const outcome = await simulateS3Detailed({ principal: OTHER_REPLICATOR, action: "s3:ReplicateObject", resource: `${DESTINATION.bucketArn}/a`, context: { [SSE]: "aws:kms" }, bucketPolicy: bucketPolicyOf(DESTINATION), identityPolicies: [replicateAnything] });
            expect(outcome.result).to.equal("Allowed");
        });
    });
});
