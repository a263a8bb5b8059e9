/**
 * The command line: commands, their options (Node's `util.parseArgs`, strict) and their help.
 * Parsing only; running the commands is main.ts's job.
 */
import type { Operation } from "../automation/preflight";
import { UsageError } from "./exitCodes";
import { CWD_HELP, HELP_FLAG, parseOptions } from "./options";
import { CHECK_HELP, CHECK_SUMMARY, CHECK_USAGE, CheckCommand, parseCheckCommand } from "./check";
import { parseVerifyCommand, VERIFY_HELP, VERIFY_SUMMARY, VERIFY_USAGE, VerifyCommand } from "./verify";
import { ADOPT_HELP, ADOPT_SUMMARY, ADOPT_USAGE, AdoptCommand, parseAdoptCommand } from "./adopt";

export const BIN = "secure-bucket";

export type CommandName = "plan" | "check" | Operation | "verify" | "adopt";

/** A parsed command line. */
export type ParsedCommand =
    | { kind: "help"; text: string }
    | { kind: "plan"; stack: string; json: boolean; cwd?: string }
    | { kind: "deploy"; operation: Operation; stacks: string[]; concurrency?: number; cwd?: string }
    | CheckCommand
    | VerifyCommand
    | AdoptCommand;

interface CommandSpec {
    usage: string;
    summary: string;
    help: string;
}

const PROGRAM_HELP =
    "The program is the project's own: the one its Pulumi.yaml names (main, else package.json main, else index.ts/index.js),\n" +
    "as `pulumi up` in that folder would run it, with the stack's Pulumi.<env>.yaml config.";

const DEPLOY_HELP_TAIL = [
    "Options:",
    "  --stack <env>        Stack to run; repeat for several environments (--stack dev --stack prod)",
    "  --concurrency <n>    How many stacks run at once (a whole number, at least 1)",
    CWD_HELP,
    HELP_FLAG,
    "",
    "Needs the Pulumi CLI (https://www.pulumi.com/docs/install/), a Pulumi backend and AWS credentials.",
    "The engine's output is streamed to stdout, prefixed with [<stack>] when several stacks run.",
    "Exit codes: 0 every stack succeeded; 1 a stack failed; 2 bad command line, not a Node.js Pulumi project, unknown stack or bad config.",
].join("\n");

/** A deployment command: its usage, its summary (with what it needs) and its help. */
function deployCommand(operation: Operation, summary: string, description: string, needs = "Pulumi CLI and AWS credentials"): CommandSpec {
    return {
        usage: `${BIN} ${operation} --stack <env> [--stack <env> ...] [--concurrency <n>] [--cwd <dir>]`,
        summary: `${summary} (${needs})`,
        help: `${description}\n${PROGRAM_HELP} Its stack file is read, never written.\n\n${DEPLOY_HELP_TAIL}`,
    };
}

const COMMANDS: Record<CommandName, CommandSpec> = {
    plan: {
        usage: `${BIN} plan --stack <env> [--json] [--cwd <dir>]`,
        summary: "Offline: what your program would create for a stack, with its policies and outputs",
        help: [
            PROGRAM_HELP,
            "It runs offline on the Pulumi mock engine (TypeScript transpiled, not type-checked): no cloud, no credentials,",
            "no Pulumi CLI. Prints every resource that would be created (type, name, parent, what it depends on, inputs),",
            "the IAM policy documents as JSON, and the stack outputs.",
            "",
            "Options:",
            "  --stack <env>        Stack to plan (one)",
            "  --json               Print one JSON document: { stack, project, placeholders, parsedJsonStrings,",
            "                       resources: [{ type, name, urn, parent, protect, dependencies, inputs }], outputs }.",
            "                       Stable: same config, byte-identical output (no randomness, no timestamps).",
            CWD_HELP,
            HELP_FLAG,
            "",
            "Placeholders: values AWS assigns at deploy time are made up and listed as such: a KMS key id is",
            "00000000-0000-0000-0000-000000000000, an auto-named resource ends in -xxxxxxx, the deploying role is",
            "placeholder-deployer, and a type the offline engine does not know gets a placeholder id. The region is real",
            "(the stack's aws:region), and so is the account when the stack's aws:allowedAccountIds names one (otherwise",
            "it is 000000000000). Policy documents are shown parsed.",
            "",
            "Exit codes: 0 planned; 1 the program failed; 2 bad command line, not a Node.js Pulumi project, unknown stack",
            "or bad config (the error on stderr, nothing on stdout).",
            "",
            "Example: npx secure-bucket plan --stack dev --json > plan.json",
        ].join("\n"),
    },
    check: { usage: CHECK_USAGE, summary: CHECK_SUMMARY, help: CHECK_HELP },
    preview: deployCommand("preview", "Preview the changes to one or more stacks", "Shows what `up` would change in each stack, without changing anything."),
    up: deployCommand("up", "Deploy one or more stacks", "Creates or updates each stack's resources."),
    destroy: deployCommand(
        "destroy",
        "Delete the resources of one or more stacks",
        "Deletes each stack's resources. Protected resources (the key and the bucket unless protect is false)\nand non-empty buckets (unless forceDestroy) stop it.",
    ),
    outputs: deployCommand(
        "outputs",
        "Print the outputs of deployed stacks as JSON",
        'Prints one JSON document, { "<stack>": { ...outputs } }, with policy documents parsed.',
        "Pulumi CLI and backend access",
    ),
    verify: { usage: VERIFY_USAGE, summary: VERIFY_SUMMARY, help: VERIFY_HELP },
    adopt: { usage: ADOPT_USAGE, summary: ADOPT_SUMMARY, help: ADOPT_HELP },
};

const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];

/** The top-level help. */
export function topLevelHelp(): string {
    const width = Math.max(...COMMAND_NAMES.map((c) => c.length));
    return [
        `Usage: ${BIN} <command> [options]`,
        "",
        "Commands:",
        ...COMMAND_NAMES.map((c) => `  ${c.padEnd(width)}  ${COMMANDS[c].summary}`),
        "",
        `Run "${BIN} <command> --help" for a command's options.`,
        `Every command works on the Pulumi project it is run in (or --cwd): its own program and stack files.`,
        `Without cloud access: npx ${BIN} plan --stack dev`,
        "Exit codes: 0 done; 1 a stack or the program failed; 2 bad command line, not a Node.js Pulumi project, unknown stack or bad config;",
        "3 a mandatory compliance rule failed (check) or the deployed bucket drifted from the plan (verify).",
        "Set SECURE_BUCKET_DEBUG=1 to see stack traces of unexpected failures.",
    ].join("\n");
}

/** The help of one command. */
export function commandHelp(command: CommandName): string {
    return `Usage: ${COMMANDS[command].usage}\n\n${COMMANDS[command].help}`;
}

function usageError(message: string, command?: CommandName): UsageError {
    const usage = command === undefined ? `Usage: ${BIN} <command> [options]` : `Usage: ${COMMANDS[command].usage}`;
    const more = command === undefined ? `Run "${BIN} --help" for the commands.` : `Run "${BIN} ${command} --help" for details.`;
    return new UsageError(`${BIN}: ${message}\n${usage}\n${more}`);
}

function isCommand(name: string): name is CommandName {
    return (COMMAND_NAMES as string[]).includes(name);
}

/** The commands whose options their own module parses. */
const OWN_PARSERS = { check: parseCheckCommand, verify: parseVerifyCommand, adopt: parseAdoptCommand };

function hasOwnParser(command: CommandName): command is keyof typeof OWN_PARSERS {
    return Object.prototype.hasOwnProperty.call(OWN_PARSERS, command);
}

const COMMON_OPTIONS = {
    stack: { type: "string", multiple: true },
    cwd: { type: "string" },
    help: { type: "boolean", short: "h" },
} as const;
const PLAN_OPTIONS = { ...COMMON_OPTIONS, json: { type: "boolean" } } as const;
const DEPLOY_OPTIONS = { ...COMMON_OPTIONS, concurrency: { type: "string" } } as const;

/** Parses the command line (without `node` and the script). Throws a {@link UsageError} when it is wrong. */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
    const [first, ...rest] = argv;
    if (first === undefined) throw usageError("no command given");
    if (first === "--help" || first === "-h" || first === "help") {
        const topic = first === "help" ? rest[0] : undefined;
        if (topic !== undefined && isCommand(topic)) return { kind: "help", text: commandHelp(topic) };
        if (topic !== undefined) throw usageError(`unknown command "${topic}"`);
        if (rest.length > 0 && first !== "help") throw usageError(`unexpected argument "${rest[0]}"`);
        return { kind: "help", text: topLevelHelp() };
    }
    if (!isCommand(first)) {
        throw usageError(first.startsWith("-") ? `unknown option '${first}' (give a command first)` : `unknown command "${first}"`);
    }
    const command = first;
    const fail = (message: string) => usageError(message, command);
    if (hasOwnParser(command)) {
        const parsed = OWN_PARSERS[command](rest, fail);
        return parsed.kind === "help" ? { kind: "help", text: commandHelp(command) } : parsed;
    }
    const values: { stack?: string[]; cwd?: string; help?: boolean; json?: boolean; concurrency?: string } =
        command === "plan" ? parseOptions(rest, PLAN_OPTIONS, fail) : parseOptions(rest, DEPLOY_OPTIONS, fail);
    if (values.help) return { kind: "help", text: commandHelp(command) };
    const stacks = [...new Set(values.stack ?? [])];
    if (stacks.length === 0) throw usageError("--stack <env> is required", command);
    if (stacks.some((s) => s === "")) throw usageError("--stack needs a stack name", command);
    if (command === "plan") {
        if (stacks.length > 1) throw usageError("plan takes one --stack", command);
        return { kind: "plan", stack: stacks[0], json: values.json === true, cwd: values.cwd };
    }
    let concurrency: number | undefined;
    if (values.concurrency !== undefined) {
        if (!/^\d+$/.test(values.concurrency) || Number(values.concurrency) < 1) {
            throw usageError(`--concurrency must be a whole number of at least 1, not "${values.concurrency}"`, command);
        }
        concurrency = Number(values.concurrency);
    }
    return { kind: "deploy", operation: command, stacks, concurrency, cwd: values.cwd };
}
