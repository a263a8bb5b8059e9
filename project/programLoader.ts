/**
 * Runs a Node.js Pulumi program the way Pulumi's Node.js language host does: `require` of its entry
 * point, TypeScript transpiled on the fly (transpile-only, with sucrase: type-checking is `tsc`'s
 * job), and an exported function called and awaited. Each run loads the program afresh.
 */
import * as path from "path";
import type * as SucraseRegister from "sucrase/dist/types/register";

// sucrase ships the types of its register module apart from it, under dist/types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { addHook } = require("sucrase/dist/register") as typeof SucraseRegister;

/** This package's own modules (its sources in a clone, dist/ once built): never forgotten, they run the plan. */
const PACKAGE_ROOT = path.resolve(__dirname, "..");

function inNodeModules(file: string): boolean {
    return file.split(path.sep).includes("node_modules");
}

function inside(dir: string, file: string): boolean {
    const relative = path.relative(dir, file);
    return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/**
 * Runs `program` afresh, and so that it can run again: the project's own modules (those in
 * `projectDir`, outside node_modules and this package) leave the require cache before it runs, and
 * every module it loads (outside node_modules) when it ends, so each `require` of them runs them and
 * declares their resources again. `.ts` files load transpiled unless a TypeScript loader (ts-node,
 * tsx, sucrase/register) is already in place; the hook is removed when the run ends.
 */
export async function withFreshModules<T>(projectDir: string, program: () => T | Promise<T>): Promise<T> {
    const ownModule = (file: string) => inside(projectDir, file) && !inNodeModules(file) && !inside(PACKAGE_ROOT, file);
    for (const file of Object.keys(require.cache)) if (ownModule(file)) delete require.cache[file];
    const before = new Set(Object.keys(require.cache));
    const revert = require.extensions[".ts"] === undefined ? addHook(".ts", { transforms: ["typescript", "imports"] }) : undefined;
    try {
        return await program();
    } finally {
        revert?.();
        for (const file of Object.keys(require.cache)) if (!before.has(file) && !inNodeModules(file)) delete require.cache[file];
    }
}

/** Runs `run` with `dir` as the working directory, as Pulumi runs a program in its project's folder. */
export async function inFolder<T>(dir: string, run: () => Promise<T>): Promise<T> {
    const previous = process.cwd();
    process.chdir(dir);
    try {
        return await run();
    } finally {
        process.chdir(previous);
    }
}

/**
 * A program's stack outputs from what its module exports, as Pulumi reads them: the exports, or, when
 * the module exports a function (directly or as its only, default, export), what that function
 * returns, awaited.
 */
export async function programOutputs(exported: unknown): Promise<Record<string, unknown>> {
    const program = typeof exported === "object" && exported !== null && Object.keys(exported).length === 1 && "default" in exported ? exported.default : exported;
    const outputs: unknown = await (typeof program === "function" ? (program as () => unknown)() : program);
    return typeof outputs === "object" && outputs !== null ? (outputs as Record<string, unknown>) : {};
}

/** The stack outputs of the program at `entryPoint`, loaded as Pulumi's Node.js language host loads it. */
export function requireProgram(entryPoint: string): Promise<Record<string, unknown>> {
    // The program's own module, loaded as Pulumi loads it: a CommonJS require.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return programOutputs(require(entryPoint));
}
