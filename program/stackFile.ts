import * as fs from "fs";
import * as path from "path";
import { parse, YAMLParseError } from "yaml";

/** Raised for a Pulumi.yaml or stack file that is not valid YAML: names the file and the line. */
export class YamlFileError extends Error {
    constructor(file: string, error: YAMLParseError) {
        const line = error.linePos?.[0].line;
        super(`${file}${line === undefined ? "" : `, line ${line}`}: not valid YAML: ${error.message}`);
        this.name = "YamlFileError";
    }
}

/** A YAML file's document; a syntax error is a {@link YamlFileError}. */
export function readYaml(file: string): unknown {
    const text = fs.readFileSync(file, "utf8");
    try {
        return parse(text);
    } catch (error) {
        if (error instanceof YAMLParseError) throw new YamlFileError(file, error);
        throw error;
    }
}

/** Raised for stacks that have no `Pulumi.<stack>.yaml`; names every one, and the stacks that do exist. */
export class UnknownStackError extends Error {
    constructor(
        readonly stacks: readonly string[],
        readonly knownStacks: readonly string[],
        projectDir: string,
    ) {
        const files = stacks.map((s) => `Pulumi.${s}.yaml`).join(", ");
        super(
            `Unknown stack${stacks.length > 1 ? "s" : ""} ${stacks.map((s) => `"${s}"`).join(", ")}: no ${files} in ${projectDir}. ` +
                `Known stacks: ${knownStacks.join(", ") || "(none)"}`,
        );
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

/** Throws one {@link UnknownStackError} naming every stack of `stacks` that has no stack file. */
export function checkStacksExist(projectDir: string, stacks: readonly string[]): void {
    const known = listStacks(projectDir);
    const unknown = stacks.filter((s) => !known.includes(s));
    if (unknown.length > 0) throw new UnknownStackError(unknown, known, projectDir);
}

/** What the folder's `Pulumi.yaml` declares that config depends on: the project's name and its `config:` block. */
function projectSettings(projectDir: string): { name: string; config: Record<string, unknown> } {
    const document = readYaml(path.join(projectDir, "Pulumi.yaml")) as { name?: unknown; config?: Record<string, unknown> } | null;
    if (typeof document?.name !== "string") throw new Error(`${path.join(projectDir, "Pulumi.yaml")} has no project name`);
    return { name: document.name, config: document.config ?? {} };
}

/** The project name declared in the folder's `Pulumi.yaml`. */
export function projectName(projectDir: string): string {
    return projectSettings(projectDir).name;
}

/**
 * A stack file's config the way the Pulumi engine hands it to a program: fully qualified keys (a
 * bare key belongs to the project, as in Pulumi), string values, lists and maps as JSON strings.
 */
export function readStackConfig(projectDir: string, stack: string): Record<string, string> {
    const project = projectName(projectDir);
    return engineConfig(project, stackConfigValues(projectDir, stack, project));
}

/** A stack file's config as the file holds it (lists and maps as such), its keys qualified with `project`. */
export function stackConfigValues(projectDir: string, stack: string, project: string = projectName(projectDir)): Record<string, unknown> {
    checkStacksExist(projectDir, [stack]);
    const document = readYaml(path.join(projectDir, `Pulumi.${stack}.yaml`)) as { config?: Record<string, unknown> } | null;
    return qualifiedConfig(project, document?.config ?? {});
}

/**
 * The config the engine hands a stack's program: the stack file's, over what Pulumi.yaml gives every
 * stack (see {@link projectConfig}).
 */
export function programConfig(projectDir: string, stack: string): Record<string, string> {
    const project = projectSettings(projectDir);
    return { ...declaredConfig(project), ...engineConfig(project.name, stackConfigValues(projectDir, stack, project.name)) };
}

/** The settings a config declaration in Pulumi.yaml may hold besides its value. */
const DECLARATION_KEYS = new Set(["type", "description", "default", "value", "secret", "items"]);

/**
 * The config Pulumi.yaml itself gives every stack (its `config:` block): a declaration's `value`,
 * else its `default`, or a plain value; a stack file's value wins over it, as in Pulumi.
 */
export function projectConfig(projectDir: string): Record<string, string> {
    return declaredConfig(projectSettings(projectDir));
}

function declaredConfig(project: { name: string; config: Record<string, unknown> }): Record<string, string> {
    const values: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(project.config)) {
        const declared = typeof entry === "object" && entry !== null && !Array.isArray(entry) && Object.keys(entry).every((k) => DECLARATION_KEYS.has(k));
        values[key] = declared ? ((entry as { value?: unknown; default?: unknown }).value ?? (entry as { default?: unknown }).default) : entry;
    }
    return engineConfig(project.name, values);
}

/**
 * Config values as the Pulumi engine hands them to a program: fully qualified keys (a bare key belongs
 * to `project`), strings as they are, everything else (numbers, booleans, lists, maps) as JSON.
 * Values left undefined are left out.
 */
export function engineConfig(project: string, values: Readonly<Record<string, unknown>>): Record<string, string> {
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(qualifiedConfig(project, values))) config[key] = typeof value === "string" ? value : JSON.stringify(value);
    return config;
}

/** Config values with fully qualified keys (a bare key belongs to `project`); values left undefined are left out. */
export function qualifiedConfig(project: string, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const qualified: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) if (value !== undefined) qualified[key.includes(":") ? key : `${project}:${key}`] = value;
    return qualified;
}

/**
 * The keys whose value is a secret as a stack file holds it (`key: { secure: <ciphertext> }`, which
 * the engine would decrypt with the stack's secrets provider), as {@link engineConfig} passes it on.
 */
export function secureConfigKeys(config: Readonly<Record<string, string>>): string[] {
    return Object.keys(config).filter((key) => {
        if (!config[key].startsWith("{")) return false;
        try {
            const value: unknown = JSON.parse(config[key]);
            return typeof value === "object" && value !== null && Object.keys(value).length === 1 && typeof (value as { secure?: unknown }).secure === "string";
        } catch {
            return false;
        }
    });
}
