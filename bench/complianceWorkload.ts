/**
 * The program the compliance check is measured on: 40 resources of every kind the rules join, from
 * this package's components and raw ones: an AccessLogsBucket, a SecureBucket with its opt-ins
 * logging into it, a replica SecureBucket and the replication between them, and a raw bucket with its
 * key and settings declared resource by resource.
 */
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import { AccessLogsBucket, SecureBucket, SecureBucketReplication } from "../components";

export function fortyResourceProgram(): object {
    const account = "111111111111";
    const admins = [`arn:aws:iam::${account}:role/platform-admin`];
    const logs = new AccessLogsBucket("logs");
    const data = new SecureBucket("data", { administrators: admins, readers: [`arn:aws:iam::${account}:role/app`], accessLogs: { bucket: logs.bucketName }, eventBridge: true });
    const replica = new SecureBucket("replica", { region: "us-east-1", administrators: admins });
    new SecureBucketReplication("replication", { source: data, destination: replica });
    const raw = new s3.Bucket("raw", {});
    const key = new kms.Key("raw-key", { enableKeyRotation: true });
    new s3.BucketServerSideEncryptionConfiguration("raw-sse", { bucket: raw.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }] });
    new s3.BucketPublicAccessBlock("raw-pab", { bucket: raw.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new s3.BucketVersioning("raw-versioning", { bucket: raw.bucket, versioningConfiguration: { status: "Enabled" } });
    new s3.BucketOwnershipControls("raw-ownership", { bucket: raw.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    return {};
}
