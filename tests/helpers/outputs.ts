import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/** The value an Output resolves to under the mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Resolves once every given resource has been registered with the engine. */
export async function registered(...resources: pulumi.Resource[]): Promise<void> {
    await Promise.all(resources.map((r) => valueOf(r.urn)));
}

/**
 * What an Output rejects with (an `apply` that throws), read the way the engine reads it when it
 * serialises a resource's inputs: `promise()` is internal to Pulumi's Output, and no public API
 * exposes a rejection. Fails when the Output resolves instead.
 */
export async function rejectionOf(output: pulumi.Output<unknown>): Promise<unknown> {
    let value: unknown;
    try {
        value = await (output as unknown as { promise(): Promise<unknown> }).promise();
    } catch (error) {
        return error;
    }
    throw new Error(`the output resolved to ${JSON.stringify(value)} instead of rejecting`);
}

/**
 * The outputs a component registered, once `outputs` (the ones it registers) have resolved: Pulumi
 * then sends them to the engine without leaving the current turn of the event loop, so by the next
 * turn the mock engine holds them.
 */
export async function registeredOutputs(component: pulumi.ComponentResource, outputs: Record<string, pulumi.Output<unknown>>): Promise<{ registered: unknown; resolved: unknown }> {
    const resolved = await valueOf(pulumi.output(outputs));
    await new Promise((resolve) => setImmediate(resolve));
    const monitor: unknown = pulumi.runtime.getMonitor();
    if (!(monitor instanceof MockMonitor)) throw new Error("the engine is not Pulumi's mock engine");
    const urn = await valueOf(component.urn);
    const state = monitor.resources.get(urn)?.state as { toJavaScript(): unknown } | undefined;
    return { registered: state?.toJavaScript(), resolved };
}
