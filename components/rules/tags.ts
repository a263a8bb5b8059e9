// AWS's tag rules for S3 and KMS ("Tag naming limits and requirements", Tagging AWS Resources User
// Guide): at most 50 user tags per resource; keys of 1 to 128 and values of 0 to 256 Unicode
// characters (code points, not UTF-16 units); letters, digits, spaces and _ . : / = + - @; keys
// starting with `aws:` are reserved.

/** Most user tags one resource can carry. */
export const MAX_TAGS = 50;

const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const ALLOWED = "letters, digits, spaces and _ . : / = + - @";

/** Length in Unicode characters, as AWS counts it. */
function characters(text: string): number {
    return [...text].length;
}

/** What is wrong with a number of tags, or undefined when it is within AWS's limit. */
export function tagCountProblem(count: number): string | undefined {
    return count > MAX_TAGS ? `is more tags than AWS allows on one resource (at most ${MAX_TAGS})` : undefined;
}

/** What is wrong with a tag key, or undefined when it is valid. */
export function tagKeyProblem(key: string): string | undefined {
    const length = characters(key);
    if (length < 1 || length > 128) return `tag keys must be 1 to 128 characters long (is ${length})`;
    if (key.toLowerCase().startsWith("aws:")) return "tag keys must not start with 'aws:' (reserved by AWS)";
    if (!TAG_CHARACTERS.test(key)) return `tag keys must use only ${ALLOWED}`;
    return undefined;
}

/** What is wrong with a tag value, or undefined when it is valid. */
export function tagValueProblem(value: unknown): string | undefined {
    if (typeof value !== "string") return "tag values must be strings";
    const length = characters(value);
    if (length > 256) return `tag values must be at most 256 characters long (is ${length})`;
    if (!TAG_CHARACTERS.test(value)) return `tag values must use only ${ALLOWED}`;
    return undefined;
}
