/**
 * `npm run build`: compiles the library to dist/ one file at a time, the JavaScript with
 * `ts.transpileModule` and the declarations with `ts.transpileDeclaration`.
 *
 * Neither needs the type checker. tsconfig.build.json sets `isolatedModules` and
 * `isolatedDeclarations`, under which each file's output depends on that file alone, so it is the
 * output `tsc -p tsconfig.build.json` writes. A checked build would parse the 270k lines of
 * @pulumi/aws declarations first: 7 to 9 s of CPU against about 2 s here. Types are checked by
 * `npm run typecheck`, which CI runs and `prepack` runs before this.
 *
 * Unlike tsc, it makes a script that starts with a shebang executable (dist/cli/main.js, the
 * `secure-bucket` bin), so `npx secure-bucket` works from a clone as it does once installed.
 *
 * A file that breaks the isolated-declarations rules (an exported value whose type must be
 * inferred) fails the build, as it fails tsc, and the output folder is left as it was.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { writePolicyPackFiles } from "./policyPackFiles";

/** What a build did: the files it compiled, or the problems that stopped it (nothing written). */
export interface BuildResult {
    /** The source files compiled, absolute. */
    files: string[];
    /** The output folder, absolute. */
    outDir: string;
    /** tsc-style messages, one per problem; empty when the build wrote its output. */
    problems: string[];
}

interface Output {
    path: string;
    text: string;
}

function readConfig(configPath: string): ts.ParsedCommandLine {
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, undefined, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
            throw new Error(`${configPath}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")}`);
        },
    });
    if (parsed === undefined) throw new Error(`Cannot read ${configPath}`);
    if (parsed.errors.length > 0) throw new Error(parsed.errors.map((d) => describe(d, path.dirname(configPath))).join("\n"));
    const { outDir, rootDir, isolatedModules, isolatedDeclarations } = parsed.options;
    if (outDir === undefined || rootDir === undefined || !isolatedModules || !isolatedDeclarations) {
        throw new Error(`${configPath} must set outDir, rootDir, isolatedModules and isolatedDeclarations: this build relies on all four`);
    }
    return parsed;
}

/** One diagnostic as tsc prints it: `file(line,col): error TSnnnn: message`, the file relative to `base`. */
function describe(diagnostic: ts.Diagnostic, base: string): string {
    return ts
        .formatDiagnostic(diagnostic, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => base, getNewLine: () => "\n" })
        .trimEnd();
}

/** `file`'s JavaScript and declarations, and the problems found in it. */
function compile(file: string, options: ts.CompilerOptions, outDir: string, rootDir: string): { outputs: Output[]; problems: ts.Diagnostic[] } {
    const source = fs.readFileSync(file, "utf8");
    // transpileModule turns `declaration` off, and `isolatedDeclarations` is an error without it.
    const js = ts.transpileModule(source, { compilerOptions: { ...options, isolatedDeclarations: false }, fileName: file, reportDiagnostics: true });
    const dts = ts.transpileDeclaration(source, { compilerOptions: options, fileName: file, reportDiagnostics: true });
    const target = path.join(outDir, path.relative(rootDir, file)).replace(/\.ts$/, "");
    return {
        outputs: [
            { path: `${target}.js`, text: js.outputText },
            { path: `${target}.d.ts`, text: dts.outputText },
        ],
        problems: [...(js.diagnostics ?? []), ...(dts.diagnostics ?? [])],
    };
}

/**
 * Compiles every file `configPath` includes into its `outDir`, which is emptied first. When any file
 * has a problem, nothing is written and the problems are returned.
 */
export function build(configPath: string): BuildResult {
    const { options, fileNames } = readConfig(configPath);
    const outDir = options.outDir as string;
    const rootDir = options.rootDir as string;
    const compiled = fileNames.map((file) => compile(file, options, outDir, rootDir));
    const problems = compiled.flatMap((c) => c.problems).map((d) => describe(d, path.dirname(configPath)));
    if (problems.length > 0) return { files: fileNames, outDir, problems };
    // Nothing from an earlier build survives: a deleted source leaves no module behind to be packed.
    fs.rmSync(outDir, { recursive: true, force: true });
    for (const output of compiled.flatMap((c) => c.outputs)) {
        fs.mkdirSync(path.dirname(output.path), { recursive: true });
        // A script with a shebang (the `secure-bucket` bin) is executable, so that it runs from a clone as npm installs it.
        fs.writeFileSync(output.path, output.text, { mode: output.text.startsWith("#!") ? 0o755 : 0o644 });
    }
    return { files: fileNames, outDir, problems: [] };
}

if (require.main === module) {
    const repo = path.resolve(__dirname, "..");
    const result = build(path.join(repo, "tsconfig.build.json"));
    // Silent on success, as tsc is: scripts that print JSON (npm run bench -- --json) run the build.
    if (result.problems.length > 0) {
        process.stderr.write(`${result.problems.join("\n")}\n\nbuild failed with ${result.problems.length} problem(s); ${path.relative(repo, result.outDir)}/ was left as it was.\n`);
        process.exitCode = 1;
    } else {
        writePolicyPackFiles(repo, result.outDir);
    }
}
