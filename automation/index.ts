/**
 * Deploying environments programmatically: `up`, `preview`, `destroy` and `outputs` for named stacks,
 * with the SecureBucket program inline, embedded local state by default, bounded concurrency and
 * streamed output. Needs the Pulumi CLI (https://www.pulumi.com/docs/install/).
 */
export { runEnvironments, type RunOptions, type EnvironmentResult } from "./run";
export { DEFAULT_CONCURRENCY, prepareRun, type PreflightOptions, type PreparedRun } from "./preflight";
export { OPERATIONS, type Operation } from "./operations";
export { secureBucketInlineProgram } from "./inlineProgram";
export { environmentConfig, toStackConfig, type EnvironmentSettings, type ConfigSource } from "./environmentConfig";
export {
    BACKEND_URL_VARIABLE,
    DEFAULT_STATE_DIR,
    MissingPassphraseError,
    PASSPHRASE_VARIABLES,
    backendKind,
    checkPassphrase,
    fileBackendUrl,
    requiresPassphrase,
    resolveBackend,
    type Backend,
    type BackendKind,
    type BackendLocation,
    type PassphraseVariable,
} from "./backend";
export { PULUMI_INSTALL_URL, PulumiCliMissingError, PulumiCommandError, explainCliError, isCommandNotFound } from "./cli";
export {
    createLocalWorkspaceFactory,
    stackWorkDir,
    type LocalWorkspaceFactoryOptions,
    type OperationCallbacks,
    type OperationSummary,
    type StackOutput,
    type StackOutputs,
    type StackRequest,
    type StackWorkspace,
    type WorkspaceFactory,
} from "./workspace";
export { StackConfigError } from "../program/stackConfig";
export { UnknownStackError } from "../program/stackFile";
