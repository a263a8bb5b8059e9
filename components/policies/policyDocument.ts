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

/** The principals given, without duplicates, in the order first given. */
export function uniquePrincipals(principals: readonly string[]): string[] {
    return [...new Set(principals)];
}
