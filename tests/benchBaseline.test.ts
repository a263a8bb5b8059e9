/**
 * The program-cost benchmark compares SecureBucket with a raw twin (bench/rawResources.ts): the
 * comparison is fair only while the twin declares what the component does.
 */
import { expect } from "chai";
import { criticalPath } from "../bench/criticalPath";
import { rawBucket } from "../bench/rawResources";
import { BENCH_ARGS } from "../bench/workload";
import { SecureBucket } from "../components";
import { COMPONENT_TYPE } from "./helpers/resourceTypes";
import { recordedResources, registrationsCompleted } from "./setup/pulumiMocks";

describe("bench baseline (bench/rawResources.ts)", () => {
    it("declares the nine resources of a SecureBucket with the same inputs, in the same waves", async () => {
        rawBucket("twin", BENCH_ARGS);
        new SecureBucket("comp", BENCH_ARGS);
        // The twin's nine, the component and its nine.
        await registrationsCompleted(19);
        const built = (prefix: string) => recordedResources().filter((r) => r.type !== COMPONENT_TYPE && r.name.startsWith(prefix));
        // Each resource as `<type> <name>` and its inputs, with the twin's name written as the component's.
        const asComponent = (prefix: string) =>
            Object.fromEntries(built(prefix).map((r) => [`${r.type} ${r.name.replace(prefix, "comp")}`, JSON.parse(JSON.stringify(r.inputs).replaceAll(prefix, "comp"))]));
        expect(built("twin")).to.have.length(9);
        expect(asComponent("twin")).to.deep.equal(asComponent("comp"));
        const waves = (prefix: string) => criticalPath(built(prefix), () => true).byWave.map((wave) => wave.map((name) => name.replace(prefix, "comp")).sort());
        expect(waves("twin")).to.deep.equal(waves("comp"));
    });
});
