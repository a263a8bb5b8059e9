/**
 * Pulumi.yaml's config block is generated from the one declaration of each argument
 * (scripts/pulumiYaml.ts); this keeps the committed file in step with it.
 */
import { expect } from "chai";
import * as fs from "fs";
import { parse } from "yaml";
import { PULUMI_YAML, renderPulumiYaml } from "../scripts/pulumiYaml";

describe("Pulumi.yaml", () => {
    const current = fs.readFileSync(PULUMI_YAML, "utf8");

    it("is what `npm run generate` renders from the arguments' declarations (run it after changing an argument)", () => {
        expect(current).to.equal(renderPulumiYaml(current));
    });

    it("declares the project's keys, each with a description, and defaults only beside a type", () => {
        const config = (parse(current) as { config: Record<string, { type?: string; description?: string; default?: unknown }> }).config;
        expect(Object.keys(config)).to.include.members(["secure-bucket:readers", "secure-bucket:keyRotationPeriodInDays", "secure-bucket:tags"]);
        for (const [key, declaration] of Object.entries(config)) {
            expect(key.startsWith("secure-bucket:"), key).to.equal(true);
            expect(declaration.description, key).to.be.a("string").and.not.equal("");
            if ("default" in declaration) expect(declaration.type, `${key} has a default, so a type`).to.be.a("string");
        }
        expect(config["secure-bucket:keyRotationPeriodInDays"]).to.deep.include({ type: "integer", default: 365 });
        expect(config["secure-bucket:minimumTlsVersion"]).to.deep.include({ type: "string", default: "1.2" });
        expect(config["secure-bucket:tags"]).not.to.have.property("type");
    });
});
