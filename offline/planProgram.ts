/**
 * Plans a program on the offline engine: runs it on Pulumi's mock engine, answered by the offline AWS,
 * records every registration and renders the plan document. Each plan runs in a Pulumi state of its
 * own (the SDK's per-run store), so two plans never see each other's resources or config, and mocks a
 * caller installed before (its own `setMocks`) are still in place afterwards.
 */
import * as pulumi from "@pulumi/pulumi";
import * as pulumiState from "@pulumi/pulumi/runtime/state";
import { asSecret, buildPlanDocument, PlanDocument } from "../cli/planJson";
import { offlineAws, partitionOf } from "./offlineAws";
import { installRecordingMocks } from "./registrationRecorder";
import { secureConfigKeys } from "../program/stackFile";

/** The stack a plan is made for. */
export interface PlannedStack {
    /** The Pulumi project name: `pulumi.getProject()` in the program. */
    project: string;
    /** The stack name: `pulumi.getStack()` in the program. */
    stack: string;
    /** The stack's config, fully qualified keys and string values, as the engine hands it to a program. */
    config: Readonly<Record<string, string>>;
}

/** Runs `callback` in a Pulumi state of its own: the SDK's per-run store, which it keeps in async context. */
function inOwnPulumiState<T>(callback: () => Promise<T>): Promise<T> {
    const { withLocalStorage } = pulumiState as unknown as { withLocalStorage?: (run: () => Promise<T>) => Promise<T> };
    if (typeof withLocalStorage !== "function") throw new Error("This @pulumi/pulumi has no per-run state (runtime/state withLocalStorage): use @pulumi/pulumi 3.248.0 or later");
    return withLocalStorage(callback);
}

/**
 * The settled value of a stack output, rejecting when it fails (an `apply` that throws): an Output's
 * value (marked as a secret when it is one), a resource's URN (as Pulumi shows a resource reference),
 * a plain value as it is.
 */
async function settle(value: unknown): Promise<unknown> {
    if (pulumi.Resource.isInstance(value)) return settle(value.urn);
    if (!pulumi.Output.isInstance(value)) return value;
    // Every Output of the SDK has promise() and isSecret, internal to its type declarations.
    const output = value as unknown as { promise(): Promise<unknown>; isSecret: Promise<boolean> };
    const [settled, secret] = await Promise.all([output.promise(), output.isSecret]);
    return secret ? asSecret(settled) : settled;
}

/**
 * Plans `program` (which declares resources and resolves to its stack outputs) for `stack`: the
 * offline AWS answers with the config's `aws:region` and the account its `aws:allowedAccountIds`
 * names. Rejects with the program's own error when it fails.
 */
export function planProgram(stack: PlannedStack, program: () => Promise<object> | object): Promise<PlanDocument> {
    // One plan at a time in a process: the require cache, the working folder and the unhandled-rejection
    // listener a plan uses are the process's, not its own.
    const planned = queue.then(() => planAlone(stack, program));
    queue = planned.catch(() => undefined);
    return planned;
}

let queue: Promise<unknown> = Promise.resolve();

function planAlone(stack: PlannedStack, program: () => Promise<object> | object): Promise<PlanDocument> {
    return failingOnFirstUnhandledRejection(() => inOwnPulumiState(async () => {
        const { project, config } = stack;
        const region = config["aws:region"] ?? "";
        const aws = offlineAws({ defaultRegion: region });
        const recorder = installRecordingMocks(aws.mocks, project, stack.stack);
        // A secret the stack file holds encrypted cannot be read offline: the program gets a placeholder, as a secret.
        const secrets = secureConfigKeys(config);
        const given = { ...config };
        for (const key of secrets) given[key] = aws.secretPlaceholder(key);
        pulumi.runtime.setAllConfig(given, secrets);

        const outputs: Record<string, unknown> = {};
        const returned = await program();
        // A program that returns a resource has declared it; only a plain object holds stack outputs.
        if (!pulumi.Resource.isInstance(returned)) for (const [key, output] of Object.entries(returned)) outputs[key] = await settle(output);
        // Drains Pulumi's queue of outstanding RPCs (registrations, invokes, registerOutputs).
        await pulumi.runtime.disconnect();
        if (recorder.pending() !== 0) throw new Error(`${recorder.pending()} resource registrations did not complete`);
        return buildPlanDocument({ ...stack, region, partition: partitionOf(region).partition, resources: recorder.recorded, placeholders: aws.placeholders(), outputs });
    }));
}

/**
 * Runs `plan`, rejecting with the first unhandled rejection reported while it runs. A resource whose
 * input fails (a component's check made when a value resolves) fails its registration, which Pulumi
 * reports only as an unhandled rejection; what is built on it never settles, or (newer SDKs) the
 * plan completes without it. Under `pulumi up` the language host fails the update on it; here the
 * plan fails with it. Node reports a rejection left unhandled before the event loop's next turn, so
 * the plan's end waits for that turn before it decides.
 */
async function failingOnFirstUnhandledRejection<T>(plan: () => Promise<T>): Promise<T> {
    let first: { reason: unknown } | undefined;
    let failNow: (reason: unknown) => void = () => undefined;
    const failed = new Promise<never>((_, reject) => (failNow = reject));
    const listener = (reason: unknown): void => {
        first ??= { reason };
        failNow(reason);
    };
    process.on("unhandledRejection", listener);
    try {
        const result = await Promise.race([plan(), failed]);
        await new Promise((resolve) => setImmediate(resolve));
        if (first !== undefined) throw first.reason;
        return result;
    } finally {
        process.off("unhandledRejection", listener);
    }
}
