// S3 Object Lock default retention ("Locking objects with Object Lock", S3 User Guide): a mode and a
// period in days or in years, never both. COMPLIANCE cannot be shortened or removed by anyone, the
// root user included, until each version's retention ends.

/** The retention modes. */
export const OBJECT_LOCK_MODES = ["GOVERNANCE", "COMPLIANCE"] as const;

/** The longest default retention accepted: a hundred years. */
export const MAX_RETENTION_YEARS = 100;

/** Problems with an Object Lock setting, each naming the field it is about (`mode`, `days`, ...). */
export function objectLockProblems(value: unknown): { field?: string; problem: string }[] {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return [{ problem: "must be { mode, days } or { mode, years }" }];
    }
    const { mode, days, years, acknowledgeComplianceCannotBeUndone, ...unknown } = value as Record<string, unknown>;
    const problems: { field?: string; problem: string }[] = Object.keys(unknown).map((field) => ({
        field,
        problem: "is not a field of objectLock: it takes mode, days or years, and acknowledgeComplianceCannotBeUndone",
    }));
    if (!OBJECT_LOCK_MODES.includes(mode as (typeof OBJECT_LOCK_MODES)[number])) problems.push({ field: "mode", problem: 'must be "GOVERNANCE" or "COMPLIANCE"' });
    if ((days === undefined) === (years === undefined)) problems.push({ problem: "must set exactly one of days and years" });
    const wholeIn = (v: unknown, max: number) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= max;
    if (days !== undefined && !wholeIn(days, MAX_RETENTION_YEARS * 365)) problems.push({ field: "days", problem: `must be a whole number from 1 to ${MAX_RETENTION_YEARS * 365}` });
    if (years !== undefined && !wholeIn(years, MAX_RETENTION_YEARS)) problems.push({ field: "years", problem: `must be a whole number from 1 to ${MAX_RETENTION_YEARS}` });
    if (acknowledgeComplianceCannotBeUndone !== undefined && typeof acknowledgeComplianceCannotBeUndone !== "boolean") {
        problems.push({ field: "acknowledgeComplianceCannotBeUndone", problem: "must be true or false" });
    } else if (mode === "COMPLIANCE" && acknowledgeComplianceCannotBeUndone !== true) {
        // Reported at the flag, so that the message names where it goes (objectLock.acknowledgeComplianceCannotBeUndone).
        problems.push({
            field: "acknowledgeComplianceCannotBeUndone",
            problem:
                'must be true to use mode "COMPLIANCE", which nobody, the root user included, can shorten or remove: no object version can be ' +
                "deleted or overwritten until its retention ends, and the bucket cannot be destroyed before. Set it beside mode, as in " +
                '{ mode: "COMPLIANCE", years: 7, acknowledgeComplianceCannotBeUndone: true }, or use "GOVERNANCE"',
        });
    }
    return problems;
}
