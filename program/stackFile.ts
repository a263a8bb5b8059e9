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

/** The project name declared in the folder's `Pulumi.yaml`. */
export function projectName(projectDir: string): string {
    const document = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as { name?: unknown } | null;
    if (typeof document?.name !== "string") throw new Error(`${path.join(projectDir, "Pulumi.yaml")} has no project name`);
    return document.name;
}

/**
 * A stack file's config the way the Pulumi engine hands it to a program: fully qualified keys (a
 * bare key belongs to the project, as in Pulumi), string values, lists and maps as JSON strings.
 */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
    const file = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) throw new UnknownStackError(stack, listStacks(projectDir));
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
    const config: Record<string, string> = {};
    const project = projectName(projectDir);
    for (const [key, value] of Object.entries(document?.config ?? {})) {
        const qualified = key.includes(":") ? key : `${project}:${key}`;
        config[qualified] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}
