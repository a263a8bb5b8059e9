/**
 * The plan for people: every resource with its parent and inputs, the bucket and key policies as
 * JSON, the stack outputs, and which values are placeholders. Renders the same document as
 * `plan --json` (see planJson.ts), so both always agree.
 */
import { stringify } from "yaml";
import { componentsOf, type PlanDocument, type PlanResource } from "./planJson";

interface ShownPolicy {
    /** "Key policy", "Bucket policy", ... */
    name: string;
    /** Where it is applied: `policy of aws:kms/key:Key "<name>"`. */
    where: string;
    json: string;
}

function isPolicyDocument(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value) && "Statement" in value;
}

function policyTitle(resource: PlanResource, input: string): string {
    if (resource.type === "aws:kms/key:Key" && input === "policy") return "Key policy";
    if (resource.type === "aws:s3/bucketPolicy:BucketPolicy" && input === "policy") return "Bucket policy";
    if (resource.type === "aws:iam/role:Role" && input === "assumeRolePolicy") return "Trust policy";
    if (resource.type === "aws:iam/rolePolicy:RolePolicy" && input === "policy") return "Role policy";
    return `Policy "${input}"`;
}

function label(resource: PlanResource): string {
    return `${resource.type} "${resource.name}"`;
}

function indent(text: string, spaces: number): string {
    const pad = " ".repeat(spaces);
    return text
        .replace(/\n$/, "")
        .split("\n")
        .map((line) => (line === "" ? line : pad + line))
        .join("\n");
}

/** The human-readable plan. */
export function renderPlanText(plan: PlanDocument): string {
    const out: string[] = [];
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const policies: ShownPolicy[] = [];

    out.push(
        `Plan for stack "${plan.stack}" of project ${plan.project}`,
        "Offline, on the Pulumi mock engine: nothing was deployed and no cloud was called.",
        "",
        "PLACEHOLDERS: values AWS or Pulumi assign at deploy time, made up here:",
    );
    const width = Math.max(0, ...plan.placeholders.values.map((p) => p.value.length));
    for (const p of plan.placeholders.values) out.push(`  ${p.value.padEnd(width)}  ${p.meaning}`);
    out.push(`Region ${plan.placeholders.region} (partition ${plan.placeholders.partition}) is real: it comes from aws:region in the stack config.`, "");

    const components = componentsOf(plan);
    // Pulumi's preview marks an import "=": the resource exists and is adopted, not created.
    const imported = plan.resources.filter((r) => r.import !== undefined).length;
    const created = plan.resources.length - imported - (components?.size ?? 0);
    const count = components === undefined ? `${plan.resources.length} resources` : `${created} resources to create in AWS`;
    const importing = imported > 0 ? `, ${imported} to import` : "";
    const grouped = components === undefined || components.size === 0 ? "" : `, grouped by ${components.size} component${components.size === 1 ? "" : "s"}`;
    out.push(`RESOURCES: ${count}${importing}${grouped}`);
    for (const resource of plan.resources) {
        const marker = resource.import !== undefined ? "=" : components?.has(resource.urn) ? "  component" : "+";
        out.push("", `${marker} ${label(resource)}${resource.import === undefined ? "" : `: import ${resource.import}`}`);
        const parent = resource.parent === null ? undefined : byUrn.get(resource.parent);
        if (resource.parent !== null) out.push(`    parent: ${parent ? label(parent) : resource.parent}`);
        if (resource.protect) out.push("    protect: true");
        if (resource.retainOnDelete) out.push("    retainOnDelete: true (left in place when the stack is destroyed)");
        // What it waits for: explicit dependsOn and the resources its inputs come from.
        const waitsFor = resource.dependencies.map((urn) => byUrn.get(urn)).map((r, i) => (r ? label(r) : resource.dependencies[i]));
        if (waitsFor.length > 0) out.push(`    depends on: ${waitsFor.join(", ")}`);
        const inputs: Record<string, unknown> = {};
        for (const [key, value] of Object.entries(resource.inputs)) {
            if (isPolicyDocument(value)) {
                const name = policyTitle(resource, key);
                policies.push({ name, where: `${key} of ${label(resource)}`, json: JSON.stringify(value, null, 2) });
                inputs[key] = `(the ${name.toLowerCase()}: shown below)`;
            } else {
                inputs[key] = value;
            }
        }
        if (Object.keys(inputs).length > 0) out.push("    inputs:", indent(stringify(inputs, { lineWidth: 0 }), 6));
    }

    for (const policy of policies) out.push("", `${policy.name} (${policy.where}):`, policy.json);

    out.push("", "OUTPUTS:");
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(plan.outputs)) {
        const json = isPolicyDocument(value) ? JSON.stringify(value, null, 2) : undefined;
        const same = json === undefined ? undefined : policies.find((p) => p.json === json);
        outputs[key] = same ? `(same document as the ${same.name.toLowerCase()} above)` : value;
    }
    out.push(indent(stringify(outputs, { lineWidth: 0 }), 2), "", `Placeholders: ${plan.placeholders.values.map((p) => p.value).join(", ") || "(none)"} (see above).`);
    return `${out.join("\n")}\n`;
}
