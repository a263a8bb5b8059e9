/** What is wrong with a tag key, or undefined when it is valid (AWS tag rules for S3 and KMS). */
export function tagKeyProblem(key: string): string | undefined {
    if (key.length < 1 || key.length > 128) return `tag keys must be 1 to 128 characters long (is ${key.length})`;
    if (key.toLowerCase().startsWith("aws:")) return "tag keys must not start with 'aws:' (reserved by AWS)";
    return undefined;
}

/** What is wrong with a tag value, or undefined when it is valid. */
export function tagValueProblem(value: unknown): string | undefined {
    if (typeof value !== "string") return "tag values must be strings";
    if (value.length > 256) return `tag values must be at most 256 characters long (is ${value.length})`;
    return undefined;
}
