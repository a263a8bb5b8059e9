#!/usr/bin/env node
/**
 * The `secure-bucket` command line: `plan` (offline, on the Pulumi mock engine) and `preview`,
 * `up`, `destroy`, `outputs` (through the Automation API module). Run `secure-bucket --help`.
 *
 * Errors are reported as one message on stderr, nothing on stdout; exitCodes.ts decides each code.
 */
import { prepareRun } from "../automation/preflight";
import { parseCommandLine, ParsedCommand } from "./commands";
import { Io, loadRunPrepared, runDeployCommand, RunPrepared } from "./deploy";
import { EXIT_FAILURE, EXIT_OK, failure } from "./exitCodes";
import { resolveProjectDir } from "./projectDir";

/** The process's own streams, where the `secure-bucket` command writes. */
const PROCESS_IO: Io = {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
};

async function run(command: ParsedCommand, io: Io, load: () => Promise<RunPrepared>): Promise<number> {
    switch (command.kind) {
        case "help":
            io.stdout(`${command.text}\n`);
            return EXIT_OK;
        case "plan": {
            const { planStack } = await import("./plan");
            const plan = await planStack({ projectDir: resolveProjectDir(command.cwd), stack: command.stack });
            io.stdout(command.json ? (await import("./planJson")).renderPlanJson(plan) : (await import("./planText")).renderPlanText(plan));
            return EXIT_OK;
        }
        case "deploy": {
            // Every check that needs no Pulumi SDK first (stacks, config, backend, passphrase), so mistakes are reported fast.
            const checked = prepareRun(command.operation, command.stacks, {
                projectDir: resolveProjectDir(command.cwd),
                concurrency: command.concurrency,
                env: io.env,
            });
            return runDeployCommand(checked, io, load);
        }
        case "check":
            return (await import("./check")).runCheckCommand(command, io);
        case "verify":
            return (await import("./verify")).runVerifyCommand(command, io);
        case "adopt":
            return (await import("./adopt")).runAdoptCommand(command, io);
    }
}

/**
 * Runs the command line, writing to `io`; resolves to the exit code. Never throws.
 * @param io where the output and the errors go; the process's stdout and stderr unless given.
 * @param load loads what runs the deployment commands (the Automation API), once their checks pass.
 */
export async function main(argv: readonly string[], io: Io = PROCESS_IO, load: () => Promise<RunPrepared> = loadRunPrepared): Promise<number> {
    try {
        return await run(parseCommandLine(argv), io, load);
    } catch (error) {
        const { code, stderr } = failure(error, io.env);
        io.stderr(stderr);
        return code;
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
        process.stderr.write(failure(reason).stderr);
        process.exit(EXIT_FAILURE);
    });
    void main(process.argv.slice(2)).then((code) => {
        settled = true;
        process.exitCode = code;
        // Flush stdout before leaving: nothing of the output is lost when piped.
        process.stdout.write("", () => process.exit(code));
    });
}
