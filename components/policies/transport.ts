import { PolicyStatement } from "./policyDocument";

/** Stable ids of the two transport statements every bucket policy of this library starts with. */
export const TRANSPORT_SIDS = {
    denyInsecureTransport: "DenyInsecureTransport",
    denyOutdatedTls: "DenyOutdatedTlsVersions",
} as const;

/**
 * Deny every S3 action on the bucket and its objects over plain HTTP, and over TLS older than
 * `minimumTlsVersion`. Both are needed: `s3:TlsVersion` is absent on plain HTTP.
 */
export function transportDenies(bucketArn: string, minimumTlsVersion: "1.2" | "1.3"): PolicyStatement[] {
    const bucketAndObjects = [bucketArn, `${bucketArn}/*`];
    return [
        {
            Sid: TRANSPORT_SIDS.denyInsecureTransport,
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: bucketAndObjects,
            // IfExists: plain HTTP may carry the key as "false" or not at all; both are denied.
            Condition: { BoolIfExists: { "aws:SecureTransport": "false" } },
        },
        {
            Sid: TRANSPORT_SIDS.denyOutdatedTls,
            Effect: "Deny",
            Principal: "*",
            Action: ["s3:*"],
            Resource: bucketAndObjects,
            Condition: { NumericLessThan: { "s3:TlsVersion": minimumTlsVersion } },
        },
    ];
}
