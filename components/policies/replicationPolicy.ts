import { IdentityPolicyDocument, TrustPolicyDocument } from "./policyDocument";

/** One side of a replication, resolved: its bucket, its key and where S3 calls KMS for it. */
export interface ReplicationSide {
    /** `arn:<partition>:s3:::<bucket>`. */
    bucketArn: string;
    /** ARN of the bucket's customer-managed key. */
    keyArn: string;
    region: string;
}

/** What the replication role's policies are built from: plain values, resolved. */
export interface ReplicationPolicyInput {
    source: ReplicationSide;
    destination: ReplicationSide;
    /** The account of both buckets and of the role. */
    accountId: string;
    /** DNS suffix of the partition: S3's `kms:ViaService` name uses it. */
    dnsSuffix: string;
    /** Whether delete markers are replicated too (`s3:ReplicateDelete`). */
    replicateDeletes: boolean;
    /** Whether the source has Object Lock: S3 then reads each version's retention and legal hold to replicate them. */
    sourceObjectLock: boolean;
}

/** Stable statement ids of the replication role's policy; the README explains each one. */
export const REPLICATION_POLICY_SIDS = {
    readSourceBucket: "ReadSourceReplicationConfiguration",
    readSourceVersions: "ReadSourceObjectVersions",
    writeReplicas: "ReplicateToDestination",
    decryptSource: "DecryptSourceThroughS3",
    encryptReplicas: "EncryptReplicasThroughS3",
} as const;

/**
 * `kms:ViaService` and the encryption context S3 uses for one side: only through S3 there, only for
 * that bucket. Both forms of the context, whatever the bucket's Bucket Key setting: S3 uses the bucket
 * ARN for an object written under an S3 Bucket Key and the object ARN for one written without
 * (before the Bucket Key was turned on, or with `x-amz-server-side-encryption-bucket-key-enabled:
 * false`), and a replica keeps its source object's setting ("Using an S3 Bucket Key with
 * replication", S3 User Guide): one bucket holds both kinds.
 */
function throughS3For(side: ReplicationSide, dnsSuffix: string) {
    return {
        StringEquals: { "kms:ViaService": `s3.${side.region}.${dnsSuffix}` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [side.bucketArn, `${side.bucketArn}/*`] },
    };
}

/**
 * The replication role's identity policy: read the source's replication configuration and object
 * versions, write replicas (and, with `replicateDeletes`, delete markers) into the destination,
 * decrypt with the source key and encrypt with the destination key, each only through S3 in that
 * bucket's region and for that bucket's encryption context ("Replicating encrypted objects", S3 User
 * Guide). The destination key also decrypts: with an S3 Bucket Key, S3 calls `kms:Decrypt` on the
 * replica's key to verify the integrity of the Bucket Key before using it (same page, "Amazon S3
 * Bucket Keys and replication"). `s3:GetObjectVersionForReplication` is needed: plain
 * `GetObjectVersion` does not cover objects encrypted with KMS. From an Object Lock source, S3 also
 * reads each version's retention and legal hold (`s3:GetObjectRetention`, `s3:GetObjectLegalHold`:
 * "Using Object Lock with S3 Replication", S3 User Guide).
 */
export function buildReplicationRolePolicy(input: ReplicationPolicyInput): IdentityPolicyDocument {
    const { source, destination } = input;
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: REPLICATION_POLICY_SIDS.readSourceBucket,
                Effect: "Allow",
                Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
                Resource: [source.bucketArn],
            },
            {
                Sid: REPLICATION_POLICY_SIDS.readSourceVersions,
                Effect: "Allow",
                Action: [
                    "s3:GetObjectVersionForReplication",
                    "s3:GetObjectVersionAcl",
                    "s3:GetObjectVersionTagging",
                    ...(input.sourceObjectLock ? ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] : []),
                ],
                Resource: [`${source.bucketArn}/*`],
            },
            {
                Sid: REPLICATION_POLICY_SIDS.writeReplicas,
                Effect: "Allow",
                Action: ["s3:ReplicateObject", ...(input.replicateDeletes ? ["s3:ReplicateDelete"] : []), "s3:ReplicateTags"],
                Resource: [`${destination.bucketArn}/*`],
            },
            {
                Sid: REPLICATION_POLICY_SIDS.decryptSource,
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [source.keyArn],
                Condition: throughS3For(source, input.dnsSuffix),
            },
            {
                Sid: REPLICATION_POLICY_SIDS.encryptReplicas,
                Effect: "Allow",
                Action: ["kms:Encrypt", "kms:Decrypt"],
                Resource: [destination.keyArn],
                Condition: throughS3For(destination, input.dnsSuffix),
            },
        ],
    };
}

/** The role's trust policy: only S3, and only on behalf of the source bucket of this account. */
export function buildReplicationTrustPolicy(input: { source: Pick<ReplicationSide, "bucketArn">; accountId: string }): TrustPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AllowS3ToReplicateTheSourceBucket",
                Effect: "Allow",
                Principal: { Service: ["s3.amazonaws.com"] },
                Action: ["sts:AssumeRole"],
                Condition: { StringEquals: { "aws:SourceAccount": input.accountId }, ArnLike: { "aws:SourceArn": input.source.bucketArn } },
            },
        ],
    };
}
