/**
 * Deploying environments programmatically: `up`, `preview`, `destroy` and `outputs` for named stacks,
 * with the SecureBucket program inline, embedded local state by default, bounded concurrency and
 * streamed output. Needs the Pulumi CLI (https://www.pulumi.com/docs/install/).
 */
export { runEnvironments, type EnvironmentResult, type RunOptions } from "./run";
export { prepareRun, RunRequestError, type Operation, type PreflightOptions, type PreparedRun } from "./preflight";
export type { EnvironmentSettings } from "./environmentConfig";
export type { OperationSummary } from "./workspace";
export { MissingPassphraseError } from "./backend";
export { PulumiCliMissingError, PulumiCommandError } from "./pulumiCli";
export { StackConfigError } from "../program/stackConfig";
export { UnknownStackError } from "../program/stackFile";
