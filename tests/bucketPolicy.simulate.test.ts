import { expect } from "chai";
import { BUCKET_POLICY_SIDS, BucketPolicyInput, buildBucketPolicy } from "../components/policies/bucketPolicy";
import { PolicyDocument } from "../components/policies/policyDocument";
import {
    ContextOverrides,
    iamAllow,
    IdentityPolicyDocument,
    SimulationResult,
    simulateS3,
    simulateS3Detailed,
} from "./helpers/simulate";

const BUCKET_ARN = "arn:aws:s3:::example-secure-data";
const OBJECT_ARN = `${BUCKET_ARN}/reports/2024/summary.csv`;
const KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/0987dcba-09fe-87dc-65ba-ab0987654321";
const KEY_ALIAS_ARN = "arn:aws:kms:us-east-1:111111111111:alias/example-secure-data";
/** This key's bare key id: the part of its ARN after `key/`. */
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const OTHER_KEY_ID = "0987dcba-09fe-87dc-65ba-ab0987654321";

const READER = "arn:aws:iam::111111111111:role/reader";
const CROSS_ACCOUNT_READER = "arn:aws:iam::222222222222:role/analytics-reader";
const WRITER = "arn:aws:iam::111111111111:role/writer";
const UNLISTED_SAME_ACCOUNT = "arn:aws:iam::111111111111:role/unlisted";
const UNLISTED_OTHER_ACCOUNT = "arn:aws:iam::333333333333:role/outsider";
/** A same-account role holding s3:ReplicateObject on the bucket: any replication rule of the account into it. */
const REPLICATOR = "arn:aws:iam::111111111111:role/replication";

const SSE = "s3:x-amz-server-side-encryption";
const SSE_KMS_KEY_ID = "s3:x-amz-server-side-encryption-aws-kms-key-id";
const SSE_C_ALGORITHM = "s3:x-amz-server-side-encryption-customer-algorithm";

const DISTRIBUTION = "arn:aws:cloudfront::111111111111:distribution/E2QWRUHAPOMQZL";
const OTHER_DISTRIBUTION = "arn:aws:cloudfront::333333333333:distribution/EDFDVBD632BHDS5";
const CLOUDFRONT = "cloudfront.amazonaws.com";

const INPUT: BucketPolicyInput = {
    bucketArn: BUCKET_ARN,
    keyArn: KEY_ARN,
    minimumTlsVersion: "1.2",
    readers: [READER, CROSS_ACCOUNT_READER],
    writers: [WRITER],
    cloudFrontDistributions: [DISTRIBUTION],
};
const POLICY = buildBucketPolicy(INPUT);
const POLICY_TLS_13 = buildBucketPolicy({ ...INPUT, minimumTlsVersion: "1.3" });

/** Plain HTTP: `aws:SecureTransport` is "false" and there is no TLS version. */
const HTTP: ContextOverrides = { "aws:SecureTransport": "false", "s3:TlsVersion": undefined };
/** Plain HTTP where the request carries no `aws:SecureTransport` key at all. */
const HTTP_WITHOUT_SECURE_TRANSPORT_KEY: ContextOverrides = { "aws:SecureTransport": undefined, "s3:TlsVersion": undefined };

const IAM_S3_EVERYTHING = iamAllow(["s3:*"], ["*"]);
const IAM_GET_OBJECT = iamAllow(["s3:GetObject"], [`${BUCKET_ARN}/*`]);
const IAM_REPLICATE = iamAllow(["s3:ReplicateObject"], [`${BUCKET_ARN}/*`]);
const IAM_READ = iamAllow(["s3:GetObject", "s3:ListBucket"], [BUCKET_ARN, `${BUCKET_ARN}/*`]);

interface Case {
    name: string;
    principal: string;
    action: string;
    resource: string;
    context?: ContextOverrides;
    identityPolicies?: IdentityPolicyDocument[];
    policy?: PolicyDocument;
    expected: SimulationResult;
    /**
     * The bucket-policy statement that decides the case: for a denial the one Deny statement that
     * fires (and no other), for an allowance a statement that grants it.
     */
    decidedBy?: string;
}

const SIDS = BUCKET_POLICY_SIDS;

const cases: Case[] = [
    // Writers and server-side encryption headers.
    {
        name: "writer PutObject over TLS with no SSE headers (bucket default encryption) is Allowed",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        expected: "Allowed",
        decidedBy: SIDS.allowWriters,
    },
    {
        name: "writer PutObject with SSE aws:kms and this key's ARN is Allowed",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: KEY_ARN },
        expected: "Allowed",
        decidedBy: SIDS.allowWriters,
    },
    {
        name: "writer PutObject with SSE aws:kms and no key id (would use aws/s3) is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE]: "aws:kms" },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyKmsWithoutKeyId,
    },
    {
        name: "writer PutObject with SSE aws:kms and another key's ARN is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: OTHER_KEY_ARN },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyOtherKmsKeys,
    },
    {
        name: "writer PutObject with SSE aws:kms and this key's alias ARN as key id is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: KEY_ALIAS_ARN },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyOtherKmsKeys,
    },
    {
        name: "writer PutObject with SSE aws:kms and this key's alias name (alias/...) as key id is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: "alias/example-secure-data" },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyOtherKmsKeys,
    },
    {
        name: "writer PutObject with SSE AES256 (SSE-S3) is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE]: "AES256" },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyNonKmsEncryption,
    },
    {
        name: "writer PutObject with SSE-C (customer algorithm AES256) is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE_C_ALGORITHM]: "AES256" },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denySseC,
    },
    {
        name: "writer PutObject with SSE aws:kms and this key's bare key id is ExplicitlyDenied (uploads name the key by its ARN)",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: KEY_ID },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyOtherKmsKeys,
    },
    {
        name: "writer multipart UploadPart (authorised as s3:PutObject, carries no SSE headers) is Allowed",
        principal: WRITER,
        action: "s3:PutObject",
        resource: `${BUCKET_ARN}/uploads/large-file.bin`,
        expected: "Allowed",
        decidedBy: SIDS.allowWriters,
    },

    // Replicas (s3:ReplicateObject) by a replicator of the account: this key by its ARN or its bare
    // key id (a bare id resolves in the requester's account, the only one the policy admits), or no
    // header; nothing else.
    ...(
        [
            ["this key's ARN", { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: KEY_ARN }, undefined],
            ["this key's bare key id", { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: KEY_ID }, undefined],
            ["aws:kms and no key id", { [SSE]: "aws:kms" }, undefined],
            ["no encryption header", {}, undefined],
            ["another key's ARN", { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: OTHER_KEY_ARN }, SIDS.denyOtherKmsKeysForReplicas],
            ["another key's bare key id", { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: OTHER_KEY_ID }, SIDS.denyOtherKmsKeysForReplicas],
            ["this key's alias ARN", { [SSE]: "aws:kms", [SSE_KMS_KEY_ID]: KEY_ALIAS_ARN }, SIDS.denyOtherKmsKeysForReplicas],
            ["SSE AES256 (SSE-S3)", { [SSE]: "AES256" }, SIDS.denyNonKmsEncryption],
            ["SSE-C", { [SSE_C_ALGORITHM]: "AES256" }, SIDS.denySseC],
        ] as [string, ContextOverrides, string | undefined][]
    ).map(
        ([what, context, deniedBy]): Case => ({
            name: `replicator ReplicateObject with ${what} is ${deniedBy === undefined ? "Allowed" : "ExplicitlyDenied"}`,
            principal: REPLICATOR,
            action: "s3:ReplicateObject",
            resource: OBJECT_ARN,
            context,
            identityPolicies: [IAM_REPLICATE],
            expected: deniedBy === undefined ? "Allowed" : "ExplicitlyDenied",
            decidedBy: deniedBy,
        }),
    ),

    // Transport.
    {
        name: "writer PutObject over plain HTTP (aws:SecureTransport false) is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: HTTP,
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
    {
        name: "writer PutObject over plain HTTP with aws:SecureTransport absent is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: HTTP_WITHOUT_SECURE_TRANSPORT_KEY,
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
    {
        name: "writer PutObject over TLS 1.1 is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { "s3:TlsVersion": "1.1" },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyOutdatedTls,
    },
    {
        name: "writer PutObject over TLS 1.3 with a minimum of TLS 1.3 is Allowed",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { "s3:TlsVersion": "1.3" },
        policy: POLICY_TLS_13,
        expected: "Allowed",
        decidedBy: SIDS.allowWriters,
    },
    {
        name: "writer PutObject over TLS 1.2 with a minimum of TLS 1.3 is ExplicitlyDenied",
        principal: WRITER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        policy: POLICY_TLS_13,
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyOutdatedTls,
    },

    // Readers.
    {
        name: "reader GetObject is Allowed",
        principal: READER,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        expected: "Allowed",
        decidedBy: SIDS.allowReaders,
    },
    {
        name: "reader ListBucket on the bucket ARN is Allowed",
        principal: READER,
        action: "s3:ListBucket",
        resource: BUCKET_ARN,
        expected: "Allowed",
        decidedBy: SIDS.allowReaders,
    },
    {
        name: "reader GetObject over plain HTTP is ExplicitlyDenied",
        principal: READER,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        context: HTTP,
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
    {
        name: "reader ListBucket on the bucket ARN over plain HTTP is ExplicitlyDenied",
        principal: READER,
        action: "s3:ListBucket",
        resource: BUCKET_ARN,
        context: HTTP,
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
    {
        name: "reader PutObject is ImplicitlyDenied",
        principal: READER,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        expected: "ImplicitlyDenied",
    },

    // Writers get no read or delete.
    {
        name: "writer GetObject is ImplicitlyDenied",
        principal: WRITER,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer DeleteObject is ImplicitlyDenied",
        principal: WRITER,
        action: "s3:DeleteObject",
        resource: OBJECT_ARN,
        expected: "ImplicitlyDenied",
    },

    // Principals not named in the policy, and the interplay with IAM policies.
    {
        name: "unlisted same-account principal with no IAM policy: GetObject is ImplicitlyDenied",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        expected: "ImplicitlyDenied",
    },
    {
        name: "unlisted same-account principal whose IAM policy allows s3:GetObject is Allowed (account IAM not locked out)",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        identityPolicies: [IAM_GET_OBJECT],
        expected: "Allowed",
    },
    {
        name: "unlisted same-account principal whose IAM policy allows s3:GetObject, over plain HTTP, is ExplicitlyDenied",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        identityPolicies: [IAM_GET_OBJECT],
        context: HTTP,
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
    {
        name: "unlisted principal of another account holding s3:* on * in its IAM policy: GetObject is ImplicitlyDenied",
        principal: UNLISTED_OTHER_ACCOUNT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        identityPolicies: [IAM_S3_EVERYTHING],
        expected: "ImplicitlyDenied",
    },
    {
        name: "unlisted principal of another account holding s3:* on * in its IAM policy: PutObject is ImplicitlyDenied",
        principal: UNLISTED_OTHER_ACCOUNT,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        identityPolicies: [IAM_S3_EVERYTHING],
        expected: "ImplicitlyDenied",
    },
    {
        name: "listed cross-account reader holding a matching IAM policy: GetObject is Allowed",
        principal: CROSS_ACCOUNT_READER,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        identityPolicies: [IAM_READ],
        expected: "Allowed",
        decidedBy: SIDS.allowReaders,
    },
    {
        name: "listed cross-account reader holding a matching IAM policy: ListBucket is Allowed",
        principal: CROSS_ACCOUNT_READER,
        action: "s3:ListBucket",
        resource: BUCKET_ARN,
        identityPolicies: [IAM_READ],
        expected: "Allowed",
        decidedBy: SIDS.allowReaders,
    },
    {
        name: "listed cross-account reader with no IAM policy: GetObject is ImplicitlyDenied",
        principal: CROSS_ACCOUNT_READER,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        expected: "ImplicitlyDenied",
    },

    // CloudFront through Origin Access Control: the named distribution only.
    {
        name: "CloudFront reading an object for the named distribution (AWS:SourceArn) is Allowed",
        principal: CLOUDFRONT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        context: { "aws:SourceArn": DISTRIBUTION },
        expected: "Allowed",
        decidedBy: SIDS.allowCloudFront,
    },
    {
        name: "CloudFront reading an object for another distribution is ImplicitlyDenied",
        principal: CLOUDFRONT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        context: { "aws:SourceArn": OTHER_DISTRIBUTION },
        expected: "ImplicitlyDenied",
    },
    {
        name: "CloudFront reading an object with no AWS:SourceArn is ImplicitlyDenied",
        principal: CLOUDFRONT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        expected: "ImplicitlyDenied",
    },
    {
        name: "CloudFront writing an object for the named distribution is ImplicitlyDenied",
        principal: CLOUDFRONT,
        action: "s3:PutObject",
        resource: OBJECT_ARN,
        context: { "aws:SourceArn": DISTRIBUTION },
        expected: "ImplicitlyDenied",
    },
    {
        name: "CloudFront reading over plain HTTP is ExplicitlyDenied",
        principal: CLOUDFRONT,
        action: "s3:GetObject",
        resource: OBJECT_ARN,
        context: { "aws:SourceArn": DISTRIBUTION, ...HTTP },
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
];

describe("bucket policy, simulated (iam-simulate)", () => {
    describe("allows and denies exactly what it claims", () => {
        for (const c of cases) {
            it(c.name, async () => {
                const outcome = await simulateS3Detailed({
                    principal: c.principal,
                    action: c.action,
                    resource: c.resource,
                    context: c.context,
                    bucketPolicy: c.policy ?? POLICY,
                    identityPolicies: c.identityPolicies,
                });
                expect(outcome.result).to.equal(c.expected);
                if (c.expected === "ExplicitlyDenied" && c.decidedBy !== undefined) {
                    // The intended statement, and only that one, denies the request.
                    expect(outcome.denyingSids).to.deep.equal([c.decidedBy]);
                }
                if (c.expected === "Allowed" && c.decidedBy !== undefined) {
                    expect(outcome.grantingSids).to.include(c.decidedBy);
                }
                if (c.expected !== "ExplicitlyDenied") {
                    expect(outcome.denyingSids, "no Deny statement may fire").to.deep.equal([]);
                }
            });
        }

        it("every statement Sid in BUCKET_POLICY_SIDS decides at least one case above", () => {
            const decided = new Set(cases.flatMap((c) => (c.decidedBy === undefined ? [] : [c.decidedBy])));
            const undecided = Object.values(BUCKET_POLICY_SIDS).filter((sid) => !decided.has(sid));
            expect(undecided).to.deep.equal([]);
        });

        it("every statement of the policy has a Sid listed in BUCKET_POLICY_SIDS", () => {
            const known = new Set<string>(Object.values(BUCKET_POLICY_SIDS));
            expect(POLICY.Statement.map((s) => s.Sid).filter((sid) => !known.has(sid))).to.deep.equal([]);
        });
    });

    it("refuses a keyArn that is not a key ARN (an alias ARN has no bare key id to admit for replicas)", () => {
        expect(() => buildBucketPolicy({ ...INPUT, keyArn: KEY_ALIAS_ARN })).to.throw(`buildBucketPolicy: keyArn "${KEY_ALIAS_ARN}" must be a KMS key ARN`);
    });

    describe("with no readers, no writers and no CloudFront distributions", () => {
        const empty = buildBucketPolicy({ ...INPUT, readers: [], writers: [], cloudFrontDistributions: [] });

        it("has no Allow statements, only the Deny statements", () => {
            expect(empty.Statement.filter((s) => s.Effect === "Allow")).to.deep.equal([]);
            expect(empty.Statement.map((s) => s.Sid)).to.have.members([
                SIDS.denyInsecureTransport,
                SIDS.denyOutdatedTls,
                SIDS.denyNonKmsEncryption,
                SIDS.denyKmsWithoutKeyId,
                SIDS.denyOtherKmsKeys,
                SIDS.denyOtherKmsKeysForReplicas,
                SIDS.denySseC,
            ]);
        });

        it("a principal that would have been a writer: PutObject is ImplicitlyDenied", async () => {
            const result = await simulateS3({ principal: WRITER, action: "s3:PutObject", resource: OBJECT_ARN, bucketPolicy: empty });
            expect(result).to.equal("ImplicitlyDenied");
        });

        it("a principal that would have been a cross-account reader, holding a matching IAM policy: GetObject is ImplicitlyDenied", async () => {
            const result = await simulateS3({
                principal: CROSS_ACCOUNT_READER,
                action: "s3:GetObject",
                resource: OBJECT_ARN,
                bucketPolicy: empty,
                identityPolicies: [IAM_READ],
            });
            expect(result).to.equal("ImplicitlyDenied");
        });

        it("a same-account principal whose IAM policy allows s3:GetObject is still Allowed", async () => {
            const result = await simulateS3({
                principal: UNLISTED_SAME_ACCOUNT,
                action: "s3:GetObject",
                resource: OBJECT_ARN,
                bucketPolicy: empty,
                identityPolicies: [IAM_GET_OBJECT],
            });
            expect(result).to.equal("Allowed");
        });
    });
});
