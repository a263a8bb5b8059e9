/**
 * What live value each of the offline plan's placeholders may stand for: a regular expression (no
 * capturing groups) of the value's shape. A placeholder binds only to a value of its shape, so that
 * `"*"` or another account's principal never reads as the deploying role. Pure.
 */
import { PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_DEPLOYER, PLACEHOLDER_KEY_ID, PLACEHOLDER_NAME_SUFFIX, PLACEHOLDER_SESSION } from "../offline/placeholders";

/** Regular-expression text matching `text` literally. */
export function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A KMS key id: a UUID, or a multi-Region key's `mrk-` and 32 hex digits ("Key ID", KMS developer guide). */
const KEY_ID = "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";
/** An account id: 12 digits. */
const ACCOUNT = "\\d{12}";
/** One segment of an IAM path or name (IAM's allowed characters, "IAM identifiers", IAM User Guide). */
const IAM_SEGMENT = "[\\w+=,.@-]+";
/** Pulumi's auto-name suffix: 7 random lowercase hex characters (7 lowercase letters or digits accepted). */
const AUTONAME = "[a-z0-9]{7}";

const DEPLOYER = new RegExp(`^arn:([a-z-]+):iam::([^:]+):role\\/(?:.*\\/)?${PLACEHOLDER_DEPLOYER}$`);
const DEPLOYER_SESSION = new RegExp(`^arn:([a-z-]+):sts::([^:]+):assumed-role\\/${PLACEHOLDER_DEPLOYER}\\/${PLACEHOLDER_SESSION}$`);

/**
 * The shape of the live value `placeholder` may stand for, or undefined when it is of no known kind
 * (it then binds to nothing: its expected value differs from every live one).
 * @param account the account's live value when the account placeholder is bound: the deploying
 * identity must be of the stack's account, which the account placeholder stands for when the plan
 * has no declared one.
 */
export function placeholderShape(placeholder: string, account: string | undefined): string | undefined {
    const accountShape = (inPlaceholder: string): string =>
        inPlaceholder !== PLACEHOLDER_ACCOUNT_ID ? escapeRegExp(inPlaceholder) : account !== undefined ? escapeRegExp(account) : ACCOUNT;
    if (placeholder === PLACEHOLDER_ACCOUNT_ID) return ACCOUNT;
    if (placeholder === PLACEHOLDER_KEY_ID) return KEY_ID;
    if (placeholder.endsWith(`-${PLACEHOLDER_NAME_SUFFIX}`)) return `${escapeRegExp(placeholder.slice(0, -PLACEHOLDER_NAME_SUFFIX.length))}${AUTONAME}`;
    const deployer = DEPLOYER.exec(placeholder);
    if (deployer !== null) {
        // An IAM role or user of the stack's account and partition, with any path.
        return `arn:${escapeRegExp(deployer[1])}:iam::${accountShape(deployer[2])}:(?:role|user)/(?:${IAM_SEGMENT}/)*${IAM_SEGMENT}`;
    }
    const session = DEPLOYER_SESSION.exec(placeholder);
    if (session !== null) return `arn:${escapeRegExp(session[1])}:sts::${accountShape(session[2])}:assumed-role/${IAM_SEGMENT}/${IAM_SEGMENT}`;
    return undefined;
}
