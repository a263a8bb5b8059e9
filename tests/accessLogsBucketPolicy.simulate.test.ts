/**
 * The policy of an access-log target (AccessLogsBucket), evaluated with the IAM simulator: the S3
 * logging service may deliver for this account's buckets, and only for the listed ones when some are.
 */
import { expect } from "chai";
import { ACCESS_LOGS_BUCKET_POLICY_SIDS, buildAccessLogsBucketPolicy, LOGGING_SERVICE } from "../components/policies/accessLogsBucketPolicy";
import { ContextOverrides, simulateS3Detailed, SimulationResult } from "./helpers/simulate";

const LOG_BUCKET = "arn:aws:s3:::example-access-logs";
const LOG_OBJECT = `${LOG_BUCKET}/example-data/2026-12-03-12-00-00-ABCDEF`;
const SOURCE = "arn:aws:s3:::example-data";
const OTHER_SOURCE = "arn:aws:s3:::example-other";
const ACCOUNT = "111111111111";
const SIDS = ACCESS_LOGS_BUCKET_POLICY_SIDS;

const fromSource = (sourceArn: string, account = ACCOUNT): ContextOverrides => ({ "aws:SourceArn": sourceArn, "aws:SourceAccount": account, "s3:TlsVersion": "1.2" });

interface Case {
    name: string;
    principal: string;
    action?: string;
    context: ContextOverrides;
    sources: string[];
    expected: SimulationResult;
    decidedBy?: string;
}

const cases: Case[] = [
    { name: "the logging service, for a bucket of this account, any source allowed: Allowed", principal: LOGGING_SERVICE, context: fromSource(OTHER_SOURCE), sources: [], expected: "Allowed", decidedBy: SIDS.allowLogDelivery },
    { name: "the logging service, for a listed source bucket: Allowed", principal: LOGGING_SERVICE, context: fromSource(SOURCE), sources: [SOURCE], expected: "Allowed", decidedBy: SIDS.allowLogDelivery },
    { name: "the logging service, for a source bucket not listed: ImplicitlyDenied", principal: LOGGING_SERVICE, context: fromSource(OTHER_SOURCE), sources: [SOURCE], expected: "ImplicitlyDenied" },
    { name: "the logging service, for a bucket of another account: ImplicitlyDenied", principal: LOGGING_SERVICE, context: fromSource(SOURCE, "222222222222"), sources: [], expected: "ImplicitlyDenied" },
    {
        name: "the logging service, for a listed bucket name but another account: ImplicitlyDenied",
        principal: LOGGING_SERVICE,
        context: fromSource(SOURCE, "222222222222"),
        sources: [SOURCE],
        expected: "ImplicitlyDenied",
    },
    {
        name: "the logging service with no source context at all: ImplicitlyDenied",
        principal: LOGGING_SERVICE,
        context: { "s3:TlsVersion": "1.2" },
        sources: [],
        expected: "ImplicitlyDenied",
    },
    {
        name: "the logging service over plain HTTP: ExplicitlyDenied",
        principal: LOGGING_SERVICE,
        context: { ...fromSource(SOURCE), "aws:SecureTransport": "false", "s3:TlsVersion": undefined },
        sources: [SOURCE],
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
    { name: "the logging service reading the logs (GetObject): ImplicitlyDenied", principal: LOGGING_SERVICE, action: "s3:GetObject", context: fromSource(SOURCE), sources: [SOURCE], expected: "ImplicitlyDenied" },
    { name: "another service principal (cloudtrail.amazonaws.com): ImplicitlyDenied", principal: "cloudtrail.amazonaws.com", context: fromSource(SOURCE), sources: [SOURCE], expected: "ImplicitlyDenied" },
    { name: "a role of another account: ImplicitlyDenied", principal: "arn:aws:iam::222222222222:role/intruder", context: {}, sources: [SOURCE], expected: "ImplicitlyDenied" },
];

describe("access-log bucket policy, simulated (iam-simulate)", () => {
    for (const c of cases) {
        it(c.name, async () => {
            const outcome = await simulateS3Detailed({
                principal: c.principal,
                action: c.action ?? "s3:PutObject",
                resource: LOG_OBJECT,
                context: c.context,
                bucketPolicy: buildAccessLogsBucketPolicy({ bucketArn: LOG_BUCKET, accountId: ACCOUNT, sourceBucketArns: c.sources, minimumTlsVersion: "1.2" }),
            });
            expect(outcome.result).to.equal(c.expected);
            if (c.expected === "ExplicitlyDenied") expect(outcome.denyingSids).to.deep.equal([c.decidedBy]);
            else expect(outcome.denyingSids, "no Deny statement may fire").to.deep.equal([]);
            if (c.expected === "Allowed") expect(outcome.grantingSids).to.include(c.decidedBy);
        });
    }
});
