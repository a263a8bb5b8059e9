/**
 * `npm run bench [-- --json] [--runs N] [--skip-tests]`: what SecureBucket costs, measured in one run
 * on this machine. Every figure is a median of several runs, and every comparison a ratio of figures
 * measured in this same run. Prints a table, or one JSON document with --json.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { CONSUMER_RESOURCE_COUNT, writeConsumerProject } from "../tests/helpers/consumerProject";
import { criticalPath, CriticalPath, PlannedResource } from "./criticalPath";

const REPO = path.resolve(__dirname, "..");
const REGISTER_TS = ["-r", "sucrase/register"];
const COUNTS = [1, 10, 100];

interface ProgramCostSample {
    variant: "component" | "raw";
    count: number;
    ms: number;
    registrations: number;
    peakRssMb: number;
    baseRssMb: number;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function round(value: number, digits = 2): number {
    const f = 10 ** digits;
    return Math.round(value * f) / f;
}

/** Wall time of one process, start to exit, in ms; fails loudly when the process fails. */
function timeProcess(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; stdout: string } {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { cwd: REPO, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return { ms, stdout: result.stdout };
}

function programCostSample(variant: "component" | "raw", count: number): ProgramCostSample {
    const { stdout } = timeProcess(process.execPath, [...REGISTER_TS, path.join("bench", "programCostWorker.ts"), variant, String(count)]);
    const sample = JSON.parse(stdout.trim()) as ProgramCostSample;
    const expected = count * (variant === "component" ? 10 : 9);
    if (sample.registrations !== expected) throw new Error(`${variant} N=${count}: ${sample.registrations} registrations, expected ${expected}`);
    return sample;
}

interface ProgramCostRow {
    count: number;
    componentMs: number;
    rawMs: number;
    /** Median of the rounds' component/raw ratios (each round builds both back to back), not componentMs / rawMs. */
    ratio: number;
    componentMsPerBucket: number;
    rawMsPerBucket: number;
    componentPeakRssMb: number;
    rawPeakRssMb: number;
    componentRssGrowthMb: number;
    rawRssGrowthMb: number;
}

/**
 * Program-cost runs per variant and N. A build is one process with a noisy clock: on this machine
 * the same N = 100 build varies by ±15% from run to run, and more over minutes, while a pure
 * arithmetic loop varies by ±2% (the builds are allocation-heavy, and memory speed drifts). So the
 * program cost gets three times the runs of the other figures.
 */
function programCostRuns(runs: number): number {
    return 3 * runs;
}

/** The component/raw ratio of each round's pair, whose two builds ran back to back. */
function pairRatios(component: ProgramCostSample[], raw: ProgramCostSample[]): number[] {
    return component.map((c, i) => c.ms / raw[i].ms);
}

/**
 * Round after round, every N gets one build of each variant, back to back, the variant that goes
 * first alternating between rounds. Measuring all of N = 1, then all of 10, then all of 100 let a
 * drift in the machine's speed between those phases skew the growth figures, which compare the N
 * with each other; interleaved, a slow stretch falls on every N and both variants alike. The
 * component/raw ratio is the median of the rounds' ratios, so it never compares builds made minutes apart.
 */
function programCost(runs: number): ProgramCostRow[] {
    const byCount = COUNTS.map((count) => ({ count, component: [] as ProgramCostSample[], raw: [] as ProgramCostSample[] }));
    for (let round = 0; round < programCostRuns(runs); round++) {
        const order = round % 2 === 0 ? (["component", "raw"] as const) : (["raw", "component"] as const);
        for (const samples of byCount) for (const variant of order) samples[variant].push(programCostSample(variant, samples.count));
    }
    return byCount.map(({ count, component, raw }) => {
        const componentMs = median(component.map((s) => s.ms));
        const rawMs = median(raw.map((s) => s.ms));
        return {
            count,
            componentMs: round(componentMs, 1),
            rawMs: round(rawMs, 1),
            ratio: round(median(pairRatios(component, raw))),
            componentMsPerBucket: round(componentMs / count),
            rawMsPerBucket: round(rawMs / count),
            componentPeakRssMb: round(median(component.map((s) => s.peakRssMb)), 1),
            rawPeakRssMb: round(median(raw.map((s) => s.peakRssMb)), 1),
            componentRssGrowthMb: round(median(component.map((s) => s.peakRssMb - s.baseRssMb)), 1),
            rawRssGrowthMb: round(median(raw.map((s) => s.peakRssMb - s.baseRssMb)), 1),
        };
    });
}

interface PlanTiming {
    planMs: number;
    /** The 40-resource program of a user's own project (tests/helpers/consumerProject.ts), planned the same way. */
    consumerPlanMs: number;
    consumerResources: number;
    /** Median of the runs' consumer/dev ratios (each run plans both back to back). */
    consumerOverDev: number;
    planViaNpmScriptMs: number;
    sdkLoadMs: number;
    nodeStartMs: number;
    sdkShare: number;
    criticalPath: CriticalPath;
}

function planTiming(runs: number): PlanTiming {
    // A user's project, as installed: its program imports the compiled library, its node_modules are this repository's.
    const consumer = writeConsumerProject(path.join(REPO, "dist", "components"), { nodeModules: path.join(REPO, "node_modules") });
    const consumerPlan: number[] = [];
    const consumerRatios: number[] = [];
    let consumerResources = 0;
    const plan: number[] = [];
    const npmScript: number[] = [];
    const sdk: number[] = [];
    const bare: number[] = [];
    let planJson = "";
    const env = { ...process.env, npm_config_update_notifier: "false" };
    for (let i = 0; i < runs; i++) {
        // As a user runs the installed command: the compiled CLI, process start included.
        const run = timeProcess(process.execPath, [path.join("dist", "cli", "main.js"), "plan", "--stack", "dev", "--json"]);
        plan.push(run.ms);
        planJson = run.stdout;
        const own = timeProcess(process.execPath, [path.join("dist", "cli", "main.js"), "plan", "--stack", "dev", "--json", "--cwd", consumer]);
        consumerPlan.push(own.ms);
        consumerRatios.push(own.ms / run.ms);
        consumerResources = (JSON.parse(own.stdout) as { resources: unknown[] }).resources.length;
        npmScript.push(timeProcess("npm", ["run", "-s", "plan", "--", "--stack", "dev", "--json"], env).ms);
        // The compiled library alone: the Pulumi SDK and the @pulumi/aws modules it imports (its own code is a few ms).
        sdk.push(timeProcess(process.execPath, ["-e", "require('./dist/components')"]).ms);
        bare.push(timeProcess(process.execPath, ["-e", "0"]).ms);
    }
    fs.rmSync(consumer, { recursive: true, force: true });
    expectConsumerResources(consumerResources);
    const document = JSON.parse(planJson) as { resources: (PlannedResource & { type: string })[] };
    const isCustom = (r: PlannedResource) => r.type.startsWith("aws:");
    const planMs = median(plan);
    const sdkLoadMs = median(sdk);
    return {
        planMs: round(planMs, 0),
        planViaNpmScriptMs: round(median(npmScript), 0),
        consumerPlanMs: round(median(consumerPlan), 0),
        consumerResources,
        consumerOverDev: round(median(consumerRatios)),
        sdkLoadMs: round(sdkLoadMs, 0),
        nodeStartMs: round(median(bare), 0),
        sdkShare: round(sdkLoadMs / planMs),
        criticalPath: criticalPath(document.resources, isCustom),
    };
}

/** Fails the bench when the user's project planned other than its resources: the figures would time something else. */
function expectConsumerResources(planned: number): void {
    if (planned !== CONSUMER_RESOURCE_COUNT) throw new Error(`the consumer's plan lists ${planned} resources, expected ${CONSUMER_RESOURCE_COUNT}`);
}

interface CheckTiming {
    /** Resources of the program checked. */
    resources: number;
    planMs: number;
    checkMs: number;
    /** Median over the runs of (plan + check) / plan: what `check` costs next to `plan`. */
    checkOverPlan: number;
}

/** The compliance check over the offline plan of the user's 40-resource project, next to the plan itself (bench/checkCostWorker.ts). */
function checkTiming(runs: number): CheckTiming {
    const { stdout } = timeProcess(process.execPath, [...REGISTER_TS, path.join("bench", "checkCostWorker.ts"), String(runs)]);
    const sample = JSON.parse(stdout.trim()) as { resources: number; planMs: number[]; checkMs: number[] };
    expectConsumerResources(sample.resources);
    const ratios = sample.planMs.map((plan, i) => (plan + sample.checkMs[i]) / plan);
    return { resources: sample.resources, planMs: round(median(sample.planMs), 1), checkMs: round(median(sample.checkMs), 1), checkOverPlan: round(median(ratios), 3) };
}

/**
 * CPU seconds (user + system) of this process's finished children, from Linux's /proc (in USER_HZ
 * ticks, which the kernel always reports at 100 per second); undefined elsewhere.
 */
function childrenCpuSeconds(): number | undefined {
    if (!fs.existsSync("/proc/self/stat")) return undefined;
    const stat = fs.readFileSync("/proc/self/stat", "utf8");
    // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface TestSuiteTimes {
    /** Wall time of `npm test`: the unit and end-to-end suites side by side. */
    npmTestMs: number;
    /** CPU seconds `npm test` used, all processes together (Linux only). */
    npmTestCpuSeconds?: number;
    /** Each of `npm test`'s suites alone. */
    unitMs: number;
    e2eMs: number;
    /** Wall time of `npm run test:package`, the suite CI runs after `npm test` (not part of the target). */
    packageMs: number;
    /** CPU seconds `npm run test:package` used (Linux only). */
    packageCpuSeconds?: number;
}

/** Wall time of an npm command, and the CPU seconds it and all its processes used (Linux only). */
function timeNpm(args: string[], env: NodeJS.ProcessEnv): { ms: number; cpuSeconds?: number } {
    const cpuBefore = childrenCpuSeconds();
    const ms = round(timeProcess("npm", args, env).ms, 0);
    const cpuAfter = childrenCpuSeconds();
    return { ms, cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : round(cpuAfter - cpuBefore, 1) };
}

function testSuite(): TestSuiteTimes {
    const env = { ...process.env, npm_config_update_notifier: "false" };
    const npmTest = timeNpm(["test", "--silent"], env);
    const unitMs = timeNpm(["run", "-s", "test:unit"], env).ms;
    const e2eMs = timeNpm(["run", "-s", "test:e2e"], env).ms;
    const packageSuite = timeNpm(["run", "-s", "test:package"], env);
    return {
        npmTestMs: npmTest.ms,
        npmTestCpuSeconds: npmTest.cpuSeconds,
        unitMs,
        e2eMs,
        packageMs: packageSuite.ms,
        packageCpuSeconds: packageSuite.cpuSeconds,
    };
}

interface Growth {
    /** Exponent k of time ∝ N^k between N = 10 and N = 100; below 1 when fixed costs spread. */
    exponent: number;
    /** ms each added bucket costs from N = 1 to 10, and from N = 10 to 100. */
    marginalMsPerBucket: [number, number];
    /** The second marginal cost over the first: above 1 means each bucket costs more as N grows. */
    marginalRatio: number;
}

/**
 * How the cost grows with N. Linear cost is t = a + b·N: the cost of each added bucket (b) stays the
 * same whatever N. So the test is the marginal cost from 10 to 100 against that from 1 to 10.
 */
function growth(rows: ProgramCostRow[], key: "componentMs" | "rawMs"): Growth {
    const at = (n: number) => rows.find((r) => r.count === n)?.[key] ?? NaN;
    const early = (at(10) - at(1)) / 9;
    const late = (at(100) - at(10)) / 90;
    return {
        exponent: round(Math.log(at(100) / at(10)) / Math.log(10)),
        marginalMsPerBucket: [round(early), round(late)],
        marginalRatio: round(late / early),
    };
}

function main(): void {
    const { values } = parseArgs({
        options: { json: { type: "boolean", default: false }, runs: { type: "string", default: "5" }, "skip-tests": { type: "boolean", default: false } },
    });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number of at least 1 (got ${values.runs})`);
    const log = (text: string) => {
        if (!values.json) process.stderr.write(`${text}\n`);
    };
    log("building dist/ (the CLI as users install it)...");
    execFileSync("npm", ["run", "-s", "build"], { cwd: REPO, stdio: "inherit" });
    log(`program cost, ${programCostRuns(runs)} rounds of every N and both variants...`);
    const cost = programCost(runs);
    log("offline plan...");
    const plan = planTiming(runs);
    log("compliance check...");
    const check = checkTiming(runs);
    log(values["skip-tests"] ? "test suite skipped" : "test suite...");
    const tests = values["skip-tests"] ? undefined : testSuite();
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? "unknown", memoryGb: round(os.totalmem() / 2 ** 30, 1), node: process.version, platform: `${os.platform()} ${os.release()}` };
    const costGrowth = { component: growth(cost, "componentMs"), raw: growth(cost, "rawMs") };
    const ratio100 = cost.find((r) => r.count === 100)?.ratio ?? NaN;
    const targets = {
        componentOverRawAt100: { value: ratio100, target: "<= 1.25", met: ratio100 <= 1.25 },
        linearInN: {
            value: costGrowth.component.marginalRatio,
            target: "<= 1.25: an added bucket costs no more at N=10..100 than at N=1..10",
            met: costGrowth.component.marginalRatio <= 1.25,
        },
        planUnder3s: { value: plan.planMs, target: "< 3000 ms", met: plan.planMs < 3000 },
        consumerPlanAtMost1_5xDev: {
            value: plan.consumerOverDev,
            target: `<= 1.5: planning a user's ${plan.consumerResources}-resource program against this repository's dev stack`,
            met: plan.consumerOverDev <= 1.5,
        },
        deployWavesAtMost5: {
            value: plan.criticalPath.waves,
            target: "<= 5 sequential waves (the dev stack, its opt-ins included)",
            met: plan.criticalPath.waves <= 5,
        },
        checkOverPlanAt40: { value: check.checkOverPlan, target: `<= 1.5 (check and plan of a ${check.resources}-resource program)`, met: check.checkOverPlan <= 1.5 },
        testSuiteUnder20s: tests ? { value: tests.npmTestMs, target: "< 20000 ms (npm test)", met: tests.npmTestMs < 20000 } : undefined,
    };
    const report = { date: new Date().toISOString(), machine, runs, programCost: cost, growth: costGrowth, plan, check, tests, targets };
    if (values.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
    }
    const cpu = (seconds: number | undefined): string => (seconds === undefined ? "" : ` (${seconds} s of CPU on ${machine.cpus} cores)`);
    const lines = [
        `Machine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGb} GiB, Node ${machine.node}. Medians of ${runs} runs (program cost: ${programCostRuns(runs)} runs per N and variant; component/raw is the median of the back-to-back pairs' ratios).`,
        "",
        "1. Program cost on the mock engine (build N buckets until every registration completes)",
        "   N    component ms   raw ms   component/raw   ms/bucket comp|raw   peak RSS MB comp|raw   RSS growth MB comp|raw",
        ...cost.map(
            (r) =>
                `   ${String(r.count).padEnd(4)} ${String(r.componentMs).padStart(12)} ${String(r.rawMs).padStart(8)} ${String(r.ratio).padStart(15)}   ${`${r.componentMsPerBucket} | ${r.rawMsPerBucket}`.padStart(18)}   ${`${r.componentPeakRssMb} | ${r.rawPeakRssMb}`.padStart(20)}   ${`${r.componentRssGrowthMb} | ${r.rawRssGrowthMb}`.padStart(22)}`,
        ),
        `   cost of each added bucket, N=1→10 then N=10→100: component ${costGrowth.component.marginalMsPerBucket.join(" then ")} ms (ratio ${costGrowth.component.marginalRatio}), raw ${costGrowth.raw.marginalMsPerBucket.join(" then ")} ms (ratio ${costGrowth.raw.marginalRatio})`,
        `   growth exponent N=10→100 (1 = proportional): component ${costGrowth.component.exponent}, raw ${costGrowth.raw.exponent}`,
        "",
        "2. Offline plan (secure-bucket plan --stack dev --json, process start included)",
        `   compiled CLI ${plan.planMs} ms; via npm run plan (sucrase) ${plan.planViaNpmScriptMs} ms`,
        `   a user's own ${plan.consumerResources}-resource program (its uncompiled index.ts), compiled CLI ${plan.consumerPlanMs} ms: ${plan.consumerOverDev} x the dev stack's`,
        `   loading the library (the Pulumi SDK and the @pulumi/aws modules it imports) alone ${plan.sdkLoadMs} ms (${Math.round(plan.sdkShare * 100)}% of the plan); bare node start ${plan.nodeStartMs} ms`,
        "",
        "3. Deploy critical path (from declared dependencies)",
        `   ${plan.criticalPath.waves} sequential waves; longest chain: ${plan.criticalPath.chain.join(" → ")}`,
        ...plan.criticalPath.byWave.map((names, i) => `   wave ${i + 1}: ${names.join(", ")}`),
        "",
        `4. Compliance check (the rules over the offline plan of the user's ${check.resources}-resource project, in-process: process start and SDK loading left out)`,
        `   plan ${check.planMs} ms, then check ${check.checkMs} ms: (plan + check) / plan = ${check.checkOverPlan}`,
        "",
        "5. Test suite",
        tests
            ? [
                  `   npm test ${tests.npmTestMs} ms${cpu(tests.npmTestCpuSeconds)}; alone: npm run test:unit ${tests.unitMs} ms, npm run test:e2e ${tests.e2eMs} ms`,
                  `   npm run test:package (CI runs it after npm test) ${tests.packageMs} ms${cpu(tests.packageCpuSeconds)}`,
              ].join("\n")
            : "   skipped",
        "",
        "Targets",
        ...Object.entries(targets).map(([name, t]) => (t ? `   ${t.met ? "met   " : "MISSED"} ${name}: ${t.value} (${t.target})` : `   skipped ${name}`)),
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
}

main();
