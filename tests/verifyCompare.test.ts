/** verify's comparison with placeholders: each is filled from the live value where it stands, once, and then holds. */
import { expect } from "chai";
import { Bindings, normalizeStatement, settingChecks } from "../verify/compare";
import type { PlanDocument, PlanResource } from "../cli/planJson";
import { PLACEHOLDER_KEY_ID } from "../offline/placeholders";
import { ExpectedState, expectedFromPlan } from "../verify/expected";
import type { LiveBucket } from "../verify/live";

const DEPLOYER = "arn:aws:iam::111111111111:role/placeholder-deployer";
const ADMIN = "arn:aws:iam::111111111111:role/key-admin";
const KEY_ID = PLACEHOLDER_KEY_ID;
const LIVE_KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

/** The key policy's deletion guard (keyPolicy's DenyKeyDeletionByNonAdministrators), as verify compares it. */
const deletionGuard = (exempt: string[]) =>
    normalizeStatement({
        Sid: "DenyKeyDeletionByNonAdministrators",
        Effect: "Deny",
        Principal: "*",
        Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey"],
        Resource: "*",
        Condition: { ArnNotEquals: { "aws:PrincipalArn": exempt } },
    });

describe("verify's placeholder-aware comparison", () => {
    it("binds a placeholder in a list to the one live value left over, whatever the order", () => {
        const bindings = new Bindings([DEPLOYER]);
        expect(bindings.matches([ADMIN, DEPLOYER], ["arn:aws:iam::111111111111:role/ci/deployer", ADMIN])).to.equal(true);
        expect(bindings.fill(DEPLOYER)).to.equal("arn:aws:iam::111111111111:role/ci/deployer");
    });

    it("holds a bound placeholder to its value: another deployer elsewhere is a difference", () => {
        const bindings = new Bindings([DEPLOYER]);
        bindings.bind(DEPLOYER, "arn:aws:iam::111111111111:role/ci/deployer");
        expect(bindings.matches({ P: [DEPLOYER] }, { P: ["arn:aws:iam::111111111111:role/someone-else"] })).to.equal(false);
    });

    it("never binds when the live list has more than one value left over (ambiguous) or a value is missing", () => {
        expect(new Bindings([DEPLOYER]).matches([ADMIN, DEPLOYER], ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b"])).to.equal(false);
        expect(new Bindings([DEPLOYER]).matches([ADMIN, DEPLOYER], [ADMIN])).to.equal(false);
    });

    it("fills a placeholder inside a longer string (an ARN with the key id)", () => {
        const bindings = new Bindings([KEY_ID]);
        expect(bindings.matches(`arn:aws:kms:us-east-1:1:key/${KEY_ID}`, `arn:aws:kms:us-east-1:1:key/${LIVE_KEY_ID}`)).to.equal(true);
        expect(bindings.matches(`arn:aws:kms:us-east-1:1:key/${KEY_ID}`, `arn:aws:kms:eu-west-1:1:key/${LIVE_KEY_ID}`)).to.equal(false);
    });

    it("never reads a deletion guard opened to everyone as the deploying role: \"*\" does not bind to it", () => {
        expect(new Bindings([DEPLOYER]).matches(deletionGuard([ADMIN, DEPLOYER]), deletionGuard([ADMIN, "*"]))).to.equal(false);
    });

    it("never binds the deploying role to a principal of another account, nor to an account root", () => {
        expect(new Bindings([DEPLOYER]).matches(deletionGuard([ADMIN, DEPLOYER]), deletionGuard([ADMIN, "arn:aws:iam::999999999999:root"]))).to.equal(false);
        expect(new Bindings([DEPLOYER]).matches(deletionGuard([ADMIN, DEPLOYER]), deletionGuard([ADMIN, "arn:aws:iam::999999999999:role/deployer"]))).to.equal(false);
        expect(new Bindings([DEPLOYER]).matches(deletionGuard([ADMIN, DEPLOYER]), deletionGuard([ADMIN, "arn:aws:iam::111111111111:root"]))).to.equal(false);
        // The one it stands for: a role (or user) of the stack's account, with any path.
        expect(new Bindings([DEPLOYER]).matches(deletionGuard([ADMIN, DEPLOYER]), deletionGuard([ADMIN, "arn:aws:iam::111111111111:user/ci/deployer"]))).to.equal(true);
    });

    it("binds the account, the key id and an auto-named bucket only to values of their shape", () => {
        const cases: [string, string, boolean][] = [
            ["000000000000", "123456789012", true],
            ["000000000000", "*", false],
            [KEY_ID, LIVE_KEY_ID, true],
            [KEY_ID, "*", false],
            ["app-data-xxxxxxx", "app-data-1a2b3c4", true],
            ["app-data-xxxxxxx", "other-bucket-1a2b3c4", false],
        ];
        for (const [placeholder, live, binds] of cases) expect(new Bindings([placeholder]).matches(placeholder, live), `${placeholder} against ${live}`).to.equal(binds);
        expect(new Bindings(["app-data-xxxxxxx"]).matches("arn:aws:s3:::app-data-xxxxxxx/*", "arn:aws:s3:::app-data-*/*")).to.equal(false);
    });

    it("binds the deploying role of a plan without a declared account to the live account only", () => {
        const deployer = "arn:aws:iam::000000000000:role/placeholder-deployer";
        const bindings = new Bindings(["000000000000", deployer]);
        bindings.bind("000000000000", "123456789012");
        expect(bindings.matches(deployer, "arn:aws:iam::999999999999:role/deployer")).to.equal(false);
        expect(bindings.matches(deployer, "arn:aws:iam::123456789012:role/deployer")).to.equal(true);
    });

    it("reads IAM's equivalent forms alike: a string and a one-element list, \"*\" and {AWS: \"*\"}", () => {
        expect(normalizeStatement({ Sid: "S", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b" })).to.deep.equal(
            normalizeStatement({ Sid: "S", Effect: "Deny", Principal: { AWS: ["*"] }, Action: ["s3:*"], Resource: ["arn:aws:s3:::b"] }),
        );
    });

    describe("the bucket's settings", () => {
        const KEY_ARN = `arn:aws:kms:eu-west-1:111111111111:key/${LIVE_KEY_ID}`;
        /** The settings the plan and the live bucket share, field for field. */
        const settings = {
            region: "eu-west-1",
            encryption: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN, bucketKeyEnabled: true, blockedEncryptionTypes: ["SSE-C"] },
            publicAccessBlock: { blockPublicAcls: true },
            objectOwnership: "BucketOwnerEnforced",
            versioning: "Enabled",
            lifecycleRules: [],
            logging: null,
            eventBridge: false,
            objectLock: null,
        };
        const expected: ExpectedState = {
            ...settings,
            bucketName: "app-data",
            bucketPolicy: [],
            keyPolicy: [],
            keyRotation: { enabled: true, periodInDays: 365 },
            placeholders: [],
        };
        /** The live bucket as planned, but for what is given. */
        const live = (changes: Partial<LiveBucket>): LiveBucket => ({ ...settings, name: "app-data", encryptionReportsBlockedTypes: true, notificationTargets: [], bucketPolicy: null, ...changes });
        const verdictOf = (name: string, bucket: LiveBucket, emulator: boolean, plan: ExpectedState = expected) =>
            settingChecks(plan, bucket, new Bindings([]), { emulator }).find((c) => c.name === name)?.verdict;

        it("reads an encryption answer without BlockedEncryptionTypes as drift against AWS (nothing blocked), and as not verifiable on an emulator (moto drops it)", () => {
            const unblocked = live({ encryption: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY_ARN, bucketKeyEnabled: true }, encryptionReportsBlockedTypes: false });
            expect(verdictOf("encryption.blockedEncryptionTypes", unblocked, false)).to.equal("drift");
            expect(verdictOf("encryption.blockedEncryptionTypes", unblocked, true)).to.equal("not verifiable here");
            expect(verdictOf("encryption.blockedEncryptionTypes", live({}), false)).to.equal("pass");
        });

        it("checks Object Lock's default retention against the plan: mode, days and years", () => {
            const locked = { ...expected, objectLock: { mode: "GOVERNANCE", days: 30 } };
            expect(verdictOf("objectLock.defaultRetention", live({ objectLock: { enabled: true, mode: "GOVERNANCE", days: 30 } }), false, locked)).to.equal("pass");
            for (const objectLock of [null, { enabled: true }, { enabled: true, mode: "GOVERNANCE", days: 1 }, { enabled: true, mode: "COMPLIANCE", days: 30 }, { enabled: true, mode: "GOVERNANCE", years: 30 }]) {
                expect(verdictOf("objectLock.defaultRetention", live({ objectLock }), false, locked), JSON.stringify(objectLock)).to.equal("drift");
            }
            // A retention the plan does not have is drift too; Object Lock without a default retention is none.
            expect(verdictOf("objectLock.defaultRetention", live({ objectLock: { enabled: true, mode: "GOVERNANCE", days: 30 } }), false)).to.equal("drift");
            expect(verdictOf("objectLock.defaultRetention", live({ objectLock: { enabled: true } }), false)).to.equal("pass");
        });
    });

    it("refuses a plan with several SecureBuckets, saying verify --stack checks one and naming --bucket and --key-arn", () => {
        const bucket = (name: string): PlanResource => ({ type: "aws:s3/bucket:Bucket", name, urn: name, parent: null, protect: false, dependencies: [], inputs: {} });
        const plan: PlanDocument = {
            stack: "two",
            project: "my-app",
            placeholders: { note: "", region: "eu-west-1", partition: "aws", values: [] },
            parsedJsonStrings: "",
            resources: [bucket("a"), bucket("b")],
            outputs: {},
        };
        expect(() => expectedFromPlan(plan)).to.throw(
            'the plan of stack "two" has 2 resources of type aws:s3/bucket:Bucket: verify --stack checks a plan with exactly one SecureBucket; check each bucket with --bucket <name> --key-arn <arn> instead',
        );
    });
});
