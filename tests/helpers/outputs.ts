import * as pulumi from "@pulumi/pulumi";

/** The value an Output resolves to under the mocks. */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply(resolve));
}

/** Resolves once every given resource has been registered with the engine. */
export async function registered(...resources: pulumi.Resource[]): Promise<void> {
    await Promise.all(resources.map((r) => valueOf(r.urn)));
}
