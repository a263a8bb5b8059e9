import * as pulumi from "@pulumi/pulumi";
import { SecureBucket, SecureBucketArgs } from "../components";
import { componentNameOf, parseStackConfig, StackConfigError } from "./stackConfig";

/** The stack outputs of the program. */
export type SecureBucketStackOutputs = Pick<
    SecureBucket,
    "bucketName" | "bucketArn" | "keyArn" | "keyId" | "aliasName" | "aliasArn" | "bucketPolicy" | "keyPolicy"
>;

/**
 * The Pulumi program, given its arguments already read from stack config (and checked): builds one
 * SecureBucket named `<project>-<stack>` and returns the stack outputs.
 */
export function secureBucketProgram(args: SecureBucketArgs): SecureBucketStackOutputs {
    const bucket = new SecureBucket(componentNameOf(pulumi.getProject(), pulumi.getStack()), args);
    const { bucketName, bucketArn, keyArn, keyId, aliasName, aliasArn, bucketPolicy, keyPolicy } = bucket;
    return { bucketName, bucketArn, keyArn, keyId, aliasName, aliasArn, bucketPolicy, keyPolicy };
}

/**
 * The program as `pulumi up` runs it (index.ts): reads the stack's config from the engine. Bad config
 * stops it before any resource is registered, with every bad key named.
 */
export function programFromStackConfig(): SecureBucketStackOutputs {
    try {
        return secureBucketProgram(parseStackConfig(pulumi.runtime.allConfig(), componentNameOf(pulumi.getProject(), pulumi.getStack())));
    } catch (error) {
        // RunError: Pulumi prints the message alone, without a stack trace.
        if (error instanceof StackConfigError) throw new pulumi.RunError(error.message);
        throw error;
    }
}
