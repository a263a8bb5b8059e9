/**
 * What the tests of the program (its config, its behaviour in-process, the CLI that plans it) share:
 * its outputs and the example stacks' config. Loads no Pulumi SDK, so the end-to-end tests may use it.
 */
import { stackConfig } from "./stackFile";

/** The stack outputs, in the order the program returns them. */
export const OUTPUT_NAMES = ["bucketName", "bucketArn", "keyArn", "keyId", "aliasName", "aliasArn", "bucketPolicy", "keyPolicy"];

/** A stack file's config (as the engine hands it over) with some keys replaced (a value) or removed (undefined). */
export function stackConfigWith(stack: string, changes: Record<string, string | undefined>): Record<string, string> {
    const config = { ...stackConfig(stack) };
    for (const [key, value] of Object.entries(changes)) {
        if (value === undefined) delete config[key];
        else config[key] = value;
    }
    return config;
}

/** A list the config holds under `key` (the engine hands YAML lists over as JSON); [] when unset. */
export function listIn(config: Readonly<Record<string, string>>, key: string): string[] {
    return JSON.parse(config[key] ?? "[]") as string[];
}
