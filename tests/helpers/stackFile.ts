import * as path from "path";
import { readStackConfig } from "../../program/stackFile";

/** Folder of the Pulumi project: Pulumi.yaml and the stack files. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

/** This project's `Pulumi.<stack>.yaml` config as the engine would hand it to the program. */
export function stackConfig(stack: string): Record<string, string> {
    return readStackConfig(PROJECT_DIR, stack);
}
