/** Type token of the component. */
export const COMPONENT_TYPE = "secure-bucket:index:SecureBucket";

/** Type tokens of the component's nine children, by role, in the order the component declares them. */
export const CHILD_TYPES = {
    bucket: "aws:s3/bucket:Bucket",
    key: "aws:kms/key:Key",
    alias: "aws:kms/alias:Alias",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    policy: "aws:s3/bucketPolicy:BucketPolicy",
} as const;
