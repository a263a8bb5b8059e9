import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO } from "./build";

/** A copy of the project's Pulumi.yaml and stack files in a temp folder, plus the extra stack files given. */
export function tempProject(extraStacks: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-cli-"));
    for (const file of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml"]) fs.copyFileSync(path.join(REPO, file), path.join(dir, file));
    for (const [stack, text] of Object.entries(extraStacks)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
    return dir;
}
