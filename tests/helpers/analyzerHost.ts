/**
 * What the Pulumi CLI does with a Node.js policy pack, without the CLI (pulumi/pulumi,
 * sdk/go/common/resource/plugin/analyzer_plugin.go, `NewPolicyAnalyzer`): it serves its engine over
 * gRPC, starts the `pulumi-analyzer-policy` plugin (a script that resolves
 * `@pulumi/pulumi/cmd/run-policy-pack` from the pack's directory and runs it with node) with the
 * engine's address and `.` as arguments in the pack's directory, reads the port the pack prints on
 * its first line of stdout, and then talks to it as an Analyzer: Handshake (a pack that does not
 * implement it answers UNIMPLEMENTED, which the CLI accepts), ConfigureStack, GetAnalyzerInfo,
 * Configure with the policy config (levels and settings), and AnalyzeStack with the stack's resources,
 * their dependencies and their property dependencies.
 */
import * as grpc from "@grpc/grpc-js";
import * as analyzerRpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineRpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as engineProto from "@pulumi/pulumi/proto/engine_pb";
import { ChildProcess, spawn } from "child_process";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { PlanResource } from "../../cli/planJson";
import { BUCKET_TYPES } from "../../compliance/stackModel";
import { autoNamedPlaceholder } from "../../offline/placeholders";

/** A violation the pack reported. */
export interface Violation {
    policy: string;
    urn: string;
    message: string;
    enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
}

/** The engine's side: a gRPC Engine service that keeps what the pack logs. */
export interface Engine {
    address: string;
    logged: string[];
    stop(): void;
}

export async function startEngine(): Promise<Engine> {
    const server = new grpc.Server();
    const logged: string[] = [];
    const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<never>) => callback({ code: grpc.status.UNIMPLEMENTED });
    server.addService(engineRpc.EngineService, {
        log: (call: grpc.ServerUnaryCall<engineProto.LogRequest, Empty>, callback: grpc.sendUnaryData<Empty>) => {
            logged.push(call.request.getMessage());
            callback(null, new Empty());
        },
        getRootResource: unimplemented,
        setRootResource: unimplemented,
        startDebugging: unimplemented,
        requirePulumiVersion: unimplemented,
    });
    const port = await new Promise<number>((resolve, reject) => server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, p) => (error ? reject(error) : resolve(p))));
    return { address: `127.0.0.1:${port}`, logged, stop: () => server.forceShutdown() };
}

/** A started policy pack: its process, what it printed on stderr, and a client of its Analyzer service. */
export interface RunningPack {
    process: ChildProcess;
    stderr: () => string;
    client: analyzerRpc.AnalyzerClient;
    stop(): void;
}

/** Starts the pack in `packDir` as the CLI's `pulumi-analyzer-policy` plugin does; resolves once it printed its port. */
export function startPolicyPack(packDir: string, engineAddress: string): Promise<RunningPack> {
    const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] });
    const child = spawn(process.execPath, [runPolicyPack, engineAddress, "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    return new Promise((resolve, reject) => {
        let stdout = "";
        const onData = (text: string) => {
            stdout += text;
            const newline = stdout.indexOf("\n");
            if (newline < 0) return;
            child.stdout.off("data", onData);
            const port = Number(stdout.slice(0, newline).trim());
            if (!Number.isInteger(port) || port <= 0) {
                child.kill();
                reject(new Error(`the policy pack printed ${JSON.stringify(stdout)} instead of its port; stderr: ${stderr}`));
                return;
            }
            const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
            resolve({ process: child, stderr: () => stderr, client, stop: () => (client.close(), child.kill()) });
        };
        child.stdout.setEncoding("utf8").on("data", onData);
        child.on("exit", (code) => reject(new Error(`the policy pack exited (${code}) before printing its port; stderr: ${stderr}`)));
    });
}

type Callback<Res> = (error: grpc.ServiceError | null, response: Res) => void;

/** One unary call, as a promise. */
function call<Res>(start: (callback: Callback<Res>) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => start((error, response) => (error ? reject(error) : resolve(response))));
}

/** The CLI's calls after the start: Handshake (UNIMPLEMENTED accepted), ConfigureStack, then GetAnalyzerInfo, whose answer it returns. */
export async function startSession(pack: RunningPack, options: { engineAddress: string; packDir: string; stack: string; project: string }): Promise<analyzerProto.AnalyzerInfo> {
    const { client } = pack;
    const handshake = new analyzerProto.AnalyzerHandshakeRequest().setEngineAddress(options.engineAddress).setRootDirectory(options.packDir).setProgramDirectory(options.packDir);
    await call((cb) => client.handshake(handshake, cb)).catch((error: grpc.ServiceError) => {
        if (error.code !== grpc.status.UNIMPLEMENTED) throw error;
    });
    const stack = new analyzerProto.AnalyzerStackConfigureRequest().setStack(options.stack).setProject(options.project).setOrganization("organization");
    await call((cb) => client.configureStack(stack, cb));
    return call<analyzerProto.AnalyzerInfo>((cb) => client.getAnalyzerInfo(new Empty(), cb));
}

const LEVEL_CODES: Record<string, analyzerProto.EnforcementLevel> = {
    advisory: analyzerProto.EnforcementLevel.ADVISORY,
    mandatory: analyzerProto.EnforcementLevel.MANDATORY,
    disabled: analyzerProto.EnforcementLevel.DISABLED,
};

/**
 * The CLI's Configure call: every policy's enforcement level and settings, from a policy config
 * file's content (`--policy-pack-config`; a level, or `{ enforcementLevel, ...settings }` per policy)
 * over the pack's defaults, as the CLI resolves them.
 */
export async function configure(pack: RunningPack, info: analyzerProto.AnalyzerInfo, config: Record<string, string | Record<string, unknown>> = {}): Promise<void> {
    const request = new analyzerProto.ConfigureAnalyzerRequest();
    for (const policy of info.getPoliciesList()) {
        const entry = config[policy.getName()];
        const { enforcementLevel, ...settings } = typeof entry === "string" ? { enforcementLevel: entry } : (entry ?? {});
        const level = typeof enforcementLevel === "string" ? LEVEL_CODES[enforcementLevel] : policy.getEnforcementlevel();
        request.getPolicyconfigMap().set(policy.getName(), new analyzerProto.PolicyConfig().setEnforcementlevel(level).setProperties(Struct.fromJavaScript(settings as Record<string, never>)));
    }
    await call((cb) => pack.client.configure(request, cb));
}

const LEVELS: Record<analyzerProto.EnforcementLevel, Violation["enforcementLevel"]> = {
    [analyzerProto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerProto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerProto.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzerProto.EnforcementLevel.DISABLED]: "disabled",
};

/**
 * A plan resource's properties as the engine sends them: policy documents as the JSON strings
 * Pulumi passes around (the plan shows them parsed), and a bucket's name filled in as the AWS
 * provider's Check fills in an auto-name (the plan lists that name among its placeholders).
 */
function engineProperties(resource: PlanResource): Record<string, unknown> {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resource.inputs)) {
        properties[key] = typeof value === "object" && value !== null && "Statement" in value ? JSON.stringify(value) : value;
    }
    if (BUCKET_TYPES.includes(resource.type) && properties.bucket === undefined) properties.bucket = autoNamedPlaceholder(resource.name);
    return properties;
}

/** The strings anywhere in a value. */
function stringsIn(value: unknown): string[] {
    if (typeof value === "string") return [value];
    if (typeof value === "object" && value !== null) return Object.values(value).flatMap(stringsIn);
    return [];
}

/**
 * The property dependencies the engine sends with each resource (AnalyzerResource's
 * `propertyDependencies`: per property, the URNs of the resources whose outputs it was built from).
 * The plan records dependencies per resource only, so they are told apart by value: a property that
 * holds a bucket dependency's name or ARN depends on that bucket. Other dependencies stay in
 * `dependencies` only (every key's ARN in the plan carries the same placeholder key id).
 */
function propertyDependencies(resource: PlanResource, byUrn: ReadonlyMap<string, PlanResource>): [string, string[]][] {
    const buckets = resource.dependencies.flatMap((urn) => {
        const dependency = byUrn.get(urn);
        return dependency !== undefined && BUCKET_TYPES.includes(dependency.type) ? [{ urn, name: String(engineProperties(dependency).bucket) }] : [];
    });
    const holds = (value: unknown, name: string): boolean => stringsIn(value).some((text) => text.replace(/^arn:[^:]+:s3:::/, "").split("/")[0] === name);
    return Object.entries(resource.inputs)
        .map(([key, value]): [string, string[]] => [key, buckets.filter((b) => holds(value, b.name)).map((b) => b.urn)])
        .filter(([, urns]) => urns.length > 0);
}

/** What the engine sends for a value not known yet during preview. */
export const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * AnalyzeStack over a plan's resources; the violations reported. `unknown` maps a URN to the
 * properties sent as not known yet, as during a preview: their property dependencies are still sent,
 * as the engine knows which resources a value comes from before it knows the value.
 */
export async function analyzeStack(pack: RunningPack, resources: readonly PlanResource[], unknown: Readonly<Record<string, readonly string[]>> = {}): Promise<Violation[]> {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const request = new analyzerProto.AnalyzeStackRequest().setResourcesList(
        resources.map((r) => {
            const properties = engineProperties(r);
            for (const key of unknown[r.urn] ?? []) properties[key] = UNKNOWN_SENTINEL;
            const resource = new analyzerProto.AnalyzerResource()
                .setUrn(r.urn)
                .setType(r.type)
                .setName(r.name)
                .setProperties(Struct.fromJavaScript(properties as Record<string, never>))
                .setOptions(new analyzerProto.AnalyzerResourceOptions().setProtect(r.protect).setParent(r.parent ?? ""))
                .setParent(r.parent ?? "")
                .setDependenciesList(r.dependencies);
            for (const [key, urns] of propertyDependencies(r, byUrn)) resource.getPropertydependenciesMap().set(key, new analyzerProto.AnalyzerPropertyDependencies().setUrnsList(urns));
            return resource;
        }),
    );
    const response = await call<analyzerProto.AnalyzeResponse>((cb) => pack.client.analyzeStack(request, cb));
    return response.getDiagnosticsList().map((d) => ({ policy: d.getPolicyname(), urn: d.getUrn(), message: d.getMessage(), enforcementLevel: LEVELS[d.getEnforcementlevel()] }));
}
