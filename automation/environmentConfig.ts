/**
 * An environment's config: from its `Pulumi.<env>.yaml` or from a typed object, always as the string
 * map the engine hands the program, and always validated before anything runs.
 */
import type { SecureBucketArgs } from "../components";
import type { DefaultedArgument } from "../components/secureBucketArgs";
import { configKey, parseStackConfig, PROJECT, StackConfigError } from "../program/stackConfig";
import { readStackConfig } from "../program/stackFile";

/** The SecureBucket arguments that take plain values only (no Outputs) in every case. */
type PlainArgs = Pick<SecureBucketArgs, DefaultedArgument>;

/**
 * An environment's settings as a typed object: the AWS region and the {@link SecureBucketArgs}, with
 * plain values only (config is text, so it cannot carry Outputs). Each argument becomes the config
 * key `secure-bucket:<argument>`, the region `aws:region`; defaults are those of SecureBucketArgs.
 */
export interface EnvironmentSettings extends PlainArgs {
    /** AWS region of the environment (`aws:region`), e.g. `"eu-west-1"`. */
    region: string;
    /**
     * Principal ARNs that manage the KMS key.
     * @default []
     */
    administrators?: readonly string[];
    /**
     * Principal ARNs that may read objects.
     * @default []
     */
    readers?: readonly string[];
    /**
     * Principal ARNs that may write objects.
     * @default []
     */
    writers?: readonly string[];
    /**
     * Physical bucket name.
     * @default Pulumi auto-naming from `secure-bucket-<stack>`
     */
    bucketName?: string;
    /**
     * KMS alias name, starting with `alias/`.
     * @default `alias/secure-bucket-<stack>`
     */
    aliasName?: string;
    /**
     * Tags for the key and the bucket.
     * @default {}
     */
    tags?: Readonly<Record<string, string>>;
}

// Compile-time guard: every SecureBucket argument can be set from EnvironmentSettings.
const everyArgumentCovered: Exclude<keyof SecureBucketArgs, keyof EnvironmentSettings> extends never ? true : false = true;
void everyArgumentCovered;

/**
 * Converts typed settings to the config map a stack file produces: `aws:region` and
 * `secure-bucket:<argument>` keys; strings as they are, booleans and numbers as text, lists and maps
 * as JSON. Unset (`undefined`) settings are left out. Nothing is validated here (a key the project
 * does not know is kept, so validation can name it): see {@link environmentConfig}.
 */
export function toStackConfig(settings: Readonly<EnvironmentSettings>): Record<string, string> {
    const config: Record<string, string> = {};
    for (const [argument, value] of Object.entries(settings) as [string, unknown][]) {
        if (value === undefined) continue;
        config[configKey(argument)] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
    }
    return config;
}

/** Where an environment's config comes from. */
export interface ConfigSource {
    /** Folder of the Pulumi project, with `Pulumi.yaml` and the `Pulumi.<env>.yaml` files. */
    projectDir: string;
    /** Typed settings per environment; an environment listed here does not need a stack file. */
    config?: Readonly<Record<string, EnvironmentSettings>>;
}

/**
 * An environment's config as the engine hands it to the program: from `source.config[stack]` when
 * given, otherwise from `Pulumi.<stack>.yaml`; validated with {@link parseStackConfig} so that bad
 * config is reported, naming each config key, before anything is deployed.
 * @throws UnknownStackError when there is neither typed config nor a stack file.
 * @throws StackConfigError listing every problem.
 */
export function environmentConfig(stack: string, source: ConfigSource): Record<string, string> {
    const settings = source.config && Object.prototype.hasOwnProperty.call(source.config, stack) ? source.config[stack] : undefined;
    const config = settings !== undefined ? toStackConfig(settings) : readStackConfig(source.projectDir, stack);
    try {
        parseStackConfig(config, `${PROJECT}-${stack}`);
    } catch (error) {
        if (error instanceof StackConfigError) throw new StackConfigError(error.problems.map((problem) => `${stack}: ${problem}`));
        throw error;
    }
    return config;
}
