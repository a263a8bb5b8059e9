/**
 * What the policy pack's directory needs besides its compiled JavaScript, which the Pulumi CLI and
 * `@pulumi/policy` read from it: `PulumiPolicy.yaml` (the CLI: `runtime: nodejs`) and a
 * `package.json` with a version (`new PolicyPack` reads `<cwd>/package.json`, the pack's version),
 * which is this package's version. And the example config file the README shows, for
 * `--policy-pack-config`.
 */
import * as fs from "fs";
import * as path from "path";

/** Writes PulumiPolicy.yaml, config.example.json and package.json into `<outDir>/policypack`. */
export function writePolicyPackFiles(repo: string, outDir: string): void {
    const target = path.join(outDir, "policypack");
    for (const file of ["PulumiPolicy.yaml", "config.example.json"]) fs.copyFileSync(path.join(repo, "policypack", file), path.join(target, file));
    const { version } = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as { version: string };
    const manifest = { name: "secure-bucket-policy-pack", version, private: true, main: "index.js" };
    fs.writeFileSync(path.join(target, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}
