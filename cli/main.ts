#!/usr/bin/env node
/**
 * The `secure-bucket` command line: `plan` (offline, on the Pulumi mock engine) and `preview`,
 * `up`, `destroy`, `outputs` (through the Automation API module). Run `secure-bucket --help`.
 *
 * Errors are reported as one message on stderr, nothing on stdout; exit codes are in errors.ts.
 */
import { listStacks } from "../program/stackFile";
import { Io, loadRunEnvironments, runAutomationCommand } from "./automation";
import { parseCommandLine, ParsedCommand } from "./commands";
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from "./errors";
import { resolveProjectDir } from "./projectDir";

/** The process's own streams, where the `secure-bucket` command writes. */
const PROCESS_IO: Io = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
};

/** Unknown stacks stop a command before anything runs, naming the stacks that exist. */
function checkStacksExist(projectDir: string, stacks: readonly string[]): void {
    const known = listStacks(projectDir);
    const unknown = stacks.filter((s) => !known.includes(s));
    if (unknown.length > 0) {
        throw new CliError(
            `Unknown stack${unknown.length > 1 ? "s" : ""} ${unknown.map((s) => `"${s}"`).join(", ")}: no ${unknown.map((s) => `Pulumi.${s}.yaml`).join(", ")} in ${projectDir}. ` +
                `Known stacks: ${known.join(", ") || "(none)"}`,
            EXIT_USAGE,
        );
    }
}

async function run(command: ParsedCommand, io: Io): Promise<number> {
    switch (command.kind) {
        case "help":
            io.stdout(`${command.text}\n`);
            return EXIT_OK;
        case "plan": {
            const projectDir = resolveProjectDir(command.cwd);
            const { planStack } = await import("./plan");
            const plan = await planStack({ projectDir, stack: command.stack });
            if (command.json) {
                const { renderPlanJson } = await import("./planJson");
                io.stdout(renderPlanJson(plan));
            } else {
                const { renderPlanText } = await import("./planText");
                io.stdout(renderPlanText(plan));
            }
            return EXIT_OK;
        }
        case "automation": {
            const projectDir = resolveProjectDir(command.cwd);
            checkStacksExist(projectDir, command.stacks);
            return runAutomationCommand(
                { operation: command.operation, stacks: command.stacks, projectDir, concurrency: command.concurrency },
                io,
                loadRunEnvironments,
            );
        }
    }
}

/**
 * An unexpected failure (the program itself failed, e.g. a policy over AWS's size limit): its
 * message, and the stack trace only when SECURE_BUCKET_DEBUG is set.
 */
function describeFailure(error: unknown): string {
    const debug = process.env.SECURE_BUCKET_DEBUG !== undefined && process.env.SECURE_BUCKET_DEBUG !== "";
    if (!(error instanceof Error)) return `secure-bucket: failed: ${String(error)}\n`;
    if (debug) return `${error.stack ?? error.message}\n`;
    return `secure-bucket: failed: ${error.message}\n(set SECURE_BUCKET_DEBUG=1 for the stack trace)\n`;
}

/**
 * Runs the command line, writing to `io`; resolves to the exit code. Never throws.
 * @param io where the output and the errors go; the process's stdout and stderr unless given.
 */
export async function main(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
    try {
        return await run(parseCommandLine(argv), io);
    } catch (error) {
        if (error instanceof CliError) {
            io.stderr(`${error.message}\n`);
            return error.exitCode;
        }
        io.stderr(describeFailure(error));
        return EXIT_FAILURE;
    }
}

if (require.main === module) {
    // Until main settles, a premature exit (a promise that never resolves) is a failure, not success.
    process.exitCode = EXIT_FAILURE;
    let settled = false;
    process.on("beforeExit", () => {
        if (!settled) {
            settled = true;
            process.stderr.write(`secure-bucket: the command stopped before finishing (a promise never settled)\n`);
        }
    });
    // A reader that goes away (`| head`) ends the output; it is not a failure of the command.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "EPIPE") process.exit(typeof process.exitCode === "number" ? process.exitCode : EXIT_FAILURE);
        throw error;
    });
    process.on("unhandledRejection", (reason) => {
        process.stderr.write(describeFailure(reason));
        process.exit(EXIT_FAILURE);
    });
    void main(process.argv.slice(2)).then((code) => {
        settled = true;
        process.exitCode = code;
        // Flush stdout before leaving: nothing of the output is lost when piped.
        process.stdout.write("", () => process.exit(code));
    });
}
