/**
 * The seam between running environments and the Pulumi CLI: a small {@link WorkspaceFactory}
 * interface, and its real implementation on the Automation API's `LocalWorkspace`.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    LocalWorkspace,
    PulumiCommand,
    type ConfigMap,
    type InlineProgramArgs,
    type LocalWorkspaceOptions,
    type OpMap,
    type OutputMap,
    type PulumiFn,
    type Stack,
    type UpdateResult,
    type UpdateSummary,
    type Workspace,
} from "@pulumi/pulumi/automation";
import { DEFAULT_STATE_DIR, type Backend } from "./backend";
import { explainCliError } from "./cli";

/** One stack output. */
export interface StackOutput {
    /** The output's value (plain JSON). */
    value: unknown;
    /** Whether Pulumi holds the value as a secret. */
    secret: boolean;
}

/** A stack's outputs by name. */
export type StackOutputs = Record<string, StackOutput>;

/** What an operation did or would do. */
export interface OperationSummary {
    /** How the update ended (`up`, `destroy`); absent for `preview`. */
    result?: UpdateResult;
    /** Resources by what happened (or would happen) to them: `create`, `same`, `delete`, ... */
    resourceChanges: OpMap;
}

/** Callbacks while an operation runs. */
export interface OperationCallbacks {
    /** Receives Pulumi's output (stdout and stderr) as it is printed, in chunks of any size. */
    onOutput?: (text: string) => void;
}

/** One stack, opened and configured, ready for an operation. */
export interface StackWorkspace {
    /** Deploys the stack (`pulumi up`). */
    up(callbacks: OperationCallbacks): Promise<{ outputs: StackOutputs; summary: OperationSummary }>;
    /** Previews a deployment (`pulumi preview`). */
    preview(callbacks: OperationCallbacks): Promise<{ summary: OperationSummary }>;
    /** Deletes every resource of the stack (`pulumi destroy`). */
    destroy(callbacks: OperationCallbacks): Promise<{ summary: OperationSummary }>;
    /** The outputs of the last deployment (`pulumi stack output`). */
    outputs(): Promise<StackOutputs>;
}

/** Everything needed to open one stack. */
export interface StackRequest {
    /** The stack (environment) name, e.g. `"dev"`. */
    stackName: string;
    /** The Pulumi project name: `"secure-bucket"`. */
    projectName: string;
    /** The inline program the stack runs. */
    program: PulumiFn;
    /** Config to set on the stack, fully qualified keys and string values, validated already. */
    config: Readonly<Record<string, string>>;
    /** Where the state lives. */
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

/** Options of {@link createLocalWorkspaceFactory}. */
export interface LocalWorkspaceFactoryOptions {
    /**
     * Finds the Pulumi CLI.
     * @default `PulumiCommand.get()`: the `pulumi` on PATH
     */
    pulumiCommand?: () => Promise<PulumiCommand>;
}

function summarize(summary: UpdateSummary): OperationSummary {
    return { result: summary.result, resourceChanges: summary.resourceChanges ?? {} };
}

function plainOutputs(outputs: OutputMap): StackOutputs {
    const plain: StackOutputs = {};
    for (const [name, output] of Object.entries(outputs)) plain[name] = { value: output.value as unknown, secret: output.secret };
    return plain;
}

/** Drops the config a previous run left in the kept stack settings, keeping the secrets-provider state. */
async function forgetOldConfig(workspace: Workspace, stackName: string): Promise<void> {
    let settings;
    try {
        settings = await workspace.stackSettings(stackName);
    } catch {
        return; // no settings file yet: nothing to forget
    }
    if (settings?.config === undefined) return;
    const kept = { ...settings };
    delete kept.config;
    await workspace.saveStackSettings(stackName, kept);
}

function wrap(stack: Stack): StackWorkspace {
    const streams = (callbacks: OperationCallbacks) => ({ onOutput: callbacks.onOutput, onError: callbacks.onOutput });
    return {
        async up(callbacks) {
            const result = await stack.up(streams(callbacks));
            return { outputs: plainOutputs(result.outputs), summary: summarize(result.summary) };
        },
        async preview(callbacks) {
            const result = await stack.preview(streams(callbacks));
            return { summary: { resourceChanges: result.changeSummary } };
        },
        async destroy(callbacks) {
            const result = await stack.destroy(streams(callbacks));
            return { summary: summarize(result.summary) };
        },
        async outputs() {
            return plainOutputs(await stack.outputs());
        },
    };
}

/**
 * The real factory: each stack is `LocalWorkspace.createOrSelectStack` (or `selectStack` when it must
 * exist) with the inline program, in a kept work folder, then `stack.setAllConfig(config)`. The CLI
 * is looked up once; a missing one becomes a {@link PulumiCliMissingError}.
 */
export function createLocalWorkspaceFactory(options: LocalWorkspaceFactoryOptions = {}): WorkspaceFactory {
    const find = options.pulumiCommand ?? (() => PulumiCommand.get());
    let command: Promise<PulumiCommand> | undefined;
    const cli = (): Promise<PulumiCommand> => {
        command ??= find().catch((error: unknown) => {
            throw explainCliError(error);
        });
        return command;
    };
    return {
        async ensureCli() {
            await cli();
        },
        async openStack(request) {
            const pulumiCommand = await cli();
            if (request.backend.stateDir !== undefined) await fs.promises.mkdir(request.backend.stateDir, { recursive: true });
            await fs.promises.mkdir(request.workDir, { recursive: true });
            const args: InlineProgramArgs = { stackName: request.stackName, projectName: request.projectName, program: request.program };
            const workspaceOptions: LocalWorkspaceOptions = {
                workDir: request.workDir,
                pulumiCommand,
                envVars: { ...request.envVars },
                projectSettings: { name: request.projectName, runtime: "nodejs" },
            };
            try {
                const stack = request.create
                    ? await LocalWorkspace.createOrSelectStack(args, workspaceOptions)
                    : await LocalWorkspace.selectStack(args, workspaceOptions);
                await forgetOldConfig(stack.workspace, request.stackName);
                const config: ConfigMap = {};
                for (const [key, value] of Object.entries(request.config)) config[key] = { value, secret: false };
                if (Object.keys(config).length > 0) await stack.setAllConfig(config);
                return wrap(stack);
            } catch (error) {
                throw explainCliError(error);
            }
        },
    };
}
