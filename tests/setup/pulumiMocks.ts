/**
 * Installs the Pulumi mock engine once, for project `secure-bucket`, before any test file is loaded
 * (mocha `--require`), and records every resource registration with the options the engine saw.
 *
 * The recorder is the one the CLI's offline plan uses (cli/registrationRecorder.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, RecordedResource } from "../../cli/registrationRecorder";

export type { RecordedResource };

export const PROJECT = "secure-bucket";
export const STACK = "test";
/** Placeholder account, partition and region that the mock invokes answer with. */
export const ACCOUNT_ID = "111111111111";
export const PARTITION = "aws";
export const DNS_SUFFIX = "amazonaws.com";
export const PROVIDER_REGION = "us-east-1";
/** The deploying identity: a session of a role whose path the session ARN does not show. */
export const DEPLOYER_SESSION_ARN = `arn:${PARTITION}:sts::${ACCOUNT_ID}:assumed-role/deployer/ci-session`;
export const DEPLOYER_ROLE_ARN = `arn:${PARTITION}:iam::${ACCOUNT_ID}:role/ci/deployer`;


/** Every resource registered since {@link clearRecorded}. */
export function recordedResources(): readonly RecordedResource[] {
    return recorded;
}

/** Forgets what was recorded, so a test sees only its own resources. */
export function clearRecorded(): void {
    recorded.length = 0;
}

let autoNameCounter = 0;

/** State the mock "cloud" returns for a new resource: its inputs plus the attributes AWS computes. */
function stateFor(type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } {
    const region = (inputs.region as string | undefined) ?? PROVIDER_REGION;
    switch (type) {
        case "aws:s3/bucket:Bucket": {
            const bucket = (inputs.bucket as string | undefined) ?? `${name}-${(autoNameCounter++).toString(16).padStart(7, "0")}`;
            return { id: bucket, state: { ...inputs, bucket, arn: `arn:${PARTITION}:s3:::${bucket}`, region } };
        }
        case "aws:kms/key:Key": {
            const keyId = `0000000${(autoNameCounter++).toString(16)}`.slice(-8) + "-1111-2222-3333-444455556666";
            return { id: keyId, state: { ...inputs, keyId, arn: `arn:${PARTITION}:kms:${region}:${ACCOUNT_ID}:key/${keyId}`, region } };
        }
        case "aws:kms/alias:Alias":
            return {
                id: inputs.name as string,
                state: { ...inputs, arn: `arn:${PARTITION}:kms:${region}:${ACCOUNT_ID}:${inputs.name as string}`, region },
            };
        default:
            return { id: `${name}-id`, state: { ...inputs } };
    }
}

const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => stateFor(args.type, args.name, args.inputs as Record<string, unknown>),
    call: (args) => {
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity": {
                // The AWS provider refuses any account but the stack's aws:allowedAccountIds.
                const declared = JSON.parse(pulumi.runtime.allConfig()["aws:allowedAccountIds"] ?? "[]") as string[];
                const accountId = declared[0] ?? ACCOUNT_ID;
                return { accountId, arn: DEPLOYER_SESSION_ARN.replace(ACCOUNT_ID, accountId), userId: "AROAEXAMPLE:ci-session", id: accountId };
            }
            case "aws:iam/getSessionContext:getSessionContext":
                // IAM knows the role's path, which the session ARN leaves out.
                return { arn: args.inputs.arn, issuerArn: String(args.inputs.arn).replace(/:sts::(\d{12}):assumed-role\/deployer\/.*$/, ":iam::$1:role/ci/deployer"), id: args.inputs.arn };
            case "aws:index/getPartition:getPartition":
                return { partition: PARTITION, dnsSuffix: DNS_SUFFIX, reverseDnsPrefix: "com.amazonaws", id: PARTITION };
            case "aws:index/getRegion:getRegion":
                return { region: PROVIDER_REGION, name: PROVIDER_REGION, id: PROVIDER_REGION, endpoint: "", description: "" };
            default:
                throw new Error(`The test mocks do not answer the invoke ${args.token}`);
        }
    },
};

const recorder = installRecordingMocks(mocks, PROJECT, STACK);
const installedMonitor = recorder.monitor;
const recorded = recorder.recorded;


/** True while the mock monitor installed here is the one Pulumi registers resources with. */
export function mocksAreInstalled(): boolean {
    return (pulumi.runtime.getMonitor() as unknown) === installedMonitor && pulumi.getProject() === PROJECT;
}

/**
 * Unhandled promise rejections, by promise. A resource whose input Output rejects fails its
 * registration, and Pulumi reports that failure as an unhandled rejection on purpose (in `pulumi up`
 * the language host prints it and fails the update); a program that throws inside
 * `runInPulumiStack` does the same. Mocha 11 drops such rejections silently, so the run listens:
 * a test takes the ones it expects with {@link takeUnhandledRejections}, and any other one fails it.
 */
const unhandled = new Map<Promise<unknown>, unknown>();
/** Failures a test provoked on purpose: see {@link expectRejection}. */
const expected: { match: (reason: unknown) => boolean; first: (reason: unknown) => void }[] = [];
process.on("unhandledRejection", (reason: unknown, promise: Promise<unknown>) => {
    const expectation = expected.find((e) => e.match(reason));
    if (expectation === undefined) unhandled.set(promise, reason);
    else expectation.first(reason);
});

/**
 * Expects the failure a test provokes, which Pulumi reports as unhandled rejections (one failed
 * registration reaches several promises, some of them after the test has ended). Every rejection
 * `match` accepts, from now to the end of the run, is taken as that failure and never counted as a
 * leak; `match` must therefore name what only this test creates (its component's name, its error
 * object). Resolves with the first one's reason, as soon as it is reported: no waiting on time.
 */
export function expectRejection(match: (reason: unknown) => boolean): Promise<unknown> {
    return new Promise((resolve) => {
        expected.push({ match, first: resolve });
        for (const [promise, reason] of unhandled) {
            if (!match(reason)) continue;
            unhandled.delete(promise);
            resolve(reason);
        }
    });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the unhandled rejections `match` accepts: waits (up to 10 s) for at least one, then until no
 * new one has arrived for `quietMs` (one failure reaches several promises), and returns their reasons.
 */
export async function takeUnhandledRejections(match: (reason: unknown) => boolean, quietMs = 250): Promise<unknown[]> {
    const matching = () => [...unhandled].filter(([, reason]) => match(reason));
    const deadline = Date.now() + 10_000;
    while (matching().length === 0 && Date.now() < deadline) await sleep(10);
    let seen = -1;
    while (seen !== matching().length) {
        seen = matching().length;
        await sleep(quietMs);
    }
    const found = matching();
    for (const [promise] of found) unhandled.delete(promise);
    return found.map(([, reason]) => reason);
}

function firstLine(reason: unknown): string {
    return String(reason).split("\n")[0];
}

/**
 * Root hooks (mocha): the guards. Every test starts and ends with the mocks in place; if anything
 * replaced them, the run fails instead of creating resources against nothing. And no test may leave
 * an unhandled rejection it did not take.
 */
export const mochaHooks = {
    beforeEach(): void {
        if (!mocksAreInstalled()) throw new Error("Pulumi mocks are not installed: refusing to create resources without them");
        clearRecorded();
    },
    async afterEach(): Promise<void> {
        if (!mocksAreInstalled()) throw new Error("Pulumi mocks were replaced during the test");
        await new Promise((resolve) => setImmediate(resolve));
        const left = [...unhandled.values()];
        unhandled.clear();
        if (left.length > 0) {
            throw new Error(`The test left ${left.length} unhandled rejection(s): ${[...new Set(left.map(firstLine))].join(" | ")}`);
        }
    },
};
