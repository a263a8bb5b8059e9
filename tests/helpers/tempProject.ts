import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "./build";

/**
 * A copy of this project in a temp folder: its Pulumi.yaml and stack files, the extra stack files
 * given, and an index.ts that runs this repository's program (as the repository's own index.ts does).
 */
export function tempProject(extraStacks: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-cli-"));
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(REPO, file), path.join(dir, file));
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        `import { programFromStackConfig } from ${JSON.stringify(path.join(REPO, "program", "program"))};\nexport = programFromStackConfig();\n`,
    );
    for (const [stack, text] of Object.entries(extraStacks)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}
