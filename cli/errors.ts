/** Exit codes of the CLI. */
export const EXIT_OK = 0;
/** A stack failed, or the program failed while it ran. */
export const EXIT_FAILURE = 1;
/** The command line, the stack name or the stack config is wrong: nothing was run. */
export const EXIT_USAGE = 2;

/** An error the CLI reports as its message alone (no stack trace), exiting with `exitCode`. */
export class CliError extends Error {
    constructor(
        message: string,
        readonly exitCode: number,
    ) {
        super(message);
        this.name = "CliError";
    }
}
