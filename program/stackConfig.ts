import { distance } from "fastest-levenshtein";
import { z } from "zod";
// The argument rules only, not the component: reading config must not load the Pulumi SDK.
import { ARGUMENT_NAMES, ARGUMENTS, ConfigShape } from "../components/arguments";
import type { SecureBucketArgs } from "../components/secureBucketArgs";
import { describeValue, SecureBucketArgumentError, validateSecureBucketArgs } from "../components/validateArgs";

/** The Pulumi project name: the namespace of this program's config keys. */
export const PROJECT = "secure-bucket";

/** Raised for bad stack config; each problem names the config key, its value and what is allowed. */
export class StackConfigError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(`Invalid stack config:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "StackConfigError";
    }
}

/** The name of the stack's SecureBucket: `<project>-<stack>`, and the start of its auto-named bucket. */
export function componentNameOf(project: string, stack: string): string {
    return `${project}-${stack}`;
}

/** The fully qualified config key of a SecureBucket argument. */
export function configKey(argument: string): string {
    return (ARGUMENTS as Partial<Record<string, { configKey?: string }>>)[argument]?.configKey ?? qualifiedKey(argument);
}

/** `secure-bucket:<argument>`. */
function qualifiedKey(argument: string): string {
    return `${PROJECT}:${argument}`;
}

/** The config keys of this project that the program reads, without the `secure-bucket:` prefix. */
export const CONFIG_KEYS: string[] = ARGUMENT_NAMES.filter((argument) => configKey(argument) === qualifiedKey(argument));

/** The argument a misspelt name most likely meant (case aside, a third of its letters or fewer changed), if any. */
function nearestArgument(name: string): string | undefined {
    let nearest: { argument: string; edits: number } | undefined;
    for (const argument of ARGUMENT_NAMES) {
        const edits = distance(name.toLowerCase(), argument.toLowerCase());
        if (edits <= Math.max(1, Math.floor(argument.length / 3)) && (nearest === undefined || edits < nearest.edits)) nearest = { argument, edits };
    }
    return nearest?.argument;
}

/** A fully qualified config key (Pulumi's are always `<namespace>:<name>`) split at its first colon. */
function splitKey(qualified: string): { namespace: string; name: string } {
    const colon = qualified.indexOf(":");
    return { namespace: qualified.slice(0, colon), name: qualified.slice(colon + 1) };
}

/**
 * Whether a namespace is a near miss of this project's own (`securebucket`, `secure_bucket`,
 * `Secure-Buckets`): one edit or fewer from it once case and separators are set aside. A user
 * program's own namespaces (`myapp`, `secure-backup`) are further away.
 */
function nearMissNamespace(namespace: string): boolean {
    const bare = (text: string) => text.toLowerCase().replace(/[-_.\s]/g, "");
    return namespace !== PROJECT && distance(bare(namespace), bare(PROJECT)) <= 1;
}

/**
 * The problem with a config key the program does not read, or undefined when it is not this
 * project's to judge: an unknown `secure-bucket:` key (a typo), and a key in a near-miss namespace
 * (which would otherwise be silently ignored), each with the key it most likely meant.
 */
function unknownKeyProblem(qualified: string, raw: string): string | undefined {
    const { namespace, name } = splitKey(qualified);
    if (namespace !== PROJECT && !nearMissNamespace(namespace)) return undefined;
    const meant = nearestArgument(name);
    const given = `${qualified}: ${describeValue(raw)}`;
    if (namespace === PROJECT) {
        const known = CONFIG_KEYS.join(", ");
        if (meant === undefined) return `${given} is not a config key of this project; known: ${known}`;
        return `${given} is not a config key of this project; did you mean \`${CONFIG_KEYS.includes(meant) ? meant : configKey(meant)}\`? Known: ${known}`;
    }
    const guess = meant === undefined ? `its keys are ${CONFIG_KEYS.join(", ")}` : `did you mean \`${configKey(meant)}\`?`;
    return `${given} is not read: its namespace "${namespace}" is not this project's, "${PROJECT}"; ${guess}`;
}

/**
 * What reading a config value needs of a schema. Naming it instead of `z.ZodType<T>` keeps the
 * type-check cheap: relating a zod schema to `ZodType<T>` costs the compiler about a second
 * (measured with `tsc --generateTrace`).
 */
interface Parser<T> {
    safeParse(value: unknown): z.ZodSafeParseResult<T>;
}

/** Config values arrive as strings; lists and maps as JSON, the way Pulumi stores YAML ones. */
function json<T>(schema: Parser<T>, expected: string): Parser<T> {
    return z.string().transform((text, ctx): T => {
        try {
            const result = schema.safeParse(JSON.parse(text));
            if (result.success) return result.data;
        } catch {
            // Not JSON: the stack file held a plain string where a list or a map belongs.
        }
        ctx.addIssue({ code: "custom", message: `must be ${expected}` });
        return z.NEVER;
    });
}

/**
 * How a value of each shape is read from its string form. Emptiness, ranges and formats are the
 * component's rules (components/arguments.ts), reported with their own messages.
 */
function reader(shape: ConfigShape): Parser<unknown> {
    switch (shape.kind) {
        case "text":
            return z.string();
        case "flag":
            return z.enum(["true", "false"], "must be true or false").transform((v) => v === "true");
        case "wholeNumber":
            return z
                .string()
                .regex(/^-?\d+$/, `must be a whole number from ${shape.min} to ${shape.max}`)
                .transform(Number);
        case "oneOf":
            return z.enum(shape.values, `must be one of ${shape.values.map((v) => `"${v}"`).join(", ")}`);
        case "list":
            return json(z.array(z.string()), `a YAML list of ${shape.of}`);
        case "map":
            return json(z.record(z.string(), z.string()), `a YAML map of ${shape.of}`);
        case "yaml":
            return json(z.unknown(), shape.expected);
    }
}

/**
 * Turns a stack's config (fully qualified keys, string values, as `pulumi.runtime.allConfig()`
 * returns them) into SecureBucket arguments. Every problem, of type or of value, is reported at once
 * with its config key; an unknown `secure-bucket:` key (a typo) is an error too, and so is a key in a
 * near-miss namespace (`securebucket:`), each with the key it most likely meant. Keys of other
 * namespaces (`aws:profile`, a program's own) are left to their owners.
 */
export function parseStackConfig(config: Readonly<Record<string, string>>, componentName: string): SecureBucketArgs {
    const problems: string[] = [];
    const args: SecureBucketArgs = {};
    for (const argument of ARGUMENT_NAMES) {
        const { requiredInConfig } = ARGUMENTS[argument];
        const raw = config[configKey(argument)];
        if (requiredInConfig !== undefined && (raw === undefined || raw === "")) problems.push(`${configKey(argument)}: ${describeValue(raw)} ${requiredInConfig}`);
    }
    for (const [qualified, raw] of Object.entries(config)) {
        const argument = ARGUMENT_NAMES.find((a) => configKey(a) === qualified);
        if (argument === undefined) {
            const problem = unknownKeyProblem(qualified, raw);
            if (problem !== undefined) problems.push(problem);
            continue;
        }
        if (raw === "" && ARGUMENTS[argument].requiredInConfig !== undefined) continue;
        const parsed = reader(ARGUMENTS[argument].config).safeParse(raw);
        // Each reader yields the type its argument's shape declares.
        if (parsed.success) (args as Record<string, unknown>)[argument] = parsed.data;
        else problems.push(...parsed.error.issues.map((issue) => `${qualified}: ${describeValue(raw)} ${issue.message}`));
    }
    // The values that did parse go through the component's own rules, so every problem shows at once.
    try {
        validateSecureBucketArgs(componentName, args, { label: configKey });
    } catch (error) {
        if (!(error instanceof SecureBucketArgumentError)) throw error;
        problems.push(...error.problems);
    }
    if (problems.length > 0) throw new StackConfigError(problems);
    return args;
}
