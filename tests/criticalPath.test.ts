import { expect } from "chai";
import { criticalPath, PlannedResource } from "../bench/criticalPath";

const r = (name: string, dependencies: string[] = [], type = "aws:x/y:Y"): PlannedResource => ({ type, name, urn: `urn:${name}`, dependencies: dependencies.map((d) => `urn:${d}`) });
const custom = (x: PlannedResource) => x.type !== "component";

describe("bench criticalPath", () => {
    it("counts waves along the longest chain and names it", () => {
        const result = criticalPath([r("a"), r("b", ["a"]), r("c", ["a"]), r("d", ["b", "c"]), r("e", ["a"])], custom);
        expect(result.waves).to.equal(3);
        expect(result.byWave).to.deep.equal([["a"], ["b", "c", "e"], ["d"]]);
        expect(result.chain).to.have.length(3);
        expect(result.chain[0]).to.equal("a");
        expect(result.chain[2]).to.equal("d");
    });

    it("skips components and dependencies on them", () => {
        const result = criticalPath([r("comp", [], "component"), r("a", ["comp"]), r("b", ["a", "comp"])], custom);
        expect(result).to.deep.equal({ waves: 2, byWave: [["a"], ["b"]], chain: ["a", "b"] });
    });

    it("refuses a cycle", () => {
        expect(() => criticalPath([r("a", ["b"]), r("b", ["a"])], custom)).to.throw(/cycle/);
    });
});
