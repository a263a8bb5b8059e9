/**
 * `check`: the compliance rules (compliance/) over the offline plan of the project's program, with no
 * credentials and no Pulumi CLI; the same rule functions the CrossGuard pack (policypack/) runs.
 */
import * as fs from "fs";
import * as path from "path";
import type { Io } from "./deploy";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./exitCodes";
import { CWD_HELP, HELP_FLAG, parseOptions } from "./options";
import { resolveProjectDir } from "./projectDir";

export const CHECK_USAGE: string = "secure-bucket check --stack <env> [--json] [--config <file>] [--cwd <dir>]";
export const CHECK_SUMMARY: string = "Offline: every bucket and key of your program against the compliance rules (Security Hub, cdk-nag, checkov)";
export const CHECK_HELP: string = [
    "Plans the project's program offline (as `plan` does) and judges every S3 bucket and KMS key in it, whoever",
    "declared them, with the rules of this package's CrossGuard policy pack: per bucket and per key, each rule's",
    "verdict (pass, fail, not applicable) with its reason, its enforcement level and the controls it implements.",
    "",
    "Options:",
    "  --stack <env>        Stack to check (one)",
    '  --json               Print one JSON document: { stack, findings: [{ rule, controls, resource, status, message }] }',
    "  --config <file>      The policy pack's config (JSON, as for pulumi --policy-pack-config): a rule id (or \"all\")",
    '                       to "mandatory", "advisory" or "disabled", or to { "enforcementLevel": ..., settings }',
    CWD_HELP,
    HELP_FLAG,
    "",
    "Exit codes: 0 no mandatory rule failed; 3 a mandatory rule failed; 1 the program failed; 2 bad command line,",
    "bad config file, not a Node.js Pulumi project, unknown stack or bad stack config.",
].join("\n");

export interface CheckCommand {
    kind: "check";
    stack: string;
    json: boolean;
    config?: string;
    cwd?: string;
}

/** Parses `check`'s options; `usageError` words a mistake as the other commands do. */
export function parseCheckCommand(args: readonly string[], usageError: (message: string) => UsageError): CheckCommand | { kind: "help" } {
    const values = parseOptions(args, { stack: { type: "string" }, json: { type: "boolean" }, config: { type: "string" }, cwd: { type: "string" }, help: { type: "boolean", short: "h" } }, usageError);
    if (values.help) return { kind: "help" };
    if (values.stack === undefined || values.stack === "") throw usageError("--stack <env> is required");
    if (values.config === "") throw usageError("--config needs a file");
    return { kind: "check", stack: values.stack, json: values.json === true, config: values.config, cwd: values.cwd };
}

/** The policy config file's content; a file that cannot be read or is not JSON is a mistake of the command line. */
function readConfig(file: string): unknown {
    const full = path.resolve(file);
    let text: string;
    try {
        text = fs.readFileSync(full, "utf8");
    } catch (error) {
        throw new UsageError(`--config ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (error) {
        throw new UsageError(`--config ${file}: not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
}

/** Runs `check`; resolves to its exit code: 3 when a mandatory rule fails. */
export async function runCheckCommand(command: CheckCommand, io: Io): Promise<number> {
    const config = command.config === undefined ? undefined : readConfig(command.config);
    const plan = await (await import("./plan")).planStack({ projectDir: resolveProjectDir(command.cwd), stack: command.stack });
    const { checkPlan, hasMandatoryFailure, renderCheckText } = await import("../compliance");
    const report = checkPlan(plan, { config });
    io.stdout(command.json ? `${JSON.stringify(report, null, 2)}\n` : renderCheckText(report, config));
    return hasMandatoryFailure(report, config) ? EXIT_FINDINGS : EXIT_OK;
}
