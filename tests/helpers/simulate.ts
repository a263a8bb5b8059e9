/**
 * Thin wrappers around `@cloud-copilot/iam-simulate` (AGPL; used by the tests only, never shipped)
 * that evaluate one request against a bucket policy or a key policy, the way AWS would.
 *
 * Every simulation fails loudly rather than quietly proving nothing: a simulation the library
 * cannot run throws with its errors, and so does any context key the library would drop as not
 * applicable to the action (a dropped key silently turns a condition into "key absent").
 */
import {
    createValidatedPolicy,
    validateIdentityPolicy,
    validateResourcePolicy,
    type ValidatedPolicy,
    type ValidationError,
} from "@cloud-copilot/iam-policy";
import {
    getDenialReasons,
    getGrantReasons,
    isConditionKeyArray,
    runSimulation,
    runUnsafeSimulation,
    typeForContextKey,
    type EvaluationResult,
    type Simulation,
    type SimulationIdentityPolicy,
    type SingleResourceSimulationResult,
} from "@cloud-copilot/iam-simulate";
import { PolicyDocument } from "../../components/policies/policyDocument";

/** The account that owns the bucket and the key in every simulation. */
const RESOURCE_ACCOUNT = "111111111111";

/** `Allowed`, `ExplicitlyDenied` or `ImplicitlyDenied`. */
export type SimulationResult = EvaluationResult;

/** One statement of an IAM (identity) policy attached to the calling principal. */
export interface IdentityPolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Action: string | string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM (identity) policy attached to the calling principal. */
export interface IdentityPolicyDocument {
    Version: "2012-10-17";
    Statement: IdentityPolicyStatement[];
}

/** An identity policy with one statement allowing `actions` on `resources`. */
export function iamAllow(actions: string[], resources: string[]): IdentityPolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: resources }] };
}

/**
 * Request context for one case. Merged over the realistic base context the helpers supply;
 * a key set to `undefined` removes that key from the request (e.g. plain HTTP has no `s3:TlsVersion`).
 */
export type ContextOverrides = Record<string, string | string[] | undefined>;

interface SimulationCommon {
    /** ARN of the calling principal, e.g. `arn:aws:iam::111111111111:role/writer`. */
    principal: string;
    /** `service:Action`, e.g. `s3:PutObject`. */
    action: string;
    context?: ContextOverrides;
    /** IAM policies attached to the principal; none by default. */
    identityPolicies?: readonly IdentityPolicyDocument[];
}

export interface S3SimulationInput extends SimulationCommon {
    /** Bucket ARN (bucket-level actions) or object ARN (object-level actions). */
    resource: string;
    bucketPolicy: PolicyDocument;
}

export interface KmsSimulationInput extends SimulationCommon {
    /** The key ARN: the resource of every KMS key action. */
    keyArn: string;
    keyPolicy: PolicyDocument;
}

/** The S3 result together with the Sids that decided it. */
export interface S3SimulationOutcome {
    result: SimulationResult;
    /** Sids of the bucket-policy statements that explicitly denied the request. */
    denyingSids: string[];
    /** Sids of the bucket-policy statements that granted the request. */
    grantingSids: string[];
}

/** The account of a principal ARN (`arn:<partition>:iam::<account>:...`). */
function accountOf(principalArn: string): string {
    const account = principalArn.split(":")[4];
    if (account === undefined || !/^\d{12}$/.test(account)) {
        throw new Error(`Cannot read an account id from principal ARN ${principalArn}`);
    }
    return account;
}

/** The base context merged with the overrides; `undefined` overrides remove keys. */
function buildContext(base: Record<string, string>, overrides: ContextOverrides | undefined): Record<string, string | string[]> {
    const merged: Record<string, string | string[]> = { ...base };
    for (const [key, value] of Object.entries(overrides ?? {})) {
        if (value === undefined) {
            delete merged[key];
        } else {
            merged[key] = value;
        }
    }
    return merged;
}

/** Context every authenticated request carries, whatever the service. An AWS service (`logging.s3.amazonaws.com`) has no principal ARN. */
function principalContext(principal: string): Record<string, string> {
    if (principal.endsWith(".amazonaws.com")) return { "aws:SecureTransport": "true" };
    return {
        "aws:PrincipalArn": principal,
        "aws:PrincipalAccount": accountOf(principal),
        "aws:SecureTransport": "true",
    };
}

function namedIdentityPolicies(policies: readonly IdentityPolicyDocument[] | undefined): SimulationIdentityPolicy[] {
    return (policies ?? []).map((policy, index) => ({ name: `identity-policy-${index + 1}`, policy }));
}

function baseSimulation(
    input: SimulationCommon,
    resource: string,
    contextVariables: Record<string, string | string[]>,
    resourcePolicy: PolicyDocument | ValidatedPolicy<{ name: string }>,
): Simulation {
    return {
        request: {
            principal: input.principal,
            action: input.action,
            resource: { resource, accountId: RESOURCE_ACCOUNT },
            contextVariables,
        },
        identityPolicies: namedIdentityPolicies(input.identityPolicies),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy,
    };
}

/** Runs the validating simulation; throws unless it ran as one single-resource simulation. */
async function runValidated(simulation: Simulation): Promise<SingleResourceSimulationResult> {
    const outcome = await runSimulation(simulation, {});
    if (outcome.resultType !== "single") {
        const details = outcome.resultType === "error" ? outcome.errors : outcome;
        throw new Error(
            `Expected a single-resource simulation of ${simulation.request.action} on ` +
                `${simulation.request.resource.resource}, got "${outcome.resultType}": ${JSON.stringify(details, null, 2)}`,
        );
    }
    return outcome;
}

function ignoredKeysOf(outcome: SingleResourceSimulationResult): string[] {
    return outcome.result.ignoredContextKeys ?? [];
}

/**
 * Evaluates one S3 request against the bucket policy (and the principal's IAM policies).
 * The base context is a TLS 1.2 request: `aws:PrincipalArn`, `aws:PrincipalAccount`,
 * `aws:SecureTransport: "true"` and `s3:TlsVersion: "1.2"`; `context` overrides or removes keys.
 */
export async function simulateS3Detailed(input: S3SimulationInput): Promise<S3SimulationOutcome> {
    const context = buildContext({ ...principalContext(input.principal), "s3:TlsVersion": "1.2" }, input.context);
    const outcome = await runValidated(baseSimulation(input, input.resource, context, input.bucketPolicy));
    const ignored = ignoredKeysOf(outcome);
    if (ignored.length > 0) {
        throw new Error(
            `The simulator ignored context keys ${JSON.stringify(ignored)} for ${input.action} on ${input.resource}; ` +
                "a condition on an ignored key is evaluated as if the key were absent, so the case proves nothing.",
        );
    }
    const analysis = outcome.result.analysis;
    const denyingSids = getDenialReasons(analysis).flatMap((denial) =>
        denial.denialType === "Explicit" && denial.policyType === "resource" && denial.statementId !== undefined
            ? [denial.statementId]
            : [],
    );
    const grantingSids = getGrantReasons(analysis).flatMap((grant) =>
        grant.policyType === "resource" && grant.statementId !== undefined ? [grant.statementId] : [],
    );
    return { result: outcome.overallResult, denyingSids, grantingSids };
}

/** {@link simulateS3Detailed}, returning only the overall result. */
export async function simulateS3(input: S3SimulationInput): Promise<SimulationResult> {
    return (await simulateS3Detailed(input)).result;
}

const ENCRYPTION_CONTEXT_PREFIX = "kms:encryptioncontext:";

function isEncryptionContextKey(key: string): boolean {
    return key.toLowerCase().startsWith(ENCRYPTION_CONTEXT_PREFIX);
}

function describeErrors(errors: readonly ValidationError[]): string {
    return JSON.stringify(errors, null, 2);
}

/**
 * Gives each context value the shape the validating simulation would give it (array-typed keys
 * become arrays, single-valued keys a single string), since the unsafe simulation does no
 * normalisation of its own.
 */
async function normaliseContext(context: Record<string, string | string[]>): Promise<Record<string, string | string[]>> {
    const normalised: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(context)) {
        const type = await typeForContextKey(key.toLowerCase());
        if (isConditionKeyArray(type)) {
            normalised[key] = [value].flat();
        } else if (Array.isArray(value)) {
            throw new Error(`Context key ${key} is single-valued (${type}) but the case gave ${JSON.stringify(value)}`);
        } else {
            normalised[key] = value;
        }
    }
    return normalised;
}

/**
 * Evaluates one KMS request against the key policy (and the principal's IAM policies).
 * The base context is `aws:PrincipalArn`, `aws:PrincipalAccount` and `aws:SecureTransport: "true"`;
 * `context` adds `kms:ViaService`, `kms:EncryptionContext:<key>` and so on, or removes keys.
 *
 * Why two simulations: `runSimulation` filters the request context down to the keys that apply to
 * the action, and its matcher for variable keys (`listHasVariableKeyMatch` in
 * `normalizeSimulationParameters`) only recognises variables introduced by a '/', such as
 * `aws:PrincipalTag/<tag>`. KMS's `kms:EncryptionContext:${EncryptionContextKey}` is introduced by a
 * ':', so `kms:EncryptionContext:aws:s3:arn` lands in `ignoredContextKeys` and every condition on the
 * encryption context would be evaluated as if the key were absent: such a condition could never be
 * proven. So:
 *  1. `runSimulation` runs first on the very same simulation. It validates the key policy, the IAM
 *     policies, the action and the resource, and we assert the only context keys it ignored are
 *     `kms:EncryptionContext:*` ones (any other ignored key is a mistake in the case and fails it).
 *  2. `runUnsafeSimulation` then evaluates the request with the full context, unfiltered. It does no
 *     validation itself, and it reads `metadata().name` of the resource policy, which a plain document
 *     lacks, so the key policy is passed as a `ValidatedPolicy` (named "key-policy") and we assert its
 *     validation found no errors. Its result is the result of the case.
 * When the request carries no encryption context, both simulations see the same request, and we
 * also assert they agree.
 */
export async function simulateKms(input: KmsSimulationInput): Promise<SimulationResult> {
    const keyPolicy = createValidatedPolicy(input.keyPolicy, validateResourcePolicy, { name: "key-policy" });
    if (keyPolicy.errors.length > 0) {
        throw new Error(`The key policy is not a valid resource policy: ${describeErrors(keyPolicy.errors)}`);
    }
    for (const [index, policy] of (input.identityPolicies ?? []).entries()) {
        const errors = validateIdentityPolicy(policy);
        if (errors.length > 0) {
            throw new Error(`Identity policy ${index + 1} is not valid: ${describeErrors(errors)}`);
        }
    }
    const context = await normaliseContext(buildContext(principalContext(input.principal), input.context));
    const simulation = baseSimulation(input, input.keyArn, context, keyPolicy);

    const validated = await runValidated(simulation);
    const ignored = ignoredKeysOf(validated);
    const ignoredOtherThanEncryptionContext = ignored.filter((key) => !isEncryptionContextKey(key));
    if (ignoredOtherThanEncryptionContext.length > 0) {
        throw new Error(
            `The simulator ignored context keys ${JSON.stringify(ignoredOtherThanEncryptionContext)} for ` +
                `${input.action} on ${input.keyArn}; only kms:EncryptionContext:* keys may be ignored (see simulateKms).`,
        );
    }

    const result = runUnsafeSimulation(simulation, {});
    if (ignored.length === 0 && result !== validated.overallResult) {
        throw new Error(
            `Validated (${validated.overallResult}) and unsafe (${result}) simulations disagree on a request ` +
                "without encryption context; the unsafe simulation cannot be trusted.",
        );
    }
    return result;
}
