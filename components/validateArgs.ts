import type * as pulumi from "@pulumi/pulumi";
import { ArgumentContext, ARGUMENT_NAMES, ARGUMENTS, Rule } from "./arguments";
import { DeploymentAccount } from "./rules/principalArn";
import { SecureBucketArgs, ValidatedSecureBucketArgs } from "./secureBucketArgs";

/** Raised for bad arguments; `problems` has one line per argument, naming it, its value and what is allowed. */
export class SecureBucketArgumentError extends Error {
    constructor(
        componentName: string,
        readonly problems: readonly string[],
    ) {
        super(`Invalid arguments for SecureBucket "${componentName}":\n${problems.map((p) => `  - ${p}`).join("\n")}`);
        this.name = "SecureBucketArgumentError";
    }
}

/** Turns an argument name into the name a user knows it by (a config key, for the program). */
export type ArgumentLabel = (argument: string) => string;

/**
 * For an Input that is not a plain value (an Output or a Promise): returns it wrapped so that
 * `check` runs when it resolves. For a plain value: returns undefined, and the value is checked now.
 */
export type DeferredCheck = <T>(value: pulumi.Input<T>, check: (resolved: unknown) => void) => pulumi.Input<T> | undefined;

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

/**
 * Validates every argument and fills in defaults, by the rules of {@link ARGUMENTS}. Plain values
 * are checked now and all problems are raised together as one {@link SecureBucketArgumentError},
 * before any resource exists. Values that arrive as Outputs or Promises are checked through
 * `options.defer` when they resolve, with the same message. A pure function: it does not load the
 * Pulumi SDK.
 */
export function validateSecureBucketArgs(componentName: string, args: SecureBucketArgs, options: ValidationOptions = {}): ValidatedSecureBucketArgs {
    if (typeof args !== "object" || args === null) {
        throw new SecureBucketArgumentError(componentName, [`args: ${describeValue(args)} must be an object`]);
    }
    const label = options.label ?? ((argument: string) => argument);
    const problems: string[] = [];
    const line = (where: string, value: unknown, problem: string): string => `${where}: ${describeValue(value)} ${problem}`;
    const report = (where: string, value: unknown, problem: string): void => void problems.push(line(where, value, problem));
    const input = <T>(where: string, value: pulumi.Input<T>, rule: Rule): pulumi.Input<T> => {
        const deferred = options.defer?.(value, (resolved) => {
            const problem = rule(resolved);
            if (problem !== undefined) throw new SecureBucketArgumentError(componentName, [line(where, resolved, problem)]);
        });
        if (deferred !== undefined) return deferred;
        const problem = rule(value);
        if (problem !== undefined) report(where, value, problem);
        return value;
    };

    const given = args as Record<string, unknown>;
    for (const key of Object.keys(given)) {
        if (!(ARGUMENT_NAMES as string[]).includes(key)) {
            report(label(key), given[key], `is not an argument of SecureBucket; known: ${ARGUMENT_NAMES.join(", ")}`);
        }
    }
    const validated: { [K in keyof SecureBucketArgs]?: ValidatedSecureBucketArgs[K] } = {};
    const check = <K extends keyof SecureBucketArgs>(argument: K): void => {
        const context: ArgumentContext = { componentName, label: label(argument), report, input };
        // TypeScript cannot follow K through the table's mapped type; the table's type says it.
        validated[argument] = ARGUMENTS[argument].check(given[argument], context) as ValidatedSecureBucketArgs[K];
    };
    ARGUMENT_NAMES.forEach(check);
    if (problems.length > 0) throw new SecureBucketArgumentError(componentName, problems);
    // Every argument was checked just above, so none is missing.
    return validated as ValidatedSecureBucketArgs;
}

/**
 * The checks only a deployment can make, once the deploying account is known (every principal in
 * its partition, every administrator in its account), on the resolved values of the arguments that
 * have them. Raises one {@link SecureBucketArgumentError} listing every problem.
 */
export function checkDeployment(componentName: string, resolved: Partial<Record<keyof SecureBucketArgs, unknown>>, deployment: DeploymentAccount): void {
    const problems: string[] = [];
    for (const argument of ARGUMENT_NAMES) {
        const list = resolved[argument];
        if (list === undefined) continue;
        ARGUMENTS[argument].checkDeployment?.(list, deployment).forEach((problem, i) => {
            if (problem !== undefined) problems.push(`${argument}[${i}]: ${describeValue((list as unknown[])[i])} ${problem}`);
        });
    }
    if (problems.length > 0) throw new SecureBucketArgumentError(componentName, problems);
}
