/**
 * What the deployed bucket and its key hold, read back with the AWS SDK and put in the provider's
 * shape (camelCase, as the plan's inputs are) so that the two compare field by field.
 */
import {
    DescribeKeyCommand,
    GetKeyPolicyCommand,
    GetKeyRotationStatusCommand,
    ListAliasesCommand,
} from "@aws-sdk/client-kms";
import {
    GetBucketEncryptionCommand,
    GetBucketLifecycleConfigurationCommand,
    GetBucketLocationCommand,
    GetBucketLoggingCommand,
    GetBucketNotificationConfigurationCommand,
    GetBucketOwnershipControlsCommand,
    GetBucketPolicyCommand,
    GetBucketVersioningCommand,
    GetObjectLockConfigurationCommand,
    GetPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { statementsOf } from "../compliance/policyDocuments";
import { AwsClients, orAbsent } from "./clients";
import { isRecord, Statement } from "./expected";

/** Object Lock on the bucket, and its default retention when it has one. */
export interface LiveObjectLock {
    enabled: boolean;
    mode?: string;
    days?: number;
    years?: number;
}

/** The live state; `null` where the bucket has no such configuration. */
export interface LiveBucket {
    name: string;
    region: string;
    /** `null` when the bucket has no default encryption configuration. */
    encryption: Record<string, unknown> | null;
    /** Whether S3's answer carried `BlockedEncryptionTypes` at all (an emulator may drop it). */
    encryptionReportsBlockedTypes: boolean;
    publicAccessBlock: Record<string, unknown> | null;
    objectOwnership: string | null;
    /** `Enabled`, `Suspended`, or `Disabled` for a bucket whose versioning was never enabled. */
    versioning: string;
    lifecycleRules: Record<string, unknown>[];
    logging: Record<string, unknown> | null;
    eventBridge: boolean;
    /** SNS, SQS and Lambda notification targets, as `<kind> <ARN> (<events>)`. */
    notificationTargets: string[];
    /** The bucket policy's statements; `null` when it has none. */
    bucketPolicy: Statement[] | null;
    /** `null` when Object Lock is not enabled on the bucket. */
    objectLock: LiveObjectLock | null;
}

export interface LiveKey {
    arn: string;
    keyId: string;
    keyPolicy: Statement[];
    rotationEnabled: boolean;
    /** Undefined when the answer did not carry it (an emulator may drop it). */
    rotationPeriodInDays?: number;
    aliases: string[];
}

/** An SDK answer in the provider's shape: keys in camelCase (`ID` → `id`), the SDK's `$metadata` and undefined fields left out. */
export function camelCased(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(camelCased);
    if (!isRecord(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
        if (key === "$metadata" || field === undefined) continue;
        out[key === "ID" ? "id" : key.charAt(0).toLowerCase() + key.slice(1)] = camelCased(field);
    }
    return out;
}

/** S3's region of a bucket from GetBucketLocation's LocationConstraint ("EU" and "" are legacy names). */
export function regionOfLocation(constraint: string | undefined): string {
    if (constraint === undefined || constraint === "") return "us-east-1";
    return constraint === "EU" ? "eu-west-1" : constraint;
}

function policyStatements(text: string | undefined, what: string): Statement[] {
    const document: unknown = JSON.parse(text ?? "{}");
    if (!isRecord(document)) throw new Error(`the ${what} is not a JSON object`);
    return statementsOf(document).filter(isRecord);
}

/** A retention period, or undefined for none: S3 takes only a positive one, and moto answers `Years: 0` beside `Days`. */
const positive = (n: number | undefined): number | undefined => (n !== undefined && n > 0 ? n : undefined);

/** Reads the bucket's configuration. */
export async function readLiveBucket(clients: AwsClients, bucket: string): Promise<LiveBucket> {
    const { s3 } = clients;
    const Bucket = bucket;
    const [location, encryption, block, ownership, versioning, lifecycle, logging, notification, policy, lock] = await Promise.all([
        s3.send(new GetBucketLocationCommand({ Bucket })),
        orAbsent(s3.send(new GetBucketEncryptionCommand({ Bucket })), ["ServerSideEncryptionConfigurationNotFoundError"], null),
        orAbsent(s3.send(new GetPublicAccessBlockCommand({ Bucket })), ["NoSuchPublicAccessBlockConfiguration"], null),
        orAbsent(s3.send(new GetBucketOwnershipControlsCommand({ Bucket })), ["OwnershipControlsNotFoundError"], null),
        s3.send(new GetBucketVersioningCommand({ Bucket })),
        orAbsent(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), ["NoSuchLifecycleConfiguration"], null),
        s3.send(new GetBucketLoggingCommand({ Bucket })),
        s3.send(new GetBucketNotificationConfigurationCommand({ Bucket })),
        orAbsent(s3.send(new GetBucketPolicyCommand({ Bucket })), ["NoSuchBucketPolicy"], null),
        orAbsent(s3.send(new GetObjectLockConfigurationCommand({ Bucket })), ["ObjectLockConfigurationNotFoundError"], null),
    ]);
    const retention = lock?.ObjectLockConfiguration?.Rule?.DefaultRetention;
    const rule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0];
    const byDefault = rule?.ApplyServerSideEncryptionByDefault;
    return {
        name: bucket,
        region: regionOfLocation(location.LocationConstraint),
        encryption:
            rule === undefined
                ? null
                : {
                      sseAlgorithm: byDefault?.SSEAlgorithm,
                      kmsMasterKeyId: byDefault?.KMSMasterKeyID,
                      bucketKeyEnabled: rule.BucketKeyEnabled === true,
                      blockedEncryptionTypes: rule.BlockedEncryptionTypes?.EncryptionType,
                  },
        encryptionReportsBlockedTypes: rule?.BlockedEncryptionTypes !== undefined,
        publicAccessBlock: block?.PublicAccessBlockConfiguration === undefined ? null : (camelCased(block.PublicAccessBlockConfiguration) as Record<string, unknown>),
        objectOwnership: ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null,
        versioning: versioning.Status ?? "Disabled",
        lifecycleRules: (camelCased(lifecycle?.Rules ?? []) as unknown[]).filter(isRecord),
        logging: logging.LoggingEnabled === undefined ? null : { targetBucket: logging.LoggingEnabled.TargetBucket, targetPrefix: logging.LoggingEnabled.TargetPrefix },
        eventBridge: notification.EventBridgeConfiguration !== undefined,
        notificationTargets: [
            ...(notification.TopicConfigurations ?? []).map((c) => `SNS ${c.TopicArn} (${(c.Events ?? []).join(", ")})`),
            ...(notification.QueueConfigurations ?? []).map((c) => `SQS ${c.QueueArn} (${(c.Events ?? []).join(", ")})`),
            ...(notification.LambdaFunctionConfigurations ?? []).map((c) => `Lambda ${c.LambdaFunctionArn} (${(c.Events ?? []).join(", ")})`),
        ],
        bucketPolicy: policy === null ? null : policyStatements(policy.Policy, "bucket policy"),
        objectLock:
            lock?.ObjectLockConfiguration?.ObjectLockEnabled === "Enabled"
                ? { enabled: true, mode: retention?.Mode, days: positive(retention?.Days), years: positive(retention?.Years) }
                : null,
    };
}

/** Reads the key named by an ARN, id or alias (`alias/...`). */
export async function readLiveKey(clients: AwsClients, keyIdentifier: string): Promise<LiveKey> {
    const { kms } = clients;
    const described = await kms.send(new DescribeKeyCommand({ KeyId: keyIdentifier }));
    const metadata = described.KeyMetadata;
    if (metadata?.Arn === undefined || metadata.KeyId === undefined) throw new Error(`KMS described ${keyIdentifier} without its ARN`);
    const KeyId = metadata.KeyId;
    const [policy, rotation, aliases] = await Promise.all([
        kms.send(new GetKeyPolicyCommand({ KeyId, PolicyName: "default" })),
        kms.send(new GetKeyRotationStatusCommand({ KeyId })),
        kms.send(new ListAliasesCommand({ KeyId })),
    ]);
    return {
        arn: metadata.Arn,
        keyId: KeyId,
        keyPolicy: policyStatements(policy.Policy, "key policy"),
        rotationEnabled: rotation.KeyRotationEnabled === true,
        rotationPeriodInDays: rotation.RotationPeriodInDays,
        aliases: (aliases.Aliases ?? []).flatMap((a) => (a.AliasName === undefined ? [] : [a.AliasName])),
    };
}
