/** A principal ARN split into the parts the rules look at. */
export interface PrincipalArn {
    /** `aws`, or `aws-<name>`: `aws-cn`, `aws-us-gov`, `aws-iso-b`, `aws-eusc`, ... */
    partition: string;
    /** The 12-digit account. */
    account: string;
    /** `root` for the account root, otherwise whether it names a role or a user. */
    kind: "root" | "role" | "user";
}

// A partition is `aws` or `aws-<name>` (IAM User Guide, "IAM identifiers"); a path is `/` or
// `/<text>/` of printable ASCII from '!' to '~', at most 512 characters; a role or user name is
// 1 to 64 of [\w+=,.@-] (IAM User Guide, "IAM and AWS STS quotas, name requirements").
const PRINCIPAL_ARN = /^arn:(aws(?:-[a-z0-9]+)*):iam::(\d{12}):(?:(root)|(role|user)\/((?:[!-~]*\/)?)[\w+=,.@-]{1,64})$/;
const MAX_PATH_LENGTH = 512;

/** What a valid principal looks like, quoted in every error message about one. */
export const PRINCIPAL_ARN_FORMAT =
    "arn:<partition>:iam::<12-digit account>:root, :role/[path/]<name> or :user/[path/]<name>, where <partition> is aws or aws-<name> (aws-cn, aws-us-gov, aws-eusc, ...)";

/** The parts of a principal ARN, or undefined when it is not one (see {@link principalArnProblem}). */
export function parsePrincipalArn(arn: string): PrincipalArn | undefined {
    const match = PRINCIPAL_ARN.exec(arn);
    if (match === null || pathTooLong(match)) return undefined;
    const [, partition, account, root, kind] = match;
    return { partition, account, kind: root === undefined ? (kind as "role" | "user") : "root" };
}

/** Whether the ARN's path (which in an ARN leaves out its leading '/') is over IAM's limit. */
function pathTooLong(match: RegExpExecArray): boolean {
    return (match[5] ?? "").length + 1 > MAX_PATH_LENGTH;
}

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
    const match = PRINCIPAL_ARN.exec(arn);
    if (match === null) return `must be a principal ARN: ${PRINCIPAL_ARN_FORMAT}`;
    if (pathTooLong(match)) return `has a path longer than IAM's ${MAX_PATH_LENGTH} characters`;
    return undefined;
}

/**
 * What is wrong with a principal ARN as a key administrator, beyond {@link principalArnProblem}. The
 * deletion guard compares `aws:PrincipalArn` with each administrator, and no role's or user's ARN
 * ever equals `:root`: an account root there would exempt the root user alone and lock every IAM
 * administrator of the account out of deleting or disabling the key. Like the deployer's, an
 * administrator's ARN lands in that `ArnNotEquals`, so it must hold no policy variable (see
 * {@link guardExemptionProblem}).
 */
export function administratorProblem(arn: unknown): string | undefined {
    const problem = principalArnProblem(arn) ?? guardExemptionProblem(arn as string);
    if (problem !== undefined || parsePrincipalArn(arn as string)?.kind !== "root") return problem;
    return (
        "is an account root, which as an administrator would exempt only the root user from the key's deletion guard, " +
        "not the account's IAM administrators: name the roles or users that manage the key, or name none to leave the key to the account's IAM policies"
    );
}

/** Where the key and the bucket are created: known at deploy time, from the deploying credentials. */
export interface DeploymentAccount {
    accountId: string;
    partition: string;
}

/**
 * What is wrong with a principal (already a valid ARN) being used in this deployment, or undefined:
 * no principal can be granted across partitions, and an administrator must be in the key's own
 * account, because KMS ignores key-management permissions granted to another account (AWS KMS
 * Developer Guide, "Allowing users in other accounts to use a KMS key").
 */
export function deploymentProblem(arn: string, role: "administrator" | "data user", deployment: DeploymentAccount): string | undefined {
    const principal = parsePrincipalArn(arn);
    if (principal === undefined) return undefined;
    if (principal.partition !== deployment.partition) {
        return `is in partition ${principal.partition}, but the key and the bucket are in partition ${deployment.partition}: no permission crosses partitions`;
    }
    if (role === "administrator" && principal.account !== deployment.accountId) {
        return (
            `is in account ${principal.account}, not in the key's account ${deployment.accountId} (the account of the deploying credentials): ` +
            'KMS ignores key-management permissions granted to another account ("Allowing users in other accounts to use a KMS key", AWS KMS Developer Guide), ' +
            "so it could manage nothing; name administrators of the key's own account"
        );
    }
    return undefined;
}

/**
 * What is wrong with an ARN as a value of the deletion guard's `ArnNotEquals aws:PrincipalArn`
 * condition (an exemption), or undefined. IAM paths may hold '*', '?' and '${', which ARN conditions
 * read as wildcards and policy variables: such an exemption would cover other principals too.
 */
function guardExemptionProblem(arn: string): string | undefined {
    return /[*?]|\$\{/.test(arn)
        ? "holds '*', '?' or '${', which the key's deletion guard (ArnNotEquals aws:PrincipalArn) would read as a wildcard or a policy variable and so exempt other principals too"
        : undefined;
}

/** What is wrong with the deployer's ARN (`aws:PrincipalArn` of the identity that runs `pulumi up`) as a guard exemption, or undefined. */
export function deployerProblem(arn: string): string | undefined {
    const problem = guardExemptionProblem(arn);
    return problem === undefined ? undefined : `${problem}: deploy as a role or user whose ARN has none of them`;
}
