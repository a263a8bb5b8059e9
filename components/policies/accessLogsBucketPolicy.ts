import { PolicyDocument, PolicyStatement } from "./policyDocument";
import { TRANSPORT_SIDS, transportDenies } from "./transport";

/** What the policy of an access-log target bucket is built from: plain values, resolved. */
export interface AccessLogsBucketPolicyInput {
    /** `arn:<partition>:s3:::<bucket>` of the log bucket. */
    bucketArn: string;
    /** The account the log bucket is in: S3 delivers to it only logs of this account's buckets. */
    accountId: string;
    /**
     * The buckets whose logs it takes, each by its ARN and the key prefix its logs arrive under;
     * empty: any bucket of the account, under any key.
     */
    sources: readonly { bucketArn: string; prefix: string }[];
    /** Lowest TLS version accepted. */
    minimumTlsVersion: "1.2" | "1.3";
}

/** Stable statement ids of the log bucket's policy; the README explains each one. */
export const ACCESS_LOGS_BUCKET_POLICY_SIDS: Readonly<Record<keyof typeof TRANSPORT_SIDS | "allowLogDelivery", string>> = {
    ...TRANSPORT_SIDS,
    allowLogDelivery: "AllowServerAccessLogDelivery",
};

/** Sid of the delivery statement of the n-th source (from 1, in the order given): one statement per source. */
export function logDeliverySid(n: number): string {
    return `${ACCESS_LOGS_BUCKET_POLICY_SIDS.allowLogDelivery}FromSource${n}`;
}

/** The service principal of S3 server access logging. */
export const LOGGING_SERVICE = "logging.s3.amazonaws.com";

/**
 * Builds the policy of a bucket that receives S3 server access logs: TLS only, as every bucket of
 * this library, and the logging service may put objects only for this account's buckets
 * (`aws:SourceAccount`). When sources are named, each gets a statement of its own: only for that
 * bucket (`aws:SourceArn`) and only under its own prefix (`<log bucket>/<prefix>*`), so no source
 * writes under another's. Without sources, any bucket of the account may deliver under any key. With
 * ACLs disabled (BucketOwnerEnforced), this policy is how S3 grants log delivery ("Enabling Amazon S3
 * server access logging", S3 User Guide).
 */
export function buildAccessLogsBucketPolicy(input: AccessLogsBucketPolicyInput): PolicyDocument {
    const delivery = (Sid: string, prefix: string, sourceArn?: string): PolicyStatement => ({
        Sid,
        Effect: "Allow",
        Principal: { Service: [LOGGING_SERVICE] },
        Action: ["s3:PutObject"],
        Resource: `${input.bucketArn}/${prefix}*`,
        Condition: { StringEquals: { "aws:SourceAccount": input.accountId }, ...(sourceArn === undefined ? {} : { ArnLike: { "aws:SourceArn": sourceArn } }) },
    });
    const unique = [...new Map(input.sources.map((source) => [JSON.stringify([source.bucketArn, source.prefix]), source])).values()];
    return {
        Version: "2012-10-17",
        Statement: [
            ...transportDenies(input.bucketArn, input.minimumTlsVersion),
            ...(unique.length === 0
                ? [delivery(ACCESS_LOGS_BUCKET_POLICY_SIDS.allowLogDelivery, "")]
                : unique.map((source, i) => delivery(logDeliverySid(i + 1), source.prefix, source.bucketArn))),
        ],
    };
}
