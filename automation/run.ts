/** Running one operation on several environments, a few at a time, each reported on its own. */
import { secureBucketProgram } from "../program/program";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import type { SecureBucketArgs } from "../components/secureBucketArgs";
import type { Operation, ProgramChoice } from "./preflight";
import { passThrough, prefixedLines } from "./output";
import { prepareRun, type PreflightOptions, type PreparedRun } from "./preflight";
import { createLocalWorkspaceFactory, stackWorkDir, type OperationSummary, type StackOutputs, type StackWorkspace, type WorkspaceFactory } from "./workspace";

/** How the stacks of a prepared run are run. */
export interface RunCallbacks {
    /**
     * Receives Pulumi's output (stdout and stderr) as it is printed. With one environment the text
     * arrives as Pulumi printed it; with several, as whole lines each prefixed with `[<stack>] `.
     * It is called from the child process's stream events: it must not throw.
     * @default output is not streamed (it is still in each error's message when a stack fails)
     */
    onOutput?: (stack: string, text: string) => void;
    /**
     * Opens the stacks: the seam tests use.
     * @default createLocalWorkspaceFactory(): the Pulumi CLI through the Automation API
     */
    workspaceFactory?: WorkspaceFactory;
}

/** Options of {@link runEnvironments}: the checks' options, and how the stacks are run. */
export interface RunOptions extends PreflightOptions, RunCallbacks {}

/** The outcome of one environment. */
export interface EnvironmentResult extends Partial<StackOutputs> {
    /** The environment (stack) name. */
    stack: string;
    ok: boolean;
    /** What changed (`up`, `destroy`) or would change (`preview`). */
    summary?: OperationSummary;
    /** Why the operation failed, when `ok` is false. */
    error?: Error;
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

/** The program a stack runs inline; undefined for the project's own, which the Pulumi CLI runs. */
function inlineProgram(choice: ProgramChoice, stack: string, args: SecureBucketArgs | undefined): PulumiFn | undefined {
    if (choice === "project") return undefined;
    if (choice !== "built-in") return choice;
    if (args === undefined) throw new Error(`${stack}: the built-in program's arguments were not read from its config`);
    return async () => secureBucketProgram(args);
}

function operate(workspace: StackWorkspace, operation: Operation, onOutput: (text: string) => void): Promise<Partial<StackOutputs> & { summary?: OperationSummary }> {
    return operation === "outputs" ? workspace.outputs() : workspace[operation](onOutput);
}

/**
 * Runs a run that {@link prepareRun} checked, with its program (the project's own, run by the Pulumi
 * CLI in the project folder; or the built-in one inline, given the arguments the check read; or the
 * caller's inline), at most `concurrency` stacks at a time. The Pulumi CLI is looked
 * for first: a missing one rejects the call and nothing runs. After that, each environment is
 * reported on its own: one that fails does not stop or hide the others. Results are in the order of
 * the stacks.
 * @throws PulumiCliMissingError when the Pulumi CLI is not installed.
 */
export async function runPrepared(run: PreparedRun, callbacks: RunCallbacks = {}): Promise<EnvironmentResult[]> {
    if (run.stacks.length === 0) return [];
    const factory = callbacks.workspaceFactory ?? createLocalWorkspaceFactory();
    await factory.ensureCli();
    const several = run.stacks.length > 1;
    return inPool(run.stacks, run.concurrency, async (stack): Promise<EnvironmentResult> => {
        const emit = (text: string) => callbacks.onOutput?.(stack, text);
        const output = several ? prefixedLines(`[${stack}] `, emit) : passThrough(emit);
        try {
            const environment = run.environments.get(stack);
            if (environment === undefined) throw new Error(`${stack} is not one of the stacks the run was prepared for`);
            const { config, values, args } = environment;
            const workspace = await factory.openStack({
                stackName: stack,
                projectName: run.projectName,
                projectDir: run.projectDir,
                program: inlineProgram(run.program, stack, args),
                config,
                values,
                backend: run.backend,
                envVars: run.envVars,
                workDir: stackWorkDir(run.projectDir, run.stateDir, run.backend.url, stack),
                create: run.operation === "up" || run.operation === "preview",
            });
            return { stack, ok: true, ...(await operate(workspace, run.operation, (text) => output.write(text))) };
        } catch (error) {
            return { stack, ok: false, error: error instanceof Error ? error : new Error(String(error)) };
        } finally {
            output.end();
        }
    });
}

/**
 * Runs `operation` (`up`, `preview`, `destroy` or `outputs`) on each named environment (stack):
 * {@link prepareRun}'s checks, then {@link runPrepared}. A stack named twice runs once.
 *
 * @throws UnknownStackError naming every environment with neither typed config nor a stack file.
 * @throws StackConfigError listing every bad config value, as `<stack>: <config key>: ...`.
 * @throws MissingPassphraseError when a backend that needs a passphrase has none.
 * @throws PulumiCliMissingError when the Pulumi CLI is not installed.
 */
export async function runEnvironments(operation: Operation, stacks: string[], options: RunOptions = {}): Promise<EnvironmentResult[]> {
    return runPrepared(prepareRun(operation, stacks, options), options);
}
