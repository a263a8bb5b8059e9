import * as path from "path";
import { findProjectDir } from "../project/pulumiProject";
import { UsageError } from "./exitCodes";

/**
 * The Pulumi project folder (Pulumi.yaml and the Pulumi.<stack>.yaml files): the nearest folder with
 * a Pulumi.yaml from `--cwd` when given, else from the working directory, going up. There is no
 * fallback: a command run outside a Pulumi project says so rather than running another project.
 */
export function resolveProjectDir(cwdOption: string | undefined, cwd: string = process.cwd()): string {
    const start = path.resolve(cwd, cwdOption ?? ".");
    const dir = findProjectDir(start);
    if (dir === undefined) throw new UsageError(`No Pulumi.yaml in ${start} or any folder above it: run this in a Pulumi project, or pass --cwd <project folder>.`);
    return dir;
}
