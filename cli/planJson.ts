/**
 * The plan as one JSON document: stable ordering, no randomness, no timestamps, and IAM policy
 * documents (which Pulumi passes around as JSON strings) parsed into objects so that a diff of two
 * plans shows the changed statement, not one changed line of escaped JSON.
 *
 * Pure functions, no Pulumi state; the text renderer (planText.ts) renders the same document.
 */
import { parsePolicyString } from "../compliance/policyDocuments";
import type { Placeholder } from "../offline/placeholders";
import type { RecordedResource } from "../offline/registrationRecorder";

/** One resource the program would create. */
export interface PlanResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent resource, or null for a top-level one. */
    parent: string | null;
    /** Whether Pulumi `protect` is set on it. */
    protect: boolean;
    /** URNs of the resources it waits for (explicit `dependsOn` and input sources), sorted. */
    dependencies: string[];
    /** Inputs as the engine receives them; policy documents parsed. */
    inputs: Record<string, unknown>;
    /** Present only when the resource is adopted: the ID of the existing resource Pulumi's `import` option takes over. */
    import?: string;
    /** Present only when set: Pulumi leaves the resource in place when it deletes it (stack destroyed, component removed). */
    retainOnDelete?: true;
}

/** The `placeholders` note: which values are made up by the offline engine. */
export interface PlanPlaceholders {
    note: string;
    /** The region is real: it comes from the stack's `aws:region`. */
    region: string;
    /** Partition and DNS suffix, derived from the region. */
    partition: string;
    values: Placeholder[];
}

/** The document `plan --json` prints. */
export interface PlanDocument {
    stack: string;
    project: string;
    placeholders: PlanPlaceholders;
    /** Fields whose JSON-string values are shown parsed (policy documents). */
    parsedJsonStrings: string;
    resources: PlanResource[];
    outputs: Record<string, unknown>;
}

/** Pulumi's serialisation signatures (see `@pulumi/pulumi/runtime/rpc`). */
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SIG_SECRET = "1b47061264138c4ac30d75fd1eb44270";
const SIG_RESOURCE_REFERENCE = "5cf8f73096256a8f31e491e813e4eb8e";
const SIG_OUTPUT_VALUE = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** `value` as Pulumi marks a secret on the wire, which {@link canonical} shows as "[secret]". */
export function asSecret(value: unknown): unknown {
    return { [SIG_KEY]: SIG_SECRET, value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A value made stable and readable: object keys sorted, Pulumi's wire signatures unwrapped (secrets
 * shown as "[secret]", unknowns as "[unknown]", resource references as their URN) and policy
 * documents parsed. A parsed policy keeps the document's own key order (Sid, Effect, ...), which is
 * itself deterministic.
 */
export function canonical(value: unknown): unknown {
    if (typeof value === "string") {
        if (value === UNKNOWN_VALUE) return "[unknown]";
        return parsePolicyString(value) ?? value;
    }
    if (Array.isArray(value)) return value.map(canonical);
    if (!isRecord(value)) return value;
    const sig = value[SIG_KEY];
    if (sig === SIG_SECRET) return "[secret]";
    if (sig === SIG_RESOURCE_REFERENCE) return typeof value.urn === "string" ? value.urn : "[resource]";
    if (sig === SIG_OUTPUT_VALUE) return value.secret === true ? "[secret]" : "value" in value ? canonical(value.value) : "[unknown]";
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = canonical(value[key]);
    return sorted;
}

const byText = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
const compareResources = (a: RecordedResource, b: RecordedResource): number => byText(a.type, b.type) || byText(a.name, b.name) || byText(a.urn, b.urn);

/**
 * Resources in a stable order that does not depend on when the mock engine finished each one:
 * a parent before its children, a resource after the ones it depends on, ties broken by type, then
 * name: for SecureBucket, the component, the bucket, the key, then the bucket-level resources.
 */
export function orderResources(resources: readonly RecordedResource[]): RecordedResource[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const waitsFor = new Map(resources.map((r) => [r.urn, new Set([r.parent, ...r.dependencies].filter((urn) => urn !== r.urn && byUrn.has(urn)))]));
    const ordered: RecordedResource[] = [];
    const placed = new Set<string>();
    while (ordered.length < resources.length) {
        const ready = resources.filter((r) => !placed.has(r.urn) && [...(waitsFor.get(r.urn) ?? [])].every((urn) => placed.has(urn)));
        // A cycle cannot come from Pulumi; should one appear, fall back to plain sorting for the rest.
        const next = (ready.length > 0 ? ready : resources.filter((r) => !placed.has(r.urn))).sort(compareResources)[0];
        ordered.push(next);
        placed.add(next.urn);
    }
    return ordered;
}

/** The URNs of each document's components, for the text form; the JSON form has no room for them. */
const COMPONENTS = new WeakMap<PlanDocument, ReadonlySet<string>>();

/**
 * The URNs of the components (registered by the program, never created in AWS) among a plan's
 * resources: known for a document the offline engine built, undefined for one read back from JSON.
 */
export function componentsOf(document: PlanDocument): ReadonlySet<string> | undefined {
    return COMPONENTS.get(document);
}

/** The plan document for a stack's recording and resolved outputs. */
export function buildPlanDocument(input: {
    stack: string;
    project: string;
    region: string;
    partition: string;
    resources: readonly RecordedResource[];
    placeholders: readonly Placeholder[];
    outputs: Record<string, unknown>;
}): PlanDocument {
    const resources = orderResources(input.resources).map(
        (r): PlanResource => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            parent: r.parent === "" ? null : r.parent,
            protect: r.protect,
            dependencies: [...new Set(r.dependencies)].sort(),
            inputs: canonical(r.inputs) as Record<string, unknown>,
            ...(r.importId === "" ? {} : { import: r.importId }),
            ...(r.retainOnDelete ? { retainOnDelete: true as const } : {}),
        }),
    );
    const outputs: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input.outputs)) outputs[key] = canonical(value);
    // Only the placeholders that appear in the plan: a made-up value nothing uses is noise.
    const shown = JSON.stringify({ resources, outputs });
    const placeholders = input.placeholders.filter((p) => shown.includes(p.value));
    const document: PlanDocument = {
        stack: input.stack,
        project: input.project,
        placeholders: {
            note:
                "Offline plan on the Pulumi mock engine: nothing was deployed and no cloud was called. Values AWS or Pulumi " +
                "assign at deploy time are placeholders (listed in values); the region comes from the stack's aws:region.",
            region: input.region,
            partition: input.partition,
            values: placeholders.map((p) => ({ value: p.value, meaning: p.meaning })),
        },
        parsedJsonStrings: "IAM policy documents, which Pulumi passes as JSON strings, are shown parsed into objects",
        resources,
        outputs,
    };
    COMPONENTS.set(document, new Set(input.resources.filter((r) => !r.custom).map((r) => r.urn)));
    return document;
}

/** The document as printed by `plan --json`: two-space indentation and a final newline. */
export function renderPlanJson(document: PlanDocument): string {
    return `${JSON.stringify(document, null, 2)}\n`;
}
