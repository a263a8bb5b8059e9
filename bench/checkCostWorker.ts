/**
 * The compliance check's cost, in a process of its own: `node bench/checkCostWorker.js <runs>`.
 * Plans a program of 40 resources on the offline engine (what `secure-bucket plan` does, in-process),
 * then runs the rules over the plan (what `check` adds), `runs` times after one warm-up, and prints
 * one JSON line with each run's plan and check times. Process start and SDK loading, which `plan`
 * and `check` both pay, are left out, so the ratio is the least favourable to `check`.
 */
import { checkPlan } from "../compliance";
import { planProgram } from "../offline/planProgram";
import { fortyResourceProgram } from "./complianceWorkload";

async function main(): Promise<void> {
    const runs = Number(process.argv[2]);
    if (!Number.isInteger(runs) || runs < 1) throw new Error("usage: checkCostWorker <runs>");
    const stack = { project: "bench", stack: "compliance", config: { "aws:region": "eu-west-1", "aws:allowedAccountIds": '["111111111111"]' } };
    const planMs: number[] = [];
    const checkMs: number[] = [];
    let resources = 0;
    let findings = 0;
    for (let i = 0; i <= runs; i++) {
        const start = process.hrtime.bigint();
        const plan = await planProgram(stack, fortyResourceProgram);
        const planned = process.hrtime.bigint();
        findings = checkPlan(plan).findings.length;
        const checked = process.hrtime.bigint();
        resources = plan.resources.length;
        // Run 0 warms up (module loading, the JIT).
        if (i > 0) {
            planMs.push(Number(planned - start) / 1e6);
            checkMs.push(Number(checked - planned) / 1e6);
        }
    }
    process.stdout.write(`${JSON.stringify({ resources, findings, planMs, checkMs })}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
