/**
 * The pack's configuration, in the format of a Pulumi policy config file (`pulumi preview
 * --policy-pack <dir> --policy-pack-config <file>`), which `checkPlan` reads too: per rule id, an
 * enforcement level, or an object with `enforcementLevel` and the rule's settings; `all` sets the
 * level of every rule. Validated with errors that name the key, what was wrong and what is allowed.
 */
import { DEFAULT_SETTINGS, EnforcementLevel, RULES, RuleSettings, SETTING_SCHEMAS } from "./rules";

/** A config entry that is not allowed. */
export class PolicyConfigError extends Error {}

const LEVELS: readonly EnforcementLevel[] = ["mandatory", "advisory", "disabled"];

/** What `config` sets, resolved per rule: levels and settings. */
export interface ResolvedConfig {
    levels: Record<string, EnforcementLevel>;
    settings: RuleSettings;
}

function checkLevel(key: string, value: unknown): EnforcementLevel {
    if (typeof value === "string" && (LEVELS as readonly string[]).includes(value)) return value as EnforcementLevel;
    throw new PolicyConfigError(`policy config "${key}": ${JSON.stringify(value)} is not an enforcement level; allowed: ${LEVELS.join(", ")}`);
}

function checkSetting(key: string, setting: string, value: unknown, allowed: readonly string[]): void {
    if (!allowed.includes(setting)) {
        throw new PolicyConfigError(`policy config "${key}": unknown setting "${setting}"; allowed: ${["enforcementLevel", ...allowed].join(", ")}`);
    }
    const schema = SETTING_SCHEMAS[setting as keyof RuleSettings];
    const ok =
        schema.type === "string"
            ? schema.enum.includes(value as string)
            : Number.isInteger(value) && (value as number) >= schema.minimum && (value as number) <= schema.maximum;
    if (!ok) {
        const allowedValues = schema.type === "string" ? schema.enum.map((v) => JSON.stringify(v)).join(", ") : `a whole number from ${schema.minimum} to ${schema.maximum}`;
        throw new PolicyConfigError(`policy config "${key}.${setting}": ${JSON.stringify(value)} is not allowed; allowed: ${allowedValues}`);
    }
}

/** Validates a parsed config file and resolves every rule's level and the settings. */
export function resolveConfig(config: unknown = {}): ResolvedConfig {
    if (typeof config !== "object" || config === null || Array.isArray(config)) throw new PolicyConfigError("policy config: expected an object of rule ids to enforcement levels");
    const entries = config as Record<string, unknown>;
    const all = entries.all === undefined ? undefined : checkLevel("all", entries.all);
    const levels: Record<string, EnforcementLevel> = {};
    const settings: RuleSettings = { ...DEFAULT_SETTINGS };
    for (const key of Object.keys(entries)) {
        if (key !== "all" && !RULES.some((r) => r.id === key)) throw new PolicyConfigError(`policy config "${key}": no such rule; rules: ${RULES.map((r) => r.id).join(", ")}, or all`);
    }
    for (const rule of RULES) {
        const entry = entries[rule.id];
        levels[rule.id] = all ?? rule.enforcementLevel;
        if (entry === undefined) continue;
        if (typeof entry === "string") {
            levels[rule.id] = checkLevel(rule.id, entry);
            continue;
        }
        if (typeof entry !== "object" || entry === null || Array.isArray(entry)) throw new PolicyConfigError(`policy config "${rule.id}": expected an enforcement level or an object`);
        for (const [setting, value] of Object.entries(entry)) {
            if (setting === "enforcementLevel") levels[rule.id] = checkLevel(`${rule.id}.enforcementLevel`, value);
            else {
                checkSetting(rule.id, setting, value, rule.settings);
                (settings as unknown as Record<string, unknown>)[setting] = value;
            }
        }
    }
    return { levels, settings };
}
