import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";

/** The guards every bucket of this library gets. */
export interface BucketGuards {
    /** All four public access block flags on. */
    publicAccessBlock: s3.BucketPublicAccessBlock;
    /** The bucket policy. */
    policy: s3.BucketPolicy;
    /** Object ownership `BucketOwnerEnforced`: ACLs are disabled. */
    ownershipControls: s3.BucketOwnershipControls;
}

/**
 * Blocks public access, applies the bucket policy and disables ACLs, named `<name>-public-access-block`,
 * `<name>-policy` and `<name>-ownership`, in the order terraform-aws-modules' s3-bucket chains them
 * ("Chain resources (s3_bucket -> s3_bucket_public_access_block -> s3_bucket_policy)", ownership
 * controls after both, to avoid S3's OperationAborted between the three): with `blockPublicPolicy`
 * on first, no policy that grants public access can ever be applied.
 */
export function guardBucket(
    name: string,
    target: { bucket: pulumi.Input<string>; policy: pulumi.Input<string>; region: pulumi.Input<string> | undefined },
    opts: pulumi.CustomResourceOptions,
): BucketGuards {
    const { bucket, region } = target;
    const publicAccessBlock = new s3.BucketPublicAccessBlock(
        `${name}-public-access-block`,
        { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true, region },
        opts,
    );
    const policy = new s3.BucketPolicy(`${name}-policy`, { bucket, policy: target.policy, region }, { ...opts, dependsOn: [publicAccessBlock] });
    const ownershipControls = new s3.BucketOwnershipControls(
        `${name}-ownership`,
        { bucket, rule: { objectOwnership: "BucketOwnerEnforced" }, region },
        { ...opts, dependsOn: [policy, publicAccessBlock] },
    );
    return { publicAccessBlock, policy, ownershipControls };
}
