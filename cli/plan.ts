/**
 * `plan`: runs the real program with a stack's config on the Pulumi mock engine, answering as the
 * offline AWS does, and records every registration to render what it would create. Changes
 * process-wide Pulumi state: one plan per process.
 */
import type * as pulumi from "@pulumi/pulumi";
import { componentNameOf, parseStackConfig } from "../program/stackConfig";
import { projectName, readStackConfig } from "../program/stackFile";
import { buildPlanDocument, PlanDocument } from "./planJson";

/** The settled value of an Output, rejecting when the Output fails (an `apply` that throws). */
function settle<T>(output: pulumi.Output<T>): Promise<T> {
    const internal = output as unknown as { promise?: () => Promise<T> };
    if (typeof internal.promise === "function") return internal.promise();
    return new Promise((resolve) => output.apply(resolve));
}

/**
 * Plans the stack. An unknown stack and bad config are raised (UnknownStackError, StackConfigError)
 * before the Pulumi SDK is loaded and any resource is registered; the program's own failures
 * propagate as they are.
 */
export async function planStack(request: { projectDir: string; stack: string }): Promise<PlanDocument> {
    const { projectDir, stack } = request;
    const config = readStackConfig(projectDir, stack);
    const project = projectName(projectDir);
    // The rules are pure and load no Pulumi SDK: bad config fails fast. The program gets what they read.
    const args = parseStackConfig(config, componentNameOf(project, stack));
    // Loaded once the engine is in: nothing may create a pulumi.Config before the mocks.
    return planProgram({ project, stack, config }, async () => (await import("../program/program")).secureBucketProgram(args));
}

/**
 * Plans any program on the offline engine, with `config` as its stack's config (the region and
 * account the offline AWS answers with come from it): what `plan` does for this project's program,
 * and what renders the examples' plans.
 */
export async function planProgram(
    stack: { project: string; stack: string; config: Record<string, string> },
    program: () => Promise<object>,
): Promise<PlanDocument> {
    const { project, config } = stack;
    // The engine, before the program creates any pulumi.Config or resource, and the stack's config.
    const pulumiSdk = await import("@pulumi/pulumi");
    const { offlineAws, partitionOf } = await import("../offline/offlineAws");
    const aws = offlineAws({ defaultRegion: config["aws:region"] ?? "" });
    const recorder = (await import("../offline/registrationRecorder")).installRecordingMocks(aws.mocks, project, stack.stack);
    pulumiSdk.runtime.setAllConfig(config);

    const outputs: Record<string, unknown> = {};
    for (const [key, output] of Object.entries(await program())) outputs[key] = await settle(output as pulumi.Output<unknown>);
    // Drains Pulumi's queue of outstanding RPCs (registrations, invokes, registerOutputs).
    await pulumiSdk.runtime.disconnect();
    if (recorder.pending() !== 0) throw new Error(`${recorder.pending()} resource registrations did not complete`);
    const region = config["aws:region"] ?? "";
    return buildPlanDocument({ ...stack, region, partition: partitionOf(region).partition, resources: recorder.recorded, placeholders: aws.placeholders(), outputs });
}
