import { expect } from "chai";
import { Distribution } from "@pulumi/aws/cloudfront";
import * as pulumi from "@pulumi/pulumi";
import { criticalPath } from "../bench/criticalPath";
import { BUCKET_POLICY_SIDS, KEY_POLICY_SIDS, SecureBucket, SecureBucketArgs, SecureBucketArgumentError, validateSecureBucketArgs } from "../components";
import { built, failedRegistration, validationError } from "./helpers/components";
import { thrownBy } from "./helpers/errors";
import { OPT_IN_TYPES, registeredAs } from "./helpers/optIns";
import { registered, valueOf } from "./helpers/outputs";
import { statement } from "./helpers/policies";
import { CHILD_TYPES, COMPONENT_TYPE } from "./helpers/resourceTypes";
import { one, recordedResources, registeredSoFar, registrationsCompleted } from "./setup/pulumiMocks";

const DISTRIBUTION = "arn:aws:cloudfront::111111111111:distribution/E2QWRUHAPOMQZL";
const GOVERNANCE_30_DAYS = { mode: "GOVERNANCE", days: 30 } as const;
/** What the refusal of COMPLIANCE without the acknowledgement says, after naming `objectLock.acknowledgeComplianceCannotBeUndone`. */
const COMPLIANCE_UNACKNOWLEDGED =
    'must be true to use mode "COMPLIANCE", which nobody, the root user included, can shorten or remove: no object version can be deleted or ' +
    "overwritten until its retention ends, and the bucket cannot be destroyed before. Set it beside mode, as in " +
    '{ mode: "COMPLIANCE", years: 7, acknowledgeComplianceCannotBeUndone: true }, or use "GOVERNANCE"';
const lifecycleRules = (name: string) => registeredAs(CHILD_TYPES.lifecycle, `${name}-lifecycle`).inputs.rules as Record<string, unknown>[];

describe("SecureBucket opt-ins", () => {
    describe("accessLogs", () => {
        it("logs into the given bucket through <name>-access-logs, parented to the component, prefixed with this bucket's name, in its region", async () => {
            await built("logged", { region: "eu-west-1", accessLogs: { bucket: "example.access-logs" } });
            const logging = one(OPT_IN_TYPES.accessLogging);
            expect(logging.name).to.equal("logged-access-logs");
            expect(logging.parent).to.equal(one(COMPONENT_TYPE).urn);
            expect(logging.inputs).to.deep.equal({ bucket: "logged-xxxxxxx", targetBucket: "example.access-logs", targetPrefix: "logged-xxxxxxx/", region: "eu-west-1" });
        });

        it("uses the prefix given, as an Output too", async () => {
            await built("prefixed", { accessLogs: { bucket: "example-logs", prefix: pulumi.output("s3/prefixed/") } });
            expect(one(OPT_IN_TYPES.accessLogging).inputs.targetPrefix).to.equal("s3/prefixed/");
        });

        it("an Output naming the bucket itself: the logging's registration fails naming accessLogs.bucket, every other child registers", async () => {
            const { sb, error } = await failedRegistration("self-output", { bucketName: "example-self-output", accessLogs: { bucket: pulumi.output("example-self-output") } });
            // The same problem, word for word, as the plain value's, which is refused before anything is registered.
            const plain = validationError("self-output", { bucketName: "example-self-output", accessLogs: { bucket: "example-self-output" } });
            expect(error.problems).to.deep.equal(plain.problems);
            await registered(sb.bucket, sb.key, sb.alias, sb.ownershipControls, sb.publicAccessBlock, sb.encryption, sb.versioning, sb.lifecycle, sb.policy);
            expect(recordedResources().map((r) => r.type)).to.not.include(OPT_IN_TYPES.accessLogging);
        });
    });

    describe("objectLock", () => {
        it("sets the default retention through <name>-object-lock, after the versioning", async () => {
            await built("locked", { objectLock: GOVERNANCE_30_DAYS });
            const lock = one(OPT_IN_TYPES.objectLock);
            expect(lock.name).to.equal("locked-object-lock");
            expect(lock.inputs).to.deep.equal({ bucket: "locked-xxxxxxx", objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "GOVERNANCE", days: 30 } } });
            expect(lock.dependencies).to.include(one(CHILD_TYPES.versioning).urn);
        });

        it("takes COMPLIANCE in years once it is acknowledged", async () => {
            await built("vault", { objectLock: { mode: "COMPLIANCE", years: 7, acknowledgeComplianceCannotBeUndone: true } });
            expect(one(OPT_IN_TYPES.objectLock).inputs.rule).to.deep.equal({ defaultRetention: { mode: "COMPLIANCE", years: 7 } });
        });

        it("leaves the bucket's inputs as they are without it (no objectLockEnabled), so turning it on never replaces the bucket", async () => {
            const args: SecureBucketArgs = { forceDestroy: true, tags: { team: "data" } };
            await Promise.all([built("unlocked", args), built("relocked", { ...args, objectLock: GOVERNANCE_30_DAYS })]);
            const unlocked = registeredAs(CHILD_TYPES.bucket, "unlocked").inputs;
            expect(unlocked).to.not.have.property("objectLockEnabled");
            expect(registeredAs(CHILD_TYPES.bucket, "relocked").inputs).to.deep.equal(unlocked);
        });
    });

    it("eventBridge: sends the bucket's events to EventBridge through <name>-notifications", async () => {
        await built("evented", { eventBridge: true });
        expect(registeredAs(OPT_IN_TYPES.notifications, "evented-notifications").inputs).to.deep.equal({ bucket: "evented-xxxxxxx", eventbridge: true });
    });

    describe("lifecycle transitions", () => {
        it("transitions: a rule transition-current-versions after the two rules of before", async () => {
            const transitions = [
                { days: 30, storageClass: "STANDARD_IA" },
                { days: 90, storageClass: "DEEP_ARCHIVE" },
            ] as const;
            await built("tiered", { transitions: [...transitions] });
            const rules = lifecycleRules("tiered");
            expect(rules.map((r) => r.id)).to.deep.equal(["abort-incomplete-multipart-uploads", "expire-noncurrent-versions", "transition-current-versions"]);
            expect(rules[2]).to.deep.equal({ id: "transition-current-versions", status: "Enabled", filter: {}, transitions });
        });

        it("noncurrentVersionTransitions: noncurrentDays on the rule expire-noncurrent-versions", async () => {
            await built("tiered-old", { noncurrentVersionTransitions: [{ days: 0, storageClass: "GLACIER_IR" }] });
            const rules = lifecycleRules("tiered-old");
            expect(rules).to.have.length(2);
            expect(rules[1].noncurrentVersionTransitions).to.deep.equal([{ noncurrentDays: 0, storageClass: "GLACIER_IR" }]);
        });

        it("empty lists leave the lifecycle rules exactly as without them", async () => {
            await Promise.all([built("plain"), built("empty-lists", { transitions: [], noncurrentVersionTransitions: [] })]);
            expect(lifecycleRules("empty-lists")).to.deep.equal(lifecycleRules("plain"));
        });

        it("accepts AWS's limits: IA from day 30, 30 days in IA, one day between other moves, noncurrent moves up to the day before expiry", () => {
            const args: SecureBucketArgs = {
                noncurrentVersionExpirationDays: 90,
                transitions: [
                    { days: 30, storageClass: "STANDARD_IA" },
                    { days: 60, storageClass: "INTELLIGENT_TIERING" },
                    { days: 61, storageClass: "ONEZONE_IA" },
                    { days: 91, storageClass: "GLACIER" },
                    { days: 92, storageClass: "DEEP_ARCHIVE" },
                ],
                noncurrentVersionTransitions: [
                    { days: 0, storageClass: "GLACIER_IR" },
                    { days: 89, storageClass: "DEEP_ARCHIVE" },
                ],
            };
            expect(validateSecureBucketArgs("waterfall", args)).to.deep.include(args);
        });
    });

    describe("cloudFrontDistributions", () => {
        /** A statement granting the CloudFront service, acting for the given distributions only. */
        const cloudFrontGrant = (Sid: string, Action: string[], Resource: string, arns: string[]) => ({
            Sid,
            Effect: "Allow",
            Principal: { Service: ["cloudfront.amazonaws.com"] },
            Action,
            Resource,
            Condition: { StringEquals: { "AWS:SourceArn": arns } },
        });
        /** The key statement's condition: those distributions, and only this bucket's encryption context. */
        const decryptCondition = (bucketArn: string, arns: string[]) => ({
            StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
            StringEquals: { "AWS:SourceArn": arns },
        });

        it("lets the distributions read in the bucket policy and decrypt in the key policy, the CloudFront service only, by AWS:SourceArn", async () => {
            const both = [DISTRIBUTION, "arn:aws:cloudfront::111111111111:distribution/EDFDVBD6EXAMPLE"];
            const sb = await built("cdn", { cloudFrontDistributions: [both[0], pulumi.output(both[1])] });
            const read = cloudFrontGrant("AllowCloudFrontDistributionsToRead", ["s3:GetObject"], "arn:aws:s3:::cdn-xxxxxxx/*", both);
            expect(statement(await valueOf(sb.bucketPolicy), BUCKET_POLICY_SIDS.allowCloudFront)).to.deep.equal(read);
            const decrypt = { ...cloudFrontGrant("AllowCloudFrontDistributionsToDecrypt", ["kms:Decrypt"], "*", both), Condition: decryptCondition("arn:aws:s3:::cdn-xxxxxxx", both) };
            expect(statement(await valueOf(sb.keyPolicy), KEY_POLICY_SIDS.allowCloudFront)).to.deep.equal(decrypt);
        });

        it("the distribution built on the bucket in the same program (deferredOutput): everything registers, and both policies name it", async () => {
            const [arn, resolveArn] = pulumi.deferredOutput<string>();
            const sb = new SecureBucket("site", { cloudFrontDistributions: [arn] });
            const distribution = new Distribution("site-cdn", {
                enabled: true,
                origins: [{ domainName: sb.bucket.bucketRegionalDomainName, originId: "s3", originAccessControlId: "E2OACEXAMPLE00" }],
                defaultCacheBehavior: { targetOriginId: "s3", viewerProtocolPolicy: "redirect-to-https", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"] },
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate: { cloudfrontDefaultCertificate: true },
            });
            resolveArn(distribution.arn);
            // The component, its nine children and the distribution.
            await registrationsCompleted(11);
            const children = ["key", "alias", "public-access-block", "versioning", "encryption", "lifecycle", "policy", "ownership"].map((child) => `site-${child}`);
            expect(recordedResources().map((r) => r.name).sort()).to.deep.equal(["site", "site", ...children, "site-cdn"].sort());
            const cdn = "arn:aws:cloudfront::111111111111:distribution/EPLACEHOLDER0000";
            expect(statement(one(CHILD_TYPES.policy).inputs.policy, BUCKET_POLICY_SIDS.allowCloudFront).Condition).to.deep.equal({ StringEquals: { "AWS:SourceArn": [cdn] } });
            expect(statement(one(CHILD_TYPES.key).inputs.policy, KEY_POLICY_SIDS.allowCloudFront).Condition).to.deep.equal(decryptCondition("arn:aws:s3:::site-xxxxxxx", [cdn]));
        });
    });

    it("a bad distribution ARN arriving as an Output: refused when it resolves, naming it; the bucket, which a distribution may be built on, exists, closed, without the key and the policies", async () => {
        const notADistribution = "arn:aws:cloudfront::111111111111:origin-access-control/E2OAC";
        const { sb, error } = await failedRegistration("cf-late", { cloudFrontDistributions: [pulumi.output(notADistribution)] });
        expect(error.problems).to.deep.equal(validationError("cf-late", { cloudFrontDistributions: [notADistribution] }).problems);
        await registered(sb.bucket, sb.publicAccessBlock, sb.versioning, sb.lifecycle);
        expect(registeredAs(CHILD_TYPES.publicAccessBlock, "cf-late-public-access-block").inputs).to.include({ blockPublicPolicy: true, restrictPublicBuckets: true });
        // Each of these is built on the failed value (the key's and the bucket's policies) or on the key: none can ever register.
        const types = recordedResources().map((r) => r.type);
        for (const never of [CHILD_TYPES.key, CHILD_TYPES.alias, CHILD_TYPES.encryption, CHILD_TYPES.policy, CHILD_TYPES.ownership]) expect(types).to.not.include(never);
    });

    describe("refuses each bad opt-in at construction, naming it and showing its value, and registers nothing", () => {
        const t = (days: number, storageClass: string) => ({ days, storageClass });
        const lock = (fields: object) => ({ objectLock: fields });
        const notADistribution = "arn:aws:cloudfront::111111111111:origin-access-control/E2OAC";
        // [title, args, where the problem says it is, the value it shows, what it says]
        const cases: [string, object, string, unknown, string][] = [
            ["a bucket logging into itself", { bucketName: "example-self", accessLogs: { bucket: "example-self" } }, "accessLogs.bucket", "example-self", "is this bucket: a bucket cannot log into itself"],
            [
                "COMPLIANCE with acknowledgeComplianceCannotBeUndone false: the message names where the flag goes",
                lock({ mode: "COMPLIANCE", days: 1, acknowledgeComplianceCannotBeUndone: false }),
                "objectLock.acknowledgeComplianceCannotBeUndone",
                false,
                COMPLIANCE_UNACKNOWLEDGED,
            ],
            ["Object Lock with versioning off", { versioning: false, ...lock(GOVERNANCE_30_DAYS) }, "objectLock", GOVERNANCE_30_DAYS, "needs versioning"],
            ["Object Lock with both days and years", lock({ mode: "GOVERNANCE", days: 30, years: 1 }), "objectLock", { mode: "GOVERNANCE", days: 30, years: 1 }, "must set exactly one of days and years"],
            ["Object Lock with neither days nor years", lock({ mode: "GOVERNANCE" }), "objectLock", { mode: "GOVERNANCE" }, "must set exactly one of days and years"],
            ["STANDARD_IA before day 30", { transitions: [t(29, "STANDARD_IA")] }, "transitions[0]", t(29, "STANDARD_IA"), "days must be at least 30 for STANDARD_IA"],
            ["a noncurrent ONEZONE_IA before day 30", { noncurrentVersionTransitions: [t(0, "ONEZONE_IA")] }, "noncurrentVersionTransitions[0]", t(0, "ONEZONE_IA"), "days must be at least 30 for ONEZONE_IA"],
            ["days not ascending", { transitions: [t(90, "GLACIER_IR"), t(60, "GLACIER")] }, "transitions[1]", t(60, "GLACIER"), "days must be more than the 90 of the transition before"],
            ["GLACIER then STANDARD_IA", { transitions: [t(0, "GLACIER"), t(30, "STANDARD_IA")] }, "transitions[1]", t(30, "STANDARD_IA"), "cannot follow GLACIER: S3 moves objects from it only to DEEP_ARCHIVE"],
            ["ONEZONE_IA then GLACIER_IR", { transitions: [t(30, "ONEZONE_IA"), t(90, "GLACIER_IR")] }, "transitions[1]", t(90, "GLACIER_IR"), "cannot follow ONEZONE_IA: S3 moves objects from it only to GLACIER, DEEP_ARCHIVE"],
            ["less than 30 days in STANDARD_IA before the next move", { transitions: [t(30, "STANDARD_IA"), t(59, "GLACIER")] }, "transitions[1]", t(59, "GLACIER"), "days must be at least 60: objects stay 30 days in STANDARD_IA"],
            ["a noncurrent transition on the day the versions expire", { noncurrentVersionExpirationDays: 90, noncurrentVersionTransitions: [t(90, "GLACIER")] }, "noncurrentVersionTransitions[0]", t(90, "GLACIER"), "days must be fewer than the 90 days after which these versions expire"],
            ["a transition with an unknown field", { transitions: [{ ...t(30, "GLACIER"), noncurrentDays: 30 }] }, "transitions[0]", { ...t(30, "GLACIER"), noncurrentDays: 30 }, 'has unknown field "noncurrentDays"'],
            ["a storage class S3 lifecycle cannot move to", { transitions: [t(30, "glacier")] }, "transitions[0]", t(30, "glacier"), "storageClass must be one of STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE"],
            ["a CloudFront distribution that is not a distribution ARN", { cloudFrontDistributions: [DISTRIBUTION, notADistribution] }, "cloudFrontDistributions[1]", notADistribution, "must be a CloudFront distribution ARN"],
        ];
        for (const [title, args, where, value, says] of cases) {
            it(title, async () => {
                const { problems } = thrownBy(SecureBucketArgumentError, () => new SecureBucket("refused", args as SecureBucketArgs));
                expect(problems).to.have.length(1);
                expect(problems[0].startsWith(`${where}: ${JSON.stringify(value)} `), problems[0]).to.equal(true);
                expect(problems[0]).to.include(says);
                expect(await registeredSoFar()).to.deep.equal([]);
            });
        }
    });

    it("COMPLIANCE without the acknowledgement: refused by the TypeScript types, and at run time naming objectLock.acknowledgeComplianceCannotBeUndone", async () => {
        // @ts-expect-error COMPLIANCE needs acknowledgeComplianceCannotBeUndone: true (the entry point's typed constructor)
        const { problems } = thrownBy(SecureBucketArgumentError, () => new SecureBucket("unacknowledged", { objectLock: { mode: "COMPLIANCE", days: 1 } }));
        expect(problems).to.deep.equal([`objectLock.acknowledgeComplianceCannotBeUndone: (not set) ${COMPLIANCE_UNACKNOWLEDGED}`]);
        expect(await registeredSoFar()).to.deep.equal([]);
    });

    it("days and years together: refused by the TypeScript types, and at run time", async () => {
        const both = { mode: "GOVERNANCE", days: 30, years: 1 } as const;
        // @ts-expect-error days or years, not both (the entry point's typed constructor)
        const { problems } = thrownBy(SecureBucketArgumentError, () => new SecureBucket("both", { objectLock: both }));
        expect(problems).to.deep.equal([`objectLock: ${JSON.stringify(both)} must set exactly one of days and years`]);
    });

    it("a SecureBucketArgs variable still type-checks whatever its Object Lock mode (the types refuse only what they can see), and is checked at run time", () => {
        const args: SecureBucketArgs = { objectLock: { mode: "COMPLIANCE", days: 1 } };
        expect(thrownBy(SecureBucketArgumentError, () => new SecureBucket("wide", args)).problems[0]).to.include("objectLock.acknowledgeComplianceCannotBeUndone: (not set) must be true");
    });

    it("every opt-in on: the children join the waves, and the critical path stays four waves", async () => {
        await built("all", {
            accessLogs: { bucket: "example-logs" },
            objectLock: GOVERNANCE_30_DAYS,
            eventBridge: true,
            transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
            noncurrentVersionTransitions: [{ days: 30, storageClass: "GLACIER" }],
            cloudFrontDistributions: [DISTRIBUTION],
        });
        const path = criticalPath(recordedResources(), (r) => r.type !== COMPONENT_TYPE);
        expect(path.waves).to.equal(4);
        expect(path.byWave.map((wave) => [...wave].sort())).to.deep.equal([
            ["all"],
            ["all-access-logs", "all-key", "all-notifications", "all-public-access-block", "all-versioning"],
            ["all-alias", "all-encryption", "all-lifecycle", "all-object-lock", "all-policy"],
            ["all-ownership"],
        ]);
    });
});
