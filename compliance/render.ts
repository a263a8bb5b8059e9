/**
 * `check`'s text form: per bucket and per key, each rule's verdict with its level, reason and
 * controls; then a summary line.
 */
import { CheckReport, enforcementLevels } from "./check";

const MARK = { pass: "pass", fail: "FAIL", notApplicable: "n/a " } as const;

/** The report as text; `config` as given to checkPlan (for the levels shown). */
export function renderCheckText(report: CheckReport, config?: unknown): string {
    const levels = enforcementLevels(config);
    const lines = [`Compliance of stack ${report.stack}`];
    let current = "";
    for (const f of report.findings) {
        if (f.resource !== current) {
            current = f.resource;
            lines.push("", current);
        }
        const controls = f.controls.length > 0 ? ` [${f.controls.join(", ")}]` : "";
        lines.push(`  ${MARK[f.status]}  ${f.rule} (${levels[f.rule]})${controls}`, `        ${f.message}`);
    }
    const count = (status: string, level?: string) => report.findings.filter((f) => f.status === status && (level === undefined || levels[f.rule] === level)).length;
    lines.push(
        "",
        `${count("fail", "mandatory")} mandatory failure(s), ${count("fail", "advisory")} advisory failure(s), ${count("pass")} pass(es), ${count("notApplicable")} not applicable`,
    );
    return `${lines.join("\n")}\n`;
}
