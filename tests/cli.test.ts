/**
 * The CLI in-process: command-line parsing, `main` for help, usage and the errors that stop before
 * the engine, and the deployment commands run through the real automation module with a fake
 * workspace factory (no Pulumi CLI or cloud here). The compiled CLI as a separate process is
 * tests/e2e/cli.test.ts.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runEnvironments, type OperationCallbacks, type StackRequest, type StackWorkspace, type WorkspaceFactory } from "../automation";
import { runAutomationCommand, type Io, type RunEnvironments } from "../cli/automation";
import { parseCommandLine } from "../cli/commands";
import { main } from "../cli/main";
import { REPO } from "./helpers/build";
import { tempProject } from "./helpers/tempProject";

describe("CLI command line parsing", () => {
    it("repeats --stack for several environments, drops duplicates, and reads --concurrency", () => {
        expect(parseCommandLine(["up", "--stack", "dev", "--stack", "prod", "--stack", "dev", "--concurrency", "2"])).to.deep.equal({
            kind: "automation",
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
            expect(() => parseCommandLine(args), args.join(" "))
                .to.throw()
                .with.property("exitCode", 2);
        }
    });
});

/** A fake Pulumi: each stack prints two lines in chunks and succeeds, unless it is named "prod" and told to fail. */
function fakeFactory(options: { failProd?: boolean; log: string[] }): WorkspaceFactory & { maxRunning: number } {
    let running = 0;
    const factory = {
        maxRunning: 0,
        async ensureCli(): Promise<void> {},
        async openStack(request: StackRequest): Promise<StackWorkspace> {
            options.log.push(`open ${request.stackName}`);
            const work = async (callbacks: OperationCallbacks) => {
                running++;
                factory.maxRunning = Math.max(factory.maxRunning, running);
                callbacks.onOutput?.(`Previewing ${request.stackName}`);
                await new Promise((resolve) => setTimeout(resolve, 5));
                callbacks.onOutput?.(" ...\n + 10 to create\n");
                running--;
                if (options.failProd && request.stackName === "prod") throw new Error("error: AccessDenied for prod");
            };
            return {
                async up(callbacks) {
                    await work(callbacks);
                    return {
                        outputs: { bucketName: { value: `b-${request.stackName}`, secret: false } },
                        summary: { result: "succeeded", resourceChanges: { create: 10 } },
                    };
                },
                async preview(callbacks) {
                    await work(callbacks);
                    return { summary: { resourceChanges: { create: 10 } } };
                },
                async destroy(callbacks) {
                    await work(callbacks);
                    return { summary: { result: "succeeded", resourceChanges: { delete: 10 } } };
                },
                async outputs() {
                    return {
                        bucketName: { value: `b-${request.stackName}`, secret: false },
                        bucketPolicy: { value: '{"Version":"2012-10-17","Statement":[]}', secret: false },
                        token: { value: "s3cr3t", secret: true },
                    };
                },
            };
        },
    };
    return factory;
}

function capture(): Io & { out: string; err: string } {
    const io = {
        out: "",
        err: "",
        stdout: (text: string) => void (io.out += text),
        stderr: (text: string) => void (io.err += text),
    };
    return io;
}

describe("CLI deployment commands through automation/index (fake Pulumi)", () => {
    const ENV = { PULUMI_CONFIG_PASSPHRASE: "test" };
    const withFake =
        (factory: WorkspaceFactory) =>
        async (): Promise<RunEnvironments> =>
        (operation, stacks, options) =>
            runEnvironments(operation, stacks, { ...options, workspaceFactory: factory });

    it("preview of two stacks streams each line prefixed with its stack, then a status line each; exit 0", async () => {
        const log: string[] = [];
        const io = capture();
        const code = await runAutomationCommand({ operation: "preview", stacks: ["dev", "prod"], projectDir: REPO, env: ENV }, io, withFake(fakeFactory({ log })));
        expect(code).to.equal(0);
        expect(io.err).to.equal("");
        expect(io.out).to.include("[dev] Previewing dev ...\n[dev]  + 10 to create\n");
        expect(io.out).to.include("[prod] Previewing prod ...\n");
        expect(io.out).to.match(/^dev: preview succeeded \(create 10\)$/m);
        expect(io.out).to.match(/^prod: preview succeeded \(create 10\)$/m);
        expect(log.sort()).to.deep.equal(["open dev", "open prod"]);
    });

    it("passes --concurrency on: with 1, the stacks run one at a time", async () => {
        const factory = fakeFactory({ log: [] });
        const code = await runAutomationCommand({ operation: "preview", stacks: ["dev", "prod"], projectDir: REPO, concurrency: 1, env: ENV }, capture(), withFake(factory));
        expect(code).to.equal(0);
        expect(factory.maxRunning).to.equal(1);
    });

    it("up: exit 1 when any stack fails, naming it on stderr; the others still report", async () => {
        const io = capture();
        const code = await runAutomationCommand({ operation: "up", stacks: ["dev", "prod"], projectDir: REPO, env: ENV }, io, withFake(fakeFactory({ failProd: true, log: [] })));
        expect(code).to.equal(1);
        expect(io.err).to.include("prod: up failed: error: AccessDenied for prod");
        expect(io.out).to.match(/^dev: up succeeded \(create 10\)$/m);
        expect(io.out).not.to.match(/^prod: up succeeded/m);
    });

    it("outputs: one JSON document keyed by stack, policy documents parsed and secret outputs masked", async () => {
        const io = capture();
        const code = await runAutomationCommand({ operation: "outputs", stacks: ["prod"], projectDir: REPO, env: ENV }, io, withFake(fakeFactory({ log: [] })));
        expect(code).to.equal(0);
        const [document, status] = io.out.split("\n}\n");
        expect(JSON.parse(`${document}\n}`)).to.deep.equal({
            prod: { bucketName: "b-prod", bucketPolicy: { Version: "2012-10-17", Statement: [] }, token: "[secret]" },
        });
        expect(status).to.equal("prod: outputs succeeded\n");
    });

    it("no passphrase for the local backend: exit 1 naming PULUMI_CONFIG_PASSPHRASE, before the Automation API is loaded", async () => {
        let loaded = false;
        const load = async (): Promise<RunEnvironments> => {
            loaded = true;
            return withFake(fakeFactory({ log: [] }))();
        };
        let caught: unknown;
        try {
            await runAutomationCommand({ operation: "up", stacks: ["dev"], projectDir: REPO, env: {} }, capture(), load);
        } catch (error) {
            caught = error;
        }
        expect(caught).to.have.property("exitCode", 1);
        expect((caught as Error).message).to.include("PULUMI_CONFIG_PASSPHRASE");
        expect(loaded, "the Automation API was loaded").to.equal(false);
    });

    it("bad config in a stack: a CliError with exit 2 naming the stack and the key; nothing runs", async () => {
        const project = tempProject({ bad: "config:\n  aws:region: eu-west-1\n  secure-bucket:minimumTlsVersion: '1.1'\n" });
        try {
            const log: string[] = [];
            const io = capture();
            let caught: unknown;
            try {
                await runAutomationCommand({ operation: "up", stacks: ["dev", "bad"], projectDir: project, env: ENV }, io, withFake(fakeFactory({ log })));
            } catch (error) {
                caught = error;
            }
            expect(caught).to.have.property("exitCode", 2);
            expect((caught as Error).message).to.include("bad: secure-bucket:minimumTlsVersion");
            expect(log).to.deep.equal([]);
            expect(io.out).to.equal("");
        } finally {
            fs.rmSync(project, { recursive: true, force: true });
        }
    });
});

describe("CLI main in-process: help, usage, and errors raised before the engine", () => {
    async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
        const io = capture();
        const code = await main(args, io);
        return { code, out: io.out, err: io.err };
    }

    it("--help exits 0 for the top level and for each command, the usage on stdout", async () => {
        for (const args of [["--help"], ["-h"], ["plan", "--help"], ["preview", "--help"], ["up", "--help"], ["destroy", "-h"], ["outputs", "--help"]]) {
            const result = await run(args);
            expect(result.code, args.join(" ")).to.equal(0);
            expect(result.err, args.join(" ")).to.equal("");
            expect(result.out, args.join(" ")).to.match(/^Usage: secure-bucket /);
        }
    });

    it("unknown flag on a deployment command, unknown command, no command, missing --stack: exit 2 with a usage line", async () => {
        for (const args of [["up", "--stack", "dev", "--yes"], ["deploy"], [], ["plan"], ["preview"], ["plan", "dev"]]) {
            const result = await run(args);
            expect(result.code, args.join(" ")).to.equal(2);
            expect(result.out, args.join(" ")).to.equal("");
            expect(result.err, args.join(" ")).to.include("Usage: secure-bucket");
        }
    });

    it("unknown flag on plan: exit 2 naming the flag, with the plan usage", async () => {
        const result = await run(["plan", "--stack", "dev", "--jsn"]);
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
            });
        });
        after(() => fs.rmSync(project, { recursive: true, force: true }));

        it("a misspelt key, with --json: exit 2 naming the key, nothing on stdout", async () => {
            const result = await run(["plan", "--stack", "typo", "--json", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.out).to.equal("");
            expect(result.err).to.include("secure-bucket:reader:");
            expect(result.err).to.include("is not a config key of this project");
        });

        it("a stack without aws:region: exit 2 naming aws:region", async () => {
            const result = await run(["plan", "--stack", "noregion", "--cwd", project]);
            expect(result.code).to.equal(2);
            expect(result.out).to.equal("");
            expect(result.err).to.include("aws:region");
        });
    });

    it("--cwd without a Pulumi.yaml in or above it: exit 2", async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-empty-"));
        try {
            const result = await run(["plan", "--stack", "dev", "--cwd", empty]);
            expect(result.code).to.equal(2);
            expect(result.out).to.equal("");
            expect(result.err).to.include("No Pulumi.yaml");
        } finally {
            fs.rmSync(empty, { recursive: true, force: true });
        }
    });
});
