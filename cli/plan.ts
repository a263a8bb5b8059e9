/**
 * `plan`: runs the real program with a stack's config on the Pulumi mock engine, offline, and
 * renders what it would create. Changes process-wide Pulumi state: one plan per process.
 */
import type * as pulumi from "@pulumi/pulumi";
import { parseStackConfig, StackConfigError } from "../program/stackConfig";
import { projectName, readStackConfig, UnknownStackError } from "../program/stackFile";
import { CliError, EXIT_USAGE } from "./errors";
import { buildPlanDocument, PlanDocument } from "./planJson";

/** What `plan` needs: the project folder and the stack. */
export interface PlanRequest {
    projectDir: string;
    stack: string;
}

/** The settled value of an Output, rejecting when the Output fails (an `apply` that throws). */
function settle<T>(output: pulumi.Output<T>): Promise<T> {
    const internal = output as unknown as { promise?: () => Promise<T> };
    if (typeof internal.promise === "function") return internal.promise();
    return new Promise((resolve) => output.apply(resolve));
}

/** The one account the stack's `aws:allowedAccountIds` names, if it names exactly one. */
function declaredAccount(config: Readonly<Record<string, string>>): string | undefined {
    let accounts: unknown;
    try {
        accounts = JSON.parse(config["aws:allowedAccountIds"] ?? "[]");
    } catch {
        return undefined;
    }
    return Array.isArray(accounts) && accounts.length === 1 && typeof accounts[0] === "string" ? accounts[0] : undefined;
}

/**
 * Plans the stack. Unknown stacks and bad config raise a {@link CliError} with exit code 2 before
 * any resource is registered; the program's own failures propagate as they are.
 */
export async function planStack(request: PlanRequest): Promise<PlanDocument> {
    const { projectDir, stack } = request;
    let config: Record<string, string>;
    try {
        config = readStackConfig(projectDir, stack);
    } catch (error) {
        if (error instanceof UnknownStackError) throw new CliError(error.message, EXIT_USAGE);
        throw error;
    }
    const project = projectName(projectDir);
    const region = config["aws:region"] ?? "";

    // The config is checked first, every bad key named: the rules are pure and load no Pulumi SDK,
    // so bad config fails fast, and before the program could register anything.
    try {
        parseStackConfig(config, `${project}-${stack}`);
    } catch (error) {
        if (error instanceof StackConfigError) throw new CliError(error.message, EXIT_USAGE);
        throw error;
    }

    // Then the mocks, before the program creates any pulumi.Config or resource.
    const { installPlanEngine, partitionOf } = await import("./planEngine");
    const engine = installPlanEngine({ project, stack, region, accountId: declaredAccount(config) });

    const runtime = (await import("@pulumi/pulumi")).runtime;
    runtime.setAllConfig(config);
    const { secureBucketProgram } = await import("../program/program");
    const program = secureBucketProgram();
    const outputs: Record<string, unknown> = {};
    for (const [key, output] of Object.entries(program) as [string, pulumi.Output<unknown>][]) {
        outputs[key] = await settle(output);
    }
    const recording = await engine.finish();
    return buildPlanDocument({
        stack,
        project,
        region,
        partition: partitionOf(region).partition,
        resources: recording.resources,
        placeholders: recording.placeholders,
        outputs,
    });
}
