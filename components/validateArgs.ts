import type * as pulumi from "@pulumi/pulumi";
import { Argument, ArgumentContext, ARGUMENTS, Rule } from "./arguments";
import { DeploymentAccount } from "./rules/principalArn";
import { SecureBucketArgs, ValidatedSecureBucketArgs } from "./secureBucketArgs";

/** Raised for bad arguments of a component of this library; `problems` has one line per argument, naming it, its value and what is allowed. */
export class SecureBucketArgumentError extends Error {
    constructor(
        componentName: string,
        readonly problems: readonly string[],
        /** The component's type: SecureBucket, AccessLogsBucket, SecureBucketReplication. */
        componentType = "SecureBucket",
    ) {
        super(`Invalid arguments for ${componentType} "${componentName}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "SecureBucketArgumentError";
    }
}

/** Turns an argument name into the name a user knows it by (a config key, for the program). */
export type ArgumentLabel = (argument: string) => string;

/**
 * For an Input that is not a plain value (an Output or a Promise): returns it wrapped so that
 * `check` runs when it resolves. For a plain value: returns undefined, and the value is checked now.
 * `holdsBackTheBucket` is false for arguments whose Outputs may come from resources built on the
 * component's bucket, which must not wait for them.
 */
export type DeferredCheck = <T>(value: pulumi.Input<T>, check: (resolved: unknown) => void, holdsBackTheBucket: boolean) => pulumi.Input<T> | undefined;

/** How {@link validateSecureBucketArgs} names arguments and treats values that are not plain yet. */
export interface ValidationOptions {
    /** @default the argument's own name */
    label?: ArgumentLabel;
    /** @default none: every value must be plain (as in stack config) */
    defer?: DeferredCheck;
}

/** A value as error messages show it: JSON, a long string cut short, `(not set)` for nothing. */
export function describeValue(value: unknown): string {
    // Cut by characters, not UTF-16 units, so a long value never ends in half a character.
    if (typeof value === "string" && [...value].length > 120) return JSON.stringify(`${[...value].slice(0, 117).join("")}...`);
    return value === undefined ? "(not set)" : JSON.stringify(value);
}

/** A table of arguments: one rule per argument of `A`, checked into `V`. */
export type ArgumentTable<A, V extends { [K in keyof A]-?: unknown }> = { readonly [K in keyof A]-?: Argument<V[K]> };

/**
 * Validates every argument of a component by the rules of its table, and fills in defaults. Plain
 * values are checked now and all problems are raised together as one
 * {@link SecureBucketArgumentError}, before any resource exists. Values that arrive as Outputs or
 * Promises are checked through `options.defer` when they resolve, with the same message. A pure
 * function: it does not load the Pulumi SDK.
 */
export function validateArguments<A, V extends { [K in keyof A]-?: unknown }>(
    componentType: string,
    table: ArgumentTable<A, V>,
    componentName: string,
    args: A,
    options: ValidationOptions = {},
): V {
    if (typeof args !== "object" || args === null) {
        throw new SecureBucketArgumentError(componentName, [`args: ${describeValue(args)} must be an object`], componentType);
    }
    const label = options.label ?? ((argument: string) => argument);
    const problems: string[] = [];
    const line = (where: string, value: unknown, problem: string): string => `${where}: ${describeValue(value)} ${problem}`;
    const report = (where: string, value: unknown, problem: string): void => void problems.push(line(where, value, problem));
    const names = Object.keys(table) as (keyof A & string)[];
    const given = args as Record<string, unknown>;
    for (const key of Object.keys(given)) {
        if (!(names as string[]).includes(key)) report(label(key), given[key], `is not an argument of ${componentType}; known: ${names.join(", ")}`);
    }
    const validated: Partial<V> = {};
    for (const argument of names) {
        const rule: Argument<unknown> = table[argument];
        const input = <T>(where: string, value: pulumi.Input<T>, check: Rule): pulumi.Input<T> => {
            const whenResolved = (resolved: unknown) => {
                const problem = check(resolved);
                if (problem !== undefined) throw new SecureBucketArgumentError(componentName, [line(where, resolved, problem)], componentType);
            };
            const deferred = options.defer?.(value, whenResolved, rule.resolvesAfterBucket !== true);
            if (deferred !== undefined) return deferred;
            const problem = check(value);
            if (problem !== undefined) report(where, value, problem);
            return value;
        };
        const context: ArgumentContext = { componentName, label: label(argument), labelOf: label, given, report, input };
        // Each rule returns the type its table entry declares for the argument.
        (validated as Record<string, unknown>)[argument] = rule.check(given[argument], context);
    }
    if (problems.length > 0) throw new SecureBucketArgumentError(componentName, problems, componentType);
    return validated as V;
}

/**
 * Validates every argument of a SecureBucket: {@link validateArguments} with the rules of
 * {@link ARGUMENTS}.
 */
export function validateSecureBucketArgs(componentName: string, args: SecureBucketArgs, options: ValidationOptions = {}): ValidatedSecureBucketArgs {
    return validateArguments("SecureBucket", ARGUMENTS, componentName, args, options);
}

/**
 * The checks only a deployment can make, once the deploying account is known (every principal in
 * its partition, every administrator in its account), on the resolved values of the arguments that
 * have them. Raises one {@link SecureBucketArgumentError} listing every problem.
 */
export function checkDeployment(componentName: string, resolved: Partial<Record<keyof SecureBucketArgs, unknown>>, deployment: DeploymentAccount): void {
    const problems: string[] = [];
    for (const [argument, list] of Object.entries(resolved) as [keyof SecureBucketArgs, unknown][]) {
        ARGUMENTS[argument].checkDeployment?.(list, deployment).forEach((problem, i) => {
            if (problem !== undefined) problems.push(`${argument}[${i}]: ${describeValue((list as unknown[])[i])} ${problem}`);
        });
    }
    if (problems.length > 0) throw new SecureBucketArgumentError(componentName, problems);
}
