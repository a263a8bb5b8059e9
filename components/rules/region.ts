// Region names: a prefix of two or more letters, one or more words and a number: us-east-1,
// us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1 (the AWS European Sovereign Cloud).
const REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d{1,2}$/;

/** What is wrong with an AWS region name, or undefined when it is one. */
export function regionProblem(region: unknown): string | undefined {
    return typeof region === "string" && REGION.test(region) ? undefined : 'must be an AWS region name such as "us-east-1" or "eusc-de-east-1"';
}
