import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { getSessionContextOutput } from "@pulumi/aws/iam/getSessionContext";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { buildBucketPolicy } from "./policies/bucketPolicy";
import { buildKeyPolicy } from "./policies/keyPolicy";
import { SecureBucketArgs } from "./secureBucketArgs";
import { checkDeployment, validateSecureBucketArgs } from "./validateArgs";

/** Type token of the component: the `<package>:index:<Type>` form Pulumi's packaging accepts. */
export const SECURE_BUCKET_TYPE = "secure-bucket:index:SecureBucket";

/** Size limits AWS puts on the documents (bytes). */
const KEY_POLICY_MAX_BYTES = 32 * 1024;
const BUCKET_POLICY_MAX_BYTES = 20 * 1024;

function policyJson(kind: string, document: object, maxBytes: number): string {
    const json = JSON.stringify(document);
    const bytes = Buffer.byteLength(json, "utf8");
    if (bytes > maxBytes) {
        throw new Error(
            `The ${kind} would be ${bytes} bytes, over AWS's ${maxBytes}-byte limit: name fewer principals in ` +
                "administrators, readers and writers (as a reader or writer, an account root ARN covers a whole account, whose IAM policies then decide)",
        );
    }
    return json;
}

/**
 * An S3 bucket encrypted by default with its own customer-managed KMS key, with public access
 * blocked, ACLs disabled, versioning, lifecycle rules, and bucket and key policies that grant exactly
 * the principals given and deny every upload that would escape this key.
 */
export class SecureBucket extends pulumi.ComponentResource {
    /** Physical name of the bucket. */
    readonly bucketName: pulumi.Output<string>;
    /** ARN of the bucket. */
    readonly bucketArn: pulumi.Output<string>;
    /** ARN of the KMS key: what clients pass as `x-amz-server-side-encryption-aws-kms-key-id`. */
    readonly keyArn: pulumi.Output<string>;
    /** ID of the KMS key. */
    readonly keyId: pulumi.Output<string>;
    /** Name of the alias, `alias/...`. */
    readonly aliasName: pulumi.Output<string>;
    /** ARN of the alias. */
    readonly aliasArn: pulumi.Output<string>;
    /** The bucket policy JSON, as applied. */
    readonly bucketPolicy: pulumi.Output<string>;
    /** The key policy JSON, as applied. */
    readonly keyPolicy: pulumi.Output<string>;

    /** The customer-managed KMS key. */
    readonly key: kms.Key;
    /** The key's alias. */
    readonly alias: kms.Alias;
    /** The bucket. */
    readonly bucket: s3.Bucket;
    /** Object ownership `BucketOwnerEnforced`: ACLs are disabled. */
    readonly ownershipControls: s3.BucketOwnershipControls;
    /** All four public access block flags on. */
    readonly publicAccessBlock: s3.BucketPublicAccessBlock;
    /** Default encryption with the key (SSE-KMS), SSE-C blocked. */
    readonly encryption: s3.BucketServerSideEncryptionConfiguration;
    /** Versioning. */
    readonly versioning: s3.BucketVersioning;
    /** Lifecycle rules: abort incomplete multipart uploads, expire noncurrent versions. */
    readonly lifecycle: s3.BucketLifecycleConfiguration;
    /** The bucket policy resource. */
    readonly policy: s3.BucketPolicy;

    /**
     * @param name Name of the component; children are named `<name>-key`, `<name>-alias`, ... and the
     * bucket is auto-named from it unless `bucketName` is given.
     * @param args See {@link SecureBucketArgs}; every argument is validated before any child exists.
     * @param opts Resource options for the component.
     */
    constructor(name: string, args: SecureBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        // Values that arrive as Outputs or Promises are validated when they resolve, before they are used.
        const deferred: pulumi.Output<unknown>[] = [];
        const a = validateSecureBucketArgs(name, args, {
            defer: <T>(value: pulumi.Input<T>, check: (resolved: unknown) => void) => {
                if (!pulumi.Output.isInstance(value) && !(value instanceof Promise)) return undefined;
                const checked = pulumi.output(value).apply((resolved) => {
                    check(resolved);
                    return resolved;
                });
                deferred.push(checked);
                return checked as pulumi.Input<T>;
            },
        });
        super(SECURE_BUCKET_TYPE, name, {}, opts);
        const child = { parent: this };
        const region = a.region;
        const identity = getCallerIdentityOutput({}, child);
        const partition = getPartitionOutput({}, child);
        // aws:PrincipalArn of the deployer: for an assumed-role session, the role's ARN with its path.
        const deployer = getSessionContextOutput({ arn: identity.arn }, child).issuerArn;
        // The checks only a deployment can make (the account and partition are known from the
        // credentials), and every value checked when it resolves: the bucket, which everything else
        // is built on, waits for them all, so a bad value leaves nothing half-created.
        const checkedBeforeAnyChild = pulumi
            .all([identity.accountId, partition.partition, a.administrators, a.readers, a.writers, ...deferred])
            .apply(([accountId, p, administrators, readers, writers]): pulumi.Resource[] => {
                checkDeployment(name, { administrators, readers, writers }, { accountId, partition: p });
                return [];
            });
        const regionName = region === undefined ? getRegionOutput({}, child).region : pulumi.output(region);
        const tags = a.tags;
        // `protect: false` adds no protection; it does not strip protection the caller set on the component.
        const protectData = a.protect ? true : undefined;

        this.bucket = new s3.Bucket(
            name,
            { bucket: a.bucketName, forceDestroy: a.forceDestroy, region, tags },
            { ...child, protect: protectData, dependsOn: checkedBeforeAnyChild },
        );
        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;

        this.keyPolicy = pulumi
            .all([partition, identity.accountId, deployer, regionName, this.bucket.arn, a.administrators, a.readers, a.writers])
            .apply(([p, accountId, deployerArn, r, bucketArn, administrators, readers, writers]) =>
                policyJson(
                    "key policy",
                    buildKeyPolicy({
                        partition: p.partition,
                        dnsSuffix: p.dnsSuffix,
                        accountId,
                        region: r,
                        bucketArn,
                        deployer: deployerArn,
                        administrators,
                        readers,
                        writers,
                    }),
                    KEY_POLICY_MAX_BYTES,
                ),
            );
        this.key = new kms.Key(
            `${name}-key`,
            {
                description: pulumi.interpolate`Encrypts the S3 bucket ${this.bucket.bucket} (SecureBucket ${name})`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: a.keyRotationPeriodInDays,
                deletionWindowInDays: a.keyDeletionWindowInDays,
                bypassPolicyLockoutSafetyCheck: false,
                policy: this.keyPolicy,
                region,
                tags,
            },
            { ...child, protect: protectData },
        );
        this.keyArn = this.key.arn;
        this.keyId = this.key.keyId;

        this.alias = new kms.Alias(`${name}-alias`, { name: a.aliasName, targetKeyId: this.key.keyId, region }, child);
        this.aliasName = this.alias.name;
        this.aliasArn = this.alias.arn;

        this.ownershipControls = new s3.BucketOwnershipControls(
            `${name}-ownership`,
            { bucket: this.bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" }, region },
            child,
        );
        // Bucket-level configuration calls are chained: run together, S3 answers OperationAborted.
        this.publicAccessBlock = new s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            {
                bucket: this.bucket.bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
                region,
            },
            { ...child, dependsOn: [this.ownershipControls] },
        );
        this.encryption = new s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket: this.bucket.bucket,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
                        bucketKeyEnabled: a.bucketKeyEnabled,
                        blockedEncryptionTypes: ["SSE-C"],
                    },
                ],
                region,
            },
            { ...child, dependsOn: [this.publicAccessBlock] },
        );
        this.versioning = new s3.BucketVersioning(
            `${name}-versioning`,
            { bucket: this.bucket.bucket, versioningConfiguration: { status: a.versioning ? "Enabled" : "Suspended" }, region },
            { ...child, dependsOn: [this.encryption] },
        );
        this.lifecycle = new s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket: this.bucket.bucket,
                rules: [
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: {},
                        abortIncompleteMultipartUpload: { daysAfterInitiation: a.abortIncompleteMultipartUploadDays },
                    },
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: a.noncurrentVersionExpirationDays },
                        expiration: { expiredObjectDeleteMarker: true },
                    },
                ],
                region,
            },
            { ...child, dependsOn: [this.versioning] },
        );

        this.bucketPolicy = pulumi
            .all([this.bucket.arn, this.key.arn, a.readers, a.writers])
            .apply(([bucketArn, keyArn, readers, writers]) =>
                policyJson(
                    "bucket policy",
                    buildBucketPolicy({ bucketArn, keyArn, minimumTlsVersion: a.minimumTlsVersion, readers, writers }),
                    BUCKET_POLICY_MAX_BYTES,
                ),
            );
        this.policy = new s3.BucketPolicy(
            `${name}-policy`,
            { bucket: this.bucket.bucket, policy: this.bucketPolicy, region },
            { ...child, dependsOn: [this.lifecycle] },
        );

        this.registerOutputs({
            bucketName: this.bucketName,
            bucketArn: this.bucketArn,
            keyArn: this.keyArn,
            keyId: this.keyId,
            aliasName: this.aliasName,
            aliasArn: this.aliasArn,
            bucketPolicy: this.bucketPolicy,
            keyPolicy: this.keyPolicy,
        });
    }
}
