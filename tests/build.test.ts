/**
 * scripts/build.ts, the per-file build of dist/: on small projects in a temp folder, its output is
 * the output of the TypeScript compiler's own checked emit, and a file that breaks the
 * isolated-declarations rules fails the build without touching the output folder.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import { build } from "../scripts/build";

const COMPILER_OPTIONS = {
    strict: true,
    target: "ES2022",
    module: "commonjs",
    isolatedModules: true,
    isolatedDeclarations: true,
    declaration: true,
    outDir: "out",
    rootDir: "src",
    // The smallest standard library the fixture needs keeps the reference compile quick.
    lib: ["es5"],
    types: [],
};

/** A project with `files` under src/ and a tsconfig.json with `compilerOptions`; returns its config path. */
function project(root: string, files: Record<string, string>, compilerOptions: Record<string, unknown> = COMPILER_OPTIONS): string {
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(root, "src", name)), { recursive: true });
        fs.writeFileSync(path.join(root, "src", name), text);
    }
    const configPath = path.join(root, "tsconfig.json");
    fs.writeFileSync(configPath, JSON.stringify({ compilerOptions, include: ["src/**/*.ts"] }));
    return configPath;
}

/** Every file under `dir`, relative, with its text. */
function tree(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const name of (fs.readdirSync(dir, { recursive: true }) as string[]).sort()) {
        const full = path.join(dir, name);
        if (fs.statSync(full).isFile()) files[name] = fs.readFileSync(full, "utf8");
    }
    return files;
}

const SOURCES = {
    "index.ts": `#!/usr/bin/env node
export { Widget, type WidgetArgs } from "./widget";
export * from "./constants";
`,
    "widget.ts": `import { LIMITS, Size } from "./constants";

/** Arguments of a {@link Widget}. */
export interface WidgetArgs {
    /** How big. @default "small" */
    size?: Size;
}

/** A widget. */
export class Widget {
    readonly size: Size;
    private readonly secret = 42;
    constructor(readonly name: string, args: WidgetArgs = {}) {
        this.size = args.size ?? Size.Small;
    }
    /** Whether \`n\` fits. */
    fits(n: number): boolean {
        return n <= LIMITS[this.size] && n !== this.secret;
    }
}
`,
    "constants.ts": `export const Size = { Small: "small", Large: "large" } as const;
export type Size = (typeof Size)[keyof typeof Size];
export const LIMITS: Readonly<Record<Size, number>> = { small: 10, large: 100 };
export const NAMES: string[] = ["a", "b"];
export function label(size: Size, count = 1): string {
    return \`\${count} \${size}\`;
}
`,
};

describe("build script (scripts/build.ts)", () => {
    let root: string;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-build-"));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

    it("writes what the checked compiler emits, JavaScript and declarations, and removes what an earlier build left", () => {
        const configPath = project(root, SOURCES);
        fs.mkdirSync(path.join(root, "out"));
        fs.writeFileSync(path.join(root, "out", "deleted-source.js"), "stale");

        const result = build(configPath);
        expect(result.problems).to.deep.equal([]);
        expect(result.files.map((f) => path.relative(root, f)).sort()).to.deep.equal(["src/constants.ts", "src/index.ts", "src/widget.ts"]);

        // The reference: a full, type-checked program over the same config, emitted into another folder.
        const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { outDir: path.join(root, "reference") }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
        if (parsed === undefined) throw new Error("the fixture's tsconfig.json did not parse");
        const program = ts.createProgram(parsed.fileNames, parsed.options);
        expect(ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).to.deep.equal([]);
        program.emit();

        const built = tree(path.join(root, "out"));
        expect(Object.keys(built)).to.deep.equal(["constants.d.ts", "constants.js", "index.d.ts", "index.js", "widget.d.ts", "widget.js"]);
        expect(built).to.deep.equal(tree(path.join(root, "reference")));
        expect(built["index.js"].startsWith("#!/usr/bin/env node\n"), "the shebang is kept").to.equal(true);
        // Unlike tsc, the build makes the script with the shebang executable, and nothing else.
        const executable = (file: string) => (fs.statSync(path.join(root, "out", file)).mode & 0o111) !== 0;
        expect(executable("index.js"), "index.js is executable").to.equal(true);
        expect(executable("widget.js"), "widget.js is executable").to.equal(false);
    });

    it("fails on an exported value whose type would have to be inferred, names the file, and writes nothing", () => {
        const configPath = project(root, { ...SOURCES, "bad.ts": `export const COUNTS = [1, 2, 3];\nexport const twice = (n: number) => n * 2;\n` });
        fs.mkdirSync(path.join(root, "out"));
        fs.writeFileSync(path.join(root, "out", "earlier.js"), "kept");

        const result = build(configPath);
        expect(result.problems).to.have.length(2);
        expect(result.problems[0]).to.match(/^src[\\/]bad\.ts\(1,23\): error TS9017: Only const arrays can be inferred with --isolatedDeclarations/);
        expect(result.problems[1]).to.match(/^src[\\/]bad\.ts\(2,22\): error TS9007: Function must have an explicit return type annotation/);
        expect(tree(path.join(root, "out"))).to.deep.equal({ "earlier.js": "kept" });
    });

    it("refuses a config without isolatedDeclarations, naming the file and the options it relies on", () => {
        const configPath = project(root, SOURCES, { ...COMPILER_OPTIONS, isolatedDeclarations: undefined });
        expect(() => build(configPath)).to.throw(`${configPath} must set outDir, rootDir, isolatedModules and isolatedDeclarations`);
        expect(fs.existsSync(path.join(root, "out"))).to.equal(false);
    });
});
