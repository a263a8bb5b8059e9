/**
 * Sets up, in the emulator, the bucket and key a plan describes, as `pulumi up` would (the plan's
 * placeholders filled with the values the emulator assigns): the "set up as the plan says" state
 * that verify must find without drift. Test support only.
 */
import { CreateAliasCommand, CreateKeyCommand, EnableKeyRotationCommand, PutKeyPolicyCommand } from "@aws-sdk/client-kms";
import {
    CreateBucketCommand,
    PutBucketEncryptionCommand,
    PutBucketLifecycleConfigurationCommand,
    PutBucketOwnershipControlsCommand,
    PutBucketPolicyCommand,
    PutBucketVersioningCommand,
    PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import type { PlanDocument } from "../../cli/planJson";
import { PLACEHOLDER_KEY_ID } from "../../offline/placeholders";
import type { AwsClients } from "../../verify/clients";
import { expectedFromPlan } from "../../verify/expected";

/** A provider-shaped value in the SDK's shape: keys in PascalCase (`id` → `ID`). */
function pascalCased(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(pascalCased);
    if (typeof value !== "object" || value === null) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k === "id" ? "ID" : k.charAt(0).toUpperCase() + k.slice(1), pascalCased(v)]));
}

export interface Applied {
    bucket: string;
    keyArn: string;
    deployer: string;
}

/** Creates what the plan (one SecureBucket, its bucket named) describes; the deploying role is `deployer`. */
export async function applyPlan(clients: AwsClients, plan: PlanDocument, deployer: string): Promise<Applied> {
    const expected = expectedFromPlan(plan);
    const bucket = expected.bucketName;
    const deployerPlaceholder = plan.placeholders.values.find((p) => p.meaning.includes("deploying role"))?.value;
    const fill = (keyId: string) => (text: string) => [[PLACEHOLDER_KEY_ID, keyId], [deployerPlaceholder, deployer]].reduce((t, [p, v]) => (p === undefined ? t : t.split(p).join(v)), text);

    const keyPolicy = (keyId: string) => fill(keyId)(JSON.stringify({ Version: "2012-10-17", Statement: expected.keyPolicy }));
    const created = await clients.kms.send(new CreateKeyCommand({ Description: "verify test", KeyUsage: "ENCRYPT_DECRYPT" }));
    const keyId = created.KeyMetadata?.KeyId ?? "";
    const keyArn = created.KeyMetadata?.Arn ?? "";
    await clients.kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: "default", Policy: keyPolicy(keyId) }));
    await clients.kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: expected.keyRotation.periodInDays }));
    await clients.kms.send(new CreateAliasCommand({ AliasName: expected.aliasName, TargetKeyId: keyId }));

    const s3 = clients.s3;
    await s3.send(new CreateBucketCommand({ Bucket: bucket, ...(expected.region === "us-east-1" ? {} : { CreateBucketConfiguration: { LocationConstraint: expected.region as never } }) }));
    const e = expected.encryption;
    await s3.send(
        new PutBucketEncryptionCommand({
            Bucket: bucket,
            ServerSideEncryptionConfiguration: {
                Rules: [
                    {
                        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: fill(keyId)(String(e.kmsMasterKeyId)) },
                        BucketKeyEnabled: e.bucketKeyEnabled === true,
                        BlockedEncryptionTypes: { EncryptionType: e.blockedEncryptionTypes as never },
                    },
                ],
            },
        }),
    );
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: pascalCased(expected.publicAccessBlock) as never }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucket, OwnershipControls: { Rules: [{ ObjectOwnership: expected.objectOwnership as never }] } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: expected.versioning as never } }));
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: pascalCased(expected.lifecycleRules) as never } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: fill(keyId)(JSON.stringify({ Version: "2012-10-17", Statement: expected.bucketPolicy })) }));
    return { bucket, keyArn, deployer };
}
