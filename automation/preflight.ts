/**
 * What a run checks before it touches Pulumi: the operation, the concurrency, the stack names, every
 * environment's config, the backend and its passphrase. Pure, with no Pulumi SDK behind it, so the
 * command line makes these checks before it loads the Automation API, and fails fast.
 */
import * as path from "path";
import { StackConfigError } from "../program/stackConfig";
import { checkPassphrase, resolveBackend, type Backend } from "./backend";
import { environmentConfig, type EnvironmentSettings } from "./environmentConfig";
import { OPERATIONS, type Operation } from "./operations";

/** How many environments run at the same time unless told otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** The options {@link prepareRun} reads. */
export interface PreflightOptions {
    /**
     * Folder of the Pulumi project: `Pulumi.yaml` and the `Pulumi.<env>.yaml` stack files.
     * @default process.cwd()
     */
    projectDir?: string;
    /**
     * Folder of the local file backend used when `PULUMI_BACKEND_URL` is not set; relative to
     * `projectDir`. It also keeps each stack's workspace files (the passphrase salt) between runs.
     * Keep it out of git.
     * @default `<projectDir>/.pulumi-state`
     */
    stateDir?: string;
    /**
     * How many environments run at the same time, at least 1.
     * @default 4
     */
    concurrency?: number;
    /**
     * The environment variables the rules read (`PULUMI_BACKEND_URL`, `PULUMI_CONFIG_PASSPHRASE`,
     * `PULUMI_CONFIG_PASSPHRASE_FILE`) and that are passed to every Pulumi command.
     * @default process.env
     */
    env?: NodeJS.ProcessEnv;
    /**
     * Typed settings per environment, used instead of that environment's `Pulumi.<env>.yaml`.
     * @default {} (every environment's config comes from its stack file)
     */
    config?: Record<string, EnvironmentSettings>;
}

/** A run that passed every check: what the stacks are run with. */
export interface PreparedRun {
    /** The stacks, each once, in the order first asked. */
    stacks: string[];
    /** The project folder, absolute. */
    projectDir: string;
    /** How many stacks run at the same time. */
    concurrency: number;
    /** Each stack's validated config, as the string map the engine hands the program. */
    configs: Map<string, Record<string, string>>;
    /** The backend every stack uses. */
    backend: Backend;
    /** The environment variables every Pulumi command gets. */
    envVars: Record<string, string>;
}

/** A stack name Pulumi accepts: letters, digits, `-`, `_` and `.`. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

function checkStackName(stack: string): void {
    if (!STACK_NAME.test(stack) || stack === "." || stack === "..") {
        throw new Error(`Invalid stack name ${JSON.stringify(stack)}: use letters, digits, "-", "_" and "."`);
    }
}

function environmentVariables(env: Readonly<NodeJS.ProcessEnv>, backend: Backend): Record<string, string> {
    const vars: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (value !== undefined) vars[name] = value;
    // Pulumi runs in the stack's work folder: a relative passphrase file must not move with it.
    if (vars.PULUMI_CONFIG_PASSPHRASE_FILE !== undefined) vars.PULUMI_CONFIG_PASSPHRASE_FILE = path.resolve(vars.PULUMI_CONFIG_PASSPHRASE_FILE);
    vars.PULUMI_BACKEND_URL = backend.url;
    return vars;
}

/**
 * Checks a run of `operation` on `stacks`, in this order: the operation, the concurrency, the stack
 * names; every stack's config (from `options.config[stack]` or `Pulumi.<stack>.yaml`), all problems
 * together; the backend (`PULUMI_BACKEND_URL`, else a local file backend in `stateDir`) and, when
 * there is a stack to run, its passphrase.
 *
 * @throws UnknownStackError for an environment with neither typed config nor a stack file.
 * @throws StackConfigError listing every bad config value, as `<stack>: <config key>: ...`.
 * @throws MissingPassphraseError when a backend that needs a passphrase has none.
 */
export function prepareRun(operation: Operation, stacks: readonly string[], options: PreflightOptions = {}): PreparedRun {
    if (!OPERATIONS.includes(operation)) {
        throw new Error(`Unknown operation ${JSON.stringify(operation)}: expected one of ${OPERATIONS.join(", ")}`);
    }
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new RangeError(`concurrency: ${concurrency} must be a whole number, 1 or more`);
    }
    const names = [...new Set(stacks)];
    names.forEach(checkStackName);

    const projectDir = path.resolve(options.projectDir ?? process.cwd());
    const env = options.env ?? process.env;
    const configs = new Map<string, Record<string, string>>();
    const problems: string[] = [];
    for (const stack of names) {
        try {
            configs.set(stack, environmentConfig(stack, { projectDir, config: options.config }));
        } catch (error) {
            if (!(error instanceof StackConfigError)) throw error;
            problems.push(...error.problems);
        }
    }
    if (problems.length > 0) throw new StackConfigError(problems);

    const backend = resolveBackend(env, { projectDir, stateDir: options.stateDir });
    // A run of no stacks runs nothing, and needs no passphrase.
    if (names.length > 0) checkPassphrase(env, backend);
    return { stacks: names, projectDir, concurrency, configs, backend, envVars: environmentVariables(env, backend) };
}
