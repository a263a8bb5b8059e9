/**
 * The Automation API module: prepareRun's checks and runPrepared through the WorkspaceFactory seam
 * (the shared fake of helpers/fakeWorkspace.ts records what it is asked to open and answers with
 * canned results), the backend rules, and the real LocalWorkspace factory: where it needs no CLI
 * (explaining a CLI that is missing or refused), and against a stand-in `pulumi` executable
 * (helpers/fakePulumi.js). No Pulumi CLI or cloud account is needed.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as util from "util";
import { parse as parseYaml } from "yaml";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import {
    EnvironmentResult,
    EnvironmentSettings,
    MissingPassphraseError,
    prepareRun,
    PulumiCliMissingError,
    PulumiCommandError,
    runEnvironments,
    RunOptions,
    RunRequestError,
    StackConfigError,
    UnknownStackError,
} from "../automation";
import { backendKind, checkPassphrase, resolveBackend } from "../automation/backend";
import { toStackConfig } from "../automation/environmentConfig";
import { PULUMI_INSTALL_URL } from "../automation/pulumiCli";
import { runPrepared } from "../automation/run";
import { createLocalWorkspaceFactory, stackWorkDir, StackRequest, WorkspaceFactory } from "../automation/workspace";
import { rejectedWith } from "./helpers/errors";
import { DESTROY_SUMMARY, FakeWorkspaceFactory, PREVIEW_SUMMARY, runProgram, UP_SUMMARY } from "./helpers/fakeWorkspace";
import { CHILD_TYPES, COMPONENT_TYPE } from "./helpers/resourceTypes";
import { PROJECT_DIR, stackConfig } from "./helpers/stackFile";
import { tempProject } from "./helpers/tempProject";
import { CONSUMER_PROJECT, writeConsumerProject } from "./helpers/consumerProject";
import { one } from "./setup/pulumiMocks";

// An internal runtime function (exported by the JavaScript, left out of the type declarations).
const { withLocalStorage } = runtimeState as unknown as { withLocalStorage<T>(callback: () => Promise<T>): Promise<T> };

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

function run(factory: WorkspaceFactory, operation: Parameters<typeof runEnvironments>[0], stacks: string[], options: RunOptions = {}): Promise<EnvironmentResult[]> {
    return runEnvironments(operation, stacks, { projectDir: PROJECT_DIR, env: ENV, workspaceFactory: factory, program: "built-in", ...options });
}

/** What `onOutput` received, by stack, joined. */
function streamed(seen: readonly [string, string][], stack: string): string {
    return seen
        .filter(([s]) => s === stack)
        .map(([, text]) => text)
        .join("");
}

describe("automation: runEnvironments through the WorkspaceFactory seam", () => {
    describe("config", () => {
        it("opens the dev stack with exactly the config of Pulumi.dev.yaml, and a program that builds the SecureBucket from it", async () => {
            const factory = new FakeWorkspaceFactory();
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
            expect(request.create, "up creates the stack when missing").to.equal(true);

            // The inline program is the SecureBucket program, with dev's arguments (tests/program.test.ts checks what it builds).
            const outputs = await runProgram(request);
            expect(one(COMPONENT_TYPE).name).to.equal("secure-bucket-test");
            expect(outputs.keyArn).to.match(/^arn:aws:kms:eu-west-1:111111111111:key\//);
            expect(one(CHILD_TYPES.key).inputs.deletionWindowInDays).to.equal(7);
            expect(one(CHILD_TYPES.key).protect).to.equal(false);
        });

        it("runs the program with the arguments prepareRun read, those of the prepared run, without reading the config again", async () => {
            const prepared = prepareRun("up", ["dev"], { projectDir: PROJECT_DIR, env: ENV, program: "built-in" });
            const dev = prepared.environments.get("dev");
            if (dev === undefined) throw new Error("prepareRun left dev out");
            prepared.environments.set("dev", { ...dev, args: { ...dev.args, bucketName: "bucket-of-the-prepared-run" } });
            const factory = new FakeWorkspaceFactory();
            await runPrepared(prepared, { workspaceFactory: factory });
            expect(factory.request("dev").config).to.equal(dev.config);
            expect((await runProgram(factory.request("dev"))).bucketName).to.equal("bucket-of-the-prepared-run");
        });

        it("converts a typed config object to the stack-file config map, without needing a stack file", async () => {
            const factory = new FakeWorkspaceFactory();
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
            const factory = new FakeWorkspaceFactory();
            await run(factory, "up", ["dev"], { config: { dev: { region: "ap-southeast-2" } } });
            expect(factory.request("dev").config).to.deep.equal({ "aws:region": "ap-southeast-2" });
        });

        it("refuses a bad typed value before anything runs, naming the stack and the config key", async () => {
            const factory = new FakeWorkspaceFactory();
            const error = await rejectedWith(StackConfigError, run(factory, "up", ["qa"], { config: { qa: { ...QA, keyRotationPeriodInDays: 30 } } }));
            expect(error.message).to.include("qa: secure-bucket:keyRotationPeriodInDays: 30 must be from 90 to 2560");
            factory.expectUntouched();
        });

        it("reports every bad value of every environment at once, with wrong types and unknown keys named", async () => {
            const factory = new FakeWorkspaceFactory();
            const wrong = { region: "", readers: "arn:aws:iam::444444444444:role/qa-app", reader: ["x"] } as unknown as EnvironmentSettings;
            const error = await rejectedWith(
                StackConfigError,
                run(factory, "up", ["dev", "qa", "staging"], { config: { qa: wrong, staging: { region: "eu-west-1", bucketName: "Bad_Name" } } }),
            );
            const problems = error.problems;
            expect(problems.some((p) => p.startsWith("qa: aws:region:"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("qa: secure-bucket:readers:") && p.includes("must be a YAML list"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("qa: secure-bucket:reader:") && p.includes("is not a config key"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("staging: secure-bucket:bucketName:"))).to.equal(true);
            expect(problems.some((p) => p.startsWith("dev:")), "dev's config is good").to.equal(false);
            factory.expectUntouched();
        });

        it("toStackConfig leaves unset settings out", () => {
            expect(toStackConfig({ region: "eu-west-1", bucketName: undefined, versioning: false })).to.deep.equal({
                "aws:region": "eu-west-1",
                "secure-bucket:versioning": "false",
            });
        });

        describe("unknown stacks", () => {
            let project: string;
            before(() => (project = tempProject({})));
            after(() => fs.rmSync(project, { recursive: true, force: true }));

            it("one UnknownStackError names every stack with neither a stack file nor typed config, and the known stacks; nothing runs", async () => {
                const factory = new FakeWorkspaceFactory();
                const error = await rejectedWith(UnknownStackError, run(factory, "up", ["staging", "qa", "dev", "test"], { projectDir: project, config: { qa: QA } }));
                expect(error.stacks).to.deep.equal(["staging", "test"]);
                expect(error.knownStacks).to.deep.equal(["dev", "prod"]);
                expect(error.message).to.equal(`Unknown stacks "staging", "test": no Pulumi.staging.yaml, Pulumi.test.yaml in ${project}. Known stacks: dev, prod`);
                factory.expectUntouched();
            });

            it("one unknown stack is named alone", async () => {
                const error = await rejectedWith(UnknownStackError, run(new FakeWorkspaceFactory(), "up", ["dev", "staging"], { projectDir: project }));
                expect(error.message).to.equal(`Unknown stack "staging": no Pulumi.staging.yaml in ${project}. Known stacks: dev, prod`);
            });
        });

        it("refuses a stack name that is not a Pulumi stack name (no path tricks) before reading anything", async () => {
            const factory = new FakeWorkspaceFactory();
            const error = await rejectedWith(RunRequestError, run(factory, "up", ["../dev"]));
            expect(error.message).to.include('Invalid stack name "../dev"');
            factory.expectUntouched();
        });
    });

    describe("backend and passphrase", () => {
        it("defaults to a local file backend in <project>/.pulumi-state, with the passphrase passed on", async () => {
            const factory = new FakeWorkspaceFactory();
            await run(factory, "up", ["dev"]);
            const request = factory.request("dev");
            const stateDir = path.join(PROJECT_DIR, ".pulumi-state");
            expect(request.envVars.PULUMI_BACKEND_URL).to.equal(`file://${stateDir}`);
            expect(request.backend).to.deep.include({ url: `file://${stateDir}`, kind: "local", source: "default", stateDir });
            expect(request.envVars.PULUMI_CONFIG_PASSPHRASE).to.equal(PASSPHRASE);
            expect(request.workDir.startsWith(stateDir + path.sep), "the stack's workspace files are kept under the state folder").to.equal(true);
        });

        it("honours a custom stateDir, absolute or relative to the project", async () => {
            const absolute = new FakeWorkspaceFactory();
            await run(absolute, "up", ["dev"], { stateDir: "/var/tmp/sb-state" });
            expect(absolute.request("dev").envVars.PULUMI_BACKEND_URL).to.equal("file:///var/tmp/sb-state");
            const relative = new FakeWorkspaceFactory();
            await run(relative, "up", ["dev"], { stateDir: "state/local" });
            expect(relative.request("dev").envVars.PULUMI_BACKEND_URL).to.equal(`file://${path.join(PROJECT_DIR, "state", "local")}`);
        });

        it("PULUMI_BACKEND_URL wins over the embedded state and over stateDir", async () => {
            const factory = new FakeWorkspaceFactory();
            await run(factory, "up", ["dev"], { stateDir: "/var/tmp/sb-state", env: { ...ENV, PULUMI_BACKEND_URL: "s3://team-pulumi-state/secure-bucket" } });
            const request = factory.request("dev");
            expect(request.envVars.PULUMI_BACKEND_URL).to.equal("s3://team-pulumi-state/secure-bucket");
            expect(request.backend).to.deep.equal({ url: "s3://team-pulumi-state/secure-bucket", kind: "self-managed", source: "PULUMI_BACKEND_URL" });
        });

        it("a local backend without a passphrase is a clear error, and nothing runs", async () => {
            const factory = new FakeWorkspaceFactory();
            const error = await rejectedWith(MissingPassphraseError, run(factory, "up", ["dev", "prod"], { env: {} }));
            expect(error.message).to.include("Neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set");
            expect(error.message).to.include(`file://${path.join(PROJECT_DIR, ".pulumi-state")}`);
            factory.expectUntouched();
        });

        it("an empty passphrase is refused, never used silently (even with a passphrase file set)", async () => {
            const factory = new FakeWorkspaceFactory();
            const env = { PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "/run/secrets/p" };
            const error = await rejectedWith(MissingPassphraseError, run(factory, "up", ["dev"], { env }));
            expect(error.message).to.include("PULUMI_CONFIG_PASSPHRASE is set but empty");
            factory.expectUntouched();
        });

        it("a passphrase file is enough; a relative one is made absolute, since Pulumi runs in another folder", async () => {
            const factory = new FakeWorkspaceFactory();
            await run(factory, "up", ["dev"], { env: { PULUMI_CONFIG_PASSPHRASE_FILE: "secrets/passphrase.txt" } });
            expect(factory.request("dev").envVars.PULUMI_CONFIG_PASSPHRASE_FILE).to.equal(path.resolve("secrets/passphrase.txt"));
            expect(factory.request("dev").envVars.PULUMI_CONFIG_PASSPHRASE).to.equal(undefined);
        });

        it("an S3 backend still needs a passphrase (its default secrets provider is the passphrase one)", async () => {
            const factory = new FakeWorkspaceFactory();
            const error = await rejectedWith(MissingPassphraseError, run(factory, "up", ["dev"], { env: { PULUMI_BACKEND_URL: "s3://team-pulumi-state" } }));
            expect(error.message).to.include("s3://team-pulumi-state");
            factory.expectUntouched();
        });

        it("Pulumi Cloud needs no passphrase", async () => {
            const factory = new FakeWorkspaceFactory();
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

    it("prepareRun's result, logged as JSON or inspected, shows no environment value: no passphrase, no AWS secret, no backend URL", () => {
        const secrets = { PULUMI_CONFIG_PASSPHRASE: "passphrase-in-the-environment", AWS_SECRET_ACCESS_KEY: "aws-secret-in-the-environment", PULUMI_BACKEND_URL: "s3://state-bucket-in-the-environment" };
        const prepared = prepareRun("up", ["dev"], { projectDir: PROJECT_DIR, env: secrets });
        for (const shown of [JSON.stringify(prepared), util.inspect(prepared, { depth: Infinity })]) {
            for (const value of Object.values(secrets)) expect(shown).not.to.include(value);
        }
        // Still there for the run.
        expect(prepared.envVars.AWS_SECRET_ACCESS_KEY).to.equal(secrets.AWS_SECRET_ACCESS_KEY);
        expect(prepared.backend.url).to.equal(secrets.PULUMI_BACKEND_URL);
    });

    describe("several environments", () => {
        const stacks = ["dev", "prod", "qa"];
        const config = { qa: QA };

        it("concurrency 1 runs one environment at a time, in the order asked", async () => {
            const factory = new FakeWorkspaceFactory();
            const results = await run(factory, "up", stacks, { concurrency: 1, config });
            expect(results.map((r) => r.ok)).to.deep.equal([true, true, true]);
            expect(factory.events).to.deep.equal(stacks.flatMap((s) => [`${s}:up started`, `${s}:up ended`]));
        });

        it("concurrency 2 runs two at a time, never three: the third starts when one of the first two ends", async () => {
            // Each operation waits until two run at once.
            const factory = new FakeWorkspaceFactory({ together: 2 });
            await run(factory, "up", stacks, { concurrency: 2, config });
            expect(factory.maxRunning).to.equal(2);
            expect(factory.events.slice(0, 2)).to.deep.equal(["dev:up started", "prod:up started"]);
            const firstEnd = factory.events.findIndex((e) => e.endsWith(" ended"));
            expect(factory.events.indexOf("qa:up started")).to.be.greaterThan(firstEnd);
        });

        it("refuses a concurrency that is not a whole number of at least 1", async () => {
            const factory = new FakeWorkspaceFactory();
            for (const concurrency of [0, -1, 1.5, Number.NaN]) {
                const error = await rejectedWith(RunRequestError, run(factory, "up", ["dev"], { concurrency }));
                expect(error.message, String(concurrency)).to.include("concurrency");
            }
            factory.expectUntouched();
        });

        it("one failing environment is reported on its own; the others still run and report, in the order asked", async () => {
            const factory = new FakeWorkspaceFactory({
                scripts: {
                    dev: { openError: new Error("dev: could not select the stack") },
                    prod: { operationError: new Error("prod: update failed: AccessDenied") },
                },
            });
            const results = await run(factory, "up", stacks, { concurrency: 1, config });
            expect(results.map((r) => r.stack)).to.deep.equal(stacks);
            expect(results[0]).to.include({ stack: "dev", ok: false });
            expect(results[0].error?.message).to.equal("dev: could not select the stack");
            expect(results[1]).to.include({ stack: "prod", ok: false });
            expect(results[1].error?.message).to.equal("prod: update failed: AccessDenied");
            expect(results[2]).to.deep.equal({ stack: "qa", ok: true, outputs: { bucketName: "bucket-qa" }, secretOutputs: [], summary: UP_SUMMARY });
        });

        it("a stack named twice runs once", async () => {
            const factory = new FakeWorkspaceFactory();
            const results = await run(factory, "preview", ["dev", "dev"]);
            expect(results.map((r) => r.stack)).to.deep.equal(["dev"]);
            expect(factory.operations).to.deep.equal(["dev:preview"]);
        });
    });

    describe("operations", () => {
        it("preview and destroy report their summaries; outputs selects an existing stack only", async () => {
            const factory = new FakeWorkspaceFactory({ scripts: { dev: { outputs: { outputs: { bucketName: "b", token: "s3cr3t" }, secretOutputs: ["token"] } } } });
            const [preview] = await run(factory, "preview", ["dev"]);
            expect(preview).to.deep.equal({ stack: "dev", ok: true, summary: PREVIEW_SUMMARY });
            const [destroy] = await run(factory, "destroy", ["dev"]);
            expect(destroy).to.deep.equal({ stack: "dev", ok: true, summary: DESTROY_SUMMARY });
            const [outputs] = await run(factory, "outputs", ["dev"]);
            expect(outputs).to.deep.equal({ stack: "dev", ok: true, outputs: { bucketName: "b", token: "s3cr3t" }, secretOutputs: ["token"] });
            expect(factory.requests.map((r) => r.create)).to.deep.equal([true, false, false]);
            expect(factory.operations).to.deep.equal(["dev:preview", "dev:destroy", "dev:outputs"]);
        });

        it("refuses an unknown operation", async () => {
            const factory = new FakeWorkspaceFactory();
            const error = await rejectedWith(RunRequestError, run(factory, "refresh" as unknown as "up", ["dev"]));
            expect(error.message).to.include('Unknown operation "refresh"');
            factory.expectUntouched();
        });

        it("no stacks: nothing to do", async () => {
            const factory = new FakeWorkspaceFactory();
            expect(await run(factory, "up", [])).to.deep.equal([]);
            factory.expectUntouched();
        });
    });

    describe("streamed output", () => {
        it("one environment: every chunk reaches onOutput as Pulumi printed it, in order, while the operation runs", async () => {
            const chunks = ["Updating (dev)\n", "\n     Type    Name", "    Status\n +   pulumi:pulumi:Stack  secure-bucket-dev  creating (0s)\n", "Resources:\n    + 11 to create"];
            const factory = new FakeWorkspaceFactory({ scripts: { dev: { output: chunks } } });
            const seen: [string, string][] = [];
            const onOutput = (stack: string, text: string) => {
                seen.push([stack, text]);
                factory.events.push("printed");
            };
            await run(factory, "up", ["dev"], { onOutput });
            expect(seen).to.deep.equal(chunks.map((chunk) => ["dev", chunk]));
            expect(factory.events).to.deep.equal(["dev:up started", ...chunks.map(() => "printed"), "dev:up ended"]);
        });

        it("several environments: whole lines, each prefixed with its stack, in order per stack, streamed as they run side by side, last partial line flushed", async () => {
            const factory = new FakeWorkspaceFactory({
                together: 2,
                scripts: {
                    dev: { output: ["Updating (d", "ev)\n + bucket creat", "ing\n", "done"] },
                    prod: { output: ["Updating (prod)\n", " + key creating\n"], operationError: new Error("prod failed") },
                },
            });
            const seen: [string, string][] = [];
            const onOutput = (stack: string, text: string) => {
                seen.push([stack, text]);
                factory.events.push(`${stack} printed`);
            };
            const results = await run(factory, "up", ["dev", "prod"], { concurrency: 2, onOutput });
            expect(results.map((r) => r.ok)).to.deep.equal([true, false]);
            for (const [stack, text] of seen) {
                expect(text.endsWith("\n"), JSON.stringify(text)).to.equal(true);
                for (const line of text.slice(0, -1).split("\n")) expect(line.startsWith(`[${stack}] `), line).to.equal(true);
            }
            expect(streamed(seen, "dev")).to.equal("[dev] Updating (dev)\n[dev]  + bucket creating\n[dev] done\n");
            expect(streamed(seen, "prod"), "a failing stack's output is still streamed").to.equal("[prod] Updating (prod)\n[prod]  + key creating\n");
            // Both stacks printed before either ended: their output is passed on while they run.
            const firstEnd = factory.events.findIndex((e) => e.endsWith(" ended"));
            expect(factory.events.slice(0, firstEnd)).to.include.members(["dev printed", "prod printed"]);
        });
    });

    describe("the Pulumi CLI's errors: explained once, by the real factory", () => {
        const enoent = () => Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });

        /** The real factory with `find` as its CLI lookup, counting the lookups and the stacks it opens. */
        function realFactory(find: () => Promise<PulumiCommand>): WorkspaceFactory & { lookups: number; opened: number } {
            const real = createLocalWorkspaceFactory({
                pulumiCommand: () => {
                    counted.lookups++;
                    return find();
                },
            });
            const counted = {
                lookups: 0,
                opened: 0,
                ensureCli: () => real.ensureCli(),
                openStack(request: StackRequest) {
                    counted.opened++;
                    return real.openStack(request);
                },
            };
            return counted;
        }

        function expectInstallAdvice(error: Error): void {
            expect(error.message).to.include("Pulumi CLI was not found");
            expect(error.message).to.include(PULUMI_INSTALL_URL).and.to.include("https://www.pulumi.com/docs/install/");
        }

        it("a CLI lookup that fails with ENOENT is one PulumiCliMissingError, before any stack is opened", async () => {
            const notFound = enoent();
            const factory = realFactory(() => Promise.reject(notFound));
            const error = await rejectedWith(PulumiCliMissingError, run(factory, "up", ["dev", "prod"]));
            expectInstallAdvice(error);
            expect(error.cause).to.equal(notFound);
            expect(factory.lookups).to.equal(1);
            expect(factory.opened).to.equal(0);
        });

        it("any other CLI problem is passed on as it is", async () => {
            const tooOld = new Error("Minimum version requirement failed. The minimum CLI version requirement is 3.200.0");
            expect(await rejectedWith(Error, run(realFactory(() => Promise.reject(tooOld)), "up", ["dev"]))).to.equal(tooOld);
        });

        it("the real factory explains the Automation API's own failure to find the CLI", async () => {
            // PulumiCommand.get with an installation root that does not exist: the same spawn ENOENT,
            // wrapped in a CommandError, as a machine without the CLI on PATH gives.
            const factory = realFactory(() => PulumiCommand.get({ root: path.join(PROJECT_DIR, "no-such-pulumi-install") }));
            const error = await rejectedWith(PulumiCliMissingError, run(factory, "preview", ["dev"]));
            expectInstallAdvice(error);
            expect(String(error.cause)).to.include("ENOENT");
        });

        it("runs explain nothing themselves: a fake factory's error reaches the caller as it is, and nothing runs after it", async () => {
            const notFound = enoent();
            const factory = new FakeWorkspaceFactory({ cliError: notFound });
            expect(await rejectedWith(Error, run(factory, "up", ["dev", "prod"]))).to.equal(notFound);
            expect(factory.ensureCliCalls).to.equal(1);
            expect(factory.requests).to.have.length(0);
        });
    });
});

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
        fs.symlinkSync(path.join(__dirname, "helpers", "fakePulumi.js"), path.join(root, "bin", "pulumi"));
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

    /** Each call naming `stack`, as its first two arguments (`stack select`, `up --yes`, ...). */
    function commandsFor(stack: string): string[] {
        return argsFor(stack).map((args) => args.slice(0, 2).join(" "));
    }

    function argsFor(stack: string): string[][] {
        return calls()
            .filter((c) => c.args.includes(stack))
            .map((c) => c.args);
    }

    function stackSettings(stack: string): { config: Record<string, string>; encryptionsalt: string } {
        const workDir = stackWorkDir(PROJECT_DIR, stateDir, `file://${stateDir}`, stack);
        return parseYaml(fs.readFileSync(path.join(workDir, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, string>; encryptionsalt: string };
    }

    /**
     * A run of the real factory, in a Pulumi runtime state of its own as in a process of its own: an
     * inline `up` ends by failing on the promises the runtime still tracks, and the failure tests of
     * other files leave some in the shared state on purpose.
     */
    function runReal(operation: Parameters<typeof runEnvironments>[0], stacks: string[], options: RunOptions = {}): Promise<EnvironmentResult[]> {
        return withLocalStorage(() => run(factory, operation, stacks, { stateDir, env: env(), ...options }));
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
        expect(commandsFor("dev")).to.deep.equal(["stack select", "stack init", "config set-all", "up --yes", "stack output", "stack output", "stack history"]);
        const [, , setAll, up] = argsFor("dev");
        const pairs = setAll.filter((_, i) => setAll[i - 1] === "--plaintext");
        expect(Object.fromEntries(pairs.map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)]))).to.deep.equal(stackConfig("dev"));
        expect(setAll).to.not.include("--path");
        expect(setAll).to.not.include("--secret");
        expect(up.some((a) => a.startsWith("--client=127.0.0.1:")), "up serves the inline program").to.equal(true);
        expect(up).to.include("auto.inline");

        // The work folder: kept under the state folder, with the project settings and the stack settings.
        const workDir = stackWorkDir(PROJECT_DIR, stateDir, url, "dev");
        expect(calls().find((c) => c.args.includes("dev"))?.cwd).to.equal(workDir);
        const project = parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
        expect(project).to.deep.include({ name: "secure-bucket", runtime: "nodejs" });
        expect(stackSettings("dev").config).to.deep.equal(stackConfig("dev"));
        expect(stackSettings("dev").encryptionsalt).to.equal("v1:salt-of-dev");

        // Output: whole lines prefixed with the stack, in the order printed (the CLI printed one line in two chunks).
        expect(streamed(seen, "dev")).to.equal(
            "[dev] Updating (dev)\n[dev]  +  secure-bucket:index:SecureBucket secure-bucket-dev creating (0s)\n[dev] Resources:\n[dev]     + 11 created\n",
        );
        expect(streamed(seen, "qa")).to.include("[qa] Updating (qa)\n");
    });

    it("the project's own program: up runs in the project folder with a copy of its stack file as --config-file, and the stack file is left as it was", async () => {
        const consumer = writeConsumerProject("secure-bucket");
        try {
            const before = fs.readFileSync(path.join(consumer, "Pulumi.dev.yaml"), "utf8");
            const results = await runReal("up", ["dev"], { projectDir: consumer, program: "project" });
            expect(results.map((r) => [r.stack, r.ok, r.error?.message])).to.deep.equal([["dev", true, undefined]]);
            const workDir = stackWorkDir(consumer, stateDir, `file://${stateDir}`, "dev");
            const up = calls().find((c) => c.args[0] === "up");
            expect(up?.cwd, "up runs where `pulumi up` would: the project folder").to.equal(consumer);
            expect(up?.args).to.include.members(["--config-file", path.join(workDir, "Pulumi.dev.yaml")]);
            expect(up?.args.join(" ")).not.to.include("auto.inline");
            // The stack was created and configured in the work folder, under the consumer's project name and with its own keys.
            expect(calls().filter((c) => c.args.slice(0, 2).join(" ") === "stack init").map((c) => c.cwd)).to.deep.equal([workDir]);
            // No `config set-all`: its values would all be text, and the project's Pulumi.yaml may declare a list.
            expect(calls().some((c) => c.args.slice(0, 2).join(" ") === "config set-all")).to.equal(false);
            const project = parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
            expect(project.name).to.equal(CONSUMER_PROJECT);
            const copy = parseYaml(fs.readFileSync(path.join(workDir, "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown>; encryptionsalt: string };
            expect(copy.config["consumer-app:team"]).to.equal("payments");
            expect(copy.config["consumer-app:writers"], "a list stays a list").to.deep.equal(["arn:aws:iam::111111111111:role/payments-app"]);
            expect(copy.encryptionsalt).to.equal("v1:salt-of-dev");
            expect(fs.readFileSync(path.join(consumer, "Pulumi.dev.yaml"), "utf8")).to.equal(before);
            expect(fs.readdirSync(consumer).sort()).to.deep.equal(["Pulumi.dev.yaml", "Pulumi.yaml", "index.ts"]);
        } finally {
            fs.rmSync(consumer, { recursive: true, force: true });
        }
    });

    it("a second run selects the stack, keeps the passphrase salt and forgets config the environment no longer has", async () => {
        expect((await runReal("up", ["dev"]))[0].ok).to.equal(true);
        const results = await runReal("up", ["dev"], { config: { dev: { region: "us-west-2" } } });
        expect(results[0].ok).to.equal(true);
        expect(commandsFor("dev").slice(7)).to.deep.equal(["stack select", "config set-all", "up --yes", "stack output", "stack output", "stack history"]);
        expect(stackSettings("dev")).to.deep.equal({ encryptionsalt: "v1:salt-of-dev", config: { "aws:region": "us-west-2" } });
    });

    it("one failing up is reported with Pulumi's error; the other environment deploys", async () => {
        const seen: [string, string][] = [];
        const results = await runReal("up", ["dev", "prod"], { env: env({ FAKE_PULUMI_FAIL: "prod" }), onOutput: (stack, text) => seen.push([stack, text]) });
        expect(streamed(seen, "prod"), "stderr is streamed too").to.include("[prod] error: update failed\n");
        expect(results[0]).to.deep.include({ stack: "dev", ok: true });
        expect(results[1]).to.deep.include({ stack: "prod", ok: false });
        // Pulumi's stderr, not the whole CommandError dump (stdout was streamed already).
        const error = results[1].error;
        if (!(error instanceof PulumiCommandError)) throw new Error(`expected a PulumiCommandError, got: ${String(error)}`);
        expect(error.message).to.equal("pulumi exited with code 1: error: update failed");
        expect(error.exitCode).to.equal(1);
        expect(error.stdout).to.include("Updating (prod)");
    });

    it("outputs of a stack that was never deployed fails and does not create it", async () => {
        const results = await runReal("outputs", ["prod"]);
        expect(results[0].ok).to.equal(false);
        expect(results[0].error?.message).to.equal("pulumi exited with code 255: error: no stack named 'prod' found");
        expect(commandsFor("prod")).to.deep.equal(["stack select"]);
        expect(fs.existsSync(path.join(stateDir, ".pulumi", "stacks", "secure-bucket", "prod.json"))).to.equal(false);
    });
});
