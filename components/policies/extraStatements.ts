import type { ExtraPolicyStatement } from "../secureBucketArgs";
import type { PolicyDocument, PolicyStatement } from "./policyDocument";

/**
 * The bucket policy with the carried statements after SecureBucket's own (its denies still apply to
 * them: an explicit deny wins). A carried Sid equal to one of the document's is refused here too, so
 * that no statement of SecureBucket's can ever be shadowed by one of the same id.
 */
export function withExtraStatements(document: PolicyDocument, extra: readonly ExtraPolicyStatement[]): { Version: string; Statement: (PolicyStatement | ExtraPolicyStatement)[] } {
    const own = new Set(document.Statement.map((s) => s.Sid));
    const clash = extra.find((s) => own.has(s.Sid));
    if (clash !== undefined) throw new Error(`extraBucketPolicyStatements: the Sid ${JSON.stringify(clash.Sid)} is one of SecureBucket's own statements`);
    return extra.length === 0 ? document : { ...document, Statement: [...document.Statement, ...extra] };
}
