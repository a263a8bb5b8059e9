/**
 * `adopt`: its command line (parsed here, so that commands.ts only routes to it) and its run. Reads
 * the live bucket, refuses what cannot be adopted safely, and prints, before anything is changed,
 * what it found, what SecureBucket will change, what would be lost unless kept, and a sample of the
 * object versions not under a customer-managed key; then writes the stack config (with --write) and
 * prints the arguments to paste into a program of one's own.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { AdoptionRefusedError } from "../adopt/refused";
import { PLACEHOLDER_KEY_ID } from "../offline/placeholders";
import { isBuiltInProject } from "../program/builtIn";
import { componentNameOf, parseStackConfig, PROJECT } from "../program/stackConfig";
import { engineConfig, projectName, readStackConfig } from "../program/stackFile";
import type { Io } from "./deploy";
import { EXIT_OK, UsageError } from "./exitCodes";
import { CWD_HELP, endpointUrlOption, HELP_FLAG, parseOptions } from "./options";
import { resolveProjectDir } from "./projectDir";

export const ADOPT_USAGE: string = "secure-bucket adopt --bucket <name> --stack <env> [--write] [--sample <n>] [--endpoint-url <url>] [--cwd <dir>]";

export const ADOPT_SUMMARY: string = "Adopt an existing bucket into a stack: what it holds, what changes, what would be lost (AWS credentials)";

export const ADOPT_HELP: string = [
    "Reads the existing bucket with the AWS SDK (default credentials chain) and prints, before anything is changed:",
    "what it holds, what SecureBucket will change (from -> to), what would be lost unless kept, and how many of a",
    "sample of its object versions are not under a customer-managed KMS key (existing objects keep the encryption",
    "they were written with). Refuses a bucket of another account or region than the stack's, and Object Lock",
    "settings the stack would weaken.",
    "",
    "With --write, sets in Pulumi.<env>.yaml (other keys and comments untouched): bucketName, adoptExisting (the",
    "configurations SecureBucket replaces, named), the bucket's tags (Pulumi imports only when they match) and its",
    "own bucket-policy statements in extraBucketPolicyStatements; `pulumi up` then imports the bucket and hardens",
    "it. For a program of your own (a project not named secure-bucket), it prints the SecureBucket arguments to",
    "paste and what a SecureBucket with them would change; it never edits its code or stack file, and refuses --write.",
    "",
    "Options:",
    "  --bucket <name>      The existing bucket",
    "  --stack <env>        The stack that adopts it (its aws:region, aws:allowedAccountIds and arguments)",
    "  --write              Write the stack config of this package's program (without it, nothing is written)",
    "  --sample <n>         Object versions to sample, at most (default 1000; 0 skips the sample)",
    "  --endpoint-url <url> Send the requests to an emulator (e.g. moto's server)",
    CWD_HELP,
    HELP_FLAG,
    "",
    "Exit codes: 0 reported (and written with --write); 1 refused, or a call failed; 2 bad command line (--write",
    "for a program of your own), unknown stack or bad config.",
].join("\n");

export interface AdoptCommand {
    kind: "adopt";
    bucket: string;
    stack: string;
    write: boolean;
    sample: number;
    endpointUrl?: string;
    cwd?: string;
}

/** Parses `adopt`'s options; `usageError` words a mistake as the other commands do. */
export function parseAdoptCommand(args: readonly string[], usageError: (message: string) => UsageError): AdoptCommand | { kind: "help" } {
    const values = parseOptions(args, {
        bucket: { type: "string" },
        stack: { type: "string" },
        write: { type: "boolean" },
        sample: { type: "string" },
        "endpoint-url": { type: "string" },
        cwd: { type: "string" },
        help: { type: "boolean", short: "h" },
    }, usageError);
    if (values.help) return { kind: "help" };
    if (values.bucket === undefined || values.bucket === "") throw usageError("--bucket <name> is required");
    if (values.stack === undefined || values.stack === "") throw usageError("--stack <env> is required");
    const sample = values.sample ?? "1000";
    if (!/^\d+$/.test(sample)) throw usageError(`--sample must be a whole number, not "${sample}"`);
    const endpointUrl = endpointUrlOption(values["endpoint-url"], usageError);
    return { kind: "adopt", bucket: values.bucket, stack: values.stack, write: values.write === true, sample: Number(sample), endpointUrl, cwd: values.cwd };
}

/** What the key id stands for in the report: the key does not exist before `pulumi up`. */
const NEW_KEY = "(the key this stack creates)";

const statements = (n: number): string => `${n} statement${n === 1 ? "" : "s"}`;
const show = (value: unknown): string => (value === null || value === undefined ? "(none)" : JSON.stringify(value));

/** Runs `adopt`; resolves to its exit code. */
export async function runAdoptCommand(command: AdoptCommand, io: Io): Promise<number> {
    const projectDir = resolveProjectDir(command.cwd);
    const config = readStackConfig(projectDir, command.stack);
    const project = projectName(projectDir);
    // adopt writes only this package's own program's stack config: a program of one's own holds its SecureBucket arguments in its code.
    const builtIn = isBuiltInProject({ name: project });
    if (command.write && !builtIn) {
        throw new UsageError(
            `secure-bucket adopt: --write sets the stack config of this package's own program (project "${PROJECT}"), but project "${project}" is a program of your own, ` +
                "whose SecureBucket arguments are in its code, which adopt never edits: run adopt without --write and add the arguments it prints to your SecureBucket",
        );
    }
    const args = parseStackConfig(config, componentNameOf(project, command.stack));
    const stackFile = path.join(projectDir, `Pulumi.${command.stack}.yaml`);
    if (args.bucketName !== undefined && args.bucketName !== command.bucket) {
        throw new AdoptionRefusedError(command.bucket, command.stack, [`${path.basename(stackFile)} already sets secure-bucket:bucketName to ${JSON.stringify(args.bucketName)}`]);
    }
    const region = config["aws:region"];
    const stackAccounts = JSON.parse(config["aws:allowedAccountIds"] ?? "[]") as string[];

    const { awsClients } = await import("../verify/clients");
    const { GetCallerIdentityCommand } = await import("@aws-sdk/client-sts");
    const clients = awsClients({ region, endpointUrl: command.endpointUrl });
    const { inspectBucket, ownedByCaller } = await import("../adopt/inspect");
    const [identity, owned] = await Promise.all([clients.sts.send(new GetCallerIdentityCommand({})), ownedByCaller(clients.s3, command.bucket)]);
    const { decideAdoption, ownershipRefusals, refusals } = await import("../adopt/decide");
    // Another account's bucket is refused before anything of it is read (its owner's policy decides what could be).
    const placement = { stackRegion: region, callerAccount: identity.Account ?? "", ownedByCaller: owned, stackAccounts };
    const notOurs = ownershipRefusals(command.bucket, placement);
    if (notOurs.length > 0) throw new AdoptionRefusedError(command.bucket, command.stack, notOurs);
    const existing = await inspectBucket(clients, command.bucket);
    const reasons = refusals(existing, args, placement);
    if (reasons.length > 0) throw new AdoptionRefusedError(command.bucket, command.stack, reasons);
    const decision = decideAdoption(existing, args);

    // What SecureBucket will make of it: this package's program planned offline with the adoption written into the stack's config.
    const { withAdoptionConfig } = await import("../adopt/stackFile");
    const adoptedText = withAdoptionConfig(fs.readFileSync(stackFile, "utf8"), decision.config);
    const adoptedConfig = engineConfig(project, (parse(adoptedText) as { config?: Record<string, unknown> } | null)?.config ?? {});
    const adoptedArgs = parseStackConfig(adoptedConfig, componentNameOf(project, command.stack));
    const { planProgram } = await import("../offline/planProgram");
    const { secureBucketProgram } = await import("../program/program");
    const plan = await planProgram({ project, stack: command.stack, config: adoptedConfig }, () => secureBucketProgram(adoptedArgs));
    const { expectedFromPlan } = await import("../verify/expected");
    const { Bindings, settingChecks } = await import("../verify/compare");
    const expected = expectedFromPlan(plan);
    // The key is the one this stack creates, never the bucket's present one: its placeholder must not bind to that.
    const bindings = new Bindings(expected.placeholders);
    bindings.bind(PLACEHOLDER_KEY_ID, NEW_KEY);
    // Without objectLock in the stack, SecureBucket leaves the bucket's Object Lock as it is (reported kept below).
    const changes = settingChecks(expected, existing, bindings, { emulator: command.endpointUrl !== undefined }).filter(
        (c) => c.verdict !== "pass" && (c.name !== "objectLock.defaultRetention" || adoptedArgs.objectLock !== undefined),
    );

    const carried = decision.config.extraBucketPolicyStatements?.length ?? 0;
    const into = builtIn ? `into stack "${command.stack}"` : `for a SecureBucket of project "${project}", stack "${command.stack}"`;
    const out: string[] = [`adopt s3://${command.bucket} ${into} (account ${identity.Account ?? "?"}, ${region})`, "", "Found:"];
    out.push(
        `  default encryption: ${existing.encryption === null ? "(none)" : `${String(existing.encryption.sseAlgorithm)}${existing.encryption.kmsMasterKeyId ? ` with ${String(existing.encryption.kmsMasterKeyId)} (${existing.defaultKeyManager === "CUSTOMER" ? "customer-managed" : "AWS-managed"})` : ""}, Bucket Key ${existing.encryption.bucketKeyEnabled ? "on" : "off"}`}`,
        `  public access block: ${show(existing.publicAccessBlock)}`,
        `  object ownership: ${existing.objectOwnership ?? "(none: ACLs on)"}`,
        `  versioning: ${existing.versioning}`,
        `  Object Lock: ${existing.objectLock === null ? "(none)" : show(existing.objectLock)}`,
        `  lifecycle rules: ${existing.lifecycleRules.length === 0 ? "(none)" : existing.lifecycleRules.map((r) => String(r.id ?? "(no id)")).join(", ")}`,
        `  bucket policy statements: ${existing.bucketPolicy === null ? "(none)" : existing.bucketPolicy.map((s, i) => String(s.Sid ?? `#${i}`)).join(", ")}`,
        `  notification targets: ${existing.notificationTargets.length === 0 ? "(none)" : existing.notificationTargets.join("; ")}${existing.eventBridge ? " (and EventBridge)" : ""}`,
        `  access logging: ${show(existing.logging)}`,
        `  CORS rules: ${existing.corsRules}; replication rules: ${existing.replicationRules}`,
        `  tags: ${show(existing.tags)}`,
        "",
        builtIn
            ? "SecureBucket will change:"
            : "A SecureBucket with the arguments below would change (this is not your program's plan: your other arguments change it; run secure-bucket plan once they are in):",
        ...changes.map((c) => `  ${c.name}: ${show(c.actual)} -> ${bindings.fill(show(c.expected))}`),
        `  bucket policy: ${statements(existing.bucketPolicy?.length ?? 0)} -> SecureBucket's ${statements(expected.bucketPolicy.length - carried)} and ${carried} carried`,
        `  a new KMS key ${String(expected.aliasName)} (rotation on) encrypts new writes`,
        "",
        "Lost unless kept:",
        ...(decision.lost.length === 0 ? ["  (nothing)"] : decision.lost.map((l) => `  ${l}`)),
        "",
        "Kept:",
        ...(decision.kept.length === 0 ? ["  (nothing to keep)"] : decision.kept.map((k) => `  ${k}`)),
        "",
    );
    io.stdout(out.join("\n"));

    if (command.sample > 0) {
        const { sampleEncryption } = await import("../adopt/sample");
        const sample = await sampleEncryption(clients, command.bucket, command.sample, (n) => io.stderr(`sampled ${n} object versions...\n`));
        const notUnder = Object.entries(sample.notUnderCustomerKey);
        const total = notUnder.reduce((sum, [, n]) => sum + n, 0);
        io.stdout(
            [
                `Object versions not under a customer-managed key: ${total} of ${sample.sampled} sampled${sample.more ? ` (the bucket holds more: the sample stopped at ${command.sample})` : ""}`,
                ...notUnder.map(([what, n]) => `  ${what}: ${n}`),
                ...Object.entries(sample.underCustomerKeys).map(([key, n]) => `  under customer-managed key ${key}: ${n}`),
                "  Existing objects keep the encryption they were written with: see the README on re-encrypting them.",
                "",
            ].join("\n"),
        );
    }

    io.stdout(`For a program of your own, add these SecureBucket arguments (with your others):\n${JSON.stringify(decision.config, null, 4)}\n\n`);
    const configKeys = Object.keys(decision.config).map((k) => `secure-bucket:${k}`).join(", ");
    if (!builtIn) {
        io.stdout(`Nothing written: project "${project}" is a program of your own, and adopt never edits its code or its stack file.\n`);
    } else if (command.write) {
        fs.writeFileSync(stackFile, adoptedText);
        io.stdout(`Wrote ${configKeys} to ${stackFile}. Run pulumi up: it imports the bucket, then hardens it.\n`);
    } else {
        io.stdout(`Nothing written. Run again with --write to set ${configKeys} in ${stackFile}.\n`);
    }
    return EXIT_OK;
}
