/**
 * The replication role's identity policy, evaluated with the IAM simulator as the role's own policy:
 * every action replication needs is allowed on the right bucket or key, and nothing else; and the
 * source and destination SecureBucket policies do not deny what replication does.
 */
import { expect } from "chai";
import { buildBucketPolicy } from "../components/policies/bucketPolicy";
import { buildKeyPolicy } from "../components/policies/keyPolicy";
import { buildReplicationRolePolicy, ReplicationSide } from "../components/policies/replicationPolicy";
import { ContextOverrides, IdentityPolicyDocument, simulateKms, simulateS3 } from "./helpers/simulate";

const ACCOUNT = "111111111111";
const ROLE = `arn:aws:iam::${ACCOUNT}:role/data-replication-role`;
const SOURCE: ReplicationSide = {
    bucketArn: "arn:aws:s3:::example-data",
    keyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`,
    region: "eu-west-1",
    bucketKeyEnabled: true,
};
const DESTINATION: ReplicationSide = {
    bucketArn: "arn:aws:s3:::example-data-replica",
    keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/22222222-2222-2222-2222-222222222222`,
    region: "us-east-1",
    bucketKeyEnabled: true,
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
const s3 = (action: string, side: ReplicationSide, path: string, identity = ROLE_POLICY) =>
    simulateS3({ principal: ROLE, action, resource: path === "" ? side.bucketArn : `${side.bucketArn}/${path}`, bucketPolicy: bucketPolicyOf(side), identityPolicies: [identity] });

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
        it("kms:Decrypt on the source key, through S3 in the source's region, for the source bucket: Allowed", async () => {
            expect(await kms("kms:Decrypt", SOURCE, viaS3(SOURCE))).to.equal("Allowed");
        });
        it("kms:Encrypt on the destination key, through S3 in the destination's region, for the destination bucket: Allowed", async () => {
            expect(await kms("kms:Encrypt", DESTINATION, viaS3(DESTINATION))).to.equal("Allowed");
        });
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
        it("kms:Decrypt on the destination key: ImplicitlyDenied", async () => {
            expect(await kms("kms:Decrypt", DESTINATION, viaS3(DESTINATION))).to.equal("ImplicitlyDenied");
        });
        it("kms:Encrypt on the destination key for the source bucket's context: ImplicitlyDenied", async () => {
            expect(await kms("kms:Encrypt", DESTINATION, viaS3(DESTINATION, DESTINATION.region, SOURCE.bucketArn))).to.equal("ImplicitlyDenied");
        });
    });

    it("with Bucket Key off, the encryption context is the object ARN: Decrypt for an object of the source is Allowed, for the bucket ARN it is not", async () => {
        const off = { ...SOURCE, bucketKeyEnabled: false };
        const policy = buildReplicationRolePolicy({ source: off, destination: DESTINATION, accountId: ACCOUNT, dnsSuffix: "amazonaws.com", replicateDeletes: false, sourceObjectLock: false }) as IdentityPolicyDocument;
        const decrypt = (context: string) =>
            simulateKms({ principal: ROLE, action: "kms:Decrypt", keyArn: off.keyArn, context: viaS3(off, off.region, context), keyPolicy: keyPolicyOf(off), identityPolicies: [policy] });
        expect(await decrypt(`${off.bucketArn}/a/b.csv`)).to.equal("Allowed");
        expect(await decrypt(off.bucketArn)).to.equal("ImplicitlyDenied");
    });
});
