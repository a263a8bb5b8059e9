/** Characters Pulumi appends when it auto-names a bucket: "-" and a 7-character random suffix. */
export const AUTONAME_SUFFIX_LENGTH = 8;

const FORBIDDEN_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const FORBIDDEN_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/**
 * What is wrong with an S3 bucket name, or undefined when it is valid. Dots are refused too: this
 * bucket only accepts TLS, and dotted names break TLS for virtual-hosted-style requests.
 */
export function bucketNameProblem(name: unknown): string | undefined {
    if (typeof name !== "string") return "must be a string";
    if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (is ${name.length})`;
    return bucketNameCharactersProblem(name);
}

/**
 * What is wrong with a component name used as the start of a Pulumi auto-generated bucket name,
 * or undefined when `<name>-<7 random characters>` will be a valid bucket name.
 */
export function autoNamedBucketProblem(componentName: string): string | undefined {
    const maxLength = 63 - AUTONAME_SUFFIX_LENGTH;
    if (componentName.length < 1 || componentName.length > maxLength) {
        return `is used to auto-name the bucket, so it must be 1 to ${maxLength} characters long (is ${componentName.length})`;
    }
    const problem = bucketNameCharactersProblem(`${componentName}-abcdefg`);
    return problem === undefined ? undefined : `is used to auto-name the bucket, so it ${problem}`;
}

function bucketNameCharactersProblem(name: string): string | undefined {
    if (!/^[a-z0-9.-]+$/.test(name)) return "must use only lowercase letters, digits and '-'";
    if (name.includes(".")) {
        return "must not contain '.': dotted names break TLS for virtual-hosted-style requests, and this bucket requires TLS";
    }
    if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "must start and end with a lowercase letter or digit";
    const prefix = FORBIDDEN_PREFIXES.find((p) => name.startsWith(p));
    if (prefix !== undefined) return `must not start with '${prefix}' (reserved by AWS)`;
    const suffix = FORBIDDEN_SUFFIXES.find((s) => name.endsWith(s));
    if (suffix !== undefined) return `must not end with '${suffix}' (reserved by AWS)`;
    return undefined;
}

/** Why a bucket's access logs cannot go to the bucket itself. */
export const LOGGING_INTO_ITSELF = "is this bucket: a bucket cannot log into itself (each delivery would be logged again)";

/**
 * What is wrong with the name of an existing bucket this one refers to (an access-log target), or
 * undefined: the S3 naming rules, dots allowed (that bucket is not this library's to name).
 */
export function existingBucketNameProblem(name: unknown): string | undefined {
    if (typeof name !== "string") return "must be a bucket name";
    if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (is ${name.length})`;
    if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return "must use only lowercase letters, digits, '.' and '-', and start and end with a letter or digit";
    if (name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not hold '..' or be shaped like an IP address";
    return undefined;
}
