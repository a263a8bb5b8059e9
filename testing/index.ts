/**
 * `secure-bucket/testing`: test your own Pulumi program offline, on the engine `secure-bucket plan`
 * uses. `plan()` runs a program and resolves to the plan document `secure-bucket plan --json`
 * prints; `check()` judges it with the compliance rules of `secure-bucket check`; `offlineMocks()`
 * is that engine's AWS for a test that installs its own mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import type { PlanDocument } from "../cli/planJson";
import { offlineAws } from "../offline/offlineAws";
import { planProgram } from "../offline/planProgram";
import { programOutputs, withFreshModules } from "../project/programLoader";
import { findProjectDir } from "../project/pulumiProject";
import { checkStacksExist, engineConfig, listStacks, programConfig, projectConfig, projectName } from "../program/stackFile";

export type { PlanDocument, PlanPlaceholders, PlanResource } from "../cli/planJson";
/**
 * The compliance rules of `secure-bucket check` over a plan: `check(await plan(...))` is the
 * document `check --json` prints, and `mandatoryFailures(report)` what makes it exit 3.
 */
export { checkPlan as check, hasMandatoryFailure, mandatoryFailures, type CheckOptions, type CheckReport, type Finding } from "../compliance";
export { PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_KEY_ID, PLACEHOLDER_NAME_SUFFIX, type Placeholder } from "../offline/placeholders";

/** The region a plan or the offline mocks use when nothing names one. */
export const DEFAULT_TEST_REGION = "us-east-1";

/** Options of {@link plan}. */
export interface PlanOptions {
    /**
     * The stack (`pulumi.getStack()`). When the project has a `Pulumi.<stack>.yaml`, its config is the
     * plan's, under {@link config}; a stack named here without a stack file needs `config`
     * (otherwise it is an UnknownStackError naming the stacks there are).
     * @default "test"
     */
    stack?: string;
    /**
     * The project (`pulumi.getProject()`), and the namespace of bare config keys.
     * @default the name in the nearest Pulumi.yaml from the working directory up, else "project"
     */
    project?: string;
    /**
     * Config values, over the stack file's: fully qualified keys (`aws:region`, `my-app:readers`) or
     * bare keys of the project; values as a stack file holds them (strings, numbers, booleans, lists
     * and maps). `aws:region` is `us-east-1` when neither gives one.
     * @default {}
     */
    config?: Readonly<Record<string, unknown>>;
}

/**
 * The stack's config as the engine hands it to a program: the project's (Pulumi.yaml's values and
 * defaults, under its `Pulumi.<stack>.yaml`) when `project` is the project found from the working
 * directory, `config` over it. A stack named explicitly, without a stack file and without `config`,
 * is a mistake, not an empty config.
 */
function stackConfig(project: string, stack: string, options: PlanOptions, projectDir: string | undefined): Record<string, string> {
    let fromProject: Record<string, string> = {};
    if (projectDir !== undefined && projectName(projectDir) === project) {
        if (listStacks(projectDir).includes(stack)) fromProject = programConfig(projectDir, stack);
        else if (options.stack !== undefined && options.config === undefined) checkStacksExist(projectDir, [stack]);
        else fromProject = projectConfig(projectDir);
    }
    return { "aws:region": DEFAULT_TEST_REGION, ...fromProject, ...engineConfig(project, options.config ?? {}) };
}

/**
 * Runs `program` (a function that declares resources, e.g. `() => require("../index")`) on the
 * offline engine and resolves to the document `secure-bucket plan --json` prints:
 * `{ stack, project, placeholders, parsedJsonStrings, resources, outputs }`. Each call runs the
 * program afresh (the project's modules, outside node_modules, leave the require cache before it runs,
 * and what it loaded when it ends), in a Pulumi state of its own and one plan at a time: two plans
 * never see each other's resources, and mocks installed by the caller stay in place. Rejects with the
 * program's own error when it fails.
 */
export async function plan(program: () => unknown, options: PlanOptions = {}): Promise<PlanDocument> {
    const projectDir = findProjectDir(process.cwd());
    const project = options.project ?? (projectDir !== undefined ? projectName(projectDir) : "project");
    const stack = options.stack ?? "test";
    const config = stackConfig(project, stack, options, projectDir);
    return planProgram({ project, stack, config }, () => withFreshModules(projectDir ?? process.cwd(), async () => programOutputs(await program())));
}

/** Options of {@link offlineMocks}. */
export interface OfflineMocksOptions {
    /**
     * The provider's region, when the config sets no `aws:region`.
     * @default "us-east-1"
     */
    region?: string;
    /**
     * The account the credentials belong to, when the config's `aws:allowedAccountIds` names none.
     * @default "000000000000" (a placeholder)
     */
    accountId?: string;
}

/**
 * The offline engine's AWS as Pulumi mocks, for a test that installs its own:
 * `pulumi.runtime.setMocks(offlineMocks(), "my-app", "test", false)`. It answers the provider
 * functions SecureBucket calls (caller identity, partition, region, session context) and gives real-
 * shaped ARNs, names and ids to the resources it creates; any other resource gets a placeholder id.
 */
export function offlineMocks(options: OfflineMocksOptions = {}): pulumi.runtime.Mocks {
    return offlineAws({ defaultRegion: options.region ?? DEFAULT_TEST_REGION, defaultAccountId: options.accountId }).mocks;
}
