/**
 * What a run checks before it touches Pulumi: the operation, the concurrency, the stack names, every
 * environment's config, the backend and its passphrase. Pure, with no Pulumi SDK behind it, so the
 * command line makes these checks before it loads the Automation API, and fails fast.
 */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { isBuiltInProject } from "../program/builtIn";
import { PROJECT, StackConfigError } from "../program/stackConfig";
import { checkStacksExist, projectName } from "../program/stackFile";
import { readPulumiProject } from "../project/pulumiProject";
import { checkPassphrase, resolveBackend, type Backend } from "./backend";
import { environmentConfig, type EnvironmentConfig, type EnvironmentSettings, type ProgramConfig } from "./environmentConfig";

/**
 * The program the stacks run: `"project"`, the Pulumi project's own (its Pulumi.yaml, run by the
 * Pulumi CLI in the project folder, as `pulumi up` there would); `"built-in"`, this package's
 * one-bucket program, inline; or a function, run inline as the program.
 */
export type ProgramChoice = "project" | "built-in" | PulumiFn;

/** The options {@link prepareRun} reads. */
export interface PreflightOptions {
    /**
     * Folder of the Pulumi project: `Pulumi.yaml` and the `Pulumi.<env>.yaml` stack files.
     * @default process.cwd()
     */
    projectDir?: string;
    /**
     * Folder of the local file backend used when `PULUMI_BACKEND_URL` is not set, relative to
     * `projectDir`; it also keeps each stack's workspace files (the passphrase salt) between runs.
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
     * The environment variables the checks read (`PULUMI_BACKEND_URL`, `PULUMI_CONFIG_PASSPHRASE`,
     * `PULUMI_CONFIG_PASSPHRASE_FILE`) and that every Pulumi command gets.
     * @default process.env
     */
    env?: NodeJS.ProcessEnv;
    /**
     * The program the stacks run. The project's own is run by the Pulumi CLI in `projectDir`; its
     * stack files are read, never written (the CLI gets a copy with `--config-file`, kept in the state
     * folder with the secrets provider's salt). With `"built-in"`, or a project that is this
     * package's own (named `secure-bucket`), every environment's config is checked against
     * SecureBucket's arguments before anything runs.
     * @default "project"
     */
    program?: ProgramChoice;
    /**
     * Config per environment, used instead of that environment's `Pulumi.<env>.yaml`: typed
     * {@link EnvironmentSettings} for the built-in program, config keys and values
     * ({@link ProgramConfig}) for any other.
     * @default {} (every environment's config comes from its stack file)
     */
    config?: Readonly<Record<string, EnvironmentSettings | ProgramConfig>>;
}

/** A run that passed every check: what its stacks are run with. */
export interface PreparedRun {
    operation: Operation;
    /** The stacks, each once, in the order first asked. */
    stacks: string[];
    /** The project folder, absolute. */
    projectDir: string;
    /** The state folder option, as given. */
    stateDir?: string;
    concurrency: number;
    /** The program the stacks run. */
    program: ProgramChoice;
    /** The Pulumi project name the stacks belong to. */
    projectName: string;
    /** Each stack's config, and for the built-in program the arguments read from it. */
    environments: Map<string, EnvironmentConfig>;
    /** The backend; not enumerable: its URL may come from PULUMI_BACKEND_URL, so logging the run shows no environment value. */
    backend: Backend;
    /** The environment variables every Pulumi command gets; not enumerable: they hold the passphrase and AWS credentials. */
    envVars: Record<string, string>;
}

/** What can be done to an environment. */
export type Operation = "up" | "preview" | "destroy" | "outputs";

/** Every {@link Operation}. */
export const OPERATIONS: readonly Operation[] = ["up", "preview", "destroy", "outputs"];

/** Raised for a run that cannot be asked for: an unknown operation, a concurrency below 1, a stack name Pulumi refuses. */
export class RunRequestError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "RunRequestError";
    }
}

/** A stack name Pulumi accepts: letters, digits, `-`, `_` and `.`. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

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
 * names; that every stack has typed config or a stack file; every stack's config, all problems
 * together; the backend (`PULUMI_BACKEND_URL`, else a local file backend in `stateDir`) and, when
 * there is a stack to run, its passphrase.
 *
 * @throws RunRequestError for an unknown operation, a bad concurrency or a bad stack name.
 * @throws UnknownStackError naming every stack with neither typed config nor a stack file.
 * @throws StackConfigError listing every bad config value, as `<stack>: <config key>: ...`.
 * @throws MissingPassphraseError when a backend that needs a passphrase has none.
 */
export function prepareRun(operation: Operation, stacks: readonly string[], options: PreflightOptions = {}): PreparedRun {
    if (!OPERATIONS.includes(operation)) throw new RunRequestError(`Unknown operation ${JSON.stringify(operation)}: expected one of ${OPERATIONS.join(", ")}`);
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new RunRequestError(`concurrency: ${concurrency} must be a whole number, 1 or more`);
    const names = [...new Set(stacks)];
    for (const stack of names) {
        if (!STACK_NAME.test(stack) || stack === "." || stack === "..") {
            throw new RunRequestError(`Invalid stack name ${JSON.stringify(stack)}: use letters, digits, "-", "_" and "."`);
        }
    }
    const projectDir = path.resolve(options.projectDir ?? process.cwd());
    const program = options.program ?? "project";
    // The project's own program must be there to run; an inline one belongs to the project of the folder, if any.
    const project = program === "built-in" ? { name: PROJECT } : program === "project" ? readPulumiProject(projectDir) : { name: projectNameOr(projectDir) };
    const builtIn = program === "built-in" || (program === "project" && isBuiltInProject(project));
    const typed = (stack: string) => (options.config && Object.prototype.hasOwnProperty.call(options.config, stack) ? options.config[stack] : undefined);
    checkStacksExist(
        projectDir,
        names.filter((stack) => typed(stack) === undefined),
    );
    const environments = new Map<string, EnvironmentConfig>();
    const problems: string[] = [];
    for (const stack of names) {
        try {
            environments.set(stack, environmentConfig(projectDir, stack, typed(stack), { builtIn, project: project.name }));
        } catch (error) {
            if (!(error instanceof StackConfigError)) throw error;
            problems.push(...error.problems);
        }
    }
    if (problems.length > 0) throw new StackConfigError(problems);

    const env = options.env ?? process.env;
    const backend = resolveBackend(env, { projectDir, stateDir: options.stateDir });
    // A run of no stacks runs nothing, and needs no passphrase.
    if (names.length > 0) checkPassphrase(env, backend);
    const prepared = { operation, stacks: names, projectDir, stateDir: options.stateDir, concurrency, program, projectName: project.name, environments } as PreparedRun;
    for (const [key, value] of [["backend", backend], ["envVars", environmentVariables(env, backend)]] as const) {
        Object.defineProperty(prepared, key, { value, enumerable: false, writable: true });
    }
    return prepared;
}

/** The name in the folder's Pulumi.yaml, else this package's project name. */
function projectNameOr(projectDir: string): string {
    return fs.existsSync(path.join(projectDir, "Pulumi.yaml")) ? projectName(projectDir) : PROJECT;
}
