/**
 * The constructor TypeScript programs see: the class's own, plus compile-time refusals of the Object
 * Lock settings that its schema-inferable arguments cannot refuse (Pulumi's schema analyzer rejects
 * union types, and reads the class's one constructor: components/secureBucket.ts keeps it plain).
 * The run-time rules (rules/objectLock.ts) refuse the same, for every language and for stack config.
 */
import type * as pulumi from "@pulumi/pulumi";
import { SecureBucket as SecureBucketComponent } from "./secureBucket";
import type { SecureBucketArgs } from "./secureBucketArgs";

/**
 * What an `objectLock` whose type shows COMPLIANCE without the acknowledgement, or both `days` and
 * `years`, must also have: a property it can never have, named after the mistake. `unknown` (no
 * demand) for anything else, including a value typed only as `ObjectLockSettings`, which the
 * run-time rules check.
 */
type ObjectLockCheck<L> = (L extends { mode: "COMPLIANCE" }
    ? L extends { acknowledgeComplianceCannotBeUndone: true }
        ? unknown
        : { "COMPLIANCE needs acknowledgeComplianceCannotBeUndone: true": never }
    : unknown) &
    (L extends { days: number; years: number } ? { "days or years, not both": never } : unknown);

/** `args` of a SecureBucket, with what its `objectLock`'s type must also satisfy. */
export type CheckedSecureBucketArgs<A extends SecureBucketArgs> = A & { objectLock?: ObjectLockCheck<A["objectLock"]> };

/**
 * The constructor of {@link SecureBucket}, with the compile-time Object Lock checks: the class's
 * static side (a mapped type, which keeps its properties but not its own construct signature).
 */
export interface SecureBucketConstructor extends Omit<typeof SecureBucketComponent, never> {
    /**
     * @param name Name of the component; children are named `<name>-key`, `<name>-alias`, ... and the
     * bucket is auto-named from it unless `bucketName` is given.
     * @param args See {@link SecureBucketArgs}; every argument is validated before any child exists.
     * @param opts Resource options for the component.
     */
    new <A extends SecureBucketArgs>(name: string, args?: CheckedSecureBucketArgs<A>, opts?: pulumi.ComponentResourceOptions): SecureBucketComponent;
}

/**
 * An S3 bucket encrypted by default with its own customer-managed KMS key, with the guards and the
 * bucket and key policies described in the README: the class of components/secureBucket.ts, whose
 * constructor's type also refuses COMPLIANCE without `acknowledgeComplianceCannotBeUndone: true` and
 * `days` with `years`, where the argument's type shows them.
 */
export const SecureBucket: SecureBucketConstructor = SecureBucketComponent;
/** A SecureBucket component. */
export type SecureBucket = SecureBucketComponent;
