/**
 * One measurement of the program-cost benchmark, in a process of its own:
 * `node bench/programCostWorker.js <component|raw> <N>`. Installs the mock engine, builds N buckets,
 * waits until every registration has completed, and prints one JSON line with the wall time of the
 * build (module loading excluded) and the process's peak memory.
 */
import * as pulumi from "@pulumi/pulumi";
// Both variants load both modules, so module loading costs the same and stays out of the clock.
import { SecureBucket } from "../components";
import { rawBucket } from "./rawResources";
import { BENCH_ACCOUNT, BENCH_ARGS, BENCH_DEPLOYER, BENCH_REGION } from "./workload";

async function main(): Promise<void> {
    const [variant, countText] = process.argv.slice(2);
    const count = Number(countText);
    if ((variant !== "component" && variant !== "raw") || !Number.isInteger(count) || count < 1) {
        throw new Error("usage: programCostWorker <component|raw> <N>");
    }
    let registrations = 0;
    void pulumi.runtime.setMocks(
        {
            newResource: (a) => {
                registrations++;
                const inputs = a.inputs as Record<string, unknown>;
                const bucket = (inputs.bucket as string | undefined) ?? `${a.name}-0000000`;
                // Shaped as AWS's for the types whose ARNs the policies parse (a key's id is in its ARN).
                const arn = a.type === "aws:kms/key:Key" ? `arn:aws:kms:${BENCH_REGION}:${BENCH_ACCOUNT}:key/${a.name}-key-id` : `arn:aws:mock:${BENCH_REGION}:${BENCH_ACCOUNT}:${a.name}`;
                return { id: `${a.name}-id`, state: { ...inputs, bucket, arn, keyId: `${a.name}-key-id` } };
            },
            call: (a) => ({
                accountId: BENCH_ACCOUNT,
                arn: BENCH_DEPLOYER,
                issuerArn: BENCH_DEPLOYER,
                partition: "aws",
                dnsSuffix: "amazonaws.com",
                region: BENCH_REGION,
                id: a.token,
            }),
        },
        "secure-bucket",
        "bench",
        false,
    );
    const build = (name: string): pulumi.Output<unknown>[] => {
        if (variant === "raw") return rawBucket(name, BENCH_ARGS);
        const sb = new SecureBucket(name, BENCH_ARGS);
        return [sb.urn, sb.bucket.urn, sb.key.urn, sb.alias.urn, sb.ownershipControls.urn, sb.publicAccessBlock.urn, sb.encryption.urn, sb.versioning.urn, sb.lifecycle.urn, sb.policy.urn];
    };
    if (global.gc) global.gc();
    const before = process.memoryUsage().rss;
    const start = process.hrtime.bigint();
    const pending: pulumi.Output<unknown>[] = [];
    for (let i = 0; i < count; i++) pending.push(...build(`bench-${i}`));
    await Promise.all(pending.map((o) => new Promise((resolve) => o.apply(resolve))));
    await pulumi.runtime.disconnect();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ variant, count, ms, registrations, peakRssMb, baseRssMb: before / 1024 / 1024 })}\n`);
}

main().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
});
