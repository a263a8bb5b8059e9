/**
 * `preview`, `up`, `destroy` and `outputs`: one or more stacks through the Automation API module
 * (automation/index), its output streamed to stdout (lines prefixed `[<stack>] ` by that module when
 * several stacks run), then one status line per stack.
 */
import type { EnvironmentResult, Operation, RunOptions } from "../automation";
import { prepareRun } from "../automation/preflight";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./errors";
import { canonical } from "./planJson";

export type { Operation } from "../automation";

/** The signature of `runEnvironments` in automation/index. */
export type RunEnvironments = (operation: Operation, stacks: string[], options?: RunOptions) => Promise<EnvironmentResult[]>;

/** Where the command writes. */
export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
}

/** What the command was asked to do. */
export interface AutomationRequest {
    operation: Operation;
    stacks: string[];
    projectDir: string;
    concurrency?: number;
    /** The environment variables (backend, passphrase) the run reads and hands to Pulumi; the process's when not given. */
    env?: NodeJS.ProcessEnv;
}

/** Loads `runEnvironments` only when a deployment command runs, so `plan` and `--help` never load the Automation API. */
export async function loadRunEnvironments(): Promise<RunEnvironments> {
    return (await import("../automation")).runEnvironments;
}

/**
 * Errors automation/index raises before any stack runs, by name (the classes may come from another
 * copy of the module): reported as their message alone, with the exit code given.
 */
const KNOWN_ERRORS: Record<string, number> = {
    UnknownStackError: EXIT_USAGE,
    StackConfigError: EXIT_USAGE,
    MissingPassphraseError: EXIT_FAILURE,
    PulumiCliMissingError: EXIT_FAILURE,
};

function errorMessage(error: unknown): string {
    if (error instanceof Error) return error.message;
    return error === undefined ? "(no error message)" : String(error);
}

function changes(result: EnvironmentResult): string {
    const counts = Object.entries(result.summary?.resourceChanges ?? {})
        .filter(([, count]) => typeof count === "number" && count > 0)
        .map(([change, count]) => `${change} ${count}`);
    return counts.length > 0 ? ` (${counts.join(", ")})` : "";
}

/** A stack's outputs for printing: secrets masked, policy documents parsed. */
function printableOutputs(result: EnvironmentResult): unknown {
    const secret = new Set(result.secretOutputs ?? []);
    const outputs: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(result.outputs ?? {})) outputs[name] = secret.has(name) ? "[secret]" : value;
    return canonical(outputs);
}

/**
 * Runs the operation on every stack; resolves to the exit code: 0 when every stack succeeded, 1 when
 * any failed (or the run could not start: no Pulumi CLI, no passphrase), 2 for unknown stacks or bad
 * config. `outputs` prints one JSON document `{ "<stack>": { ...outputs } }` on stdout (secret
 * outputs masked, policy documents parsed); every command ends with one status line per stack
 * (failures on stderr).
 *
 * The config, backend and passphrase are checked before `load` is called, so those mistakes are
 * reported without loading the Automation API (and the Pulumi SDK behind it, about a second).
 */
export async function runAutomationCommand(request: AutomationRequest, io: Io, load: () => Promise<RunEnvironments>): Promise<number> {
    let results: EnvironmentResult[];
    try {
        prepareRun(request.operation, request.stacks, { projectDir: request.projectDir, concurrency: request.concurrency, env: request.env });
        const runEnvironments = await load();
        results = await runEnvironments(request.operation, request.stacks, {
            projectDir: request.projectDir,
            concurrency: request.concurrency,
            env: request.env,
            onOutput: (_stack, text) => io.stdout(text),
        });
    } catch (error) {
        const name = error instanceof Error ? error.name : "";
        if (Object.prototype.hasOwnProperty.call(KNOWN_ERRORS, name)) throw new CliError(errorMessage(error), KNOWN_ERRORS[name]);
        throw error;
    }
    const byStack = new Map(results.map((r) => [r.stack, r]));
    if (request.operation === "outputs") {
        const document: Record<string, unknown> = {};
        for (const stack of request.stacks) {
            const result = byStack.get(stack);
            if (result?.ok) document[stack] = printableOutputs(result);
        }
        io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    }
    let failed = false;
    for (const stack of request.stacks) {
        const result = byStack.get(stack);
        if (result?.ok) {
            io.stdout(`${stack}: ${request.operation} succeeded${changes(result)}\n`);
        } else {
            failed = true;
            const why = result === undefined ? "no result was reported for this stack" : errorMessage(result.error);
            io.stderr(`${stack}: ${request.operation} failed: ${why}\n`);
        }
    }
    return failed ? EXIT_FAILURE : EXIT_OK;
}
