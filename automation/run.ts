/** Running one operation on several environments, a few at a time, each reported on its own. */
import * as path from "path";
import { PROJECT, StackConfigError } from "../program/stackConfig";
import { checkPassphrase, resolveBackend, type Backend } from "./backend";
import { explainCliError } from "./cli";
import { environmentConfig, type EnvironmentSettings } from "./environmentConfig";
import { secureBucketInlineProgram } from "./inlineProgram";
import { passThrough, prefixedLines, type OutputStream } from "./output";
import {
    createLocalWorkspaceFactory,
    OPERATIONS,
    stackWorkDir,
    type Operation,
    type OperationSummary,
    type StackOutputs,
    type StackRequest,
    type StackWorkspace,
    type WorkspaceFactory,
} from "./workspace";

/** How many environments run at the same time unless told otherwise. */
export const DEFAULT_CONCURRENCY = 4;

/** Options of {@link runEnvironments}. */
export interface RunOptions {
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
     * Receives Pulumi's output (stdout and stderr) as it is printed. With one environment the text
     * arrives as Pulumi printed it; with several, as whole lines each prefixed with `[<stack>] `.
     * It is called from the child process's stream events: it must not throw.
     * @default output is not streamed (it is still in each error's message when a stack fails)
     */
    onOutput?: (stack: string, text: string) => void;
    /**
     * The environment variables the rules read (`PULUMI_BACKEND_URL`, `PULUMI_CONFIG_PASSPHRASE`,
     * `PULUMI_CONFIG_PASSPHRASE_FILE`) and that are passed to every Pulumi command.
     * @default process.env
     */
    env?: NodeJS.ProcessEnv;
    /**
     * Opens the stacks.
     * @default createLocalWorkspaceFactory(): the Pulumi CLI through the Automation API
     */
    workspaceFactory?: WorkspaceFactory;
    /**
     * Typed settings per environment, used instead of that environment's `Pulumi.<env>.yaml`.
     * @default {} (every environment's config comes from its stack file)
     */
    config?: Record<string, EnvironmentSettings>;
}

/** The outcome of one environment. */
export interface EnvironmentResult {
    /** The environment (stack) name. */
    stack: string;
    /** Whether the operation succeeded. */
    ok: boolean;
    /**
     * The stack outputs by name, as plain values, after `up` and for `outputs`. Secret outputs are
     * included in plaintext and named in `secretOutputs`: mask them before printing.
     */
    outputs?: Record<string, unknown>;
    /** The names of the outputs Pulumi holds as secrets (none for this program today). */
    secretOutputs?: string[];
    /** What changed (`up`, `destroy`) or would change (`preview`). */
    summary?: OperationSummary;
    /** Why the operation failed, when `ok` is false. */
    error?: Error;
}

/** A stack name Pulumi accepts: letters, digits, `-`, `_` and `.`. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

function checkStackName(stack: string): void {
    if (!STACK_NAME.test(stack) || stack === "." || stack === "..") {
        throw new Error(`Invalid stack name ${JSON.stringify(stack)}: use letters, digits, "-", "_" and "."`);
    }
}

function toError(error: unknown): Error {
    const explained = explainCliError(error);
    return explained instanceof Error ? explained : new Error(String(explained));
}

/** Runs `worker` on every item, at most `limit` at a time; results in the order of the items. */
async function inPool<T, R>(items: readonly T[], limit: number, worker: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = new Array<R>(items.length);
    let next = 0;
    const lane = async (): Promise<void> => {
        while (next < items.length) {
            const index = next++;
            results[index] = await worker(items[index]);
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
    return results;
}

function splitOutputs(outputs: StackOutputs): Pick<EnvironmentResult, "outputs" | "secretOutputs"> {
    const values: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const [name, output] of Object.entries(outputs)) {
        values[name] = output.value;
        if (output.secret) secrets.push(name);
    }
    return { outputs: values, secretOutputs: secrets };
}

async function operate(workspace: StackWorkspace, operation: Operation, output: OutputStream): Promise<Omit<EnvironmentResult, "stack" | "ok">> {
    const callbacks = { onOutput: (text: string) => output.write(text) };
    switch (operation) {
        case "up": {
            const { outputs, summary } = await workspace.up(callbacks);
            return { ...splitOutputs(outputs), summary };
        }
        case "preview": {
            const { summary } = await workspace.preview(callbacks);
            return { summary };
        }
        case "destroy": {
            const { summary } = await workspace.destroy(callbacks);
            return { summary };
        }
        case "outputs":
            return splitOutputs(await workspace.outputs());
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
 * Runs `operation` (`up`, `preview`, `destroy` or `outputs`) on each named environment (stack) with
 * the inline program {@link secureBucketInlineProgram}, at most `concurrency` at a time.
 *
 * Before anything runs, for every environment: its config is read from `options.config[stack]` or
 * `Pulumi.<stack>.yaml` and validated; the backend is chosen (`PULUMI_BACKEND_URL`, else a local file
 * backend in `stateDir`) and its passphrase checked; the Pulumi CLI is looked for. Any problem there
 * rejects the call and nothing runs. After that, each environment is reported on its own: one that
 * fails does not stop or hide the others. Results are in the order of `stacks`; a stack named twice
 * runs once.
 *
 * @throws UnknownStackError for an environment with neither typed config nor a stack file.
 * @throws StackConfigError listing every bad config value, as `<stack>: <config key>: ...`.
 * @throws MissingPassphraseError when a backend that needs a passphrase has none.
 * @throws PulumiCliMissingError when the Pulumi CLI is not installed.
 */
export async function runEnvironments(operation: Operation, stacks: string[], options: RunOptions = {}): Promise<EnvironmentResult[]> {
    if (!OPERATIONS.includes(operation)) {
        throw new Error(`Unknown operation ${JSON.stringify(operation)}: expected one of ${OPERATIONS.join(", ")}`);
    }
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new RangeError(`concurrency: ${concurrency} must be a whole number, 1 or more`);
    }
    const names = [...new Set(stacks)];
    names.forEach(checkStackName);
    if (names.length === 0) return [];

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
    checkPassphrase(env, backend);
    const envVars = environmentVariables(env, backend);

    const factory = options.workspaceFactory ?? createLocalWorkspaceFactory();
    try {
        await factory.ensureCli();
    } catch (error) {
        throw explainCliError(error);
    }

    const several = names.length > 1;
    return inPool(names, concurrency, async (stack): Promise<EnvironmentResult> => {
        const emit = (text: string) => options.onOutput?.(stack, text);
        const output = several ? prefixedLines(`[${stack}] `, emit) : passThrough(emit);
        const request: StackRequest = {
            stackName: stack,
            projectName: PROJECT,
            program: secureBucketInlineProgram,
            config: configs.get(stack) ?? {},
            backend,
            envVars,
            workDir: stackWorkDir(projectDir, options.stateDir, backend.url, stack),
            create: operation === "up" || operation === "preview",
        };
        try {
            const workspace = await factory.openStack(request);
            const result = await operate(workspace, operation, output);
            return { stack, ok: true, ...result };
        } catch (error) {
            return { stack, ok: false, error: toError(error) };
        } finally {
            output.end();
        }
    });
}
