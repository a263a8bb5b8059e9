/**
 * `secure-bucket` as a user runs it against moto: the CLI from the sources in its own process, with
 * moto's credentials in the environment as the SDK's default chain reads them (no profile, no
 * region of the machine's own).
 */
import * as path from "path";
import { REPO } from "../helpers/build";
import { Run, spawnRun } from "../helpers/spawnRun";
import { MOTO_CREDENTIALS } from "./moto";

/** Runs the CLI with `args` in `projectDir`; resolves when it has exited. */
export function runCli(projectDir: string, args: readonly string[]): Promise<Run> {
    return spawnRun(process.execPath, ["-r", require.resolve("sucrase/register"), path.join(REPO, "cli/main.ts"), ...args], {
        cwd: projectDir,
        env: { ...process.env, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_PROFILE: "", AWS_REGION: "" },
        timeoutMs: 60000,
    });
}
