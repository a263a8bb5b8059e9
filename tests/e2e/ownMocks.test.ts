/**
 * A user's own mocha test with mocks of its own, run as its own mocha process against the compiled
 * package: with the mocks of Pulumi's testing guide (every provider function answered with its
 * inputs) a SecureBucket fails the test at once, naming the function; with `offlineMocks()` from
 * `secure-bucket/testing` it resolves. The test mocha runs has a generous timeout: what it must
 * report is the component's error, and a timeout would be a different failure.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { assertDistIsFresh, REPO } from "../helpers/build";
import { spawnRun, type Run } from "../helpers/spawnRun";

const MOCHA = path.join(REPO, "node_modules", "mocha", "bin", "mocha.js");

/** A user's test file: `mocks` installed, one SecureBucket, its bucket policy awaited as the guide awaits outputs. */
function userTest(mocks: string): string {
    return `const pulumi = require("@pulumi/pulumi");
const { expect } = require("chai");
pulumi.runtime.setMocks(${mocks}, "my-app", "test", false);
const { SecureBucket } = require(${JSON.stringify(path.join(REPO, "dist", "components"))});
it("builds a SecureBucket", async () => {
    const bucket = new SecureBucket("data", { readers: ["arn:aws:iam::111111111111:role/app"] });
    const policy = await new Promise((resolve) => bucket.bucketPolicy.apply(resolve));
    expect(JSON.parse(policy).Statement.length).to.be.above(0);
});
`;
}

describe("a user's own mocks", function () {
    this.timeout(120_000);
    let dir: string;
    let runs: { guide: Run; offline: Run };
    before(async () => {
        assertDistIsFresh();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-own-mocks-"));
        fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
        const guide = "{ newResource: (a) => ({ id: a.name + '_id', state: a.inputs }), call: (a) => a.inputs }";
        const offline = `require(${JSON.stringify(path.join(REPO, "dist", "testing"))}).offlineMocks()`;
        fs.writeFileSync(path.join(dir, "guide.test.js"), userTest(guide));
        fs.writeFileSync(path.join(dir, "offline.test.js"), userTest(offline));
        const mocha = (file: string) => spawnRun(process.execPath, [MOCHA, "--no-config", "--timeout", "60000", file], { cwd: dir, timeoutMs: 120_000 });
        const [guideRun, offlineRun] = await Promise.all([mocha("guide.test.js"), mocha("offline.test.js")]);
        runs = { guide: guideRun, offline: offlineRun };
    });
    after(() => {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("with the testing guide's mocks: the test fails with the function whose answer is unusable, pointing to secure-bucket/testing, not a timeout", () => {
        const { status, stdout } = runs.guide;
        expect(status).to.equal(1);
        expect(stdout).to.include("UnusableAnswerError");
        expect(stdout).to.include('SecureBucket "data": the provider function aws:index/getCallerIdentity:getCallerIdentity answered {}, which has no accountId and no arn');
        expect(stdout).to.include('offlineMocks() from "secure-bucket/testing"');
        expect(stdout).not.to.include("Timeout");
    });

    it("with offlineMocks(): the same test passes", () => {
        expect(runs.offline.status, runs.offline.stdout + runs.offline.stderr).to.equal(0);
        expect(runs.offline.stdout).to.include("1 passing");
    });
});
