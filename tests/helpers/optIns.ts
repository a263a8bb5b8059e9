import { recordedResources, RecordedResource } from "../setup/pulumiMocks";

/** Type tokens of the opt-in children of SecureBucket and of the children of the other components. */
export const OPT_IN_TYPES = {
    accessLogging: "aws:s3/bucketLogging:BucketLogging",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    notifications: "aws:s3/bucketNotification:BucketNotification",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
} as const;

/** The resource of `type` named `name` registered since the test began; fails unless there is exactly one. */
export function registeredAs(type: string, name: string): RecordedResource {
    const matches = recordedResources().filter((r) => r.type === type && r.name === name);
    if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
    return matches[0];
}
