import * as pulumi from "@pulumi/pulumi";
import type { DeferredCheck } from "./validateArgs";

/**
 * How a component checks the values that arrive as Outputs or Promises: when they resolve, before
 * they are used. `holdingBackTheBucket` collects the checked values the component's bucket must wait
 * for (all but those that may come from resources built on the bucket), so that a bad one leaves
 * nothing half-created.
 */
export function deferredChecks(): { defer: DeferredCheck; holdingBackTheBucket: pulumi.Output<unknown>[] } {
    const holdingBackTheBucket: pulumi.Output<unknown>[] = [];
    const defer: DeferredCheck = <T>(value: pulumi.Input<T>, check: (resolved: unknown) => void, holdsBackTheBucket: boolean) => {
        if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) return undefined;
        const checked = pulumi.output(value).apply((resolved) => {
            check(resolved);
            return resolved;
        });
        if (holdsBackTheBucket) holdingBackTheBucket.push(checked);
        return checked as pulumi.Input<T>;
    };
    return { defer, holdingBackTheBucket };
}
