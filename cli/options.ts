/** What every command's options share: strict parsing (Node's `util.parseArgs`) and the common help lines. */
import { parseArgs, type ParseArgsConfig } from "util";

export const CWD_HELP = "  --cwd <dir>          Pulumi project folder (default: the nearest folder with a Pulumi.yaml, from the working directory up)";
export const HELP_FLAG = "  -h, --help           Show this help";

/** The first line of a parseArgs error, without its advice about `--`. */
function parseArgsMessage(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return message.split(/\.\s+To specify a positional argument/)[0].split("\n")[0];
}

/** A command's options, parsed strictly (no positionals); a mistake is `usageError`'s error, worded as parseArgs says it. */
export function parseOptions<const O extends NonNullable<ParseArgsConfig["options"]>>(
    args: readonly string[],
    options: O,
    usageError: (message: string) => Error,
): ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>>["values"] {
    try {
        return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw usageError(parseArgsMessage(error));
    }
}

/** `--endpoint-url`, for the commands that call AWS: an http(s) URL (an emulator's), or undefined for AWS's own endpoints. */
export function endpointUrlOption(value: string | undefined, usageError: (message: string) => Error): string | undefined {
    if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) throw usageError(`--endpoint-url must be an http(s) URL, not "${value}"`);
    return value;
}
