/**
 * The compiled `secure-bucket` CLI, run the way a user runs it: a separate Node process
 * (`node dist/cli/main.js ...`, the file the `secure-bucket` bin runs), its stdout, stderr and exit
 * code checked: the successful plans, bad config, an unknown stack, a failing program, --help, and
 * the deployment commands up to where they need a Pulumi CLI. tests/cli.test.ts runs the same `main`
 * in-process for every other help, usage and config error, and the deployment commands against fakes.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import type { PlanDocument, PlanResource } from "../../cli/planJson";
import { builtCli, REPO } from "../helpers/build";
import { CHILD_TYPES, COMPONENT_TYPE } from "../helpers/resourceTypes";
import { spawnRun, type Run } from "../helpers/spawnRun";
import { tempProject } from "../helpers/tempProject";

const CLI = builtCli();
const SPAWN_TIMEOUT_MS = 90_000;


/** The environment without the caller's PULUMI_* variables, plus `extra`. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("PULUMI_")) env[key] = value;
    return { ...env, ...extra };
}

/** The compiled CLI as its own process, from the repository; `env` defaults to {@link cleanEnv}. */
function runCli(args: readonly string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<Run> {
    return spawnRun(process.execPath, [CLI, ...args], { cwd: REPO, env, timeoutMs: SPAWN_TIMEOUT_MS });
}

/**
 * The four successful plans the describe blocks below read. They are independent processes, each
 * mostly loading the Pulumi SDK, so they start together as soon as mocha loads this file instead of
 * one after another.
 */
let plans: Promise<{ devJson: Run; devJsonAgain: Run; prodJson: Run; devText: Run }> | undefined;
function successfulPlans(): NonNullable<typeof plans> {
    plans ??= Promise.all([
        runCli(["plan", "--stack", "dev", "--json"]),
        runCli(["plan", "--stack", "dev", "--json"]),
        runCli(["plan", "--stack", "prod", "--json"]),
        runCli(["plan", "--stack", "dev"]),
    ]).then(([devJson, devJsonAgain, prodJson, devText]) => ({ devJson, devJsonAgain, prodJson, devText }));
    return plans;
}
// Marks the promise handled until a block awaits it; a failed run still fails the block that reads it.
successfulPlans().catch(() => undefined);

interface Statement {
    Sid: string;
    Effect: string;
    Principal: "*" | { AWS: string[] };
    Action: string[];
    Resource: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}
interface Policy {
    Version: string;
    Statement: Statement[];
}
/** What `plan --json` prints, as the CLI declares it. */
type Plan = PlanDocument;

/** The program's order: the component, the bucket, the key and its alias, then the bucket configuration chain. */
const TYPES_IN_ORDER = [COMPONENT_TYPE, ...Object.values(CHILD_TYPES)];
const OUTPUT_NAMES = ["bucketName", "bucketArn", "keyArn", "keyId", "aliasName", "aliasArn", "bucketPolicy", "keyPolicy"];
/** The account Pulumi.dev.yaml declares in aws:allowedAccountIds: the plan's account, not a placeholder. */
const DEV_ACCOUNT = "111111111111";
const PLACEHOLDER_DEPLOYER = `arn:aws:iam::${DEV_ACCOUNT}:role/placeholder-deployer`;
const PLACEHOLDER_KEY_ID = "00000000-0000-0000-0000-000000000000";

/** The principals a stack file names, by role. */
function principals(stack: string): { administrators: string[]; readers: string[]; writers: string[] } {
    const file = parse(fs.readFileSync(path.join(REPO, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    const list = (key: string) => (file.config[`secure-bucket:${key}`] as string[] | undefined) ?? [];
    return { administrators: list("administrators"), readers: list("readers"), writers: list("writers") };
}

function resource(plan: Plan, type: string): PlanResource {
    const matches = plan.resources.filter((r) => r.type === type);
    expect(matches, type).to.have.length(1);
    return matches[0];
}

function statement(policy: Policy, sid: string): Statement {
    const matches = policy.Statement.filter((s) => s.Sid === sid);
    expect(matches, sid).to.have.length(1);
    return matches[0];
}

function aws(s: Statement): string[] {
    expect(s.Principal).to.be.an("object");
    return (s.Principal as { AWS: string[] }).AWS;
}

describe("CLI plan --stack dev --json", function () {
    this.timeout(4 * SPAWN_TIMEOUT_MS);
    let first: Run;
    let second: Run;
    let plan: Plan;
    let keyPolicy: Policy;
    let bucketPolicy: Policy;
    const dev = principals("dev");

    before(async () => {
        ({ devJson: first, devJsonAgain: second } = await successfulPlans());
        plan = JSON.parse(first.stdout) as Plan;
        keyPolicy = resource(plan, "aws:kms/key:Key").inputs.policy as Policy;
        bucketPolicy = resource(plan, "aws:s3/bucketPolicy:BucketPolicy").inputs.policy as Policy;
    });

    it("exits 0 with one JSON document on stdout and nothing on stderr", () => {
        expect(first.stderr).to.equal("");
        expect(first.status).to.equal(0);
        expect(plan.stack).to.equal("dev");
        expect(plan.project).to.equal("secure-bucket");
        expect(Object.keys(plan)).to.include.members(["stack", "resources", "outputs", "placeholders"]);
    });

    it("prints byte-identical JSON on every run (no randomness, no timestamps)", () => {
        expect(second.status).to.equal(0);
        expect(second.stdout).to.equal(first.stdout);
    });

    it("lists the 10 resources in the program's order: the component, then its nine children parented to it", () => {
        expect(plan.resources.map((r) => r.type)).to.deep.equal(TYPES_IN_ORDER);
        const component = plan.resources[0];
        expect(component.name).to.equal("secure-bucket-dev");
        expect(component.parent).to.equal(null);
        for (const child of plan.resources.slice(1)) {
            expect(child.parent, child.name).to.equal(component.urn);
            expect(Object.keys(child)).to.include.members(["type", "name", "parent", "inputs"]);
        }
        expect(plan.resources.slice(1).map((r) => r.name)).to.deep.equal([
            "secure-bucket-dev",
            "secure-bucket-dev-key",
            "secure-bucket-dev-alias",
            "secure-bucket-dev-ownership",
            "secure-bucket-dev-public-access-block",
            "secure-bucket-dev-encryption",
            "secure-bucket-dev-versioning",
            "secure-bucket-dev-lifecycle",
            "secure-bucket-dev-policy",
        ]);
    });

    it("shows the inputs from the dev stack config, and no protection (protect: false)", () => {
        const key = resource(plan, "aws:kms/key:Key");
        expect(key.inputs.deletionWindowInDays).to.equal(7);
        expect(key.inputs.region).to.equal("eu-west-1");
        expect(key.inputs.tags).to.deep.equal({ environment: "dev", owner: "platform-team" });
        expect(resource(plan, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs.rules).to.deep.include({
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: 30 },
            expiration: { expiredObjectDeleteMarker: true },
        });
        expect(plan.resources.filter((r) => r.protect)).to.deep.equal([]);
    });

    it("shows the key policy parsed: the principals of Pulumi.dev.yaml, decrypt only through S3 in eu-west-1", () => {
        expect(keyPolicy.Version).to.equal("2012-10-17");
        expect(aws(statement(keyPolicy, "EnableIamPoliciesForAccount"))).to.deep.equal([`arn:aws:iam::${DEV_ACCOUNT}:root`]);
        expect(aws(statement(keyPolicy, "AllowKeyAdministration"))).to.deep.equal(dev.administrators);
        const readers = statement(keyPolicy, "AllowReadersDecryptThroughS3");
        expect(aws(readers)).to.deep.equal(dev.readers);
        expect(readers.Condition?.StringEquals["kms:ViaService"]).to.equal("s3.eu-west-1.amazonaws.com");
        expect(readers.Condition?.StringLike["kms:EncryptionContext:aws:s3:arn"]).to.deep.equal([plan.outputs.bucketArn, `${String(plan.outputs.bucketArn)}/*`]);
        const writers = statement(keyPolicy, "AllowWritersEncryptThroughS3");
        expect(aws(writers)).to.deep.equal(dev.writers);
        expect(writers.Condition?.StringEquals["kms:ViaService"]).to.equal("s3.eu-west-1.amazonaws.com");
        expect(statement(keyPolicy, "DenyKeyDeletionByNonAdministrators").Condition?.ArnNotEquals["aws:PrincipalArn"]).to.deep.equal([
            ...dev.administrators,
            PLACEHOLDER_DEPLOYER,
        ]);
    });

    it("shows the bucket policy parsed: TLS and encryption guards on this key, readers and writers of Pulumi.dev.yaml", () => {
        const bucketArn = String(plan.outputs.bucketArn);
        expect(statement(bucketPolicy, "DenyInsecureTransport").Condition?.BoolIfExists["aws:SecureTransport"]).to.equal("false");
        expect(statement(bucketPolicy, "DenyOutdatedTlsVersions").Condition?.NumericLessThan["s3:TlsVersion"]).to.equal("1.2");
        expect(statement(bucketPolicy, "DenyOtherKmsKeys").Condition?.StringNotEquals["s3:x-amz-server-side-encryption-aws-kms-key-id"]).to.equal(
            plan.outputs.keyArn,
        );
        const readers = statement(bucketPolicy, "AllowReaders");
        expect(aws(readers)).to.deep.equal(dev.readers);
        expect(readers.Resource).to.deep.equal([bucketArn, `${bucketArn}/*`]);
        expect(aws(statement(bucketPolicy, "AllowWriters"))).to.deep.equal(dev.writers);
    });

    it("prints the stack outputs, with the two policies parsed and equal to the ones applied", () => {
        expect(Object.keys(plan.outputs)).to.deep.equal(OUTPUT_NAMES);
        expect(plan.outputs.bucketName).to.equal("secure-bucket-dev-xxxxxxx");
        expect(plan.outputs.bucketArn).to.equal("arn:aws:s3:::secure-bucket-dev-xxxxxxx");
        expect(plan.outputs.keyId).to.equal(PLACEHOLDER_KEY_ID);
        expect(plan.outputs.keyArn).to.equal(`arn:aws:kms:eu-west-1:${DEV_ACCOUNT}:key/${PLACEHOLDER_KEY_ID}`);
        expect(plan.outputs.aliasName).to.equal("alias/secure-bucket-dev");
        expect(plan.outputs.aliasArn).to.equal(`arn:aws:kms:eu-west-1:${DEV_ACCOUNT}:alias/secure-bucket-dev`);
        expect(plan.outputs.bucketPolicy).to.deep.equal(bucketPolicy);
        expect(plan.outputs.keyPolicy).to.deep.equal(keyPolicy);
    });

    it("marks the key id, the auto-generated bucket name and the deployer as placeholders; the region and account are the stack's", () => {
        expect(plan.placeholders.note).to.match(/placeholder/i);
        expect(plan.placeholders.region).to.equal("eu-west-1");
        expect(plan.placeholders.partition).to.equal("aws");
        const values = plan.placeholders.values.map((p) => p.value);
        expect(values).to.have.members([PLACEHOLDER_KEY_ID, "secure-bucket-dev-xxxxxxx", PLACEHOLDER_DEPLOYER]);
        for (const p of plan.placeholders.values) expect(p.meaning, p.value).to.be.a("string").and.not.equal("");
        // Every account id in an ARN the mocks computed is the one aws:allowedAccountIds declares.
        for (const arn of [plan.outputs.keyArn, plan.outputs.aliasArn]) expect(String(arn).split(":")[4]).to.equal(DEV_ACCOUNT);
    });
});

describe("CLI plan --stack prod --json", function () {
    this.timeout(2 * SPAWN_TIMEOUT_MS);
    let run: Run;
    let plan: Plan;
    const prod = principals("prod");

    before(async () => {
        run = (await successfulPlans()).prodJson;
        plan = JSON.parse(run.stdout) as Plan;
    });

    it("exits 0 and lists the same 10 resources", () => {
        expect(run.status).to.equal(0);
        expect(run.stderr).to.equal("");
        expect(plan.stack).to.equal("prod");
        expect(plan.resources.map((r) => r.type)).to.deep.equal(TYPES_IN_ORDER);
        expect(plan.resources[0].name).to.equal("secure-bucket-prod");
    });

    it("uses the fixed bucket name, TLS 1.3, us-east-1 and protects the key and the bucket", () => {
        expect(resource(plan, "aws:s3/bucket:Bucket").inputs.bucket).to.equal("example-corp-prod-secure-data");
        expect(plan.outputs.bucketName).to.equal("example-corp-prod-secure-data");
        expect(plan.outputs.aliasName).to.equal("alias/example-corp/prod/secure-data");
        const bucketPolicy = plan.outputs.bucketPolicy as Policy;
        expect(statement(bucketPolicy, "DenyOutdatedTlsVersions").Condition?.NumericLessThan["s3:TlsVersion"]).to.equal("1.3");
        expect(aws(statement(bucketPolicy, "AllowWriters"))).to.deep.equal(prod.writers);
        const keyPolicy = plan.outputs.keyPolicy as Policy;
        expect(statement(keyPolicy, "AllowReadersDecryptThroughS3").Condition?.StringEquals["kms:ViaService"]).to.equal("s3.us-east-1.amazonaws.com");
        expect(aws(statement(keyPolicy, "AllowKeyAdministration"))).to.deep.equal(prod.administrators);
        expect(resource(plan, "aws:kms/key:Key").inputs.rotationPeriodInDays).to.equal(180);
        expect(plan.resources.filter((r) => r.protect).map((r) => r.type)).to.deep.equal(["aws:s3/bucket:Bucket", "aws:kms/key:Key"]);
    });

    it("lists no bucket-name placeholder when the name is fixed; the key id and the deployer still are", () => {
        const values = plan.placeholders.values.map((p) => p.value);
        expect(values).to.have.members([PLACEHOLDER_KEY_ID, "arn:aws:iam::333333333333:role/placeholder-deployer"]);
        expect(values.filter((v) => v.includes("xxxxxxx"))).to.deep.equal([]);
        expect(plan.placeholders.region).to.equal("us-east-1");
    });
});

describe("CLI plan --stack dev (human output)", function () {
    this.timeout(SPAWN_TIMEOUT_MS);
    let run: Run;
    before(async () => {
        run = (await successfulPlans()).devText;
    });

    it("exits 0 and shows every resource with its parent", () => {
        expect(run.status).to.equal(0);
        expect(run.stderr).to.equal("");
        for (const type of TYPES_IN_ORDER) expect(run.stdout).to.include(type);
        expect(run.stdout).to.include('parent: secure-bucket:index:SecureBucket "secure-bucket-dev"');
    });

    it("shows the bucket and key policies as JSON", () => {
        expect(run.stdout).to.match(/^Bucket policy \(policy of aws:s3\/bucketPolicy:BucketPolicy "secure-bucket-dev-policy"\):$/m);
        expect(run.stdout).to.match(/^Key policy \(policy of aws:kms\/key:Key "secure-bucket-dev-key"\):$/m);
        for (const sid of ["DenyInsecureTransport", "DenyOtherKmsKeys", "AllowReaders", "AllowReadersDecryptThroughS3", "DenyKeyDeletionByNonAdministrators"]) {
            expect(run.stdout).to.include(`"Sid": "${sid}"`);
        }
        expect(run.stdout).to.include('"kms:ViaService": "s3.eu-west-1.amazonaws.com"');
    });

    it("shows the outputs and says which values are placeholders", () => {
        expect(run.stdout).to.match(/^OUTPUTS:$/m);
        expect(run.stdout).to.include("bucketName: secure-bucket-dev-xxxxxxx");
        expect(run.stdout).to.match(/^PLACEHOLDERS:/m);
        expect(run.stdout).to.match(new RegExp(`^  ${PLACEHOLDER_DEPLOYER} +ARN of the deploying role`, "m"));
        expect(run.stdout).to.include("Region eu-west-1");
    });
});

describe("CLI errors", function () {
    this.timeout(6 * SPAWN_TIMEOUT_MS);
    let project: string;
    before(() => {
        project = tempProject({
            bad: "config:\n  aws:region: eu-west-1\n  secure-bucket:keyRotationPeriodInDays: 30\n",
        });
    });
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("bad config: exit 2, the key named on stderr, nothing on stdout", async () => {
        const run = await runCli(["plan", "--stack", "bad", "--cwd", project]);
        expect(run.status).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.include("secure-bucket:keyRotationPeriodInDays: 30 must be from 90 to 2560");
    });

    it("a program failure (a bucket policy over AWS's size limit): exit 1, the reason on stderr, nothing on stdout", async () => {
        const readers = Array.from({ length: 400 }, (_, i) => `    - arn:aws:iam::111111111111:role/reader-with-a-long-name-${String(i).padStart(4, "0")}`);
        fs.writeFileSync(path.join(project, "Pulumi.big.yaml"), `config:\n  aws:region: eu-west-1\n  secure-bucket:readers:\n${readers.join("\n")}\n`);
        const run = await runCli(["plan", "--stack", "big", "--json", "--cwd", project]);
        expect(run.status).to.equal(1);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.match(/policy would be \d+ bytes, over AWS's \d+-byte limit/);
        expect(run.stderr).not.to.match(/^\s+at /m);
    });

    it("unknown stack: exit 2 with the known stacks listed", async () => {
        const run = await runCli(["plan", "--stack", "staging"]);
        expect(run.status).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.include('Unknown stack "staging"');
        expect(run.stderr).to.include("Known stacks: dev, prod");
    });

    it("--help: exit 0 with the usage on stdout", async () => {
        const run = await runCli(["--help"]);
        expect(run.status).to.equal(0);
        expect(run.stderr).to.equal("");
        expect(run.stdout).to.match(/^Usage: secure-bucket /);
    });
});

describe("CLI preview / up without a Pulumi CLI", function () {
    this.timeout(4 * SPAWN_TIMEOUT_MS);
    let project: string;
    let emptyPath: string;
    before(() => {
        project = tempProject({});
        emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-no-pulumi-"));
    });
    after(() => {
        fs.rmSync(project, { recursive: true, force: true });
        fs.rmSync(emptyPath, { recursive: true, force: true });
    });

    it("preview: exits 1 saying to install the Pulumi CLI, and writes no state", async () => {
        const run = await runCli(["preview", "--stack", "dev", "--stack", "prod", "--cwd", project], cleanEnv({ PATH: emptyPath, PULUMI_CONFIG_PASSPHRASE: "test" }));
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include("The Pulumi CLI was not found");
        expect(run.stderr).to.include("https://www.pulumi.com/docs/install/");
        expect(run.stderr).not.to.match(/^\s+at /m); // a message, not a stack trace
        expect(fs.readdirSync(project).sort()).to.deep.equal(["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.yaml"]);
    });

    it("up without a passphrase for the local backend: exits 1 naming PULUMI_CONFIG_PASSPHRASE", async () => {
        const run = await runCli(["up", "--stack", "dev", "--cwd", project], cleanEnv({ PATH: emptyPath }));
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include("PULUMI_CONFIG_PASSPHRASE");
        expect(run.stderr).not.to.match(/^\s+at /m);
    });

    it("up on an unknown stack: exits 2 listing the known stacks, before looking for Pulumi", async () => {
        const run = await runCli(["up", "--stack", "dev", "--stack", "qa", "--cwd", project], cleanEnv({ PATH: emptyPath, PULUMI_CONFIG_PASSPHRASE: "test" }));
        expect(run.status).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.include('Unknown stack "qa"');
        expect(run.stderr).to.include("Known stacks: dev, prod");
    });
});
