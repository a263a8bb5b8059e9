/**
 * The CLI in-process: command-line parsing; `main` for help, usage and the errors found before
 * anything runs; the exit code and message of each failure (cli/exitCodes.ts); and the deployment
 * commands, which `main` checks once (prepareRun) before it loads what runs them, then runs that very
 * run through automation/run on the shared fake workspace factory (no Pulumi CLI or cloud here). The
 * compiled CLI as a separate process is tests/e2e/cli.test.ts.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { checkPassphrase, MissingPassphraseError, resolveBackend } from "../automation/backend";
import { RunRequestError, type PreparedRun } from "../automation/preflight";
import { PulumiCliMissingError } from "../automation/pulumiCli";
import { runPrepared } from "../automation/run";
import { parseCommandLine } from "../cli/commands";
import type { RunPrepared } from "../cli/deploy";
import { failure, UsageError } from "../cli/exitCodes";
import { main } from "../cli/main";
import { StackConfigError } from "../program/stackConfig";
import { UnknownStackError } from "../program/stackFile";
import { thrownBy } from "./helpers/errors";
import { FakeWorkspaceFactory, type StackScript } from "./helpers/fakeWorkspace";
import { PROJECT_DIR, stackConfig } from "./helpers/stackFile";
import { tempProject } from "./helpers/tempProject";

const ENV = { PULUMI_CONFIG_PASSPHRASE: "test" };

/** What a `main` call did: its exit code, what it wrote, and what its `load` was asked for. */
interface Outcome {
    code: number;
    out: string;
    err: string;
    /** How many times `main` loaded what runs deployments. */
    loads: number;
    /** The runs handed to what it loaded, in order. */
    runs: PreparedRun[];
}

interface CliOptions {
    /** The environment `main` reads. @default a passphrase, nothing else */
    env?: NodeJS.ProcessEnv;
    factory?: FakeWorkspaceFactory;
    /** Called when `main` loads what runs deployments. */
    onLoad?: () => void;
}

/** `main` in-process, its output captured. What it loads runs each run through automation/run on `factory`. */
async function cli(args: string[], options: CliOptions = {}): Promise<Outcome> {
    const outcome: Outcome = { code: -1, out: "", err: "", loads: 0, runs: [] };
    const factory = options.factory ?? new FakeWorkspaceFactory();
    const load = async (): Promise<RunPrepared> => {
        outcome.loads++;
        options.onLoad?.();
        return (run, callbacks) => {
            outcome.runs.push(run);
            return runPrepared(run, { ...callbacks, workspaceFactory: factory });
        };
    };
    const io = { stdout: (text: string) => void (outcome.out += text), stderr: (text: string) => void (outcome.err += text), env: options.env ?? ENV };
    outcome.code = await main(args, io, load);
    return outcome;
}

describe("CLI command line parsing", () => {
    it("repeats --stack for several environments, drops duplicates, and reads --concurrency", () => {
        expect(parseCommandLine(["up", "--stack", "dev", "--stack", "prod", "--stack", "dev", "--concurrency", "2"])).to.deep.equal({
            kind: "deploy",
            operation: "up",
            stacks: ["dev", "prod"],
            concurrency: 2,
            cwd: undefined,
        });
    });

    it("refuses a --concurrency that is not a whole number of at least 1, and --json or several stacks mixed up", () => {
        for (const args of [
            ["up", "--stack", "dev", "--concurrency", "0"],
            ["up", "--stack", "dev", "--concurrency", "1.5"],
            ["preview", "--stack", "dev", "--json"],
            ["plan", "--stack", "dev", "--concurrency", "2"],
            ["plan", "--stack", "dev", "--stack", "prod"],
        ]) {
            expect(thrownBy(UsageError, () => parseCommandLine(args)).message, args.join(" ")).to.include("Usage: secure-bucket");
        }
    });
});

describe("CLI exit codes: failure() in cli/exitCodes.ts decides them all", () => {
    it("usage, a run that cannot be asked for, an unknown stack and bad config exit 2; no passphrase and no Pulumi CLI exit 1; each shows its message alone, even with SECURE_BUCKET_DEBUG", () => {
        const noPassphrase = thrownBy(MissingPassphraseError, () => checkPassphrase({}, resolveBackend({}, { projectDir: "/p" })));
        const cases: [Error, number][] = [
            [new UsageError("secure-bucket: no command given"), 2],
            [new RunRequestError('Invalid stack name "../dev"'), 2],
            [new UnknownStackError(["qa"], ["dev", "prod"], "/p"), 2],
            [new StackConfigError(["qa: aws:region: required"]), 2],
            [noPassphrase, 1],
            [new PulumiCliMissingError(), 1],
        ];
        for (const [error, code] of cases) {
            expect(failure(error, {}), error.name).to.deep.equal({ code, stderr: `${error.message}\n` });
            expect(failure(error, { SECURE_BUCKET_DEBUG: "1" }), `${error.name}, SECURE_BUCKET_DEBUG=1`).to.deep.equal({ code, stderr: `${error.message}\n` });
        }
    });

    it("anything else exits 1 with its message, and its stack trace only when SECURE_BUCKET_DEBUG is set and not empty", () => {
        const error = new Error("the bucket policy is over AWS's size limit");
        const plain = { code: 1, stderr: "secure-bucket: failed: the bucket policy is over AWS's size limit\n(set SECURE_BUCKET_DEBUG=1 for the stack trace)\n" };
        expect(failure(error, {})).to.deep.equal(plain);
        expect(failure(error, { SECURE_BUCKET_DEBUG: "" })).to.deep.equal(plain);
        const debug = failure(error, { SECURE_BUCKET_DEBUG: "1" });
        expect(debug).to.deep.equal({ code: 1, stderr: `${error.stack}\n` });
        expect(debug.stderr).to.match(/^Error: the bucket policy is over AWS's size limit\n\s+at /);
        expect(failure("not an Error", {})).to.deep.equal({ code: 1, stderr: "secure-bucket: failed: not an Error\n" });
    });
});

describe("CLI deployment commands: checked once, then run through automation/run (fake Pulumi)", () => {
    const cwd = ["--cwd", PROJECT_DIR];
    /** Each stack prints a line in two chunks. */
    const chunked = (...stacks: string[]): Record<string, StackScript> =>
        Object.fromEntries(stacks.map((stack) => [stack, { output: [`Previewing ${stack}`, " ...\n + 11 to create\n"] }]));

    it("preview of two stacks streams each line prefixed with its stack, then a status line each; exit 0", async () => {
        const factory = new FakeWorkspaceFactory({ scripts: chunked("dev", "prod") });
        const result = await cli(["preview", "--stack", "dev", "--stack", "prod", ...cwd], { factory });
        expect(result.code).to.equal(0);
        expect(result.err).to.equal("");
        expect(result.out).to.include("[dev] Previewing dev ...\n[dev]  + 11 to create\n");
        expect(result.out).to.include("[prod] Previewing prod ...\n");
        expect(result.out).to.match(/^dev: preview succeeded \(create 11\)$/m);
        expect(result.out).to.match(/^prod: preview succeeded \(create 11\)$/m);
        expect(factory.requests.map((r) => r.stackName).sort()).to.deep.equal(["dev", "prod"]);
    });

    it("passes --concurrency on: with 1, the stacks run one at a time", async () => {
        const factory = new FakeWorkspaceFactory({ scripts: chunked("dev", "prod") });
        const result = await cli(["preview", "--stack", "dev", "--stack", "prod", "--concurrency", "1", ...cwd], { factory });
        expect(result.code).to.equal(0);
        expect(factory.maxRunning).to.equal(1);
    });

    it("up: exit 1 when any stack fails, naming it on stderr; the others still report", async () => {
        const factory = new FakeWorkspaceFactory({ scripts: { prod: { operationError: new Error("error: AccessDenied for prod") } } });
        const result = await cli(["up", "--stack", "dev", "--stack", "prod", ...cwd], { factory });
        expect(result.code).to.equal(1);
        expect(result.err).to.include("prod: up failed: error: AccessDenied for prod");
        expect(result.out).to.match(/^dev: up succeeded \(create 11\)$/m);
        expect(result.out).not.to.match(/^prod: up succeeded/m);
    });

    it("outputs: one JSON document keyed by stack, policy documents parsed and secret outputs masked", async () => {
        const outputs = { bucketName: "b-prod", bucketPolicy: '{"Version":"2012-10-17","Statement":[]}', token: "s3cr3t" };
        const factory = new FakeWorkspaceFactory({ scripts: { prod: { outputs: { outputs, secretOutputs: ["token"] } } } });
        const result = await cli(["outputs", "--stack", "prod", ...cwd], { factory });
        expect(result.code).to.equal(0);
        const [document, status] = result.out.split("\n}\n");
        expect(JSON.parse(`${document}\n}`)).to.deep.equal({
            prod: { bucketName: "b-prod", bucketPolicy: { Version: "2012-10-17", Statement: [] }, token: "[secret]" },
        });
        expect(status).to.equal("prod: outputs succeeded\n");
    });

    it("runs the run it checked, once: what it loads is handed that run, and nothing reads the stack files again", async () => {
        const project = tempProject({});
        try {
            const factory = new FakeWorkspaceFactory();
            const result = await cli(["up", "--stack", "dev", "--cwd", project], {
                factory,
                // Once checked, the stack file goes: checking or reading it again would fail.
                onLoad: () => fs.rmSync(path.join(project, "Pulumi.dev.yaml")),
            });
            expect(result.err).to.equal("");
            expect(result.code).to.equal(0);
            expect(result.loads).to.equal(1);
            expect(result.runs).to.have.length(1);
            const [checked] = result.runs;
            expect(checked).to.deep.include({ operation: "up", stacks: ["dev"], projectDir: project });
            const request = factory.request("dev");
            expect(request.config).to.equal(checked.environments.get("dev")?.config);
            expect(request.config).to.deep.equal(stackConfig("dev"));
            // The project's own program (its Pulumi.yaml's), which the Pulumi CLI runs in the project folder: nothing inline.
            expect(request.program).to.equal(undefined);
            expect(request.projectDir).to.equal(project);
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });

    describe("mistakes the checks find: reported without loading the Automation API", () => {
        let project: string;
        before(() => (project = tempProject({ bad: "config:\n  aws:region: eu-west-1\n  secure-bucket:minimumTlsVersion: '1.1'\n" })));
        after(() => fs.rmSync(project, { recursive: true, force: true }));

        it("bad config in a stack: exit 2 naming the stack and the key; nothing runs", async () => {
            const result = await cli(["up", "--stack", "dev", "--stack", "bad", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.err).to.include("bad: secure-bucket:minimumTlsVersion");
            expect(result.out).to.equal("");
            expect(result.loads).to.equal(0);
        });

        it("unknown stacks: exit 2 naming every one of them and the known stacks", async () => {
            const result = await cli(["preview", "--stack", "qa", "--stack", "dev", "--stack", "staging", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.err).to.equal(`Unknown stacks "qa", "staging": no Pulumi.qa.yaml, Pulumi.staging.yaml in ${project}. Known stacks: bad, dev, prod\n`);
            expect(result.out).to.equal("");
            expect(result.loads).to.equal(0);
        });

        it("a stack name Pulumi refuses: exit 2 naming it", async () => {
            const result = await cli(["up", "--stack", "../dev", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.err).to.equal('Invalid stack name "../dev": use letters, digits, "-", "_" and "."\n');
            expect(result.loads).to.equal(0);
        });

        it("no passphrase for the local backend: exit 1 naming PULUMI_CONFIG_PASSPHRASE", async () => {
            const result = await cli(["up", "--stack", "dev", "--cwd", project], { env: {} });
            expect(result.code).to.equal(1);
            expect(result.err).to.include("PULUMI_CONFIG_PASSPHRASE");
            expect(result.out).to.equal("");
            expect(result.loads).to.equal(0);
        });
    });
});

describe("CLI main in-process: help, usage, and errors raised before the engine", () => {
    it("--help exits 0 for the top level and for each command, the usage on stdout", async () => {
        for (const args of [["--help"], ["-h"], ["plan", "--help"], ["preview", "--help"], ["up", "--help"], ["destroy", "-h"], ["outputs", "--help"]]) {
            const result = await cli(args);
            expect(result.code, args.join(" ")).to.equal(0);
            expect(result.err, args.join(" ")).to.equal("");
            expect(result.out, args.join(" ")).to.match(/^Usage: secure-bucket /);
        }
    });

    it("unknown flag on a deployment command, unknown command, no command, missing --stack: exit 2 with a usage line", async () => {
        for (const args of [["up", "--stack", "dev", "--yes"], ["deploy"], [], ["plan"], ["preview"], ["plan", "dev"]]) {
            const result = await cli(args);
            expect(result.code, args.join(" ")).to.equal(2);
            expect(result.out, args.join(" ")).to.equal("");
            expect(result.err, args.join(" ")).to.include("Usage: secure-bucket");
        }
    });

    it("unknown flag on plan: exit 2 naming the flag, with the plan usage", async () => {
        const result = await cli(["plan", "--stack", "dev", "--jsn"]);
        expect(result.code).to.equal(2);
        expect(result.out).to.equal("");
        expect(result.err).to.include("'--jsn'");
        expect(result.err).to.include("Usage: secure-bucket plan --stack <env>");
    });

    describe("plan with bad config", () => {
        let project: string;
        before(() => {
            project = tempProject({
                typo: "config:\n  aws:region: eu-west-1\n  secure-bucket:reader:\n    - arn:aws:iam::111111111111:role/app\n",
                noregion: "config:\n  secure-bucket:readers:\n    - arn:aws:iam::111111111111:role/app\n",
                unclosed: "config:\n  aws:region: eu-west-1\n  secure-bucket:readers: [arn:aws:iam::111111111111:role/app\n  secure-bucket:protect: false\n",
            });
        });
        after(() => fs.rmSync(project, { recursive: true, force: true }));

        it("a misspelt key, with --json: exit 2 naming the key, nothing on stdout", async () => {
            const result = await cli(["plan", "--stack", "typo", "--json", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.out).to.equal("");
            expect(result.err).to.include("secure-bucket:reader:");
            expect(result.err).to.include("is not a config key of this project");
        });

        it("a stack without aws:region: exit 2 naming aws:region", async () => {
            const result = await cli(["plan", "--stack", "noregion", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.out).to.equal("");
            expect(result.err).to.include("aws:region");
        });

        it("a stack file that is not valid YAML: exit 2 naming the file and the line, no stack trace", async () => {
            const result = await cli(["plan", "--stack", "unclosed", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.out).to.equal("");
            expect(result.err).to.match(/^\S*Pulumi\.unclosed\.yaml, line 4: /);
            expect(result.err).to.include("at line 4, column 3");
            expect(result.err).not.to.match(/\n\s+at /);
        });
    });

    it("--cwd without a Pulumi.yaml in or above it: exit 2", async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-empty-"));
        try {
            const result = await cli(["plan", "--stack", "dev", "--cwd", empty]);
            expect(result.code).to.equal(2);
            expect(result.out).to.equal("");
            expect(result.err).to.include("No Pulumi.yaml");
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});
