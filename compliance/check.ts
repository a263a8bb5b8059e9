/**
 * `check`: the rules over a stack, as findings. Pure functions that open no port (the CrossGuard
 * pack, policypack/, runs the same rules through `evaluateRule`) and load no Pulumi SDK, so the
 * command line can name a bad policy config before it loads one.
 */
import type { PlanDocument } from "../cli/planJson";
import { resolveConfig, ResolvedConfig } from "./config";
import { fromPlan, StackResource } from "./resources";
import { EnforcementLevel, Rule, RULES, RuleSettings, Verdict, verdictOf } from "./rules";
import { buildStackModel, StackModel } from "./stackModel";

/** One rule's verdict on one bucket or key. */
export interface Finding {
    /** The rule's id. */
    rule: string;
    /** The Security Hub, cdk-nag and checkov controls the rule implements. */
    controls: string[];
    /** URN of the bucket or key judged. */
    resource: string;
    /** `notApplicable` also stands for "cannot judge during preview", which the message then says. */
    status: "pass" | "fail" | "notApplicable";
    /** The reason. */
    message: string;
}

/** What `check --json` prints. */
export interface CheckReport {
    stack: string;
    findings: Finding[];
}

/** Options of {@link checkPlan}. */
export interface CheckOptions {
    /** The pack's config file content (rule id or `all` to a level, or to `{ enforcementLevel, ...settings }`). @default {} (every rule at its default level) */
    config?: unknown;
}

/** One rule's verdicts on every bucket or key of the stack it judges, in the stack's order. */
export function evaluateRule(rule: Rule, model: StackModel, settings: RuleSettings): { resource: string; verdict: Verdict }[] {
    if (rule.bucket !== undefined) return model.buckets.map((b) => ({ resource: b.resource.urn, verdict: verdictOf(() => rule.bucket(b, model, settings)) }));
    return model.keys.map((k) => ({ resource: k.urn, verdict: verdictOf(() => rule.key(k, model, settings)) }));
}

/** Every enabled rule's findings over `resources`, grouped by resource (stack order), rules in their order. */
export function evaluate(resources: readonly StackResource[], config: ResolvedConfig): Finding[] {
    const model = buildStackModel(resources);
    const byResource = new Map<string, Finding[]>();
    for (const rule of RULES) {
        if (config.levels[rule.id] === "disabled") continue;
        for (const { resource, verdict } of evaluateRule(rule, model, config.settings)) {
            const status = verdict.status === "unknown" ? "notApplicable" : verdict.status;
            const findings = byResource.get(resource) ?? [];
            findings.push({ rule: rule.id, controls: rule.controls, resource, status, message: verdict.message });
            byResource.set(resource, findings);
        }
    }
    return model.resources.flatMap((r) => byResource.get(r.urn) ?? []);
}

/** The rules over an offline plan. Bad config throws PolicyConfigError naming the key. */
export function checkPlan(plan: PlanDocument, options: CheckOptions = {}): CheckReport {
    return { stack: plan.stack, findings: evaluate(fromPlan(plan), resolveConfig(options.config)) };
}

/** The rules' enforcement levels under `config`. */
export function enforcementLevels(config?: unknown): Record<string, EnforcementLevel> {
    return resolveConfig(config).levels;
}

/** The failing findings of mandatory rules (under `config`, as given to checkPlan). */
export function mandatoryFailures(report: CheckReport, config?: unknown): Finding[] {
    const levels = enforcementLevels(config);
    return report.findings.filter((f) => f.status === "fail" && levels[f.rule] === "mandatory");
}

/** Whether any mandatory rule fails: what makes `secure-bucket check` exit 3. */
export function hasMandatoryFailure(report: CheckReport, config?: unknown): boolean {
    return mandatoryFailures(report, config).length > 0;
}
