/**
 * The npm package as a consumer gets it: `npm pack`, installed from the tarball into a fresh Pulumi
 * project of a user's own outside the repository (tests/helpers/consumerProject.ts), compiled with tsc
 * under every module resolution with the README's snippets, planned, tested and deployed with the
 * installed command and `secure-bucket/testing`.
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertDistIsFresh, REPO } from "../helpers/build";
import type { PlanDocument } from "../../cli/planJson";
import { CONSUMER_RESOURCE_COUNT, CONSUMER_STACK_FILE, writeConsumerProject } from "../helpers/consumerProject";
import { spawnRun, type Run } from "../helpers/spawnRun";

const TSC = path.join(REPO, "node_modules", "typescript", "bin", "tsc");

interface PackResult {
    filename: string;
    files: { path: string }[];
}

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
}

const RUN_TIMEOUT_MS = 120_000;
const runIn = (command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Run> =>
    spawnRun(command, args, { cwd, timeoutMs: RUN_TIMEOUT_MS, env: env ?? process.env });

/** The TypeScript snippets of the README, in order, each as written. */
function readmeSnippets(): string[] {
    return [...fs.readFileSync(path.join(REPO, "README.md"), "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

/** The README's test of a user's program, which the consumer runs as its own. */
const isTestSnippet = (snippet: string): boolean => snippet.includes('from "secure-bucket/testing"');

/**
 * Each module resolution a consumer may compile with, as compiler options. `node` is Pulumi's own
 * TypeScript template, as `pulumi new typescript` writes it (no skipLibCheck: the package's
 * declarations are checked too).
 */
const RESOLUTIONS: Record<string, Record<string, unknown>> = {
    node: { strict: true, outDir: "bin", target: "es2020", module: "commonjs", moduleResolution: "node", sourceMap: true, experimentalDecorators: true, pretty: true, noFallthroughCasesInSwitch: true, noImplicitReturns: true, forceConsistentCasingInFileNames: true },
    node16: { strict: true, target: "es2022", module: "node16", moduleResolution: "node16", skipLibCheck: true },
    nodenext: { strict: true, target: "es2022", module: "nodenext", moduleResolution: "nodenext", skipLibCheck: true },
    bundler: { strict: true, target: "es2022", module: "esnext", moduleResolution: "bundler", skipLibCheck: true },
};

/** The consumer's own files that every resolution compiles: its program, its test and the README's snippets. */
const COMPILED_FILES = ["index.ts", "test/plan.test.ts", "snippets/*.ts"];

/** Compiles the consumer under every module resolution, side by side; each one's tsc run. */
function compileUnderEachResolution(consumer: string): Promise<Record<string, Run>> {
    return Promise.all(
        Object.entries(RESOLUTIONS).map(async ([name, compilerOptions]) => {
            const config = `tsconfig.${name}.json`;
            fs.writeFileSync(path.join(consumer, config), JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, include: COMPILED_FILES }));
            return [name, await runIn(process.execPath, [TSC, "-p", config], consumer)] as const;
        }),
    ).then(Object.fromEntries);
}

/** A folder with the stand-in `pulumi` (tests/helpers/fakePulumi.js) as `pulumi`, to put first on PATH. */
function standInPulumi(work: string): string {
    const bin = path.join(work, "pulumi-bin");
    fs.mkdirSync(bin);
    fs.symlinkSync(path.join(REPO, "tests", "helpers", "fakePulumi.js"), path.join(bin, "pulumi"));
    return bin;
}

describe("npm package", function () {
    this.timeout(240_000);
    let work: string;
    let consumer: string;
    let packed: PackResult;
    let compiled: Promise<Record<string, Run>>;
    let runs: Promise<{ help: Run; plan: Run; test: Run; up: Run }>;
    let pulumiLog: string;
    const stackFileBefore = CONSUMER_STACK_FILE;

    before(() => {
        // npm run test:package has just built dist/; --ignore-scripts packs that build instead of letting prepack
        // compile it a second time. That prepack type-checks and builds (for npm pack and npm publish) is checked below.
        assertDistIsFresh();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-pack-"));
        packed = (JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO)) as PackResult[])[0];
        consumer = path.join(work, "consumer");
        fs.mkdirSync(consumer);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer-app", version: "1.0.0", private: true }));
        // The tarball and its own dependencies come from the local npm cache when it has them (npm ci caches
        // tarballs, not the registry documents an install of a tarball needs), else from the registry. Its peer dependencies
        // (@pulumi/pulumi, @pulumi/aws) and the consumer's test tools are the consumer's to provide: link this
        // repository's copies rather than unpacking the large AWS SDK again.
        npm(["install", path.join(work, packed.filename), "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
        const modules = path.join(consumer, "node_modules");
        fs.mkdirSync(path.join(modules, "@pulumi"), { recursive: true });
        for (const linked of ["@pulumi/pulumi", "@pulumi/aws", "@types", "chai", "mocha", "ts-node"]) {
            fs.symlinkSync(path.join(REPO, "node_modules", linked), path.join(modules, linked), "dir");
        }
        // The consumer's project: its program, its stack file, its test (the README's, as written) and the README's snippets.
        writeConsumerProject("secure-bucket", { dir: consumer });
        // As `pulumi new typescript` leaves it: ts-node (the consumer's test, and Pulumi itself) reads it.
        fs.writeFileSync(path.join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions: RESOLUTIONS.node, files: ["index.ts"] }, null, 4));
        const snippets = readmeSnippets();
        fs.mkdirSync(path.join(consumer, "test"));
        fs.writeFileSync(path.join(consumer, "test", "plan.test.ts"), snippets.find(isTestSnippet) ?? "");
        fs.mkdirSync(path.join(consumer, "snippets"));
        snippets.filter((snippet) => !isTestSnippet(snippet)).forEach((snippet, i) => fs.writeFileSync(path.join(consumer, "snippets", `snippet${i + 1}.ts`), snippet));

        const bin = path.join(modules, ".bin", "secure-bucket");
        pulumiLog = path.join(work, "pulumi-calls.jsonl");
        const deployEnv = { ...process.env, PATH: `${standInPulumi(work)}${path.delimiter}${process.env.PATH ?? ""}`, PULUMI_CONFIG_PASSPHRASE: "test", FAKE_PULUMI_LOG: pulumiLog };
        // Independent: the compiles, the installed command's plan and up, and the consumer's own test run side by side.
        compiled = compileUnderEachResolution(consumer);
        runs = (async () => {
            const [help, plan, test] = await Promise.all([
                runIn(bin, ["--help"], consumer),
                runIn(bin, ["plan", "--stack", "dev", "--json"], consumer),
                runIn(process.execPath, [path.join(modules, "mocha", "bin", "mocha.js"), "-r", "ts-node/register", "--timeout", "60000", "test/plan.test.ts"], consumer, {
                    ...process.env,
                    TS_NODE_TRANSPILE_ONLY: "true",
                }),
            ]);
            return { help, plan, test, up: await runIn(bin, ["up", "--stack", "dev"], consumer, deployEnv) };
        })();
        // Handled until a test awaits them; a failure still fails the test that reads it.
        compiled.catch(() => undefined);
        runs.catch(() => undefined);
    });

    after(() => {
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("ships the compiled library with declarations, the CLI, the testing helpers, the README and the LICENSE, and nothing else", () => {
        const files = packed.files.map((f) => f.path).sort();
        expect(files).to.include.members([
            "package.json",
            "README.md",
            "LICENSE",
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/components/secureBucket.js",
            "dist/components/secureBucket.d.ts",
            "dist/program/stackConfig.js",
            "dist/automation/index.js",
            "dist/automation/index.d.ts",
            "dist/testing/index.js",
            "dist/testing/index.d.ts",
            "dist/cli/main.js",
            "dist/verify/index.js",
        ]);
        const unexpected = files.filter(
            (f) =>
                !(
                    f === "package.json" ||
                    f === "README.md" ||
                    f === "LICENSE" ||
                    /^dist\/(components|program|automation|cli|offline|project|testing|verify|adopt|compliance|policypack)\/.+\.(js|d\.ts)$/.test(f) ||
                    // What the Pulumi CLI and @pulumi/policy read from the policy pack's folder, and its example config.
                    /^dist\/policypack\/(PulumiPolicy\.yaml|package\.json|config\.example\.json)$/.test(f)
                ),
        );
        expect(unexpected, "files outside the allowed set").to.deep.equal([]);
    });

    it("contains no tests, stack files, state, sources or source maps", () => {
        for (const f of packed.files.map((file) => file.path)) {
            expect(f).not.to.match(/^tests\/|\.test\.|^Pulumi\.|\.pulumi|^\.ci\/|^scratch\/|\.map$|^node_modules\//);
            expect(f.endsWith(".ts") && !f.endsWith(".d.ts"), `${f} is TypeScript source`).to.equal(false);
        }
    });

    it("declares Pulumi as peer dependencies, the CLI as bin, where it comes from, and type-checks and builds dist/ whenever it is packed", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "secure-bucket", "package.json"), "utf8")) as Record<string, unknown> & {
            peerDependencies: Record<string, string>;
            peerDependenciesMeta: Record<string, { optional: boolean }>;
            dependencies: Record<string, string>;
            scripts: Record<string, string>;
        };
        expect(manifest.scripts.prepack).to.equal("npm run typecheck && npm run build");
        // @pulumi/policy only for the policy pack (dist/policypack), hence optional.
        expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/policy", "@pulumi/pulumi"]);
        expect(manifest.peerDependenciesMeta).to.deep.equal({ "@pulumi/policy": { optional: true } });
        expect(manifest.dependencies).not.to.have.any.keys("@pulumi/aws", "@pulumi/pulumi");
        expect(manifest.bin).to.deep.equal({ "secure-bucket": "dist/cli/main.js" });
        expect(manifest.license).to.equal("Apache-2.0");
        expect(fs.readFileSync(path.join(consumer, "node_modules", "secure-bucket", "LICENSE"), "utf8")).to.match(/^\s+Apache License\s+Version 2\.0, January 2004/);
        expect(manifest).to.include.keys("repository", "bugs", "homepage");
    });

    it("publishes cleanly: npm publish --dry-run warns of nothing but the login a real publish needs", () => {
        const result = spawnSync("npm", ["publish", "--dry-run", "--ignore-scripts"], { cwd: REPO, encoding: "utf8", env: { ...process.env, npm_config_update_notifier: "false" } });
        expect(result.status, result.stderr).to.equal(0);
        const warnings = result.stderr.split("\n").filter((line) => /\b(warn|error)\b/i.test(line) && !/requires you to be logged in/.test(line));
        expect(warnings).to.deep.equal([]);
    });

    for (const resolution of Object.keys(RESOLUTIONS)) {
        it(`compiles the consumer's program, its test and every README snippet under moduleResolution ${resolution}`, async () => {
            const run = (await compiled)[resolution];
            expect(run.stdout + run.stderr, "tsc output").to.equal("");
            expect(run.status).to.equal(0);
        });
    }

    it("has README snippets to compile: the test of at most 10 lines, the Automation API, the component, replication and CloudFront", () => {
        const snippets = readmeSnippets();
        expect(snippets.filter(isTestSnippet)).to.have.length(1);
        expect((snippets.find(isTestSnippet) ?? "").trimEnd().split("\n").length).to.be.at.most(10);
        for (const used of ["secure-bucket/automation", "SecureBucketReplication", "deferredOutput"]) expect(snippets.some((s) => s.includes(used)), used).to.equal(true);
        expect(fs.readdirSync(path.join(consumer, "snippets"))).to.have.length(snippets.length - 1);
    });

    it("the installed command plans the consumer's own program, uncompiled, and exactly its resources: an IAM user's ARN is a reader", async () => {
        const { help, plan } = await runs;
        expect(help.status, help.stderr).to.equal(0);
        expect(help.stdout).to.include("plan").and.include("Every command works on the Pulumi project it is run in");
        expect(plan.status, plan.stderr).to.equal(0);
        const document = JSON.parse(plan.stdout) as PlanDocument;
        expect(document.project).to.equal("consumer-app");
        expect(document.resources).to.have.length(CONSUMER_RESOURCE_COUNT);
        expect(document.resources.filter((r) => r.type === "secure-bucket:index:SecureBucket").map((r) => r.name)).to.deep.equal(["data", "replica"]);
        expect(document.outputs.readerArn).to.equal("arn:aws:iam::111111111111:user/people/analyst-xxxxxxx");
        expect(JSON.stringify(document.resources.find((r) => r.name === "data-policy")?.inputs)).to.include("user/people/analyst-xxxxxxx");
    });

    it("the consumer's own mocha test, the README's, plans its program twice with secure-bucket/testing and passes", async () => {
        const { test } = await runs;
        expect(test.status, test.stdout + test.stderr).to.equal(0);
        expect(test.stdout).to.match(/1 passing/);
    });

    it("the installed command deploys the consumer's own project: the stand-in pulumi runs up in its folder, and its stack file is unchanged", async () => {
        const { up } = await runs;
        expect(up.status, up.stderr).to.equal(0);
        const calls = fs.readFileSync(pulumiLog, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { args: string[]; cwd: string });
        const deploy = calls.find((c) => c.args[0] === "up");
        expect(deploy?.cwd).to.equal(fs.realpathSync(consumer));
        expect(deploy?.args).to.include("--config-file");
        expect(fs.readFileSync(path.join(consumer, "Pulumi.dev.yaml"), "utf8")).to.equal(stackFileBefore);
    });
});
