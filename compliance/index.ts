/** Compliance as code: the rules, `checkPlan` and its renderers (the CrossGuard pack is policypack/). */
export { checkPlan, evaluate, evaluateRule, enforcementLevels, hasMandatoryFailure, mandatoryFailures, type CheckOptions, type CheckReport, type Finding } from "./check";
export { PolicyConfigError, resolveConfig, type PolicyConfig, type ResolvedConfig, type RuleConfig } from "./config";
export { renderCheckText } from "./render";
export { fromPlan, fromPolicyResources, UNKNOWN, type PolicyResourceLike, type StackResource } from "./resources";
export { DEFAULT_SETTINGS, RULES, SETTING_SCHEMAS, type EnforcementLevel, type Rule, type RuleSettings, type Verdict } from "./rules";
