import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { accessLogsBucketFacts } from "./accessLogsBucket";
import { guardBucket } from "./bucketGuards";
import { deferredChecks } from "./deferredChecks";
import { callerIdentity, deployerArn, partitionOf, regionOf } from "./deploymentFacts";
import { buildBucketPolicy } from "./policies/bucketPolicy";
import { withExtraStatements } from "./policies/extraStatements";
import { buildKeyPolicy } from "./policies/keyPolicy";
import { BUCKET_POLICY_MAX_BYTES } from "./policies/policyDocument";
import { SecureBucketArgs } from "./secureBucketArgs";
import { LOGGING_INTO_ITSELF } from "./rules/bucketName";
import { logDeliveryProblem } from "./rules/logSource";
import { deployerProblem } from "./rules/principalArn";
import { checkDeployment, SecureBucketArgumentError, validateSecureBucketArgs } from "./validateArgs";

/** Type token of the component: the `<package>:index:<Type>` form Pulumi's packaging accepts. */
export const SECURE_BUCKET_TYPE = "secure-bucket:index:SecureBucket";

/** AWS's size limit of a key policy, in bytes. */
const KEY_POLICY_MAX_BYTES = 32 * 1024;
/** Longest an auto-named bucket's name gets: Pulumi appends "-" and 7 random characters. */
const AUTONAME_SUFFIX = "-xxxxxxx";
/** A KMS key id, as long as every one AWS assigns. */
const LONGEST_KEY_ID = "00000000-0000-0000-0000-000000000000";

/** A policy as JSON, checked against AWS's size limit for it. */
function policyJson(componentName: string, kind: string, document: object, maxBytes: number): string {
    const json = JSON.stringify(document);
    const bytes = Buffer.byteLength(json, "utf8");
    if (bytes > maxBytes) {
        throw new Error(
            `SecureBucket "${componentName}": The ${kind} would be ${bytes} bytes, over AWS's ${maxBytes}-byte limit: name fewer principals in ` +
                "administrators, readers and writers (as a reader or writer, an account root ARN covers a whole account, whose IAM policies then decide), " +
                "or fewer cloudFrontDistributions",
        );
    }
    return json;
}

/** What the library's other components (SecureBucketReplication) need of a SecureBucket beyond its outputs. */
export interface SecureBucketFacts {
    /** The component's name. */
    name: string;
    versioning: boolean;
    /** Whether Object Lock is on. */
    objectLock: boolean;
    /** The `region` argument as given: undefined for the provider's region. */
    regionArgument: pulumi.Input<string> | undefined;
    /** The region it is in. */
    region: pulumi.Output<string>;
    accountId: pulumi.Output<string>;
    partition: pulumi.Output<{ partition: string; dnsSuffix: string }>;
}

const FACTS = new WeakMap<object, SecureBucketFacts>();

/** The facts of a SecureBucket; undefined for anything else. */
export function secureBucketFacts(bucket: unknown): SecureBucketFacts | undefined {
    return typeof bucket === "object" && bucket !== null ? FACTS.get(bucket) : undefined;
}

/**
 * An S3 bucket encrypted by default with its own customer-managed KMS key, with public access
 * blocked, ACLs disabled, versioning, lifecycle rules, and bucket and key policies that grant exactly
 * the principals given and deny every upload that would escape this key.
 */
export class SecureBucket extends pulumi.ComponentResource {
    /** Physical name of the bucket (auto-named unless `bucketName` is given). */
    readonly bucketName: pulumi.Output<string>;
    /** `arn:<partition>:s3:::<bucket>`: what IAM policies of other accounts grant on. */
    readonly bucketArn: pulumi.Output<string>;
    /** ARN of the KMS key: what clients pass as `x-amz-server-side-encryption-aws-kms-key-id`. */
    readonly keyArn: pulumi.Output<string>;
    /** The key's id, as KMS assigned it. */
    readonly keyId: pulumi.Output<string>;
    /** `alias/...`: the name people know the key by (never used in policies). */
    readonly aliasName: pulumi.Output<string>;
    /** ARN of the alias. */
    readonly aliasArn: pulumi.Output<string>;
    /** The bucket policy JSON, as applied. */
    readonly bucketPolicy: pulumi.Output<string>;
    /** The key policy JSON, as applied. */
    readonly keyPolicy: pulumi.Output<string>;

    /** The customer-managed key: symmetric, rotated, protected unless `protect` is false. */
    readonly key: kms.Key;
    /** The key's alias. */
    readonly alias: kms.Alias;
    /** The bucket itself, protected unless `protect` is false. */
    readonly bucket: s3.Bucket;
    /** Object ownership `BucketOwnerEnforced`: ACLs are disabled. */
    readonly ownershipControls: s3.BucketOwnershipControls;
    /** All four public access block flags on. */
    readonly publicAccessBlock: s3.BucketPublicAccessBlock;
    /** Default encryption with the key (SSE-KMS), SSE-C blocked. */
    readonly encryption: s3.BucketServerSideEncryptionConfiguration;
    /** `Enabled`, or `Suspended` when `versioning` is false. */
    readonly versioning: s3.BucketVersioning;
    /** Lifecycle rules: abort incomplete multipart uploads, expire noncurrent versions. */
    readonly lifecycle: s3.BucketLifecycleConfiguration;
    /** The resource that applies {@link bucketPolicy}. */
    readonly policy: s3.BucketPolicy;
    /** Server access logging, when `accessLogs` is given. */
    readonly accessLogging?: s3.BucketLogging;
    /** Object Lock's default retention, when `objectLock` is given. */
    readonly objectLockConfiguration?: s3.BucketObjectLockConfiguration;
    /** The bucket's events sent to EventBridge, when `eventBridge` is true. */
    readonly notifications?: s3.BucketNotification;

    /**
     * @param name Name of the component; children are named `<name>-key`, `<name>-alias`, ... and the
     * bucket is auto-named from it unless `bucketName` is given.
     * @param args See {@link SecureBucketArgs}; every argument is validated before any child exists.
     * @param opts Resource options for the component.
     */
    constructor(name: string, args: SecureBucketArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        // Values that arrive as Outputs or Promises are validated when they resolve, before they are used.
        const { defer, holdingBackTheBucket } = deferredChecks();
        const settings = validateSecureBucketArgs(name, args, { defer });
        super(SECURE_BUCKET_TYPE, name, {}, opts);
        const child = { parent: this };
        const { region, tags } = settings;
        const component = `SecureBucket "${name}"`;
        const identity = callerIdentity(component, child);
        const partition = partitionOf(component, child);
        const regionName = regionOf(component, child, region);
        FACTS.set(this, {
            name,
            versioning: settings.versioning,
            objectLock: settings.objectLock !== undefined,
            regionArgument: region,
            region: regionName,
            accountId: identity.accountId,
            partition,
        });
        const { administrators, readers, writers } = settings;
        const principals = pulumi.output({ administrators, readers, writers });
        const distributions = pulumi.output(settings.cloudFrontDistributions);
        // The deletion guard (present with administrators) exempts the deployer, by aws:PrincipalArn:
        // for an assumed-role session, its role's ARN with the path, which getSessionContext looks up
        // with iam:GetRole. Without administrators there is no guard, and no lookup.
        const deployer =
            administrators.length > 0 ? deployerArn(component, child, identity.arn) : pulumi.output(undefined);
        type Principals = pulumi.Unwrap<typeof principals>;
        const keyPolicyFor = (
            p: { partition: string; dnsSuffix: string },
            accountId: string,
            deployerArn: string | undefined,
            r: string,
            bucketArn: string,
            resolved: Principals,
            cloudFrontDistributions: string[],
        ) =>
            policyJson(
                name,
                "key policy",
                buildKeyPolicy({ partition: p.partition, dnsSuffix: p.dnsSuffix, accountId, region: r, bucketArn, deployer: deployerArn, ...resolved, cloudFrontDistributions }),
                KEY_POLICY_MAX_BYTES,
            );
        const bucketPolicyFor = (bucketArn: string, keyArn: string, resolved: Principals, cloudFrontDistributions: string[]) =>
            policyJson(
                name,
                "bucket policy",
                withExtraStatements(
                    buildBucketPolicy({ bucketArn, keyArn, minimumTlsVersion: settings.minimumTlsVersion, ...resolved, cloudFrontDistributions }),
                    settings.extraBucketPolicyStatements,
                ),
                BUCKET_POLICY_MAX_BYTES,
            );
        // The checks only a deployment can make (the account and partition come from the credentials),
        // the policies' sizes with the longest ARNs the bucket and the key can get (the CloudFront
        // distributions, which may be built on the bucket, are not known yet), and every value checked
        // when it resolves: the bucket, which everything else is built on, waits for them all, so a bad
        // value leaves nothing half-created.
        const checkedBeforeAnyChild = pulumi
            .output({ accountId: identity.accountId, p: partition, resolved: principals, deployerArn: deployer, r: regionName, bucketName: settings.bucketName, holdingBackTheBucket })
            .apply(({ accountId, p, resolved, deployerArn, r, bucketName }): pulumi.Resource[] => {
                checkDeployment(name, resolved, { accountId, partition: p.partition });
                const problem = deployerArn === undefined ? undefined : deployerProblem(deployerArn);
                if (problem !== undefined) throw new Error(`SecureBucket "${name}": the deploying identity ${deployerArn} ${problem}`);
                const longestBucketArn = `arn:${p.partition}:s3:::${bucketName ?? `${name}${AUTONAME_SUFFIX}`}`;
                keyPolicyFor(p, accountId, deployerArn, r, longestBucketArn, resolved, []);
                bucketPolicyFor(longestBucketArn, `arn:${p.partition}:kms:${r}:${accountId}:key/${LONGEST_KEY_ID}`, resolved, []);
                return [];
            });
        // `protect: false` adds no protection; it does not strip protection the caller set on the component.
        const protectData = settings.protect ? true : undefined;
        // Adopting: Pulumi imports the existing bucket (its name is the import ID) and, by default, leaves it in place on delete,
        // with the key and alias that decrypt what was written under them: a retained bucket whose key is deleted holds objects no one can read.
        const adoption = settings.adoptExisting;
        const retained = adoption === undefined ? {} : { retainOnDelete: adoption.retainOnDelete ?? true };
        const adopted = adoption === undefined ? {} : { import: String(settings.bucketName), ...retained };

        this.bucket = new s3.Bucket(
            name,
            { bucket: settings.bucketName, forceDestroy: settings.forceDestroy, region, tags },
            { ...child, protect: protectData, dependsOn: checkedBeforeAnyChild, ...adopted },
        );
        this.bucketName = this.bucket.bucket;
        this.bucketArn = this.bucket.arn;
        const bucket = this.bucket.bucket;

        this.keyPolicy = pulumi
            .all([partition, identity.accountId, deployer, regionName, this.bucket.arn, principals, distributions])
            .apply(([p, accountId, deployerArn, r, bucketArn, resolved, cloudFront]) => keyPolicyFor(p, accountId, deployerArn, r, bucketArn, resolved, cloudFront));
        this.key = new kms.Key(
            `${name}-key`,
            {
                description: pulumi.interpolate`Encrypts the S3 bucket ${bucket} (SecureBucket ${name})`,
                keyUsage: "ENCRYPT_DECRYPT",
                customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                enableKeyRotation: true,
                rotationPeriodInDays: settings.keyRotationPeriodInDays,
                deletionWindowInDays: settings.keyDeletionWindowInDays,
                bypassPolicyLockoutSafetyCheck: false,
                policy: this.keyPolicy,
                region,
                tags,
            },
            { ...child, protect: protectData, ...retained },
        );
        this.keyArn = this.key.arn;
        this.keyId = this.key.keyId;

        this.alias = new kms.Alias(`${name}-alias`, { name: settings.aliasName, targetKeyId: this.key.keyId, region }, { ...child, ...retained });
        this.aliasName = this.alias.name;
        this.aliasArn = this.alias.arn;

        // The bucket-level calls. S3 answers `OperationAborted: A conflicting conditional operation is
        // currently in progress` when two overlap, and the AWS provider retries that error on every S3
        // call (terraform-provider-aws builds its S3 client with a retryer for it), so calls run side by
        // side unless an order is documented: the dependsOn edges below, and guardBucket's, are each one of those.
        this.versioning = new s3.BucketVersioning(
            `${name}-versioning`,
            { bucket, versioningConfiguration: { status: settings.versioning ? "Enabled" : "Suspended" }, region },
            child,
        );
        this.encryption = new s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                bucket,
                rules: [
                    {
                        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn },
                        bucketKeyEnabled: settings.bucketKeyEnabled,
                        blockedEncryptionTypes: ["SSE-C"],
                    },
                ],
                region,
            },
            child,
        );
        const noncurrentVersionTransitions = settings.noncurrentVersionTransitions.map(({ days, storageClass }) => ({ noncurrentDays: days, storageClass }));
        this.lifecycle = new s3.BucketLifecycleConfiguration(
            `${name}-lifecycle`,
            {
                bucket,
                rules: [
                    {
                        id: "abort-incomplete-multipart-uploads",
                        status: "Enabled",
                        filter: {},
                        abortIncompleteMultipartUpload: { daysAfterInitiation: settings.abortIncompleteMultipartUploadDays },
                    },
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionExpirationDays },
                        expiration: { expiredObjectDeleteMarker: true },
                        ...(noncurrentVersionTransitions.length > 0 ? { noncurrentVersionTransitions } : {}),
                    },
                    ...(settings.transitions.length > 0 ? [{ id: "transition-current-versions", status: "Enabled", filter: {}, transitions: settings.transitions }] : []),
                ],
                region,
            },
            // Rules for noncurrent versions take effect on a versioned bucket: versioning first, as the
            // provider's own documentation of this resource does it.
            { ...child, dependsOn: [this.versioning] },
        );

        this.bucketPolicy = pulumi
            .all([this.bucket.arn, this.key.arn, principals, distributions])
            .apply(([bucketArn, keyArn, resolved, cloudFront]) => bucketPolicyFor(bucketArn, keyArn, resolved, cloudFront));
        ({ publicAccessBlock: this.publicAccessBlock, policy: this.policy, ownershipControls: this.ownershipControls } = guardBucket(
            name,
            { bucket, policy: this.bucketPolicy, region },
            child,
        ));

        const { accessLogs, objectLock } = settings;
        if (accessLogs !== undefined) {
            const prefix = accessLogs.prefix ?? pulumi.interpolate`${bucket}/`;
            // An AccessLogsBucket of this program that names its sources: they must admit this bucket under its prefix.
            const admitted = accessLogsBucketFacts(args.accessLogs?.bucket)?.sources ?? [];
            const target = pulumi.all([accessLogs.bucket, bucket, prefix, admitted]).apply(([logs, own, under, sources]) => {
                if (logs === own) throw new SecureBucketArgumentError(name, [`accessLogs.bucket: ${JSON.stringify(logs)} ${LOGGING_INTO_ITSELF}`]);
                const problem = logDeliveryProblem(sources, own, under);
                if (problem !== undefined) throw new SecureBucketArgumentError(name, [`accessLogs.bucket: ${JSON.stringify(logs)} ${problem}`]);
                return logs;
            });
            this.accessLogging = new s3.BucketLogging(`${name}-access-logs`, { bucket, targetBucket: target, targetPrefix: prefix, region }, child);
        }
        if (objectLock !== undefined) {
            const { mode, days, years } = objectLock;
            // Never objectLockEnabled on the bucket, which would replace it: this enables Object Lock on
            // the existing bucket. S3 refuses it on a bucket whose versioning is not on yet (InvalidBucketState).
            this.objectLockConfiguration = new s3.BucketObjectLockConfiguration(
                `${name}-object-lock`,
                { bucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode, days, years } }, region },
                { ...child, dependsOn: [this.versioning] },
            );
        }
        if (settings.eventBridge) this.notifications = new s3.BucketNotification(`${name}-notifications`, { bucket, eventbridge: true, region }, child);

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
