/**
 * Cross-region replication (Security Hub S3.7): the data bucket in Ireland replicated into a
 * SecureBucket of the same account in Virginia, each encrypted with its own key. Use it as a Pulumi
 * program of your own (`export = replicationExample();` in its index.ts, with this library
 * installed), or read what it would create in replication.plan.txt (`npm run plan:examples`).
 */
import { SecureBucket, SecureBucketReplication } from "../components";

export function replicationExample(): object {
    const account = "111111111111";
    const data = new SecureBucket("data", {
        region: "eu-west-1",
        administrators: [`arn:aws:iam::${account}:role/platform-admin`],
        readers: [`arn:aws:iam::${account}:role/app`],
        writers: [`arn:aws:iam::${account}:role/app`],
    });
    // The replica: read-only for the disaster-recovery role, its own key in its own region.
    const replica = new SecureBucket("data-replica", {
        region: "us-east-1",
        administrators: [`arn:aws:iam::${account}:role/platform-admin`],
        readers: [`arn:aws:iam::${account}:role/disaster-recovery`],
    });
    const replication = new SecureBucketReplication("data-replication", {
        source: data,
        destination: replica,
        storageClass: "STANDARD_IA",
        replicationTimeControl: true,
    });
    return { source: data.bucketName, replica: replica.bucketName, replicationRole: replication.roleArn, replicationPolicy: replication.rolePolicy };
}
