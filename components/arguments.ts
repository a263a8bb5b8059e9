/**
 * Every argument of SecureBucket, declared once: its rule, its default and how stack config carries
 * it. Its type and its documentation are its declaration in secureBucketArgs.ts; the known-argument
 * list, the defaults, the validation, the stack-config reader, the Automation API's typed config and
 * Pulumi.yaml's config block are all derived from this table, and the compiler refuses a table that
 * leaves an argument out.
 */
import type * as pulumi from "@pulumi/pulumi";
import { aliasNameProblem } from "./rules/aliasName";
import { autoNamedBucketProblem, bucketNameProblem } from "./rules/bucketName";
import { wholeNumberProblem } from "./rules/numbers";
import { administratorProblem, DeploymentAccount, deploymentProblem, principalArnProblem } from "./rules/principalArn";
import { regionProblem } from "./rules/region";
import { tagCountProblem, tagKeyProblem, tagValueProblem } from "./rules/tags";
import { SecureBucketArgs, TLS_VERSIONS, ValidatedSecureBucketArgs } from "./secureBucketArgs";

/** What is wrong with a value, or undefined when nothing is. */
export type Rule = (value: unknown) => string | undefined;

/**
 * How stack config carries an argument (always as text): the shape Pulumi.yaml declares and the
 * program reads back. `principals` and `tags` are YAML lists and maps, which reach the program as JSON.
 */
export type ConfigShape =
    | { kind: "text" }
    | { kind: "flag" }
    | { kind: "wholeNumber"; min: number; max: number }
    | { kind: "oneOf"; values: readonly string[] }
    | { kind: "principals" }
    | { kind: "tags" };

/** What an argument's check is given besides the value. */
export interface ArgumentContext {
    /** Name of the component being validated: the auto-named bucket and the default alias come from it. */
    readonly componentName: string;
    /** What the user calls this argument: its name, or for the program its config key. */
    readonly label: string;
    /** Records a problem, shown as `<where>: <value> <problem>`. */
    report(where: string, value: unknown, problem: string): void;
    /** Checks a value now when it is plain, or when it resolves; returns what to use in its place. */
    input<T>(where: string, value: pulumi.Input<T>, rule: Rule): pulumi.Input<T>;
}

/** One argument: its rule and default, and how stack config carries it. */
export interface Argument<T> {
    /** How stack config carries the argument. */
    readonly config: ConfigShape;
    /** The config key, when it is not `secure-bucket:<argument>`. */
    readonly configKey?: string;
    /** Why the stack config must set it, when it must. */
    readonly requiredInConfig?: string;
    /** The value used when the argument is not given, when that is a fixed value. */
    readonly default?: T;
    /** Checks the value given (undefined when it was not) and returns it, or its default. */
    check(value: unknown, at: ArgumentContext): T;
    /**
     * The checks only a deployment can make, on the resolved value, once the deploying account is
     * known: one problem per element of a list, by index, or none.
     */
    checkDeployment?(resolved: unknown, deployment: DeploymentAccount): (string | undefined)[];
}

/** The longest lifecycle period accepted, in days: a hundred years. */
export const MAX_LIFECYCLE_DAYS = 36500;

const isBoolean: Rule = (v) => (typeof v === "boolean" ? undefined : "must be true or false");

/** A plain value (never an Output), with a default. */
function plain<T>(config: ConfigShape, fallback: T, rule: Rule): Argument<T> {
    return {
        config,
        default: fallback,
        check(value, at) {
            const given = value ?? fallback;
            const problem = rule(given);
            if (problem !== undefined) at.report(at.label, given, problem);
            return given as T;
        },
    };
}

const flag = (fallback: boolean): Argument<boolean> => plain({ kind: "flag" }, fallback, isBoolean);

function wholeNumber(fallback: number, min: number, max: number): Argument<number> {
    return plain({ kind: "wholeNumber", min, max }, fallback, (v) => wholeNumberProblem(v, min, max));
}

function oneOf<V extends string>(values: readonly V[], fallback: V): Argument<V> {
    const rule: Rule = (v) => (values.includes(v as V) ? undefined : `must be one of ${values.map((x) => `"${x}"`).join(", ")}`);
    return plain({ kind: "oneOf", values }, fallback, rule);
}

/** A list of principal ARNs, each an Input checked with `rule`, and at deploy time as `role`. */
function principals(rule: Rule, role: "administrator" | "data user"): Argument<pulumi.Input<string>[]> {
    return {
        config: { kind: "principals" },
        default: [],
        checkDeployment: (resolved, deployment) => (resolved as string[]).map((arn) => deploymentProblem(arn, role, deployment)),
        check(value, at) {
            const list = value ?? [];
            if (!Array.isArray(list)) {
                at.report(at.label, list, "must be a list of principal ARNs");
                return [];
            }
            return list.map((arn: pulumi.Input<string>, i) => at.input(`${at.label}[${i}]`, arn, rule));
        },
    };
}

/** The name of a child; when it is not given, `whenUnset` decides (a default, or Pulumi's auto-naming). */
function childName<T extends pulumi.Input<string> | undefined>(rule: Rule, whenUnset: (at: ArgumentContext) => T): Argument<T> {
    return {
        config: { kind: "text" },
        check: (value, at) => (value === undefined ? whenUnset(at) : (at.input(at.label, value as pulumi.Input<string>, rule) as T)),
    };
}

const tags: Argument<Record<string, pulumi.Input<string>>> = {
    config: { kind: "tags" },
    default: {},
    check(value, at) {
        const given = value ?? {};
        if (typeof given !== "object" || given === null || Array.isArray(given)) {
            at.report(at.label, given, "must be a map of tag keys to string values");
            return {};
        }
        const entries = Object.entries(given as Record<string, pulumi.Input<string>>);
        const countProblem = tagCountProblem(entries.length);
        if (countProblem !== undefined) at.report(at.label, entries.length, countProblem);
        const checked: Record<string, pulumi.Input<string>> = {};
        for (const [key, tagValue] of entries) {
            const keyProblem = tagKeyProblem(key);
            if (keyProblem !== undefined) at.report(`${at.label}.${key}`, key, keyProblem);
            checked[key] = at.input(`${at.label}.${key}`, tagValue, tagValueProblem);
        }
        return checked;
    },
};

/** Every argument of SecureBucket, in the order Pulumi.yaml declares them. */
export const ARGUMENTS: { readonly [K in keyof SecureBucketArgs]-?: Argument<ValidatedSecureBucketArgs[K]> } = {
    administrators: principals(administratorProblem, "administrator"),
    readers: principals(principalArnProblem, "data user"),
    writers: principals(principalArnProblem, "data user"),
    bucketName: childName<pulumi.Input<string> | undefined>(bucketNameProblem, (at) => {
        const problem = autoNamedBucketProblem(at.componentName);
        if (problem !== undefined) at.report("name", at.componentName, `${problem}; or set ${at.label}`);
        return undefined;
    }),
    aliasName: childName(aliasNameProblem, (at) => at.input(`${at.label} (default from name)`, `alias/${at.componentName}`, aliasNameProblem)),
    region: {
        config: { kind: "text" },
        configKey: "aws:region",
        requiredInConfig: 'must be set to the stack\'s AWS region, e.g. "pulumi config set aws:region eu-west-1"',
        check: (value, at) => (value === undefined ? undefined : at.input(at.label, value as pulumi.Input<string>, regionProblem)),
    },
    bucketKeyEnabled: flag(true),
    versioning: flag(true),
    keyRotationPeriodInDays: wholeNumber(365, 90, 2560),
    keyDeletionWindowInDays: wholeNumber(30, 7, 30),
    minimumTlsVersion: oneOf(TLS_VERSIONS, "1.2"),
    abortIncompleteMultipartUploadDays: wholeNumber(7, 1, MAX_LIFECYCLE_DAYS),
    noncurrentVersionExpirationDays: wholeNumber(365, 1, MAX_LIFECYCLE_DAYS),
    forceDestroy: flag(false),
    protect: flag(true),
    tags,
};

/** The name of every argument, in the table's order. */
export const ARGUMENT_NAMES: readonly (keyof SecureBucketArgs)[] = Object.keys(ARGUMENTS) as (keyof SecureBucketArgs)[];

/** The fixed default of every argument that has one, as documented on {@link SecureBucketArgs}. */
export const SECURE_BUCKET_DEFAULTS: { readonly [K in keyof SecureBucketArgs]?: ValidatedSecureBucketArgs[K] } = Object.fromEntries(
    ARGUMENT_NAMES.filter((argument) => ARGUMENTS[argument].default !== undefined).map((argument) => [argument, ARGUMENTS[argument].default]),
);
