/**
 * A Pulumi project as the Pulumi CLI sees it: its name, its runtime, and the entry point of its
 * Node.js program (Pulumi.yaml `main`, else package.json `main`, else `index.ts`/`index.js`).
 * Reads files only; loading the program is programLoader.ts's job.
 */
import * as fs from "fs";
import * as path from "path";
import { readYaml } from "../program/stackFile";

/** Raised when a folder is not a Pulumi project this package can run: says what is missing and where. */
export class ProjectError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "ProjectError";
    }
}

/** The nearest folder holding a `Pulumi.yaml`, starting at `start` and going up; undefined if none. */
export function findProjectDir(start: string): string | undefined {
    let dir = path.resolve(start);
    for (;;) {
        if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
        const parent = path.dirname(dir);
        if (parent === dir) return undefined;
        dir = parent;
    }
}

/** What `Pulumi.yaml` says about a Node.js project. */
export interface PulumiProject {
    /** The project folder, absolute. */
    dir: string;
    /** `name` in Pulumi.yaml: the namespace of the project's own config keys. */
    name: string;
    /** The file Pulumi would run: absolute. */
    entryPoint: string;
}

function readProjectFile(dir: string): Record<string, unknown> {
    const file = path.join(dir, "Pulumi.yaml");
    if (!fs.existsSync(file)) throw new ProjectError(`No Pulumi.yaml in ${dir}: not a Pulumi project`);
    const document = readYaml(file);
    if (typeof document !== "object" || document === null || Array.isArray(document)) throw new ProjectError(`${file} is not a map of project settings`);
    return document as Record<string, unknown>;
}

/** The `runtime` of Pulumi.yaml: `nodejs` or `{ name: nodejs, options }`. */
function runtimeName(runtime: unknown): unknown {
    return typeof runtime === "object" && runtime !== null ? (runtime as { name?: unknown }).name : runtime;
}

/** The package.json in `dir`, if there is one; an ES-module package is refused, whatever its entry point. */
function packageManifest(dir: string): { main?: unknown } | undefined {
    const file = path.join(dir, "package.json");
    if (!fs.existsSync(file)) return undefined;
    const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as { main?: unknown; type?: unknown };
    if (manifest.type === "module") {
        throw new ProjectError(`${file} sets "type": "module": secure-bucket runs CommonJS programs (Pulumi's TypeScript and JavaScript templates), not ES modules`);
    }
    return manifest;
}

/** The `main` field of a package.json in `dir`, if it has one. */
function packageMain(dir: string): string | undefined {
    const main = packageManifest(dir)?.main;
    return typeof main === "string" ? main : undefined;
}

/** The first of `candidates` that is a file, as Node's `require` would try them. */
function firstFile(candidates: string[]): string | undefined {
    return candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/** A path as `require` resolves it, with `.ts` beside `.js`: the file, or the file with an extension. */
function asFile(target: string): string | undefined {
    return firstFile([target, `${target}.ts`, `${target}.js`]);
}

/** A folder as `require` resolves it: its package.json `main`, else its index. */
function asFolder(dir: string): string | undefined {
    const main = packageMain(dir);
    const fromMain = main === undefined ? undefined : (asFile(path.resolve(dir, main)) ?? firstFile([path.join(path.resolve(dir, main), "index.ts"), path.join(path.resolve(dir, main), "index.js")]));
    return fromMain ?? firstFile([path.join(dir, "index.ts"), path.join(dir, "index.js")]);
}

/**
 * Reads the project in `dir`: it must declare a name and the `nodejs` runtime, and have an entry
 * point where Pulumi would look for one.
 * @throws ProjectError naming what is missing.
 */
export function readPulumiProject(dir: string): PulumiProject {
    const settings = readProjectFile(dir);
    const file = path.join(dir, "Pulumi.yaml");
    if (typeof settings.name !== "string" || settings.name === "") throw new ProjectError(`${file} has no project name`);
    const runtime = runtimeName(settings.runtime);
    if (runtime !== "nodejs") {
        throw new ProjectError(`${file} declares runtime ${JSON.stringify(runtime ?? null)}: secure-bucket runs Node.js programs (runtime: nodejs) only`);
    }
    packageManifest(dir);
    const main = settings.main === undefined ? "." : settings.main;
    if (typeof main !== "string") throw new ProjectError(`${file}: main must be a path, not ${JSON.stringify(main)}`);
    const target = path.resolve(dir, main);
    const isFolder = fs.existsSync(target) && fs.statSync(target).isDirectory();
    const entryPoint = isFolder ? asFolder(target) : asFile(target);
    if (entryPoint === undefined) {
        const looked = settings.main === undefined ? `package.json "main", index.ts or index.js in ${target}` : `${target} (Pulumi.yaml main)`;
        throw new ProjectError(`No Node.js program in the Pulumi project ${dir}: looked for ${looked}`);
    }
    return { dir, name: settings.name, entryPoint };
}
