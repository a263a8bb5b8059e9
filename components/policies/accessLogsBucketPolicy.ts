import { PolicyDocument } from "./policyDocument";
import { TRANSPORT_SIDS, transportDenies } from "./transport";

/** What the policy of an access-log target bucket is built from: plain values, resolved. */
export interface AccessLogsBucketPolicyInput {
    /** `arn:<partition>:s3:::<bucket>` of the log bucket. */
    bucketArn: string;
    /** The account the log bucket is in: S3 delivers to it only logs of this account's buckets. */
    accountId: string;
    /** ARNs of the buckets whose logs it takes; empty: any bucket of the account. */
    sourceBucketArns: readonly string[];
    /** Lowest TLS version accepted. */
    minimumTlsVersion: "1.2" | "1.3";
}

/** Stable statement ids of the log bucket's policy; the README explains each one. */
export const ACCESS_LOGS_BUCKET_POLICY_SIDS: Readonly<Record<keyof typeof TRANSPORT_SIDS | "allowLogDelivery", string>> = {
    ...TRANSPORT_SIDS,
    allowLogDelivery: "AllowServerAccessLogDelivery",
};

/** The service principal of S3 server access logging. */
export const LOGGING_SERVICE = "logging.s3.amazonaws.com";

/**
 * Builds the policy of a bucket that receives S3 server access logs: TLS only, as every bucket of
 * this library, and the logging service may put objects only for this account's buckets
 * (`aws:SourceAccount`) and, when they are named, only for those (`aws:SourceArn`). With ACLs
 * disabled (BucketOwnerEnforced), this policy is how S3 grants log delivery ("Enabling Amazon S3
 * server access logging", S3 User Guide).
 */
export function buildAccessLogsBucketPolicy(input: AccessLogsBucketPolicyInput): PolicyDocument {
    const sources = [...new Set(input.sourceBucketArns)];
    return {
        Version: "2012-10-17",
        Statement: [
            ...transportDenies(input.bucketArn, input.minimumTlsVersion),
            {
                Sid: ACCESS_LOGS_BUCKET_POLICY_SIDS.allowLogDelivery,
                Effect: "Allow",
                Principal: { Service: [LOGGING_SERVICE] },
                Action: ["s3:PutObject"],
                Resource: `${input.bucketArn}/*`,
                Condition: {
                    StringEquals: { "aws:SourceAccount": input.accountId },
                    ...(sources.length > 0 ? { ArnLike: { "aws:SourceArn": sources } } : {}),
                },
            },
        ],
    };
}
