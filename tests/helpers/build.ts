/**
 * The compiled package in dist/, as `npm run build` leaves it. The end-to-end tests run it (the
 * `secure-bucket` bin is dist/cli/main.js) and the package tests pack it; `npm run test:e2e` and
 * `npm run test:package` build it first. Run on their own, they refuse a dist/ that is older than
 * the sources rather than test stale code.
 */
import * as fs from "fs";
import * as path from "path";

export const REPO = path.resolve(__dirname, "..", "..");
const DIST = path.join(REPO, "dist");

/** The folders tsconfig.build.json compiles, each to the same path under dist/. */
function buildSources(): string[] {
    const config = JSON.parse(fs.readFileSync(path.join(REPO, "tsconfig.build.json"), "utf8")) as { include: string[] };
    const folders = config.include.map((pattern) => pattern.replace(/\/\*\*\/\*\.ts$/, ""));
    return folders.flatMap((folder) =>
        (fs.readdirSync(path.join(REPO, folder), { recursive: true }) as string[])
            .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
            .map((file) => path.join(folder, file)),
    );
}

/** Throws, naming the first stale file, unless every source has a compiled file at least as new. */
export function assertDistIsFresh(): void {
    for (const source of buildSources()) {
        const compiled = path.join("dist", source.replace(/\.ts$/, ".js"));
        const compiledPath = path.join(REPO, compiled);
        const problem = !fs.existsSync(compiledPath)
            ? `${compiled} does not exist`
            : fs.statSync(compiledPath).mtimeMs < fs.statSync(path.join(REPO, source)).mtimeMs
              ? `${source} changed after ${compiled} was built`
              : undefined;
        if (problem !== undefined) {
            throw new Error(`dist/ is out of date: ${problem}. Run "npm run build" first ("npm run test:e2e" and "npm run test:package" build before they test).`);
        }
    }
}

/** The compiled CLI, after checking that dist/ is up to date. */
export function builtCli(): string {
    assertDistIsFresh();
    return path.join(DIST, "cli", "main.js");
}
