/**
 * Reading IAM policy documents by what they mean, not by their statement ids: who a statement
 * applies to, which actions and resources it covers, and which condition keys guard it. Pure.
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

/** Whether the statement has any condition. */
export function hasCondition(statement: Statement): boolean {
    const condition = statement.Condition;
    return typeof condition === "object" && condition !== null && Object.keys(condition).length > 0;
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
