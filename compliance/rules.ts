/**
 * The rules: one place, pure functions over the joined stack (stackModel.ts). Each names the controls
 * it implements (AWS Security Hub FSBP, cdk-nag, checkov) and judges one bucket or one key at a time,
 * so that a value unknown during preview costs the verdict of that one resource only.
 *
 * AWS behaviour the rules rely on is cited where it is used, by the title of AWS's page.
 */
import { appliesToEveryone, conditionValues, coversAction, coversBucket, coversObjects, deniesEveryone, NON_PUBLIC_CONDITION_KEYS, NON_PUBLIC_KEY_POLICY_CONDITION_KEYS, restrictedByCondition, Statement, statementsOf } from "./policyDocuments";
import { SECRET, StackResource, UNKNOWN } from "./resources";
import { ALIAS_TYPE, BucketView, COMPONENT_TYPES, ConfigKind, KEY_TYPE, StackModel } from "./stackModel";

/** What a rule says of one resource. `unknown`: a value it needs is not known during preview, or is a secret the plan hides. */
export interface Verdict {
    status: "pass" | "fail" | "notApplicable" | "unknown";
    message: string;
}

/** Enforcement levels, as CrossGuard names them. */
export type EnforcementLevel = "mandatory" | "advisory" | "disabled";

/** Settings of the rules that take any (the pack's config schema, and `checkPlan`'s options). */
export interface RuleSettings {
    /** `s3-minimum-tls-version`: the lowest TLS version the bucket policy must admit. @default "1.2" */
    minimumTlsVersion: "1.2" | "1.3";
    /** `kms-deletion-window`: the shortest deletion window accepted, in days (KMS allows 7 to 30). @default 7 */
    minimumDeletionWindowDays: number;
}

export const DEFAULT_SETTINGS: RuleSettings = { minimumTlsVersion: "1.2", minimumDeletionWindowDays: 7 };

/** Each setting as a JSON schema: the pack's config schema, and what `checkPlan`'s config is validated against. */
export const SETTING_SCHEMAS: Readonly<Record<keyof RuleSettings, { type: "string"; enum: string[] } | { type: "integer"; minimum: number; maximum: number }>> = {
    minimumTlsVersion: { type: "string", enum: ["1.2", "1.3"] },
    // KMS accepts 7 to 30 days (ScheduleKeyDeletion, KMS API Reference).
    minimumDeletionWindowDays: { type: "integer", minimum: 7, maximum: 30 },
};

/** What every rule has besides its judging function. */
interface RuleBase {
    /** Stable id: the CrossGuard policy name and the `rule` of a finding. */
    id: string;
    /** What it requires, with its controls. */
    description: string;
    /** Security Hub, cdk-nag and checkov ids it implements (empty where none of them has one). */
    controls: string[];
    /** Its level unless configured otherwise. */
    enforcementLevel: "mandatory" | "advisory";
    /** The settings it reads, for the pack's config schema. */
    settings: (keyof RuleSettings)[];
}

/** One rule: it judges every bucket, or every KMS key. */
export type Rule = RuleBase & (BucketRule | KeyRule);
interface BucketRule {
    /** Judges a bucket. */
    bucket: (bucket: BucketView, model: StackModel, settings: RuleSettings) => Verdict;
    key?: undefined;
}
interface KeyRule {
    /** Judges a KMS key. */
    key: (key: StackResource, model: StackModel, settings: RuleSettings) => Verdict;
    bucket?: undefined;
}

/** Thrown while judging one resource when a value it needs cannot be read; becomes an `unknown` verdict with this message. */
class CannotJudge extends Error {}

function contains(value: unknown, marker: string): boolean {
    if (value === marker) return true;
    if (Array.isArray(value)) return value.some((v) => contains(v, marker));
    if (typeof value === "object" && value !== null) return Object.values(value).some((v) => contains(v, marker));
    return false;
}

/** CannotJudge for `value` when `unreadable(marker)` finds a value not known during preview, or one the offline plan shows as "[secret]". */
function readable<T>(value: T, what: string, unreadable: (marker: string) => boolean): T {
    if (unreadable(UNKNOWN)) throw new CannotJudge(`cannot judge during preview: ${what} is not known until the update runs`);
    if (unreadable(SECRET)) throw new CannotJudge(`cannot judge: ${what} is a secret, which the offline plan does not show`);
    return value;
}

/** `value`, or CannotJudge when any part of it cannot be read. */
function known<T>(value: T, what: string): T {
    return readable(value, what, (marker) => contains(value, marker));
}

/** `value` itself (not its parts), or CannotJudge when it cannot be read: for lists whose items are judged one by one. */
function present<T>(value: T, what: string): T {
    return readable(value, what, (marker) => value === marker);
}

const pass = (message: string): Verdict => ({ status: "pass", message });
const fail = (message: string): Verdict => ({ status: "fail", message });
const notApplicable = (message: string): Verdict => ({ status: "notApplicable", message });

function record(value: unknown): Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
function array(value: unknown): unknown[] {
    return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

/**
 * The resources of `kind` joined to the bucket. None while some resource of that kind cannot be
 * joined yet (its bucket is unknown during preview): the bucket cannot be judged on it.
 */
function configs(bucket: BucketView, model: StackModel, kind: ConfigKind): StackResource[] {
    const found = bucket.configs[kind];
    if (found.length === 0 && model.unresolved[kind].length > 0) {
        throw new CannotJudge(`cannot judge during preview: the bucket of ${model.unresolved[kind].map((r) => r.urn).join(", ")} is not known until the update runs`);
    }
    return found;
}

/** A hint for buckets of SecureBucket, saying what meets the rule (`remedy`: "set <its opt-in argument>", or another step). */
function optIn(bucket: BucketView, remedy: string): string {
    return bucket.component?.type === COMPONENT_TYPES.secureBucket ? ` (SecureBucket "${bucket.component.name}": ${remedy})` : "";
}

/** Why a bucket that receives server access logs is not judged on a rule, with AWS's reason. */
function logTargetReason(bucket: BucketView, why: string): Verdict | undefined {
    if (bucket.logTargetOf.length === 0) return undefined;
    return notApplicable(`receives server access logs (${[...new Set(bucket.logTargetOf)].join(", ")}): ${why}`);
}
const LOG_TARGET_SSE_S3 =
    'S3 server access log delivery supports SSE-S3 as the target\'s default encryption only, not SSE-KMS ("Enabling Amazon S3 server access logging", S3 User Guide)';
const LOG_TARGET_OBJECT_LOCK = 'S3 cannot deliver server access logs to a bucket with Object Lock default retention ("Enabling Amazon S3 server access logging", S3 User Guide)';

/** The bucket's policy documents: its BucketPolicy resources and the deprecated inline `policy`. */
function policyDocuments(bucket: BucketView, model: StackModel): { source: string; statements: Statement[] }[] {
    const documents = configs(bucket, model, "policy").map((p) => ({ source: p.urn, policy: known(p.inputs.policy, `the policy of ${p.urn}`) }));
    if (bucket.resource.inputs.policy !== undefined) documents.push({ source: bucket.resource.urn, policy: known(bucket.resource.inputs.policy, "the bucket's inline policy") });
    return documents.map(({ source, policy }) => ({ source, statements: statementsOf(policy) }));
}
function allStatements(bucket: BucketView, model: StackModel): Statement[] {
    return policyDocuments(bucket, model).flatMap((d) => d.statements);
}

/** Default-encryption rules: from BucketServerSideEncryptionConfiguration resources and the deprecated inline setting. */
interface EncryptionRule {
    source: StackResource;
    sseAlgorithm: unknown;
    kmsMasterKeyId: unknown;
    bucketKeyEnabled: unknown;
    blockedEncryptionTypes: unknown[];
}
function encryptionRules(bucket: BucketView, model: StackModel): EncryptionRule[] {
    const fromResources = configs(bucket, model, "encryption").flatMap((r) => array(present(r.inputs.rules, `the rules of ${r.urn}`)).map((rule) => ({ source: r, rule: record(rule) })));
    const inline = record(bucket.resource.inputs.serverSideEncryptionConfiguration).rule;
    const rules = inline === undefined ? fromResources : [...fromResources, { source: bucket.resource, rule: record(present(inline, "the bucket's inline encryption")) }];
    return rules.map(({ source, rule }) => {
        const byDefault = record(rule.applyServerSideEncryptionByDefault);
        return { source, sseAlgorithm: byDefault.sseAlgorithm, kmsMasterKeyId: byDefault.kmsMasterKeyId, bucketKeyEnabled: rule.bucketKeyEnabled, blockedEncryptionTypes: array(rule.blockedEncryptionTypes) };
    });
}
const isKms = (algorithm: unknown): boolean => algorithm === "aws:kms" || algorithm === "aws:kms:dsse";

/** The KMS keys and aliases of the stack a resource depends on. */
function stackKeysOf(resource: StackResource, model: StackModel): StackResource[] {
    const urns = new Set([...resource.dependencies, ...Object.values(resource.propertyDependencies).flat()]);
    return [...urns].map((urn) => model.byUrn.get(urn)).filter((r): r is StackResource => r !== undefined && (r.type === KEY_TYPE || r.type === ALIAS_TYPE));
}

// --- Bucket rules --------------------------------------------------------------------------------

const publicAccessBlock: Rule = {
    id: "s3-bucket-public-access-block",
    description: "A bucket-level public access block with all four settings on (Security Hub S3.8; cdk-nag AwsSolutions-S2, S3BucketLevelPublicAccessProhibited; checkov CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, CKV2_AWS_6).",
    controls: ["S3.8", "AwsSolutions-S2", "S3BucketLevelPublicAccessProhibited", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"],
    enforcementLevel: "mandatory",
    settings: [],
    bucket(bucket, model) {
        const blocks = configs(bucket, model, "publicAccessBlock");
        if (blocks.length === 0) return fail("no BucketPublicAccessBlock for this bucket");
        const flags = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
        for (const block of blocks) {
            const off = flags.filter((f) => known(block.inputs[f], `${f} of ${block.urn}`) !== true);
            if (off.length > 0) return fail(`${block.urn} leaves ${off.join(", ")} off`);
        }
        return pass(`all four settings on (${blocks.map((b) => b.urn).join(", ")})`);
    },
};

const PUBLIC_ACLS = ["public-read", "public-read-write", "authenticated-read"];
const PUBLIC_GRANTEES = ["http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"];

/** What an Allow for everyone lacks to be non-public (policyDocuments.ts: NON_PUBLIC_CONDITION_KEYS, with AWS's page). */
const UNRESTRICTED = " without a condition that fixes who may ask (a fixed aws:SourceAccount, aws:SourceArn, aws:SourceIp, aws:PrincipalOrgID or the like)";

/** Why `policy` (a bucket's or a key's) is public: its first Allow for everyone that fixed values of none of `keys` restrict; undefined when it has none. */
function publicStatement(policy: string, statements: Statement[], keys: readonly string[]): string | undefined {
    const open = statements.find((s) => s.Effect === "Allow" && appliesToEveryone(s) && !restrictedByCondition(s, keys));
    return open === undefined ? undefined : `${policy} allows everyone ("*")${UNRESTRICTED}${open.Sid === undefined ? "" : ` (statement ${String(open.Sid)})`}`;
}

const noPublicAccess: Rule = {
    id: "s3-no-public-access",
    description:
        "No public read or write: no canned ACL or grant to AllUsers/AuthenticatedUsers, no bucket policy Allow for `*` unless a condition fixes who may ask, as S3 defines a non-public policy (\"The meaning of 'public'\", S3 User Guide: fixed values of aws:SourceIp, aws:SourceArn, aws:SourceVpc(e), aws:SourceOwner, aws:SourceAccount, aws:userid, aws:Principal*, s3:DataAccessPoint*) (Security Hub S3.2, S3.3, S3.6; cdk-nag S3BucketPublicReadProhibited, S3BucketPublicWriteProhibited; checkov CKV_AWS_20, CKV_AWS_57, CKV_AWS_70).",
    controls: ["S3.2", "S3.3", "S3.6", "S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited", "CKV_AWS_20", "CKV_AWS_57", "CKV_AWS_70"],
    enforcementLevel: "mandatory",
    settings: [],
    bucket(bucket, model) {
        const acls = [{ source: bucket.resource.urn, acl: bucket.resource.inputs.acl, grants: array(bucket.resource.inputs.grants).map((g) => record(g).uri) }];
        for (const r of configs(bucket, model, "acl")) {
            const policy = record(r.inputs.accessControlPolicy);
            acls.push({ source: r.urn, acl: r.inputs.acl, grants: array(policy.grants).map((g) => record(record(g).grantee).uri) });
        }
        for (const { source, acl, grants } of acls) {
            if (PUBLIC_ACLS.includes(known(acl, `the ACL of ${source}`) as string)) return fail(`${source} sets the canned ACL ${String(acl)}`);
            const open = known(grants, `the grants of ${source}`).find((uri) => PUBLIC_GRANTEES.includes(uri as string));
            if (open !== undefined) return fail(`${source} grants access to ${String(open)}`);
        }
        for (const { source, statements } of policyDocuments(bucket, model)) {
            const open = publicStatement(`${source}'s policy`, statements, NON_PUBLIC_CONDITION_KEYS);
            if (open !== undefined) return fail(open);
        }
        return pass(`no public ACL or grant, and no policy statement allows everyone${UNRESTRICTED}`);
    },
};

const aclsDisabled: Rule = {
    id: "s3-acls-disabled",
    description: "ACLs disabled: object ownership BucketOwnerEnforced (Security Hub S3.12; checkov CKV2_AWS_65).",
    controls: ["S3.12", "CKV2_AWS_65"],
    enforcementLevel: "mandatory",
    settings: [],
    bucket(bucket, model) {
        const controls = configs(bucket, model, "ownership");
        if (controls.length === 0) {
            // New buckets default to BucketOwnerEnforced since April 2023 ("Controlling ownership of objects", S3 User Guide), but
            // the setting is not in the program: an imported or older bucket keeps what it had.
            return fail("no BucketOwnershipControls for this bucket: ACLs stay as the bucket has them (BucketOwnerEnforced is only the default for buckets created since April 2023)");
        }
        for (const c of controls) {
            const ownership = known(record(c.inputs.rule).objectOwnership, `the object ownership of ${c.urn}`);
            if (ownership !== "BucketOwnerEnforced") return fail(`${c.urn} sets object ownership ${String(ownership)}: ACLs stay enabled`);
        }
        return pass("object ownership BucketOwnerEnforced");
    },
};

/** A Deny for everyone of every S3 action (`s3:*` or `*`) on the bucket and its objects. */
function deniesAllS3(s: Statement): boolean {
    return deniesEveryone(s) && array(s.Action).some((a) => a === "*" || a === "s3:*") && coversBucket(s) && coversObjects(s);
}

const tlsOnly: Rule = {
    id: "s3-tls-only",
    description:
        "The bucket policy denies every S3 request over plain HTTP, on the bucket and its objects: aws:SecureTransport false (Security Hub S3.5; cdk-nag AwsSolutions-S10, S3BucketSSLRequestsOnly).",
    controls: ["S3.5", "AwsSolutions-S10", "S3BucketSSLRequestsOnly"],
    enforcementLevel: "mandatory",
    settings: [],
    bucket(bucket, model) {
        // "aws:SecureTransport" is false, or absent, on plain HTTP (IAM condition keys reference): Bool and BoolIfExists both catch it.
        const denies = allStatements(bucket, model).filter(
            (s) => deniesAllS3(s) && conditionValues(s, ["Bool", "BoolIfExists"], "aws:SecureTransport").some((v) => String(v) === "false"),
        );
        if (denies.length === 0) return fail(`no bucket policy statement denies s3:* on the bucket and its objects when aws:SecureTransport is false${bucket.resource.inputs.policy === undefined && bucket.configs.policy.length === 0 ? " (the bucket has no policy)" : ""}`);
        return pass("plain HTTP denied on the bucket and its objects");
    },
};

const minimumTlsVersion: Rule = {
    id: "s3-minimum-tls-version",
    description:
        "The bucket policy denies TLS older than the configured minimum (s3:TlsVersion, NumericLessThan; default 1.2). No Security Hub, cdk-nag or checkov control: S3.5 asks for TLS only, not its version.",
    controls: [],
    enforcementLevel: "advisory",
    settings: ["minimumTlsVersion"],
    bucket(bucket, model, settings) {
        // s3:TlsVersion is a numeric condition key (Amazon S3 condition keys, Service Authorization Reference).
        const floors = allStatements(bucket, model)
            .filter(deniesAllS3)
            .flatMap((s) => conditionValues(s, ["NumericLessThan"], "s3:TlsVersion"))
            .map(Number)
            .filter((n) => !Number.isNaN(n));
        const best = Math.max(...floors, 0);
        if (best === 0) return fail(`no bucket policy statement denies s3:* for s3:TlsVersion below ${settings.minimumTlsVersion}`);
        if (best < Number(settings.minimumTlsVersion)) return fail(`TLS ${best} and newer accepted; the minimum is ${settings.minimumTlsVersion}`);
        return pass(`TLS older than ${best} denied`);
    },
};

const defaultEncryptionCmk: Rule = {
    id: "s3-default-encryption-kms-cmk",
    description:
        "Default encryption SSE-KMS with a customer-managed key, not the AWS managed aws/s3 key (Security Hub S3.17; cdk-nag S3DefaultEncryptionKMS; checkov CKV_AWS_145, CKV_AWS_19). Not applicable to buckets that receive server access logs.",
    controls: ["S3.17", "S3DefaultEncryptionKMS", "CKV_AWS_145", "CKV_AWS_19"],
    enforcementLevel: "mandatory",
    settings: [],
    bucket(bucket, model) {
        const logTarget = logTargetReason(bucket, LOG_TARGET_SSE_S3);
        if (logTarget !== undefined) return logTarget;
        const rules = encryptionRules(bucket, model);
        // Since January 2023 S3 encrypts every new object with SSE-S3 when nothing else is configured ("Setting default server-side encryption behavior", S3 User Guide).
        if (rules.length === 0) return fail("no default encryption configured: S3 applies SSE-S3 (AES256), not SSE-KMS");
        const stackKeys: StackResource[] = [];
        for (const rule of rules) {
            const algorithm = known(rule.sseAlgorithm, `sseAlgorithm of ${rule.source.urn}`);
            if (!isKms(algorithm)) return fail(`${rule.source.urn} sets ${String(algorithm)}, not SSE-KMS`);
            const keyId = known(rule.kmsMasterKeyId, `kmsMasterKeyId of ${rule.source.urn}`);
            // Without a key id S3 uses the AWS managed key aws/s3 (PutBucketEncryption, S3 API Reference).
            if (keyId === undefined || keyId === "") return fail(`${rule.source.urn} names no kmsMasterKeyId: S3 uses the AWS managed key aws/s3`);
            if (typeof keyId === "string" && /(^|:)alias\/aws\//.test(keyId)) return fail(`${rule.source.urn} uses the AWS managed key ${keyId}`);
            const keys = stackKeysOf(rule.source, model);
            if (keys.length === 0) return notApplicable(`${rule.source.urn} uses ${String(keyId)}, a key not declared in this stack: whether it is customer managed cannot be told here`);
            stackKeys.push(...keys);
        }
        return pass(`SSE-KMS with a customer-managed key of this stack (${stackKeys.map((k) => k.urn).join(", ")})`);
    },
};

const bucketKey: Rule = {
    id: "s3-bucket-key-enabled",
    description:
        "S3 Bucket Key on with SSE-KMS, which cuts KMS requests (and their cost and throttling) by up to 99% (\"Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys\", S3 User Guide). No Security Hub, cdk-nag or checkov control.",
    controls: [],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const kmsRules = encryptionRules(bucket, model).filter((r) => isKms(known(r.sseAlgorithm, `sseAlgorithm of ${r.source.urn}`)));
        if (kmsRules.length === 0) return notApplicable("no SSE-KMS default encryption: Bucket Keys apply to SSE-KMS only");
        // DSSE-KMS does not support Bucket Keys (same page).
        if (kmsRules.every((r) => r.sseAlgorithm === "aws:kms:dsse")) return notApplicable("DSSE-KMS does not support S3 Bucket Keys");
        const off = kmsRules.find((r) => known(r.bucketKeyEnabled, `bucketKeyEnabled of ${r.source.urn}`) !== true);
        if (off !== undefined) return fail(`${off.source.urn} leaves bucketKeyEnabled off`);
        return pass("Bucket Key on");
    },
};

const SSE_HEADER = "s3:x-amz-server-side-encryption";
const SSE_KMS_KEY_HEADER = "s3:x-amz-server-side-encryption-aws-kms-key-id";
const SSE_C_HEADER = "s3:x-amz-server-side-encryption-customer-algorithm";
/** The negated condition operators: a Deny under one of them denies every value but those given. */
const NEGATED = ["StringNotEquals", "StringNotEqualsIfExists", "StringNotLike", "StringNotLikeIfExists", "ArnNotEquals", "ArnNotLike", "ArnNotEqualsIfExists", "ArnNotLikeIfExists"];

const denyOtherEncryption: Rule = {
    id: "s3-deny-other-encryption",
    description:
        "The bucket policy denies uploads that ask for another encryption than SSE-KMS, or for another KMS key than the bucket's (a header naming aws:kms without a key id lands under aws/s3). No Security Hub, cdk-nag or checkov control. Not applicable to buckets that receive server access logs.",
    controls: [],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const logTarget = logTargetReason(bucket, LOG_TARGET_SSE_S3);
        if (logTarget !== undefined) return logTarget;
        const putDenies = allStatements(bucket, model).filter((s) => deniesEveryone(s) && coversAction(s, "s3:PutObject") && coversObjects(s));
        const otherAlgorithm = putDenies.some((s) => conditionValues(s, NEGATED, SSE_HEADER).includes("aws:kms"));
        const otherKey = putDenies.some((s) => conditionValues(s, NEGATED, SSE_KMS_KEY_HEADER).length > 0);
        // "aws:kms" without a key id makes S3 use aws/s3 (PutObject, S3 API Reference): a deny of that combination, or of a missing key id.
        const noKeyId = putDenies.some((s) => conditionValues(s, ["Null"], SSE_KMS_KEY_HEADER).some((v) => String(v) === "true"));
        const missing = [
            ...(otherAlgorithm ? [] : [`uploads with ${SSE_HEADER} other than aws:kms`]),
            ...(otherKey ? [] : [`uploads naming another key in ${SSE_KMS_KEY_HEADER}`]),
            ...(noKeyId ? [] : ["uploads asking for aws:kms without a key id (which land under aws/s3)"]),
        ];
        if (missing.length > 0) return fail(`the bucket policy does not deny ${missing.join("; ")}`);
        return pass("uploads with another encryption, another key, or aws:kms without a key id are denied");
    },
};

const sseCBlocked: Rule = {
    id: "s3-sse-c-blocked",
    description:
        "SSE-C blocked: blockedEncryptionTypes includes SSE-C, or the bucket policy denies uploads with the SSE-C header (\"Blocking or unblocking SSE-C for a general purpose bucket\", S3 User Guide). No Security Hub, cdk-nag or checkov control.",
    controls: [],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        if (encryptionRules(bucket, model).some((r) => known(r.blockedEncryptionTypes, `blockedEncryptionTypes of ${r.source.urn}`).includes("SSE-C"))) return pass("blockedEncryptionTypes includes SSE-C");
        const denied = allStatements(bucket, model).some(
            (s) => deniesEveryone(s) && coversAction(s, "s3:PutObject") && conditionValues(s, ["Null"], SSE_C_HEADER).some((v) => String(v) === "false"),
        );
        if (denied) return pass("the bucket policy denies uploads with the SSE-C header");
        return fail("SSE-C is neither in blockedEncryptionTypes nor denied by the bucket policy: an upload may bring its own key, which neither S3 nor KMS keeps");
    },
};

const versioning: Rule = {
    id: "s3-versioning",
    description: "Versioning enabled (Security Hub S3.14; cdk-nag S3BucketVersioningEnabled; checkov CKV_AWS_21).",
    controls: ["S3.14", "S3BucketVersioningEnabled", "CKV_AWS_21"],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const statuses = configs(bucket, model, "versioning").map((v) => known(record(v.inputs.versioningConfiguration).status, `the versioning status of ${v.urn}`));
        const inline = record(bucket.resource.inputs.versioning).enabled;
        if (known(inline, "the bucket's inline versioning") === true) statuses.push("Enabled");
        if (statuses.includes("Enabled")) return pass("versioning Enabled");
        return fail(`versioning is ${statuses.length === 0 ? "not configured" : statuses.join(", ")}${optIn(bucket, "set versioning: true")}`);
    },
};

const accessLogging: Rule = {
    id: "s3-access-logging",
    description: "Server access logging on (Security Hub S3.9; cdk-nag AwsSolutions-S1, S3BucketLoggingEnabled; checkov CKV_AWS_18).",
    controls: ["S3.9", "AwsSolutions-S1", "S3BucketLoggingEnabled", "CKV_AWS_18"],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const loggings = configs(bucket, model, "logging");
        const inline = record(present(bucket.resource.inputs.logging, "the bucket's inline logging")).targetBucket;
        if (loggings.length > 0 || inline !== undefined) return pass(`server access logs sent to ${[...loggings.map((l) => String(l.inputs.targetBucket)), ...(inline === undefined ? [] : [String(inline)])].join(", ")}`);
        return fail(`no BucketLogging for this bucket${optIn(bucket, "set accessLogs (an AccessLogsBucket's bucketName)")}`);
    },
};

const lifecycle: Rule = {
    id: "s3-lifecycle",
    description:
        "A lifecycle configuration with an enabled rule that aborts incomplete multipart uploads (Security Hub S3.13, S3.10; checkov CKV2_AWS_61, CKV_AWS_300).",
    controls: ["S3.13", "S3.10", "CKV2_AWS_61", "CKV_AWS_300"],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const rules = configs(bucket, model, "lifecycle").flatMap((l) => array(present(l.inputs.rules, `the rules of ${l.urn}`)).map(record));
        const enabled = rules.filter((r) => r.status === "Enabled");
        const inline = array(present(bucket.resource.inputs.lifecycleRules, "the bucket's inline lifecycle rules")).map(record).filter((r) => r.enabled === true);
        if (enabled.length === 0 && inline.length === 0) return fail("no enabled lifecycle rule");
        // Incomplete multipart uploads are billed until aborted ("Configuring a bucket lifecycle configuration to delete incomplete multipart uploads", S3 User Guide).
        const aborts = enabled.some((r) => record(r.abortIncompleteMultipartUpload).daysAfterInitiation !== undefined) || inline.some((r) => r.abortIncompleteMultipartUploadDays !== undefined);
        if (!aborts) return fail("no enabled lifecycle rule aborts incomplete multipart uploads");
        return pass("lifecycle rules on, incomplete multipart uploads aborted");
    },
};

const eventNotifications: Rule = {
    id: "s3-event-notifications",
    description: "Event notifications configured (Security Hub S3.11; checkov CKV2_AWS_62).",
    controls: ["S3.11", "CKV2_AWS_62"],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const notifications = configs(bucket, model, "notification");
        if (notifications.length === 0) return fail(`no BucketNotification for this bucket${optIn(bucket, "set eventBridge: true")}`);
        const targets = notifications.flatMap((n) => [
            ...(known(n.inputs.eventbridge, `eventbridge of ${n.urn}`) === true ? ["EventBridge"] : []),
            ...["topics", "queues", "lambdaFunctions"].filter((k) => array(n.inputs[k]).length > 0),
        ]);
        if (targets.length === 0) return fail(`${notifications.map((n) => n.urn).join(", ")} sends no event anywhere`);
        return pass(`events sent to ${targets.join(", ")}`);
    },
};

const replication: Rule = {
    id: "s3-replication",
    description: "Replication configured (Security Hub S3.7; cdk-nag S3BucketReplicationEnabled; checkov CKV_AWS_144).",
    controls: ["S3.7", "S3BucketReplicationEnabled", "CKV_AWS_144"],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const configurations = configs(bucket, model, "replication");
        const inline = present(bucket.resource.inputs.replicationConfiguration, "the bucket's inline replication");
        if (configurations.length === 0 && inline === undefined) return fail(`no BucketReplicationConfig with this bucket as its source${optIn(bucket, "add a SecureBucketReplication")}`);
        const enabled = configurations.some((c) => array(present(c.inputs.rules, `the rules of ${c.urn}`)).some((r) => record(r).status === "Enabled")) || inline !== undefined;
        return enabled ? pass("replicated") : fail("no replication rule is Enabled");
    },
};

const objectLock: Rule = {
    id: "s3-object-lock",
    description: "Object Lock enabled (Security Hub S3.15; cdk-nag S3BucketDefaultLockEnabled; checkov CKV_AWS_143). Not applicable to buckets that receive server access logs.",
    controls: ["S3.15", "S3BucketDefaultLockEnabled", "CKV_AWS_143"],
    enforcementLevel: "advisory",
    settings: [],
    bucket(bucket, model) {
        const logTarget = logTargetReason(bucket, LOG_TARGET_OBJECT_LOCK);
        if (logTarget !== undefined) return logTarget;
        if (known(bucket.resource.inputs.objectLockEnabled, "the bucket's objectLockEnabled") === true) return pass("objectLockEnabled on the bucket");
        const locks = configs(bucket, model, "objectLock").filter((l) => known(l.inputs.objectLockEnabled ?? "Enabled", `objectLockEnabled of ${l.urn}`) === "Enabled");
        if (locks.length > 0) return pass(`Object Lock enabled (${locks.map((l) => l.urn).join(", ")})`);
        return fail(`Object Lock is not enabled${optIn(bucket, "set objectLock")}`);
    },
};

// --- Key rules -----------------------------------------------------------------------------------

/** Rotation applies to symmetric encryption keys only ("Rotating AWS KMS keys", KMS Developer Guide). */
function isSymmetricEncryptionKey(key: StackResource): boolean {
    const spec = key.inputs.customerMasterKeySpec ?? key.inputs.keySpec ?? "SYMMETRIC_DEFAULT";
    const usage = key.inputs.keyUsage ?? "ENCRYPT_DECRYPT";
    return spec === "SYMMETRIC_DEFAULT" && usage === "ENCRYPT_DECRYPT";
}

const keyRotation: Rule = {
    id: "kms-key-rotation",
    description: "Automatic key rotation on for symmetric encryption keys (Security Hub KMS.4; cdk-nag AwsSolutions-KMS5; checkov CKV_AWS_7).",
    controls: ["KMS.4", "AwsSolutions-KMS5", "CKV_AWS_7"],
    enforcementLevel: "mandatory",
    settings: [],
    key(key) {
        known([key.inputs.customerMasterKeySpec, key.inputs.keySpec, key.inputs.keyUsage], "the key's spec and usage");
        if (!isSymmetricEncryptionKey(key)) return notApplicable("automatic rotation applies to symmetric encryption keys only (\"Rotating AWS KMS keys\", KMS Developer Guide)");
        if (known(key.inputs.enableKeyRotation, "enableKeyRotation") !== true) return fail("enableKeyRotation is off");
        return pass("automatic rotation on");
    },
};

const keyPolicyNotPublic: Rule = {
    id: "kms-key-policy-not-public",
    description: "The key policy allows no `*` principal unless a condition fixes who may ask (fixed values of the keys S3 takes for a non-public policy, or kms:CallerAccount) (like Security Hub KMS.5; checkov CKV_AWS_33).",
    controls: ["KMS.5", "CKV_AWS_33"],
    enforcementLevel: "advisory",
    settings: [],
    key(key) {
        const policy = known(key.inputs.policy, "the key policy");
        // Without a policy KMS applies its default key policy, which names the account only ("Default key policy", KMS Developer Guide).
        if (policy === undefined) return pass("no key policy given: KMS's default key policy names the key's account only");
        const open = publicStatement("the key policy", statementsOf(policy), NON_PUBLIC_KEY_POLICY_CONDITION_KEYS);
        if (open !== undefined) return fail(open);
        return pass(`no statement allows everyone${UNRESTRICTED}`);
    },
};

const noLockoutBypass: Rule = {
    id: "kms-no-lockout-bypass",
    description:
        "bypassPolicyLockoutSafetyCheck is not set: KMS keeps refusing a key policy that would lock out the principal that sets it (like Security Hub KMS.3, keys not deleted or lost unintentionally).",
    controls: ["KMS.3"],
    enforcementLevel: "mandatory",
    settings: [],
    key(key) {
        // "Setting BypassPolicyLockoutSafetyCheck to true ... increases the risk that the KMS key becomes unmanageable" (CreateKey, KMS API Reference).
        if (known(key.inputs.bypassPolicyLockoutSafetyCheck, "bypassPolicyLockoutSafetyCheck") === true) return fail("bypassPolicyLockoutSafetyCheck is true: the key can become unmanageable");
        return pass("the policy lockout safety check stays on");
    },
};

const deletionWindow: Rule = {
    id: "kms-deletion-window",
    description: "A deletion window of at least the configured minimum (default 7 days; KMS allows 7 to 30, default 30) (like Security Hub KMS.3).",
    controls: ["KMS.3"],
    enforcementLevel: "advisory",
    settings: ["minimumDeletionWindowDays"],
    key(key, _model, settings) {
        const days = known(key.inputs.deletionWindowInDays, "deletionWindowInDays");
        // Without a value KMS waits 30 days (ScheduleKeyDeletion, KMS API Reference).
        const effective = typeof days === "number" ? days : 30;
        if (effective < settings.minimumDeletionWindowDays) return fail(`deletion window ${effective} days, below the minimum of ${settings.minimumDeletionWindowDays}`);
        return pass(`deletion window ${effective} days${typeof days === "number" ? "" : " (KMS's default)"}`);
    },
};

/** Every rule, in the order findings are listed. */
export const RULES: readonly Rule[] = [
    publicAccessBlock,
    noPublicAccess,
    aclsDisabled,
    tlsOnly,
    minimumTlsVersion,
    defaultEncryptionCmk,
    bucketKey,
    denyOtherEncryption,
    sseCBlocked,
    versioning,
    accessLogging,
    lifecycle,
    eventNotifications,
    replication,
    objectLock,
    keyRotation,
    keyPolicyNotPublic,
    noLockoutBypass,
    deletionWindow,
];

/** What `judging` (one rule on one resource) says; `unknown` when a value it needs cannot be read. */
export function verdictOf(judging: () => Verdict): Verdict {
    try {
        return judging();
    } catch (error) {
        if (error instanceof CannotJudge) return { status: "unknown", message: error.message };
        throw error;
    }
}
