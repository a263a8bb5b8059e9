/**
 * The compliance check's cost, in a process of its own: `node bench/checkCostWorker.js <runs>`.
 * Plans a user's own 40-resource project (tests/helpers/consumerProject.ts, the one the plan figures
 * use) on the offline engine (what `secure-bucket plan` does, in-process), then runs the rules over
 * the plan (what `check` adds), `runs` times after one warm-up, and prints one JSON line with each
 * run's plan and check times. Process start and SDK loading, which `plan` and `check` both pay, are
 * left out, so the ratio is the least favourable to `check`.
 */
import * as fs from "fs";
import * as path from "path";
import { planStack } from "../cli/plan";
import { checkPlan } from "../compliance";
import { writeConsumerProject } from "../tests/helpers/consumerProject";

async function main(): Promise<void> {
    const runs = Number(process.argv[2]);
    if (!Number.isInteger(runs) || runs < 1) throw new Error("usage: checkCostWorker <runs>");
    const repo = path.resolve(__dirname, "..");
    const project = writeConsumerProject(path.join(repo, "components"), { nodeModules: path.join(repo, "node_modules") });
    const planMs: number[] = [];
    const checkMs: number[] = [];
    let resources = 0;
    let findings = 0;
    try {
        for (let i = 0; i <= runs; i++) {
            const start = process.hrtime.bigint();
            const plan = await planStack({ projectDir: project, stack: "dev" });
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
    } finally {
        fs.rmSync(project, { recursive: true, force: true });
    }
    process.stdout.write(`${JSON.stringify({ resources, findings, planMs, checkMs })}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
