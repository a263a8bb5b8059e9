export { SecureBucket, SECURE_BUCKET_TYPE } from "./secureBucket";
export { TLS_VERSIONS, TlsVersion, type SecureBucketArgs, type SecureBucketOptionalArgs, type ValidatedSecureBucketArgs } from "./secureBucketArgs";
export { SECURE_BUCKET_DEFAULTS } from "./arguments";
export { SecureBucketArgumentError, validateSecureBucketArgs, type ArgumentLabel, type DeferredCheck, type ValidationOptions } from "./validateArgs";
export { buildBucketPolicy, BUCKET_POLICY_SIDS, type BucketPolicyInput } from "./policies/bucketPolicy";
export { buildKeyPolicy, KEY_POLICY_SIDS, type KeyPolicyInput } from "./policies/keyPolicy";
export type { PolicyDocument, PolicyStatement } from "./policies/policyDocument";
