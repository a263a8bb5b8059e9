/** The errors of the Pulumi CLI, made clear: a missing CLI, and a command that failed. */

/** Where the Pulumi CLI install instructions are. */
export const PULUMI_INSTALL_URL = "https://www.pulumi.com/docs/install/";

/** Raised when the `pulumi` command cannot be found: says how to install it. */
export class PulumiCliMissingError extends Error {
    /** @param cause the error the attempt to run `pulumi` failed with */
    constructor(cause?: unknown) {
        super(
            `The Pulumi CLI was not found: the "pulumi" command is not on PATH. Deploying needs it (tests do not). ` +
                `Install it (see ${PULUMI_INSTALL_URL}; e.g. "curl -fsSL https://get.pulumi.com | sh" or "brew install pulumi/tap/pulumi"), ` +
                `open a new shell so PATH includes it, and check with "pulumi version".`,
            { cause },
        );
        this.name = "PulumiCliMissingError";
    }
}

/**
 * A Pulumi command that exited with an error. The message is what Pulumi printed on stderr (its
 * stdout went to `onOutput` as it was printed, and is kept in `stdout`); the Automation API's error
 * is the `cause`.
 */
export class PulumiCommandError extends Error {
    constructor(
        readonly exitCode: number,
        readonly stderr: string,
        readonly stdout: string,
        cause: unknown,
    ) {
        super(`pulumi exited with code ${exitCode}: ${stderr.trim()}`, { cause });
        this.name = "PulumiCommandError";
    }
}

function field(value: unknown, key: string): unknown {
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * A clearer error for a failed Pulumi command: a missing executable (a spawn `ENOENT`, thrown by
 * Node or wrapped by the Automation API in a `CommandError`) as a {@link PulumiCliMissingError}; a
 * `CommandError` with something on stderr as a {@link PulumiCommandError}; any other error unchanged.
 */
export function explainCliError(error: unknown): unknown {
    if (error instanceof PulumiCliMissingError) return error;
    const result = field(error, "commandResult");
    // A non-zero exit reaches the Automation API as a rejected child process (execa), which it wraps
    // with code -2: the real exit code and the output are on that inner error.
    const inner = field(result, "err");
    const message = field(error, "message");
    if (
        field(error, "code") === "ENOENT" ||
        field(inner, "code") === "ENOENT" ||
        (typeof message === "string" && /\bENOENT\b/.test(message) && /\bpulumi\b/.test(message))
    ) {
        return new PulumiCliMissingError(error);
    }
    const stderr = field(inner, "stderr") ?? field(result, "stderr");
    const code = field(inner, "exitCode") ?? field(result, "code");
    const stdout = field(inner, "stdout") ?? field(result, "stdout");
    if (typeof stderr === "string" && stderr.trim() !== "" && typeof code === "number") {
        return new PulumiCommandError(code, stderr, typeof stdout === "string" ? stdout : "", error);
    }
    return error;
}
