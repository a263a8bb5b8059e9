import { expect } from "chai";
import { KEY_POLICY_SIDS, KeyPolicyInput, buildKeyPolicy } from "../components/policies/keyPolicy";
import { PolicyDocument } from "../components/policies/policyDocument";
import { ContextOverrides, IdentityPolicyDocument, SimulationResult, simulateKms } from "./helpers/simulate";

const KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const BUCKET_ARN = "arn:aws:s3:::example-secure-data";
const OBJECT_ARN = `${BUCKET_ARN}/reports/2024/summary.csv`;
const OTHER_BUCKET_ARN = "arn:aws:s3:::another-bucket";
const PREFIX_SHARING_BUCKET_ARN = "arn:aws:s3:::example-secure-data-other";

const KEY_ADMIN = "arn:aws:iam::111111111111:role/key-admin";
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
    administrators: [KEY_ADMIN],
    readers: [READER, CROSS_ACCOUNT_READER],
    writers: [WRITER],
};
const POLICY = buildKeyPolicy(INPUT);

/** What S3 sends to KMS for a request on this bucket (Bucket Key on: the bucket ARN). */
const VIA_S3_FOR_BUCKET: ContextOverrides = { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: BUCKET_ARN };
/** What S3 sends to KMS for a request on one object of this bucket (Bucket Key off: the object ARN). */
const VIA_S3_FOR_OBJECT: ContextOverrides = { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: OBJECT_ARN };

function iamAllow(actions: string[], resources: string[]): IdentityPolicyDocument {
    return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: resources }] };
}

const IAM_KMS_EVERYTHING = iamAllow(["kms:*"], ["*"]);
const IAM_DECRYPT_THIS_KEY = iamAllow(["kms:Decrypt"], [KEY_ARN]);

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
        name: "listed cross-account reader with a matching IAM policy, via S3 for another bucket: Decrypt is ImplicitlyDenied",
        principal: CROSS_ACCOUNT_READER,
        action: "kms:Decrypt",
        context: { "kms:ViaService": S3_VIA_SERVICE, [ENCRYPTION_CONTEXT]: OTHER_BUCKET_ARN },
        identityPolicies: [IAM_DECRYPT_THIS_KEY],
        expected: "ImplicitlyDenied",
    },
];

describe("key policy, simulated (iam-simulate)", () => {
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
