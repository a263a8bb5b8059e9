/**
 * An environment's config: from its `Pulumi.<env>.yaml` or from a typed object, always as the string
 * map the engine hands the program. This package's own program's config is also checked (and read
 * into SecureBucket arguments) before anything runs; any other program's is its own business.
 */
import type { Unwrap } from "@pulumi/pulumi";
import type { SecureBucketArgs } from "../components/secureBucketArgs";
import { componentNameOf, configKey, parseStackConfig, PROJECT, StackConfigError } from "../program/stackConfig";
import { engineConfig, qualifiedConfig, secureConfigKeys, stackConfigValues } from "../program/stackFile";

/**
 * The built-in program's settings for an environment, as a typed object: the AWS region
 * (`aws:region`) and every other {@link SecureBucketArgs} argument (`secure-bucket:<argument>`), as
 * plain values: config is text, so it cannot carry Outputs. Defaults are those of SecureBucketArgs.
 */
export type EnvironmentSettings = { region: string } & { readonly [K in Exclude<keyof SecureBucketArgs, "region">]?: Unwrap<SecureBucketArgs[K]> };

/**
 * Any program's config for an environment: its config keys, fully qualified (`aws:region`,
 * `my-app:readers`) or bare (the project's own), with the values a stack file would hold (strings,
 * numbers, booleans, lists and maps).
 */
export type ProgramConfig = { readonly [configKey: string]: unknown };

/**
 * The config map a stack file would give for the built-in program's typed settings: strings as they
 * are, booleans and numbers as text, lists and maps as JSON; unset settings left out. Nothing is
 * checked here (a key the project does not know is kept, so that the check can name it).
 */
export function toStackConfig(settings: Readonly<EnvironmentSettings>): Record<string, string> {
    return engineConfig(PROJECT, toStackConfigValues(settings));
}

/** The built-in program's typed settings under their config keys, as a stack file would hold them. */
function toStackConfigValues(settings: Readonly<EnvironmentSettings>): Record<string, unknown> {
    const keyed: Record<string, unknown> = {};
    for (const [argument, value] of Object.entries(settings) as [string, unknown][]) keyed[configKey(argument)] = value;
    return qualifiedConfig(PROJECT, keyed);
}

/** An environment's config, and, for the built-in program, the arguments read from it. */
export interface EnvironmentConfig {
    /** Fully qualified keys and string values, as the engine hands them to the program. */
    config: Record<string, string>;
    /**
     * The same config as a stack file holds it (lists and maps as such): what the work folder's copy
     * of the stack settings holds for the project's own program, whose Pulumi.yaml may declare types.
     */
    values: Record<string, unknown>;
    /** The SecureBucket arguments, read and checked: the built-in program's only. */
    args?: SecureBucketArgs;
}

/**
 * An environment's config from `settings` when given, otherwise from `Pulumi.<stack>.yaml`. With
 * `builtIn`, it is the built-in program's, read and checked with {@link parseStackConfig}, every
 * problem prefixed with the stack; otherwise its keys are qualified with `project` and passed on.
 * @throws StackConfigError listing every problem of the built-in program's config.
 */
export function environmentConfig(
    projectDir: string,
    stack: string,
    settings: Readonly<EnvironmentSettings | ProgramConfig> | undefined,
    program: { builtIn: boolean; project: string },
): EnvironmentConfig {
    if (!program.builtIn) {
        const values = settings === undefined ? stackConfigValues(projectDir, stack) : qualifiedConfig(program.project, settings);
        const config = engineConfig(program.project, values);
        // Secrets would reach Pulumi as their ciphertext, in plain text: refused, never passed on.
        const secrets = secureConfigKeys(config);
        if (secrets.length > 0) {
            throw new StackConfigError(
                secrets.map(
                    (key) =>
                        `${stack}: ${key}: a secret (secure:) in Pulumi.${stack}.yaml: secure-bucket's up, preview and destroy do not carry encrypted config yet; run pulumi in the project for this stack`,
                ),
            );
        }
        return { config, values };
    }
    const values = settings !== undefined ? toStackConfigValues(settings as EnvironmentSettings) : stackConfigValues(projectDir, stack);
    const config = engineConfig(PROJECT, values);
    try {
        return { config, values, args: parseStackConfig(config, componentNameOf(PROJECT, stack)) };
    } catch (error) {
        if (error instanceof StackConfigError) throw new StackConfigError(error.problems.map((problem) => `${stack}: ${problem}`));
        throw error;
    }
}
