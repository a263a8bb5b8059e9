/**
 * Records every resource registration the Pulumi mock engine receives, with what `Mocks.newResource`
 * is not told: the parent, the dependencies and `protect`. It wraps the mock monitor's
 * `registerResource` and reads them from the request itself.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";

/** One registered resource, as the engine received it. */
export interface RecordedResource {
    type: string;
    name: string;
    urn: string;
    /** URN of the parent; "" for none. */
    parent: string;
    /** URNs this resource waits for: explicit `dependsOn` and the resources its inputs come from. */
    dependencies: string[];
    protect: boolean;
    custom: boolean;
    inputs: Record<string, unknown>;
    /** The ID of the existing resource Pulumi's `import` option adopts; "" when it creates one. */
    importId: string;
    /** Whether `retainOnDelete` keeps it when Pulumi deletes it. */
    retainOnDelete: boolean;
}

/** What the recorder has seen so far. */
export interface RegistrationRecorder {
    /** The mock monitor being recorded: still the installed one while `pulumi.runtime.getMonitor()` returns it. */
    monitor: MockMonitor;
    /** Every completed registration, in the order the engine completed them. */
    recorded: RecordedResource[];
    /** Registrations started and not yet completed (successfully or not). */
    pending(): number;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getProtect(): boolean;
    getCustom(): boolean;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getImportid(): string;
    getRetainondelete(): boolean;
}
interface RegisterResponse {
    getUrn(): string;
}
type Callback = (err: Error | null, response?: RegisterResponse) => void;
type RegisterResource = (req: RegisterRequest, callback: Callback) => Promise<void>;

/**
 * Installs Pulumi's mock engine for `project`/`stack` (previews off, so no unknown values) and starts
 * recording; `onRecorded` hears of each registration as it completes. Must run before the program or
 * any `pulumi.Config` is created.
 */
export function installRecordingMocks(
    mocks: pulumi.runtime.Mocks,
    project: string,
    stack: string,
    onRecorded?: (resource: RecordedResource) => void,
): RegistrationRecorder {
    void pulumi.runtime.setMocks(mocks, project, stack, false);
    const monitor = pulumi.runtime.getMonitor();
    if (!(monitor instanceof MockMonitor)) throw new Error("pulumi.runtime.setMocks did not install the mock monitor");
    const recorded: RecordedResource[] = [];
    let started = 0;
    let settled = 0;
    const register = monitor.registerResource.bind(monitor) as RegisterResource;
    (monitor as unknown as { registerResource: RegisterResource }).registerResource = (req, callback) => {
        started++;
        return register(req, (err, response) => {
            settled++;
            if (!err && response) {
                const resource: RecordedResource = {
                    type: req.getType(),
                    name: req.getName(),
                    urn: response.getUrn(),
                    parent: req.getParent(),
                    dependencies: req.getDependenciesList(),
                    protect: req.getProtect(),
                    custom: req.getCustom(),
                    inputs: req.getObject()?.toJavaScript() ?? {},
                    importId: req.getImportid(),
                    retainOnDelete: req.getRetainondelete(),
                };
                recorded.push(resource);
                onRecorded?.(resource);
            }
            callback(err, response);
        });
    };
    return { monitor, recorded, pending: () => started - settled };
}
