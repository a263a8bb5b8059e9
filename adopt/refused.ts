/** Raised when a bucket cannot be adopted safely into a stack: every reason, one per line. */
export class AdoptionRefusedError extends Error {
    constructor(bucket: string, stack: string, reasons: readonly string[]) {
        super(`secure-bucket adopt: refusing to adopt ${bucket} into stack "${stack}":\n${reasons.map((r) => `  - ${r}`).join("\n")}`);
        this.name = "AdoptionRefusedError";
    }
}
