import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { Argument, flag } from "./arguments";
import { buildReplicationRolePolicy, buildReplicationTrustPolicy } from "./policies/replicationPolicy";
import { SecureBucket, secureBucketFacts, SecureBucketFacts } from "./secureBucket";
import { StorageClass } from "./secureBucketArgs";
import { ArgumentTable, SecureBucketArgumentError, validateArguments } from "./validateArgs";

/** Type token of the component. */
export const SECURE_BUCKET_REPLICATION_TYPE = "secure-bucket:index:SecureBucketReplication";

/** The arguments of a {@link SecureBucketReplication}. */
export interface SecureBucketReplicationArgs {
    /** The bucket whose objects are replicated. Its versioning must be on. */
    source: SecureBucket;
    /**
     * The bucket that receives the replicas, in the same account, usually in another region (its
     * own `region`). Its versioning must be on.
     */
    destination: SecureBucket;
    /**
     * Replicate delete markers too: a delete in the source then hides the object in the destination.
     * @default false (the destination keeps what is deleted from the source: a guard against mistakes)
     */
    replicateDeletes?: boolean;
    /**
     * Storage class of the replicas: STANDARD or a class a lifecycle rule can move objects to.
     * @default the source object's
     */
    storageClass?: ReplicaStorageClass;
    /**
     * Replicate only the objects whose key starts with this.
     * @default "" (every object)
     */
    prefix?: string;
    /**
     * S3 Replication Time Control: 99.99% of new objects replicated within 15 minutes, with replication
     * metrics and events. It costs extra.
     * @default false
     */
    replicationTimeControl?: boolean;
}

/** A storage class of replicas: S3 Standard, or one a lifecycle rule can move objects to. */
export type ReplicaStorageClass = "STANDARD" | StorageClass;

const REPLICA_STORAGE_CLASSES: readonly ReplicaStorageClass[] = ["STANDARD", ...Object.values(StorageClass)];

/** The arguments after validation: the defaults filled in, `storageClass` undefined when not given. */
type Validated = Required<Omit<SecureBucketReplicationArgs, "storageClass">> & { storageClass: ReplicaStorageClass | undefined };

/** A SecureBucket whose versioning is on. */
const versionedBucket: Argument<SecureBucket> = {
    check(value, at) {
        const facts = secureBucketFacts(value);
        if (facts === undefined) at.report(at.label, typeof value, "must be a SecureBucket");
        else if (!facts.versioning) at.report(at.label, facts.name, "has versioning off: replication needs versioning on both buckets (set versioning to true on it)");
        return value as SecureBucket;
    },
};

const REPLICATION_ARGUMENTS: ArgumentTable<SecureBucketReplicationArgs, Validated> = {
    source: versionedBucket,
    destination: {
        check(value, at) {
            const [facts, source] = [secureBucketFacts(value), secureBucketFacts(at.given.source)];
            if (value !== undefined && value === at.given.source) at.report(at.label, facts?.name, "is the source too: a bucket cannot replicate into itself");
            else if (facts !== undefined && source?.objectLock === true && !facts.objectLock) {
                // "DstBucketObjectLockConfigMissing" ("Amazon S3 replication failure reasons", S3 User Guide).
                at.report(at.label, facts.name, `has no Object Lock, and the source ${source.name} has: S3 replicates from an Object Lock bucket only into one with Object Lock (give it objectLock)`);
            }
            return versionedBucket.check(value, at);
        },
    },
    replicateDeletes: flag(false),
    storageClass: {
        check(value, at) {
            if (value !== undefined && !(REPLICA_STORAGE_CLASSES as unknown[]).includes(value)) {
                at.report(at.label, value, `must be one of ${REPLICA_STORAGE_CLASSES.join(", ")}`);
            }
            return value as ReplicaStorageClass | undefined;
        },
    },
    prefix: {
        default: "",
        check(value, at) {
            if (value !== undefined && (typeof value !== "string" || value.length > 1024)) at.report(at.label, value, "must be a key prefix of at most 1024 characters");
            return (value as string | undefined) ?? "";
        },
    },
    replicationTimeControl: flag(false),
};

/**
 * S3 replication from one SecureBucket to another (Security Hub S3.7), the KMS wiring correct by
 * construction: the rule replicates SSE-KMS objects (`sseKmsEncryptedObjects`) and encrypts replicas
 * with the destination's own key (`replicaKmsKeyId`, its ARN: S3 accepts a wrong key and fails
 * later); the role S3 assumes is trusted by S3 only for the source bucket of this account, and its
 * policy grants exactly what replication needs, the keys only through S3 in each bucket's region and
 * for that bucket's encryption context ("Replicating encrypted objects", S3 User Guide). Both
 * buckets must be versioned and in the same account: another account's destination is refused; from
 * a source with Object Lock, the destination must have Object Lock too.
 */
export class SecureBucketReplication extends pulumi.ComponentResource {
    /** The role S3 assumes to replicate. */
    readonly role: iam.Role;
    /** Its ARN. */
    readonly roleArn: pulumi.Output<string>;
    /** The role's policy JSON, as applied. */
    readonly rolePolicy: pulumi.Output<string>;
    /** The resource that attaches {@link rolePolicy} to the role. */
    readonly policy: iam.RolePolicy;
    /** The source bucket's replication configuration. */
    readonly configuration: s3.BucketReplicationConfig;

    /**
     * @param name Name of the component; children are named `<name>-role`, `<name>-role-policy` and
     * `<name>-configuration`.
     * @param args See {@link SecureBucketReplicationArgs}; validated before any child exists.
     * @param opts Resource options for the component.
     */
    constructor(name: string, args: SecureBucketReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
        const settings = validateArguments("SecureBucketReplication", REPLICATION_ARGUMENTS, name, args);
        super(SECURE_BUCKET_REPLICATION_TYPE, name, {}, opts);
        const child = { parent: this };
        const { source, destination } = settings;
        const [from, to] = [source, destination].map((bucket) => secureBucketFacts(bucket) as SecureBucketFacts);
        const side = (bucket: SecureBucket, facts: SecureBucketFacts) =>
            pulumi.all([bucket.bucketArn, bucket.keyArn, facts.region]).apply(([bucketArn, keyArn, region]) => ({ bucketArn, keyArn, region }));

        // Known at deploy time: both buckets in one account. The role waits for the check, so nothing is created otherwise.
        const sameAccount = pulumi.all([from.accountId, to.accountId, from.partition, to.partition]).apply(([a, b, p, q]): pulumi.Resource[] => {
            if (a !== b || p.partition !== q.partition) {
                throw new SecureBucketArgumentError(
                    name,
                    [`destination: a bucket of account ${b} (${q.partition}), not the source's ${a}: replication to another account needs the destination's bucket and key policies to admit the role, which SecureBucket does not grant; replicate within one account`],
                    "SecureBucketReplication",
                );
            }
            return [];
        });
        this.role = new iam.Role(
            `${name}-role`,
            {
                description: pulumi.interpolate`S3 replication of ${source.bucketName} into ${destination.bucketName} (SecureBucketReplication ${name})`,
                assumeRolePolicy: pulumi
                    .all([source.bucketArn, from.accountId])
                    .apply(([bucketArn, accountId]) => JSON.stringify(buildReplicationTrustPolicy({ source: { bucketArn }, accountId }))),
            },
            { ...child, dependsOn: sameAccount },
        );
        this.roleArn = this.role.arn;
        this.rolePolicy = pulumi
            .all([side(source, from), side(destination, to), from.accountId, from.partition])
            .apply(([s, d, accountId, p]) =>
                JSON.stringify(buildReplicationRolePolicy({
                        source: s,
                        destination: d,
                        accountId,
                        dnsSuffix: p.dnsSuffix,
                        replicateDeletes: settings.replicateDeletes,
                        sourceObjectLock: from.objectLock,
                    })),
            );
        this.policy = new iam.RolePolicy(`${name}-role-policy`, { role: this.role.id, policy: this.rolePolicy }, child);

        const rtc = settings.replicationTimeControl;
        this.configuration = new s3.BucketReplicationConfig(
            `${name}-configuration`,
            {
                bucket: source.bucketName,
                role: this.role.arn,
                rules: [
                    {
                        id: "replicate-to-destination",
                        status: "Enabled",
                        filter: { prefix: settings.prefix },
                        deleteMarkerReplication: { status: settings.replicateDeletes ? "Enabled" : "Disabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: destination.bucketArn,
                            storageClass: settings.storageClass,
                            encryptionConfiguration: { replicaKmsKeyId: destination.keyArn },
                            ...(rtc
                                ? { replicationTime: { status: "Enabled", time: { minutes: 15 } }, metrics: { status: "Enabled", eventThreshold: { minutes: 15 } } }
                                : {}),
                        },
                    },
                ],
                region: from.regionArgument,
            },
            // S3 refuses a replication configuration until both buckets are versioned, and replication
            // fails until the role may act: the versioning of both and the role's policy first.
            { ...child, dependsOn: [this.policy, source.versioning, destination.versioning] },
        );
        this.registerOutputs({ roleArn: this.roleArn, rolePolicy: this.rolePolicy });
    }
}
