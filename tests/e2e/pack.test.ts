/**
 * The npm package as a consumer gets it: `npm pack`, installed from the tarball into a fresh project
 * outside the repository, compiled with tsc against the package name, and run on Pulumi mocks.
 */
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertDistIsFresh, REPO } from "../helpers/build";

const TSC = path.join(REPO, "node_modules", "typescript", "bin", "tsc");

interface PackResult {
    filename: string;
    files: { path: string }[];
}

function npm(args: string[], cwd: string): string {
    return execFileSync("npm", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, npm_config_update_notifier: "false" } });
}

describe("npm package", function () {
    this.timeout(180_000);
    let work: string;
    let consumer: string;
    let packed: PackResult;

    before(() => {
        // npm test has just built dist/; --ignore-scripts packs that build instead of letting prepack
        // compile it a second time. That prepack type-checks and builds (for npm pack and npm publish) is checked below.
        assertDistIsFresh();
        work = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-pack-"));
        packed = (JSON.parse(npm(["pack", "--json", "--ignore-scripts", "--pack-destination", work], REPO)) as PackResult[])[0];
        consumer = path.join(work, "consumer");
        fs.mkdirSync(consumer);
        fs.writeFileSync(path.join(consumer, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
        // The tarball and its own dependencies come from the local npm cache. Its peer dependencies
        // (@pulumi/pulumi, @pulumi/aws) are the consumer's to provide: link this repository's copies
        // rather than unpacking the large AWS SDK again.
        npm(["install", path.join(work, packed.filename), "--offline", "--legacy-peer-deps", "--no-audit", "--no-fund", "--ignore-scripts"], consumer);
        fs.mkdirSync(path.join(consumer, "node_modules", "@pulumi"), { recursive: true });
        for (const peer of ["pulumi", "aws"]) {
            fs.symlinkSync(path.join(REPO, "node_modules", "@pulumi", peer), path.join(consumer, "node_modules", "@pulumi", peer), "dir");
        }
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
                !(f === "package.json" || f === "README.md" || /^dist\/(components|program|automation|cli)\/.+\.(js|d\.ts)$/.test(f)),
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
            dependencies: Record<string, string>;
            bin: Record<string, string>;
            scripts: Record<string, string>;
        };
        expect(manifest.scripts.prepack).to.equal("npm run typecheck && npm run build");
        expect(Object.keys(manifest.peerDependencies).sort()).to.deep.equal(["@pulumi/aws", "@pulumi/pulumi"]);
        expect(manifest.dependencies).not.to.have.any.keys("@pulumi/aws", "@pulumi/pulumi");
        expect(manifest.bin).to.deep.equal({ "secure-bucket": "dist/cli/main.js" });
    });

    it("compiles a consumer program that imports SecureBucket by package name, and runs it on mocks", () => {
        fs.writeFileSync(
            path.join(consumer, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "node16", moduleResolution: "node16", skipLibCheck: true, types: [] } }),
        );
        fs.writeFileSync(
            path.join(consumer, "index.ts"),
            `import * as pulumi from "@pulumi/pulumi";
import { SecureBucket, SecureBucketArgs, TlsVersion } from "secure-bucket";

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
bucket.bucketPolicy.apply((policy) => console.log(JSON.stringify({ sids: JSON.parse(policy).Statement.map((s: { Sid: string }) => s.Sid), tls: policy.includes('"1.3"') })));
`,
        );
        const compiled = spawnSync(process.execPath, [TSC, "-p", consumer], { cwd: consumer, encoding: "utf8" });
        expect(compiled.stdout + compiled.stderr, "tsc output").to.equal("");
        expect(compiled.status).to.equal(0);
        const run = spawnSync(process.execPath, ["index.js"], { cwd: consumer, encoding: "utf8", timeout: 60_000 });
        expect(run.status, run.stderr).to.equal(0);
        const result = JSON.parse(run.stdout.trim().split("\n").pop() ?? "{}") as { sids: string[]; tls: boolean };
        expect(result.sids).to.include.members(["DenyInsecureTransport", "DenyKmsUploadsWithoutKeyId", "AllowReaders"]);
        expect(result.tls).to.equal(true);
    });

    it("installs the secure-bucket command, whose offline plan works in the consumer's own project", () => {
        for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml"]) fs.copyFileSync(path.join(REPO, file), path.join(consumer, file));
        const bin = path.join(consumer, "node_modules", ".bin", "secure-bucket");
        const help = spawnSync(bin, ["--help"], { cwd: consumer, encoding: "utf8" });
        expect(help.status, help.stderr).to.equal(0);
        expect(help.stdout).to.include("plan");
        const plan = spawnSync(bin, ["plan", "--stack", "dev", "--json"], { cwd: consumer, encoding: "utf8", timeout: 60_000 });
        expect(plan.status, plan.stderr).to.equal(0);
        const document = JSON.parse(plan.stdout) as { stack: string; resources: { type: string }[] };
        expect(document.stack).to.equal("dev");
        expect(document.resources.map((r) => r.type)).to.include.members(["secure-bucket:index:SecureBucket", "aws:kms/key:Key", "aws:s3/bucketPolicy:BucketPolicy"]);
        expect(document.resources).to.have.length(10);
    });

    it("refuses bad arguments in the consumer too, naming the argument", () => {
        fs.writeFileSync(
            path.join(consumer, "bad.js"),
            `const pulumi = require("@pulumi/pulumi");
pulumi.runtime.setMocks({ newResource: (a) => ({ id: "x", state: a.inputs }), call: () => ({}) }, "consumer", "dev", false);
const { SecureBucket } = require("secure-bucket");
try { new SecureBucket("consumer-bad", { keyDeletionWindowInDays: 3 }); } catch (e) { console.log(e.name + ": " + e.message); }
`,
        );
        const run = spawnSync(process.execPath, ["bad.js"], { cwd: consumer, encoding: "utf8", timeout: 60_000 });
        expect(run.stdout).to.include("SecureBucketArgumentError").and.to.include("keyDeletionWindowInDays: 3 must be from 7 to 30");
    });
});
