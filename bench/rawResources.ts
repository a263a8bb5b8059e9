/**
 * The baseline of the program-cost benchmark: the same nine resources and the same inputs as one
 * SecureBucket, declared directly with @pulumi/aws. No component, no validation, no size checks.
 */
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { getSessionContextOutput } from "@pulumi/aws/iam/getSessionContext";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { buildBucketPolicy } from "../components/policies/bucketPolicy";
import { buildKeyPolicy } from "../components/policies/keyPolicy";
import type { BenchArgs } from "./workload";

/** Declares one bucket's resources without the component; returns what must settle. */
export function rawBucket(name: string, args: BenchArgs): pulumi.Output<unknown>[] {
    const identity = getCallerIdentityOutput({});
    const partition = getPartitionOutput({});
    const region = getRegionOutput({}).region;
    const deployer = getSessionContextOutput({ arn: identity.arn }).issuerArn;
    const bucket = new s3.Bucket(name, { forceDestroy: false, tags: {} }, { protect: true });
    const keyPolicy = pulumi
        .all([partition, identity.accountId, deployer, region, bucket.arn])
        .apply(([p, accountId, deployerArn, r, bucketArn]) =>
            JSON.stringify(
                buildKeyPolicy({ partition: p.partition, dnsSuffix: p.dnsSuffix, accountId, region: r, bucketArn, deployer: deployerArn, ...args }),
            ),
        );
    const key = new kms.Key(
        `${name}-key`,
        {
            description: pulumi.interpolate`Encrypts the S3 bucket ${bucket.bucket} (SecureBucket ${name})`,
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            enableKeyRotation: true,
            rotationPeriodInDays: 365,
            deletionWindowInDays: 30,
            bypassPolicyLockoutSafetyCheck: false,
            policy: keyPolicy,
            tags: {},
        },
        { protect: true },
    );
    const alias = new kms.Alias(`${name}-alias`, { name: `alias/${name}`, targetKeyId: key.keyId });
    const pab = new s3.BucketPublicAccessBlock(`${name}-public-access-block`, {
        bucket: bucket.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });
    const versioning = new s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.bucket, versioningConfiguration: { status: "Enabled" } });
    const encryption = new s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
        bucket: bucket.bucket,
        rules: [
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
                bucketKeyEnabled: true,
                blockedEncryptionTypes: ["SSE-C"],
            },
        ],
    });
    const lifecycle = new s3.BucketLifecycleConfiguration(
        `${name}-lifecycle`,
        {
            bucket: bucket.bucket,
            rules: [
                { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: {},
                    noncurrentVersionExpiration: { noncurrentDays: 365 },
                    expiration: { expiredObjectDeleteMarker: true },
                },
            ],
        },
        { dependsOn: [versioning] },
    );
    const bucketPolicy = pulumi
        .all([bucket.arn, key.arn])
        .apply(([bucketArn, keyArn]) =>
            JSON.stringify(buildBucketPolicy({ bucketArn, keyArn, minimumTlsVersion: "1.2", readers: args.readers, writers: args.writers })),
        );
    const policy = new s3.BucketPolicy(`${name}-policy`, { bucket: bucket.bucket, policy: bucketPolicy }, { dependsOn: [pab] });
    const ownership = new s3.BucketOwnershipControls(
        `${name}-ownership`,
        { bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
        { dependsOn: [policy, pab] },
    );
    return [bucket.urn, key.urn, alias.urn, ownership.urn, pab.urn, encryption.urn, versioning.urn, lifecycle.urn, policy.urn];
}
