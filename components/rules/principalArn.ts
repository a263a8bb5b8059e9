const NAME = "[\\w+=,.@-]{1,64}";
const PATH = "(?:[\\w+=,.@-]+/)*";
const PRINCIPAL_ARN = new RegExp(`^arn:(aws|aws-cn|aws-us-gov):iam::\\d{12}:(root|(role|user)/${PATH}${NAME})$`);

/** What a valid principal looks like, quoted in every error message about one. */
export const PRINCIPAL_ARN_FORMAT =
    "arn:<aws|aws-cn|aws-us-gov>:iam::<12-digit account>:root, :role/[path/]<name> or :user/[path/]<name>";

/**
 * What is wrong with an IAM principal ARN for a bucket or key policy, or undefined when it is valid.
 * Wildcards, groups and STS session ARNs are refused: none of them is a valid policy principal.
 */
export function principalArnProblem(arn: unknown): string | undefined {
    if (typeof arn !== "string") return `must be a string: ${PRINCIPAL_ARN_FORMAT}`;
    if (arn.length === 0) return `must not be empty: ${PRINCIPAL_ARN_FORMAT}`;
    if (/[*?]/.test(arn)) return `must not contain wildcards ('*' or '?'): name each principal as ${PRINCIPAL_ARN_FORMAT}`;
    if (/^arn:[^:]+:sts::/.test(arn)) {
        return `is an STS session ARN, which a policy cannot name: use the role ARN (${PRINCIPAL_ARN_FORMAT})`;
    }
    if (/^arn:[^:]+:iam::[^:]*:group\//.test(arn)) {
        return `is an IAM group, which a policy cannot name as a principal: name its roles or users (${PRINCIPAL_ARN_FORMAT})`;
    }
    if (!PRINCIPAL_ARN.test(arn)) return `must be a principal ARN: ${PRINCIPAL_ARN_FORMAT}`;
    return undefined;
}
