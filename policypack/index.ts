/**
 * The CrossGuard policy pack: the rules of compliance/ as Pulumi policies, for `pulumi preview
 * --policy-pack <this directory>`. Constructing the PolicyPack starts its gRPC server (and prints its
 * port), so this module only wires: the rules, `check` and the tests live in compliance/.
 *
 * Each rule is a stack policy (a bucket is judged together with the v7 resources that configure it,
 * whoever declared them), reporting one violation per failing bucket or key. A value unknown during
 * preview costs that one resource's verdict, which the advisory policy `cannot-judge-during-preview`
 * reports, instead of the whole rule (CrossGuard's own handling of an unknown value).
 *
 * That policy runs every rule with the default settings, whatever their configured levels: with
 * @pulumi/policy 1.21 a policy's `getConfig` returns its own config only, and the pack's server keeps
 * the levels of the Configure call to itself, so it cannot skip a rule the config disables or read
 * another rule's settings. The README says so.
 */
import { PolicyPack, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { evaluateRule } from "../compliance/check";
import { fromPolicyResources } from "../compliance/resources";
import { DEFAULT_SETTINGS, Rule, RULES, RuleSettings, SETTING_SCHEMAS } from "../compliance/rules";
import { buildStackModel, StackModel } from "../compliance/stackModel";

/** Name of the advisory policy that reports what could not be judged during preview. */
const CANNOT_JUDGE_POLICY = "cannot-judge-during-preview";

function modelOf(args: StackValidationArgs): StackModel {
    return buildStackModel(fromPolicyResources(args.resources));
}

function withControls(rule: Rule, message: string): string {
    return rule.controls.length > 0 ? `${message} [${rule.controls.join(", ")}]` : message;
}

function rulePolicy(rule: Rule): StackValidationPolicy {
    return {
        name: rule.id,
        description: rule.description,
        enforcementLevel: rule.enforcementLevel,
        ...(rule.settings.length > 0
            ? { configSchema: { properties: Object.fromEntries(rule.settings.map((s) => [s, { ...SETTING_SCHEMAS[s], default: DEFAULT_SETTINGS[s] }])) } }
            : {}),
        validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
            const settings: RuleSettings = { ...DEFAULT_SETTINGS, ...args.getConfig<Partial<RuleSettings>>() };
            for (const { resource, verdict } of evaluateRule(rule, modelOf(args), settings)) {
                if (verdict.status === "fail") reportViolation(withControls(rule, verdict.message), resource);
            }
        },
    };
}

const cannotJudge: StackValidationPolicy = {
    name: CANNOT_JUDGE_POLICY,
    description:
        "Reports, per bucket or key, each rule that cannot judge it during preview because a value it needs is not known yet. It judges with every rule's default settings, disabled rules included: a policy sees no other policy's config.",
    enforcementLevel: "advisory",
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
        const model = modelOf(args);
        for (const rule of RULES) {
            for (const { resource, verdict } of evaluateRule(rule, model, DEFAULT_SETTINGS)) {
                if (verdict.status === "unknown") reportViolation(`${rule.id}: ${verdict.message}`, resource);
            }
        }
    },
};

new PolicyPack("secure-bucket", { policies: [...RULES.map(rulePolicy), cannotJudge] });
