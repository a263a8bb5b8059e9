/**
 * What a deployed SecureBucket should hold, read from the offline plan (cli/planJson.ts's
 * PlanDocument): the inputs of its children, in the provider's shape, with the plan's placeholders
 * (key id, deploying role, auto-named bucket) still in them. Pure.
 */
import type { PlanDocument, PlanResource } from "../cli/planJson";

/** One statement of an IAM policy document. */
export type Statement = Record<string, unknown>;

/** The state a SecureBucket's bucket and key should be in. */
export interface ExpectedState {
    /** The bucket's name; may be the auto-named placeholder. */
    bucketName: string;
    region: string;
    /** The key's alias; undefined when what was given does not decide it (verify --bucket --key-arn). */
    aliasName?: string;
    encryption: Record<string, unknown>;
    publicAccessBlock: Record<string, unknown>;
    objectOwnership: unknown;
    versioning: unknown;
    lifecycleRules: Record<string, unknown>[];
    /** `{ targetBucket, targetPrefix }`, or null when the plan has no access logging. */
    logging: Record<string, unknown> | null;
    eventBridge: boolean;
    /** Object Lock's default retention (`{ mode, days }` or `{ mode, years }`), or null when the plan sets none. */
    objectLock: DefaultRetention | null;
    bucketPolicy: Statement[];
    keyPolicy: Statement[];
    keyRotation: { enabled: boolean; periodInDays: number };
    /** Values the offline engine made up, to be filled from the live ones. */
    placeholders: string[];
}

/** An Object Lock default retention: its mode and one of days and years. */
export interface DefaultRetention {
    mode?: string;
    days?: number;
    years?: number;
}

/** The public access block's four settings. */
const PUBLIC_ACCESS_BLOCK_FLAGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"];

/** KMS's rotation period when none is given ("Rotating AWS KMS keys", KMS developer guide). */
const DEFAULT_ROTATION_DAYS = 365;

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function only(plan: PlanDocument, type: string, required: boolean): PlanResource | undefined {
    const found = plan.resources.filter((r) => r.type === type);
    if (found.length > 1) {
        throw new Error(
            `the plan of stack "${plan.stack}" has ${found.length} resources of type ${type}: verify --stack checks a plan with exactly one SecureBucket; ` +
                "check each bucket with --bucket <name> --key-arn <arn> instead (against what SecureBucket creates from default arguments)",
        );
    }
    if (required && found.length === 0) throw new Error(`the plan of stack "${plan.stack}" has no ${type}: verify checks a plan with one SecureBucket`);
    return found[0];
}

function statements(document: unknown, what: string): Statement[] {
    if (!isRecord(document) || !Array.isArray(document.Statement)) throw new Error(`the plan's ${what} is not a policy document`);
    return document.Statement.filter(isRecord);
}

function input(resource: PlanResource | undefined, key: string): unknown {
    return resource?.inputs[key];
}

/** The expected state of the one SecureBucket the plan creates. */
export function expectedFromPlan(plan: PlanDocument): ExpectedState {
    only(plan, "aws:s3/bucket:Bucket", true);
    const key = only(plan, "aws:kms/key:Key", true);
    const alias = only(plan, "aws:kms/alias:Alias", true);
    const encryption = only(plan, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", true);
    const publicAccessBlock = only(plan, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", true);
    const ownership = only(plan, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", true);
    const versioning = only(plan, "aws:s3/bucketVersioning:BucketVersioning", true);
    const lifecycle = only(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", true);
    const policy = only(plan, "aws:s3/bucketPolicy:BucketPolicy", true);
    const logging = only(plan, "aws:s3/bucketLogging:BucketLogging", false);
    const notification = only(plan, "aws:s3/bucketNotification:BucketNotification", false);
    const objectLock = only(plan, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", false);

    const rules = input(encryption, "rules");
    const rule = Array.isArray(rules) && isRecord(rules[0]) ? rules[0] : {};
    const byDefault = isRecord(rule.applyServerSideEncryptionByDefault) ? rule.applyServerSideEncryptionByDefault : {};
    const blockFlags = Object.fromEntries(PUBLIC_ACCESS_BLOCK_FLAGS.map((flag) => [flag, input(publicAccessBlock, flag)]));
    const ownershipRule = input(ownership, "rule");
    const versioningConfiguration = input(versioning, "versioningConfiguration");
    const lifecycleRules = input(lifecycle, "rules");
    const rotationPeriod = input(key, "rotationPeriodInDays");
    const lockRule = input(objectLock, "rule");
    const retention = isRecord(lockRule) && isRecord(lockRule.defaultRetention) ? lockRule.defaultRetention : undefined;
    return {
        bucketName: String(input(policy, "bucket")),
        region: plan.placeholders.region,
        aliasName: String(input(alias, "name")),
        encryption: {
            sseAlgorithm: byDefault.sseAlgorithm,
            kmsMasterKeyId: byDefault.kmsMasterKeyId,
            bucketKeyEnabled: rule.bucketKeyEnabled,
            blockedEncryptionTypes: rule.blockedEncryptionTypes,
        },
        publicAccessBlock: blockFlags,
        objectOwnership: isRecord(ownershipRule) ? ownershipRule.objectOwnership : undefined,
        versioning: isRecord(versioningConfiguration) ? versioningConfiguration.status : undefined,
        lifecycleRules: Array.isArray(lifecycleRules) ? lifecycleRules.filter(isRecord) : [],
        logging: logging === undefined ? null : { targetBucket: input(logging, "targetBucket"), targetPrefix: input(logging, "targetPrefix") },
        eventBridge: input(notification, "eventbridge") === true,
        objectLock:
            retention === undefined
                ? null
                : {
                      mode: typeof retention.mode === "string" ? retention.mode : undefined,
                      days: typeof retention.days === "number" ? retention.days : undefined,
                      years: typeof retention.years === "number" ? retention.years : undefined,
                  },
        bucketPolicy: statements(input(policy, "policy"), "bucket policy"),
        keyPolicy: statements(input(key, "policy"), "key policy"),
        keyRotation: {
            enabled: input(key, "enableKeyRotation") === true,
            periodInDays: typeof rotationPeriod === "number" ? rotationPeriod : DEFAULT_ROTATION_DAYS,
        },
        placeholders: plan.placeholders.values.map((p) => p.value),
    };
}
