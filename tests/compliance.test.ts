/**
 * The compliance rules (compliance/) over offline plans of raw-resource programs: one program per
 * rule, breaking exactly that rule, and the program that breaks none; the joins across components;
 * log targets; SecureBucket and AccessLogsBucket with their defaults; values unknown during preview;
 * the config; the text form.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_LOGS_BUCKET_TYPE, AccessLogsBucket, SECURE_BUCKET_REPLICATION_TYPE, SECURE_BUCKET_TYPE, SecureBucket } from "../components";
import { checkPlan, CheckReport, Finding, fromPolicyResources, hasMandatoryFailure, mandatoryFailures, PolicyConfigError, renderCheckText, RULES } from "../compliance";
import { evaluate } from "../compliance/check";
import { resolveConfig } from "../compliance/config";
import { COMPONENT_TYPES } from "../compliance/stackModel";
import { plan } from "../testing";
import { Breakable, BUCKET, KEY, rawProgram, urnIn } from "./helpers/compliance";
import { thrownBy } from "./helpers/errors";

/** The findings on one resource. */
const on = (report: CheckReport, urn: string): Finding[] => report.findings.filter((f) => f.resource === urn);
const failing = (findings: Finding[]): string[] => findings.filter((f) => f.status === "fail").map((f) => f.rule);

/** A resource as CrossGuard hands it to a stack policy (fromPolicyResources' input), its property dependencies given as URNs. */
const policyResource = (type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, string[]> = {}) => ({
    type,
    name,
    urn: `urn:pulumi:s::p::${type}::${name}`,
    props,
    dependencies: Object.values(propertyDependencies).flat().map((urn) => ({ urn })),
    propertyDependencies: Object.fromEntries(Object.entries(propertyDependencies).map(([k, v]) => [k, v.map((urn) => ({ urn }))])),
});

/** The control ids each rule names, all of them in order: Security Hub's from the issue, and the cdk-nag and checkov ids where those tools have one. */
const CONTROLS: Record<Breakable, string[]> = {
    "s3-bucket-public-access-block": ["S3.8", "AwsSolutions-S2", "S3BucketLevelPublicAccessProhibited", "CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "CKV2_AWS_6"],
    "s3-no-public-access": ["S3.2", "S3.3", "S3.6", "S3BucketPublicReadProhibited", "S3BucketPublicWriteProhibited", "CKV_AWS_20", "CKV_AWS_57", "CKV_AWS_70"],
    "s3-acls-disabled": ["S3.12", "CKV2_AWS_65"],
    "s3-tls-only": ["S3.5", "AwsSolutions-S10", "S3BucketSSLRequestsOnly"],
    "s3-minimum-tls-version": [],
    "s3-default-encryption-kms-cmk": ["S3.17", "S3DefaultEncryptionKMS", "CKV_AWS_145", "CKV_AWS_19"],
    "s3-bucket-key-enabled": [],
    "s3-deny-other-encryption": [],
    "s3-sse-c-blocked": [],
    "s3-versioning": ["S3.14", "S3BucketVersioningEnabled", "CKV_AWS_21"],
    "s3-access-logging": ["S3.9", "AwsSolutions-S1", "S3BucketLoggingEnabled", "CKV_AWS_18"],
    "s3-lifecycle": ["S3.13", "S3.10", "CKV2_AWS_61", "CKV_AWS_300"],
    "s3-event-notifications": ["S3.11", "CKV2_AWS_62"],
    "s3-replication": ["S3.7", "S3BucketReplicationEnabled", "CKV_AWS_144"],
    "s3-object-lock": ["S3.15", "S3BucketDefaultLockEnabled", "CKV_AWS_143"],
    "kms-key-rotation": ["KMS.4", "AwsSolutions-KMS5", "CKV_AWS_7"],
    "kms-key-policy-not-public": ["KMS.5", "CKV_AWS_33"],
    "kms-no-lockout-bypass": ["KMS.3"],
    "kms-deletion-window": ["KMS.3"],
};

/** `kms-deletion-window` is broken through its setting: the raw key waits 10 days, the config asks for 14. */
const CONFIG_FOR: Partial<Record<Breakable, object>> = { "kms-deletion-window": { "kms-deletion-window": { minimumDeletionWindowDays: 14 } } };

describe("compliance rules", () => {
    describe("a raw-resource program that meets every rule", () => {
        it("passes every rule on its bucket and its key", async () => {
            const planned = await plan(() => rawProgram("fine"));
            const report = checkPlan(planned);
            const findings = [...on(report, urnIn(planned, BUCKET, "fine")), ...on(report, urnIn(planned, KEY, "fine-key"))];
            expect(findings.map((f) => f.rule).sort()).to.deep.equal(RULES.map((r) => r.id).sort());
            expect(findings.filter((f) => f.status !== "pass"), JSON.stringify(findings, null, 1)).to.deep.equal([]);
        });
    });

    describe("each rule broken alone", () => {
        for (const rule of Object.keys(CONTROLS) as Breakable[]) {
            it(`${rule}: only it fails on the bucket and key, naming ${CONTROLS[rule].join(", ") || "no control"}; the same program unbroken passes it`, async () => {
                const planned = await plan(() => rawProgram("raw", rule));
                const report = checkPlan(planned, { config: CONFIG_FOR[rule] });
                const findings = [...on(report, urnIn(planned, BUCKET, "raw")), ...on(report, urnIn(planned, KEY, "raw-key"))];
                expect(failing(findings), JSON.stringify(findings.filter((f) => f.status !== "pass"), null, 1)).to.deep.equal([rule]);
                const failure = findings.find((f) => f.status === "fail") as Finding;
                expect(failure.controls).to.deep.equal(CONTROLS[rule]);
                expect(findings.filter((f) => f.status === "notApplicable")).to.deep.equal([]);
            });
        }
        it("kms-deletion-window: the unbroken program's key (10 days) passes a configured minimum it meets (10)", async () => {
            const planned = await plan(() => rawProgram("fixed"));
            const report = checkPlan(planned, { config: { "kms-deletion-window": { minimumDeletionWindowDays: 10 } } });
            expect(on(report, urnIn(planned, KEY, "fixed-key")).find((f) => f.rule === "kms-deletion-window")?.status).to.equal("pass");
        });
    });

    describe("joining a bucket with what configures it", () => {
        it("finds a raw bucket's encryption declared in another component, and fails it when that encryption is SSE-S3", async () => {
            const planned = await plan(() => {
                const storage = new pulumi.ComponentResource("acme:storage:Buckets", "storage");
                const security = new pulumi.ComponentResource("acme:security:Encryption", "security");
                const bucket = new s3.Bucket("orders", {}, { parent: storage });
                new s3.BucketServerSideEncryptionConfiguration("orders-sse", { bucket: bucket.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { parent: security });
            });
            const cmk = on(checkPlan(planned), urnIn(planned, BUCKET, "orders")).find((f) => f.rule === "s3-default-encryption-kms-cmk");
            expect(cmk?.status).to.equal("fail");
            const sse = urnIn(planned, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "orders-sse");
            expect(sse).to.include("acme:security:Encryption$");
            expect(cmk?.message).to.include(sse).and.include("AES256");
        });

        it("names no bucket's settings for another: a second bucket with nothing declared fails where the first passes", async () => {
            const planned = await plan(() => {
                rawProgram("first");
                new s3.Bucket("bare", {});
            });
            const report = checkPlan(planned);
            expect(failing(on(report, urnIn(planned, BUCKET, "bare")))).to.include.members(["s3-bucket-public-access-block", "s3-acls-disabled", "s3-tls-only", "s3-default-encryption-kms-cmk"]);
            expect(failing(on(report, urnIn(planned, BUCKET, "first")))).to.deep.equal([]);
        });

        it("reads the deprecated inline settings of a v7 Bucket too", async () => {
            const planned = await plan(() => {
                new s3.Bucket("inline", { versioning: { enabled: true }, acl: "public-read" });
            });
            const findings = on(checkPlan(planned), urnIn(planned, BUCKET, "inline"));
            expect(findings.find((f) => f.rule === "s3-versioning")?.status).to.equal("pass");
            expect(findings.find((f) => f.rule === "s3-no-public-access")?.message).to.include("public-read");
        });

        it("an AWS managed key (alias/aws/s3) fails the customer-managed-key rule; a key declared outside the stack is not applicable, with the reason", async () => {
            const planned = await plan(() => {
                const managed = new s3.Bucket("managed", {});
                const external = new s3.Bucket("external", {});
                new s3.BucketServerSideEncryptionConfiguration("managed-sse", { bucket: managed.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "alias/aws/s3" } }] });
                new s3.BucketServerSideEncryptionConfiguration("external-sse", {
                    bucket: external.bucket,
                    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:us-east-1:222222222222:key/11111111-2222-3333-4444-555555555555" } }],
                });
            });
            const report = checkPlan(planned);
            const verdict = (name: string) => on(report, urnIn(planned, BUCKET, name)).find((f) => f.rule === "s3-default-encryption-kms-cmk");
            expect(verdict("managed")?.status).to.equal("fail");
            expect(verdict("managed")?.message).to.include("alias/aws/s3");
            expect(verdict("external")?.status).to.equal("notApplicable");
            expect(verdict("external")?.message).to.include("not declared in this stack");
        });
    });

    describe("buckets that receive server access logs", () => {
        it("a raw bucket named as a logging target: the customer-managed-key and Object Lock rules are not applicable, with AWS's reason", async () => {
            const planned = await plan(() => rawProgram("source"));
            const logs = on(checkPlan(planned), urnIn(planned, BUCKET, "source-logs"));
            for (const rule of ["s3-default-encryption-kms-cmk", "s3-object-lock"]) {
                const finding = logs.find((f) => f.rule === rule);
                expect(finding?.status, rule).to.equal("notApplicable");
                expect(finding?.message).to.include("receives server access logs").and.include("Enabling Amazon S3 server access logging");
            }
        });

        it("an AccessLogsBucket with its defaults: no mandatory failure, the key and Object Lock rules not applicable", async () => {
            const planned = await plan(() => {
                new AccessLogsBucket("access-logs");
            });
            const report = checkPlan(planned);
            expect(mandatoryFailures(report)).to.deep.equal([]);
            const findings = on(report, urnIn(planned, BUCKET, "access-logs"));
            expect(findings.find((f) => f.rule === "s3-default-encryption-kms-cmk")?.status).to.equal("notApplicable");
            expect(findings.find((f) => f.rule === "s3-object-lock")?.status).to.equal("notApplicable");
        });
    });

    describe("SecureBucket", () => {
        it("the rules know this package's component types by the tokens the components register (repeated so that check loads no component)", () => {
            expect(COMPONENT_TYPES).to.deep.equal({ secureBucket: SECURE_BUCKET_TYPE, accessLogsBucket: ACCESS_LOGS_BUCKET_TYPE, replication: SECURE_BUCKET_REPLICATION_TYPE });
        });

        it("with its defaults passes every mandatory rule; the advisory ones it fails are those its opt-ins meet, each finding saying which", async () => {
            const report = checkPlan(await plan(() => {
                new SecureBucket("defaults");
            }));
            const levels = resolveConfig().levels;
            const mandatory = report.findings.filter((f) => levels[f.rule] === "mandatory");
            expect(mandatory.length).to.equal(RULES.filter((r) => r.enforcementLevel === "mandatory").length);
            expect(mandatory.filter((f) => f.status !== "pass")).to.deep.equal([]);
            const advisoryFailures = report.findings.filter((f) => f.status === "fail");
            expect(advisoryFailures.map((f) => f.rule).sort()).to.deep.equal(["s3-access-logging", "s3-event-notifications", "s3-object-lock", "s3-replication"]);
            for (const f of advisoryFailures) expect(f.message).to.match(/SecureBucket "defaults": (set|add) /);
        });
    });

    describe("an Allow for everyone under a condition (S3 User Guide, 'The meaning of \"public\"')", () => {
        const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
        const allowEveryone = (action: string, condition: object) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: action, Resource: "*", Condition: condition }] });
        /** Conditions and whether they keep the statement non-public: only fixed values of the keys AWS lists do. */
        const CASES: [string, object, "pass" | "fail"][] = [
            ["aws:SecureTransport only", { Bool: { "aws:SecureTransport": "true" } }, "fail"],
            ["a fixed aws:SourceAccount", { StringEquals: { "aws:SourceAccount": "111111111111" } }, "pass"],
            ["a wildcard aws:SourceAccount", { StringLike: { "aws:SourceAccount": "*" } }, "fail"],
            ["a negated aws:SourceAccount", { StringNotEquals: { "aws:SourceAccount": "111111111111" } }, "fail"],
            ["aws:SourceAccount only if present", { StringEqualsIfExists: { "aws:SourceAccount": "111111111111" } }, "fail"],
            ["aws:SourceIp of every address", { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }, "fail"],
            ["aws:SourceIp of one range", { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } }, "pass"],
        ];
        const verdict = (resources: ReturnType<typeof policyResource>[], rule: string) => evaluate(fromPolicyResources(resources), resolveConfig()).find((f) => f.rule === rule);

        for (const [what, condition, expected] of CASES) {
            it(`s3-no-public-access: a bucket policy allowing "*" under ${what}: ${expected}`, () => {
                const finding = verdict(
                    [policyResource(BUCKET, "b", { bucket: "b-1234567" }), policyResource(POLICY, "b-policy", { bucket: "b-1234567", policy: allowEveryone("s3:GetObject", condition) })],
                    "s3-no-public-access",
                );
                expect(finding?.status, finding?.message).to.equal(expected);
            });
            it(`kms-key-policy-not-public: a key policy allowing "*" under ${what}: ${expected}`, () => {
                const finding = verdict([policyResource(KEY, "k", { policy: allowEveryone("kms:Decrypt", condition) })], "kms-key-policy-not-public");
                expect(finding?.status, finding?.message).to.equal(expected);
            });
        }
    });

    describe("values unknown during preview (CrossGuard's resources)", () => {
        const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
        const SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

        it("an unknown key id: 'cannot judge during preview' for that bucket only; the other bucket keeps its verdict", () => {
            const resources = fromPolicyResources([
                policyResource(BUCKET, "a", { bucket: "a-1234567" }),
                policyResource(BUCKET, "b", { bucket: "b-1234567" }),
                policyResource(SSE, "a-sse", { bucket: "a-1234567", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN_STRING } }] }),
                policyResource(SSE, "b-sse", { bucket: "b-1234567", rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
            ]);
            const findings = evaluate(resources, resolveConfig()).filter((f) => f.rule === "s3-default-encryption-kms-cmk");
            expect(findings.map((f) => [f.resource.split("::").pop(), f.status])).to.deep.equal([
                ["a", "notApplicable"],
                ["b", "fail"],
            ]);
            expect(findings[0].message).to.match(/^cannot judge during preview: kmsMasterKeyId of .*a-sse is not known until the update runs$/);
        });

        it("a configuring resource whose bucket name is unknown joins through its property dependency; without one, buckets lacking that setting cannot be judged rather than fail", () => {
            const a = policyResource(BUCKET, "a", { bucket: UNKNOWN_STRING });
            const viaDependency = fromPolicyResources([a, policyResource(SSE, "a-sse", { bucket: UNKNOWN_STRING, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }, { bucket: [a.urn] })]);
            expect(evaluate(viaDependency, resolveConfig()).find((f) => f.rule === "s3-default-encryption-kms-cmk")?.message).to.include("AES256");
            const orphan = fromPolicyResources([a, policyResource(SSE, "a-sse", { bucket: UNKNOWN_STRING, rules: [] })]);
            const verdict = evaluate(orphan, resolveConfig()).find((f) => f.rule === "s3-default-encryption-kms-cmk");
            expect(verdict?.status).to.equal("notApplicable");
            expect(verdict?.message).to.match(/^cannot judge during preview: the bucket of .*a-sse is not known/);
        });
    });

    describe("secrets, which the offline plan shows as [secret]", () => {
        it("a bucket policy given as a secret: the rules that read it cannot judge the bucket, saying why, rather than pass it", async () => {
            const planned = await plan(() => {
                const bucket = new s3.Bucket("hidden", {});
                new s3.BucketPolicy("hidden-policy", {
                    bucket: bucket.bucket,
                    policy: pulumi.secret(JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }] })),
                });
            });
            const findings = on(checkPlan(planned), urnIn(planned, BUCKET, "hidden"));
            for (const rule of ["s3-no-public-access", "s3-tls-only"]) {
                const finding = findings.find((f) => f.rule === rule);
                expect(finding?.status, rule).to.equal("notApplicable");
                expect(finding?.message).to.match(/^cannot judge: the policy of .*hidden-policy is a secret, which the offline plan does not show$/);
            }
        });
    });

    describe("config", () => {
        it("sets levels per rule and for all; a disabled rule has no findings; hasMandatoryFailure follows the levels", async () => {
            // A SecureBucket with its defaults fails advisory rules only (s3-access-logging among them).
            const planned = await plan(() => {
                new SecureBucket("levels");
            });
            const report = checkPlan(planned);
            expect(hasMandatoryFailure(report)).to.equal(false);
            expect(hasMandatoryFailure(report, { "s3-access-logging": "mandatory" })).to.equal(true);
            expect(hasMandatoryFailure(report, { all: "mandatory", "s3-access-logging": { enforcementLevel: "advisory" } })).to.equal(true);
            expect(hasMandatoryFailure(report, { all: "mandatory", "s3-access-logging": "advisory", "s3-event-notifications": "advisory", "s3-object-lock": "advisory", "s3-replication": "advisory" })).to.equal(false);
            expect(checkPlan(planned, { config: { "s3-access-logging": "disabled" } }).findings.map((f) => f.rule)).to.not.include("s3-access-logging");
        });

        it("the example config file (policypack/config.example.json, shipped beside the pack) is valid and sets what it says", () => {
            const example: unknown = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policypack", "config.example.json"), "utf8"));
            const { levels, settings } = resolveConfig(example);
            expect([levels["s3-versioning"], levels["s3-access-logging"], levels["s3-minimum-tls-version"], levels["s3-replication"], levels["s3-object-lock"]]).to.deep.equal(["mandatory", "mandatory", "mandatory", "disabled", "disabled"]);
            expect(settings).to.deep.equal({ minimumTlsVersion: "1.2", minimumDeletionWindowDays: 14 });
        });

        it("refuses an unknown rule, a bad level and a bad setting, naming the key and what is allowed", () => {
            expect(thrownBy(PolicyConfigError, () => resolveConfig({ "s3-versionning": "mandatory" })).message).to.match(/^policy config "s3-versionning": no such rule; rules: s3-bucket-public-access-block, .* or all$/);
            expect(thrownBy(PolicyConfigError, () => resolveConfig({ all: "strict" })).message).to.equal('policy config "all": "strict" is not an enforcement level; allowed: mandatory, advisory, disabled');
            expect(thrownBy(PolicyConfigError, () => resolveConfig({ "s3-minimum-tls-version": { minimumTlsVersion: "1.1" } })).message).to.equal(
                'policy config "s3-minimum-tls-version.minimumTlsVersion": "1.1" is not allowed; allowed: "1.2", "1.3"',
            );
            expect(thrownBy(PolicyConfigError, () => resolveConfig({ "s3-versioning": { minimumTlsVersion: "1.3" } })).message).to.equal(
                'policy config "s3-versioning": unknown setting "minimumTlsVersion"; allowed: enforcementLevel',
            );
        });
    });

    describe("text form", () => {
        it("lists each bucket and key with each rule's verdict, level, controls and reason, and counts the failures by level", async () => {
            const planned = await plan(() => {
                new kms.Key("plain-key", { enableKeyRotation: false });
            });
            const text = renderCheckText(checkPlan(planned));
            expect(text).to.include(`\n${urnIn(planned, KEY, "plain-key")}\n  FAIL  kms-key-rotation (mandatory) [KMS.4, AwsSolutions-KMS5, CKV_AWS_7]\n        enableKeyRotation is off\n`);
            expect(text.trimEnd().split("\n").pop()).to.equal("1 mandatory failure(s), 0 advisory failure(s), 3 pass(es), 0 not applicable");
        });
    });
});
