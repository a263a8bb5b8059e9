import { existingBucketNameProblem } from "./bucketName";

/** A bucket whose server access logs an AccessLogsBucket takes, and the key prefix they arrive under. */
export interface LogSource {
    bucket: string;
    /** The source's `accessLogs.prefix`: its logs are delivered as `<prefix><date>-<id>` (or under it, partitioned). */
    prefix: string;
}

/** What a `sourceBuckets` entry looks like, quoted in every error message about one. */
export const LOG_SOURCE_FORMAT =
    '"<source bucket>" (its logs under "<source bucket>/", SecureBucket\'s default prefix) or "<source bucket>/<prefix>" (its accessLogs.prefix, after the first \'/\')';

/** At most as long as a SecureBucket's `accessLogs.prefix`. */
const MAX_PREFIX_LENGTH = 512;

/** The bucket and the prefix of a `sourceBuckets` entry (already valid: see {@link logSourceProblem}). */
export function parseLogSource(entry: string): LogSource {
    const slash = entry.indexOf("/");
    return slash === -1 ? { bucket: entry, prefix: `${entry}/` } : { bucket: entry.slice(0, slash), prefix: entry.slice(slash + 1) };
}

/**
 * What is wrong with a `sourceBuckets` entry, or undefined. A bucket name holds no '/', so the first
 * one separates the bucket from its prefix. The prefix becomes the end of the delivery statement's
 * `Resource` (`<log bucket>/<prefix>*`): it must not be empty (the source could write anywhere in the
 * log bucket) nor hold '*', '?' or '${', which a Resource reads as wildcards and policy variables.
 */
export function logSourceProblem(entry: unknown): string | undefined {
    if (typeof entry !== "string") return `must be ${LOG_SOURCE_FORMAT}`;
    const { bucket, prefix } = parseLogSource(entry);
    const bucketProblem = existingBucketNameProblem(bucket);
    if (bucketProblem !== undefined) return entry.includes("/") ? `has a bucket name (before the first '/') that ${bucketProblem}` : bucketProblem;
    if (prefix.length === 0) return `has an empty prefix after '/', which would let ${bucket} write anywhere in the log bucket: write ${LOG_SOURCE_FORMAT}`;
    if (prefix.length > MAX_PREFIX_LENGTH) return `has a prefix longer than ${MAX_PREFIX_LENGTH} characters`;
    if (/[*?]|\$\{/.test(prefix)) return "has a prefix holding '*', '?' or '${', which the bucket policy's Resource would read as a wildcard or a policy variable";
    return undefined;
}

/**
 * Why a bucket's logs, delivered under `prefix`, would be refused by a log bucket that takes logs
 * from `sources` only, or undefined when they are delivered (or when the log bucket names no
 * sources, and so takes any bucket's of its account). A log object's key starts with the prefix, so
 * an entry admits the bucket when the prefix starts with the entry's.
 */
export function logDeliveryProblem(sources: readonly LogSource[], bucket: string, prefix: string): string | undefined {
    if (sources.length === 0) return undefined;
    const own = sources.filter((source) => source.bucket === bucket);
    if (own.some((source) => prefix.startsWith(source.prefix))) return undefined;
    const admitted = own.length === 0 ? `does not name ${bucket} among its sourceBuckets` : `admits ${bucket}'s logs only under ${own.map((source) => JSON.stringify(source.prefix)).join(", ")}`;
    const fix =
        prefix.length === 0
            ? `give accessLogs.prefix a value and add "${bucket}/<that prefix>" to its sourceBuckets (they admit no empty prefix)`
            : `add ${JSON.stringify(prefix === `${bucket}/` ? bucket : `${bucket}/${prefix}`)} to its sourceBuckets`;
    return `is an AccessLogsBucket that ${admitted}, not under the prefix ${JSON.stringify(prefix)}: S3 would be denied each delivery and the logs lost without an error; ${fix}`;
}
