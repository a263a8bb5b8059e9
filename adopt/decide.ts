/**
 * What adopting a bucket means, decided from what it holds and the stack's arguments: what adopt
 * refuses, the config it writes (the adoption, the tags the import must match, the statements to
 * carry), and what is kept and what would be lost. Pure.
 */
import { BUCKET_POLICY_SIDS } from "../components/policies/bucketPolicy";
import { extraStatementProblems, Replaceable } from "../components/rules/adoption";
import type { ExtraPolicyStatement, SecureBucketArgs } from "../components/secureBucketArgs";
import { normalizeStatement } from "../verify/compare";
import type { ExistingBucket } from "./inspect";

/** The config adopt writes, by argument name. */
export interface AdoptionConfig {
    bucketName: string;
    adoptExisting: { replace: Replaceable[] };
    tags?: Record<string, string>;
    extraBucketPolicyStatements?: ExtraPolicyStatement[];
}

export interface AdoptionDecision {
    config: AdoptionConfig;
    /** What stays as it is, one line each. */
    kept: string[];
    /** What the update would drop, one line each: the operator reads this before `pulumi up`. */
    lost: string[];
}

/** The stack's region and accounts, against the credentials' account and its buckets. */
export interface Placement {
    stackRegion: string;
    /** The account of the credentials in use, and whether the bucket is one of its buckets. */
    callerAccount: string;
    ownedByCaller: boolean;
    /** The stack's aws:allowedAccountIds. */
    stackAccounts: readonly string[];
}

const RETENTION_DAYS = (r: { days?: number; years?: number }): number => r.days ?? (r.years ?? 0) * 365;

/** Why a bucket of another account than the stack's cannot be adopted: checked before the bucket is read. */
export function ownershipRefusals(bucket: string, placement: Placement): string[] {
    const problems: string[] = [];
    if (placement.stackAccounts.length > 0 && !placement.stackAccounts.includes(placement.callerAccount)) {
        problems.push(`the credentials are of account ${placement.callerAccount}, but the stack deploys to ${placement.stackAccounts.join(", ")} (aws:allowedAccountIds)`);
    }
    if (!placement.ownedByCaller) problems.push(`the bucket ${bucket} is not a bucket of account ${placement.callerAccount}: a stack adopts only its own account's buckets`);
    return problems;
}

/** Why the bucket cannot be adopted safely into this stack; empty when it can. */
export function refusals(existing: ExistingBucket, args: SecureBucketArgs, placement: Placement): string[] {
    const problems = ownershipRefusals(existing.name, placement);
    if (existing.region !== placement.stackRegion) {
        problems.push(`the bucket is in ${existing.region}, but the stack deploys to ${placement.stackRegion} (aws:region): a bucket cannot move between regions`);
    }
    if (args.forceDestroy === true) {
        problems.push("forceDestroy is true in the stack: the import needs it false (S3 has no such setting to match), and an adopted bucket's objects should never be emptied with it");
    }
    const lock = existing.objectLock;
    if (lock !== null) {
        if (args.versioning === false) problems.push("the bucket has Object Lock, which keeps versioning on: S3 refuses to suspend it, and versioning is false in the stack");
        const wanted = args.objectLock;
        if (wanted !== undefined && lock.mode !== undefined) {
            if (lock.mode === "COMPLIANCE" && wanted.mode !== "COMPLIANCE") {
                problems.push(`objectLock.mode ${wanted.mode} would weaken the bucket's COMPLIANCE default retention`);
            }
            if (RETENTION_DAYS(wanted) < RETENTION_DAYS(lock)) {
                problems.push(`objectLock's ${RETENTION_DAYS(wanted)} days would shorten the bucket's default retention of ${RETENTION_DAYS(lock)} days`);
            }
        }
    }
    return problems;
}

/** The config to write, and what is kept and lost, for adopting `existing` with the stack's `args`. */
export function decideAdoption(existing: ExistingBucket, args: SecureBucketArgs): AdoptionDecision {
    const kept: string[] = [];
    const lost: string[] = [];
    const replace: Replaceable[] = ["bucketPolicy", "lifecycle"];

    const own = new Set(Object.values(BUCKET_POLICY_SIDS));
    const carried: ExtraPolicyStatement[] = [];
    (existing.bucketPolicy ?? []).forEach((statement, i) => {
        const normalized = normalizeStatement(statement);
        const sid = typeof statement.Sid === "string" && statement.Sid !== "" ? statement.Sid : `KeptStatement${i + 1}`;
        if (own.has(sid)) {
            lost.push(`bucket policy statement ${sid}: replaced by SecureBucket's own statement of that id`);
            return;
        }
        const candidate = { ...normalized, Sid: sid };
        const problems = extraStatementProblems(candidate, [...own], existing.name);
        if (problems.length > 0) {
            lost.push(`bucket policy statement ${sid}: cannot be carried (${problems.map((p) => `${p.field ?? "statement"} ${p.problem}`).join("; ")})`);
            return;
        }
        carried.push(candidate as unknown as ExtraPolicyStatement);
        kept.push(`bucket policy statement ${sid}: carried in extraBucketPolicyStatements`);
    });

    for (const rule of existing.lifecycleRules) {
        lost.push(`lifecycle rule ${JSON.stringify(rule.id ?? "(no id)")}: replaced by SecureBucket's lifecycle rules (carry its transitions in transitions / noncurrentVersionTransitions)`);
    }
    if (args.eventBridge === true) {
        replace.push("notifications");
        for (const target of existing.notificationTargets) lost.push(`notification target ${target}: replaced by eventBridge`);
    } else {
        for (const target of existing.notificationTargets) kept.push(`notification target ${target}: not managed by SecureBucket`);
    }
    if (args.accessLogs !== undefined) {
        replace.push("logging");
        if (existing.logging !== null) lost.push(`access logging to ${String(existing.logging.targetBucket)}: replaced by accessLogs`);
    } else if (existing.logging !== null) kept.push(`access logging to ${String(existing.logging.targetBucket)}: not managed by SecureBucket`);
    if (existing.corsRules > 0) kept.push(`CORS (${existing.corsRules} rules): never touched by SecureBucket`);
    if (existing.replicationRules > 0) {
        kept.push(
            `replication (${existing.replicationRules} rules): SecureBucket never touches it, but a SecureBucketReplication with this bucket as its source replaces it (S3 holds one replication configuration per bucket)`,
        );
    }
    for (const grant of existing.aclGrantsToOthers) lost.push(`ACL grant ${grant}: ACLs stop counting under BucketOwnerEnforced`);
    if (existing.objectLock !== null && args.objectLock === undefined) kept.push("Object Lock and its default retention: not managed by SecureBucket (no objectLock in the stack)");
    if (Object.keys(existing.tags).length > 0) kept.push(`tags (${Object.keys(existing.tags).join(", ")}): the stack's tags, as the import needs them`);

    // Pulumi imports only when the bucket's inputs match the live bucket: the tags must be the bucket's own.
    const config: AdoptionConfig = { bucketName: existing.name, adoptExisting: { replace } };
    const stackTags = (args.tags ?? {}) as Record<string, unknown>;
    if (JSON.stringify(Object.entries(stackTags).sort()) !== JSON.stringify(Object.entries(existing.tags).sort())) {
        config.tags = existing.tags;
        if (Object.keys(stackTags).length > 0) {
            lost.push(`the stack's tags ${JSON.stringify(stackTags)}: set aside for the bucket's own, which the import must match; set them again after the first pulumi up`);
        }
    }
    if (carried.length > 0) config.extraBucketPolicyStatements = carried;
    return { config, kept, lost };
}
