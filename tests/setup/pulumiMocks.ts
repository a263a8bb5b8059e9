/**
 * Installs the Pulumi mock engine once, for project `secure-bucket`, before any test file is loaded
 * (mocha `--require`), answering as the offline AWS does (cli/offlineAws.ts, which the CLI's `plan`
 * uses too) and recording every resource registration with the options the engine saw.
 */
import * as pulumi from "@pulumi/pulumi";
import { offlineAws } from "../../offline/offlineAws";
import { installRecordingMocks, RecordedResource } from "../../offline/registrationRecorder";

export type { RecordedResource };

export const PROJECT = "secure-bucket";
export const STACK = "test";
/** The account and region the offline AWS answers with when the config names none. */
export const ACCOUNT_ID = "111111111111";
export const PROVIDER_REGION = "us-east-1";
/** The deploying role as IAM knows it: its session ARN leaves out the path `/ci/`. */
export const DEPLOYER_ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/ci/placeholder-deployer`;

/** Tests waiting for a number of registrations: see {@link registrationsCompleted}. */
const waiting: { count: number; resolve: () => void }[] = [];
const recorder = installRecordingMocks(
    offlineAws({ defaultRegion: PROVIDER_REGION, defaultAccountId: ACCOUNT_ID, deployerPath: "/ci/" }).mocks,
    PROJECT,
    STACK,
    () => {
        for (const waiter of waiting.filter((w) => recorder.recorded.length >= w.count)) {
            waiting.splice(waiting.indexOf(waiter), 1);
            waiter.resolve();
        }
    },
);

/**
 * Resolves once `count` registrations have completed since the test began: the event to wait for
 * when a test cannot name every resource it expects (a whole program). Pulumi's own `waitForRPCs`
 * would also wait for the registrations that the failure tests leave pending forever, on purpose.
 */
export function registrationsCompleted(count: number): Promise<void> {
    return new Promise((resolve) => {
        if (recorder.recorded.length >= count) resolve();
        else waiting.push({ count, resolve });
    });
}

/** Every resource registered since the test began. */
export function recordedResources(): readonly RecordedResource[] {
    return recorder.recorded;
}

/** The one resource of `type` registered since the test began; fails the test unless there is exactly one. */
export function one(type: string): RecordedResource {
    const matches = recorder.recorded.filter((r) => r.type === type);
    if (matches.length !== 1) throw new Error(`expected one resource of type ${type}, found ${matches.length}`);
    return matches[0];
}

let markers = 0;

/**
 * What the test has registered, once every registration it started before this call is in: a marker
 * component registered now, by the same path, completes after them (and is left out of the result).
 * Proves "nothing (else) was registered" without waiting on time.
 */
export async function registeredSoFar(): Promise<readonly RecordedResource[]> {
    const marker = new pulumi.ComponentResource("tests:index:Marker", `marker-${++markers}`);
    await new Promise((resolve) => marker.urn.apply(resolve));
    return recorder.recorded.filter((r) => r.type !== "tests:index:Marker");
}

/** True while the mock monitor installed here is the one Pulumi registers resources with. */
function mocksAreInstalled(): boolean {
    return (pulumi.runtime.getMonitor() as unknown) === recorder.monitor && pulumi.getProject() === PROJECT;
}

/**
 * Unhandled promise rejections, by promise. A resource whose input Output rejects fails its
 * registration, and Pulumi reports that failure as an unhandled rejection on purpose (in `pulumi up`
 * the language host prints it and fails the update); a program that throws inside
 * `runInPulumiStack` does the same. Mocha 11 drops such rejections silently, so the run listens:
 * a test declares the failure it provokes with {@link expectRejection}, and any other one fails it.
 */
const unhandled = new Map<Promise<unknown>, unknown>();
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
 * object). Resolves with the first one's reason as soon as it is reported: no waiting on time.
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

function firstLine(reason: unknown): string {
    return String(reason).split("\n")[0];
}

/**
 * Root hooks (mocha): the guards. Every test starts and ends with the mocks in place; if anything
 * replaced them, the run fails instead of creating resources against nothing. And no test may leave
 * an unhandled rejection it did not expect.
 */
export const mochaHooks = {
    beforeEach(): void {
        if (!mocksAreInstalled()) throw new Error("Pulumi mocks are not installed: refusing to create resources without them");
        recorder.recorded.length = 0;
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
