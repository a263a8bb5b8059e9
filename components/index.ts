export { SECURE_BUCKET_TYPE } from "./secureBucket";
export { SecureBucket, type CheckedSecureBucketArgs, type SecureBucketConstructor } from "./secureBucketConstructor";
export {
    ObjectLockMode,
    StorageClass,
    TLS_VERSIONS,
    TlsVersion,
    type AccessLogsSettings,
    type ObjectLockSettings,
    type SecureBucketArgs,
    type SecureBucketOptionalArgs,
    type Transition,
    type ValidatedSecureBucketArgs,
} from "./secureBucketArgs";
export { AccessLogsBucket, ACCESS_LOGS_BUCKET_TYPE } from "./accessLogsBucket";
export type { AccessLogsBucketArgs, AccessLogsBucketOptionalArgs } from "./accessLogsBucketArgs";
export { SecureBucketReplication, SECURE_BUCKET_REPLICATION_TYPE, type ReplicaStorageClass, type SecureBucketReplicationArgs } from "./secureBucketReplication";
export { SECURE_BUCKET_DEFAULTS } from "./arguments";
export { SecureBucketArgumentError, validateSecureBucketArgs, type ArgumentLabel, type DeferredCheck, type ValidationOptions } from "./validateArgs";
export { buildBucketPolicy, BUCKET_POLICY_SIDS, type BucketPolicyInput } from "./policies/bucketPolicy";
export { buildKeyPolicy, KEY_POLICY_SIDS, type KeyPolicyInput } from "./policies/keyPolicy";
export { buildAccessLogsBucketPolicy, ACCESS_LOGS_BUCKET_POLICY_SIDS, type AccessLogsBucketPolicyInput } from "./policies/accessLogsBucketPolicy";
export { buildReplicationRolePolicy, buildReplicationTrustPolicy, REPLICATION_POLICY_SIDS, type ReplicationPolicyInput, type ReplicationSide } from "./policies/replicationPolicy";
export type { IdentityPolicyDocument, PolicyDocument, PolicyStatement, TrustPolicyDocument } from "./policies/policyDocument";
