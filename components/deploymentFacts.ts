/**
 * What the components ask the AWS provider about the deployment (the caller, the partition, the
 * region, the deploying role), each answer checked before it is used. Under `pulumi up` the provider
 * always answers in full; under hand-written test mocks (Pulumi's testing guide answers every
 * function with its own inputs) an answer can lack what is needed. Such an answer fails at once,
 * naming the function and what it lacked, as an uncaught error (which fails the running test) as
 * well as through the outputs built on it, which a test awaiting them would otherwise wait for forever.
 */
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
import { getSessionContextOutput } from "@pulumi/aws/iam/getSessionContext";
import * as pulumi from "@pulumi/pulumi";

/** Raised for a provider function's answer that lacks what a component needs (test mocks). */
export class UnusableAnswerError extends Error {
    constructor(component: string, token: string, missing: string, answer: unknown) {
        super(
            `${component}: the provider function ${token} answered ${JSON.stringify(answer)}, which has ${missing}. ` +
                `Under pulumi.runtime.setMocks, answer it as AWS would: use offlineMocks() from "secure-bucket/testing" ` +
                `(or plan() from there, which runs your program on the same offline engine as \`secure-bucket plan\`).`,
        );
        this.name = "UnusableAnswerError";
    }
}

/** `answer` when it has a non-empty string at each of `fields`; otherwise fails as {@link UnusableAnswerError} says. */
function checked<T extends object>(component: string, token: string, answer: pulumi.Output<T>, fields: readonly (keyof T & string)[]): pulumi.Output<T> {
    return answer.apply((value) => {
        const missing = fields.filter((field) => typeof value?.[field] !== "string" || value[field] === "");
        if (missing.length === 0) return value;
        const error = new UnusableAnswerError(component, token, missing.map((field) => `no ${field}`).join(" and "), value);
        // Nothing may wait on a value that will never come: the running test (or program) fails now.
        setImmediate(() => {
            throw error;
        });
        throw error;
    });
}

/** The caller of the deployment: its account and ARN. */
export function callerIdentity(component: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<{ accountId: string; arn: string }> {
    return checked(component, "aws:index/getCallerIdentity:getCallerIdentity", getCallerIdentityOutput({}, opts), ["accountId", "arn"]);
}

/** The deployment's partition and its DNS suffix. */
export function partitionOf(component: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<{ partition: string; dnsSuffix: string }> {
    return checked(component, "aws:index/getPartition:getPartition", getPartitionOutput({}, opts), ["partition", "dnsSuffix"]);
}

/** `region` when given, otherwise the provider's region. */
export function regionOf(component: string, opts: pulumi.InvokeOutputOptions, region: pulumi.Input<string> | undefined): pulumi.Output<string> {
    if (region !== undefined) return pulumi.output(region);
    return checked(component, "aws:index/getRegion:getRegion", getRegionOutput({}, opts), ["region"]).apply((r) => r.region);
}

/** The ARN IAM knows the caller `callerArn` by: for an assumed-role session, its role's ARN with the path. */
export function deployerArn(component: string, opts: pulumi.InvokeOutputOptions, callerArn: pulumi.Output<string>): pulumi.Output<string> {
    return checked(component, "aws:iam/getSessionContext:getSessionContext", getSessionContextOutput({ arn: callerArn }, opts), ["issuerArn"]).apply((c) => c.issuerArn);
}
