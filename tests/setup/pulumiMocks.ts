/**
 * Installs the Pulumi mock engine once, for project `secure-bucket`, before any test file is loaded
 * (mocha `--require`), and records every resource registration with the options the engine saw.
 *
 * Pulumi's `Mocks.newResource` is not told a resource's parent, dependencies or `protect`, so the
 * recorder wraps the mock monitor's `registerResource` and reads them from the request itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

export const PROJECT = "secure-bucket";
export const STACK = "test";
/** Placeholder account, partition and region that the mock invokes answer with. */
export const ACCOUNT_ID = "111111111111";
export const PARTITION = "aws";
export const DNS_SUFFIX = "amazonaws.com";
export const PROVIDER_REGION = "us-east-1";

/** One registered resource, as the engine received it. */
export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent, "" for none. */
    parent: string;
    /** URNs this resource waits for: explicit `dependsOn` and the resources its inputs come from. */
    dependencies: string[];
    protect: boolean;
    custom: boolean;
    inputs: Record<string, unknown>;
}

const recorded: RecordedResource[] = [];

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
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: ACCOUNT_ID, arn: `arn:${PARTITION}:iam::${ACCOUNT_ID}:user/deployer`, userId: "AIDAEXAMPLE", id: ACCOUNT_ID };
            case "aws:index/getPartition:getPartition":
                return { partition: PARTITION, dnsSuffix: DNS_SUFFIX, reverseDnsPrefix: "com.amazonaws", id: PARTITION };
            case "aws:index/getRegion:getRegion":
                return { region: PROVIDER_REGION, name: PROVIDER_REGION, id: PROVIDER_REGION, endpoint: "", description: "" };
            default:
                throw new Error(`The test mocks do not answer the invoke ${args.token}`);
        }
    },
};

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getProtect(): boolean;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
interface RegisterResponse {
    getUrn(): string;
}
type Callback = (err: Error | null, response?: RegisterResponse) => void;

/** Installs the mocks and the recorder; returns the monitor so the guard can check it stays in place. */
function install(): MockMonitor {
    void pulumi.runtime.setMocks(mocks, PROJECT, STACK, false);
    const monitor = pulumi.runtime.getMonitor();
    if (!(monitor instanceof MockMonitor)) throw new Error("pulumi.runtime.setMocks did not install the mock monitor");
    const register = monitor.registerResource.bind(monitor) as (req: RegisterRequest, callback: Callback) => Promise<void>;
    (monitor as unknown as { registerResource: (req: RegisterRequest, callback: Callback) => Promise<void> }).registerResource = (
        req,
        callback,
    ) =>
        register(req, (err, response) => {
            if (!err && response) {
                recorded.push({
                    type: req.getType(),
                    name: req.getName(),
                    urn: response.getUrn(),
                    parent: req.getParent(),
                    dependencies: req.getDependenciesList(),
                    protect: req.getProtect(),
                    custom: req.getCustom(),
                    inputs: req.getObject()?.toJavaScript() ?? {},
                });
            }
            callback(err, response);
        });
    return monitor;
}

const installedMonitor = install();

/** True while the mock monitor installed here is the one Pulumi registers resources with. */
export function mocksAreInstalled(): boolean {
    return (pulumi.runtime.getMonitor() as unknown) === installedMonitor && pulumi.getProject() === PROJECT;
}

/**
 * Root hooks (mocha): the guard. Every test starts and ends with the mocks in place; if anything
 * replaced them, the run fails instead of creating resources against nothing.
 */
export const mochaHooks = {
    beforeEach(): void {
        if (!mocksAreInstalled()) throw new Error("Pulumi mocks are not installed: refusing to create resources without them");
        clearRecorded();
    },
    afterEach(): void {
        if (!mocksAreInstalled()) throw new Error("Pulumi mocks were replaced during the test");
    },
};
