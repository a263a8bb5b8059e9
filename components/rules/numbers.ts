/** What is wrong with a whole number that must lie in [min, max], or undefined when it does. */
export function wholeNumberProblem(value: unknown, min: number, max: number): string | undefined {
    if (typeof value !== "number" || !Number.isInteger(value)) return `must be a whole number from ${min} to ${max}`;
    if (value < min || value > max) return `must be from ${min} to ${max}`;
    return undefined;
}
