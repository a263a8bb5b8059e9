/**
 * The policy of an access-log target (AccessLogsBucket), evaluated with the IAM simulator: the S3
 * logging service may deliver for this account's buckets, and only for the listed ones when some are,
 * each only under its own prefix.
 */
import { expect } from "chai";
import { ACCESS_LOGS_BUCKET_POLICY_SIDS, buildAccessLogsBucketPolicy, LOGGING_SERVICE, logDeliverySid } from "../components/policies/accessLogsBucketPolicy";
import { ContextOverrides, simulateS3Detailed, SimulationResult } from "./helpers/simulate";

const LOG_BUCKET = "arn:aws:s3:::example-access-logs";
const LOG_OBJECT = `${LOG_BUCKET}/example-data/2026-12-03-12-00-00-ABCDEF`;
/** A log object under the other source's default prefix. */
const OTHER_LOG_OBJECT = `${LOG_BUCKET}/example-other/2026-12-03-12-00-00-ABCDEF`;
const SOURCE_ARN = "arn:aws:s3:::example-data";
const OTHER_SOURCE_ARN = "arn:aws:s3:::example-other";
/** The sources as an AccessLogsBucket passes them: each bucket's ARN and its prefix (its name and '/' by default). */
const SOURCE = { bucketArn: SOURCE_ARN, prefix: "example-data/" };
const OTHER_SOURCE = { bucketArn: OTHER_SOURCE_ARN, prefix: "example-other/" };
const ACCOUNT = "111111111111";
const SIDS = ACCESS_LOGS_BUCKET_POLICY_SIDS;

const fromSource = (sourceArn: string, account = ACCOUNT): ContextOverrides => ({ "aws:SourceArn": sourceArn, "aws:SourceAccount": account, "s3:TlsVersion": "1.2" });

interface Case {
    name: string;
    principal: string;
    action?: string;
    context: ContextOverrides;
    sources: { bucketArn: string; prefix: string }[];
    /** The log object written; a key under the source's default prefix unless given. */
    object?: string;
    expected: SimulationResult;
    decidedBy?: string;
}

const cases: Case[] = [
    { name: "the logging service, for a bucket of this account, any source allowed: Allowed", principal: LOGGING_SERVICE, context: fromSource(OTHER_SOURCE_ARN), sources: [], expected: "Allowed", decidedBy: SIDS.allowLogDelivery },
    {
        name: "no sources named: a bucket of this account writes under any prefix, another bucket's too (the README says so): Allowed",
        principal: LOGGING_SERVICE,
        context: fromSource(SOURCE_ARN),
        sources: [],
        object: OTHER_LOG_OBJECT,
        expected: "Allowed",
        decidedBy: SIDS.allowLogDelivery,
    },
    { name: "the logging service, for a listed source bucket, under its prefix: Allowed", principal: LOGGING_SERVICE, context: fromSource(SOURCE_ARN), sources: [SOURCE, OTHER_SOURCE], expected: "Allowed", decidedBy: logDeliverySid(1) },
    {
        name: "the logging service, for the second listed source, under its prefix: Allowed",
        principal: LOGGING_SERVICE,
        context: fromSource(OTHER_SOURCE_ARN),
        sources: [SOURCE, OTHER_SOURCE],
        object: OTHER_LOG_OBJECT,
        expected: "Allowed",
        decidedBy: logDeliverySid(2),
    },
    {
        name: "the logging service, for a listed source, under another listed source's prefix: ImplicitlyDenied",
        principal: LOGGING_SERVICE,
        context: fromSource(SOURCE_ARN),
        sources: [SOURCE, OTHER_SOURCE],
        object: OTHER_LOG_OBJECT,
        expected: "ImplicitlyDenied",
    },
    {
        name: "the logging service, for a listed source, outside any prefix: ImplicitlyDenied",
        principal: LOGGING_SERVICE,
        context: fromSource(SOURCE_ARN),
        sources: [SOURCE],
        object: `${LOG_BUCKET}/2026-12-03-12-00-00-ABCDEF`,
        expected: "ImplicitlyDenied",
    },
    {
        name: "the logging service, for a listed source with a custom prefix, under it (partitioned keys too): Allowed",
        principal: LOGGING_SERVICE,
        context: fromSource(SOURCE_ARN),
        sources: [{ bucketArn: SOURCE_ARN, prefix: "audit/data/" }],
        object: `${LOG_BUCKET}/audit/data/111111111111/eu-west-1/example-data/2026/12/03/2026-12-03-12-00-00-ABCDEF`,
        expected: "Allowed",
        decidedBy: logDeliverySid(1),
    },
    {
        name: "the logging service, for a listed source with a custom prefix, under its default prefix: ImplicitlyDenied",
        principal: LOGGING_SERVICE,
        context: fromSource(SOURCE_ARN),
        sources: [{ bucketArn: SOURCE_ARN, prefix: "audit/data/" }],
        expected: "ImplicitlyDenied",
    },
    { name: "the logging service, for a source bucket not listed: ImplicitlyDenied", principal: LOGGING_SERVICE, context: fromSource(OTHER_SOURCE_ARN), sources: [SOURCE], object: OTHER_LOG_OBJECT, expected: "ImplicitlyDenied" },
    { name: "the logging service, for a bucket of another account: ImplicitlyDenied", principal: LOGGING_SERVICE, context: fromSource(SOURCE_ARN, "222222222222"), sources: [], expected: "ImplicitlyDenied" },
    {
        name: "the logging service, for a listed bucket name but another account: ImplicitlyDenied",
        principal: LOGGING_SERVICE,
        context: fromSource(SOURCE_ARN, "222222222222"),
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
        context: { ...fromSource(SOURCE_ARN), "aws:SecureTransport": "false", "s3:TlsVersion": undefined },
        sources: [SOURCE],
        expected: "ExplicitlyDenied",
        decidedBy: SIDS.denyInsecureTransport,
    },
    { name: "the logging service reading the logs (GetObject): ImplicitlyDenied", principal: LOGGING_SERVICE, action: "s3:GetObject", context: fromSource(SOURCE_ARN), sources: [SOURCE], expected: "ImplicitlyDenied" },
    { name: "another service principal (cloudtrail.amazonaws.com): ImplicitlyDenied", principal: "cloudtrail.amazonaws.com", context: fromSource(SOURCE_ARN), sources: [SOURCE], expected: "ImplicitlyDenied" },
    { name: "a role of another account: ImplicitlyDenied", principal: "arn:aws:iam::222222222222:role/intruder", context: {}, sources: [SOURCE], expected: "ImplicitlyDenied" },
];

describe("access-log bucket policy, simulated (iam-simulate)", () => {
    for (const c of cases) {
        it(c.name, async () => {
            const outcome = await simulateS3Detailed({
                principal: c.principal,
                action: c.action ?? "s3:PutObject",
                resource: c.object ?? LOG_OBJECT,
                context: c.context,
                bucketPolicy: buildAccessLogsBucketPolicy({ bucketArn: LOG_BUCKET, accountId: ACCOUNT, sources: c.sources, minimumTlsVersion: "1.2" }),
            });
            expect(outcome.result).to.equal(c.expected);
            if (c.expected === "ExplicitlyDenied") expect(outcome.denyingSids).to.deep.equal([c.decidedBy]);
            else expect(outcome.denyingSids, "no Deny statement may fire").to.deep.equal([]);
            if (c.expected === "Allowed") expect(outcome.grantingSids).to.include(c.decidedBy);
        });
    }
});
