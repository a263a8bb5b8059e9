/**
 * `npm run build`: compiles the library to dist/ one file at a time, the JavaScript with
 * `ts.transpileModule` and the declarations with `ts.transpileDeclaration`.
 *
 * Neither needs the type checker. tsconfig.build.json sets `isolatedModules` and
 * `isolatedDeclarations`, under which each file's output depends on that file alone, so it is the
 * output `tsc -p tsconfig.build.json` writes. A checked build would parse the 270k lines of
 * @pulumi/aws declarations first: 7 to 9 s of CPU against under 1 s here. Types are checked by
 * `npm run typecheck`, which CI runs and `prepack` runs before this.
 *
 * A file that breaks the isolated-declarations rules (an exported value whose type must be
 * inferred) is reported and fails the build, as tsc would.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const REPO = path.resolve(__dirname, "..");
const CONFIG = path.join(REPO, "tsconfig.build.json");

function readConfig(): ts.ParsedCommandLine {
    const parsed = ts.getParsedCommandLineOfConfigFile(CONFIG, undefined, {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
            throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
        },
    });
    if (parsed === undefined) throw new Error(`Cannot read ${CONFIG}`);
    if (parsed.errors.length > 0) throw new Error(format(parsed.errors));
    const { outDir, rootDir, isolatedModules, isolatedDeclarations } = parsed.options;
    if (outDir === undefined || rootDir === undefined || !isolatedModules || !isolatedDeclarations) {
        throw new Error(`${CONFIG} must set outDir, rootDir, isolatedModules and isolatedDeclarations: this build relies on all four`);
    }
    return parsed;
}

function format(diagnostics: readonly ts.Diagnostic[]): string {
    return ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (fileName) => fileName,
        getCurrentDirectory: () => REPO,
        getNewLine: () => "\n",
    });
}

interface Output {
    path: string;
    text: string;
}

/** `file`'s JavaScript and declarations, or the problems that stop them. */
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

function build(): number {
    const { options, fileNames } = readConfig();
    const outDir = options.outDir as string;
    const rootDir = options.rootDir as string;
    const compiled = fileNames.map((file) => compile(file, options, outDir, rootDir));
    const problems = compiled.flatMap((c) => c.problems);
    if (problems.length > 0) {
        process.stderr.write(format(problems));
        process.stderr.write(`\nbuild failed with ${problems.length} problem(s); ${path.relative(REPO, outDir)}/ was left as it was.\n`);
        return 1;
    }
    // Nothing from an earlier build survives: a deleted source leaves no module behind to be packed.
    fs.rmSync(outDir, { recursive: true, force: true });
    for (const output of compiled.flatMap((c) => c.outputs)) {
        fs.mkdirSync(path.dirname(output.path), { recursive: true });
        fs.writeFileSync(output.path, output.text);
    }
    process.stdout.write(`built ${fileNames.length} files into ${path.relative(REPO, outDir)}/\n`);
    return 0;
}

process.exitCode = build();
