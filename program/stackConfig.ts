import { z } from "zod";
import { SecureBucketArgs, SecureBucketArgumentError, validateSecureBucketArgs } from "../components";

/** The Pulumi project name: the namespace of this program's config keys. */
export const PROJECT = "secure-bucket";

/** Raised for bad stack config; each problem names the config key, its value and what is allowed. */
export class StackConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "StackConfigError";
    }
}

/** The fully qualified config key of a SecureBucket argument. */
export function configKey(argument: string): string {
    return argument === "region" ? "aws:region" : `${PROJECT}:${argument}`;
}

/** Config values arrive as strings; lists and maps as JSON, the way Pulumi stores YAML ones. */
function json<T>(schema: z.ZodType<T>, expected: string) {
    return z.string().transform((text, ctx): T => {
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            value = undefined;
        }
        const result = schema.safeParse(value);
        if (result.success) return result.data;
        ctx.addIssue({ code: "custom", message: `must be ${expected}` });
        return z.NEVER;
    });
}

const principals = json(z.array(z.string()), "a YAML list of principal ARNs");
const text = z.string().min(1, "must not be empty");
const flag = z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");
const days = z
    .string()
    .regex(/^-?\d+$/, "must be a whole number of days")
    .transform(Number);

const projectConfig = z.strictObject({
    administrators: principals.optional(),
    readers: principals.optional(),
    writers: principals.optional(),
    bucketName: text.optional(),
    aliasName: text.optional(),
    bucketKeyEnabled: flag.optional(),
    versioning: flag.optional(),
    keyRotationPeriodInDays: days.optional(),
    keyDeletionWindowInDays: days.optional(),
    minimumTlsVersion: z.enum(["1.2", "1.3"], 'must be "1.2" or "1.3"').optional(),
    abortIncompleteMultipartUploadDays: days.optional(),
    noncurrentVersionExpirationDays: days.optional(),
    forceDestroy: flag.optional(),
    protect: flag.optional(),
    tags: json(z.record(z.string(), z.string()), "a YAML map of tag keys to string values").optional(),
});

/** The config keys of this project that the program reads, without the `secure-bucket:` prefix. */
export const CONFIG_KEYS = Object.keys(projectConfig.shape);

function describe(value: string | undefined): string {
    return value === undefined ? "(not set)" : JSON.stringify(value);
}

/**
 * Turns a stack's config (fully qualified keys, string values, as `pulumi.runtime.allConfig()`
 * returns them) into SecureBucket arguments. Every problem, of type or of value, is reported at once
 * with its config key; an unknown `secure-bucket:` key (a typo) is an error too.
 */
export function parseStackConfig(config: Readonly<Record<string, string>>, componentName: string): SecureBucketArgs {
    const prefix = `${PROJECT}:`;
    const own: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
        if (key.startsWith(prefix)) own[key.slice(prefix.length)] = value;
    }
    const region = config["aws:region"];
    const problems: string[] = [];
    if (region === undefined || region === "") {
        problems.push(`aws:region: ${describe(region)} must be set to the stack's AWS region, e.g. "pulumi config set aws:region eu-west-1"`);
    }
    const parsed = projectConfig.safeParse(own);
    if (!parsed.success) {
        for (const issue of parsed.error.issues) {
            if (issue.code === "unrecognized_keys") {
                for (const key of issue.keys) {
                    problems.push(`${prefix}${key}: ${describe(own[key])} is not a config key of this project; known: ${CONFIG_KEYS.join(", ")}`);
                }
            } else {
                const key = String(issue.path[0]);
                problems.push(`${prefix}${key}: ${describe(own[key])} ${issue.message}`);
            }
        }
    }
    if (problems.length > 0 || !parsed.success) throw new StackConfigError(problems);
    const args: SecureBucketArgs = { ...parsed.data, region };
    try {
        validateSecureBucketArgs(componentName, args, configKey);
    } catch (error) {
        if (error instanceof SecureBucketArgumentError) throw new StackConfigError(error.problems);
        throw error;
    }
    return args;
}
