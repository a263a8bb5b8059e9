/** The IAM condition operators the policies in this library use. */
export type ConditionOperator =
    | "ArnNotEquals"
    | "BoolIfExists"
    | "Null"
    | "NumericLessThan"
    | "StringEquals"
    | "StringLike"
    | "StringNotEquals";

/** A `Condition` block: operators are ANDed, and so are the keys inside one operator. */
export type PolicyCondition = Partial<Record<ConditionOperator, Record<string, string | string[]>>>;

/** One statement of a resource policy (a bucket policy or a key policy). */
export interface PolicyStatement {
    /** Stable identifier: documented in the README, relied on by reviewers and tests. */
    Sid: string;
    Effect: "Allow" | "Deny";
    Principal: "*" | { AWS: string[] };
    Action: string[];
    Resource: string | string[];
    Condition?: PolicyCondition;
}

/** An IAM policy document as JSON-serialised onto the bucket or the key. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/**
 * An Allow statement for the principals (without duplicates, in the order first given), or no
 * statement at all when there are none: a policy never names an empty principal list.
 */
export function allowStatements(
    statement: Omit<PolicyStatement, "Effect" | "Principal">,
    principals: readonly string[],
): PolicyStatement[] {
    const unique = [...new Set(principals)];
    const { Sid, ...rest } = statement;
    return unique.length === 0 ? [] : [{ Sid, Effect: "Allow", Principal: { AWS: unique }, ...rest }];
}
