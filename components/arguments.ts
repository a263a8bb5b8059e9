/**
 * Every argument of SecureBucket, declared once: its rule, its default and how stack config carries
 * it. Its type and its documentation are its declaration in secureBucketArgs.ts; the known-argument
 * list, the defaults, the validation, the stack-config reader, the Automation API's typed config and
 * Pulumi.yaml's config block are all derived from this table, and the compiler refuses a table that
 * leaves an argument out.
 */
import type * as pulumi from "@pulumi/pulumi";
import { aliasNameProblem } from "./rules/aliasName";
import { autoNamedBucketProblem, bucketNameProblem, existingBucketNameProblem, LOGGING_INTO_ITSELF } from "./rules/bucketName";
import { distributionArnProblem } from "./rules/cloudFront";
import { logSourceOverlaps, logSourceProblem } from "./rules/logSource";
import { wholeNumberProblem } from "./rules/numbers";
import { adoptionProblems, extraStatementProblems } from "./rules/adoption";
import { objectLockProblems } from "./rules/objectLock";
import { BUCKET_POLICY_SIDS } from "./policies/bucketPolicy";
import { administratorProblem, DeploymentAccount, deploymentProblem, principalArnProblem } from "./rules/principalArn";
import { regionNameProblem, regionProblem } from "./rules/region";
import { tagCountProblem, tagKeyProblem, tagValueProblem } from "./rules/tags";
import { transitionProblems } from "./rules/transitions";
import { AccessLogsSettings, SecureBucketArgs, TLS_VERSIONS, Transition, ValidatedSecureBucketArgs } from "./secureBucketArgs";
import type { ArgumentTable } from "./validateArgs";
import type { AccessLogsBucketArgs, ValidatedAccessLogsBucketArgs } from "./accessLogsBucketArgs";

/** What is wrong with a value, or undefined when nothing is. */
export type Rule = (value: unknown) => string | undefined;

/**
 * How stack config carries an argument (always as text): the shape Pulumi.yaml declares and the
 * program reads back. Lists, maps and objects are YAML in the stack file, and reach the program as JSON.
 */
export type ConfigShape =
    | { kind: "text" }
    | { kind: "flag" }
    | { kind: "wholeNumber"; min: number; max: number }
    | { kind: "oneOf"; values: readonly string[] }
    /** A list of strings: `of` says what they are, in messages. */
    | { kind: "list"; of: string }
    /** A map of strings to strings. */
    | { kind: "map"; of: string }
    /** Any YAML value (an object, a list of objects): the argument's check says what is wrong with it. */
    | { kind: "yaml"; expected: string };

/** What an argument's check is given besides the value. */
export interface ArgumentContext {
    /** Name of the component being validated: the auto-named bucket and the default alias come from it. */
    readonly componentName: string;
    /** What the user calls this argument: its name, or for the program its config key. */
    readonly label: string;
    /** What the user calls another argument. */
    labelOf(argument: string): string;
    /** Every argument as given, for the rules that relate two of them. */
    readonly given: Readonly<Record<string, unknown>>;
    /** Records a problem, shown as `<where>: <value> <problem>`. */
    report(where: string, value: unknown, problem: string): void;
    /** Checks a value now when it is plain, or when it resolves; returns what to use in its place. */
    input<T>(where: string, value: pulumi.Input<T>, rule: Rule): pulumi.Input<T>;
}

/** One argument: its rule and its default. */
export interface Argument<T> {
    /** The value used when the argument is not given, when that is a fixed value. */
    readonly default?: T;
    /** Checks the value given (undefined when it was not) and returns it, or its default. */
    check(value: unknown, at: ArgumentContext): T;
    /**
     * Its Outputs may come from resources built on this component's bucket (a CloudFront
     * distribution, a log bucket that names it): they are checked when they resolve without holding
     * the bucket back, which would make a cycle.
     */
    readonly resolvesAfterBucket?: boolean;
    /**
     * The checks only a deployment can make, on the resolved value, once the deploying account is
     * known: one problem per element of a list, by index, or none.
     */
    checkDeployment?(resolved: unknown, deployment: DeploymentAccount): (string | undefined)[];
}

/** An argument that stack config can set: also how it carries it. */
export interface ConfigArgument<T> extends Argument<T> {
    /** How stack config carries the argument. */
    readonly config: ConfigShape;
    /** The config key, when it is not `secure-bucket:<argument>`. */
    readonly configKey?: string;
    /** Why the stack config must set it, when it must. */
    readonly requiredInConfig?: string;
}

/** The longest lifecycle period accepted, in days: a hundred years. */
export const MAX_LIFECYCLE_DAYS = 36500;

const isBoolean: Rule = (v) => (typeof v === "boolean" ? undefined : "must be true or false");

/** A plain value (never an Output), with a default. */
function plain<T>(config: ConfigShape, fallback: T, rule: Rule): ConfigArgument<T> {
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

export const flag = (fallback: boolean): ConfigArgument<boolean> => plain({ kind: "flag" }, fallback, isBoolean);

function wholeNumber(fallback: number, min: number, max: number): ConfigArgument<number> {
    return plain({ kind: "wholeNumber", min, max }, fallback, (v) => wholeNumberProblem(v, min, max));
}

function oneOf<V extends string>(values: readonly V[], fallback: V): ConfigArgument<V> {
    const rule: Rule = (v) => (values.includes(v as V) ? undefined : `must be one of ${values.map((x) => `"${x}"`).join(", ")}`);
    return plain({ kind: "oneOf", values }, fallback, rule);
}

/** A list of `of` (in messages); `item` checks each element, shown at `where`, and returns what to use in its place. */
function list<T>(of: string, item: (element: unknown, where: string, at: ArgumentContext) => T): ConfigArgument<T[]> {
    return {
        config: { kind: "list", of },
        default: [],
        check(value, at) {
            const given = value ?? [];
            if (!Array.isArray(given)) {
                at.report(at.label, given, `must be a list of ${of}`);
                return [];
            }
            return given.map((element: unknown, i) => item(element, `${at.label}[${i}]`, at));
        },
    };
}

/** A list of ARNs (`of`, in messages), each an Input checked with `rule`. */
function arns(rule: Rule, of: string): ConfigArgument<pulumi.Input<string>[]> {
    return list(of, (arn, where, at) => at.input(where, arn as pulumi.Input<string>, rule));
}

/** A list of principal ARNs, each checked with `rule`, and at deploy time as `role`. */
function principals(rule: Rule, role: "administrator" | "data user"): ConfigArgument<pulumi.Input<string>[]> {
    return {
        ...arns(rule, "principal ARNs"),
        checkDeployment: (resolved, deployment) => (resolved as string[]).map((arn) => deploymentProblem(arn, role, deployment)),
    };
}

/** Lifecycle transitions, plain values; `expiresAfter` reads the days after which those versions expire, when they do. */
function transitions(expiresAfter?: (given: Readonly<Record<string, unknown>>) => number): ConfigArgument<Transition[]> {
    return {
        config: { kind: "yaml", expected: "a YAML list of { days, storageClass }" },
        default: [],
        check(value, at) {
            const given = value ?? [];
            const expiry = expiresAfter?.(at.given);
            const { list, items } = transitionProblems(given, MAX_LIFECYCLE_DAYS, typeof expiry === "number" ? expiry : undefined);
            if (list !== undefined) at.report(at.label, given, list);
            items.forEach((problem, i) => problem !== undefined && at.report(`${at.label}[${i}]`, (given as unknown[])[i], problem));
            return given as Transition[];
        },
    };
}

/** The name of a child; when it is not given, `whenUnset` decides (a default, or Pulumi's auto-naming). */
function childName<T extends pulumi.Input<string> | undefined>(rule: Rule, whenUnset: (at: ArgumentContext) => T): ConfigArgument<T> {
    return {
        config: { kind: "text" },
        check: (value, at) => (value === undefined ? whenUnset(at) : (at.input(at.label, value as pulumi.Input<string>, rule) as T)),
    };
}

const tags: ConfigArgument<Record<string, pulumi.Input<string>>> = {
    config: { kind: "map", of: "tag keys to string values" },
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

/** Region names accepted besides those @pulumi/aws lists: plain, as the region's rule reads them. */
const unlistedRegions: ConfigArgument<string[]> = list("region names", (name, where, at) => {
    const problem = regionNameProblem(name);
    if (problem !== undefined) at.report(where, name, problem);
    return name as string;
});

/** Every argument of SecureBucket, in the order Pulumi.yaml declares them. */
export const ARGUMENTS: { readonly [K in keyof SecureBucketArgs]-?: ConfigArgument<ValidatedSecureBucketArgs[K]> } = {
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
        check(value, at) {
            if (value === undefined) return undefined;
            const unlisted = Array.isArray(at.given.unlistedRegions) ? (at.given.unlistedRegions as unknown[]) : [];
            return at.input(at.label, value as pulumi.Input<string>, (region) => regionProblem(region, unlisted, at.labelOf("unlistedRegions")));
        },
    },
    unlistedRegions,
    accessLogs: {
        config: { kind: "yaml", expected: "a YAML map { bucket, prefix }" },
        // A log bucket may name this one among its sources: its name must not hold this bucket back.
        resolvesAfterBucket: true,
        check(value, at) {
            if (value === undefined) return undefined;
            if (typeof value !== "object" || value === null || Array.isArray(value)) {
                at.report(at.label, value, "must be { bucket, prefix }: the bucket to deliver the logs to, and a key prefix");
                return undefined;
            }
            const { bucket, prefix, ...unknown } = value as Record<string, unknown>;
            for (const field of Object.keys(unknown)) at.report(`${at.label}.${field}`, unknown[field], "is not a field of accessLogs: it takes bucket and prefix");
            if (bucket !== undefined && bucket === at.given.bucketName) {
                at.report(`${at.label}.bucket`, bucket, LOGGING_INTO_ITSELF);
            }
            const checked: AccessLogsSettings = { bucket: at.input(`${at.label}.bucket`, bucket as pulumi.Input<string>, existingBucketNameProblem) };
            if (prefix !== undefined) {
                checked.prefix = at.input(`${at.label}.prefix`, prefix as pulumi.Input<string>, (p) =>
                    typeof p === "string" && p.length <= 512 ? undefined : "must be a string of at most 512 characters",
                );
            }
            return checked;
        },
    },
    objectLock: {
        config: { kind: "yaml", expected: "a YAML map { mode, days } or { mode, years }, and acknowledgeComplianceCannotBeUndone: true with COMPLIANCE" },
        check(value, at) {
            if (value === undefined) return undefined;
            for (const { field, problem } of objectLockProblems(value)) {
                at.report(field === undefined ? at.label : `${at.label}.${field}`, field === undefined ? value : (value as Record<string, unknown>)[field], problem);
            }
            if (at.given.versioning === false) at.report(at.label, value, "needs versioning: Object Lock protects object versions (set versioning to true)");
            return value as ValidatedSecureBucketArgs["objectLock"];
        },
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
    eventBridge: flag(false),
    transitions: transitions(),
    noncurrentVersionTransitions: transitions((given) => (given.noncurrentVersionExpirationDays as number | undefined) ?? 365),
    cloudFrontDistributions: { ...arns(distributionArnProblem, "CloudFront distribution ARNs"), resolvesAfterBucket: true },
    tags,
    adoptExisting: {
        config: { kind: "yaml", expected: "a YAML map { replace, retainOnDelete }" },
        check(value, at) {
            if (value === undefined) return undefined;
            for (const { field, problem } of adoptionProblems(value, at.given)) {
                at.report(field === undefined ? at.label : `${at.label}.${field}`, field === undefined ? value : (value as Record<string, unknown>)[field], problem);
            }
            return value as ValidatedSecureBucketArgs["adoptExisting"];
        },
    },
    extraBucketPolicyStatements: {
        config: { kind: "yaml", expected: "a YAML list of bucket policy statements { Sid, Effect, Principal, Action, Resource, Condition }" },
        default: [],
        check(value, at) {
            const given = value ?? [];
            if (!Array.isArray(given)) {
                at.report(at.label, given, "must be a list of bucket policy statements");
                return [];
            }
            const bucketName = typeof at.given.bucketName === "string" ? at.given.bucketName : undefined;
            const seen = new Set<unknown>();
            given.forEach((statement: unknown, i) => {
                for (const { field, problem } of extraStatementProblems(statement, Object.values(BUCKET_POLICY_SIDS), bucketName)) {
                    at.report(field === undefined ? `${at.label}[${i}]` : `${at.label}[${i}].${field}`, field === undefined ? statement : (statement as Record<string, unknown>)[field], problem);
                }
                const sid = (statement as { Sid?: unknown } | null)?.Sid;
                if (seen.has(sid)) at.report(`${at.label}[${i}].Sid`, sid, "is the id of another carried statement: Sids must be unique");
                seen.add(sid);
            });
            return given as ValidatedSecureBucketArgs["extraBucketPolicyStatements"];
        },
    },
};

/** The name of every argument, in the table's order. */
export const ARGUMENT_NAMES: readonly (keyof SecureBucketArgs)[] = Object.keys(ARGUMENTS) as (keyof SecureBucketArgs)[];

/** The fixed default of every argument that has one, as documented on {@link SecureBucketArgs}. */
export const SECURE_BUCKET_DEFAULTS: { readonly [K in keyof SecureBucketArgs]?: ValidatedSecureBucketArgs[K] } = Object.fromEntries(
    ARGUMENT_NAMES.filter((argument) => ARGUMENTS[argument].default !== undefined).map((argument) => [argument, ARGUMENTS[argument].default]),
);

/**
 * An AccessLogsBucket's sources: each entry checked with {@link logSourceProblem}, and the plain ones
 * together for prefixes that overlap another bucket's; Outputs are checked for that when the policy
 * is built, once every entry is known.
 */
function logSources(): ConfigArgument<pulumi.Input<string>[]> {
    const entries = arns(logSourceProblem, "source bucket names, each with /<prefix> when its accessLogs.prefix is not the default");
    return {
        ...entries,
        resolvesAfterBucket: true,
        check(value, at) {
            const checked = entries.check(value, at);
            const plain = (Array.isArray(value) ? (value as unknown[]) : []).map((entry) => (typeof entry === "string" && logSourceProblem(entry) === undefined ? entry : undefined));
            for (const { index, problem } of logSourceOverlaps(plain, at.label)) at.report(`${at.label}[${index}]`, plain[index], problem);
            return checked;
        },
    };
}

/** Every argument of AccessLogsBucket, with the rules it shares with SecureBucket. */
export const ACCESS_LOGS_BUCKET_ARGUMENTS: ArgumentTable<AccessLogsBucketArgs, ValidatedAccessLogsBucketArgs> = {
    bucketName: ARGUMENTS.bucketName,
    region: ARGUMENTS.region,
    unlistedRegions,
    sourceBuckets: logSources(),
    retentionDays: wholeNumber(365, 1, MAX_LIFECYCLE_DAYS),
    noncurrentVersionExpirationDays: wholeNumber(30, 1, MAX_LIFECYCLE_DAYS),
    minimumTlsVersion: ARGUMENTS.minimumTlsVersion,
    forceDestroy: ARGUMENTS.forceDestroy,
    protect: ARGUMENTS.protect,
    tags,
};
