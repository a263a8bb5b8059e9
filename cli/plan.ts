/**
 * `plan`: the offline plan of the program of the Pulumi project in a folder, with a stack's config:
 * the program Pulumi itself would run (project/pulumiProject.ts), on the offline engine.
 */
import { readPulumiProject } from "../project/pulumiProject";
import { isBuiltInProject } from "../program/builtIn";
import { componentNameOf, parseStackConfig } from "../program/stackConfig";
import { programConfig } from "../program/stackFile";
import type { PlanDocument } from "./planJson";

/**
 * Plans the project's program for `stack`. A folder that is no Node.js Pulumi project, an unknown
 * stack, and (for this package's own program) bad config are raised before the Pulumi SDK is loaded
 * and any resource is registered; the program's own failures propagate as they are.
 */
export async function planStack(request: { projectDir: string; stack: string }): Promise<PlanDocument> {
    const { projectDir, stack } = request;
    const project = readPulumiProject(projectDir);
    const config = programConfig(projectDir, stack);
    // This package's own program reads its config with rules that load no Pulumi SDK: bad config fails fast, exit 2.
    if (isBuiltInProject(project)) parseStackConfig(config, componentNameOf(project.name, stack));
    const { planProgram } = await import("../offline/planProgram");
    const { inFolder, requireProgram, withFreshModules } = await import("../project/programLoader");
    return planProgram({ project: project.name, stack, config }, () => inFolder(project.dir, () => withFreshModules(project.dir, () => requireProgram(project.entryPoint))));
}
