/** Compliance as code: the rules, `checkPlan` and its renderers (the CrossGuard pack is policypack/). */
export { checkPlan, enforcementLevels, hasMandatoryFailure, mandatoryFailures, type CheckOptions, type CheckReport, type Finding } from "./check";
export { PolicyConfigError } from "./config";
export { renderCheckText } from "./render";
export { fromPolicyResources } from "./resources";
export { RULES } from "./rules";
