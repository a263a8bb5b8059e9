import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../components";
import { parseStackConfig, StackConfigError } from "./stackConfig";

/** The stack outputs of the program. */
export interface SecureBucketStackOutputs {
    bucketName: pulumi.Output<string>;
    bucketArn: pulumi.Output<string>;
    keyArn: pulumi.Output<string>;
    keyId: pulumi.Output<string>;
    aliasName: pulumi.Output<string>;
    aliasArn: pulumi.Output<string>;
    bucketPolicy: pulumi.Output<string>;
    keyPolicy: pulumi.Output<string>;
}

/**
 * The Pulumi program: reads the stack's config and builds one SecureBucket named
 * `<project>-<stack>`. Bad config stops it before any resource is registered, with every bad key named.
 */
export function secureBucketProgram(): SecureBucketStackOutputs {
    const name = `${pulumi.getProject()}-${pulumi.getStack()}`;
    let args;
    try {
        args = parseStackConfig(pulumi.runtime.allConfig(), name);
    } catch (error) {
        // RunError: Pulumi prints the message alone, without a stack trace.
        if (error instanceof StackConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
    const bucket = new SecureBucket(name, args);
    return {
        bucketName: bucket.bucketName,
        bucketArn: bucket.bucketArn,
        keyArn: bucket.keyArn,
        keyId: bucket.keyId,
        aliasName: bucket.aliasName,
        aliasArn: bucket.aliasArn,
        bucketPolicy: bucket.bucketPolicy,
        keyPolicy: bucket.keyPolicy,
    };
}
