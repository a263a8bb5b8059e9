/**
 * Plans of a user's own project (cli/plan.ts) and `secure-bucket/testing`'s plan(): the program the
 * project's Pulumi.yaml names, its own config, nothing of this repository's program; the failures a
 * project can have, each named. Every plan runs in a Pulumi state of its own: the suite's mocks, which
 * the root hooks check around each test, stay in place.
 */
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { planStack } from "../cli/plan";
import { renderPlanJson } from "../cli/planJson";
import { renderPlanText } from "../cli/planText";
import { prepareRun } from "../automation/preflight";
import { SecureBucket } from "../components";
import { ProjectError } from "../project/pulumiProject";
import { StackConfigError } from "../program/stackConfig";
import { UnknownStackError } from "../program/stackFile";
import { check, mandatoryFailures, plan } from "../testing";
import { REPO } from "./helpers/build";
import { CONSUMER_PROJECT, CONSUMER_RESOURCE_COUNT, writeConsumerProject } from "./helpers/consumerProject";
import { rejectedWith } from "./helpers/errors";
import { expectRejection } from "./setup/pulumiMocks";

const NODE_MODULES = path.join(REPO, "node_modules");

describe("plan of a user's own project", () => {
    let project: string;
    before(() => (project = writeConsumerProject(path.join(REPO, "components"), { nodeModules: NODE_MODULES })));
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("plans exactly the resources its program declares, with its project name and its own config keys passed through", async () => {
        const document = await planStack({ projectDir: project, stack: "dev" });
        expect(document.project).to.equal(CONSUMER_PROJECT);
        expect(document.resources).to.have.length(CONSUMER_RESOURCE_COUNT);
        expect(document.resources.filter((r) => r.type === "secure-bucket:index:SecureBucket").map((r) => r.name)).to.deep.equal(["data", "replica"]);
        expect(document.resources.map((r) => r.type)).to.include.members(["aws:sns/topic:Topic", "aws:iam/user:User", "secure-bucket:index:AccessLogsBucket", "secure-bucket:index:SecureBucketReplication"]);
        expect(document.resources.some((r) => r.name.startsWith("secure-bucket-"))).to.equal(false);
        // consumer-app:team, read by the program, names the bucket; the IAM user's ARN is a reader.
        expect(document.outputs.bucketName).to.equal("payments-data-dev");
        expect(document.outputs.readerArn).to.equal("arn:aws:iam::111111111111:user/people/analyst-xxxxxxx");
        // aws.iam.getPolicyDocument is answered offline, as the provider renders it.
        expect(document.resources.find((r) => r.name === "worker")?.inputs.assumeRolePolicy).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "lambda.amazonaws.com" } }],
        });
        const policy = document.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && r.name === "data-policy");
        expect(JSON.stringify(policy?.inputs)).to.include("arn:aws:iam::111111111111:user/people/analyst-xxxxxxx");
    });

    it("gives the same bytes twice, and the text form counts the resources apart from the components and shows what each depends on", async () => {
        const [first, second] = [await planStack({ projectDir: project, stack: "dev" }), await planStack({ projectDir: project, stack: "dev" })];
        expect(renderPlanJson(second)).to.equal(renderPlanJson(first));
        const text = renderPlanText(first);
        expect(text).to.include(`RESOURCES: ${CONSUMER_RESOURCE_COUNT - 4} resources to create in AWS, grouped by 4 components`);
        expect(text).to.include('  component secure-bucket:index:SecureBucket "data"');
        expect(text).to.match(/\+ aws:kms\/key:Key "data-key"\n {4}parent: secure-bucket:index:SecureBucket "data"\n {4}protect: true\n {4}depends on: aws:iam\/user:User "analyst", aws:s3\/bucket:Bucket "data"\n/);
    });

    describe("a project that cannot be planned says why", () => {
        let broken: string;
        beforeEach(() => (broken = fs.mkdtempSync(path.join(project, "..", "broken-"))));
        afterEach(() => fs.rmSync(broken, { recursive: true, force: true }));
        /** Writes a project; one whose program imports a package gets this repository's node_modules. */
        const write = (files: Record<string, string>, withNodeModules = false) => {
            Object.entries(files).forEach(([file, text]) => fs.writeFileSync(path.join(broken, file), text));
            if (withNodeModules) fs.symlinkSync(NODE_MODULES, path.join(broken, "node_modules"), "dir");
        };

        it("no Node.js program: names what it looked for", async () => {
            write({ "Pulumi.yaml": "name: empty\nruntime: nodejs\n", "Pulumi.dev.yaml": "config: {}\n" });
            const error = await rejectedWith(ProjectError, planStack({ projectDir: broken, stack: "dev" }));
            expect(error.message).to.include(`No Node.js program in the Pulumi project ${broken}`).and.include("index.ts");
        });

        it("an ES-module package, whatever its entry point: says that CommonJS programs are run", async () => {
            write({ "Pulumi.yaml": "name: esm\nruntime: nodejs\nmain: index.js\n", "Pulumi.dev.yaml": "config: {}\n", "package.json": '{ "type": "module" }', "index.js": "export const x = 1;\n" });
            expect((await rejectedWith(ProjectError, planStack({ projectDir: broken, stack: "dev" }))).message).to.include('sets "type": "module"');
        });

        it("another runtime: names it", async () => {
            write({ "Pulumi.yaml": "name: py\nruntime: python\n", "Pulumi.dev.yaml": "config: {}\n" });
            expect((await rejectedWith(ProjectError, planStack({ projectDir: broken, stack: "dev" }))).message).to.include('declares runtime "python"');
        });

        it("a stack without a stack file: names the known stacks", async () => {
            write({ "Pulumi.yaml": "name: app\nruntime: nodejs\n", "index.ts": "export const x = 1;\n" });
            expect((await rejectedWith(UnknownStackError, planStack({ projectDir: broken, stack: "prod" }))).message).to.include("Pulumi.prod.yaml");
        });

        it("runs the program in the project's folder, as Pulumi does: a file read by a relative path is the project's", async () => {
            write({ "Pulumi.yaml": "name: app\nruntime: nodejs\n", "Pulumi.dev.yaml": "config: {}\n", "bucket-name.txt": "from-the-project-folder\n" });
            fs.writeFileSync(path.join(broken, "index.ts"), 'import * as fs from "fs";\nexport const name = fs.readFileSync("bucket-name.txt", "utf8").trim();\n');
            expect((await planStack({ projectDir: broken, stack: "dev" })).outputs.name).to.equal("from-the-project-folder");
        });

        it("gives the program Pulumi.yaml's config values and defaults, under the stack file's, as Pulumi does", async () => {
            write({
                "Pulumi.yaml": "name: app\nruntime: nodejs\nconfig:\n  app:size:\n    type: integer\n    default: 3\n  greeting: hello\n  app:color:\n    default: blue\n",
                "Pulumi.dev.yaml": "config:\n  app:color: red\n",
                "index.ts": 'import * as pulumi from "@pulumi/pulumi";\nconst c = new pulumi.Config();\nexport const size = c.requireNumber("size");\nexport const greeting = c.require("greeting");\nexport const color = c.require("color");\n',
            }, true);
            expect((await planStack({ projectDir: broken, stack: "dev" })).outputs).to.deep.equal({ size: 3, greeting: "hello", color: "red" });
        });

        it("gives a secret of the stack file (secure:) as a secret placeholder, never its ciphertext; deploying it is refused, naming the key", async () => {
            write({
                "Pulumi.yaml": "name: app\nruntime: nodejs\n",
                "Pulumi.dev.yaml": "config:\n  app:dbPassword:\n    secure: v1:c2VjcmV0LWNpcGhlcnRleHQ=\n",
                "index.ts": 'import * as pulumi from "@pulumi/pulumi";\nexport const password = new pulumi.Config().requireSecret("dbPassword");\n',
            }, true);
            const document = await planStack({ projectDir: broken, stack: "dev" });
            expect(document.outputs.password).to.equal("[secret]");
            expect(JSON.stringify(document)).not.to.include("v1:c2VjcmV0");
            expect(() => prepareRun("up", ["dev"], { projectDir: broken, env: { PULUMI_CONFIG_PASSPHRASE: "test" } }))
                .to.throw(StackConfigError)
                .with.property("message")
                .that.includes("dev: app:dbPassword: a secret (secure:) in Pulumi.dev.yaml");
        });

        it("a program that throws: its own error, nothing substituted", async () => {
            write({ "Pulumi.yaml": "name: app\nruntime: nodejs\nmain: src/main.ts\n", "Pulumi.dev.yaml": "config: {}\n" });
            fs.mkdirSync(path.join(broken, "src"));
            fs.writeFileSync(path.join(broken, "src", "main.ts"), 'const reason: string = "the program refused";\nthrow new Error(reason);\n');
            expect((await rejectedWith(Error, planStack({ projectDir: broken, stack: "dev" }))).message).to.equal("the program refused");
        });
    });
});

describe("secure-bucket/testing plan()", () => {
    let project: string;
    before(() => (project = writeConsumerProject(path.join(REPO, "components"), { nodeModules: NODE_MODULES })));
    after(() => fs.rmSync(project, { recursive: true, force: true }));

    it("runs the program afresh on each call: two calls give identical documents, neither sees the other's resources", async () => {
        const config = { "aws:region": "eu-west-1", "consumer-app:team": "payments", "consumer-app:writers": ["arn:aws:iam::111111111111:role/app"] };
        const entry = path.join(project, "index.ts");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = () => require(entry);
        const first = await plan(program, { project: CONSUMER_PROJECT, stack: "dev", config });
        const second = await plan(program, { project: CONSUMER_PROJECT, stack: "dev", config });
        expect(first.resources).to.have.length(CONSUMER_RESOURCE_COUNT);
        expect(JSON.stringify(second)).to.equal(JSON.stringify(first));
        const other = await plan(program, { project: CONSUMER_PROJECT, stack: "qa", config: { ...config, "consumer-app:team": "risk" } });
        expect(other.outputs.bucketName).to.equal("risk-data-qa");
        expect(JSON.stringify(other)).not.to.include("payments");
    });

    it("runs a program that was loaded before (by another test, or an import) afresh too", async () => {
        const entry = path.join(project, "one-bucket.ts");
        fs.writeFileSync(entry, 'import * as aws from "@pulumi/aws";\nexport const bucket = new aws.s3.Bucket("loaded-before").bucket;\n');
        // Loaded outside any plan (on the suite's own mocks): the module is in the require cache.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = () => require(entry);
        program();
        // As a user's test runs: from the project's folder, whose modules plan() runs afresh.
        const testsFolder = process.cwd();
        process.chdir(project);
        try {
            const document = await plan(program, { stack: "dev" });
            expect(document.project).to.equal(CONSUMER_PROJECT);
            expect(document.resources.map((r) => r.name)).to.deep.equal(["loaded-before"]);
        } finally {
            process.chdir(testsFolder);
        }
    });

    it("keeps two plans started together apart: each sees its own resources and config", async () => {
        const entry = path.join(project, "index.ts");
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const program = () => require(entry);
        const config = (team: string) => ({ "aws:region": "eu-west-1", "consumer-app:team": team, "consumer-app:writers": [] });
        const [a, b] = await Promise.all([plan(program, { project: CONSUMER_PROJECT, stack: "a", config: config("alpha") }), plan(program, { project: CONSUMER_PROJECT, stack: "b", config: config("beta") })]);
        expect([a.resources.length, b.resources.length]).to.deep.equal([CONSUMER_RESOURCE_COUNT, CONSUMER_RESOURCE_COUNT]);
        expect([a.outputs.bucketName, b.outputs.bucketName]).to.deep.equal(["alpha-data-a", "beta-data-b"]);
    });
});

describe("secure-bucket/testing plan() of a stack that does not exist", () => {
    it("names it, with the stacks there are, unless config is given for it", async () => {
        const error = await rejectedWith(UnknownStackError, plan(() => undefined, { stack: "dve" }));
        expect(error.message).to.include("Pulumi.dve.yaml").and.include("dev, prod");
        expect((await plan(() => undefined, { stack: "dve", config: { "aws:region": "eu-west-1" } })).stack).to.equal("dve");
    });
});

describe("secure-bucket/testing plan() when the program fails", () => {
    it("rejects with a component's deploy-time refusal instead of waiting for what can never be registered", async () => {
        const refused = (reason: unknown) => String(reason).includes('SecureBucket "guarded"');
        const reported = expectRejection(refused);
        const error = await rejectedWith(
            Error,
            plan(() => {
                // The offline account is the placeholder 000000000000 here: an administrator of another account is refused.
                new SecureBucket("guarded", { administrators: ["arn:aws:iam::111111111111:role/admin"] });
            }),
        );
        expect(error.message).to.include('SecureBucket "guarded"').and.include("administrators[0]");
        await reported;
    });

    it("takes a program that returns a resource as one that declared it, with no stack outputs", async () => {
        const document = await plan(() => {
            return new SecureBucket("returned");
        });
        expect(document.outputs).to.deep.equal({});
        expect(document.resources.filter((r) => r.type === "secure-bucket:index:SecureBucket").map((r) => r.name)).to.deep.equal(["returned"]);
    });
});

describe("secure-bucket/testing check()", () => {
    it("judges a user's program as secure-bucket check does: no mandatory failure for SecureBuckets, one for a raw bucket without a public access block", async () => {
        const secure = await plan(() => {
            new SecureBucket("data");
        });
        expect(mandatoryFailures(check(secure))).to.deep.equal([]);
        const raw = await plan(() => {
            new aws.s3.Bucket("raw");
        });
        const failures = mandatoryFailures(check(raw));
        expect(failures.map((f) => f.rule)).to.include("s3-bucket-public-access-block");
        expect(failures.every((f) => f.resource.endsWith("aws:s3/bucket:Bucket::raw"))).to.equal(true);
    });
});
