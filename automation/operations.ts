/** The operations a run can perform on an environment. */

/** What can be done to an environment. */
export type Operation = "up" | "preview" | "destroy" | "outputs";

/** Every {@link Operation}. */
export const OPERATIONS: readonly Operation[] = ["up", "preview", "destroy", "outputs"];
