/**
 * The exit codes of the CLI, and the one place that decides which error ends a command with which
 * code and what the user reads.
 */
import { AdoptionRefusedError } from "../adopt/refused";
import { MissingPassphraseError } from "../automation/backend";
import { RunRequestError } from "../automation/preflight";
import { PulumiCliMissingError } from "../automation/pulumiCli";
import { StackConfigError } from "../program/stackConfig";
import { UnknownStackError, YamlFileError } from "../program/stackFile";
import { ProjectError } from "../project/pulumiProject";
import { PolicyConfigError } from "../compliance/config";

/** Everything asked was done. */
export const EXIT_OK = 0;
/** A stack failed, or the program failed while it ran, or a deployment could not start. */
export const EXIT_FAILURE = 1;
/** The command line, the stack name, the stack config or a project file's YAML is wrong: nothing was run. */
export const EXIT_USAGE = 2;
/** A mandatory compliance rule failed (check) or the deployed bucket drifted from the plan (verify). */
export const EXIT_FINDINGS = 3;

/** A mistake in the command line or in where it points (no Pulumi.yaml): exit 2, its message alone. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** Errors whose message says everything: shown alone (no stack trace), with their exit code. */
const EXPECTED: readonly [new (...args: never[]) => Error, number][] = [
    [UsageError, EXIT_USAGE],
    [RunRequestError, EXIT_USAGE],
    [UnknownStackError, EXIT_USAGE],
    [StackConfigError, EXIT_USAGE],
    [YamlFileError, EXIT_USAGE],
    [ProjectError, EXIT_USAGE],
    [PolicyConfigError, EXIT_USAGE],
    [MissingPassphraseError, EXIT_FAILURE],
    [PulumiCliMissingError, EXIT_FAILURE],
    [AdoptionRefusedError, EXIT_FAILURE],
];

/**
 * How a command that failed with `error` ends: its exit code and what goes to stderr. An unexpected
 * failure (the program failed, e.g. a policy over AWS's size limit) shows its message, and its stack
 * trace only when SECURE_BUCKET_DEBUG is set.
 */
export function failure(error: unknown, env: NodeJS.ProcessEnv = process.env): { code: number; stderr: string } {
    const expected = EXPECTED.find(([type]) => error instanceof type);
    if (expected !== undefined) return { code: expected[1], stderr: `${(error as Error).message}\n` };
    if (!(error instanceof Error)) return { code: EXIT_FAILURE, stderr: `secure-bucket: failed: ${String(error)}\n` };
    if (env.SECURE_BUCKET_DEBUG) return { code: EXIT_FAILURE, stderr: `${error.stack ?? error.message}\n` };
    return { code: EXIT_FAILURE, stderr: `secure-bucket: failed: ${error.message}\n(set SECURE_BUCKET_DEBUG=1 for the stack trace)\n` };
}
