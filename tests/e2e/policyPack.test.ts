/**
 * The seam the Pulumi CLI uses, without a CLI: the built policy pack (dist/policypack) started as the
 * CLI starts an analyzer plugin (tests/helpers/analyzerHost.ts) and asked over its gRPC protocol to
 * analyze the resources of real offline plans: a program whose raw bucket's encryption is declared in
 * another component, the repository's dev and prod stacks, and the replication example. Over gRPC a
 * pack reports violations only, so its (rule, resource, level) triples must be `checkPlan`'s failing
 * findings, exactly. And the stacks and the example have no mandatory failure.
 */
import { expect } from "chai";
import * as path from "path";
import { planStack } from "../../cli/plan";
import { planProgram } from "../../offline/planProgram";
import type { PlanDocument } from "../../cli/planJson";
import { checkPlan, enforcementLevels, mandatoryFailures, RULES } from "../../compliance";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import * as fs from "fs";
import { analyzeStack, configure, Engine, RunningPack, startEngine, startPolicyPack, startSession, UNKNOWN_SENTINEL } from "../helpers/analyzerHost";
import { assertDistIsFresh, REPO } from "../helpers/build";

const PACK_DIR = path.join(REPO, "dist", "policypack");

/**
 * A raw bucket in one component, its encryption (SSE-S3) in another, which also waits for a second
 * raw bucket (so only its property dependency says which bucket it configures once the name is
 * unknown); beside them a SecureBucket logging into an AccessLogsBucket, and a raw key without rotation.
 */
async function crossComponentProgram(): Promise<object> {
    const pulumi = await import("@pulumi/pulumi");
    const s3 = await import("@pulumi/aws/s3");
    const kms = await import("@pulumi/aws/kms");
    const { AccessLogsBucket, SecureBucket } = await import("../../components");
    const storage = new pulumi.ComponentResource("acme:storage:Orders", "storage");
    const security = new pulumi.ComponentResource("acme:security:Encryption", "security");
    const orders = new s3.Bucket("orders", {}, { parent: storage });
    const archive = new s3.Bucket("archive", {}, { parent: storage });
    new s3.BucketServerSideEncryptionConfiguration(
        "orders-encryption",
        { bucket: orders.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
        { parent: security, dependsOn: [archive] },
    );
    const logs = new AccessLogsBucket("logs");
    new SecureBucket("data", { accessLogs: { bucket: logs.bucketName } });
    new kms.Key("loose-key", { enableKeyRotation: false });
    return {};
}

/** The failing findings of `check` under `config`, as (rule, resource, level). */
function checkFailures(plan: PlanDocument, config?: unknown): string[] {
    const levels = enforcementLevels(config);
    return checkPlan(plan, { config })
        .findings.filter((f) => f.status === "fail")
        .map((f) => `${f.rule} ${f.resource} ${levels[f.rule]}`)
        .sort();
}

describe("the policy pack, started as the Pulumi CLI starts it, over gRPC", function () {
    let engine: Engine;
    let pack: RunningPack;
    let info: analyzerProto.AnalyzerInfo;
    const plans: Record<string, PlanDocument> = {};

    before(async function () {
        assertDistIsFresh();
        // One plan at a time: a plan changes process-wide Pulumi state.
        plans.crossComponent = await planProgram({ project: "acme", stack: "dev", config: { "aws:region": "eu-west-1", "aws:allowedAccountIds": '["111111111111"]' } }, crossComponentProgram);
        plans.dev = await planStack({ projectDir: REPO, stack: "dev" });
        plans.prod = await planStack({ projectDir: REPO, stack: "prod" });
        plans.replication = await planProgram(
            { project: "secure-bucket-examples", stack: "replication", config: { "aws:region": "eu-west-1", "aws:allowedAccountIds": '["111111111111"]' } },
            async () => (await import("../../examples/replication")).replicationExample(),
        );
        engine = await startEngine();
        pack = await startPolicyPack(PACK_DIR, engine.address);
        info = await startSession(pack, { engineAddress: engine.address, packDir: PACK_DIR, stack: "dev", project: "acme" });
        await configure(pack, info);
    });

    after(() => {
        pack?.stop();
        engine?.stop();
    });

    it("describes itself: every rule with its default level and its controls in its description, and the advisory cannot-judge policy", () => {
        expect(info.getName()).to.equal("secure-bucket");
        const policies = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]);
        const MANDATORY = analyzerProto.EnforcementLevel.MANDATORY;
        const ADVISORY = analyzerProto.EnforcementLevel.ADVISORY;
        expect(policies).to.deep.equal([...RULES.map((r) => [r.id, r.enforcementLevel === "mandatory" ? MANDATORY : ADVISORY]), ["cannot-judge-during-preview", ADVISORY]]);
        const described = Object.fromEntries(info.getPoliciesList().map((p) => [p.getName(), p.getDescription()]));
        for (const rule of RULES) for (const control of rule.controls) expect(described[rule.id], rule.id).to.include(control);
    });

    it("flags a raw Bucket whose encryption resource is declared in another component, as check does", async () => {
        const orders = plans.crossComponent.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "orders");
        const encryption = plans.crossComponent.resources.find((r) => r.name === "orders-encryption");
        expect(encryption?.parent).to.match(/acme:security:Encryption::security$/);
        expect(orders?.parent).to.match(/acme:storage:Orders::storage$/);
        const violations = await analyzeStack(pack, plans.crossComponent.resources);
        const flagged = violations.find((v) => v.policy === "s3-default-encryption-kms-cmk" && v.urn === orders?.urn);
        expect(flagged?.enforcementLevel).to.equal("mandatory");
        expect(flagged?.message).to.include("AES256").and.include("S3.17");
        expect(checkFailures(plans.crossComponent)).to.include(`s3-default-encryption-kms-cmk ${orders?.urn} mandatory`);
    });

    for (const name of ["crossComponent", "dev", "prod", "replication"]) {
        it(`${name}: the pack's violations are check's failing findings, rule, resource and level`, async () => {
            const violations = await analyzeStack(pack, plans[name].resources);
            const reported = violations.map((v) => `${v.policy} ${v.urn} ${v.enforcementLevel}`).sort();
            const expected = checkFailures(plans[name]);
            expect(reported).to.deep.equal(expected);
            // Not a vacuous equality: each plan has advisory failures at least (its buckets have no replication or Object Lock, or no logging).
            expect(expected.length).to.be.greaterThan(0);
        });
    }

    it("a bucket name unknown during preview: the encryption resource joins its bucket through the property dependency the engine sends, though it depends on two buckets", async () => {
        const encryption = plans.crossComponent.resources.find((r) => r.name === "orders-encryption");
        const orders = plans.crossComponent.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "orders")?.urn;
        const archive = plans.crossComponent.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "archive")?.urn;
        expect(encryption?.dependencies).to.include.members([orders, archive]);
        const violations = await analyzeStack(pack, plans.crossComponent.resources, { [encryption?.urn as string]: ["bucket"] });
        expect(violations.filter((v) => v.policy === "cannot-judge-during-preview")).to.deep.equal([]);
        const flagged = violations.find((v) => v.policy === "s3-default-encryption-kms-cmk" && v.urn === orders);
        expect(flagged?.message).to.be.a("string").and.include("AES256");
    });

    it("a key id unknown during preview: an advisory 'cannot judge' for that bucket, and the other buckets' violations still reported", async () => {
        // What the engine sends for a value not known yet (the key's ARN of a key still to be created).
        const resources = plans.crossComponent.resources.map((r) =>
            r.name === "data-encryption" ? { ...r, inputs: { ...r.inputs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: UNKNOWN_SENTINEL }, bucketKeyEnabled: true }] } } : r,
        );
        const data = resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "data")?.urn;
        const orders = resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "orders")?.urn;
        const violations = await analyzeStack(pack, resources);
        const cannotJudge = violations.filter((v) => v.policy === "cannot-judge-during-preview");
        expect(cannotJudge.map((v) => [v.urn, v.enforcementLevel])).to.deep.equal([[data, "advisory"]]);
        // @pulumi/policy puts the policy's description on the first line of each violation's message.
        expect(cannotJudge[0].message.split("\n")[1]).to.match(/^s3-default-encryption-kms-cmk: cannot judge during preview: kmsMasterKeyId of .*data-encryption is not known until the update runs$/);
        expect(violations.map((v) => `${v.policy} ${v.urn}`)).to.include(`s3-default-encryption-kms-cmk ${orders}`);
        expect(violations.filter((v) => v.policy === "s3-default-encryption-kms-cmk" && v.urn === data)).to.deep.equal([]);
    });

    it("configured with the example config file shipped beside it (levels and settings), its violations are check's under the same config", async () => {
        const example = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "config.example.json"), "utf8")) as Record<string, string | Record<string, unknown>>;
        await configure(pack, info, example);
        try {
            for (const name of ["crossComponent", "dev"]) {
                const reported = (await analyzeStack(pack, plans[name].resources)).map((v) => `${v.policy} ${v.urn} ${v.enforcementLevel}`).sort();
                expect(reported, name).to.deep.equal(checkFailures(plans[name], example));
            }
            // The config changed something: the crossComponent buckets' missing versioning is now mandatory, replication not judged.
            expect(checkFailures(plans.crossComponent, example).some((f) => f.startsWith("s3-versioning ") && f.endsWith(" mandatory"))).to.equal(true);
            expect(checkFailures(plans.crossComponent, example).some((f) => f.startsWith("s3-replication "))).to.equal(false);
        } finally {
            await configure(pack, info);
        }
    });

    for (const name of ["dev", "prod", "replication"]) {
        it(`${name}: no mandatory rule fails`, () => {
            expect(mandatoryFailures(checkPlan(plans[name]))).to.deep.equal([]);
        });
    }

    it("logged nothing to the engine and wrote nothing on stderr", () => {
        expect(engine.logged).to.deep.equal([]);
        expect(pack.stderr()).to.equal("");
    });
});
