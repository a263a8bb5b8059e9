import { allowStatements, cloudFrontStatements, PolicyDocument, PolicyStatement } from "./policyDocument";
import { TRANSPORT_SIDS, transportDenies } from "./transport";

/** What the bucket policy is built from: plain values, resolved. */
export interface BucketPolicyInput {
    /** `arn:<partition>:s3:::<bucket>`. */
    bucketArn: string;
    /** ARN of the bucket's customer-managed key (never an alias). */
    keyArn: string;
    /** Lowest TLS version accepted. */
    minimumTlsVersion: "1.2" | "1.3";
    /** Principal ARNs allowed to read (get and list). */
    readers: readonly string[];
    /** Principal ARNs allowed to write (put and multipart). */
    writers: readonly string[];
    /** ARNs of the CloudFront distributions that may read objects through Origin Access Control. */
    cloudFrontDistributions?: readonly string[];
}

/** Stable statement ids of the bucket policy; the README explains each one. */
export const BUCKET_POLICY_SIDS: Readonly<
    Record<
        | keyof typeof TRANSPORT_SIDS
        | "denyNonKmsEncryption"
        | "denyKmsWithoutKeyId"
        | "denyOtherKmsKeys"
        | "denySseC"
        | "allowReaders"
        | "allowWriters"
        | "allowCloudFront",
        string
    >
> = {
    ...TRANSPORT_SIDS,
    denyNonKmsEncryption: "DenyEncryptionOtherThanKms",
    denyKmsWithoutKeyId: "DenyKmsUploadsWithoutKeyId",
    denyOtherKmsKeys: "DenyOtherKmsKeys",
    denySseC: "DenySseCUploads",
    allowReaders: "AllowReaders",
    allowWriters: "AllowWriters",
    allowCloudFront: "AllowCloudFrontDistributionsToRead",
};

/** S3 actions granted to readers. */
export const READER_S3_ACTIONS: string[] = [
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:ListBucket",
    "s3:ListBucketVersions",
    "s3:GetBucketLocation",
];

/**
 * S3 actions granted to writers: single and multipart uploads, and uploads that set object tags
 * (`x-amz-tagging`, as `aws s3 cp --tagging` sends), which S3 authorises as `s3:PutObjectTagging` too.
 */
export const WRITER_S3_ACTIONS: string[] = [
    "s3:PutObject",
    "s3:PutObjectTagging",
    "s3:AbortMultipartUpload",
    "s3:ListMultipartUploadParts",
    "s3:ListBucketMultipartUploads",
    "s3:GetBucketLocation",
];

const SSE_HEADER = "s3:x-amz-server-side-encryption";
const SSE_KMS_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id";
const SSE_C_HEADER = "s3:x-amz-server-side-encryption-customer-algorithm";

/**
 * Object writes the encryption denies cover: uploads, and replicas, which S3 authorises as
 * `s3:ReplicateObject` with the same three encryption headers as condition keys ("Actions, resources,
 * and condition keys for Amazon S3", Service Authorization Reference). Without it, a principal of the
 * account with `s3:ReplicateObject` (its own replication rule) could land objects under SSE-S3 or
 * another key.
 */
const OBJECT_WRITES = ["s3:PutObject", "s3:ReplicateObject"];

/**
 * Builds the bucket policy. Deny statements come first and apply to every principal; the header
 * denies fire only when the header is *present* and wrong (`Null: false` ANDed with the negated
 * operator), so uploads that send no encryption header keep working and land under the bucket's
 * default encryption (this key), and so do replicas: S3 documents no header values for its own
 * replication requests, so a replica is denied only for a value that is explicitly wrong.
 */
export function buildBucketPolicy(input: BucketPolicyInput): PolicyDocument {
    const bucketAndObjects = [input.bucketArn, `${input.bucketArn}/*`];
    const objects = `${input.bucketArn}/*`;
    const statements: PolicyStatement[] = [
        ...transportDenies(input.bucketArn, input.minimumTlsVersion),
        {
            Sid: BUCKET_POLICY_SIDS.denyNonKmsEncryption,
            Effect: "Deny",
            Principal: "*",
            Action: OBJECT_WRITES,
            Resource: objects,
            Condition: { StringNotEquals: { [SSE_HEADER]: "aws:kms" }, Null: { [SSE_HEADER]: "false" } },
        },
        {
            Sid: BUCKET_POLICY_SIDS.denyKmsWithoutKeyId,
            Effect: "Deny",
            Principal: "*",
            // Uploads only: "aws:kms" with no key id makes S3 use the AWS-managed aws/s3 key, not this
            // one. Not replicas: AWS documents no key-id header for S3's own replication requests, so
            // denying its absence could deny every replica; a replica that names no key is not
            // stopped here (the README says so).
            Action: ["s3:PutObject"],
            Resource: objects,
            Condition: { StringEquals: { [SSE_HEADER]: "aws:kms" }, Null: { [SSE_KMS_KEY_HEADER]: "true" } },
        },
        {
            Sid: BUCKET_POLICY_SIDS.denyOtherKmsKeys,
            Effect: "Deny",
            Principal: "*",
            Action: OBJECT_WRITES,
            Resource: objects,
            Condition: {
                StringNotEquals: { [SSE_KMS_KEY_HEADER]: input.keyArn },
                Null: { [SSE_KMS_KEY_HEADER]: "false" },
            },
        },
        {
            Sid: BUCKET_POLICY_SIDS.denySseC,
            Effect: "Deny",
            Principal: "*",
            Action: OBJECT_WRITES,
            Resource: objects,
            Condition: { Null: { [SSE_C_HEADER]: "false" } },
        },
    ];
    statements.push(
        ...allowStatements(
            { Sid: BUCKET_POLICY_SIDS.allowReaders, Action: READER_S3_ACTIONS, Resource: bucketAndObjects },
            input.readers,
        ),
        ...allowStatements(
            { Sid: BUCKET_POLICY_SIDS.allowWriters, Action: WRITER_S3_ACTIONS, Resource: bucketAndObjects },
            input.writers,
        ),
        ...cloudFrontStatements({ Sid: BUCKET_POLICY_SIDS.allowCloudFront, Action: ["s3:GetObject"], Resource: objects }, input.cloudFrontDistributions ?? []),
    );
    return { Version: "2012-10-17", Statement: statements };
}
