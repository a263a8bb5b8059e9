import * as fs from "fs";
import * as path from "path";
import { UsageError } from "./exitCodes";

/** The nearest folder holding a `Pulumi.yaml`, starting at `start` and going up; undefined if none. */
export function findUp(start: string): string | undefined {
    let dir = path.resolve(start);
    for (;;) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        const parent = path.dirname(dir);
        if (parent === dir) return undefined;
        dir = parent;
    }
}

/**
 * The Pulumi project folder (Pulumi.yaml and the Pulumi.<stack>.yaml files): from `--cwd` when
 * given, else the working directory, searching upward in both cases; without `--cwd`, falling back
 * to the folder this CLI ships in (found upward from this file, whether it runs as cli/main.ts or
 * as the compiled dist/cli/main.js).
 */
export function resolveProjectDir(cwdOption: string | undefined, cwd: string = process.cwd()): string {
    if (cwdOption !== undefined) {
        const dir = findUp(path.resolve(cwd, cwdOption));
        if (dir === undefined) throw new UsageError(`No Pulumi.yaml in ${path.resolve(cwd, cwdOption)} or any folder above it (--cwd).`);
        return dir;
    }
    const dir = findUp(cwd) ?? findUp(__dirname);
    if (dir === undefined) throw new UsageError(`No Pulumi.yaml in ${cwd} or any folder above it; pass --cwd <project folder>.`);
    return dir;
}
