/**
 * The AWS SDK clients verify and adopt use: the default credentials chain and region (environment,
 * shared config and credentials files, SSO, instance roles), or an emulator's endpoint.
 */
import { KMSClient } from "@aws-sdk/client-kms";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";

/** Where the clients send their requests. */
export interface Endpoint {
    /** The region to call; the SDK's default (AWS_REGION, the profile's region) when undefined. */
    region?: string;
    /** An emulator's URL (e.g. moto's `http://127.0.0.1:5000`); S3 is then addressed path-style. */
    endpointUrl?: string;
    /** Static credentials instead of the default chain (tests against an emulator). */
    credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface AwsClients {
    s3: S3Client;
    kms: KMSClient;
    sts: STSClient;
}

export function awsClients(endpoint: Endpoint): AwsClients {
    const common = {
        ...(endpoint.region === undefined ? {} : { region: endpoint.region }),
        ...(endpoint.endpointUrl === undefined ? {} : { endpoint: endpoint.endpointUrl }),
        ...(endpoint.credentials === undefined ? {} : { credentials: endpoint.credentials }),
    };
    return {
        s3: new S3Client({ ...common, forcePathStyle: endpoint.endpointUrl !== undefined }),
        kms: new KMSClient(common),
        sts: new STSClient(common),
    };
}

/** The error name the SDK gives a service error (`NoSuchBucketPolicy`, `AccessDenied`, ...). */
export function errorName(error: unknown): string | undefined {
    return error instanceof Error ? error.name : undefined;
}

/** The call's answer, or `absent` when it failed with one of `absentWhen` (S3's "no such configuration" errors). */
export async function orAbsent<T, A>(call: Promise<T>, absentWhen: readonly string[], absent: A): Promise<T | A> {
    try {
        return await call;
    } catch (error) {
        if (absentWhen.includes(errorName(error) ?? "")) return absent;
        throw error;
    }
}
