import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogsBucketArgs } from "./accessLogsBucketArgs";
import { ACCESS_LOGS_BUCKET_ARGUMENTS } from "./arguments";
import { guardBucket } from "./bucketGuards";
import { deferredChecks } from "./deferredChecks";
import { callerIdentity, partitionOf } from "./deploymentFacts";
import { buildAccessLogsBucketPolicy } from "./policies/accessLogsBucketPolicy";
import { BUCKET_POLICY_MAX_BYTES } from "./policies/policyDocument";
import { LogSource, logSourceOverlaps, parseLogSource } from "./rules/logSource";
import { describeValue, SecureBucketArgumentError, validateArguments } from "./validateArgs";

/** Type token of the component. */
export const ACCESS_LOGS_BUCKET_TYPE = "secure-bucket:index:AccessLogsBucket";

/** What a SecureBucket logging into an AccessLogsBucket needs to know of it: the sources it admits. */
export interface AccessLogsBucketFacts {
    /** Its `sourceBuckets`, parsed; empty when any bucket of the account may deliver. */
    sources: pulumi.Output<LogSource[]>;
}

/** Keyed by each AccessLogsBucket's `bucketName` Output: the value a SecureBucket's `accessLogs.bucket` is given. */
const LOG_BUCKETS = new WeakMap<object, AccessLogsBucketFacts>();

/**
 * The facts of the AccessLogsBucket whose `bucketName` this is (the very Output), or undefined: for a
 * bucket named by a string, or by another stack's output, which cannot be checked.
 */
export function accessLogsBucketFacts(bucketName: unknown): AccessLogsBucketFacts | undefined {
    return typeof bucketName === "object" && bucketName !== null ? LOG_BUCKETS.get(bucketName) : undefined;
}

/**
 * The target of S3 server access logs, done right: public access blocked, ACLs disabled, TLS only,
 * versioning, a retention lifecycle, and a bucket policy that lets the S3 logging service deliver
 * only for this account's buckets (and, when they are named, only for those, each under its own
 * prefix). Encrypted with SSE-S3, the default encryption AWS documents for log targets, and without
 * Object Lock, to which S3 cannot deliver logs ("Enabling Amazon S3 server access logging", S3 User
 * Guide).
 */
export class AccessLogsBucket extends pulumi.ComponentResource {
    /** Physical name of the bucket: what a SecureBucket's `accessLogs.bucket` names. */
    readonly bucketName: pulumi.Output<string>;
    /** `arn:<partition>:s3:::<bucket>`. */
    readonly bucketArn: pulumi.Output<string>;
    /** The bucket policy JSON, as applied. */
    readonly bucketPolicy: pulumi.Output<string>;

    /** The bucket itself, protected unless `protect` is false. */
    readonly bucket: s3.Bucket;
    /** All four public access block flags on. */
    readonly publicAccessBlock: s3.BucketPublicAccessBlock;
    /** SSE-S3 by default, SSE-C blocked. */
    readonly encryption: s3.BucketServerSideEncryptionConfiguration;
    /** `Enabled`. */
    readonly versioning: s3.BucketVersioning;
    /** Logs expire after `retentionDays`, their old versions `noncurrentVersionExpirationDays` later. */
    readonly lifecycle: s3.BucketLifecycleConfiguration;
    /** The resource that applies {@link bucketPolicy}. */
    readonly policy: s3.BucketPolicy;
    /** Object ownership `BucketOwnerEnforced`: ACLs are disabled, so the policy grants delivery. */
    readonly ownershipControls: s3.BucketOwnershipControls;

    /**
     * @param name Name of the component; children are named `<name>-policy`, ... and the bucket is
     * auto-named from it unless `bucketName` is given.
     * @param args See {@link AccessLogsBucketArgs}; every argument is validated before any child exists.
     * @param opts Resource options for the component.
     */
    constructor(name: string, args: AccessLogsBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const { defer, holdingBackTheBucket } = deferredChecks();
        const settings = validateArguments("AccessLogsBucket", ACCESS_LOGS_BUCKET_ARGUMENTS, name, args, { defer });
        super(ACCESS_LOGS_BUCKET_TYPE, name, {}, opts);
        const child = { parent: this };
        const { region, tags } = settings;
        const component = `AccessLogsBucket "${name}"`;
        const identity = callerIdentity(component, child);
        const partition = partitionOf(component, child).partition;

        this.bucket = new s3.Bucket(
            name,
            { bucket: settings.bucketName, forceDestroy: settings.forceDestroy, region, tags },
            { ...child, protect: settings.protect ? true : undefined, dependsOn: pulumi.all(holdingBackTheBucket).apply((): pulumi.Resource[] => []) },
        );
        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        const bucket = this.bucket.bucket;

        this.versioning = new s3.BucketVersioning(`${name}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" }, region }, child);
        this.encryption = new s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, blockedEncryptionTypes: ["SSE-C"] }], region },
            child,
        );
        this.lifecycle = new s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket,
                rules: [
                    { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: settings.retentionDays } },
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
                region,
            },
            { ...child, dependsOn: [this.versioning] },
        );
        const entries = pulumi.output(settings.sourceBuckets);
        const sources = entries.apply((resolved) => resolved.map(parseLogSource));
        LOG_BUCKETS.set(this.bucketName, { sources });
        this.bucketPolicy = pulumi
            .all([this.bucket.arn, identity.accountId, partition, entries, sources])
            .apply(([bucketArn, accountId, p, resolved, parsed]) => {
                // Plain entries were checked for overlaps at construction; those involving an Output only now.
                const problems = logSourceOverlaps(resolved, "sourceBuckets").map(({ index, problem }) => `sourceBuckets[${index}]: ${describeValue(resolved[index])} ${problem}`);
                const json = JSON.stringify(
                    buildAccessLogsBucketPolicy({
                        bucketArn,
                        accountId,
                        sources: parsed.map(({ bucket, prefix }) => ({ bucketArn: `arn:${p}:s3:::${bucket}`, prefix })),
                        minimumTlsVersion: settings.minimumTlsVersion,
                    }),
                );
                const bytes = Buffer.byteLength(json, "utf8");
                if (bytes > BUCKET_POLICY_MAX_BYTES) {
                    problems.push(
                        `sourceBuckets: ${resolved.length} entries would make the bucket policy ${bytes} bytes, over AWS's ${BUCKET_POLICY_MAX_BYTES}-byte limit (each source has a statement of its own): name fewer, or none to admit every bucket of the account`,
                    );
                }
                if (problems.length > 0) throw new SecureBucketArgumentError(name, problems, "AccessLogsBucket");
                return json;
            });
        ({ publicAccessBlock: this.publicAccessBlock, policy: this.policy, ownershipControls: this.ownershipControls } = guardBucket(
            name,
            { bucket, policy: this.bucketPolicy, region },
            child,
        ));

        this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, bucketPolicy: this.bucketPolicy });
    }
}
