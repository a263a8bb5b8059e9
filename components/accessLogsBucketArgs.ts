import type * as pulumi from "@pulumi/pulumi";
import type { TlsVersion } from "./secureBucketArgs";

/**
 * The arguments of an `AccessLogsBucket` that have no default value: leaving one out means
 * something of its own (Pulumi auto-names the bucket, the provider's region applies).
 */
export interface AccessLogsBucketOptionalArgs {
    /**
     * Physical name of the bucket. Checked against the S3 naming rules; dotted names are refused.
     * @default Pulumi auto-naming: the component's name and a random suffix
     */
    bucketName?: pulumi.Input<string>;
    /**
     * Region of every child. S3 delivers logs only to a bucket in the source bucket's region. One
     * that `@pulumi/aws` lists, or in `unlistedRegions`.
     * @default the provider's region
     */
    region?: pulumi.Input<string>;
}

/**
 * The arguments of an `AccessLogsBucket`: the target of S3 server access logs, done right.
 * Every option is safe by default.
 */
export interface AccessLogsBucketArgs extends AccessLogsBucketOptionalArgs {
    /**
     * Regions to accept that the installed `@pulumi/aws` does not list yet: a region AWS launched
     * after that version (upgrading `@pulumi/aws` is the lasting fix). `region` must otherwise be one
     * that `@pulumi/aws` lists; each name here must be shaped like a region name (`ap-east-3`).
     * @default []
     */
    unlistedRegions?: string[];
    /**
     * The buckets whose logs it takes, each only under its own key prefix: the logging service may
     * then deliver only for them (`aws:SourceArn`), and each only under its prefix, not another's.
     * An entry is `"<bucket>"`, whose logs arrive under `"<bucket>/"` (SecureBucket's default
     * `accessLogs.prefix`), or `"<bucket>/<prefix>"` for a bucket whose `accessLogs.prefix` is
     * `<prefix>` (everything after the first '/'; not empty). May be Outputs of buckets that log into
     * this one. A SecureBucket of the same program whose `accessLogs.bucket` is this one's
     * `bucketName` is refused at deploy time when its entry is missing or its prefix differs.
     * @default [] (any bucket of this account may deliver its logs here, under any key)
     */
    sourceBuckets?: pulumi.Input<string>[];
    /**
     * Days a log object is kept before it expires, 1 or more: a year spans an annual audit.
     * @default 365
     */
    retentionDays?: number;
    /**
     * Days a log object is kept after it was overwritten or deleted (versioning keeps it), 1 or more.
     * @default 30
     */
    noncurrentVersionExpirationDays?: number;
    /**
     * Lowest TLS version the bucket accepts: "1.2" or "1.3" (with the same PrivateLink caveat as SecureBucket's).
     * @default "1.2"
     */
    minimumTlsVersion?: TlsVersion;
    /**
     * Let `pulumi destroy` delete the bucket with the logs in it.
     * @default false
     */
    forceDestroy?: boolean;
    /**
     * Pulumi `protect` on the bucket.
     * @default true
     */
    protect?: boolean;
    /**
     * Tags for the bucket, with SecureBucket's rules.
     * @default {}
     */
    tags?: Record<string, pulumi.Input<string>>;
}

/** The arguments after validation: defaults filled in, the optional ones undefined when not given. */
export type ValidatedAccessLogsBucketArgs = {
    [K in keyof Required<AccessLogsBucketArgs>]: K extends keyof AccessLogsBucketOptionalArgs
        ? AccessLogsBucketArgs[K] | undefined
        : Exclude<AccessLogsBucketArgs[K], undefined>;
};
