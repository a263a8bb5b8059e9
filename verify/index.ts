/**
 * `verify`: the deployed bucket and key read back and compared with the offline plan, then the
 * encryption probes. Three verdicts per check: pass, drift, and "not verifiable here" with the
 * reason (what the endpoint does not report or enforce).
 */
import type { PlanDocument } from "../cli/planJson";
import type { AwsClients } from "./clients";
import { Check, defaultRetention, driftChecks } from "./compare";
import { expectedFromPlan } from "./expected";
import { readLiveBucket, readLiveKey } from "./live";
import { probesNotRun, runProbes, sdkProbeS3 } from "./probes";

export type { Check, Verdict } from "./compare";

export interface VerifyRequest {
    /** The offline plan of the stack, or of a SecureBucket made from the arguments given. */
    plan: PlanDocument;
    /** Whether the plan holds every argument (`--stack`): statements it lacks are then drift, not "not verifiable". */
    complete: boolean;
    /** The live bucket's name; needed when the plan's is the auto-named placeholder. */
    bucket?: string;
    /** The key, by ARN; the plan's alias finds it otherwise. */
    keyArn?: string;
    clients: AwsClients;
    /** Whether `clients` talk to an emulator (`--endpoint-url`): what it is known to drop is then "not verifiable here", not drift. */
    emulator: boolean;
    /** Run the upload probes (they write to the bucket, and remove what they wrote). */
    probes: boolean;
}

export interface VerifyReport {
    bucket: string;
    keyArn: string;
    checks: Check[];
    summary: { pass: number; drift: number; notVerifiable: number };
}

/** Reads, compares and probes; rejects on an error of the calls themselves (no such bucket, no credentials). */
export async function verifyBucket(request: VerifyRequest): Promise<VerifyReport> {
    const expected = expectedFromPlan(request.plan);
    if (!request.complete) expected.aliasName = undefined;
    const bucket = request.bucket ?? expected.bucketName;
    const autoNamed = expected.placeholders.find((p) => bucket.includes(p));
    if (autoNamed !== undefined) throw new Error(`the plan's bucket name is the placeholder ${autoNamed} (the bucket is auto-named): give the deployed bucket's name with --bucket`);
    const keyIdentifier = request.keyArn ?? expected.aliasName;
    if (keyIdentifier === undefined) throw new Error("verify needs the key: give --key-arn");
    const liveKey = await readLiveKey(request.clients, keyIdentifier).catch((error: unknown) => {
        if (error instanceof Error && error.name === "NotFoundException" && request.keyArn === undefined) {
            throw new Error(`the plan's key alias ${keyIdentifier} does not exist (${error.message}): give the key with --key-arn`);
        }
        throw error;
    });
    const liveBucket = await readLiveBucket(request.clients, bucket);
    const checks = driftChecks(expected, liveBucket, liveKey, { complete: request.complete, emulator: request.emulator });
    if (request.probes) {
        // No probe into a bucket whose objects cannot be deleted yet: the live retention decides, and a planned one missing live (drift) as well.
        const live = defaultRetention(liveBucket);
        if (live !== null) checks.push(...probesNotRun(live, "the bucket"));
        else if (expected.objectLock !== null) checks.push(...probesNotRun(expected.objectLock, "the plan"));
        else checks.push(...(await runProbes(sdkProbeS3(request.clients.s3), bucket, liveKey.arn)));
    }
    return {
        bucket,
        keyArn: liveKey.arn,
        checks,
        summary: {
            pass: checks.filter((c) => c.verdict === "pass").length,
            drift: checks.filter((c) => c.verdict === "drift").length,
            notVerifiable: checks.filter((c) => c.verdict === "not verifiable here").length,
        },
    };
}

const LABEL: Record<Check["verdict"], string> = { pass: "pass ", drift: "DRIFT", "not verifiable here": "n/v  " };

/** The report as text: one line per check, what differs for a drift, the reason where not verifiable. */
export function renderVerifyText(report: VerifyReport): string {
    const lines = [`verify s3://${report.bucket} (key ${report.keyArn})`];
    for (const c of report.checks) {
        if (c.verdict === "pass") lines.push(`  ${LABEL.pass}  ${c.name}`);
        else if (c.verdict === "drift") {
            lines.push(`  ${LABEL.drift}  ${c.name}${c.reason === undefined ? "" : `: ${c.reason}`}`);
            lines.push(`           expected: ${JSON.stringify(c.expected ?? null)}`, `           found:    ${JSON.stringify(c.actual ?? null)}`);
        } else lines.push(`  ${LABEL["not verifiable here"]}  ${c.name}: not verifiable here: ${c.reason ?? ""}`);
    }
    const { pass, drift, notVerifiable } = report.summary;
    lines.push(`${pass} pass, ${drift} drift, ${notVerifiable} not verifiable here`);
    return `${lines.join("\n")}\n`;
}
