/**
 * `secure-bucket verify` as a user runs it (the CLI from the sources, its own process, credentials
 * from the environment as the SDK's default chain reads them), against moto: exit 0 and no drift on
 * a bucket set up as `plan --json` says, exit 3 naming the drift, and the `--bucket --key-arn` mode.
 */
import { PutBucketVersioningCommand } from "@aws-sdk/client-s3";
import { expect } from "chai";
import * as fs from "fs";
import type { PlanDocument } from "../../cli/planJson";
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from "../../cli/exitCodes";
import { AwsClients, awsClients } from "../../verify/clients";
import type { VerifyReport } from "../../verify";
import type { Run } from "../helpers/spawnRun";
import { tempProject } from "../helpers/tempProject";
import { runCli } from "./cli";
import { Applied, applyPlan } from "./applyPlan";
import { MOTO_ACCOUNT, MOTO_CREDENTIALS, Moto, resetMoto, startMoto } from "./moto";

const STACK = `config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["${MOTO_ACCOUNT}"]
  secure-bucket:bucketName: verify-cli-bucket
  secure-bucket:protect: false
`;

describe("secure-bucket verify, the command, against the emulator (moto)", function () {
    let moto: Moto;
    let clients: AwsClients;
    let projectDir: string;
    let applied: Applied;

    const cli = (args: string[]): Promise<Run> => runCli(projectDir, args);
    const report = (run: Run): VerifyReport => JSON.parse(run.stdout) as VerifyReport;
    const drift = (run: Run): string[] => report(run).checks.filter((c) => c.verdict === "drift").map((c) => c.name);

    before(async function () {
        moto = await startMoto();
        clients = awsClients({ region: "us-east-1", endpointUrl: moto.endpoint, credentials: MOTO_CREDENTIALS });
        projectDir = tempProject({ emu: STACK });
        const planned = await cli(["plan", "--stack", "emu", "--json"]);
        expect(planned.status, planned.stderr).to.equal(EXIT_OK);
        await resetMoto(moto);
        applied = await applyPlan(clients, JSON.parse(planned.stdout) as PlanDocument, `arn:aws:iam::${MOTO_ACCOUNT}:role/deployer`);
    });
    after(async function () {
        await moto?.stop();
        if (projectDir !== undefined) fs.rmSync(projectDir, { recursive: true, force: true });
    });

    it("--stack: exits 0 with no drift, then 3 naming versioning once it is suspended", async function () {
        const clean = await cli(["verify", "--stack", "emu", "--endpoint-url", moto.endpoint, "--json"]);
        expect(clean.status, clean.stderr).to.equal(EXIT_OK);
        expect(drift(clean)).to.deep.equal([]);
        expect(report(clean).summary.pass).to.be.greaterThan(10);

        await clients.s3.send(new PutBucketVersioningCommand({ Bucket: applied.bucket, VersioningConfiguration: { Status: "Suspended" } }));
        try {
            const drifted = await cli(["verify", "--stack", "emu", "--endpoint-url", moto.endpoint]);
            expect(drifted.status, drifted.stderr).to.equal(EXIT_FINDINGS);
            expect(drifted.stdout).to.match(/DRIFT {2}versioning\n {11}expected: "Enabled"\n {11}found: {4}"Suspended"/);
        } finally {
            await clients.s3.send(new PutBucketVersioningCommand({ Bucket: applied.bucket, VersioningConfiguration: { Status: "Enabled" } }));
        }
    });

    it("--bucket --key-arn: compares with what SecureBucket creates by default, and exits 0", async function () {
        const run = await cli(["verify", "--bucket", applied.bucket, "--key-arn", applied.keyArn, "--endpoint-url", moto.endpoint, "--skip-probes", "--json"]);
        expect(run.status, run.stderr).to.equal(EXIT_OK);
        expect(drift(run)).to.deep.equal([]);
        expect(report(run).checks.map((c) => c.name)).to.not.include("probe.uploadWithoutEncryptionHeaders");
    });

    it("refuses a command line with neither --stack nor --bucket and --key-arn (exit 2)", async function () {
        const run = await cli(["verify", "--bucket", "x"]);
        expect(run.status).to.equal(EXIT_USAGE);
        expect(run.stderr).to.include("give --stack <env>, or --bucket <name> with --key-arn <arn>");
    });
});
