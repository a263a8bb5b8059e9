import type * as pulumi from "@pulumi/pulumi";
import { aliasNameProblem } from "./rules/aliasName";
import { autoNamedBucketProblem, bucketNameProblem } from "./rules/bucketName";
import { wholeNumberProblem } from "./rules/numbers";
import { administratorProblem, DeploymentAccount, deploymentProblem, principalArnProblem } from "./rules/principalArn";
import { regionProblem } from "./rules/region";
import { tagCountProblem, tagKeyProblem, tagValueProblem } from "./rules/tags";
import { SECURE_BUCKET_DEFAULTS, SecureBucketArgs, TLS_VERSIONS, TlsVersion } from "./secureBucketArgs";

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

/** The arguments after validation, with every default filled in. */
export interface ValidatedSecureBucketArgs {
    administrators: pulumi.Input<string>[];
    readers: pulumi.Input<string>[];
    writers: pulumi.Input<string>[];
    /** Undefined when the bucket is auto-named. */
    bucketName: pulumi.Input<string> | undefined;
    aliasName: pulumi.Input<string>;
    /** Undefined when the provider's region applies. */
    region: pulumi.Input<string> | undefined;
    bucketKeyEnabled: boolean;
    versioning: boolean;
    keyRotationPeriodInDays: number;
    keyDeletionWindowInDays: number;
    minimumTlsVersion: TlsVersion;
    abortIncompleteMultipartUploadDays: number;
    noncurrentVersionExpirationDays: number;
    forceDestroy: boolean;
    protect: boolean;
    tags: Record<string, pulumi.Input<string>>;
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

/** Longest lifecycle period accepted, in days: a hundred years. */
export const MAX_LIFECYCLE_DAYS = 36500;

/** The whole-number arguments. */
type WholeNumberArgument = Extract<
    keyof typeof SECURE_BUCKET_DEFAULTS,
    "keyRotationPeriodInDays" | "keyDeletionWindowInDays" | "abortIncompleteMultipartUploadDays" | "noncurrentVersionExpirationDays"
>;

/** The whole-number arguments and their inclusive ranges. */
export const WHOLE_NUMBER_RANGES: { readonly [K in WholeNumberArgument]: readonly [min: number, max: number] } = {
    keyRotationPeriodInDays: [90, 2560],
    keyDeletionWindowInDays: [7, 30],
    abortIncompleteMultipartUploadDays: [1, MAX_LIFECYCLE_DAYS],
    noncurrentVersionExpirationDays: [1, MAX_LIFECYCLE_DAYS],
};

const KNOWN_ARGUMENTS = new Set<string>([
    "administrators",
    "readers",
    "writers",
    "bucketName",
    "aliasName",
    "region",
    "tags",
    ...Object.keys(SECURE_BUCKET_DEFAULTS),
]);

type Rule = (value: unknown) => string | undefined;

function describe(value: unknown): string {
    // Cut by characters, not UTF-16 units, so a long value never ends in half a character.
    if (typeof value === "string" && [...value].length > 120) return JSON.stringify(`${[...value].slice(0, 117).join("")}...`);
    return value === undefined ? "undefined" : JSON.stringify(value);
}

/**
 * Validates every argument and fills in defaults. Plain values are checked now and all problems are
 * raised together as one {@link SecureBucketArgumentError}, before any resource exists. Values that
 * arrive as Outputs or Promises are checked through `options.defer` when they resolve, with the same
 * message. A pure function: it does not load the Pulumi SDK.
 */
export function validateSecureBucketArgs(
    componentName: string,
    args: SecureBucketArgs,
    options: ValidationOptions = {},
): ValidatedSecureBucketArgs {
    const label = options.label ?? ((argument: string) => argument);
    const problems: string[] = [];
    const line = (argument: string, value: unknown, problem: string): string => `${argument}: ${describe(value)} ${problem}`;
    const report = (argument: string, value: unknown, problem: string): void => {
        problems.push(line(argument, value, problem));
    };
    const checkInput = <T>(argument: string, value: pulumi.Input<T>, rule: Rule): pulumi.Input<T> => {
        const deferred = options.defer?.(value, (resolved) => {
            const problem = rule(resolved);
            if (problem !== undefined) {
                throw new SecureBucketArgumentError(componentName, [line(argument, resolved, problem)]);
            }
        });
        if (deferred !== undefined) return deferred;
        const problem = rule(value);
        if (problem !== undefined) report(argument, value, problem);
        return value;
    };
    const checkPlain = <T>(argument: keyof typeof SECURE_BUCKET_DEFAULTS, rule: Rule): T => {
        const value: unknown = args[argument] ?? SECURE_BUCKET_DEFAULTS[argument];
        const problem = rule(value);
        if (problem !== undefined) report(label(argument), value, problem);
        return value as T;
    };
    const checkWholeNumber = (argument: keyof typeof WHOLE_NUMBER_RANGES): number => {
        const [min, max] = WHOLE_NUMBER_RANGES[argument];
        return checkPlain(argument, (v) => wholeNumberProblem(v, min, max));
    };
    const checkPrincipals = (argument: "administrators" | "readers" | "writers", rule: Rule): pulumi.Input<string>[] => {
        const list: unknown = args[argument] ?? [];
        if (!Array.isArray(list)) {
            report(label(argument), list, "must be a list of principal ARNs");
            return [];
        }
        return list.map((arn: pulumi.Input<string>, i) => checkInput(`${label(argument)}[${i}]`, arn, rule));
    };
    const isBoolean: Rule = (v) => (typeof v === "boolean" ? undefined : "must be true or false");
    const isTlsVersion: Rule = (v) =>
        TLS_VERSIONS.includes(v as TlsVersion) ? undefined : `must be one of ${TLS_VERSIONS.map((t) => `"${t}"`).join(", ")}`;

    if (typeof args !== "object" || args === null) {
        throw new SecureBucketArgumentError(componentName, [`args: ${describe(args)} must be an object`]);
    }
    for (const key of Object.keys(args)) {
        if (!KNOWN_ARGUMENTS.has(key)) {
            report(label(key), (args as Record<string, unknown>)[key], `is not an argument of SecureBucket; known: ${[...KNOWN_ARGUMENTS].join(", ")}`);
        }
    }

    const administrators = checkPrincipals("administrators", administratorProblem);
    const readers = checkPrincipals("readers", principalArnProblem);
    const writers = checkPrincipals("writers", principalArnProblem);
    let bucketName: pulumi.Input<string> | undefined;
    if (args.bucketName === undefined) {
        const problem = autoNamedBucketProblem(componentName);
        if (problem !== undefined) report("name", componentName, `${problem}; or set ${label("bucketName")}`);
    } else {
        bucketName = checkInput(label("bucketName"), args.bucketName, bucketNameProblem);
    }
    const aliasName =
        args.aliasName === undefined
            ? checkInput(`${label("aliasName")} (default from name)`, `alias/${componentName}`, aliasNameProblem)
            : checkInput(label("aliasName"), args.aliasName, aliasNameProblem);
    const region =
        args.region === undefined
            ? undefined
            : checkInput(label("region"), args.region, regionProblem);
    const tags: Record<string, pulumi.Input<string>> = {};
    const givenTags: unknown = args.tags ?? {};
    if (typeof givenTags !== "object" || givenTags === null || Array.isArray(givenTags)) {
        report(label("tags"), givenTags, "must be a map of tag keys to string values");
    } else {
        const count = Object.keys(givenTags).length;
        const countProblem = tagCountProblem(count);
        if (countProblem !== undefined) report(label("tags"), count, countProblem);
        for (const [key, value] of Object.entries(givenTags as Record<string, pulumi.Input<string>>)) {
            const keyProblem = tagKeyProblem(key);
            if (keyProblem !== undefined) report(`${label("tags")}.${key}`, key, keyProblem);
            tags[key] = checkInput(`${label("tags")}.${key}`, value, tagValueProblem);
        }
    }

    const validated: ValidatedSecureBucketArgs = {
        administrators,
        readers,
        writers,
        bucketName,
        aliasName,
        region,
        bucketKeyEnabled: checkPlain("bucketKeyEnabled", isBoolean),
        versioning: checkPlain("versioning", isBoolean),
        keyRotationPeriodInDays: checkWholeNumber("keyRotationPeriodInDays"),
        keyDeletionWindowInDays: checkWholeNumber("keyDeletionWindowInDays"),
        minimumTlsVersion: checkPlain("minimumTlsVersion", isTlsVersion),
        abortIncompleteMultipartUploadDays: checkWholeNumber("abortIncompleteMultipartUploadDays"),
        noncurrentVersionExpirationDays: checkWholeNumber("noncurrentVersionExpirationDays"),
        forceDestroy: checkPlain("forceDestroy", isBoolean),
        protect: checkPlain("protect", isBoolean),
        tags,
    };
    if (problems.length > 0) throw new SecureBucketArgumentError(componentName, problems);
    return validated;
}

/** The principals of a SecureBucket, resolved. */
export interface ResolvedPrincipals {
    administrators: readonly string[];
    readers: readonly string[];
    writers: readonly string[];
}

/**
 * The checks only a deployment can make, once the deploying account is known: every principal is
 * in its partition, and every administrator in its account. Raises one
 * {@link SecureBucketArgumentError} listing every problem.
 */
export function checkDeployment(componentName: string, principals: ResolvedPrincipals, deployment: DeploymentAccount): void {
    const problems: string[] = [];
    for (const [argument, role] of [["administrators", "administrator"], ["readers", "data user"], ["writers", "data user"]] as const) {
        principals[argument].forEach((arn, i) => {
            const problem = deploymentProblem(arn, role, deployment);
            if (problem !== undefined) problems.push(`${argument}[${i}]: ${describe(arn)} ${problem}`);
        });
    }
    if (problems.length > 0) throw new SecureBucketArgumentError(componentName, problems);
}
