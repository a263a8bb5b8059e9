/**
 * A bounded sample of the bucket's object versions, page by page, counted by the encryption each
 * was written with: existing objects keep it after adoption (only new writes use the new key).
 */
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { HeadObjectCommand, ListObjectVersionsCommand, S3Client } from "@aws-sdk/client-s3";

export interface EncryptionSample {
    /** Versions looked at (at most the limit). */
    sampled: number;
    /** Whether the bucket holds more versions than were sampled. */
    more: boolean;
    /** Versions not under a customer-managed KMS key, by what they are under: `SSE-S3`, `aws/s3 (AWS-managed key)`, `none`. */
    notUnderCustomerKey: Record<string, number>;
    /** Versions under a customer-managed key, by key ARN. */
    underCustomerKeys: Record<string, number>;
}

/** Samples up to `limit` versions; `onProgress` hears after each page. */
export async function sampleEncryption(
    clients: { s3: S3Client; kms: KMSClient },
    bucket: string,
    limit: number,
    onProgress: (sampled: number) => void,
): Promise<EncryptionSample> {
    const result: EncryptionSample = { sampled: 0, more: false, notUnderCustomerKey: {}, underCustomerKeys: {} };
    const managers = new Map<string, string | undefined>();
    const count = (into: Record<string, number>, what: string) => (into[what] = (into[what] ?? 0) + 1);
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (;;) {
        const page = await clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: Math.min(1000, limit - result.sampled), ...markers }));
        for (const version of page.Versions ?? []) {
            if (result.sampled >= limit) {
                result.more = true;
                break;
            }
            // The current "null" version (of a bucket never versioned) is the object itself: moto refuses
            // VersionId=null, which AWS accepts, so it is asked for without one.
            const VersionId = version.VersionId === "null" && version.IsLatest === true ? undefined : version.VersionId;
            const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: version.Key, VersionId }));
            result.sampled++;
            if (head.ServerSideEncryption === "aws:kms" || head.ServerSideEncryption === "aws:kms:dsse") {
                const key = head.SSEKMSKeyId ?? "";
                if (!managers.has(key)) managers.set(key, (await clients.kms.send(new DescribeKeyCommand({ KeyId: key }))).KeyMetadata?.KeyManager);
                if (managers.get(key) === "CUSTOMER") count(result.underCustomerKeys, key);
                else count(result.notUnderCustomerKey, "aws/s3 (AWS-managed key)");
            } else count(result.notUnderCustomerKey, head.ServerSideEncryption === "AES256" ? "SSE-S3" : "none");
        }
        onProgress(result.sampled);
        if (page.IsTruncated !== true) return result;
        if (result.sampled >= limit) return { ...result, more: true };
        markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
}
