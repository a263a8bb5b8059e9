/**
 * The compiled `secure-bucket` CLI, run the way a user runs it: a separate Node process
 * (`node dist/cli/main.js ...`, the file the `secure-bucket` bin runs), its stdout, stderr and exit
 * code checked, one process per kind of outcome: the successful plans (JSON and text), bad config,
 * an unknown stack, a failing program, --help, and the deployment commands up to where they need a
 * Pulumi CLI. What the plan shows is checked as the CLI's output (its shape, order, parents,
 * placeholders and rendering); what the program deploys for each stack is tests/program.test.ts's.
 * tests/cli.test.ts runs the same `main` in-process for every other help, usage and config error.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { PlanDocument, PlanResource } from "../../cli/planJson";
import { builtCli, REPO } from "../helpers/build";
import { statement } from "../helpers/policies";
import { OUTPUT_NAMES } from "../helpers/program";
import { CHILD_TYPES, COMPONENT_TYPE } from "../helpers/resourceTypes";
import { spawnRun, type Run } from "../helpers/spawnRun";
import { tempProject } from "../helpers/tempProject";

const CLI = builtCli();
const SPAWN_TIMEOUT_MS = 90_000;

/** The environment without the caller's PULUMI_* variables and SECURE_BUCKET_DEBUG, plus `extra`. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("PULUMI_") && key !== "SECURE_BUCKET_DEBUG") env[key] = value;
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

/**
 * What each example stack's plan lists, in its stable order: a parent before its children, a resource
 * after the ones it waits for, ties by type and name. Dev's opt-ins add access logging and
 * EventBridge notifications; prod's, Object Lock.
 */
const FIRST = [
    [COMPONENT_TYPE, ""],
    [CHILD_TYPES.bucket, ""],
    [CHILD_TYPES.key, "-key"],
    [CHILD_TYPES.alias, "-alias"],
];
const BUCKET_CONFIGURATION = [
    [CHILD_TYPES.publicAccessBlock, "-public-access-block"],
    [CHILD_TYPES.policy, "-policy"],
    [CHILD_TYPES.ownership, "-ownership"],
    [CHILD_TYPES.encryption, "-encryption"],
    [CHILD_TYPES.versioning, "-versioning"],
    [CHILD_TYPES.lifecycle, "-lifecycle"],
];
const PLANNED = {
    dev: [...FIRST, ["aws:s3/bucketLogging:BucketLogging", "-access-logs"], ["aws:s3/bucketNotification:BucketNotification", "-notifications"], ...BUCKET_CONFIGURATION],
    prod: [...FIRST, ...BUCKET_CONFIGURATION, ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "-object-lock"]],
};
/** The plan's resources as [type, name] for `stack`, whose component is `secure-bucket-<stack>`. */
const planned = (stack: keyof typeof PLANNED) => PLANNED[stack].map(([type, suffix]) => [type, `secure-bucket-${stack}${suffix}`]);
/** The accounts the example stacks declare in aws:allowedAccountIds: the plan's accounts, not placeholders. */
const DEV_ACCOUNT = "111111111111";
const PROD_ACCOUNT = "333333333333";
const deployer = (account: string) => `arn:aws:iam::${account}:role/placeholder-deployer`;
const PLACEHOLDER_KEY_ID = "00000000-0000-0000-0000-000000000000";
const PLACEHOLDER_BUCKET = "secure-bucket-dev-xxxxxxx";
/** No stack trace on stderr: a message for the user. */
const STACK_TRACE_LINE = /^\s+at /m;

/** The stack was refused: exit 2, nothing on stdout, stderr naming it and listing the stacks that exist. */
function expectUnknownStack(run: Run, stack: string): void {
    expect(run.status).to.equal(2);
    expect(run.stdout).to.equal("");
    expect(run.stderr).to.include(`Unknown stack "${stack}"`);
    expect(run.stderr).to.include("Known stacks: dev, prod");
}

/** The plan's one resource of `type`. */
function resource(plan: PlanDocument, type: string): PlanResource {
    const matches = plan.resources.filter((r) => r.type === type);
    expect(matches, type).to.have.length(1);
    return matches[0];
}

/** The account of an ARN `arn:<partition>:<service>:<region>:<account>:...`. */
const accountIn = (arn: unknown): string => String(arn).split(":")[4];

describe("CLI plan --stack dev --json", function () {
    this.timeout(4 * SPAWN_TIMEOUT_MS);
    let first: Run;
    let second: Run;
    let plan: PlanDocument;

    before(async () => {
        ({ devJson: first, devJsonAgain: second } = await successfulPlans());
        plan = JSON.parse(first.stdout) as PlanDocument;
    });

    it("exits 0 with one JSON document of the documented shape on stdout, and nothing on stderr", () => {
        expect(first.stderr).to.equal("");
        expect(first.status).to.equal(0);
        expect(first.stdout.endsWith("}\n"), "one document, then a newline").to.equal(true);
        expect(Object.keys(plan)).to.deep.equal(["stack", "project", "placeholders", "parsedJsonStrings", "resources", "outputs"]);
        expect(plan.stack).to.equal("dev");
        expect(plan.project).to.equal("secure-bucket");
        for (const r of plan.resources) expect(Object.keys(r), r.name).to.deep.equal(["type", "name", "urn", "parent", "protect", "dependencies", "inputs"]);
    });

    it("prints byte-identical JSON on every run (no randomness, no timestamps)", () => {
        expect(second.status).to.equal(0);
        expect(second.stdout).to.equal(first.stdout);
    });

    it("lists the 12 resources in a stable order: the component, then its children (with the opt-ins') parented to it; none protected", () => {
        expect(plan.resources.map((r) => [r.type, r.name])).to.deep.equal(planned("dev"));
        const component = plan.resources[0];
        expect(component.parent).to.equal(null);
        for (const child of plan.resources.slice(1)) expect(child.parent, child.name).to.equal(component.urn);
        expect(plan.resources.filter((r) => r.protect)).to.deep.equal([]);
    });

    it("shows each resource's inputs from the dev stack config, with the policy documents parsed into objects", () => {
        const key = resource(plan, CHILD_TYPES.key);
        expect(key.inputs.deletionWindowInDays).to.equal(7);
        expect(key.inputs.region).to.equal("eu-west-1");
        expect(key.inputs.tags).to.deep.equal({ environment: "dev", owner: "platform-team" });
        for (const applied of [key.inputs.policy, resource(plan, CHILD_TYPES.policy).inputs.policy]) {
            expect(applied).to.be.an("object").with.property("Version", "2012-10-17");
        }
    });

    it("prints the stack outputs in the program's order, the two policies parsed and equal to the ones applied", () => {
        expect(Object.keys(plan.outputs)).to.deep.equal(OUTPUT_NAMES);
        expect(plan.outputs.bucketName).to.equal(PLACEHOLDER_BUCKET);
        expect(plan.outputs.bucketArn).to.equal(`arn:aws:s3:::${PLACEHOLDER_BUCKET}`);
        expect(plan.outputs.keyId).to.equal(PLACEHOLDER_KEY_ID);
        expect(plan.outputs.keyArn).to.equal(`arn:aws:kms:eu-west-1:${DEV_ACCOUNT}:key/${PLACEHOLDER_KEY_ID}`);
        expect(plan.outputs.aliasName).to.equal("alias/secure-bucket-dev");
        expect(plan.outputs.aliasArn).to.equal(`arn:aws:kms:eu-west-1:${DEV_ACCOUNT}:alias/secure-bucket-dev`);
        expect(plan.outputs.bucketPolicy).to.deep.equal(resource(plan, CHILD_TYPES.policy).inputs.policy);
        expect(plan.outputs.keyPolicy).to.deep.equal(resource(plan, CHILD_TYPES.key).inputs.policy);
    });

    it("marks the key id, the auto-generated bucket name and the deployer as placeholders, each with its meaning; the region and account are the stack's", () => {
        expect(plan.placeholders.note).to.match(/placeholder/i);
        expect(plan.placeholders.region).to.equal("eu-west-1");
        expect(plan.placeholders.partition).to.equal("aws");
        const meanings = Object.fromEntries(plan.placeholders.values.map((p) => [p.value, p.meaning]));
        expect(Object.keys(meanings)).to.have.members([PLACEHOLDER_KEY_ID, PLACEHOLDER_BUCKET, deployer(DEV_ACCOUNT)]);
        expect(meanings[PLACEHOLDER_KEY_ID]).to.match(/^KMS key id/);
        expect(meanings[PLACEHOLDER_BUCKET]).to.match(/^bucket name: Pulumi auto-names/);
        expect(meanings[deployer(DEV_ACCOUNT)]).to.match(/^ARN of the deploying role .*deletion guard/);
        // The deployer placeholder stands where the meaning says: exempt from the key's deletion guard.
        const guard = statement(plan.outputs.keyPolicy, "DenyKeyDeletionByNonAdministrators");
        expect(guard.Condition?.ArnNotEquals?.["aws:PrincipalArn"]).to.include(deployer(DEV_ACCOUNT));
        // Every account id in an ARN the offline AWS computed is the one aws:allowedAccountIds declares.
        for (const arn of [plan.outputs.keyArn, plan.outputs.aliasArn]) expect(accountIn(arn)).to.equal(DEV_ACCOUNT);
    });
});

describe("CLI plan --stack prod --json", function () {
    this.timeout(2 * SPAWN_TIMEOUT_MS);
    let run: Run;
    let plan: PlanDocument;

    before(async () => {
        run = (await successfulPlans()).prodJson;
        plan = JSON.parse(run.stdout) as PlanDocument;
    });

    it("exits 0 and lists its 11 resources (Object Lock its opt-in), the key and the bucket protected", () => {
        expect(run.status).to.equal(0);
        expect(run.stderr).to.equal("");
        expect(plan.stack).to.equal("prod");
        expect(plan.resources.map((r) => [r.type, r.name])).to.deep.equal(planned("prod"));
        expect(plan.resources.filter((r) => r.protect).map((r) => r.type)).to.deep.equal([CHILD_TYPES.bucket, CHILD_TYPES.key]);
    });

    it("lists no bucket-name placeholder when the name is fixed; the key id and the deployer still are; the account is prod's", () => {
        const values = plan.placeholders.values.map((p) => p.value);
        expect(values).to.have.members([PLACEHOLDER_KEY_ID, deployer(PROD_ACCOUNT)]);
        expect(plan.placeholders.region).to.equal("us-east-1");
        for (const arn of [plan.outputs.keyArn, plan.outputs.aliasArn]) expect(accountIn(arn)).to.equal(PROD_ACCOUNT);
    });
});

describe("CLI plan --stack dev (human output)", function () {
    this.timeout(SPAWN_TIMEOUT_MS);
    let run: Run;
    before(async () => {
        run = (await successfulPlans()).devText;
    });

    it("exits 0 and shows every resource with its parent, and no protection; the component counted apart from what AWS creates", () => {
        expect(run.status).to.equal(0);
        expect(run.stderr).to.equal("");
        expect(run.stdout).to.match(/^Plan for stack "dev" of project secure-bucket$/m);
        expect(run.stdout).to.match(/^RESOURCES: 11 resources to create in AWS, grouped by 1 component$/m);
        for (const [type, name] of planned("dev")) expect(run.stdout).to.include(`${type === COMPONENT_TYPE ? "  component" : "+"} ${type} "${name}"`);
        expect(run.stdout).to.include('    parent: secure-bucket:index:SecureBucket "secure-bucket-dev"');
        expect(run.stdout).not.to.include("protect: true");
    });

    it("shows the bucket and key policies as JSON", () => {
        expect(run.stdout).to.match(/^Bucket policy \(policy of aws:s3\/bucketPolicy:BucketPolicy "secure-bucket-dev-policy"\):$/m);
        expect(run.stdout).to.match(/^Key policy \(policy of aws:kms\/key:Key "secure-bucket-dev-key"\):$/m);
        for (const sid of ["DenyInsecureTransport", "DenyOtherKmsKeys", "AllowReaders", "AllowReadersDecryptThroughS3", "DenyKeyDeletionByNonAdministrators"]) {
            expect(run.stdout).to.include(`"Sid": "${sid}"`);
        }
        expect(run.stdout).to.include('"kms:ViaService": "s3.eu-west-1.amazonaws.com"');
    });

    it("shows the outputs, the policies as the documents applied above, and says which values are placeholders", () => {
        expect(run.stdout).to.match(/^OUTPUTS:$/m);
        expect(run.stdout).to.include(`  bucketName: ${PLACEHOLDER_BUCKET}\n`);
        expect(run.stdout).to.include("  bucketPolicy: (same document as the bucket policy above)\n");
        expect(run.stdout).to.include("  keyPolicy: (same document as the key policy above)\n");
        expect(run.stdout).to.match(/^PLACEHOLDERS:/m);
        expect(run.stdout).to.match(new RegExp(`^  ${deployer(DEV_ACCOUNT)} +ARN of the deploying role`, "m"));
        expect(run.stdout).to.include("Region eu-west-1 (partition aws)");
    });
});

describe("CLI errors", function () {
    this.timeout(4 * SPAWN_TIMEOUT_MS);
    let project: string;
    let runs: { badConfig: Run; programFailure: Run; unknownStack: Run; help: Run };
    before(async () => {
        const readers = Array.from({ length: 400 }, (_, i) => `    - arn:aws:iam::111111111111:role/reader-with-a-long-name-${String(i).padStart(4, "0")}`);
        project = tempProject({
            bad: "config:\n  aws:region: eu-west-1\n  secure-bucket:keyRotationPeriodInDays: 30\n",
            big: `config:\n  aws:region: eu-west-1\n  secure-bucket:readers:\n${readers.join("\n")}\n`,
        });
        const [badConfig, programFailure, unknownStack, help] = await Promise.all([
            runCli(["plan", "--stack", "bad", "--cwd", project]),
            runCli(["plan", "--stack", "big", "--json", "--cwd", project]),
            runCli(["plan", "--stack", "staging"]),
            runCli(["--help"]),
        ]);
        runs = { badConfig, programFailure, unknownStack, help };
    });
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("bad config: exit 2, the key named on stderr, nothing on stdout", () => {
        const run = runs.badConfig;
        expect(run.status).to.equal(2);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.include("secure-bucket:keyRotationPeriodInDays: 30 must be from 90 to 2560");
    });

    it("a program failure (a bucket policy over AWS's size limit): exit 1, the reason on stderr and no stack trace, nothing on stdout", () => {
        const run = runs.programFailure;
        expect(run.status).to.equal(1);
        expect(run.stdout).to.equal("");
        expect(run.stderr).to.match(/policy would be \d+ bytes, over AWS's \d+-byte limit/);
        expect(run.stderr).not.to.match(STACK_TRACE_LINE);
    });

    it("unknown stack: exit 2 with the known stacks listed", () => {
        expectUnknownStack(runs.unknownStack, "staging");
    });

    it("--help: exit 0 with the usage on stdout", () => {
        const run = runs.help;
        expect(run.status).to.equal(0);
        expect(run.stderr).to.equal("");
        expect(run.stdout).to.match(/^Usage: secure-bucket /);
    });
});

describe("CLI preview / up without a Pulumi CLI", function () {
    this.timeout(4 * SPAWN_TIMEOUT_MS);
    const PROJECT_FILES = ["Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.yaml", "index.ts"];
    let previewProject: string;
    let upProject: string;
    let emptyPath: string;
    let runs: { preview: Run; upWithoutPassphrase: Run; upUnknownStack: Run };
    before(async () => {
        // preview gets a project of its own, so that what it leaves there is its own doing.
        previewProject = tempProject({});
        upProject = tempProject({});
        emptyPath = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-no-pulumi-"));
        const [preview, upWithoutPassphrase, upUnknownStack] = await Promise.all([
            runCli(["preview", "--stack", "dev", "--stack", "prod", "--cwd", previewProject], cleanEnv({ PATH: emptyPath, PULUMI_CONFIG_PASSPHRASE: "test" })),
            runCli(["up", "--stack", "dev", "--cwd", upProject], cleanEnv({ PATH: emptyPath })),
            runCli(["up", "--stack", "dev", "--stack", "qa", "--cwd", upProject], cleanEnv({ PATH: emptyPath, PULUMI_CONFIG_PASSPHRASE: "test" })),
        ]);
        runs = { preview, upWithoutPassphrase, upUnknownStack };
    });
    after(() => {
        for (const dir of [previewProject, upProject, emptyPath]) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("preview: exits 1 saying to install the Pulumi CLI, and writes no state", () => {
        const run = runs.preview;
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include("The Pulumi CLI was not found");
        expect(run.stderr).to.include("https://www.pulumi.com/docs/install/");
        expect(run.stderr).not.to.match(STACK_TRACE_LINE);
        expect(fs.readdirSync(previewProject).sort()).to.deep.equal(PROJECT_FILES);
    });

    it("up without a passphrase for the local backend: exits 1 naming PULUMI_CONFIG_PASSPHRASE", () => {
        const run = runs.upWithoutPassphrase;
        expect(run.status).to.equal(1);
        expect(run.stderr).to.include("PULUMI_CONFIG_PASSPHRASE");
        expect(run.stderr).not.to.match(STACK_TRACE_LINE);
    });

    it("up on an unknown stack: exits 2 listing the known stacks, before looking for Pulumi", () => {
        expectUnknownStack(runs.upUnknownStack, "qa");
    });
});

describe("the examples' plans (examples/*.plan.txt)", function () {
    this.timeout(SPAWN_TIMEOUT_MS);

    it("are what the examples plan today: npm run plan:examples leaves them unchanged", async () => {
        const run = await spawnRun(process.execPath, ["-r", "sucrase/register", "scripts/planExamples.ts", "replication", "--check"], {
            cwd: REPO,
            env: cleanEnv(),
            timeoutMs: SPAWN_TIMEOUT_MS,
        });
        expect(run.stderr).to.equal("");
        expect(run.status).to.equal(0);
    });
});
