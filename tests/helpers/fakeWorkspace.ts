/**
 * A fake WorkspaceFactory, the seam automation/run.ts opens stacks through: no Pulumi CLI, no cloud,
 * no timers. It records what it is asked to open and, in order, when each operation starts and ends;
 * it answers from per-stack scripts, and passes its errors on raw, as they are (the real factory is
 * the one that explains the Pulumi CLI's errors). tests/automation.test.ts and tests/cli.test.ts
 * share it.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import type { OperationSummary, StackOutputs, StackRequest, StackWorkspace, WorkspaceFactory } from "../../automation/workspace";
import { valueOf } from "./outputs";

/** What the fake does for one stack. */
export interface StackScript {
    /** Chunks the operation prints, in order, each in a turn of its own. */
    output?: string[];
    /** Thrown by openStack. */
    openError?: Error;
    /** Thrown by the operation, after its output. */
    operationError?: Error;
    /** What `up` and `outputs` report. @default `bucketName: "bucket-<stack>"`, no secrets */
    outputs?: StackOutputs;
}

export const UP_SUMMARY: OperationSummary = { result: "succeeded", resourceChanges: { create: 11 } };
export const PREVIEW_SUMMARY: OperationSummary = { resourceChanges: { create: 11 } };
export const DESTROY_SUMMARY: OperationSummary = { result: "succeeded", resourceChanges: { delete: 11 } };

export interface FakeOptions {
    scripts?: Record<string, StackScript>;
    /** What ensureCli rejects with. */
    cliError?: unknown;
    /**
     * Operations wait, once started, until this many are running at the same time (a latch: once
     * open, it stays open), so that stacks that may run side by side are seen to. A run that never
     * gets that many going at once never finishes: the test fails on mocha's timeout.
     * @default 1
     */
    together?: number;
}

/** Records every call; answers from per-stack scripts; tracks how many operations run at once. */
export class FakeWorkspaceFactory implements WorkspaceFactory {
    readonly requests: StackRequest[] = [];
    /** `<stack>:<operation> started` and `... ended`, in order; a test may add its own (`dev printed`). */
    readonly events: string[] = [];
    ensureCliCalls = 0;
    maxRunning = 0;
    private running = 0;
    private readonly latch: Promise<void>;
    private openLatch: () => void = () => undefined;

    constructor(private readonly options: FakeOptions = {}) {
        this.latch = new Promise((resolve) => (this.openLatch = resolve));
    }

    /** The operations run, in the order they started. */
    get operations(): string[] {
        return this.events.filter((e) => e.endsWith(" started")).map((e) => e.slice(0, -" started".length));
    }

    async ensureCli(): Promise<void> {
        this.ensureCliCalls++;
        if (this.options.cliError !== undefined) throw this.options.cliError;
    }

    async openStack(request: StackRequest): Promise<StackWorkspace> {
        this.requests.push(request);
        const stack = request.stackName;
        const script = this.options.scripts?.[stack] ?? {};
        if (script.openError) throw script.openError;
        const outputs = script.outputs ?? { outputs: { bucketName: `bucket-${stack}` }, secretOutputs: [] };
        const operate = async <R>(operation: string, result: R, onOutput: (text: string) => void = () => undefined): Promise<R> => {
            this.events.push(`${stack}:${operation} started`);
            this.maxRunning = Math.max(this.maxRunning, ++this.running);
            if (this.running >= (this.options.together ?? 1)) this.openLatch();
            try {
                await this.latch;
                for (const chunk of script.output ?? []) {
                    onOutput(chunk);
                    await Promise.resolve();
                }
                if (script.operationError) throw script.operationError;
                return result;
            } finally {
                this.running--;
                this.events.push(`${stack}:${operation} ended`);
            }
        };
        return {
            up: (onOutput) => operate("up", { ...outputs, summary: UP_SUMMARY }, onOutput),
            preview: (onOutput) => operate("preview", { summary: PREVIEW_SUMMARY }, onOutput),
            destroy: (onOutput) => operate("destroy", { summary: DESTROY_SUMMARY }, onOutput),
            outputs: () => operate("outputs", outputs),
        };
    }

    /** The one request to open `stack`; fails the test unless it was opened exactly once. */
    request(stack: string): StackRequest {
        const found = this.requests.filter((r) => r.stackName === stack);
        expect(found, `requests to open ${stack}`).to.have.length(1);
        return found[0];
    }

    /** Fails the test if the Pulumi CLI was looked for, a stack opened or an operation run. */
    expectUntouched(): void {
        expect(this.ensureCliCalls, "Pulumi CLI lookups").to.equal(0);
        expect(this.requests, "stacks opened").to.have.length(0);
        expect(this.events, "operations run").to.have.length(0);
    }
}

/**
 * Runs the program a stack was opened with on the mock engine, with the stack's config as the
 * engine's, as `pulumi up` would; resolves to the stack outputs' values, once the resources and the
 * AWS calls they come from are done. (Not Pulumi's `waitForRPCs`: the failure tests of other files
 * leave RPCs that never settle, on purpose, and it would wait for those too.)
 */
export async function runProgram(request: StackRequest): Promise<Record<string, unknown>> {
    const previous = pulumi.runtime.allConfig();
    pulumi.runtime.setAllConfig({ ...request.config });
    try {
        if (request.program === undefined) throw new Error(`${request.stackName} runs the project's own program, which only the Pulumi CLI runs`);
        const outputs = (await request.program()) as Record<string, pulumi.Output<unknown>>;
        return Object.fromEntries(await Promise.all(Object.entries(outputs).map(async ([name, output]) => [name, await valueOf(output)])));
    } finally {
        pulumi.runtime.setAllConfig(previous);
    }
}
