import { expect } from "chai";
import { KEY_POLICY_SIDS, KeyPolicyInput, buildKeyPolicy } from "../components/policies/keyPolicy";
import { PolicyDocument } from "../components/policies/policyDocument";
import { ContextOverrides, iamAllow, IdentityPolicyDocument, SimulationResult, simulateKms } from "./helpers/simulate";

const KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const BUCKET_ARN = "arn:aws:s3:::example-secure-data";
const OBJECT_ARN = `${BUCKET_ARN}/reports/2024/summary.csv`;
const OTHER_BUCKET_ARN = "arn:aws:s3:::another-bucket";
const PREFIX_SHARING_BUCKET_ARN = "arn:aws:s3:::example-secure-data-other";

const KEY_ADMIN = "arn:aws:iam::111111111111:role/key-admin";
/** The deploying identity: a session of the role ci/deployer, whose path the session ARN leaves out. */
const DEPLOYER_SESSION = "arn:aws:sts::111111111111:assumed-role/deployer/github-actions-1234";
const DEPLOYER_ROLE = "arn:aws:iam::111111111111:role/ci/deployer";
const DEPLOYER_USER = "arn:aws:iam::111111111111:user/ci/pulumi";
const ACCOUNT_ROOT = "arn:aws:iam::111111111111:root";
const FOREIGN_ADMIN = "arn:aws:iam::222222222222:role/key-admin";
const CROSS_ACCOUNT_WRITER = "arn:aws:iam::222222222222:role/ingest";
const DISTRIBUTION = "arn:aws:cloudfront::111111111111:distribution/E2QWRUHAPOMQZL";
const CLOUDFRONT = "cloudfront.amazonaws.com";
const READER = "arn:aws:iam::111111111111:role/reader";
const CROSS_ACCOUNT_READER = "arn:aws:iam::222222222222:role/analytics-reader";
const WRITER = "arn:aws:iam::111111111111:role/writer";
const UNLISTED_SAME_ACCOUNT = "arn:aws:iam::111111111111:role/operator";

const S3_VIA_SERVICE = "s3.us-east-1.amazonaws.com";
const ENCRYPTION_CONTEXT = "kms:EncryptionContext:aws:s3:arn";

const INPUT: KeyPolicyInput = {
    partition: "aws",
    dnsSuffix: "amazonaws.com",
    accountId: "111111111111",
    region: "us-east-1",
    bucketArn: BUCKET_ARN,
    deployer: DEPLOYER_ROLE,
    administrators: [KEY_ADMIN],
    readers: [READER, CROSS_ACCOUNT_READER],
    writers: [WRITER, CROSS_ACCOUNT_WRITER],
    cloudFrontDistributions: [DISTRIBUTION],
};
const POLICY = buildKeyPolicy(INPUT);

/** What S3 sends to KMS for a request on this bucket (Bucket Key on: the bucket ARN). */
const VIA_S3_FOR_BUCKET: ContextOverrides = { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: BUCKET_ARN };
/** What S3 sends to KMS for a request on one object of this bucket (Bucket Key off: the object ARN). */
const VIA_S3_FOR_OBJECT: ContextOverrides = { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: OBJECT_ARN };

const IAM_KMS_EVERYTHING = iamAllow(["kms:*"], ["*"]);
const IAM_DECRYPT_THIS_KEY = iamAllow(["kms:Decrypt"], [KEY_ARN]);
const IAM_WRITE_THROUGH_THIS_KEY = iamAllow(["kms:GenerateDataKey*", "kms:Decrypt"], [KEY_ARN]);
/** A request made by the deploying role's session: aws:PrincipalArn is the role's ARN, path included. */
const AS_DEPLOYER_ROLE: ContextOverrides = { "aws:PrincipalArn": DEPLOYER_ROLE };

interface Case {
    name: string;
    principal: string;
    action: string;
    context?: ContextOverrides;
    identityPolicies?: IdentityPolicyDocument[];
    policy?: PolicyDocument;
    expected: SimulationResult;
}

const cases: Case[] = [
    // Writers: data keys only through S3, in this region, for this bucket.
    {
        name: "writer GenerateDataKey via S3 in us-east-1 with the bucket ARN as encryption context is Allowed",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: VIA_S3_FOR_BUCKET,
        expected: "Allowed",
    },
    {
        name: "writer GenerateDataKey via S3 with an object ARN of this bucket as encryption context is Allowed",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: VIA_S3_FOR_OBJECT,
        expected: "Allowed",
    },
    {
        name: "writer GenerateDataKey called directly (no kms:ViaService) is ImplicitlyDenied",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: { [ENCRYPTION_CONTEXT]: BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer GenerateDataKey via S3 in another region (eu-west-1) is ImplicitlyDenied",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: { "kms:ViaService": "s3.eu-west-1.amazonaws.com", [ENCRYPTION_CONTEXT]: BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer GenerateDataKey via S3 for another bucket's encryption context is ImplicitlyDenied",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: OTHER_BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer GenerateDataKey via S3 for an object of another bucket is ImplicitlyDenied",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: `${OTHER_BUCKET_ARN}/reports/2024/summary.csv` },
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer GenerateDataKey via S3 for a bucket whose name starts with this one's (example-secure-data-other) is ImplicitlyDenied",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: PREFIX_SHARING_BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer GenerateDataKey via S3 for an object of example-secure-data-other is ImplicitlyDenied",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: `${PREFIX_SHARING_BUCKET_ARN}/x` },
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer GenerateDataKey via S3 without an encryption context is ImplicitlyDenied",
        principal: WRITER,
        action: "kms:GenerateDataKey",
        context: { "kms:ViaService": S3_VIA_SERVICE },
        expected: "ImplicitlyDenied",
    },
    {
        name: "writer Decrypt via S3 for this bucket is Allowed (multipart uploads)",
        principal: WRITER,
        action: "kms:Decrypt",
        context: VIA_S3_FOR_BUCKET,
        expected: "Allowed",
    },

    // Readers: decrypt only.
    {
        name: "reader Decrypt via S3 for this bucket is Allowed",
        principal: READER,
        action: "kms:Decrypt",
        context: VIA_S3_FOR_BUCKET,
        expected: "Allowed",
    },
    {
        name: "reader Decrypt via S3 for an object of this bucket is Allowed",
        principal: READER,
        action: "kms:Decrypt",
        context: VIA_S3_FOR_OBJECT,
        expected: "Allowed",
    },
    {
        name: "reader Decrypt called directly (no kms:ViaService) is ImplicitlyDenied",
        principal: READER,
        action: "kms:Decrypt",
        context: { [ENCRYPTION_CONTEXT]: BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },
    {
        name: "reader GenerateDataKey via S3 for this bucket is ImplicitlyDenied",
        principal: READER,
        action: "kms:GenerateDataKey",
        context: VIA_S3_FOR_BUCKET,
        expected: "ImplicitlyDenied",
    },

    // Deletion protection and administration.
    {
        name: "non-administrator same-account role holding kms:* in its IAM policy: ScheduleKeyDeletion is ExplicitlyDenied",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "kms:ScheduleKeyDeletion",
        identityPolicies: [IAM_KMS_EVERYTHING],
        expected: "ExplicitlyDenied",
    },
    {
        name: "non-administrator same-account role holding kms:* in its IAM policy: DisableKey is ExplicitlyDenied",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "kms:DisableKey",
        identityPolicies: [IAM_KMS_EVERYTHING],
        expected: "ExplicitlyDenied",
    },
    {
        name: "writer holding kms:* in its IAM policy: ScheduleKeyDeletion is ExplicitlyDenied",
        principal: WRITER,
        action: "kms:ScheduleKeyDeletion",
        identityPolicies: [IAM_KMS_EVERYTHING],
        expected: "ExplicitlyDenied",
    },
    {
        name: "administrator ScheduleKeyDeletion is Allowed",
        principal: KEY_ADMIN,
        action: "kms:ScheduleKeyDeletion",
        expected: "Allowed",
    },
    {
        name: "administrator CancelKeyDeletion is Allowed",
        principal: KEY_ADMIN,
        action: "kms:CancelKeyDeletion",
        expected: "Allowed",
    },
    {
        name: "administrator DisableKey is Allowed",
        principal: KEY_ADMIN,
        action: "kms:DisableKey",
        expected: "Allowed",
    },
    {
        name: "administrator PutKeyPolicy is Allowed",
        principal: KEY_ADMIN,
        action: "kms:PutKeyPolicy",
        expected: "Allowed",
    },
    {
        name: "administrator Decrypt with no IAM policy is ImplicitlyDenied (no cryptographic use)",
        principal: KEY_ADMIN,
        action: "kms:Decrypt",
        context: VIA_S3_FOR_BUCKET,
        expected: "ImplicitlyDenied",
    },
    {
        name: "administrator CreateGrant is ImplicitlyDenied (a grant delegates cryptographic use)",
        principal: KEY_ADMIN,
        action: "kms:CreateGrant",
        expected: "ImplicitlyDenied",
    },

    // The deployer: the identity that ran `pulumi up` can run `pulumi destroy` and later updates.
    {
        name: "the deploying role's session (role ci/deployer, with a path), holding kms:* through IAM: ScheduleKeyDeletion is Allowed",
        principal: DEPLOYER_SESSION,
        action: "kms:ScheduleKeyDeletion",
        context: AS_DEPLOYER_ROLE,
        identityPolicies: [IAM_KMS_EVERYTHING],
        expected: "Allowed",
    },
    {
        name: "the deploying role's session, holding kms:* through IAM: PutKeyPolicy (a later pulumi up) is Allowed",
        principal: DEPLOYER_SESSION,
        action: "kms:PutKeyPolicy",
        context: AS_DEPLOYER_ROLE,
        identityPolicies: [IAM_KMS_EVERYTHING],
        expected: "Allowed",
    },
    {
        name: "a session of another role named deployer on another path (role/deployer) is ExplicitlyDenied ScheduleKeyDeletion",
        principal: "arn:aws:sts::111111111111:assumed-role/deployer/someone",
        action: "kms:ScheduleKeyDeletion",
        context: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/deployer" },
        identityPolicies: [IAM_KMS_EVERYTHING],
        expected: "ExplicitlyDenied",
    },

    // What the guard does not stop: a holder of kms:* can still change the key policy (and so lift
    // the guard). That is deliberate: PutKeyPolicy stays reachable for updates and recovery.
    {
        name: "non-administrator same-account role holding kms:* in its IAM policy: PutKeyPolicy is Allowed (the guard's limit)",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "kms:PutKeyPolicy",
        identityPolicies: [IAM_KMS_EVERYTHING],
        expected: "Allowed",
    },
    // iam-simulate does not model the root user's own rights (it treats the key policy's account-root
    // principal as the account, whose IAM must then allow); an explicit Deny binds the root user too.
    {
        name: "the account's root user: ScheduleKeyDeletion is ExplicitlyDenied (it is not an administrator)",
        principal: ACCOUNT_ROOT,
        action: "kms:ScheduleKeyDeletion",
        expected: "ExplicitlyDenied",
    },
    {
        name: "an IAM administrator of the account allowed kms:PutKeyPolicy by its IAM policy: PutKeyPolicy is Allowed (recovery through the account-root statement)",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "kms:PutKeyPolicy",
        identityPolicies: [iamAllow(["kms:PutKeyPolicy"], [KEY_ARN])],
        expected: "Allowed",
    },

    // The account-root statement keeps IAM policies effective.
    {
        name: "same-account role whose IAM policy allows kms:Decrypt on the key is Allowed (root statement keeps IAM effective)",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "kms:Decrypt",
        identityPolicies: [IAM_DECRYPT_THIS_KEY],
        expected: "Allowed",
    },
    {
        name: "same-account role with no IAM policy: Decrypt is ImplicitlyDenied",
        principal: UNLISTED_SAME_ACCOUNT,
        action: "kms:Decrypt",
        context: VIA_S3_FOR_BUCKET,
        expected: "ImplicitlyDenied",
    },

    // CloudFront through Origin Access Control: decrypt for the named distribution only, and only
    // this bucket's objects (the encryption context S3 passes: the bucket ARN under a Bucket Key,
    // else the object ARN).
    {
        name: "CloudFront Decrypt for the named distribution (AWS:SourceArn), this bucket's context (Bucket Key on) is Allowed",
        principal: CLOUDFRONT,
        action: "kms:Decrypt",
        context: { "aws:SourceArn": DISTRIBUTION, [ENCRYPTION_CONTEXT]: BUCKET_ARN },
        expected: "Allowed",
    },
    {
        name: "CloudFront Decrypt for the named distribution, an object of this bucket's context (Bucket Key off) is Allowed",
        principal: CLOUDFRONT,
        action: "kms:Decrypt",
        context: { "aws:SourceArn": DISTRIBUTION, [ENCRYPTION_CONTEXT]: OBJECT_ARN },
        expected: "Allowed",
    },
    {
        name: "CloudFront Decrypt for the named distribution but another bucket's encryption context is ImplicitlyDenied",
        principal: CLOUDFRONT,
        action: "kms:Decrypt",
        context: { "aws:SourceArn": DISTRIBUTION, [ENCRYPTION_CONTEXT]: `${OTHER_BUCKET_ARN}/index.html` },
        expected: "ImplicitlyDenied",
    },
    {
        name: "CloudFront Decrypt for the named distribution with no encryption context is ImplicitlyDenied",
        principal: CLOUDFRONT,
        action: "kms:Decrypt",
        context: { "aws:SourceArn": DISTRIBUTION },
        expected: "ImplicitlyDenied",
    },
    {
        name: "CloudFront Decrypt for another distribution is ImplicitlyDenied",
        principal: CLOUDFRONT,
        action: "kms:Decrypt",
        context: { "aws:SourceArn": "arn:aws:cloudfront::333333333333:distribution/EDFDVBD632BHDS5", [ENCRYPTION_CONTEXT]: BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },
    {
        name: "CloudFront Decrypt with no AWS:SourceArn is ImplicitlyDenied",
        principal: CLOUDFRONT,
        action: "kms:Decrypt",
        context: { [ENCRYPTION_CONTEXT]: BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },
    {
        name: "CloudFront GenerateDataKey for the named distribution is ImplicitlyDenied (it only reads)",
        principal: CLOUDFRONT,
        action: "kms:GenerateDataKey",
        context: { "aws:SourceArn": DISTRIBUTION, [ENCRYPTION_CONTEXT]: BUCKET_ARN },
        expected: "ImplicitlyDenied",
    },

    // Cross account: both the key policy and the principal's own IAM policy.
    {
        name: "listed cross-account reader via S3 for this bucket with a matching IAM policy: Decrypt is Allowed",
        principal: CROSS_ACCOUNT_READER,
        action: "kms:Decrypt",
        context: VIA_S3_FOR_BUCKET,
        identityPolicies: [IAM_DECRYPT_THIS_KEY],
        expected: "Allowed",
    },
    {
        name: "listed cross-account reader via S3 for this bucket with no IAM policy: Decrypt is ImplicitlyDenied",
        principal: CROSS_ACCOUNT_READER,
        action: "kms:Decrypt",
        context: VIA_S3_FOR_BUCKET,
        expected: "ImplicitlyDenied",
    },
    {
        name: "listed cross-account writer via S3 for this bucket with a matching IAM policy: GenerateDataKey is Allowed",
        principal: CROSS_ACCOUNT_WRITER,
        action: "kms:GenerateDataKey",
        context: VIA_S3_FOR_BUCKET,
        identityPolicies: [IAM_WRITE_THROUGH_THIS_KEY],
        expected: "Allowed",
    },
    {
        name: "listed cross-account writer via S3 for this bucket with no IAM policy: GenerateDataKey is ImplicitlyDenied",
        principal: CROSS_ACCOUNT_WRITER,
        action: "kms:GenerateDataKey",
        context: VIA_S3_FOR_BUCKET,
        expected: "ImplicitlyDenied",
    },
    {
        name: "listed cross-account reader with a matching IAM policy, via S3 for another bucket: Decrypt is ImplicitlyDenied",
        principal: CROSS_ACCOUNT_READER,
        action: "kms:Decrypt",
        context: { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: OTHER_BUCKET_ARN },
        identityPolicies: [IAM_DECRYPT_THIS_KEY],
        expected: "ImplicitlyDenied",
    },
];

describe("key policy, simulated (iam-simulate)", () => {
    it("exempts exactly the administrators and the deployer from the deletion guard", () => {
        const deny = POLICY.Statement.find((s) => s.Sid === KEY_POLICY_SIDS.denyDeletion);
        expect(deny?.Condition).to.deep.equal({ ArnNotEquals: { "aws:PrincipalArn": [KEY_ADMIN, DEPLOYER_ROLE] } });
    });

    describe("allows and denies exactly what it claims", () => {
        for (const c of cases) {
            it(c.name, async () => {
                const result = await simulateKms({
                    principal: c.principal,
                    action: c.action,
                    keyArn: KEY_ARN,
                    context: c.context,
                    keyPolicy: c.policy ?? POLICY,
                    identityPolicies: c.identityPolicies,
                });
                expect(result).to.equal(c.expected);
            });
        }
    });

    describe("deployed by an IAM user", () => {
        const byUser = buildKeyPolicy({ ...INPUT, deployer: DEPLOYER_USER });
        for (const action of ["kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"]) {
            it(`the deploying user, holding kms:* through IAM: ${action} is Allowed`, async () => {
                const result = await simulateKms({ principal: DEPLOYER_USER, action, keyArn: KEY_ARN, keyPolicy: byUser, identityPolicies: [IAM_KMS_EVERYTHING] });
                expect(result).to.equal("Allowed");
            });
        }
        it("the role that deployed it before, no longer the deployer: ScheduleKeyDeletion is ExplicitlyDenied", async () => {
            const result = await simulateKms({
                principal: DEPLOYER_SESSION,
                action: "kms:ScheduleKeyDeletion",
                keyArn: KEY_ARN,
                context: AS_DEPLOYER_ROLE,
                keyPolicy: byUser,
                identityPolicies: [IAM_KMS_EVERYTHING],
            });
            expect(result).to.equal("ExplicitlyDenied");
        });
    });

    describe("an administrator in another account", () => {
        it("the simulator reports its ScheduleKeyDeletion as Allowed; KMS ignores it, which is why validation refuses such an administrator", async () => {
            // KMS ignores key-management permissions (ScheduleKeyDeletion, PutKeyPolicy, DisableKey,
            // rotation, tagging) granted to principals of another account ("Allowing users in other
            // accounts to use a KMS key", AWS KMS Developer Guide); iam-simulate does not model that
            // rule and evaluates the request like any cross-account one. What protects users is
            // deploymentProblem (components/rules/principalArn.ts), which refuses the administrator
            // before the key is registered (tests/validation.test.ts).
            const foreign = buildKeyPolicy({ ...INPUT, administrators: [FOREIGN_ADMIN] });
            const result = await simulateKms({
                principal: FOREIGN_ADMIN,
                action: "kms:ScheduleKeyDeletion",
                keyArn: KEY_ARN,
                keyPolicy: foreign,
                identityPolicies: [IAM_KMS_EVERYTHING],
            });
            expect(result).to.equal("Allowed");
        });
    });

    describe("in the AWS European Sovereign Cloud (partition aws-eusc)", () => {
        const EUSC_KEY = "arn:aws-eusc:kms:eusc-de-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const EUSC_BUCKET = "arn:aws-eusc:s3:::example-secure-data";
        const EUSC_READER = "arn:aws-eusc:iam::111111111111:role/reader";
        const eusc = buildKeyPolicy({
            ...INPUT,
            partition: "aws-eusc",
            dnsSuffix: "amazonaws.eu",
            region: "eusc-de-east-1",
            bucketArn: EUSC_BUCKET,
            deployer: "arn:aws-eusc:iam::111111111111:role/deployer",
            administrators: ["arn:aws-eusc:iam::111111111111:role/key-admin"],
            readers: [EUSC_READER],
            writers: [],
        });
        const decrypt = (viaService: string) =>
            simulateKms({
                principal: EUSC_READER,
                action: "kms:Decrypt",
                keyArn: EUSC_KEY,
                context: { "kms:ViaService": viaService, [ENCRYPTION_CONTEXT]: EUSC_BUCKET },
                keyPolicy: eusc,
            });

        it("names the partition's account root and S3 under its own DNS suffix", () => {
            expect(eusc.Statement[0].Principal).to.deep.equal({ AWS: ["arn:aws-eusc:iam::111111111111:root"] });
            const readers = eusc.Statement.find((s) => s.Sid === KEY_POLICY_SIDS.allowReaders);
            expect(readers?.Condition?.StringEquals).to.deep.equal({ "kms:ViaService": "s3.eusc-de-east-1.amazonaws.eu" });
        });

        it("a reader of the partition: Decrypt via S3 in eusc-de-east-1 (amazonaws.eu) for this bucket is Allowed", async () => {
            expect(await decrypt("s3.eusc-de-east-1.amazonaws.eu")).to.equal("Allowed");
        });

        it("the same reader via a service name under amazonaws.com is ImplicitlyDenied", async () => {
            expect(await decrypt("s3.eusc-de-east-1.amazonaws.com")).to.equal("ImplicitlyDenied");
        });
    });

    describe("without administrators", () => {
        const noAdmins = buildKeyPolicy({ ...INPUT, administrators: [] });

        it("has no Deny statement (and no administration statement)", () => {
            expect(noAdmins.Statement.filter((s) => s.Effect === "Deny")).to.deep.equal([]);
            expect(noAdmins.Statement.map((s) => s.Sid)).to.not.include(KEY_POLICY_SIDS.allowAdministration);
        });

        it("a same-account role holding kms:* in its IAM policy can ScheduleKeyDeletion (Allowed)", async () => {
            const result = await simulateKms({
                principal: UNLISTED_SAME_ACCOUNT,
                action: "kms:ScheduleKeyDeletion",
                keyArn: KEY_ARN,
                keyPolicy: noAdmins,
                identityPolicies: [IAM_KMS_EVERYTHING],
            });
            expect(result).to.equal("Allowed");
        });
    });
});
