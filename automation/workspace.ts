/**
 * The seam between running environments and the Pulumi CLI: a small {@link WorkspaceFactory}
 * interface, and its real implementation on the Automation API's `LocalWorkspace`. Every error of
 * the Pulumi CLI is made clear here, once (automation/pulumiCli.ts).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    LocalWorkspace,
    PulumiCommand,
    type ConfigMap,
    type OpMap,
    type OutputMap,
    type PulumiFn,
    Stack,
    type UpdateResult,
    type UpdateSummary,
} from "@pulumi/pulumi/automation";
import { DEFAULT_STATE_DIR, type Backend } from "./backend";
import { explainCliError } from "./pulumiCli";

/** A stack's outputs as plain values, and the names of the ones Pulumi holds as secrets. */
export interface StackOutputs {
    /** Secret outputs are included in plaintext: mask them before printing. */
    outputs: Record<string, unknown>;
    secretOutputs: string[];
}

/** What an operation did or would do. */
export interface OperationSummary {
    /** How the update ended (`up`, `destroy`); absent for `preview`. */
    result?: UpdateResult;
    /** Resources by what happened (or would happen) to them: `create`, `same`, `delete`, ... */
    resourceChanges: OpMap;
}

/** Receives Pulumi's output (stdout and stderr) as it is printed, in chunks of any size. */
export type OnOutput = (text: string) => void;

/** One stack, opened and configured, ready for an operation. */
export interface StackWorkspace {
    up(onOutput: OnOutput): Promise<StackOutputs & { summary: OperationSummary }>;
    preview(onOutput: OnOutput): Promise<{ summary: OperationSummary }>;
    destroy(onOutput: OnOutput): Promise<{ summary: OperationSummary }>;
    /** The outputs of the last deployment (`pulumi stack output`). */
    outputs(): Promise<StackOutputs>;
}

/** Everything needed to open one stack. */
export interface StackRequest {
    stackName: string;
    projectName: string;
    /** The Pulumi project folder, absolute. */
    projectDir: string;
    /**
     * The inline program the stack runs; undefined for the project's own, which the Pulumi CLI runs in
     * `projectDir` with the stack's config from a copy in `workDir` (`--config-file`), so that the
     * project's stack file is never written.
     */
    program?: PulumiFn;
    /** Config to set on the stack: fully qualified keys and string values, checked already. */
    config: Readonly<Record<string, string>>;
    /**
     * The same config as a stack file holds it (lists and maps as such): for the project's own
     * program, written into the work folder's stack settings as it is, since the project's Pulumi.yaml
     * may declare a key's type (a list set as text would not be one).
     */
    values: Readonly<Record<string, unknown>>;
    backend: Backend;
    /** Environment variables for every Pulumi command (includes `PULUMI_BACKEND_URL`). */
    envVars: Readonly<Record<string, string>>;
    /**
     * Folder that keeps this stack's workspace files (`Pulumi.yaml`, `Pulumi.<stack>.yaml`) between
     * runs, so the secrets provider's state (the passphrase salt) is not lost with a temp folder.
     */
    workDir: string;
    /** `true`: create the stack when it does not exist (`up`, `preview`); `false`: it must exist. */
    create: boolean;
}

/** Opens stacks. The seam: tests pass a fake, deployments use {@link createLocalWorkspaceFactory}. */
export interface WorkspaceFactory {
    /**
     * Checks, once before any stack is opened, that the tooling is there.
     * @throws PulumiCliMissingError when the Pulumi CLI cannot be found.
     */
    ensureCli(): Promise<void>;
    /** Creates or selects the stack and sets its config. */
    openStack(request: StackRequest): Promise<StackWorkspace>;
}

/**
 * The folder that keeps a stack's workspace files: `<stateRoot>/workspaces/<backend digest>/<stack>`,
 * one per backend so that switching backends never mixes their secrets-provider state.
 */
export function stackWorkDir(projectDir: string, stateDir: string | undefined, backendUrl: string, stackName: string): string {
    const digest = crypto.createHash("sha256").update(backendUrl).digest("hex").slice(0, 12);
    return path.resolve(projectDir, stateDir ?? DEFAULT_STATE_DIR, "workspaces", digest, stackName);
}

function summarize(summary: UpdateSummary): OperationSummary {
    return { result: summary.result, resourceChanges: summary.resourceChanges ?? {} };
}

function stackOutputs(map: OutputMap): StackOutputs {
    const outputs: Record<string, unknown> = {};
    for (const [name, output] of Object.entries(map)) outputs[name] = output.value as unknown;
    return { outputs, secretOutputs: Object.keys(map).filter((name) => map[name].secret) };
}

/** Each method's failure made clear, once. */
function explained<A extends unknown[], R>(call: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return (...args) =>
        call(...args).catch((error: unknown) => {
            throw explainCliError(error);
        });
}

function wrap(stack: Stack, configFile?: string): StackWorkspace {
    const streams = (onOutput: OnOutput) => ({ onOutput, onError: onOutput, configFile });
    return {
        up: explained(async (onOutput) => {
            const result = await stack.up(streams(onOutput));
            return { ...stackOutputs(result.outputs), summary: summarize(result.summary) };
        }),
        preview: explained(async (onOutput) => ({ summary: { resourceChanges: (await stack.preview(streams(onOutput))).changeSummary } })),
        destroy: explained(async (onOutput) => ({ summary: summarize((await stack.destroy(streams(onOutput))).summary) })),
        outputs: explained(async () => stackOutputs(await stack.outputs())),
    };
}

/**
 * The real factory. Each stack is `LocalWorkspace.createOrSelectStack` (or `selectStack` when it must
 * exist) in a kept work folder, whose stack settings keep the secrets provider's state (the
 * passphrase's salt) and get the environment's config anew: for an inline program, which runs there,
 * with `stack.setAllConfig(config)`; for the project's own program, which runs in the project folder
 * with those settings as its config file, written as the stack file holds them. The CLI is looked up once (by default the `pulumi` on PATH); a missing one is a
 * PulumiCliMissingError.
 */
export function createLocalWorkspaceFactory(options: { pulumiCommand?: () => Promise<PulumiCommand> } = {}): WorkspaceFactory {
    const find = options.pulumiCommand ?? (() => PulumiCommand.get());
    let command: Promise<PulumiCommand> | undefined;
    const cli = (): Promise<PulumiCommand> => (command ??= explained(find)());
    return {
        async ensureCli() {
            await cli();
        },
        openStack: explained(async (request: StackRequest) => {
            const pulumiCommand = await cli();
            if (request.backend.stateDir !== undefined) await fs.promises.mkdir(request.backend.stateDir, { recursive: true });
            await fs.promises.mkdir(request.workDir, { recursive: true });
            const workspace = await LocalWorkspace.create({
                workDir: request.workDir,
                pulumiCommand,
                envVars: { ...request.envVars },
                projectSettings: { name: request.projectName, runtime: "nodejs" },
                ...(request.program === undefined ? {} : { program: request.program }),
            });
            const stack = request.create ? await Stack.createOrSelect(request.stackName, workspace) : await Stack.select(request.stackName, workspace);
            const settings = await workspace.stackSettings(request.stackName).catch(() => undefined);
            const kept = { ...settings };
            delete kept.config;
            if (request.program === undefined) {
                // The project's own program: the stack settings' config as the stack file holds it, types and all.
                await workspace.saveStackSettings(request.stackName, Object.keys(request.values).length > 0 ? { ...kept, config: { ...request.values } } : kept);
            } else {
                if (settings?.config !== undefined) await workspace.saveStackSettings(request.stackName, kept);
                const config: ConfigMap = {};
                for (const [key, value] of Object.entries(request.config)) config[key] = { value, secret: false };
                if (Object.keys(config).length > 0) await stack.setAllConfig(config);
                return wrap(stack);
            }
            // The project's program, where `pulumi up` would run it: the project folder, with this config.
            const project = await LocalWorkspace.create({ workDir: request.projectDir, pulumiCommand, envVars: { ...request.envVars } });
            return wrap(await Stack.select(request.stackName, project), path.join(request.workDir, `Pulumi.${request.stackName}.yaml`));
        }),
    };
}
