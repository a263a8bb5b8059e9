/**
 * `npm run plan:examples`: renders what each example program would create, on the offline engine,
 * into `examples/<name>.plan.txt`; with `--check`, fails instead when a committed plan is not what
 * the example renders (the end-to-end suite runs it so). One example per process: a plan changes
 * process-wide Pulumi state.
 */
import * as fs from "fs";
import * as path from "path";
import { planProgram } from "../offline/planProgram";
import { renderPlanText } from "../cli/planText";

const EXAMPLES = path.resolve(__dirname, "..", "examples");

/** Each example: its program, and the stack config it is planned with (the account and the provider's region). */
const PLANNED: Record<string, { load: () => Promise<() => object>; config: Record<string, string> }> = {
    replication: {
        load: async () => (await import("../examples/replication")).replicationExample,
        config: { "aws:region": "eu-west-1", "aws:allowedAccountIds": '["111111111111"]' },
    },
};

async function main(): Promise<void> {
    const [name, check] = [process.argv[2], process.argv.includes("--check")];
    const example = PLANNED[name];
    if (example === undefined) throw new Error(`usage: planExamples <${Object.keys(PLANNED).join("|")}> [--check]`);
    const plan = await planProgram({ project: "secure-bucket-examples", stack: name, config: example.config }, async () => (await example.load())());
    const file = path.join(EXAMPLES, `${name}.plan.txt`);
    const text = renderPlanText(plan);
    if (!check) fs.writeFileSync(file, text);
    else if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== text) {
        process.stderr.write(`${path.relative(process.cwd(), file)} is not what the example plans: run "npm run plan:examples"\n`);
        process.exitCode = 1;
    }
}

main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
});
