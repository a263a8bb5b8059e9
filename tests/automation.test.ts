/**
 * The Automation API module through its seam: a fake WorkspaceFactory records what it is asked to
 * open (stack, config, backend, environment variables) and answers with canned results, so every
 * rule is tested without a Pulumi CLI or a cloud account. The real factory is exercised only where
 * it needs no CLI: looking for one that is not there.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import {
    backendKind,
    checkPassphrase,
    createLocalWorkspaceFactory,
    EnvironmentResult,
    EnvironmentSettings,
    MissingPassphraseError,
    OperationCallbacks,
    OperationSummary,
    PULUMI_INSTALL_URL,
    PulumiCliMissingError,
    PulumiCommandError,
    resolveBackend,
    runEnvironments,
    RunOptions,
    secureBucketInlineProgram,
    StackConfigError,
    StackOutputs,
    StackRequest,
    stackWorkDir,
    StackWorkspace,
    toStackConfig,
    UnknownStackError,
    WorkspaceFactory,
} from "../automation";
import { PROJECT_DIR, stackConfig } from "./helpers/stackFile";

const PASSPHRASE = "correct horse battery staple";
/** An environment with a passphrase and nothing else: the default local backend can run. */
const ENV: NodeJS.ProcessEnv = { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE };

const QA: EnvironmentSettings = {
    region: "eu-central-1",
    administrators: ["arn:aws:iam::444444444444:role/qa-admin"],
    readers: ["arn:aws:iam::444444444444:role/qa-app", "arn:aws:iam::222222222222:role/analytics-reader"],
    writers: ["arn:aws:iam::444444444444:role/qa-app"],
    protect: false,
    keyRotationPeriodInDays: 180,
    minimumTlsVersion: "1.3",
    tags: { environment: "qa", "cost-centre": "42" },
};

/** What the fake does for one stack. */
interface Script {
    /** Chunks the operation "prints", in order. */
    output?: string[];
    /** Thrown by openStack. */
    openError?: Error;
    /** Thrown by the operation, after its output. */
    operationError?: Error;
    /** Outputs returned by `up` and `outputs`. */
    outputs?: StackOutputs;
}

const SUMMARY: OperationSummary = { result: "succeeded", resourceChanges: { create: 11 } };

/** Records every call; answers from per-stack scripts; tracks how many operations run at once. */
class FakeFactory implements WorkspaceFactory {
    readonly requests: StackRequest[] = [];
    readonly operations: string[] = [];
    ensureCliCalls = 0;
    active = 0;
    maxActive = 0;

    constructor(
        private readonly scripts: Record<string, Script> = {},
        private readonly cliError?: unknown,
    ) {}

    async ensureCli(): Promise<void> {
        this.ensureCliCalls++;
        if (this.cliError !== undefined) throw this.cliError;
    }

    async openStack(request: StackRequest): Promise<StackWorkspace> {
        this.requests.push(request);
        const script = this.scripts[request.stackName] ?? {};
        await tick();
        if (script.openError) throw script.openError;
        const outputs = script.outputs ?? { bucketName: { value: `bucket-${request.stackName}`, secret: false } };
        const run = async (operation: string, callbacks?: OperationCallbacks): Promise<void> => {
            this.operations.push(`${request.stackName}:${operation}`);
            this.active++;
            this.maxActive = Math.max(this.maxActive, this.active);
            try {
                for (const chunk of script.output ?? []) {
                    callbacks?.onOutput?.(chunk);
                    await tick();
                }
                await tick();
                if (script.operationError) throw script.operationError;
            } finally {
                this.active--;
            }
        };
        return {
            up: async (callbacks) => {
                await run("up", callbacks);
                return { outputs, summary: SUMMARY };
            },
            preview: async (callbacks) => {
                await run("preview", callbacks);
                return { summary: { resourceChanges: { create: 11 } } };
            },
            destroy: async (callbacks) => {
                await run("destroy", callbacks);
                return { summary: { result: "succeeded", resourceChanges: { delete: 11 } } };
            },
            outputs: async () => {
                await run("outputs");
                return outputs;
            },
        };
    }

    request(stack: string): StackRequest {
        const found = this.requests.filter((r) => r.stackName === stack);
        expect(found, `requests for ${stack}`).to.have.length(1);
        return found[0];
    }
}

/** Lets other tasks run: a macrotask turn, so that concurrent lanes really overlap. */
function tick(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
}

function run(factory: FakeFactory, operation: Parameters<typeof runEnvironments>[0], stacks: string[], options: RunOptions = {}): Promise<EnvironmentResult[]> {
    return runEnvironments(operation, stacks, { projectDir: PROJECT_DIR, env: ENV, workspaceFactory: factory, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
        await promise;
    } catch (error) {
        expect(error).to.be.instanceOf(Error);
        return error as Error;
    }
    throw new Error("expected the call to fail, and it succeeded");
}

function expectNothingRan(factory: FakeFactory): void {
    expect(factory.requests, "stacks opened").to.have.length(0);
    expect(factory.operations, "operations run").to.have.length(0);
}

describe("automation: runEnvironments through the WorkspaceFactory seam", () => {
    describe("config", () => {
        it("sets exactly the config of Pulumi.dev.yaml on the dev stack, with the inline program", async () => {
            const factory = new FakeFactory();
            const results = await run(factory, "up", ["dev"]);
            expect(results.map((r) => [r.stack, r.ok])).to.deep.equal([["dev", true]]);
            const request = factory.request("dev");
            expect(request.config).to.deep.equal(stackConfig("dev"));
            // The file's values as the engine would hand them over, spelled out.
            expect(request.config["aws:region"]).to.equal("eu-west-1");
            expect(request.config["secure-bucket:protect"]).to.equal("false");
            expect(request.config["secure-bucket:keyDeletionWindowInDays"]).to.equal("7");
            expect(JSON.parse(request.config["secure-bucket:readers"])).to.deep.equal([
                "arn:aws:iam::111111111111:role/app-dev",
                "arn:aws:iam::222222222222:role/analytics-reader",
            ]);
            expect(request.projectName).to.equal("secure-bucket");
            expect(request.program).to.equal(secureBucketInlineProgram);
            expect(request.create, "up creates the stack when missing").to.equal(true);
        });

        it("converts a typed config object to the stack-file config map, without needing a stack file", async () => {
            const factory = new FakeFactory();
            await run(factory, "preview", ["qa"], { config: { qa: QA } });
            expect(factory.request("qa").config).to.deep.equal({
                "aws:region": "eu-central-1",
                "secure-bucket:administrators": '["arn:aws:iam::444444444444:role/qa-admin"]',
                "secure-bucket:readers": '["arn:aws:iam::444444444444:role/qa-app","arn:aws:iam::222222222222:role/analytics-reader"]',
                "secure-bucket:writers": '["arn:aws:iam::444444444444:role/qa-app"]',
                "secure-bucket:protect": "false",
                "secure-bucket:keyRotationPeriodInDays": "180",
                "secure-bucket:minimumTlsVersion": "1.3",
                "secure-bucket:tags": '{"environment":"qa","cost-centre":"42"}',
            });
        });

        it("typed config for an environment that has a stack file replaces the file", async () => {
            const factory = new FakeFactory();
            await run(factory, "up", ["dev"], { config: { dev: { region: "ap-southeast-2" } } });
            expect(factory.request("dev").config).to.deep.equal({ "aws:region": "ap-southeast-2" });
        });

        it("refuses a bad typed value before anything runs, naming the stack and the config key", async () => {
            const factory = new FakeFactory();
            const error = await rejection(run(factory, "up", ["qa"], { config: { qa: { ...QA, keyRotationPeriodInDays: 30 } } }));
            expect(error).to.be.instanceOf(StackConfigError);
            expect(error.message).to.include("qa: secure-bucket:keyRotationPeriodInDays: 30 must be from 90 to 2560");
            expectNothingRan(factory);
            expect(factory.ensureCliCalls).to.equal(0);
        });

        it("reports every bad value of every environment at once, with wrong types and unknown keys named", async () => {
            const factory = new FakeFactory();
            const wrong = { region: "", readers: "arn:aws:iam::444444444444:role/qa-app", reader: ["x"] } as unknown as EnvironmentSettings;
            const error = await rejection(
                run(factory, "up", ["dev", "qa", "staging"], {
                    config: { qa: wrong, staging: { region: "eu-west-1", bucketName: "Bad_Name" } },
                }),
            );
            expect(error).to.be.instanceOf(StackConfigError);
            const problems = (error as StackConfigError).problems;
            expect(problems.some((p) => p.startsWith("qa: aws:region:"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("qa: secure-bucket:readers:") && p.includes("must be a YAML list"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("qa: secure-bucket:reader:") && p.includes("is not a config key"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("staging: secure-bucket:bucketName:"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("dev:")), "dev's config is good").to.equal(false);
            expectNothingRan(factory);
        });

        it("toStackConfig leaves unset settings out", () => {
            expect(toStackConfig({ region: "eu-west-1", bucketName: undefined, versioning: false })).to.deep.equal({
                "aws:region": "eu-west-1",
                "secure-bucket:versioning": "false",
            });
        });

        it("an unknown stack is an UnknownStackError listing the known stacks, and nothing runs", async () => {
            const factory = new FakeFactory();
            const error = await rejection(run(factory, "up", ["dev", "staging"]));
            expect(error).to.be.instanceOf(UnknownStackError);
            expect(error.message).to.include('Unknown stack "staging"');
            expect((error as UnknownStackError).knownStacks).to.include.members(["dev", "prod"]);
            expect(error.message).to.match(/Known stacks: .*dev.*prod/);
            expectNothingRan(factory);
        });

        it("refuses a stack name that is not a Pulumi stack name (no path tricks) before reading anything", async () => {
            const factory = new FakeFactory();
            const error = await rejection(run(factory, "up", ["../dev"]));
            expect(error.message).to.include('Invalid stack name "../dev"');
            expectNothingRan(factory);
        });
    });

    describe("backend and passphrase", () => {
        it("defaults to a local file backend in <project>/.pulumi-state, with the passphrase passed on", async () => {
            const factory = new FakeFactory();
            await run(factory, "up", ["dev"]);
            const request = factory.request("dev");
            const stateDir = path.join(PROJECT_DIR, ".pulumi-state");
            expect(request.envVars.PULUMI_BACKEND_URL).to.equal(`file://${stateDir}`);
            expect(request.backend).to.deep.include({ url: `file://${stateDir}`, kind: "local", source: "default", stateDir });
            expect(request.envVars.PULUMI_CONFIG_PASSPHRASE).to.equal(PASSPHRASE);
            expect(request.workDir.startsWith(stateDir + path.sep), "the stack's workspace files are kept under the state folder").to.equal(true);
        });

        it("honours a custom stateDir, absolute or relative to the project", async () => {
            const absolute = new FakeFactory();
            await run(absolute, "up", ["dev"], { stateDir: "/var/tmp/sb-state" });
            expect(absolute.request("dev").envVars.PULUMI_BACKEND_URL).to.equal("file:///var/tmp/sb-state");
            const relative = new FakeFactory();
            await run(relative, "up", ["dev"], { stateDir: "state/local" });
            expect(relative.request("dev").envVars.PULUMI_BACKEND_URL).to.equal(`file://${path.join(PROJECT_DIR, "state", "local")}`);
        });

        it("PULUMI_BACKEND_URL wins over the embedded state and over stateDir", async () => {
            const factory = new FakeFactory();
            await run(factory, "up", ["dev"], { stateDir: "/var/tmp/sb-state", env: { ...ENV, PULUMI_BACKEND_URL: "s3://team-pulumi-state/secure-bucket" } });
            const request = factory.request("dev");
            expect(request.envVars.PULUMI_BACKEND_URL).to.equal("s3://team-pulumi-state/secure-bucket");
            expect(request.backend).to.deep.equal({ url: "s3://team-pulumi-state/secure-bucket", kind: "self-managed", source: "PULUMI_BACKEND_URL" });
        });

        it("a local backend without a passphrase is a clear error, and nothing runs", async () => {
            const factory = new FakeFactory();
            const error = await rejection(run(factory, "up", ["dev", "prod"], { env: {} }));
            expect(error).to.be.instanceOf(MissingPassphraseError);
            expect(error.message).to.include("Neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set");
            expect(error.message).to.include(`file://${path.join(PROJECT_DIR, ".pulumi-state")}`);
            expectNothingRan(factory);
            expect(factory.ensureCliCalls).to.equal(0);
        });

        it("an empty passphrase is refused, never used silently (even with a passphrase file set)", async () => {
            const factory = new FakeFactory();
            const error = await rejection(run(factory, "up", ["dev"], { env: { PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/p" } }));
            expect(error).to.be.instanceOf(MissingPassphraseError);
            expect(error.message).to.include("PULUMI_CONFIG_PASSPHRASE is set but empty");
            expectNothingRan(factory);
        });

        it("a passphrase file is enough; a relative one is made absolute, since Pulumi runs in another folder", async () => {
            const factory = new FakeFactory();
            await run(factory, "up", ["dev"], { env: { PULUMI_CONFIG_PASSPHRASE_FILE: "secrets/passphrase.txt" } });
            expect(factory.request("dev").envVars.PULUMI_CONFIG_PASSPHRASE_FILE).to.equal(path.resolve("secrets/passphrase.txt"));
            expect(factory.request("dev").envVars.PULUMI_CONFIG_PASSPHRASE).to.equal(undefined);
        });

        it("an S3 backend still needs a passphrase (its default secrets provider is the passphrase one)", async () => {
            const factory = new FakeFactory();
            const error = await rejection(run(factory, "up", ["dev"], { env: { PULUMI_BACKEND_URL: "s3://team-pulumi-state" } }));
            expect(error).to.be.instanceOf(MissingPassphraseError);
            expect(error.message).to.include("s3://team-pulumi-state");
            expectNothingRan(factory);
        });

        it("Pulumi Cloud needs no passphrase", async () => {
            const factory = new FakeFactory();
            const results = await run(factory, "up", ["dev"], { env: { PULUMI_BACKEND_URL: "https://api.pulumi.com" } });
            expect(results[0].ok).to.equal(true);
            expect(factory.request("dev").envVars.PULUMI_BACKEND_URL).to.equal("https://api.pulumi.com");
            expect(factory.request("dev").backend.kind).to.equal("cloud");
        });

        it("classifies backend URLs and applies the passphrase rule to each kind", () => {
            expect(backendKind("file:///srv/state")).to.equal("local");
            expect(backendKind("https://api.pulumi.com")).to.equal("cloud");
            expect(backendKind("http://pulumi.internal:8080")).to.equal("cloud");
            for (const url of ["s3://b", "gs://b", "azblob://c", "postgres://db/state"]) expect(backendKind(url), url).to.equal("self-managed");
            const cloud = resolveBackend({ PULUMI_BACKEND_URL: "https://api.pulumi.com" }, { projectDir: "/p" });
            expect(checkPassphrase({}, cloud)).to.equal(undefined);
            const local = resolveBackend({ PULUMI_BACKEND_URL: "  " }, { projectDir: "/p" });
            expect(local.url, "a blank PULUMI_BACKEND_URL is not set").to.equal("file:///p/.pulumi-state");
            expect(checkPassphrase({ PULUMI_CONFIG_PASSPHRASE: "x" }, local)).to.equal("PULUMI_CONFIG_PASSPHRASE");
            expect(checkPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: "/x" }, local)).to.equal("PULUMI_CONFIG_PASSPHRASE_FILE");
            expect(() => checkPassphrase({ PULUMI_CONFIG_PASSPHRASE_FILE: "" }, local)).to.throw(MissingPassphraseError, "PULUMI_CONFIG_PASSPHRASE_FILE is set but empty");
        });

        it("a file:// PULUMI_BACKEND_URL with a relative path is made absolute (Pulumi runs in another folder); ~ is left to Pulumi", () => {
            const where = { projectDir: "/p", cwd: "/home/me/work" };
            expect(resolveBackend({ PULUMI_BACKEND_URL: "file://state/here" }, where)).to.deep.equal({
                url: "file:///home/me/work/state/here",
                kind: "local",
                source: "PULUMI_BACKEND_URL",
                stateDir: "/home/me/work/state/here",
            });
            expect(resolveBackend({ PULUMI_BACKEND_URL: "file:///srv/state" }, where)).to.deep.include({ url: "file:///srv/state", stateDir: "/srv/state" });
            expect(resolveBackend({ PULUMI_BACKEND_URL: "file://~/.pulumi-state" }, where)).to.deep.equal({
                url: "file://~/.pulumi-state",
                kind: "local",
                source: "PULUMI_BACKEND_URL",
            });
        });
    });

    describe("several environments", () => {
        const stacks = ["dev", "prod", "qa"];
        const config = { qa: QA };

        it("concurrency 1 runs one environment at a time", async () => {
            const factory = new FakeFactory();
            const results = await run(factory, "up", stacks, { concurrency: 1, config });
            expect(results.map((r) => r.ok)).to.deep.equal([true, true, true]);
            expect(factory.maxActive).to.equal(1);
            expect(factory.operations).to.deep.equal(["dev:up", "prod:up", "qa:up"]);
        });

        it("concurrency 2 runs two at a time, never three", async () => {
            const factory = new FakeFactory();
            await run(factory, "up", stacks, { concurrency: 2, config });
            expect(factory.maxActive).to.equal(2);
            expect(factory.operations).to.have.members(["dev:up", "prod:up", "qa:up"]);
        });

        it("refuses a concurrency that is not a whole number of at least 1", async () => {
            const factory = new FakeFactory();
            for (const concurrency of [0, -1, 1.5, Number.NaN]) {
                const error = await rejection(run(factory, "up", ["dev"], { concurrency }));
                expect(error, String(concurrency)).to.be.instanceOf(RangeError);
            }
            expectNothingRan(factory);
        });

        it("one failing environment is reported on its own; the others still run and report, in the order asked", async () => {
            const factory = new FakeFactory({
                dev: { openError: new Error("dev: could not select the stack") },
                prod: { operationError: new Error("prod: update failed: AccessDenied") },
            });
            const results = await run(factory, "up", stacks, { concurrency: 1, config });
            expect(results.map((r) => r.stack)).to.deep.equal(stacks);
            expect(results[0]).to.include({ stack: "dev", ok: false });
            expect(results[0].error?.message).to.equal("dev: could not select the stack");
            expect(results[1]).to.include({ stack: "prod", ok: false });
            expect(results[1].error?.message).to.equal("prod: update failed: AccessDenied");
            expect(results[2]).to.deep.equal({
                stack: "qa",
                ok: true,
                outputs: { bucketName: "bucket-qa" },
                secretOutputs: [],
                summary: SUMMARY,
            });
        });

        it("a stack named twice runs once", async () => {
            const factory = new FakeFactory();
            const results = await run(factory, "preview", ["dev", "dev"]);
            expect(results.map((r) => r.stack)).to.deep.equal(["dev"]);
            expect(factory.operations).to.deep.equal(["dev:preview"]);
        });
    });

    describe("operations", () => {
        it("preview and destroy report their summaries; outputs selects an existing stack only", async () => {
            const factory = new FakeFactory({
                dev: { outputs: { bucketName: { value: "b", secret: false }, token: { value: "s3cr3t", secret: true } } },
            });
            const [preview] = await run(factory, "preview", ["dev"]);
            expect(preview).to.deep.equal({ stack: "dev", ok: true, summary: { resourceChanges: { create: 11 } } });
            const [destroy] = await run(factory, "destroy", ["dev"]);
            expect(destroy.summary).to.deep.equal({ result: "succeeded", resourceChanges: { delete: 11 } });
            const [outputs] = await run(factory, "outputs", ["dev"]);
            expect(outputs).to.deep.equal({ stack: "dev", ok: true, outputs: { bucketName: "b", token: "s3cr3t" }, secretOutputs: ["token"] });
            expect(factory.requests.map((r) => r.create)).to.deep.equal([true, false, false]);
            expect(factory.operations).to.deep.equal(["dev:preview", "dev:destroy", "dev:outputs"]);
        });

        it("refuses an unknown operation", async () => {
            const factory = new FakeFactory();
            const error = await rejection(run(factory, "refresh" as unknown as "up", ["dev"]));
            expect(error.message).to.include('Unknown operation "refresh"');
            expectNothingRan(factory);
        });

        it("no stacks: nothing to do", async () => {
            const factory = new FakeFactory();
            expect(await run(factory, "up", [])).to.deep.equal([]);
            expect(factory.ensureCliCalls).to.equal(0);
        });
    });

    describe("streamed output", () => {
        it("one environment: every chunk reaches onOutput as Pulumi printed it, in order", async () => {
            const chunks = ["Updating (dev)\n", "\n     Type    Name", "    Status\n +   pulumi:pulumi:Stack  secure-bucket-dev  creating (0s)\n", "Resources:\n    + 11 to create"];
            const factory = new FakeFactory({ dev: { output: chunks } });
            const seen: [string, string][] = [];
            await run(factory, "up", ["dev"], { onOutput: (stack, text) => seen.push([stack, text]) });
            expect(seen).to.deep.equal(chunks.map((chunk) => ["dev", chunk]));
        });

        it("several environments: whole lines, each prefixed with its stack, in order per stack, last partial line flushed", async () => {
            const factory = new FakeFactory({
                dev: { output: ["Updating (d", "ev)\n + bucket creat", "ing\n", "done"] },
                prod: { output: ["Updating (prod)\n", " + key creating\n"], operationError: new Error("prod failed") },
            });
            const seen: [string, string][] = [];
            const results = await run(factory, "up", ["dev", "prod"], { concurrency: 2, onOutput: (stack, text) => seen.push([stack, text]) });
            expect(results.map((r) => r.ok)).to.deep.equal([true, false]);
            for (const [stack, text] of seen) {
                expect(text.endsWith("\n"), JSON.stringify(text)).to.equal(true);
                for (const line of text.slice(0, -1).split("\n")) expect(line.startsWith(`[${stack}] `), line).to.equal(true);
            }
            const linesOf = (stack: string) =>
                seen
                    .filter(([s]) => s === stack)
                    .map(([, text]) => text)
                    .join("");
            expect(linesOf("dev")).to.equal("[dev] Updating (dev)\n[dev]  + bucket creating\n[dev] done\n");
            expect(linesOf("prod"), "a failing stack's output is still streamed").to.equal("[prod] Updating (prod)\n[prod]  + key creating\n");
            const stacksInOrder = seen.map(([s]) => s);
            expect(new Set(stacksInOrder.slice(0, 2)), "both stacks streamed while running side by side").to.deep.equal(new Set(["dev", "prod"]));
        });
    });

    describe("missing Pulumi CLI", () => {
        function expectInstallAdvice(error: Error): void {
            expect(error).to.be.instanceOf(PulumiCliMissingError);
            expect(error.message).to.include("Pulumi CLI was not found");
            expect(error.message).to.include(PULUMI_INSTALL_URL);
            expect(PULUMI_INSTALL_URL).to.equal("https://www.pulumi.com/docs/install/");
        }

        it("a factory whose CLI lookup fails with ENOENT gives one PulumiCliMissingError, before any stack is opened", async () => {
            const enoent = Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
            const factory = new FakeFactory({}, enoent);
            const error = await rejection(run(factory, "up", ["dev", "prod"]));
            expectInstallAdvice(error);
            expect(error.cause).to.equal(enoent);
            expect(factory.ensureCliCalls).to.equal(1);
            expectNothingRan(factory);
        });

        it("any other CLI problem is passed on as it is", async () => {
            const tooOld = new Error("Minimum version requirement failed. The minimum CLI version requirement is 3.200.0");
            const error = await rejection(run(new FakeFactory({}, tooOld), "up", ["dev"]));
            expect(error).to.equal(tooOld);
        });

        it("the real factory maps the Automation API's own failure to find the CLI", async () => {
            // PulumiCommand.get with an installation root that does not exist: the same spawn ENOENT,
            // wrapped in a CommandError, as a machine without the CLI on PATH gives.
            const factory = createLocalWorkspaceFactory({ pulumiCommand: () => PulumiCommand.get({ root: path.join(PROJECT_DIR, "no-such-pulumi-install") }) });
            const error = await rejection(runEnvironments("preview", ["dev"], { projectDir: PROJECT_DIR, env: ENV, workspaceFactory: factory }));
            expectInstallAdvice(error);
            expect(String(error.cause)).to.include("ENOENT");
        });
    });
});

/**
 * A stand-in `pulumi` executable for the real factory: it answers the commands the Automation API
 * sends (`version`, `stack select`/`init`, `config set-all`, `up`, `stack output`, `stack history`),
 * keeps its "state" as files under the file backend's folder, writes the stack settings file in its
 * working folder like Pulumi does, streams a few lines during `up`, and logs every call with its
 * working folder and the backend and passphrase it was given. It cannot run the program (that needs
 * the engine), so `up` reports canned outputs.
 *
 * It makes no network connections, so it starts without NODE_EXTRA_CA_CERTS: where that is set (as on
 * CI machines behind a proxy), Node parses the bundle at every start, about 80 ms of CPU per call,
 * and these tests make some forty calls.
 */
function fakePulumiScript(): string {
    return `#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
const fs = require("fs");
const path = require("path");
const yaml = () => require(${JSON.stringify(require.resolve("yaml"))});
const args = process.argv.slice(2).filter((a) => a !== "--non-interactive");
const env = process.env;
if (env.FAKE_PULUMI_LOG) {
    fs.appendFileSync(env.FAKE_PULUMI_LOG, JSON.stringify({ args, cwd: process.cwd(), backend: env.PULUMI_BACKEND_URL, passphrase: env.PULUMI_CONFIG_PASSPHRASE }) + "\\n");
}
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const stateDir = (env.PULUMI_BACKEND_URL || "").replace(/^file:\\/\\//, "");
const stackFile = (stack) => path.join(stateDir, ".pulumi", "stacks", "secure-bucket", stack + ".json");
const settingsFile = (stack) => path.join(process.cwd(), "Pulumi." + stack + ".yaml");
const readSettings = (stack) => (fs.existsSync(settingsFile(stack)) ? yaml().parse(fs.readFileSync(settingsFile(stack), "utf8")) || {} : {});
const outputsOf = (stack) => ({ bucketName: "secure-bucket-" + stack + "-0a1b2c3", keyArn: "arn:aws:kms:eu-west-1:111111111111:key/" + stack });
const [a0, a1] = args;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
(async () => {
    if (a0 === "version") { console.log("v3.248.0"); return; }
    if (a0 === "stack" && a1 === "select") {
        const stack = flag("--stack");
        if (!fs.existsSync(stackFile(stack))) { console.error("error: no stack named '" + stack + "' found"); process.exit(255); }
        return;
    }
    if (a0 === "stack" && a1 === "init") {
        const stack = args[2];
        fs.mkdirSync(path.dirname(stackFile(stack)), { recursive: true });
        fs.writeFileSync(stackFile(stack), "{}");
        const settings = readSettings(stack);
        settings.encryptionsalt = settings.encryptionsalt || "v1:salt-of-" + stack;
        fs.writeFileSync(settingsFile(stack), yaml().stringify(settings));
        return;
    }
    if (a0 === "config" && a1 === "set-all") {
        const stack = flag("--stack");
        const settings = readSettings(stack);
        settings.config = settings.config || {};
        args.forEach((a, i) => { if (a === "--plaintext") { const kv = args[i + 1]; const eq = kv.indexOf("="); settings.config[kv.slice(0, eq)] = kv.slice(eq + 1); } });
        fs.writeFileSync(settingsFile(stack), yaml().stringify(settings));
        return;
    }
    if (a0 === "up") {
        const stack = flag("--stack");
        process.stdout.write("Updating (" + stack + ")\\n");
        await sleep(30);
        process.stdout.write(" +  secure-bucket:index:SecureBucket secure-bucket-" + stack + " creat");
        await sleep(30);
        process.stdout.write("ing (0s)\\nResources:\\n    + 11 created\\n");
        if (env.FAKE_PULUMI_FAIL === stack) { console.error("error: update failed"); process.exit(1); }
        fs.writeFileSync(stackFile(stack), JSON.stringify({ deployed: true }));
        return;
    }
    if (a0 === "stack" && a1 === "output") {
        const outputs = outputsOf(flag("--stack"));
        if (!args.includes("--show-secrets")) outputs.keyArn = "[secret]";
        console.log(JSON.stringify(outputs));
        return;
    }
    if (a0 === "stack" && a1 === "history") {
        console.log(JSON.stringify([{ kind: "update", result: "succeeded", resourceChanges: { create: 11 }, startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T00:01:00Z", version: 1, message: "", environment: {}, config: {} }]));
        return;
    }
    console.error("fake pulumi: unexpected command " + args.join(" "));
    process.exit(2);
})();
`;
}

interface LoggedCall {
    args: string[];
    cwd: string;
    backend?: string;
    passphrase?: string;
}

describe("automation: the real LocalWorkspace factory against a stand-in pulumi executable", function () {
    // Each Pulumi command here is a Node process of its own (about 0.05 s of CPU each).
    this.timeout(60_000);
    let root: string;
    let stateDir: string;
    let logFile: string;
    let factory: WorkspaceFactory;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-fake-pulumi-"));
        fs.mkdirSync(path.join(root, "bin"));
        fs.writeFileSync(path.join(root, "bin", "pulumi"), fakePulumiScript(), { mode: 0o755 });
        stateDir = path.join(root, "state");
        logFile = path.join(root, "calls.jsonl");
        factory = createLocalWorkspaceFactory({ pulumiCommand: () => PulumiCommand.get({ root }) });
    });

    afterEach(() => {
        fs.rmSync(root, { recursive: true, force: true });
    });

    function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
        return { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE, FAKE_PULUMI_LOG: logFile, ...extra };
    }

    function calls(): LoggedCall[] {
        return fs
            .readFileSync(logFile, "utf8")
            .trim()
            .split("\n")
            .map((line) => JSON.parse(line) as LoggedCall);
    }

    function callsFor(stack: string): string[][] {
        return calls()
            .filter((c) => c.args.includes(stack))
            .map((c) => c.args);
    }

    function runReal(operation: Parameters<typeof runEnvironments>[0], stacks: string[], options: RunOptions = {}): Promise<EnvironmentResult[]> {
        return runEnvironments(operation, stacks, { projectDir: PROJECT_DIR, stateDir, env: env(), workspaceFactory: factory, ...options });
    }

    it("up: creates the stack in the local state folder, sets exactly the stack file's config, runs inline and streams output", async () => {
        const seen: [string, string][] = [];
        const results = await runReal("up", ["dev", "qa"], { config: { qa: QA }, concurrency: 2, onOutput: (stack, text) => seen.push([stack, text]) });

        expect(results.map((r) => [r.stack, r.ok, r.error?.message])).to.deep.equal([
            ["dev", true, undefined],
            ["qa", true, undefined],
        ]);
        expect(results[0].outputs).to.deep.equal({ bucketName: "secure-bucket-dev-0a1b2c3", keyArn: "arn:aws:kms:eu-west-1:111111111111:key/dev" });
        expect(results[0].secretOutputs).to.deep.equal(["keyArn"]);
        expect(results[0].summary).to.deep.equal({ result: "succeeded", resourceChanges: { create: 11 } });

        // Every Pulumi command ran against the local state folder, with the passphrase.
        const url = `file://${stateDir}`;
        for (const call of calls()) {
            expect(call.backend, call.args.join(" ")).to.equal(url);
            expect(call.passphrase, call.args.join(" ")).to.equal(PASSPHRASE);
        }
        expect(fs.existsSync(stateDir)).to.equal(true);

        // dev: not found, so created; then exactly the file's config, as plaintext key=value pairs; then up with the inline program.
        const dev = callsFor("dev");
        expect(dev.map((args) => args.slice(0, 2).join(" "))).to.deep.equal([
            "stack select",
            "stack init",
            "config set-all",
            "up --yes",
            "stack output",
            "stack output",
            "stack history",
        ]);
        const setAll = dev[2];
        const pairs = setAll.filter((_, i) => setAll[i - 1] === "--plaintext");
        expect(Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]))).to.deep.equal(stackConfig("dev"));
        expect(setAll).to.not.include("--path");
        expect(setAll).to.not.include("--secret");
        const up = dev[3];
        expect(up.some((a) => a.startsWith("--client=127.0.0.1:")), "up serves the inline program").to.equal(true);
        expect(up).to.include("auto.inline");

        // The work folder: kept under the state folder, with the project settings and the stack settings.
        const workDir = stackWorkDir(PROJECT_DIR, stateDir, url, "dev");
        expect(calls().find((c) => c.args.includes("dev"))?.cwd).to.equal(workDir);
        const project = parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        expect(project).to.deep.include({ name: "secure-bucket", runtime: "nodejs" });
        const settings = parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, string>; encryptionsalt: string };
        expect(settings.config).to.deep.equal(stackConfig("dev"));
        expect(settings.encryptionsalt).to.equal("v1:salt-of-dev");

        // Output: whole lines prefixed with the stack, in the order printed.
        const text = (stack: string) =>
            seen
                .filter(([s]) => s === stack)
                .map(([, t]) => t)
                .join("");
        expect(text("dev")).to.equal(
            "[dev] Updating (dev)\n[dev]  +  secure-bucket:index:SecureBucket secure-bucket-dev creating (0s)\n[dev] Resources:\n[dev]     + 11 created\n",
        );
        expect(text("qa")).to.include("[qa] Updating (qa)\n");
    });

    it("a second run selects the stack, keeps the passphrase salt and forgets config the environment no longer has", async () => {
        expect((await runReal("up", ["dev"]))[0].ok).to.equal(true);
        const results = await runReal("up", ["dev"], { config: { dev: { region: "us-west-2" } } });
        expect(results[0].ok).to.equal(true);
        const secondRun = callsFor("dev").slice(7);
        expect(secondRun.map((args) => args.slice(0, 2).join(" "))).to.deep.equal(["stack select", "config set-all", "up --yes", "stack output", "stack output", "stack history"]);
        const workDir = stackWorkDir(PROJECT_DIR, stateDir, `file://${stateDir}`, "dev");
        const settings = parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, string>; encryptionsalt: string };
        expect(settings).to.deep.equal({ encryptionsalt: "v1:salt-of-dev", config: { "aws:region": "us-west-2" } });
    });

    it("one failing up is reported with Pulumi's error; the other environment deploys", async () => {
        const seen: [string, string][] = [];
        const results = await runReal("up", ["dev", "prod"], { env: env({ FAKE_PULUMI_FAIL: "prod" }), onOutput: (stack, text) => seen.push([stack, text]) });
        const prodText = seen
            .filter(([stack]) => stack === "prod")
            .map(([, text]) => text)
            .join("");
        expect(prodText, "stderr is streamed too").to.include("[prod] error: update failed\n");
        expect(results[0]).to.deep.include({ stack: "dev", ok: true });
        expect(results[1]).to.deep.include({ stack: "prod", ok: false });
        // Pulumi's stderr, not the whole CommandError dump (stdout was streamed already).
        expect(results[1].error).to.be.instanceOf(PulumiCommandError);
        expect(results[1].error?.message).to.equal("pulumi exited with code 1: error: update failed");
        expect((results[1].error as PulumiCommandError).exitCode).to.equal(1);
        expect((results[1].error as PulumiCommandError).stdout).to.include("Updating (prod)");
    });

    it("outputs of a stack that was never deployed fails and does not create it", async () => {
        const results = await runReal("outputs", ["prod"]);
        expect(results[0].ok).to.equal(false);
        expect(results[0].error?.message).to.equal("pulumi exited with code 255: error: no stack named 'prod' found");
        expect(callsFor("prod").map((args) => args.slice(0, 2).join(" "))).to.deep.equal(["stack select"]);
        expect(fs.existsSync(path.join(stateDir, ".pulumi", "stacks", "secure-bucket", "prod.json"))).to.equal(false);
    });
});
