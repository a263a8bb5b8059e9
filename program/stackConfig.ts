import { z } from "zod";
// The argument rules only, not the component: reading config must not load the Pulumi SDK.
import { SecureBucketArgs, TLS_VERSIONS } from "../components/secureBucketArgs";
import { SecureBucketArgumentError, validateSecureBucketArgs, WHOLE_NUMBER_RANGES } from "../components/validateArgs";

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

/**
 * What `json` needs of a schema. Naming it instead of `z.ZodType<T>` keeps the type-check cheap:
 * relating a zod schema to `ZodType<T>` costs the compiler about a second (measured with
 * `tsc --generateTrace`).
 */
interface Parser<T> {
    safeParse(value: unknown): z.ZodSafeParseResult<T>;
}

/** Config values arrive as strings; lists and maps as JSON, the way Pulumi stores YAML ones. */
function json<T>(schema: Parser<T>, expected: string) {
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
/** Emptiness and format are the component's rules (components/rules), reported with their message. */
const text = z.string();
const flag = z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");
const wholeNumber = (argument: keyof typeof WHOLE_NUMBER_RANGES) => {
    const [min, max] = WHOLE_NUMBER_RANGES[argument];
    return z
        .string()
        .regex(/^-?\d+$/, `must be a whole number from ${min} to ${max}`)
        .transform(Number);
};

/** How each config key of the project is read from its string form. */
const FIELDS = {
    administrators: principals,
    readers: principals,
    writers: principals,
    bucketName: text,
    aliasName: text,
    bucketKeyEnabled: flag,
    versioning: flag,
    keyRotationPeriodInDays: wholeNumber("keyRotationPeriodInDays"),
    keyDeletionWindowInDays: wholeNumber("keyDeletionWindowInDays"),
    minimumTlsVersion: z.enum(TLS_VERSIONS, `must be one of ${TLS_VERSIONS.map((v) => `"${v}"`).join(", ")}`),
    abortIncompleteMultipartUploadDays: wholeNumber("abortIncompleteMultipartUploadDays"),
    noncurrentVersionExpirationDays: wholeNumber("noncurrentVersionExpirationDays"),
    forceDestroy: flag,
    protect: flag,
    tags: json(z.record(z.string(), z.string()), "a YAML map of tag keys to string values"),
} satisfies Record<string, Parser<unknown>>;

/** The config keys of this project that the program reads, without the `secure-bucket:` prefix. */
export const CONFIG_KEYS: string[] = Object.keys(FIELDS);

function isConfigKey(key: string): key is keyof typeof FIELDS {
    return Object.prototype.hasOwnProperty.call(FIELDS, key);
}

function describe(value: string | undefined): string {
    return value === undefined ? "(not set)" : JSON.stringify(value);
}

/**
 * Turns a stack's config (fully qualified keys, string values, as `pulumi.runtime.allConfig()`
 * returns them) into SecureBucket arguments. Every problem, of type or of value, is reported at once
 * with its config key; an unknown `secure-bucket:` key (a typo) is an error too. Keys of other
 * namespaces (`aws:profile`, ...) are left to their owners.
 */
export function parseStackConfig(config: Readonly<Record<string, string>>, componentName: string): SecureBucketArgs {
    const prefix = `${PROJECT}:`;
    const problems: string[] = [];
    const region = config["aws:region"];
    if (region === undefined || region === "") {
        problems.push(`aws:region: ${describe(region)} must be set to the stack's AWS region, e.g. "pulumi config set aws:region eu-west-1"`);
    }
    const args: Record<string, unknown> = {};
    for (const [qualified, raw] of Object.entries(config)) {
        if (!qualified.startsWith(prefix)) continue;
        const key = qualified.slice(prefix.length);
        if (!isConfigKey(key)) {
            problems.push(`${qualified}: ${describe(raw)} is not a config key of this project; known: ${CONFIG_KEYS.join(", ")}`);
            continue;
        }
        const parsed = FIELDS[key].safeParse(raw);
        if (parsed.success) args[key] = parsed.data;
        else problems.push(...parsed.error.issues.map((issue) => `${qualified}: ${describe(raw)} ${issue.message}`));
    }
    // The values that did parse go through the component's own rules, so every problem shows at once.
    const parsedArgs = { ...args, region: region || undefined } as SecureBucketArgs;
    try {
        validateSecureBucketArgs(componentName, parsedArgs, { label: configKey });
    } catch (error) {
        if (!(error instanceof SecureBucketArgumentError)) throw error;
        problems.push(...error.problems);
    }
    if (problems.length > 0) throw new StackConfigError(problems);
    return parsedArgs;
}
