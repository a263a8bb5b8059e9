/**
 * What an existing bucket holds, read with the AWS SDK before adopting it: everything verify reads
 * (Object Lock and every notification target among it), and what adoption can keep or lose (tags,
 * CORS, replication, ACL grants), and whose key encrypts it by default.
 */
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import {
    GetBucketAclCommand,
    GetBucketCorsCommand,
    GetBucketReplicationCommand,
    GetBucketTaggingCommand,
    paginateListBuckets,
    S3Client,
} from "@aws-sdk/client-s3";
import { AwsClients, orAbsent } from "../verify/clients";
import { LiveBucket, readLiveBucket } from "../verify/live";

export interface ExistingBucket extends LiveBucket {
    tags: Record<string, string>;
    corsRules: number;
    replicationRules: number;
    /** Grants to anyone but the bucket owner: ACLs stop counting under BucketOwnerEnforced. */
    aclGrantsToOthers: string[];
    /** Who manages the default encryption's KMS key: `CUSTOMER`, `AWS`, or undefined without one. */
    defaultKeyManager?: string;
}

/** Whether `bucket` is one of the caller's account's buckets (ListBuckets lists only those), page by page. */
export async function ownedByCaller(s3: S3Client, bucket: string): Promise<boolean> {
    for await (const page of paginateListBuckets({ client: s3 }, { Prefix: bucket })) {
        if ((page.Buckets ?? []).some((b) => b.Name === bucket)) return true;
    }
    return false;
}

/** Reads everything adopt reports about `bucket`. */
export async function inspectBucket(clients: AwsClients, bucket: string): Promise<ExistingBucket> {
    const { s3 } = clients;
    const Bucket = bucket;
    const [live, tagging, cors, replication, acl] = await Promise.all([
        readLiveBucket(clients, bucket),
        orAbsent(s3.send(new GetBucketTaggingCommand({ Bucket })), ["NoSuchTagSet"], null),
        orAbsent(s3.send(new GetBucketCorsCommand({ Bucket })), ["NoSuchCORSConfiguration"], null),
        orAbsent(s3.send(new GetBucketReplicationCommand({ Bucket })), ["ReplicationConfigurationNotFoundError"], null),
        s3.send(new GetBucketAclCommand({ Bucket })),
    ]);
    const keyId = live.encryption?.kmsMasterKeyId;
    const defaultKeyManager =
        typeof keyId === "string" ? (await clients.kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyManager : undefined;
    const owner = acl.Owner?.ID;
    return {
        ...live,
        tags: Object.fromEntries((tagging?.TagSet ?? []).flatMap((t) => (t.Key === undefined ? [] : [[t.Key, t.Value ?? ""]]))),
        corsRules: cors?.CORSRules?.length ?? 0,
        replicationRules: replication?.ReplicationConfiguration?.Rules?.length ?? 0,
        aclGrantsToOthers: (acl.Grants ?? [])
            .filter((g) => g.Grantee?.ID === undefined || g.Grantee.ID !== owner)
            .map((g) => `${g.Permission ?? "?"} to ${g.Grantee?.URI ?? g.Grantee?.EmailAddress ?? g.Grantee?.ID ?? "?"}`),
        defaultKeyManager,
    };
}
