/**
 * SecureBucket's adoption path: the existing bucket is imported (Pulumi's `import` option, its name
 * the ID), retained on delete by default, and everything else is built on it as for a new bucket;
 * each configuration it replaces must be named; carried statements are checked like every argument.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucketArgs, validateSecureBucketArgs } from "../components";
import { built, validationError } from "./helpers/components";
import { valueOf } from "./helpers/outputs";
import { CHILD_TYPES } from "./helpers/resourceTypes";
import { one, recordedResources } from "./setup/pulumiMocks";

const REPLACE_ALL = ["bucketPolicy", "lifecycle"] as const;
const PARTNER: NonNullable<SecureBucketArgs["extraBucketPolicyStatements"]>[number] = {
    Sid: "PartnerReadsReports",
    Effect: "Allow",
    Principal: { AWS: ["arn:aws:iam::444444444444:role/reports"] },
    Action: ["s3:GetObject"],
    Resource: ["arn:aws:s3:::example-console-made/reports/*"],
};

describe("SecureBucket adopting an existing bucket", () => {
    it("imports the bucket by its name, retains it on delete, and creates every other resource on it", async () => {
        const sb = await built("adopted", { bucketName: "example-console-made", adoptExisting: { replace: [...REPLACE_ALL] } });
        const bucket = one(CHILD_TYPES.bucket);
        expect({ importId: bucket.importId, retainOnDelete: bucket.retainOnDelete }).to.deep.equal({ importId: "example-console-made", retainOnDelete: true });
        const others = recordedResources().filter((r) => r.type !== CHILD_TYPES.bucket);
        expect(others.map((r) => r.importId).filter((id) => id !== "")).to.deep.equal([]);
        for (const type of [CHILD_TYPES.encryption, CHILD_TYPES.publicAccessBlock, CHILD_TYPES.versioning, CHILD_TYPES.lifecycle, CHILD_TYPES.policy, CHILD_TYPES.ownership]) {
            expect(one(type).inputs.bucket, type).to.equal("example-console-made");
        }
        expect(await valueOf(sb.bucketName)).to.equal("example-console-made");
    });

    it("retains the key and its alias with the bucket: the objects written under the key stay readable after the stack is gone", async () => {
        await built("adopted-key", { bucketName: "example-console-made", adoptExisting: { replace: [...REPLACE_ALL] } });
        expect([CHILD_TYPES.bucket, CHILD_TYPES.key, CHILD_TYPES.alias].map((type) => one(type).retainOnDelete)).to.deep.equal([true, true, true]);
    });

    it("deletes the bucket, key and alias with the stack only when retainOnDelete is false", async () => {
        await built("adopted-not-kept", { bucketName: "example-console-made", adoptExisting: { replace: [...REPLACE_ALL], retainOnDelete: false } });
        expect([CHILD_TYPES.bucket, CHILD_TYPES.key, CHILD_TYPES.alias].map((type) => one(type).retainOnDelete)).to.deep.equal([false, false, false]);
    });

    it("a new bucket is neither imported nor retained, nor are its key and alias", async () => {
        await built("fresh", { bucketName: "example-fresh" });
        expect([one(CHILD_TYPES.bucket).importId, one(CHILD_TYPES.bucket).retainOnDelete]).to.deep.equal(["", false]);
        expect([one(CHILD_TYPES.key).retainOnDelete, one(CHILD_TYPES.alias).retainOnDelete]).to.deep.equal([false, false]);
    });

    it("carries extra statements after SecureBucket's own, unchanged", async () => {
        const sb = await built("carried", { bucketName: "example-console-made", adoptExisting: { replace: [...REPLACE_ALL] }, extraBucketPolicyStatements: [PARTNER] });
        const statements = (JSON.parse(await valueOf(sb.bucketPolicy)) as { Statement: { Sid: string }[] }).Statement;
        expect(statements[statements.length - 1]).to.deep.equal(PARTNER);
        expect(statements.map((s) => s.Sid).slice(0, 2)).to.deep.equal(["DenyInsecureTransport", "DenyOutdatedTlsVersions"]);
    });

    describe("refuses, naming the argument, before anything is registered", () => {
        const problems = (args: Record<string, unknown>) => validationError("bad", args).problems;

        it("adoption without a plain bucketName", () => {
            expect(problems({ adoptExisting: { replace: [...REPLACE_ALL] } })).to.deep.equal([
                'adoptExisting: {"replace":["bucketPolicy","lifecycle"]} needs bucketName, as a plain string: the name of the existing bucket, which Pulumi\'s import option takes before anything runs',
            ]);
            expect(problems({ bucketName: pulumi.output("example-x"), adoptExisting: { replace: [...REPLACE_ALL] } }).join("\n")).to.include("needs bucketName, as a plain string");
        });

        it("a configuration SecureBucket replaces that the adoption does not name", () => {
            const lines = problems({ bucketName: "example-x", eventBridge: true, accessLogs: { bucket: "example-logs" }, adoptExisting: {} });
            expect(lines.map((l) => /must include "(\w+)"/.exec(l)?.[1])).to.deep.equal(["bucketPolicy", "lifecycle", "notifications", "logging"]);
            expect(lines[2]).to.include("every existing target (SNS, SQS, Lambda)");
        });

        it("unknown fields and values of adoptExisting", () => {
            expect(problems({ bucketName: "example-x", adoptExisting: { replace: ["cors"], retain: true } })).to.deep.equal([
                'adoptExisting.retain: true is not a field of adoptExisting: it takes replace and retainOnDelete',
                'adoptExisting.replace: ["cors"] must be a list of "bucketPolicy", "lifecycle", "notifications", "logging"',
            ]);
        });

        it("carried statements for everyone: public unless a condition fixes a key AWS counts as non-public (aws:SecureTransport does not)", () => {
            const everyone = { ...PARTNER, Principal: { AWS: ["*"] } };
            expect(problems({ bucketName: "example-console-made", extraBucketPolicyStatements: [{ ...everyone, Condition: { Bool: { "aws:SecureTransport": ["true"] } } }] })).to.deep.equal([
                'extraBucketPolicyStatements[0].Principal: {"AWS":["*"]} allows everyone under a condition S3 still counts as public (it needs fixed values of aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, ... ): the public access block (BlockPublicPolicy) makes S3 refuse a public bucket policy',
            ]);
            const restricted = { bucketName: "example-console-made", extraBucketPolicyStatements: [{ ...everyone, Condition: { StringEquals: { "aws:SourceAccount": ["444444444444"] } } }] };
            expect(() => validateSecureBucketArgs("restricted", restricted)).not.to.throw();
        });

        it("carried statements: SecureBucket's Sid, a duplicate, a public Allow, another bucket, a non-S3 action, an unknown field", () => {
            const bad = [
                { ...PARTNER, Sid: "DenyOtherKmsKeys" },
                { ...PARTNER, Principal: { AWS: ["*"] } },
                { ...PARTNER, Sid: "Other", Resource: ["arn:aws:s3:::someone-elses-bucket/*"] },
                { ...PARTNER, Sid: "Other", Action: ["kms:Decrypt"], NotAction: ["s3:GetObject"] },
            ];
            expect(problems({ bucketName: "example-console-made", extraBucketPolicyStatements: bad })).to.deep.equal([
                'extraBucketPolicyStatements[0].Sid: "DenyOtherKmsKeys" is the id of one of SecureBucket\'s own statements: rename it',
                'extraBucketPolicyStatements[1].Principal: {"AWS":["*"]} allows everyone: the public access block (BlockPublicPolicy) makes S3 refuse a public bucket policy',
                'extraBucketPolicyStatements[2].Resource: ["arn:aws:s3:::someone-elses-bucket/*"] names "arn:aws:s3:::someone-elses-bucket/*": a bucket policy statement applies to this bucket (example-console-made) and its objects only',
                'extraBucketPolicyStatements[3].NotAction: ["s3:GetObject"] is not a field SecureBucket carries: a statement takes Sid, Effect, Principal, Action, Resource, Condition',
                'extraBucketPolicyStatements[3].Action: ["kms:Decrypt"] must be a non-empty list of S3 actions ("s3:GetObject", "s3:*")',
                'extraBucketPolicyStatements[3].Sid: "Other" is the id of another carried statement: Sids must be unique',
            ]);
        });
    });
});
