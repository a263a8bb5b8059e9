/**
 * Statements carried into the bucket policy (an adopted bucket's own) grant what they say, and
 * SecureBucket's denies still apply to them: an explicit deny wins over any allow ("Policy
 * evaluation logic", IAM User Guide).
 */
import { expect } from "chai";
import { buildBucketPolicy } from "../components/policies/bucketPolicy";
import { withExtraStatements } from "../components/policies/extraStatements";
import type { PolicyDocument } from "../components/policies/policyDocument";
import { iamAllow, simulateS3Detailed } from "./helpers/simulate";

const BUCKET_ARN = "arn:aws:s3:::example-console-made";
const KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const PARTNER = "arn:aws:iam::444444444444:role/reports";
const REPORT = `${BUCKET_ARN}/reports/2024.csv`;

const POLICY = withExtraStatements(buildBucketPolicy({ bucketArn: BUCKET_ARN, keyArn: KEY_ARN, minimumTlsVersion: "1.2", readers: [], writers: [], cloudFrontDistributions: [] }), [
    { Sid: "PartnerReadsReports", Effect: "Allow", Principal: { AWS: [PARTNER] }, Action: ["s3:GetObject"], Resource: [`${BUCKET_ARN}/reports/*`] },
    { Sid: "PartnerUploadsReports", Effect: "Allow", Principal: { AWS: [PARTNER] }, Action: ["s3:PutObject"], Resource: [`${BUCKET_ARN}/reports/*`] },
]) as unknown as PolicyDocument;

const partner = (action: string, resource: string, context: Record<string, string | undefined> = {}) =>
    simulateS3Detailed({ principal: PARTNER, action, resource, bucketPolicy: POLICY, identityPolicies: [iamAllow(["s3:*"], ["*"])], context });

describe("carried bucket-policy statements, simulated (iam-simulate)", () => {
    it("grant what they say: the partner reads a report over TLS", async () => {
        expect(await partner("s3:GetObject", REPORT)).to.deep.include({ result: "Allowed", grantingSids: ["PartnerReadsReports"] });
    });

    it("grant nothing beyond it: not an object outside reports/", async () => {
        expect((await partner("s3:GetObject", `${BUCKET_ARN}/private/x`)).result).to.equal("ImplicitlyDenied");
    });

    it("stay under SecureBucket's denies: plain HTTP, and an upload asking for SSE-S3", async () => {
        expect(await partner("s3:GetObject", REPORT, { "aws:SecureTransport": "false", "s3:TlsVersion": undefined })).to.deep.include({
            result: "ExplicitlyDenied",
            denyingSids: ["DenyInsecureTransport"],
        });
        expect(await partner("s3:PutObject", REPORT, { "s3:x-amz-server-side-encryption": "AES256" })).to.deep.include({
            result: "ExplicitlyDenied",
            denyingSids: ["DenyEncryptionOtherThanKms"],
        });
    });
});
