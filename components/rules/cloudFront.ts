// A CloudFront distribution ARN: global (no region), `arn:<partition>:cloudfront::<account>:distribution/<ID>`
// ("Amazon CloudFront resource types", Service Authorization Reference).
const DISTRIBUTION_ARN = /^arn:aws(?:-[a-z0-9]+)*:cloudfront::\d{12}:distribution\/[A-Z0-9]+$/;

/** What is wrong with a CloudFront distribution ARN, or undefined when it is one. */
export function distributionArnProblem(arn: unknown): string | undefined {
    if (typeof arn !== "string" || !DISTRIBUTION_ARN.test(arn)) {
        return "must be a CloudFront distribution ARN: arn:<partition>:cloudfront::<12-digit account>:distribution/<ID> (a distribution's `arn` output)";
    }
    return undefined;
}
