/** The IAM condition operators the policies in this library use. */
export type ConditionOperator =
    | "ArnLike"
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
    Principal: "*" | { AWS: string[] } | { Service: string[] };
    Action: string[];
    Resource: string | string[];
    Condition?: PolicyCondition;
}

/** AWS's size limit of a bucket policy, in bytes ("Amazon S3 quotas"). */
export const BUCKET_POLICY_MAX_BYTES: number = 20 * 1024;

/** An IAM policy document as JSON-serialised onto the bucket or the key. */
export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** One statement of an identity policy (attached to a role): no Principal, the role is it. */
export type IdentityPolicyStatement = Omit<PolicyStatement, "Principal">;

/** One statement of a role's trust policy: who may assume the role; no Resource (the role is it). */
export type TrustPolicyStatement = Omit<PolicyStatement, "Resource">;

/** A role's trust (assume-role) policy document. */
export interface TrustPolicyDocument {
    Version: "2012-10-17";
    Statement: TrustPolicyStatement[];
}

/** An identity policy document, as attached to a role. */
export interface IdentityPolicyDocument {
    Version: "2012-10-17";
    Statement: IdentityPolicyStatement[];
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

/** The service principal of CloudFront, which reads through Origin Access Control. */
export const CLOUDFRONT_SERVICE = "cloudfront.amazonaws.com";

/**
 * An Allow statement for CloudFront acting for the given distributions only (`AWS:SourceArn`, ANDed
 * with the statement's own conditions), or no statement when there are none: without that condition,
 * any distribution of any account could read ("Restricting access to an Amazon S3 origin", CloudFront
 * Developer Guide).
 */
export function cloudFrontStatements(statement: Omit<PolicyStatement, "Effect" | "Principal">, distributionArns: readonly string[]): PolicyStatement[] {
    const unique = [...new Set(distributionArns)];
    const { Sid, Condition, ...rest } = statement;
    return unique.length === 0
        ? []
        : [{ Sid, Effect: "Allow", Principal: { Service: [CLOUDFRONT_SERVICE] }, ...rest, Condition: { ...Condition, StringEquals: { ...Condition?.StringEquals, "AWS:SourceArn": unique } } }];
}
