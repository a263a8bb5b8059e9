/**
 * `secure-bucket check`, the compiled CLI run as a user runs it: this repository's stacks pass every
 * mandatory rule (exit 0), a user's project with a raw bucket fails one (exit 3, the rule and its
 * controls named), and a bad policy config file is a mistake of the command line (exit 2). What each
 * rule judges is tests/compliance.test.ts's.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { builtCli, REPO } from "../helpers/build";
import { spawnRun, type Run } from "../helpers/spawnRun";

const CLI = builtCli();
const check = (args: string[]): Promise<Run> => spawnRun(process.execPath, [CLI, "check", ...args], { cwd: REPO, timeoutMs: 90_000 });

interface Report {
    stack: string;
    findings: { rule: string; controls: string[]; resource: string; status: string; message: string }[];
}

describe("CLI check", function () {
    this.timeout(180_000);
    let project: string;
    let runs: { dev: Run; raw: Run; rawJson: Run; badJson: Run; badLevel: Run };
    before(async () => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-check-"));
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(project, "node_modules"), "dir");
        fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: raw-app\nruntime: nodejs\n");
        fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
        fs.writeFileSync(path.join(project, "index.ts"), 'import * as aws from "@pulumi/aws";\nnew aws.s3.Bucket("raw");\n');
        fs.writeFileSync(path.join(project, "not-json.json"), "{ mandatory");
        fs.writeFileSync(path.join(project, "bad-level.json"), JSON.stringify({ "s3-bucket-public-access-block": "sometimes" }));
        const [dev, raw, rawJson, badJson, badLevel] = await Promise.all([
            check(["--stack", "dev", "--json"]),
            check(["--stack", "dev", "--cwd", project]),
            check(["--stack", "dev", "--cwd", project, "--json"]),
            check(["--stack", "dev", "--cwd", project, "--config", path.join(project, "not-json.json")]),
            check(["--stack", "dev", "--cwd", project, "--config", path.join(project, "bad-level.json")]),
        ]);
        runs = { dev, raw, rawJson, badJson, badLevel };
    });
    after(() => {
        if (project) fs.rmSync(project, { recursive: true, force: true });
    });

    it("this repository's dev stack: exit 0, one JSON document of findings, no mandatory rule failing", () => {
        expect(runs.dev.status, runs.dev.stderr).to.equal(0);
        const report = JSON.parse(runs.dev.stdout) as Report;
        expect(report.stack).to.equal("dev");
        expect(report.findings.length).to.be.above(0);
        for (const f of report.findings) expect(Object.keys(f)).to.deep.equal(["rule", "controls", "resource", "status", "message"]);
    });

    it("a user's raw bucket without a public access block: exit 3, the failing rule named with its controls", () => {
        expect(runs.raw.status, runs.raw.stderr).to.equal(3);
        expect(runs.raw.stdout).to.match(/FAIL {2}s3-bucket-public-access-block \(mandatory\) \[S3\.8/);
        const report = JSON.parse(runs.rawJson.stdout) as Report;
        expect(runs.rawJson.status).to.equal(3);
        const failed = report.findings.find((f) => f.rule === "s3-bucket-public-access-block");
        expect(failed).to.deep.include({ status: "fail", resource: "urn:pulumi:dev::raw-app::aws:s3/bucket:Bucket::raw" });
        expect(failed?.controls).to.include("S3.8");
    });

    it("a policy config file that is not JSON, or names a level that does not exist: exit 2 naming it, nothing on stdout", () => {
        expect(runs.badJson.status).to.equal(2);
        expect(runs.badJson.stdout).to.equal("");
        expect(runs.badJson.stderr).to.include("not-json.json: not valid JSON");
        expect(runs.badLevel.status).to.equal(2);
        expect(runs.badLevel.stdout).to.equal("");
        expect(runs.badLevel.stderr).to.include('policy config "s3-bucket-public-access-block": "sometimes" is not an enforcement level');
    });
});
