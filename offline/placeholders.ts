/** The values the offline AWS makes up, as constants that load no Pulumi SDK (the compliance rules read them too). */

/** Placeholder AWS account id: the account of whatever credentials `pulumi up` would run with. */
export const PLACEHOLDER_ACCOUNT_ID = "000000000000";
/** Placeholder id of a KMS key: AWS assigns the real one when the key is created. */
export const PLACEHOLDER_KEY_ID = "00000000-0000-0000-0000-000000000000";
/** Name of the role `pulumi up` is assumed to run as, and of its session: the deploying identity offline. */
export const PLACEHOLDER_DEPLOYER = "placeholder-deployer";
export const PLACEHOLDER_SESSION = "placeholder-session";
/** Suffix standing in for the random one Pulumi's auto-naming appends to a physical name. */
export const PLACEHOLDER_NAME_SUFFIX = "xxxxxxx";

/** The name Pulumi's auto-naming gives a resource named `name`, with the placeholder for its random suffix. */
export function autoNamedPlaceholder(name: string): string {
    return `${name}-${PLACEHOLDER_NAME_SUFFIX}`;
}

/** One value the offline AWS made up, with what it stands for. */
export interface Placeholder {
    value: string;
    meaning: string;
}
