/** What every benchmarked bucket is built with: the same principals for the component and the raw twin. */
export interface BenchArgs {
    administrators: string[];
    readers: string[];
    writers: string[];
}

export const BENCH_ARGS: BenchArgs = {
    administrators: ["arn:aws:iam::111111111111:role/platform-admin"],
    readers: ["arn:aws:iam::111111111111:role/app", "arn:aws:iam::222222222222:role/analytics-reader"],
    writers: ["arn:aws:iam::111111111111:role/app"],
};

/** Answers of the mock engine: the same for both variants. */
export const BENCH_ACCOUNT = "111111111111";
export const BENCH_REGION = "us-east-1";
export const BENCH_DEPLOYER = `arn:aws:iam::${BENCH_ACCOUNT}:user/deployer`;
