/**
 * `verify`: its command line (parsed here, so that commands.ts only routes to it) and its run: the
 * plan to compare with (the stack's, or what SecureBucket would create from `--bucket`), then
 * verify/'s checks and probes against the live account. Exit 3 when anything drifted.
 */
import type { PlanDocument } from "./planJson";
import { EXIT_FINDINGS, EXIT_OK, UsageError } from "./exitCodes";
import type { Io } from "./deploy";
import { PROJECT } from "../program/stackConfig";
import { CWD_HELP, endpointUrlOption, HELP_FLAG, parseOptions } from "./options";
import { resolveProjectDir } from "./projectDir";

export const VERIFY_USAGE: string = "secure-bucket verify (--stack <env> [--bucket <name>] | --bucket <name> --key-arn <arn>) [--endpoint-url <url>] [--skip-probes] [--json] [--cwd <dir>]";

export const VERIFY_SUMMARY: string = "Check a deployed bucket against the plan, and probe its encryption (AWS credentials)";

export const VERIFY_HELP: string = [
    "Reads back the deployed bucket and its key (default encryption, Bucket Key, public access block, ownership,",
    "versioning, lifecycle, logging, notifications, Object Lock's default retention, the bucket policy's statements,",
    "the key policy, rotation and alias) and compares each with the offline plan, the plan's placeholders (key id,",
    "deploying role, auto-named bucket) filled from the live values, each only with a value of its shape. The plan",
    "must hold exactly one SecureBucket. Then the seed's encryption check: an upload with no encryption headers",
    "must land under the bucket's key with the Bucket Key, an upload asking for SSE-S3 must be refused; every",
    "probe version is removed (the identity needs s3:PutObject, s3:ListBucketVersions, s3:DeleteObjectVersion",
    "and kms:GenerateDataKey on the key). No probe is uploaded when the bucket or the plan has an Object Lock",
    "default retention (its objects could not be deleted): the probes then read \"not verifiable here\".",
    "",
    "Each check reads pass, DRIFT, or \"not verifiable here\" with the reason (what an emulator given with",
    "--endpoint-url did not report, or a refusal that does not show the deny it probes for).",
    "",
    "Options:",
    "  --stack <env>        Compare with the stack's offline plan (the key is found by the plan's alias)",
    "  --bucket <name>      The deployed bucket's name (needed with --stack when the bucket is auto-named)",
    "  --key-arn <arn>      The key; with --bucket and no --stack, compare with what SecureBucket would create for",
    "                       that bucket and key from default arguments (statements of other arguments: not verifiable)",
    "  --endpoint-url <url> Send the requests to an emulator (e.g. moto's server); S3 is then addressed path-style",
    "  --skip-probes        Read and compare only: write nothing to the bucket",
    "  --json               Print one JSON document: { bucket, keyArn, checks: [{ name, verdict, expected, actual, reason }], summary }",
    CWD_HELP,
    HELP_FLAG,
    "",
    "Credentials and region: the AWS SDK's default chain (environment, profile, SSO, instance role); the region",
    "is the stack's aws:region, or the key ARN's.",
    "Exit codes: 0 no drift; 3 the deployed bucket drifted from the plan; 1 a call failed (no such bucket,",
    "no credentials, a probe version that could not be removed); 2 bad command line, unknown stack or bad config.",
].join("\n");

export interface VerifyCommand {
    kind: "verify";
    stack?: string;
    bucket?: string;
    keyArn?: string;
    endpointUrl?: string;
    probes: boolean;
    json: boolean;
    cwd?: string;
}

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/;

/** Parses `verify`'s options; `usageError` words a mistake as the other commands do. */
export function parseVerifyCommand(args: readonly string[], usageError: (message: string) => UsageError): VerifyCommand | { kind: "help" } {
    const values = parseOptions(args, {
        stack: { type: "string" },
        bucket: { type: "string" },
        "key-arn": { type: "string" },
        "endpoint-url": { type: "string" },
        "skip-probes": { type: "boolean" },
        json: { type: "boolean" },
        cwd: { type: "string" },
        help: { type: "boolean", short: "h" },
    }, usageError);
    if (values.help) return { kind: "help" };
    const keyArn = values["key-arn"];
    if (values.stack === undefined && (values.bucket === undefined || keyArn === undefined)) throw usageError("give --stack <env>, or --bucket <name> with --key-arn <arn>");
    for (const [option, value] of [["--stack", values.stack], ["--bucket", values.bucket]] as const) {
        if (value === "") throw usageError(`${option} needs a value`);
    }
    if (keyArn !== undefined && !KEY_ARN.test(keyArn)) throw usageError(`--key-arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), not "${keyArn}"`);
    const endpointUrl = endpointUrlOption(values["endpoint-url"], usageError);
    return { kind: "verify", stack: values.stack, bucket: values.bucket, keyArn, endpointUrl, probes: values["skip-probes"] !== true, json: values.json === true, cwd: values.cwd };
}

/** What SecureBucket would create for `bucket` with default arguments, in the key ARN's account and region. */
async function planForArguments(bucket: string, keyArn: string): Promise<PlanDocument> {
    const [, region, account] = KEY_ARN.exec(keyArn) ?? [];
    const { planProgram } = await import("../offline/planProgram");
    const config = { "aws:region": region, "aws:allowedAccountIds": JSON.stringify([account]) };
    return planProgram({ project: PROJECT, stack: "verify", config }, async () => {
        const { SecureBucket } = await import("../components");
        const component = new SecureBucket("verify", { bucketName: bucket });
        return { bucketName: component.bucketName };
    });
}

/** Runs `verify`; resolves to its exit code. */
export async function runVerifyCommand(command: VerifyCommand, io: Io): Promise<number> {
    const complete = command.stack !== undefined;
    const plan =
        command.stack !== undefined
            ? await (await import("./plan")).planStack({ projectDir: resolveProjectDir(command.cwd), stack: command.stack })
            : await planForArguments(command.bucket ?? "", command.keyArn ?? "");
    const { awsClients } = await import("../verify/clients");
    const { verifyBucket, renderVerifyText } = await import("../verify");
    const clients = awsClients({ region: plan.placeholders.region, endpointUrl: command.endpointUrl });
    const report = await verifyBucket({ plan, complete, bucket: command.bucket, keyArn: command.keyArn, clients, emulator: command.endpointUrl !== undefined, probes: command.probes });
    io.stdout(command.json ? `${JSON.stringify(report, null, 2)}\n` : renderVerifyText(report));
    return report.summary.drift > 0 ? EXIT_FINDINGS : EXIT_OK;
}
