import type { ExtraPolicyStatement } from "../secureBucketArgs";
import type { PolicyDocument, PolicyStatement } from "./policyDocument";

/**
 * The bucket policy with the carried statements after SecureBucket's own (its denies still apply to
 * them: an explicit deny wins). A carried Sid equal to one of SecureBucket's own is refused before
 * this runs, by the argument's validation (components/rules/adoption.ts's extraStatementProblems).
 */
export function withExtraStatements(document: PolicyDocument, extra: readonly ExtraPolicyStatement[]): { Version: string; Statement: (PolicyStatement | ExtraPolicyStatement)[] } {
    return extra.length === 0 ? document : { ...document, Statement: [...document.Statement, ...extra] };
}
