/** What is wrong with a KMS alias name, or undefined when it is valid. */
export function aliasNameProblem(alias: unknown): string | undefined {
    if (typeof alias !== "string") return "must be a string";
    if (!alias.startsWith("alias/")) return "must start with 'alias/'";
    if (alias.length === "alias/".length) return "must name something after 'alias/'";
    if (alias.length > 256) return `must be at most 256 characters long (is ${alias.length})`;
    if (!/^[A-Za-z0-9/_-]+$/.test(alias)) return "must use only letters, digits, '/', '_' and '-'";
    if (alias.startsWith("alias/aws/")) return "must not start with 'alias/aws/' (reserved for AWS-managed keys)";
    return undefined;
}
