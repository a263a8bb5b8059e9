// Adopting an existing bucket (Pulumi's `import` resource option) and carrying its own bucket-policy
// statements. S3 keeps one configuration of each kind per bucket, so SecureBucket's lifecycle,
// bucket policy, notification and logging configurations replace the bucket's: each is replaced
// only when the adoption names it. Replication and CORS configurations are never touched.

import { NON_PUBLIC_CONDITION_KEYS, restrictedByCondition } from "../../compliance/policyDocuments";

/** The existing configurations SecureBucket can replace when it adopts a bucket. */
export const REPLACEABLE = ["bucketPolicy", "lifecycle", "notifications", "logging"] as const;
export type Replaceable = (typeof REPLACEABLE)[number];

/** Statement fields the carried statements may have, and the principal kinds. */
const STATEMENT_FIELDS = ["Sid", "Effect", "Principal", "Action", "Resource", "Condition"];
const PRINCIPAL_KINDS = ["AWS", "Service", "CanonicalUser", "Federated"];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === "string" && s !== "");

/**
 * Problems with `adoptExisting`, each naming its field, given the other arguments: what SecureBucket
 * will replace (its bucket policy and lifecycle always; notifications with eventBridge; logging
 * with accessLogs) must be named in `replace`.
 */
export function adoptionProblems(value: unknown, given: Readonly<Record<string, unknown>>): { field?: string; problem: string }[] {
    if (!isRecord(value)) return [{ problem: "must be { replace, retainOnDelete }" }];
    const { replace, retainOnDelete, ...unknown } = value;
    const problems: { field?: string; problem: string }[] = Object.keys(unknown).map((field) => ({ field, problem: "is not a field of adoptExisting: it takes replace and retainOnDelete" }));
    if (retainOnDelete !== undefined && typeof retainOnDelete !== "boolean") problems.push({ field: "retainOnDelete", problem: "must be true or false" });
    const list = replace ?? [];
    if (!Array.isArray(list) || !list.every((r) => (REPLACEABLE as readonly unknown[]).includes(r))) {
        problems.push({ field: "replace", problem: `must be a list of ${REPLACEABLE.map((r) => `"${r}"`).join(", ")}` });
        return problems;
    }
    const needed: [Replaceable, boolean, string][] = [
        ["bucketPolicy", true, "SecureBucket's bucket policy replaces the bucket's: carry the statements to keep in extraBucketPolicyStatements"],
        ["lifecycle", true, "SecureBucket's lifecycle rules replace the bucket's: carry the transitions to keep in transitions and noncurrentVersionTransitions"],
        ["notifications", given.eventBridge === true, "eventBridge replaces the bucket's notification configuration, and with it every existing target (SNS, SQS, Lambda)"],
        ["logging", given.accessLogs !== undefined, "accessLogs replaces the bucket's server access logging target"],
    ];
    for (const [kind, isNeeded, why] of needed) {
        if (isNeeded && !list.includes(kind)) problems.push({ field: "replace", problem: `must include "${kind}": ${why}; list it to accept that the existing one is replaced` });
    }
    if (typeof given.bucketName !== "string") {
        problems.push({ problem: "needs bucketName, as a plain string: the name of the existing bucket, which Pulumi's import option takes before anything runs" });
    }
    return problems;
}

/**
 * Problems with one carried bucket-policy statement, each naming its field. `reservedSids` are
 * SecureBucket's own statements' ids; `bucketName`, when known, is the only bucket it may name.
 * An Allow to every principal is refused: the public access block's BlockPublicPolicy makes S3
 * refuse such a policy ("Blocking public access to your Amazon S3 storage", S3 User Guide).
 */
export function extraStatementProblems(value: unknown, reservedSids: readonly string[], bucketName: string | undefined): { field?: string; problem: string }[] {
    if (!isRecord(value)) return [{ problem: "must be a statement { Sid, Effect, Principal, Action, Resource, Condition }" }];
    const problems: { field?: string; problem: string }[] = Object.keys(value)
        .filter((field) => !STATEMENT_FIELDS.includes(field))
        .map((field) => ({ field, problem: `is not a field SecureBucket carries: a statement takes ${STATEMENT_FIELDS.join(", ")}` }));
    const { Sid, Effect, Principal, Action, Resource, Condition } = value;
    if (typeof Sid !== "string" || !/^[A-Za-z0-9]{1,128}$/.test(Sid)) problems.push({ field: "Sid", problem: "must be 1 to 128 letters and digits: statements are compared and reported by it" });
    else if (reservedSids.includes(Sid)) problems.push({ field: "Sid", problem: "is the id of one of SecureBucket's own statements: rename it" });
    if (Effect !== "Allow" && Effect !== "Deny") problems.push({ field: "Effect", problem: 'must be "Allow" or "Deny"' });
    if (!isRecord(Principal) || Object.keys(Principal).length === 0 || !Object.entries(Principal).every(([k, v]) => PRINCIPAL_KINDS.includes(k) && isStringList(v))) {
        problems.push({ field: "Principal", problem: `must be a map of ${PRINCIPAL_KINDS.join(", ")} to non-empty lists of principals` });
    } else if (Effect === "Allow" && (Principal.AWS as string[] | undefined)?.includes("*") && !restrictedByCondition(value, NON_PUBLIC_CONDITION_KEYS)) {
        // Public as S3 judges it: only a condition on the keys AWS lists makes a statement for everyone non-public.
        problems.push({
            field: "Principal",
            problem: `allows everyone${Condition === undefined ? "" : " under a condition S3 still counts as public (it needs fixed values of aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, ... )"}: the public access block (BlockPublicPolicy) makes S3 refuse a public bucket policy`,
        });
    }
    if (!isStringList(Action) || !Action.every((a) => /^s3:[A-Za-z*]+$/.test(a))) problems.push({ field: "Action", problem: 'must be a non-empty list of S3 actions ("s3:GetObject", "s3:*")' });
    if (!isStringList(Resource)) problems.push({ field: "Resource", problem: "must be a non-empty list of this bucket's ARN and object ARNs" });
    else if (bucketName !== undefined) {
        const other = Resource.find((r) => !new RegExp(`^arn:[a-z-]+:s3:::${bucketName.replace(/[.]/g, "\\.")}(/.*)?$`).test(r));
        if (other !== undefined) problems.push({ field: "Resource", problem: `names ${JSON.stringify(other)}: a bucket policy statement applies to this bucket (${bucketName}) and its objects only` });
    }
    if (Condition !== undefined && !(isRecord(Condition) && Object.values(Condition).every((keys) => isRecord(keys) && Object.values(keys).every(isStringList)))) {
        problems.push({ field: "Condition", problem: "must be a map of condition operators to maps of condition keys to non-empty lists of values" });
    }
    return problems;
}
