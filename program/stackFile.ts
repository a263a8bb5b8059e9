import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Raised when a stack has no `Pulumi.<stack>.yaml`; names the stacks that do exist. */
export class UnknownStackError extends Error {
    constructor(
        readonly stack: string,
        readonly knownStacks: readonly string[],
    ) {
        super(`Unknown stack "${stack}": no Pulumi.${stack}.yaml. Known stacks: ${knownStacks.join(", ") || "(none)"}`);
        this.name = "UnknownStackError";
    }
}

/** The stacks that have a `Pulumi.<stack>.yaml` in the project folder, sorted. */
export function listStacks(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((stack): stack is string => stack !== undefined)
        .sort();
}

/**
 * A stack file's config the way the Pulumi engine hands it to a program: fully qualified keys,
 * string values, lists and maps as JSON strings.
 */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new UnknownStackError(stack, listStacks(projectDir));
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(document?.config ?? {})) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}
