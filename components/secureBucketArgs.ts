import type * as pulumi from "@pulumi/pulumi";

/**
 * TLS versions the bucket policy can require as a minimum. Declared as an `as const` object so that
 * Pulumi's schema inference turns it into an enum for other languages.
 */
export const TlsVersion = {
    /** TLS 1.2 and later. */
    Tls12: "1.2",
    /** TLS 1.3 only. */
    Tls13: "1.3",
} as const;

/** A minimum TLS version for every request to the bucket. */
export type TlsVersion = (typeof TlsVersion)[keyof typeof TlsVersion];

/** Every accepted minimum TLS version. */
export const TLS_VERSIONS: readonly TlsVersion[] = Object.values(TlsVersion);

/** The storage classes a lifecycle rule can move objects to, cheapest access last. */
export const StorageClass = {
    /** S3 Standard-IA: objects 30 days old or more, read rarely. */
    StandardIa: "STANDARD_IA",
    /** S3 Intelligent-Tiering: S3 moves each object by its access pattern. */
    IntelligentTiering: "INTELLIGENT_TIERING",
    /** S3 One Zone-IA: like Standard-IA, in one Availability Zone. */
    OneZoneIa: "ONEZONE_IA",
    /** S3 Glacier Instant Retrieval. */
    GlacierIr: "GLACIER_IR",
    /** S3 Glacier Flexible Retrieval: restored before it is read. */
    Glacier: "GLACIER",
    /** S3 Glacier Deep Archive: the cheapest, restored in hours. */
    DeepArchive: "DEEP_ARCHIVE",
} as const;

/** A storage class a lifecycle rule can move objects to. */
export type StorageClass = (typeof StorageClass)[keyof typeof StorageClass];

/** One storage transition of a lifecycle rule. */
export interface Transition {
    /** Days since the version was created (or, for noncurrent versions, since it stopped being current). */
    days: number;
    /** The class the versions move to. */
    storageClass: StorageClass;
}

/** The Object Lock retention modes. */
export const ObjectLockMode = {
    /** Users with `s3:BypassGovernanceRetention` can shorten or lift the retention (with a header saying so). */
    Governance: "GOVERNANCE",
    /** Nobody, the root user included, can shorten or lift the retention. */
    Compliance: "COMPLIANCE",
} as const;

/** An Object Lock retention mode. */
export type ObjectLockMode = (typeof ObjectLockMode)[keyof typeof ObjectLockMode];

/** Object Lock's default retention: a mode, and a period in days or in years (exactly one). */
export interface ObjectLockSettings {
    /** GOVERNANCE or COMPLIANCE: COMPLIANCE cannot be undone, and needs `acknowledgeComplianceCannotBeUndone`. */
    mode: ObjectLockMode;
    /** Days each new version is retained, 1 to 36500. */
    days?: number;
    /** Years each new version is retained, 1 to 100. */
    years?: number;
    /**
     * Must be true for COMPLIANCE, which nobody can shorten or remove: no version can be deleted or
     * overwritten, and the bucket cannot be destroyed, until every version's retention has ended.
     * @default false
     */
    acknowledgeComplianceCannotBeUndone?: boolean;
}

/** Where S3 server access logs are delivered. */
export interface AccessLogsSettings {
    /**
     * Name of the target bucket: an `AccessLogsBucket`, or a bucket of the same account and
     * region that lets the logging service write (SSE-S3, no Object Lock).
     */
    bucket: pulumi.Input<string>;
    /**
     * Prefix of the log objects' keys.
     * @default this bucket's name and "/"
     */
    prefix?: pulumi.Input<string>;
}

/**
 * The existing configurations of an adopted bucket that SecureBucket replaces with its own (S3 keeps
 * one of each per bucket). Declared as an `as const` object so that Pulumi's schema inference turns
 * it into an enum for other languages.
 */
export const ReplacedConfiguration = {
    /** The bucket policy: SecureBucket's statements, and those carried in `extraBucketPolicyStatements`. */
    BucketPolicy: "bucketPolicy",
    /** The lifecycle configuration: SecureBucket's rules, with the `transitions` given. */
    Lifecycle: "lifecycle",
    /** The event notification configuration (with `eventBridge`): every SNS, SQS and Lambda target is dropped. */
    Notifications: "notifications",
    /** Server access logging (with `accessLogs`): the target bucket and prefix. */
    Logging: "logging",
} as const;

/** An existing configuration SecureBucket replaces when it adopts a bucket. */
export type ReplacedConfiguration = (typeof ReplacedConfiguration)[keyof typeof ReplacedConfiguration];

/** Adopting an existing bucket: Pulumi imports it instead of creating one, then hardens it. */
export interface AdoptionSettings {
    /**
     * The bucket's existing configurations SecureBucket may replace, each named on purpose: always
     * `bucketPolicy` and `lifecycle`, and `notifications` with `eventBridge`, `logging` with
     * `accessLogs`. Replication and CORS configurations are never touched.
     * @default []
     */
    replace?: ReplacedConfiguration[];
    /**
     * Leave the bucket in place when the stack is destroyed or the component removed (Pulumi's
     * `retainOnDelete`): it existed before the stack, and outlives it. The KMS key and its alias are
     * retained with it, so that the objects written under the key stay readable; delete them by
     * hand (after re-encrypting the objects) once the bucket no longer needs them.
     * @default true
     */
    retainOnDelete?: boolean;
}

/** A bucket-policy statement carried into SecureBucket's bucket policy, as IAM writes it. */
export interface ExtraPolicyStatement {
    /** Letters and digits, none of SecureBucket's own statement ids. */
    Sid: string;
    /** "Allow" or "Deny". */
    Effect: string;
    /** A map of `AWS`, `Service`, `CanonicalUser` or `Federated` to lists of principals. */
    Principal: Record<string, string[]>;
    /** S3 actions. */
    Action: string[];
    /** This bucket's ARN and object ARNs. */
    Resource: string[];
    /**
     * Condition operators to condition keys to values.
     * @default no condition: the statement applies to every request it matches
     */
    Condition?: Record<string, Record<string, string[]>>;
}

/**
 * The arguments of a {@link SecureBucket} that have no default value: leaving one out means
 * something of its own (Pulumi auto-names the bucket, the provider's region applies).
 */
export interface SecureBucketOptionalArgs {
    /**
     * Physical name of the bucket. Checked against the S3 naming rules; dotted names are refused
     * because they break TLS for virtual-hosted-style requests.
     * @default Pulumi auto-naming: the component's name and a random suffix
     */
    bucketName?: pulumi.Input<string>;
    /**
     * Region of every child resource (the AWS provider v7 per-resource `region`); the key policy's
     * `kms:ViaService` names S3 in this region. One that `@pulumi/aws` lists, or in `unlistedRegions`.
     * @default the provider's region
     */
    region?: pulumi.Input<string>;
    /**
     * Server access logs (Security Hub S3.9): S3 delivers a record of every request to another
     * bucket, best an `AccessLogsBucket`. Logging a bucket into itself is refused.
     * @default no access logs
     */
    accessLogs?: AccessLogsSettings;
    /**
     * Object Lock with a default retention for every new object version (Security Hub S3.15):
     * WORM storage. Needs versioning, and once on it cannot be turned off (nor can versioning).
     * Turned on for an existing bucket without replacing it.
     * @default no Object Lock
     */
    objectLock?: ObjectLockSettings;
    /**
     * Adopt the existing bucket named `bucketName` instead of creating one: Pulumi's `import` option
     * takes it over, and the key, encryption, policies, controls and lifecycle are applied to it on
     * the same update. Its existing objects keep the encryption they were written with. The bucket
     * is retained when the stack is destroyed unless `retainOnDelete` is false. `secure-bucket adopt`
     * writes this, and the tags the import needs, from the live bucket.
     * @default a new bucket is created
     */
    adoptExisting?: AdoptionSettings;
}

/**
 * The arguments of a {@link SecureBucket}. Every option is secure by default; the ones that can lose
 * data or open the bucket (`forceDestroy`, `protect: false`, a short `keyDeletionWindowInDays`) are
 * explicit opt-ins.
 */
export interface SecureBucketArgs extends SecureBucketOptionalArgs {
    /**
     * Regions to accept that the installed `@pulumi/aws` does not list yet: a region AWS launched
     * after that version (upgrading `@pulumi/aws` is the lasting fix). `region` must otherwise be one
     * that `@pulumi/aws` lists; each name here must be shaped like a region name (`ap-east-3`).
     * @default []
     */
    unlistedRegions?: string[];
    /**
     * Roles or users of the key's own account that manage the KMS key: describe, enable, disable,
     * rotate, tag, change its policy and schedule its deletion. They get no cryptographic use and no
     * access to the bucket's data, but they can change the key policy and so grant themselves use.
     * When any are given, scheduling the key's deletion and disabling it are denied to everyone else
     * except the identity that deploys the stack (so that it can destroy what it deployed): a guard
     * against accidents and mistakes, not against a holder of `kms:*` through IAM, who can still
     * change the key policy. An account root is refused (the guard would exempt the root user alone),
     * and so, at deploy time, is an administrator of another account (KMS ignores key-management
     * permissions granted across accounts).
     * @default [] (no deletion guard: the account's IAM policies decide who manages the key)
     */
    administrators?: pulumi.Input<string>[];
    /**
     * Principal ARNs that may read: `s3:GetObject`, `s3:GetObjectVersion`, `s3:ListBucket`,
     * `s3:ListBucketVersions`, `s3:GetBucketLocation`, and `kms:Decrypt` through S3 for this bucket
     * only. Granted by both the bucket policy and the key policy, so a principal of this account
     * needs no IAM policy; a principal of another account also needs one in its own account.
     * @default []
     */
    readers?: pulumi.Input<string>[];
    /**
     * Principal ARNs that may write: `s3:PutObject` and multipart uploads, `s3:PutObjectTagging`
     * (uploads that set tags; it also lets them replace the tags of any object's current version),
     * and `kms:GenerateDataKey*` / `kms:Decrypt` through S3 for this bucket only. Writers cannot read or delete objects unless they are also readers; with versioning off,
     * though, an overwrite replaces the object and the old content is gone.
     * @default []
     */
    writers?: pulumi.Input<string>[];
    /**
     * Name of the KMS alias for the key, starting with `alias/`.
     * @default `alias/<name>`
     */
    aliasName?: pulumi.Input<string>;
    /**
     * Use an S3 Bucket Key: S3 asks KMS for a bucket-level key instead of one call per object,
     * cutting KMS requests and cost by up to 99%.
     * @default true
     */
    bucketKeyEnabled?: boolean;
    /**
     * Keep every version of every object, so overwrites and deletes can be undone. `false`
     * suspends versioning.
     * @default true
     */
    versioning?: boolean;
    /**
     * Days between automatic rotations of the key material, from 90 to 2560.
     * @default 365
     */
    keyRotationPeriodInDays?: number;
    /**
     * Days between scheduling the key's deletion and its deletion, from 7 to 30. During this window
     * the deletion can be cancelled; after it, every object in the bucket is unreadable forever.
     * @default 30
     */
    keyDeletionWindowInDays?: number;
    /**
     * Lowest TLS version the bucket accepts: "1.2" or "1.3". "1.3" locks out every client and
     * deployer that reaches S3 through AWS PrivateLink (an interface endpoint) or a Multi-Region
     * Access Point, which support TLS 1.2 only ("Protecting data in transit with encryption", S3 User
     * Guide).
     * @default "1.2"
     */
    minimumTlsVersion?: TlsVersion;
    /**
     * Days after which incomplete multipart uploads are aborted and their parts deleted, 1 or more.
     * @default 7
     */
    abortIncompleteMultipartUploadDays?: number;
    /**
     * Days an object version is kept after it stops being current (it was overwritten or deleted),
     * 1 or more. A year leaves time to notice and undo a mistake and to span an annual audit, while
     * keeping storage from growing without bound. Delete markers left with no versions behind them
     * are removed too.
     * @default 365
     */
    noncurrentVersionExpirationDays?: number;
    /**
     * Let `pulumi destroy` delete the bucket even when it holds objects, deleting them with it.
     * @default false
     */
    forceDestroy?: boolean;
    /**
     * Pulumi `protect` on the key and the bucket: Pulumi refuses to delete or replace them until
     * this is turned off.
     * @default true
     */
    protect?: boolean;
    /**
     * Send every event of the bucket (object created, deleted, restored, ...) to Amazon EventBridge,
     * where rules route them (Security Hub S3.11). The bucket's one notification configuration is
     * then this component's: other notifications set on the bucket elsewhere are overwritten.
     * @default false
     */
    eventBridge?: boolean;
    /**
     * When current object versions move to cheaper storage classes, in ascending days:
     * STANDARD_IA and ONEZONE_IA from day 30, 30 days in them before the next move, and each class
     * one that S3 can move objects to from the one before. Objects under 128 KB do not move.
     * @default [] (they stay in S3 Standard)
     */
    transitions?: Transition[];
    /**
     * The same for noncurrent versions (overwritten or deleted), counted from when they stopped
     * being current, before they expire (`noncurrentVersionExpirationDays`).
     * @default []
     */
    noncurrentVersionTransitions?: Transition[];
    /**
     * ARNs of CloudFront distributions that may read the bucket's objects through Origin Access
     * Control: `s3:GetObject` in the bucket policy and `kms:Decrypt` in the key policy, both for the
     * CloudFront service only with `AWS:SourceArn` equal to one of these. May be an Output of the
     * distribution built on this bucket (see the README: no cycle).
     * @default []
     */
    cloudFrontDistributions?: pulumi.Input<string>[];
    /**
     * Tags for the key and the bucket: at most 50; keys of 1 to 128 and values of up to 256 Unicode
     * characters, of letters, digits, spaces and the characters `_ . : / = + -` and the at sign;
     * keys must not start with `aws:`.
     * @default {}
     */
    tags?: Record<string, pulumi.Input<string>>;
    /**
     * Statements of the bucket's own to keep in its bucket policy, after SecureBucket's: an adopted
     * bucket's existing statements, for example. SecureBucket's denies still apply to them (an
     * explicit deny wins). Each is checked: letters-and-digits Sid (none of SecureBucket's), Allow or
     * Deny, principals as a map, S3 actions on this bucket only, and no Allow to everyone.
     * @default []
     */
    extraBucketPolicyStatements?: ExtraPolicyStatement[];
}

/**
 * The arguments after validation: each one that has a default is filled in; the ones in
 * {@link SecureBucketOptionalArgs} stay undefined when they were not given.
 */
export type ValidatedSecureBucketArgs = {
    [K in keyof Required<SecureBucketArgs>]: K extends keyof SecureBucketOptionalArgs ? SecureBucketArgs[K] | undefined : Exclude<SecureBucketArgs[K], undefined>;
};
