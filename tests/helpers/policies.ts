import type { PolicyDocument, PolicyStatement } from "../../components/policies/policyDocument";

/** A policy document, from its JSON (as a policy Output or a resource's input holds it) or as it is. */
export function policy(document: unknown): PolicyDocument {
    if (typeof document === "string") return JSON.parse(document) as PolicyDocument;
    if (typeof document === "object" && document !== null && "Statement" in document) return document as PolicyDocument;
    throw new Error(`not a policy document: ${JSON.stringify(document)}`);
}

/** The statement with this Sid; fails when the policy has none. */
export function statement(document: unknown, sid: string): PolicyStatement {
    const found = policy(document).Statement.find((s) => s.Sid === sid);
    if (found === undefined) throw new Error(`the policy has no statement ${sid}`);
    return found;
}

/** The AWS principals (roles, users, accounts) a statement names; fails for `*` or a service. */
export function principalsOf(s: PolicyStatement): string[] {
    if (s.Principal === "*" || !("AWS" in s.Principal)) throw new Error(`statement ${s.Sid} names no AWS principals: ${JSON.stringify(s.Principal)}`);
    return s.Principal.AWS;
}
