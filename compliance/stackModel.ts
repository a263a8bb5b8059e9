/**
 * The stack joined for the rules: every S3 bucket with the resources that configure it, whoever
 * declared them (AWS provider v7 splits a bucket's settings into resources of their own, which a
 * program may declare in another component than the bucket's), and every KMS key.
 *
 * A configuring resource names its bucket by the bucket's name (`bucket`). It is joined to the
 * bucket its `bucket` property depends on (CrossGuard says per property), else to the bucket of that
 * name, else to the one bucket among its dependencies. One whose bucket cannot be told during preview
 * is kept aside: a bucket that lacks that kind of setting then cannot be judged on it, rather than fail.
 */
import { autoNamedPlaceholder } from "../offline/placeholders";
import { StackResource, UNKNOWN } from "./resources";

/** Type tokens of this package's components (components/*.ts; repeated here so that `check` loads no component code). */
export const COMPONENT_TYPES = {
    secureBucket: "secure-bucket:index:SecureBucket",
    accessLogsBucket: "secure-bucket:index:AccessLogsBucket",
    replication: "secure-bucket:index:SecureBucketReplication",
} as const;

/** The kinds of resources that configure a bucket, with their v7 type tokens (and the deprecated `V2` aliases). */
const CONFIG_TYPES = {
    encryption: ["aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"],
    policy: ["aws:s3/bucketPolicy:BucketPolicy"],
    publicAccessBlock: ["aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"],
    ownership: ["aws:s3/bucketOwnershipControls:BucketOwnershipControls"],
    acl: ["aws:s3/bucketAcl:BucketAcl", "aws:s3/bucketAclV2:BucketAclV2"],
    versioning: ["aws:s3/bucketVersioning:BucketVersioning", "aws:s3/bucketVersioningV2:BucketVersioningV2"],
    lifecycle: ["aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"],
    logging: ["aws:s3/bucketLogging:BucketLogging", "aws:s3/bucketLoggingV2:BucketLoggingV2"],
    notification: ["aws:s3/bucketNotification:BucketNotification"],
    replication: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    objectLock: ["aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2"],
} as const;

export type ConfigKind = keyof typeof CONFIG_TYPES;

export const BUCKET_TYPES: readonly string[] = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
export const KEY_TYPE = "aws:kms/key:Key";
export const ALIAS_TYPE = "aws:kms/alias:Alias";

/** A bucket and what configures it. */
export interface BucketView {
    resource: StackResource;
    /** Its physical name, {@link UNKNOWN} during preview when not known yet. */
    name: string;
    /** This package's component the bucket belongs to (the nearest one among its ancestors), if any. */
    component?: { type: string; name: string };
    /** The resources of each kind joined to it. */
    configs: Record<ConfigKind, StackResource[]>;
    /** Why it receives server access logs (empty when it does not): the resources that send them, or its component. */
    logTargetOf: string[];
}

/** The joined stack. */
export interface StackModel {
    resources: StackResource[];
    byUrn: Map<string, StackResource>;
    buckets: BucketView[];
    keys: StackResource[];
    /** Configuring resources whose bucket cannot be told yet, by kind. */
    unresolved: Record<ConfigKind, StackResource[]>;
}

const KINDS = Object.keys(CONFIG_TYPES) as ConfigKind[];

function kindOf(type: string): ConfigKind | undefined {
    return KINDS.find((kind) => (CONFIG_TYPES[kind] as readonly string[]).includes(type));
}

function emptyByKind(): Record<ConfigKind, StackResource[]> {
    return Object.fromEntries(KINDS.map((k) => [k, []])) as unknown as Record<ConfigKind, StackResource[]>;
}

/**
 * A bucket's physical name. The Pulumi CLI sends it known (the provider's Check auto-names it); the
 * offline plan leaves an auto-named bucket's `bucket` out of its inputs and names it with the offline
 * engine's placeholder, as the plan's `placeholders` list says.
 */
function bucketName(bucket: StackResource): string {
    const given = bucket.inputs.bucket;
    return typeof given === "string" ? given : autoNamedPlaceholder(bucket.name);
}

/** The buckets a resource's `property` refers to: per-property dependencies, else the name, else its one bucket dependency. */
function referencedBuckets(resource: StackResource, property: string, buckets: readonly BucketView[]): BucketView[] | undefined {
    const byDependency = (resource.propertyDependencies[property] ?? []).flatMap((urn) => buckets.filter((b) => b.resource.urn === urn));
    if (byDependency.length > 0) return byDependency;
    const value = resource.inputs[property];
    if (typeof value === "string" && value !== UNKNOWN) {
        // A bucket is named by its name, or (a replication destination, say) by its ARN in any partition.
        const byName = buckets.filter((b) => b.name === value || value.replace(/^arn:[^:]+:s3:::/, "") === b.name);
        if (byName.length > 0) return byName;
    }
    const dependencies = buckets.filter((b) => resource.dependencies.includes(b.resource.urn));
    if (dependencies.length === 1 && property === "bucket") return dependencies;
    return value === UNKNOWN ? undefined : [];
}

/** Joins the stack's resources. */
export function buildStackModel(resources: readonly StackResource[]): StackModel {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const componentOf = (r: StackResource): { type: string; name: string } | undefined => {
        for (let at = r.parent === null ? undefined : byUrn.get(r.parent); at !== undefined; at = at.parent === null ? undefined : byUrn.get(at.parent)) {
            if ((Object.values(COMPONENT_TYPES) as string[]).includes(at.type)) return { type: at.type, name: at.name };
        }
        return undefined;
    };
    const buckets: BucketView[] = resources
        .filter((r) => BUCKET_TYPES.includes(r.type))
        .map((resource) => ({ resource, name: bucketName(resource), component: componentOf(resource), configs: emptyByKind(), logTargetOf: [] }));
    const unresolved = emptyByKind();
    for (const resource of resources) {
        const kind = kindOf(resource.type);
        if (kind === undefined) continue;
        const targets = referencedBuckets(resource, "bucket", buckets);
        if (targets === undefined) unresolved[kind].push(resource);
        else for (const bucket of targets) bucket.configs[kind].push(resource);
        if (kind === "logging") for (const target of referencedBuckets(resource, "targetBucket", buckets) ?? []) target.logTargetOf.push(resource.urn);
    }
    for (const bucket of buckets) {
        // The deprecated inline `logging` of a v7 Bucket names its target too.
        const inline = bucket.resource.inputs.logging;
        if (typeof inline === "object" && inline !== null && "targetBucket" in inline) {
            const pseudo: StackResource = { ...bucket.resource, inputs: { targetBucket: (inline as { targetBucket: unknown }).targetBucket } };
            for (const target of referencedBuckets(pseudo, "targetBucket", buckets) ?? []) target.logTargetOf.push(bucket.resource.urn);
        }
        if (bucket.component?.type === COMPONENT_TYPES.accessLogsBucket) bucket.logTargetOf.push(`AccessLogsBucket "${bucket.component.name}"`);
    }
    return { resources: [...resources], byUrn, buckets, keys: resources.filter((r) => r.type === KEY_TYPE), unresolved };
}
