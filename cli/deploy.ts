/**
 * `preview`, `up`, `destroy` and `outputs`: one or more stacks through the Automation API module,
 * its output streamed to stdout (lines prefixed `[<stack>] ` when several stacks run), then one
 * status line per stack.
 */
import type { PreparedRun } from "../automation/preflight";
import type { EnvironmentResult, RunCallbacks } from "../automation/run";
import { EXIT_FAILURE, EXIT_OK } from "./exitCodes";
import { canonical } from "./planJson";

/** Where a command writes, and the environment it reads (backend, passphrase). */
export interface Io {
    stdout(text: string): void;
    stderr(text: string): void;
    /** @default process.env */
    env?: NodeJS.ProcessEnv;
}

/** Runs a checked run: `runPrepared` of automation/run, loaded only when a deployment command runs. */
export type RunPrepared = (run: PreparedRun, callbacks: RunCallbacks) => Promise<EnvironmentResult[]>;

/** Loads `runPrepared`, so that `plan`, `--help` and every mistake caught by the checks never load the Pulumi SDK. */
export async function loadRunPrepared(): Promise<RunPrepared> {
    return (await import("../automation/run")).runPrepared;
}

function changes(result: EnvironmentResult): string {
    const counts = Object.entries(result.summary?.resourceChanges ?? {})
        .filter(([, count]) => typeof count === "number" && count > 0)
        .map(([change, count]) => `${change} ${count}`);
    return counts.length > 0 ? ` (${counts.join(", ")})` : "";
}

/**
 * Runs the checked run on every stack; resolves to the exit code: 0 when every stack succeeded, 1 when
 * any failed. `outputs` prints one JSON document `{ "<stack>": { ...outputs } }` on stdout (secret
 * outputs masked, policy documents parsed); every command ends with one status line per stack
 * (failures on stderr).
 */
export async function runDeployCommand(run: PreparedRun, io: Io, load: () => Promise<RunPrepared>): Promise<number> {
    const runPrepared = await load();
    const results = new Map((await runPrepared(run, { onOutput: (_stack, text) => io.stdout(text) })).map((r) => [r.stack, r]));
    if (run.operation === "outputs") {
        const document: Record<string, unknown> = {};
        for (const [stack, result] of results) {
            if (!result.ok) continue;
            const secret = new Set(result.secretOutputs);
            document[stack] = canonical(Object.fromEntries(Object.entries(result.outputs ?? {}).map(([name, value]) => [name, secret.has(name) ? "[secret]" : value])));
        }
        io.stdout(`${JSON.stringify(document, null, 2)}\n`);
    }
    let failed = false;
    for (const stack of run.stacks) {
        const result = results.get(stack);
        if (result?.ok) {
            io.stdout(`${stack}: ${run.operation} succeeded${changes(result)}\n`);
        } else {
            failed = true;
            const why = result === undefined ? "no result was reported for this stack" : (result.error?.message ?? "(no error message)");
            io.stderr(`${stack}: ${run.operation} failed: ${why}\n`);
        }
    }
    return failed ? EXIT_FAILURE : EXIT_OK;
}
