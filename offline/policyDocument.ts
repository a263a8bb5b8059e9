/**
 * `aws.iam.getPolicyDocument` offline: the IAM policy JSON the AWS provider renders from its
 * statements, as its documentation describes: a list of one value becomes that value; principals
 * group by type (`type: "*"` with `["*"]` is `"*"`); conditions group by test, then variable; the
 * statements of `sourcePolicyDocuments` come first, those given here next, and those of
 * `overridePolicyDocuments` replace any with the same Sid (or are added).
 */
import { createHash } from "crypto";

interface Principal {
    type: string;
    identifiers: string[];
}
interface Condition {
    test: string;
    variable: string;
    values: string[];
}
interface Statement {
    sid?: string;
    effect?: string;
    actions?: string[];
    notActions?: string[];
    resources?: string[];
    notResources?: string[];
    principals?: Principal[];
    notPrincipals?: Principal[];
    conditions?: Condition[];
}

type Json = Record<string, unknown>;

/** One value for a list of one, the list otherwise, as the provider renders them. */
function oneOrMany(values: readonly string[]): string | string[] {
    return values.length === 1 ? values[0] : [...values];
}

function principals(list: readonly Principal[]): string | Json {
    if (list.length === 1 && list[0].type === "*" && list[0].identifiers.length === 1 && list[0].identifiers[0] === "*") return "*";
    const grouped: Record<string, string[]> = {};
    for (const { type, identifiers } of list) grouped[type] = [...(grouped[type] ?? []), ...identifiers];
    return Object.fromEntries(Object.entries(grouped).map(([type, ids]) => [type, oneOrMany(ids)]));
}

function conditions(list: readonly Condition[]): Json {
    const grouped: Record<string, Record<string, string | string[]>> = {};
    for (const { test, variable, values } of list) grouped[test] = { ...grouped[test], [variable]: oneOrMany(values) };
    return grouped;
}

function render(statement: Statement): Json {
    const out: Json = {};
    if (statement.sid !== undefined && statement.sid !== "") out.Sid = statement.sid;
    out.Effect = statement.effect ?? "Allow";
    const lists: [keyof Statement, string][] = [["actions", "Action"], ["notActions", "NotAction"], ["resources", "Resource"], ["notResources", "NotResource"]];
    for (const [field, key] of lists) {
        const values = statement[field] as string[] | undefined;
        if (values !== undefined && values.length > 0) out[key] = oneOrMany(values);
    }
    if (statement.principals !== undefined && statement.principals.length > 0) out.Principal = principals(statement.principals);
    if (statement.notPrincipals !== undefined && statement.notPrincipals.length > 0) out.NotPrincipal = principals(statement.notPrincipals);
    if (statement.conditions !== undefined && statement.conditions.length > 0) out.Condition = conditions(statement.conditions);
    return out;
}

function statementsOf(documents: unknown): Json[] {
    if (!Array.isArray(documents)) return [];
    return documents.flatMap((text) => {
        const parsed: unknown = typeof text === "string" ? JSON.parse(text) : undefined;
        const statements = (parsed as { Statement?: unknown } | undefined)?.Statement;
        return Array.isArray(statements) ? (statements as Json[]) : statements !== undefined ? [statements as Json] : [];
    });
}

/** The answer of `aws:iam/getPolicyDocument:getPolicyDocument` for `inputs`. */
export function policyDocumentAnswer(inputs: Record<string, unknown>): { json: string; minifiedJson: string; id: string } {
    const statements = [...statementsOf(inputs.sourcePolicyDocuments), ...((inputs.statements as Statement[] | undefined) ?? []).map(render)];
    for (const override of statementsOf(inputs.overridePolicyDocuments)) {
        const index = override.Sid === undefined ? -1 : statements.findIndex((s) => s.Sid === override.Sid);
        if (index >= 0) statements[index] = override;
        else statements.push(override);
    }
    const document: Json = { Version: typeof inputs.version === "string" ? inputs.version : "2012-10-17" };
    if (typeof inputs.policyId === "string") document.Id = inputs.policyId;
    document.Statement = statements;
    const minifiedJson = JSON.stringify(document);
    // The provider's id is a hash of the document; any stable one serves offline.
    return { json: JSON.stringify(document, null, 2), minifiedJson, id: createHash("sha256").update(minifiedJson).digest("hex").slice(0, 16) };
}
