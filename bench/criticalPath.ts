/** The deploy critical path: how many sequential waves a real `pulumi up` must wait through. */

/** A resource of a plan, with the URNs it waits for. */
export interface PlannedResource {
    type: string;
    name: string;
    urn: string;
    dependencies: string[];
}

export interface CriticalPath {
    /** Number of sequential waves: resources in one wave can be created together. */
    waves: number;
    /** The resources in each wave, by name. */
    byWave: string[][];
    /** One longest chain, first to last, by name. */
    chain: string[];
}

/**
 * Computes the waves from the declared dependencies (explicit `dependsOn` and inputs taken from other
 * resources). Only custom resources take time to create: components and the stack are skipped, and
 * so are dependencies on them.
 */
export function criticalPath(resources: readonly PlannedResource[], isCustom: (r: PlannedResource) => boolean): CriticalPath {
    const custom = new Map(resources.filter(isCustom).map((r) => [r.urn, r]));
    const wave = new Map<string, number>();
    const via = new Map<string, string | undefined>();
    const waveOf = (urn: string, path: Set<string>): number => {
        const known = wave.get(urn);
        if (known !== undefined) return known;
        if (path.has(urn)) throw new Error(`dependency cycle through ${urn}`);
        path.add(urn);
        let best = 0;
        let before: string | undefined;
        for (const dep of custom.get(urn)?.dependencies ?? []) {
            if (!custom.has(dep)) continue;
            const w = waveOf(dep, path);
            if (w > best) [best, before] = [w, dep];
        }
        path.delete(urn);
        wave.set(urn, best + 1);
        via.set(urn, before);
        return best + 1;
    };
    for (const urn of custom.keys()) waveOf(urn, new Set());
    const waves = Math.max(0, ...wave.values());
    const byWave = Array.from({ length: waves }, (_, i) =>
        [...custom.values()].filter((r) => wave.get(r.urn) === i + 1).map((r) => r.name),
    );
    let last = [...custom.keys()].find((urn) => wave.get(urn) === waves);
    const chain: string[] = [];
    while (last !== undefined) {
        chain.unshift(custom.get(last)?.name ?? last);
        last = via.get(last);
    }
    return { waves, byWave, chain };
}
