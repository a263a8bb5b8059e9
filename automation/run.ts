/** Running one operation on several environments, a few at a time, each reported on its own. */
import { PROJECT } from "../program/stackConfig";
import { explainCliError } from "./cli";
import { secureBucketInlineProgram } from "./inlineProgram";
import type { Operation } from "./operations";
import { passThrough, prefixedLines, type OutputStream } from "./output";
import { prepareRun, type PreflightOptions } from "./preflight";
import {
    createLocalWorkspaceFactory,
    stackWorkDir,
    type OperationSummary,
    type StackOutputs,
    type StackRequest,
    type StackWorkspace,
    type WorkspaceFactory,
} from "./workspace";

/** Options of {@link runEnvironments}: the checks' options, and how the stacks are run. */
export interface RunOptions extends PreflightOptions {
    /**
     * Receives Pulumi's output (stdout and stderr) as it is printed. With one environment the text
     * arrives as Pulumi printed it; with several, as whole lines each prefixed with `[<stack>] `.
     * It is called from the child process's stream events: it must not throw.
     * @default output is not streamed (it is still in each error's message when a stack fails)
     */
    onOutput?: (stack: string, text: string) => void;
    /**
     * Opens the stacks.
     * @default createLocalWorkspaceFactory(): the Pulumi CLI through the Automation API
     */
    workspaceFactory?: WorkspaceFactory;
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

/**
 * Runs `operation` (`up`, `preview`, `destroy` or `outputs`) on each named environment (stack) with
 * the inline program {@link secureBucketInlineProgram}, at most `concurrency` at a time.
 *
 * Before anything runs, the run passes {@link prepareRun}'s checks (every environment's config, the
 * backend and its passphrase), then the Pulumi CLI is looked for. Any problem there rejects the call
 * and nothing runs. After that, each environment is reported on its own: one that
 * fails does not stop or hide the others. Results are in the order of `stacks`; a stack named twice
 * runs once.
 *
 * @throws UnknownStackError for an environment with neither typed config nor a stack file.
 * @throws StackConfigError listing every bad config value, as `<stack>: <config key>: ...`.
 * @throws MissingPassphraseError when a backend that needs a passphrase has none.
 * @throws PulumiCliMissingError when the Pulumi CLI is not installed.
 */
export async function runEnvironments(operation: Operation, stacks: string[], options: RunOptions = {}): Promise<EnvironmentResult[]> {
    const { stacks: names, projectDir, concurrency, configs, backend, envVars } = prepareRun(operation, stacks, options);
    if (names.length === 0) return [];

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
