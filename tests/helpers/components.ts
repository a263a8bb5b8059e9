import type * as pulumi from "@pulumi/pulumi";
import { SecureBucket, SecureBucketArgs, SecureBucketArgumentError, validateSecureBucketArgs } from "../../components";
import { expectRejection } from "../setup/pulumiMocks";
import { thrownBy } from "./errors";
import { registered, valueOf } from "./outputs";

/** The error the validator raises for `args` (typed loosely: the bad values are what a JavaScript caller or a typo passes). */
export function validationError(name: string, args: unknown): SecureBucketArgumentError {
    return thrownBy(SecureBucketArgumentError, () => validateSecureBucketArgs(name, args as SecureBucketArgs));
}

/** Builds a SecureBucket and resolves once it and every child it has (the opt-ins' too) are registered. */
export async function built(name: string, args?: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions): Promise<SecureBucket> {
    const sb = new SecureBucket(name, args, opts);
    const optIns = [sb.accessLogging, sb.objectLockConfiguration, sb.notifications].filter((r): r is NonNullable<typeof r> => r !== undefined);
    await registered(sb, sb.key, sb.alias, sb.bucket, sb.ownershipControls, sb.publicAccessBlock, sb.encryption, sb.versioning, sb.lifecycle, sb.policy, ...optIns);
    return sb;
}

/**
 * Builds a SecureBucket whose registration fails with an argument error (a value checked when it
 * resolved, or a deploy-time check), and resolves with that error once it is reported and the
 * component's own registration is in. Every child is built on the bucket, which waits for those
 * checks, so from then on what is registered is final.
 */
export async function failedRegistration(name: string, args: SecureBucketArgs): Promise<{ sb: SecureBucket; error: SecureBucketArgumentError }> {
    const failure = expectRejection((reason) => reason instanceof SecureBucketArgumentError && reason.message.includes(`SecureBucket "${name}"`));
    // Newer Pulumi SDKs also fail what is built on the bucket, with the error wrapped in theirs.
    void expectRejection((reason) => String(reason).includes(`SecureBucket "${name}"`));
    const sb = new SecureBucket(name, args);
    const error = (await failure) as SecureBucketArgumentError;
    await valueOf(sb.urn);
    return { sb, error };
}
