import { allowStatements, cloudFrontStatements, PolicyDocument, PolicyStatement } from "./policyDocument";

/** What the key policy is built from: plain values, resolved. */
export interface KeyPolicyInput {
    /** AWS partition of the account, e.g. `aws`, `aws-cn`. */
    partition: string;
    /** DNS suffix of the partition, e.g. `amazonaws.com`; S3's `kms:ViaService` name uses it. */
    dnsSuffix: string;
    /** The 12-digit account that owns the key. */
    accountId: string;
    /** Region of the key and the bucket. */
    region: string;
    /** `arn:<partition>:s3:::<bucket>`: the only encryption context data users may use. */
    bucketArn: string;
    /**
     * `aws:PrincipalArn` of the identity that deploys the key: an IAM user's ARN, or for an
     * assumed-role session the role's ARN, path included. The deletion guard exempts it, so the
     * identity that runs `pulumi up` can also run `pulumi destroy`. Needed only when there are
     * administrators (without them there is no guard).
     */
    deployer?: string;
    /** Principal ARNs that manage the key (no cryptographic use). */
    administrators: readonly string[];
    /** Principal ARNs that may decrypt through S3 for this bucket. */
    readers: readonly string[];
    /** Principal ARNs that may generate data keys and decrypt through S3 for this bucket. */
    writers: readonly string[];
    /** ARNs of the CloudFront distributions that may decrypt what they read from the bucket. */
    cloudFrontDistributions?: readonly string[];
}

/** Stable statement ids of the key policy; the README explains each one. */
export const KEY_POLICY_SIDS = {
    enableIamPolicies: "EnableIamPoliciesForAccount",
    allowAdministration: "AllowKeyAdministration",
    allowReaders: "AllowReadersDecryptThroughS3",
    allowWriters: "AllowWritersEncryptThroughS3",
    denyDeletion: "DenyKeyDeletionByNonAdministrators",
    allowCloudFront: "AllowCloudFrontDistributionsToDecrypt",
} as const;

/**
 * Management actions for administrators. Every action that manages the key, and none that uses it:
 * `kms:CreateGrant` is left out on purpose (a grant delegates cryptographic use), which is why
 * `kms:CreateAlias` is named rather than `kms:Create*`.
 */
export const ADMINISTRATOR_KMS_ACTIONS: string[] = [
    "kms:CreateAlias",
    "kms:Describe*",
    "kms:Enable*",
    "kms:List*",
    "kms:Put*",
    "kms:Update*",
    "kms:Revoke*",
    "kms:Disable*",
    "kms:Get*",
    "kms:Delete*",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:RotateKeyOnDemand",
];

/** Key actions S3 performs for a reader: decrypting the object's data key. */
export const READER_KMS_ACTIONS: string[] = ["kms:Decrypt"];

/** Key actions S3 performs for a writer: new data keys, and Decrypt for multipart uploads. */
export const WRITER_KMS_ACTIONS: string[] = ["kms:GenerateDataKey*", "kms:Decrypt"];

/** Actions that make the data unreadable, denied to everyone but the administrators and the deployer. */
export const PROTECTED_KMS_ACTIONS: string[] = ["kms:ScheduleKeyDeletion", "kms:DisableKey"];

/**
 * Builds the key policy. The account-root statement keeps the key manageable through IAM; data
 * users may use the key only through S3 in the bucket's region and only for this bucket's
 * encryption context: the bucket ARN (S3 Bucket Key on) or one of its object ARNs (Bucket Key off,
 * or objects written before it was turned on).
 */
export function buildKeyPolicy(input: KeyPolicyInput): PolicyDocument {
    const accountRoot = `arn:${input.partition}:iam::${input.accountId}:root`;
    const forThisBucket = { StringLike: { "kms:EncryptionContext:aws:s3:arn": [input.bucketArn, `${input.bucketArn}/*`] } };
    const throughS3ForThisBucket = { StringEquals: { "kms:ViaService": `s3.${input.region}.${input.dnsSuffix}` }, ...forThisBucket };
    const administrators = [...new Set(input.administrators)];
    const statements: PolicyStatement[] = [
        ...allowStatements({ Sid: KEY_POLICY_SIDS.enableIamPolicies, Action: ["kms:*"], Resource: "*" }, [accountRoot]),
        ...allowStatements(
            { Sid: KEY_POLICY_SIDS.allowAdministration, Action: ADMINISTRATOR_KMS_ACTIONS, Resource: "*" },
            administrators,
        ),
        ...allowStatements(
            { Sid: KEY_POLICY_SIDS.allowReaders, Action: READER_KMS_ACTIONS, Resource: "*", Condition: throughS3ForThisBucket },
            input.readers,
        ),
        ...allowStatements(
            { Sid: KEY_POLICY_SIDS.allowWriters, Action: WRITER_KMS_ACTIONS, Resource: "*", Condition: throughS3ForThisBucket },
            input.writers,
        ),
        // The distributions decrypt only this bucket's objects: the key may serve other buckets' reads too.
        ...cloudFrontStatements({ Sid: KEY_POLICY_SIDS.allowCloudFront, Action: ["kms:Decrypt"], Resource: "*", Condition: forThisBucket }, input.cloudFrontDistributions ?? []),
    ];
    if (administrators.length > 0) {
        if (input.deployer === undefined) throw new Error("The key policy's deletion guard needs the deployer's ARN: without it, no one could destroy the stack");
        // A guard against accidents and mistakes, not against a holder of kms:* through IAM, who can
        // still call PutKeyPolicy (deliberately left reachable, for updates and recovery) to lift it.
        // The deployer is exempt: the identity that deploys the key must be able to destroy it.
        statements.push({
            Sid: KEY_POLICY_SIDS.denyDeletion,
            Effect: "Deny",
            Principal: "*",
            Action: PROTECTED_KMS_ACTIONS,
            Resource: "*",
            Condition: { ArnNotEquals: { "aws:PrincipalArn": [...new Set([...administrators, input.deployer])] } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}
