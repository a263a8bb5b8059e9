/**
 * Reading IAM policy documents by what they mean, not by their statement ids: who a statement
 * applies to, which actions and resources it covers, and which condition keys guard it; and parsing
 * one from the JSON string Pulumi passes. Pure, and importing nothing.
 */

/** One statement, with the fields the rules read (the rest as they are). */
export interface Statement {
    Sid?: unknown;
    Effect?: unknown;
    Principal?: unknown;
    NotPrincipal?: unknown;
    Action?: unknown;
    NotAction?: unknown;
    Resource?: unknown;
    Condition?: unknown;
}

/**
 * An IAM policy document serialised as a JSON string (as Pulumi passes policies around), parsed;
 * undefined for any other string. The offline plan and the rules' reading of CrossGuard's resources
 * both parse policies with it.
 */
export function parsePolicyString(text: string): Record<string, unknown> | undefined {
    if (!text.startsWith("{")) return undefined;
    try {
        const parsed: unknown = JSON.parse(text);
        return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) && "Statement" in parsed ? (parsed as Record<string, unknown>) : undefined;
    } catch {
        return undefined;
    }
}

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** The statements of a parsed policy document; [] for anything else. */
export function statementsOf(document: unknown): Statement[] {
    if (typeof document !== "object" || document === null) return [];
    return list((document as { Statement?: unknown }).Statement).filter((s): s is Statement => typeof s === "object" && s !== null);
}

/**
 * Whether the statement applies to everyone: `"*"`, `{"AWS": "*"}` (or `*` among the AWS principals),
 * which IAM reads as anonymous and every account ("AWS JSON policy elements: Principal", IAM User Guide).
 */
export function appliesToEveryone(statement: Statement): boolean {
    const principal = statement.Principal;
    if (principal === "*") return true;
    if (typeof principal !== "object" || principal === null) return false;
    return list((principal as Record<string, unknown>).AWS).includes("*");
}

/**
 * The condition keys that make an Allow for everyone non-public when the statement's condition
 * gives them fixed values. S3 User Guide, "Blocking public access to your Amazon S3 storage", "The
 * meaning of 'public'": a bucket policy is public unless it grants access only to fixed values
 * (no wildcard, no policy variable) of an AWS principal (e.g. aws:PrincipalOrgID), a set of CIDRs
 * using aws:SourceIp, aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner,
 * aws:SourceAccount, aws:userid outside the pattern "AROLEID:*", s3:DataAccessPointArn or
 * s3:DataAccessPointAccount. aws:PrincipalAccount and aws:PrincipalArn name a fixed principal as
 * aws:PrincipalOrgID names a fixed organization. (Older versions of that page, and the
 * PublicAccessBlockConfiguration API reference, also list s3:x-amz-server-side-encryption-aws-kms-key-id,
 * which says nothing of who asks: it is not taken.) A condition on anything else, such as
 * aws:SecureTransport, leaves the statement public.
 */
export const NON_PUBLIC_CONDITION_KEYS: readonly string[] = [
    "aws:SourceIp",
    "aws:SourceArn",
    "aws:SourceVpc",
    "aws:SourceVpce",
    "aws:SourceOwner",
    "aws:SourceAccount",
    "aws:userid",
    "aws:PrincipalOrgID",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "s3:DataAccessPointArn",
    "s3:DataAccessPointAccount",
];

/**
 * The same for a KMS key policy: the global keys of {@link NON_PUBLIC_CONDITION_KEYS} (not the S3
 * ones), and kms:CallerAccount, which admits the identities of one account only ("AWS KMS condition
 * keys", KMS Developer Guide).
 */
export const NON_PUBLIC_KEY_POLICY_CONDITION_KEYS: readonly string[] = [...NON_PUBLIC_CONDITION_KEYS.filter((k) => k.startsWith("aws:")), "kms:CallerAccount"];

/**
 * Operators that admit a request only when the key's value matches: a negated operator (StringNotEquals),
 * an `...IfExists` one (which admits a request without the key, as an anonymous one may be) and a
 * `ForAllValues:` one (true when the key is absent) restrict nothing ("IAM JSON policy elements:
 * Condition operators", IAM User Guide); `ForAnyValue:` ones, meant for multivalued keys, which
 * none of these is, are not taken either.
 */
const RESTRICTING_OPERATORS = ["StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress"];

/** A fixed value: a string without a wildcard (`*`, `?`) or a policy variable (`${...}`), and for aws:SourceIp not a range of every address. */
function isFixed(key: string, value: unknown): boolean {
    if (typeof value !== "string" || value === "" || /[*?]|\$\{/.test(value)) return false;
    return key !== "aws:sourceip" || !/\/0$/.test(value.trim());
}

/**
 * Whether the statement's condition restricts it to fixed values of one of `keys` (compared
 * case-insensitively, as IAM does): under a restricting operator, every value given for that key is
 * fixed. Conditions of a statement all apply, so one such key is enough.
 */
export function restrictedByCondition(statement: Statement, keys: readonly string[]): boolean {
    const condition = statement.Condition;
    if (typeof condition !== "object" || condition === null) return false;
    const wanted = keys.map((k) => k.toLowerCase());
    return Object.entries(condition).some(([operator, block]) => {
        if (!RESTRICTING_OPERATORS.includes(operator) || typeof block !== "object" || block === null) return false;
        return Object.entries(block).some(([key, values]) => {
            const k = key.toLowerCase();
            const given = list(values);
            return wanted.includes(k) && (operator === "IpAddress") === (k === "aws:sourceip") && given.length > 0 && given.every((v) => isFixed(k, v));
        });
    });
}

/** Whether the statement's actions cover `action` (exact, `service:*`, `*`, or a trailing-wildcard pattern). */
export function coversAction(statement: Statement, action: string): boolean {
    if (statement.NotAction !== undefined) return false;
    const [service] = action.split(":");
    return list(statement.Action).some((a) => {
        if (typeof a !== "string") return false;
        const pattern = a.toLowerCase();
        if (pattern === "*" || pattern === `${service.toLowerCase()}:*`) return true;
        if (pattern.endsWith("*")) return action.toLowerCase().startsWith(pattern.slice(0, -1));
        return pattern === action.toLowerCase();
    });
}

/** Whether the statement's resources cover objects of a bucket (`.../*` or `*`). */
export function coversObjects(statement: Statement): boolean {
    return list(statement.Resource).some((r) => typeof r === "string" && (r === "*" || r.endsWith("/*")));
}

/** Whether the statement's resources cover a bucket itself (an `arn:...:s3:::name` without a key part, or `*`). */
export function coversBucket(statement: Statement): boolean {
    return list(statement.Resource).some((r) => typeof r === "string" && (r === "*" || /^arn:[^:]+:s3:::[^/]+$/.test(r)));
}

/** The values a statement's condition gives `key` under any of `operators` (keys compared case-insensitively, as IAM does). */
export function conditionValues(statement: Statement, operators: readonly string[], key: string): unknown[] {
    const condition = statement.Condition;
    if (typeof condition !== "object" || condition === null) return [];
    const values: unknown[] = [];
    for (const [operator, block] of Object.entries(condition)) {
        if (!operators.includes(operator) || typeof block !== "object" || block === null) continue;
        for (const [k, v] of Object.entries(block)) if (k.toLowerCase() === key.toLowerCase()) values.push(...list(v));
    }
    return values;
}

/** Whether the statement is a Deny for everyone. */
export function deniesEveryone(statement: Statement): boolean {
    return statement.Effect === "Deny" && appliesToEveryone(statement);
}
