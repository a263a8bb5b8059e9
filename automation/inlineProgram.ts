/** The Pulumi program as an Automation API inline program. */
import { secureBucketProgram, type SecureBucketStackOutputs } from "../program/program";

/**
 * The inline program every stack runs: builds one SecureBucket named `secure-bucket-<stack>` from the
 * stack's config (`pulumi.runtime.allConfig()`), exactly as `index.ts` does for `pulumi up`, and
 * returns the stack outputs. Bad config fails before any resource is registered, naming each key.
 */
export async function secureBucketInlineProgram(): Promise<SecureBucketStackOutputs> {
    return secureBucketProgram();
}
