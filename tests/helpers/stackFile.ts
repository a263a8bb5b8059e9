import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** Folder of the Pulumi project: Pulumi.yaml and the stack files. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/**
 * A stack file's config the way the Pulumi engine hands it to a program: fully qualified keys,
 * string values, lists and maps as JSON. (Under mocks the engine does not read stack files.)
 */
export function stackConfig(stack: string): Record<string, string> {
    const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
    const document = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(document.config ?? {})) {
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return config;
}
