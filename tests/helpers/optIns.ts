import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { SecureBucketArgs, SecureBucketArgumentError, validateSecureBucketArgs } from "../../components";
import { recordedResources, RecordedResource } from "../setup/pulumiMocks";
import { thrownBy } from "./errors";
import { valueOf } from "./outputs";

/** Type tokens of the opt-in children of SecureBucket and of the children of the other components. */
export const OPT_IN_TYPES = {
    accessLogging: "aws:s3/bucketLogging:BucketLogging",
    objectLock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    notifications: "aws:s3/bucketNotification:BucketNotification",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    replication: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
} as const;

/** The problems the validator reports for `args` (typed loosely: bad values are what a JavaScript caller passes). */
export function problemsFor(args: unknown): readonly string[] {
    return thrownBy(SecureBucketArgumentError, () => validateSecureBucketArgs("vault", args as SecureBucketArgs)).problems;
}

/** The resource of `type` named `name` registered since the test began; fails unless there is exactly one. */
export function registeredAs(type: string, name: string): RecordedResource {
    const matches = recordedResources().filter((r) => r.type === type && r.name === name);
    if (matches.length !== 1) throw new Error(`expected one ${type} named ${name}, found ${matches.length}`);
    return matches[0];
}

/**
 * The outputs a component registered, once `outputs` (the ones it registers) have resolved: Pulumi
 * then sends them to the engine without leaving the current turn of the event loop, so by the next
 * turn the mock engine holds them.
 */
export async function registeredOutputs(component: pulumi.ComponentResource, outputs: Record<string, pulumi.Output<unknown>>): Promise<{ registered: unknown; resolved: unknown }> {
    const resolved = await valueOf(pulumi.output(outputs));
    await new Promise((resolve) => setImmediate(resolve));
    const monitor: unknown = pulumi.runtime.getMonitor();
    if (!(monitor instanceof MockMonitor)) throw new Error("the engine is not Pulumi's mock engine");
    const urn = await valueOf(component.urn);
    const state = monitor.resources.get(urn)?.state as { toJavaScript(): unknown } | undefined;
    return { registered: state?.toJavaScript(), resolved };
}
