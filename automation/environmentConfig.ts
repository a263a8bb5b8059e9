/**
 * An environment's config: from its `Pulumi.<env>.yaml` or from a typed object, always as the string
 * map the engine hands the program, and always checked before anything runs.
 */
import type { Unwrap } from "@pulumi/pulumi";
import type { SecureBucketArgs } from "../components/secureBucketArgs";
import { componentNameOf, configKey, parseStackConfig, PROJECT, StackConfigError } from "../program/stackConfig";
import { readStackConfig } from "../program/stackFile";

/**
 * An environment's settings as a typed object: the AWS region (`aws:region`) and every other
 * {@link SecureBucketArgs} argument (`secure-bucket:<argument>`), as plain values: config is text, so
 * it cannot carry Outputs. Defaults are those of SecureBucketArgs.
 */
export type EnvironmentSettings = { region: string } & { readonly [K in Exclude<keyof SecureBucketArgs, "region">]?: Unwrap<SecureBucketArgs[K]> };

/**
 * The config map a stack file would give for typed settings: strings as they are, booleans and
 * numbers as text, lists and maps as JSON; unset settings left out. Nothing is checked here (a key
 * the project does not know is kept, so that the check can name it).
 */
export function toStackConfig(settings: Readonly<EnvironmentSettings>): Record<string, string> {
    const config: Record<string, string> = {};
    for (const [argument, value] of Object.entries(settings) as [string, unknown][]) {
        if (value !== undefined) config[configKey(argument)] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    }
    return config;
}

/** An environment's config, and the arguments read from it. */
export interface EnvironmentConfig {
    /** Fully qualified keys and string values, as the engine hands them to the program. */
    config: Record<string, string>;
    /** The SecureBucket arguments, read and checked. */
    args: SecureBucketArgs;
}

/**
 * An environment's config from `settings` when given, otherwise from `Pulumi.<stack>.yaml`, read and
 * checked with {@link parseStackConfig}, every problem prefixed with the stack.
 * @throws StackConfigError listing every problem.
 */
export function environmentConfig(projectDir: string, stack: string, settings: Readonly<EnvironmentSettings> | undefined): EnvironmentConfig {
    const config = settings !== undefined ? toStackConfig(settings) : readStackConfig(projectDir, stack);
    try {
        return { config, args: parseStackConfig(config, componentNameOf(PROJECT, stack)) };
    } catch (error) {
        if (error instanceof StackConfigError) throw new StackConfigError(error.problems.map((problem) => `${stack}: ${problem}`));
        throw error;
    }
}
