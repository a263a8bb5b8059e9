/**
 * The one shape the rules read: the resources of a stack, from either source the rules run on.
 *
 * - The offline plan (`secure-bucket plan --json`, cli/planJson.ts `PlanDocument`): inputs as the
 *   engine received them, policy documents already parsed, no unknown values (the offline engine
 *   runs with previews off), dependencies per resource only.
 * - CrossGuard's stack validation (`@pulumi/policy` `PolicyResource`): the properties the Pulumi CLI
 *   sends over gRPC, wrapped in a proxy that throws on any unknown value; policy documents are JSON
 *   strings; dependencies per resource and per property.
 *
 * Both become {@link StackResource}s with unknown values replaced by {@link UNKNOWN}, so a rule can
 * say "cannot judge during preview" for one bucket instead of losing the whole rule to the proxy's
 * exception. Pure: no Pulumi SDK is loaded here.
 */
import type { PlanDocument } from "../cli/planJson";
import { parsePolicyString } from "./policyDocuments";

/** A value the engine does not know yet (during `pulumi preview`); the plan shows it as this text too. */
export const UNKNOWN = "[unknown]";
/** A secret, as the offline plan shows it (CrossGuard hands policies secrets in the clear). */
export const SECRET = "[secret]";

/** One resource of a stack, as the rules read it. */
export interface StackResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent, or null for a top-level resource. */
    parent: string | null;
    /** Inputs (plan) or properties (CrossGuard); policy documents parsed; unknown values are {@link UNKNOWN}. */
    inputs: Record<string, unknown>;
    /** URNs this resource depends on. */
    dependencies: string[];
    /** URNs each property depends on, where the source says (CrossGuard does, the plan does not). */
    propertyDependencies: Record<string, string[]>;
}

/** The resources of an offline plan. */
export function fromPlan(plan: PlanDocument): StackResource[] {
    return plan.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        inputs: normalize(r.inputs) as Record<string, unknown>,
        dependencies: r.dependencies,
        propertyDependencies: {},
    }));
}

/** What the rules need of `@pulumi/policy`'s `PolicyResource` (structural: this module does not load the SDK). */
export interface PolicyResourceLike {
    type: string;
    name: string;
    urn: string;
    props: Record<string, unknown>;
    parent?: { urn: string };
    dependencies: { urn: string }[];
    propertyDependencies: Record<string, { urn: string }[]>;
}

/**
 * `@pulumi/policy` hands out properties behind a proxy that throws `UnknownValueError` on the first
 * unknown value read; its own accessor for the proxied object returns the raw properties, in which
 * unknowns are the engine's sentinel strings.
 */
const PROXY_TARGET = "__getSpecialProxyTarget";

/** The resources of a CrossGuard stack validation. */
export function fromPolicyResources(resources: readonly PolicyResourceLike[]): StackResource[] {
    return resources.map((r) => {
        const raw = r.props[PROXY_TARGET] ?? r.props;
        const propertyDependencies: Record<string, string[]> = {};
        for (const [key, deps] of Object.entries(r.propertyDependencies)) propertyDependencies[key] = deps.map((d) => d.urn);
        return {
            type: r.type,
            name: r.name,
            urn: r.urn,
            parent: r.parent?.urn ?? null,
            inputs: normalize(raw) as Record<string, unknown>,
            dependencies: r.dependencies.map((d) => d.urn),
            propertyDependencies,
        };
    });
}

/**
 * The engine's sentinels for unknown values (`@pulumi/policy` proxy.ts; the engine sends every
 * unknown as the string one, the others are listed for completeness).
 */
const UNKNOWN_SENTINELS = new Set([
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
    "030794c1-ac77-496b-92df-f27374a8bd58",
    "e48ece36-62e2-4504-bad9-02848725956a",
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

/** Unknown sentinels as {@link UNKNOWN}, policy documents (JSON strings) parsed; everything else as it is. */
function normalize(value: unknown): unknown {
    if (typeof value === "string") return UNKNOWN_SENTINELS.has(value) ? UNKNOWN : (parsePolicyString(value) ?? value);
    if (Array.isArray(value)) return value.map(normalize);
    if (typeof value !== "object" || value === null) return value;
    const result: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) result[key] = normalize(v);
    return result;
}
