/**
 * Raw-resource programs for the compliance rules: a bucket (and its key) declared with plain
 * `@pulumi/aws` resources that meets every rule, or the same program with exactly one rule broken.
 * The tests plan them with secure-bucket/testing's `plan`.
 */
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import type { PlanDocument } from "../../cli/planJson";

/** The URN of the resource of `type` named `name` in a plan; fails the test when there is none. */
export function urnIn(plan: PlanDocument, type: string, name: string): string {
    const found = plan.resources.find((r) => r.type === type && r.name === name);
    if (found === undefined) throw new Error(`no ${type} named ${name} in the plan`);
    return found.urn;
}

export const BUCKET = "aws:s3/bucket:Bucket";
export const KEY = "aws:kms/key:Key";

const ACCOUNT = "111111111111";

/** The rules a raw program can break, one at a time. */
export type Breakable =
    | "s3-bucket-public-access-block"
    | "s3-no-public-access"
    | "s3-acls-disabled"
    | "s3-tls-only"
    | "s3-minimum-tls-version"
    | "s3-default-encryption-kms-cmk"
    | "s3-bucket-key-enabled"
    | "s3-deny-other-encryption"
    | "s3-sse-c-blocked"
    | "s3-versioning"
    | "s3-access-logging"
    | "s3-lifecycle"
    | "s3-event-notifications"
    | "s3-replication"
    | "s3-object-lock"
    | "kms-key-rotation"
    | "kms-key-policy-not-public"
    | "kms-no-lockout-bypass"
    | "kms-deletion-window";

/**
 * A bucket `name` (its key `<name>-key`) with every setting the rules ask for, declared resource by
 * resource, except what `broken` breaks. It logs into a second raw bucket and replicates into a third
 * (both only there to be named). The key's deletion window is 10 days: `kms-deletion-window` is
 * broken by the test's config.
 */
export function rawProgram(name: string, broken?: Breakable): void {
    const is = (rule: Breakable): boolean => broken === rule;
    const logs = new s3.Bucket(`${name}-logs`, {});
    const replica = new s3.Bucket(`${name}-replica`, {});
    const bucket = new s3.Bucket(name, {});
    const keyPolicy = {
        Version: "2012-10-17",
        Statement: [
            { Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
            ...(is("kms-key-policy-not-public") ? [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] : []),
        ],
    };
    const key = new kms.Key(`${name}-key`, {
        enableKeyRotation: !is("kms-key-rotation"),
        deletionWindowInDays: 10,
        bypassPolicyLockoutSafetyCheck: is("kms-no-lockout-bypass"),
        policy: JSON.stringify(keyPolicy),
    });
    new s3.BucketPublicAccessBlock(`${name}-pab`, {
        bucket: bucket.bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: !is("s3-bucket-public-access-block"),
    });
    new s3.BucketOwnershipControls(`${name}-ownership`, { bucket: bucket.bucket, rule: { objectOwnership: is("s3-acls-disabled") ? "BucketOwnerPreferred" : "BucketOwnerEnforced" } });
    new s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
        bucket: bucket.bucket,
        rules: [
            {
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", ...(is("s3-default-encryption-kms-cmk") ? {} : { kmsMasterKeyId: key.arn }) },
                bucketKeyEnabled: !is("s3-bucket-key-enabled"),
                ...(is("s3-sse-c-blocked") ? {} : { blockedEncryptionTypes: ["SSE-C"] }),
            },
        ],
    });
    new s3.BucketPolicy(`${name}-policy`, {
        bucket: bucket.bucket,
        policy: pulumi.all([bucket.arn, key.arn]).apply(([arn, keyArn]) => JSON.stringify(bucketPolicy(arn, keyArn, broken))),
    });
    new s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.bucket, versioningConfiguration: { status: is("s3-versioning") ? "Suspended" : "Enabled" } });
    new s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
        bucket: bucket.bucket,
        rules: [
            is("s3-lifecycle")
                ? { id: "expire", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } }
                : { id: "abort", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
        ],
    });
    if (!is("s3-access-logging")) new s3.BucketLogging(`${name}-logging`, { bucket: bucket.bucket, targetBucket: logs.bucket, targetPrefix: `${name}/` });
    if (!is("s3-event-notifications")) new s3.BucketNotification(`${name}-notifications`, { bucket: bucket.bucket, eventbridge: true });
    if (!is("s3-replication")) {
        new s3.BucketReplicationConfig(`${name}-replication`, {
            bucket: bucket.bucket,
            role: `arn:aws:iam::${ACCOUNT}:role/replication`,
            rules: [{ id: "all", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: replica.arn } }],
        });
    }
    if (!is("s3-object-lock")) new s3.BucketObjectLockConfiguration(`${name}-lock`, { bucket: bucket.bucket, objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "GOVERNANCE", days: 1 } } });
}

/** The raw bucket's policy: TLS only, TLS 1.2 at least, uploads under this key only; minus what `broken` breaks. */
function bucketPolicy(arn: string, keyArn: string, broken?: Breakable): object {
    const both = [arn, `${arn}/*`];
    const objects = `${arn}/*`;
    const statements = [
        ...(broken === "s3-tls-only" ? [] : [{ Sid: "Https", Effect: "Deny", Principal: { AWS: "*" }, Action: "s3:*", Resource: both, Condition: { Bool: { "aws:SecureTransport": "false" } } }]),
        ...(broken === "s3-minimum-tls-version" ? [] : [{ Sid: "Tls12", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: both, Condition: { NumericLessThan: { "s3:TlsVersion": 1.2 } } }]),
        ...(broken === "s3-deny-other-encryption"
            ? []
            : [
                  { Sid: "Kms", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects, Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" }, Null: { "s3:x-amz-server-side-encryption": "false" } } },
                  { Sid: "KeyId", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects, Condition: { Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" }, StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } },
                  { Sid: "ThisKey", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects, Condition: { ArnNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn }, Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" } } },
              ]),
        { Sid: "App", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/app` }, Action: "s3:GetObject", Resource: objects },
        ...(broken === "s3-no-public-access" ? [{ Sid: "Public", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: objects }] : []),
    ];
    return { Version: "2012-10-17", Statement: statements };
}
