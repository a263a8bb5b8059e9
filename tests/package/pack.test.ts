/**
 * The npm package as a consumer gets it: `npm pack`, installed from the tarball into a fresh project
 * outside the repository, compiled with tsc against the package name, and run on Pulumi mocks.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertDistIsFresh, REPO } from "../helpers/build";
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
const runIn = (command: string, args: string[], cwd: string): Promise<Run> => spawnRun(command, args, { cwd, timeoutMs: RUN_TIMEOUT_MS });

/**
 * A consumer program in TypeScript, compiled with tsc against the installed package and run on
 * Pulumi mocks: it builds one SecureBucket, tries one with a bad argument, and prints what it saw.
 */
async function compileAndRunConsumer(consumer: string): Promise<{ compiled: Run; run: Run }> {
    fs.writeFileSync(
        path.join(consumer, "tsconfig.json"),
        JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", skipLibCheck: true, types: [] } }),
    );
    fs.writeFileSync(
        path.join(consumer, "index.ts"),
        `import * as pulumi from "@pulumi/pulumi";
import { SecureBucket, SecureBucketArgs, SecureBucketArgumentError, TlsVersion } from "secure-bucket";

pulumi.runtime.setMocks(
    {
        newResource: (a) => ({ id: a.name + "-id", state: { ...a.inputs, arn: "arn:aws:placeholder:::" + a.name, bucket: a.inputs.bucket ?? a.name, keyId: "key-id" } }),
        call: (a) => (a.token.endsWith("getPartition") ? { partition: "aws", dnsSuffix: "amazonaws.com" } : { accountId: "111111111111", region: "us-east-1" }),
    },
    "consumer",
    "dev",
    false,
);
const args: SecureBucketArgs = { readers: ["arn:aws:iam::111111111111:role/reader"], minimumTlsVersion: TlsVersion.Tls13 };
const bucket = new SecureBucket("consumer-data", args);
let refused = "(nothing was refused)";
try {
    new SecureBucket("consumer-bad", { keyDeletionWindowInDays: 3 });
} catch (e) {
    refused = e instanceof SecureBucketArgumentError ? e.name + ": " + e.message : "unexpected: " + String(e);
}
bucket.bucketPolicy.apply((policy) =>
    console.log(JSON.stringify({ sids: JSON.parse(policy).Statement.map((s: { Sid: string }) => s.Sid), tls: policy.includes('"1.3"'), refused })),
);
`,
    );
    const compiled = await runIn(process.execPath, [TSC, "-p", consumer], consumer);
    const run = compiled.status === 0 ? await runIn(process.execPath, ["index.js"], consumer) : { status: null, stdout: "", stderr: "not run: tsc failed" };
    return { compiled, run };
}

/** What the consumer program printed last. */
function consumerResult(run: Run): { sids: string[]; tls: boolean; refused: string } {
    return JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { sids: string[]; tls: boolean; refused: string };
}

/** The installed `secure-bucket` bin: `--help`, and the offline plan of the dev stack in the consumer's project. */
async function runInstalledBin(consumer: string): Promise<Run[]> {
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(REPO, file), path.join(consumer, file));
    const bin = path.join(consumer, "node_modules", ".bin", "secure-bucket");
    return Promise.all([runIn(bin, ["--help"], consumer), runIn(bin, ["plan", "--stack", "dev", "--json"], consumer)]);
}

describe("npm package", function () {
    this.timeout(180_000);
    let work: string;
    let consumer: string;
    let packed: PackResult;
    let consumerRun: Promise<{ compiled: Run; run: Run }>;
    let binRuns: Promise<Run[]>;

    before(() => {
        // npm run test:package has just built dist/; --ignore-scripts packs that build instead of letting prepack
        // compile it a second time. That prepack type-checks and builds (for npm pack and npm publish) is checked below.
        assertDistIsFresh();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-pack-"));
        packed = (JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO)) as PackResult[])[0];
        consumer = path.join(work, "consumer");
        fs.mkdirSync(consumer);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        // The tarball and its own dependencies come from the local npm cache when it has them (npm ci caches
        // tarballs, not the registry documents an install of a tarball needs), else from the registry. Its peer dependencies
        // (@pulumi/pulumi, @pulumi/aws) are the consumer's to provide: link this repository's copies
        // rather than unpacking the large AWS SDK again.
        npm(["install", path.join(work, packed.filename), "--prefer-offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
        fs.mkdirSync(path.join(consumer, "node_modules", "@pulumi"), { recursive: true });
        for (const peer of ["pulumi", "aws"]) {
            fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi", peer), path.join(consumer, "node_modules", "@pulumi", peer), "dir");
        }
        // The consumer's compile-and-run and the installed command are independent: they run side by
        // side, and the tests below read their results.
        consumerRun = compileAndRunConsumer(consumer);
        binRuns = runInstalledBin(consumer);
        // Handled until a test awaits them; a failure still fails the test that reads it.
        consumerRun.catch(() => undefined);
        binRuns.catch(() => undefined);
    });

    after(() => {
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    it("ships the compiled library with declarations, the CLI and the README, and nothing else", () => {
        const files = packed.files.map((f) => f.path).sort();
        expect(files).to.include.members([
            "package.json",
            "README.md",
            "dist/components/index.js",
            "dist/components/index.d.ts",
            "dist/components/secureBucket.js",
            "dist/components/secureBucket.d.ts",
            "dist/program/stackConfig.js",
            "dist/automation/index.js",
            "dist/automation/index.d.ts",
            "dist/cli/main.js",
        ]);
        const unexpected = files.filter(
            (f) =>
                !(
                    f === "package.json" ||
                    f === "README.md" ||
                    /^dist\/(components|program|automation|cli|offline|compliance|policypack)\/.+\.(js|d\.ts)$/.test(f) ||
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

    it("declares Pulumi as peer dependencies and the CLI as bin, and type-checks and builds dist/ whenever it is packed", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "secure-bucket", "package.json"), "utf8")) as {
            peerDependencies: Record<string, string>;
            peerDependenciesMeta: Record<string, { optional: boolean }>;
            dependencies: Record<string, string>;
            bin: Record<string, string>;
            scripts: Record<string, string>;
        };
        expect(manifest.scripts.prepack).to.equal("npm run typecheck && npm run build");
        // @pulumi/policy only for the policy pack (dist/policypack), hence optional.
        expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/policy", "@pulumi/pulumi"]);
        expect(manifest.peerDependenciesMeta).to.deep.equal({ "@pulumi/policy": { optional: true } });
        expect(manifest.dependencies).not.to.have.any.keys("@pulumi/aws", "@pulumi/pulumi");
        expect(manifest.bin).to.deep.equal({ "secure-bucket": "dist/cli/main.js" });
    });

    it("compiles a consumer program that imports SecureBucket by package name, and runs it on mocks", async () => {
        const { compiled, run } = await consumerRun;
        expect(compiled.stdout + compiled.stderr, "tsc output").to.equal("");
        expect(compiled.status).to.equal(0);
        expect(run.status, run.stderr).to.equal(0);
        const result = consumerResult(run);
        expect(result.sids).to.include.members(["DenyInsecureTransport", "DenyKmsUploadsWithoutKeyId", "AllowReaders"]);
        expect(result.tls).to.equal(true);
    });

    it("refuses bad arguments in the consumer too, with the package's error class, naming the argument", async () => {
        const { run } = await consumerRun;
        expect(run.status, run.stderr).to.equal(0);
        const { refused } = consumerResult(run);
        expect(refused).to.include("SecureBucketArgumentError").and.to.include("keyDeletionWindowInDays: 3 must be from 7 to 30");
        expect(refused).not.to.match(/^unexpected/);
    });

    it("installs the secure-bucket command, whose offline plan works in the consumer's own project", async () => {
        const [help, plan] = await binRuns;
        expect(help.status, help.stderr).to.equal(0);
        expect(help.stdout).to.include("plan");
        expect(plan.status, plan.stderr).to.equal(0);
        const document = JSON.parse(plan.stdout) as { stack: string; resources: { type: string }[] };
        expect(document.stack).to.equal("dev");
        expect(document.resources.map((r) => r.type)).to.include.members(["secure-bucket:index:SecureBucket", "aws:kms/key:Key", "aws:s3/bucketPolicy:BucketPolicy"]);
        // The dev stack: the component, its nine children and its two opt-ins' (access logs, EventBridge).
        expect(document.resources).to.have.length(12);
    });
});
