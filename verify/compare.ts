/**
 * The drift checks: each expected setting against the live one, with the plan's placeholders
 * filled from the live values (the key id and the bucket name are known once the live key and
 * bucket are read; the deploying role is bound where it stands in the live key policy). Pure.
 */
import { PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_KEY_ID } from "../offline/placeholders";
import { DefaultRetention, ExpectedState, isRecord, Statement } from "./expected";
import type { LiveBucket, LiveKey } from "./live";
import { escapeRegExp, placeholderShape } from "./placeholderShapes";

/** A check's verdict. */
export type Verdict = "pass" | "drift" | "not verifiable here";

export interface Check {
    /** Stable name, e.g. `encryption.bucketKey`, `bucketPolicy.statement:DenyOtherKmsKeys`. */
    name: string;
    verdict: Verdict;
    expected?: unknown;
    actual?: unknown;
    /** Why it is not verifiable, or what drifted. */
    reason?: string;
}

/** Placeholder values and what each was bound to. */
export class Bindings {
    private readonly values = new Map<string, string>();
    /** Every placeholder, longest first, in one alternation: a placeholder inside another (the account in the deployer's ARN) never splits it. */
    private readonly anyPlaceholder: RegExp | undefined;
    constructor(readonly placeholders: readonly string[]) {
        const longestFirst = [...placeholders].sort((a, b) => b.length - a.length);
        this.anyPlaceholder = longestFirst.length === 0 ? undefined : new RegExp(longestFirst.map(escapeRegExp).join("|"), "g");
    }

    bind(placeholder: string, value: string): void {
        if (this.placeholders.includes(placeholder)) this.values.set(placeholder, value);
    }

    /** `text` cut into literal text and the placeholders standing in it. */
    private tokens(text: string): { literal: string; placeholder?: string }[] {
        if (this.anyPlaceholder === undefined) return [{ literal: text }];
        const out: { literal: string; placeholder?: string }[] = [];
        let last = 0;
        for (const match of text.matchAll(this.anyPlaceholder)) {
            out.push({ literal: text.slice(last, match.index) }, { literal: "", placeholder: match[0] });
            last = match.index + match[0].length;
        }
        out.push({ literal: text.slice(last) });
        return out;
    }

    /** `text` with every bound placeholder replaced by its value. */
    fill(text: string): string {
        return this.tokens(text)
            .map((t) => (t.placeholder === undefined ? t.literal : (this.values.get(t.placeholder) ?? t.placeholder)))
            .join("");
    }

    /** Placeholders still unbound in `text`. */
    unbound(text: string): string[] {
        const free = this.tokens(text).flatMap((t) => (t.placeholder === undefined || this.values.has(t.placeholder) ? [] : [t.placeholder]));
        return [...new Set(free)];
    }

    /**
     * Whether `expected` (with placeholders) can stand for `actual`; binds the unbound placeholders it
     * holds when it can. An unbound placeholder matches only a value of its shape (verify/placeholderShapes.ts).
     */
    matchString(expected: string, actual: string): boolean {
        const order: string[] = [];
        let pattern = "";
        for (const token of this.tokens(expected)) {
            if (token.placeholder === undefined) pattern += escapeRegExp(token.literal);
            else if (this.values.has(token.placeholder)) pattern += escapeRegExp(this.values.get(token.placeholder) ?? "");
            else {
                const shape = placeholderShape(token.placeholder, this.accountValue());
                if (shape === undefined) pattern += escapeRegExp(token.placeholder);
                else {
                    pattern += `(${shape})`;
                    order.push(token.placeholder);
                }
            }
        }
        const match = new RegExp(`^${pattern}$`).exec(actual);
        if (match === null) return false;
        const found = new Map<string, string>();
        for (const [i, placeholder] of order.entries()) {
            const value = match[i + 1];
            // A placeholder standing twice stands for one value.
            if ((found.get(placeholder) ?? value) !== value) return false;
            found.set(placeholder, value);
        }
        for (const [placeholder, value] of found) this.bind(placeholder, value);
        return true;
    }

    /** The live account, once the account placeholder is bound. */
    private accountValue(): string | undefined {
        return this.values.get(PLACEHOLDER_ACCOUNT_ID);
    }

    /** Deep equality, placeholders standing for live values; arrays of strings compare as sets (as IAM reads them). */
    matches(expected: unknown, actual: unknown): boolean {
        if (typeof expected === "string") return typeof actual === "string" && this.matchString(expected, actual);
        if (Array.isArray(expected)) {
            if (!Array.isArray(actual) || actual.length !== expected.length) return false;
            if (expected.every((e) => typeof e === "string") && actual.every((a) => typeof a === "string")) return this.matchSet(expected as string[], actual as string[]);
            return expected.every((e, i) => this.matches(e, actual[i]));
        }
        if (isRecord(expected)) {
            if (!isRecord(actual)) return false;
            const keys = Object.keys(expected).filter((k) => expected[k] !== undefined);
            const actualKeys = Object.keys(actual).filter((k) => actual[k] !== undefined);
            return keys.length === actualKeys.length && keys.every((k) => k in actual && this.matches(expected[k], actual[k]));
        }
        return expected === actual;
    }

    private matchSet(expected: string[], actual: string[]): boolean {
        const remaining = [...actual];
        const withPlaceholders: string[] = [];
        for (const e of expected) {
            const filled = this.fill(e);
            if (this.unbound(filled).length > 0) {
                withPlaceholders.push(e);
                continue;
            }
            const at = remaining.indexOf(filled);
            if (at < 0) return false;
            remaining.splice(at, 1);
        }
        // What is left pairs up with the placeholders; one each is unambiguous.
        if (withPlaceholders.length === 0) return remaining.length === 0;
        if (withPlaceholders.length !== 1 || remaining.length !== 1) return false;
        return this.matchString(withPlaceholders[0], remaining[0]);
    }
}

/** IAM's equivalent forms made one: a single string and a one-element list are the same; principals `"*"` and `{"AWS": "*"}` too. */
export function normalizeStatement(statement: Statement): Statement {
    const norm = (value: unknown): unknown => {
        if (typeof value === "string") return [value];
        if (Array.isArray(value)) return value;
        if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, norm(v)]));
        return value;
    };
    const out: Statement = {};
    for (const [key, value] of Object.entries(statement)) {
        if (key === "Sid" || key === "Effect") out[key] = value;
        else if ((key === "Principal" || key === "NotPrincipal") && value === "*") out[key] = { AWS: ["*"] };
        else out[key] = norm(value);
    }
    return out;
}

function check(name: string, bindings: Bindings, expected: unknown, actual: unknown): Check {
    return bindings.matches(expected, actual) ? { name, verdict: "pass", expected, actual } : { name, verdict: "drift", expected, actual };
}

/**
 * Statement by statement, by Sid. A planned statement missing or changed is drift; a live statement
 * the plan has not is drift when the plan is complete (`--stack`), and not verifiable when it comes
 * from arguments verify was not given (`--bucket`/`--key-arn`).
 */
function policyChecks(prefix: string, expected: readonly Statement[], actual: readonly Statement[] | null, bindings: Bindings, complete: boolean): Check[] {
    const id = (s: Statement, i: number): string => (typeof s.Sid === "string" && s.Sid !== "" ? s.Sid : `#${i}`);
    const live = new Map((actual ?? []).map((s, i) => [id(s, i), normalizeStatement(s)]));
    const checks: Check[] = expected.map((s, i) => {
        const name = `${prefix}.statement:${id(s, i)}`;
        const planned = normalizeStatement(s);
        const found = live.get(id(s, i));
        live.delete(id(s, i));
        if (found === undefined) return { name, verdict: "drift", expected: planned, actual: null, reason: "the statement is missing" };
        return check(name, bindings, planned, found);
    });
    for (const [sid, statement] of live) {
        const name = `${prefix}.statement:${sid}`;
        checks.push(
            complete
                ? { name, verdict: "drift", expected: null, actual: statement, reason: "a statement the plan does not have" }
                : { name, verdict: "not verifiable here", actual: statement, reason: "not in what the arguments given create: give --stack to judge it" },
        );
    }
    return checks;
}

function withoutEmptyFilter(rule: Record<string, unknown>): Record<string, unknown> {
    const { filter, ...rest } = rule;
    const empty = isRecord(filter) && Object.keys(filter).every((k) => k === "prefix" && filter[k] === "");
    return empty || filter === undefined ? rest : { ...rest, filter };
}

/** The live bucket's Object Lock default retention, or null when it has none (no Object Lock, or Object Lock without a default). */
export function defaultRetention(bucket: LiveBucket): DefaultRetention | null {
    const lock = bucket.objectLock;
    return lock === null || lock.mode === undefined ? null : { mode: lock.mode, days: lock.days, years: lock.years };
}

/** Where the live state was read from. */
export interface LiveSource {
    /** An emulator's endpoint (`--endpoint-url`): what it is known to drop reads "not verifiable here", not drift. */
    emulator: boolean;
}

/** The bucket's settings (not its policy, not the key) against the plan's: what verify checks and adopt shows changing. */
export function settingChecks(expected: ExpectedState, bucket: LiveBucket, bindings: Bindings, source: LiveSource): Check[] {
    const checks: Check[] = [check("bucket.region", bindings, expected.region, bucket.region)];
    const e = expected.encryption;
    const live = bucket.encryption;
    checks.push(check("encryption.algorithm", bindings, e.sseAlgorithm, live?.sseAlgorithm ?? null));
    checks.push(check("encryption.key", bindings, e.kmsMasterKeyId, live?.kmsMasterKeyId ?? null));
    checks.push(check("encryption.bucketKey", bindings, e.bucketKeyEnabled, live?.bucketKeyEnabled ?? null));
    checks.push(
        // An answer without BlockedEncryptionTypes: drift against AWS (the planned block is not reported); unknown only on an emulator, which drops it.
        bucket.encryptionReportsBlockedTypes || live === null || !source.emulator
            ? check("encryption.blockedEncryptionTypes", bindings, e.blockedEncryptionTypes, live?.blockedEncryptionTypes ?? null)
            : {
                  name: "encryption.blockedEncryptionTypes",
                  verdict: "not verifiable here",
                  expected: e.blockedEncryptionTypes,
                  reason: "the endpoint's GetBucketEncryption answer carries no BlockedEncryptionTypes (moto drops it)",
              },
    );
    checks.push(check("publicAccessBlock", bindings, expected.publicAccessBlock, bucket.publicAccessBlock));
    checks.push(check("ownership", bindings, expected.objectOwnership, bucket.objectOwnership));
    checks.push(check("versioning", bindings, expected.versioning, bucket.versioning));
    checks.push(check("lifecycle", bindings, expected.lifecycleRules.map(withoutEmptyFilter), bucket.lifecycleRules.map(withoutEmptyFilter)));
    checks.push(check("logging", bindings, expected.logging, bucket.logging));
    checks.push(check("notifications.eventBridge", bindings, expected.eventBridge, bucket.eventBridge));
    checks.push(check("objectLock.defaultRetention", bindings, expected.objectLock, defaultRetention(bucket)));
    return checks;
}

/** Every check of the deployed bucket and key against the plan, placeholders filled from the live values. */
export function driftChecks(expected: ExpectedState, bucket: LiveBucket, key: LiveKey, options: { complete: boolean } & LiveSource): Check[] {
    const bindings = new Bindings(expected.placeholders);
    // The account first (the key's, which is the stack's): the deploying role must be of it.
    const keyAccount = /^arn:[a-z-]+:kms:[^:]*:(\d{12}):/.exec(key.arn)?.[1];
    if (keyAccount !== undefined) bindings.bind(PLACEHOLDER_ACCOUNT_ID, keyAccount);
    bindings.matchString(expected.bucketName, bucket.name);
    bindings.bind(PLACEHOLDER_KEY_ID, key.keyId);

    const checks = settingChecks(expected, bucket, bindings, options);
    // The key policy first: it binds the deploying role, which nothing else names.
    checks.push(...policyChecks("keyPolicy", expected.keyPolicy, key.keyPolicy, bindings, options.complete));
    checks.push(...policyChecks("bucketPolicy", expected.bucketPolicy, bucket.bucketPolicy, bindings, options.complete));
    checks.push(check("key.rotation", bindings, expected.keyRotation.enabled, key.rotationEnabled));
    // The period means something only while rotation is on: with it off, key.rotation is the drift.
    if (key.rotationEnabled) {
        checks.push(
            key.rotationPeriodInDays === undefined
                ? {
                      name: "key.rotationPeriod",
                      verdict: "not verifiable here",
                      expected: expected.keyRotation.periodInDays,
                      reason: "the endpoint's GetKeyRotationStatus answer carries no RotationPeriodInDays (moto drops it)",
                  }
                : check("key.rotationPeriod", bindings, expected.keyRotation.periodInDays, key.rotationPeriodInDays),
        );
    }
    checks.push(
        expected.aliasName === undefined
            ? { name: "key.alias", verdict: key.aliases.length > 0 ? "pass" : "drift", expected: "an alias of the key", actual: key.aliases }
            : { name: "key.alias", verdict: key.aliases.includes(expected.aliasName) ? "pass" : "drift", expected: expected.aliasName, actual: key.aliases },
    );
    return checks;
}
