/**
 * Where stack state lives and whether it needs a passphrase: pure functions over an environment
 * object, so the rules can be tested without a Pulumi CLI.
 */
import * as path from "path";

/** The folder, relative to the project, that holds the embedded local state by default. */
export const DEFAULT_STATE_DIR = ".pulumi-state";

/**
 * `"local"`: a `file://` folder; `"cloud"`: Pulumi Cloud, or a self-hosted one (`https://`,
 * `http://`), whose secrets provider needs no passphrase; `"self-managed"`: object storage or a
 * database (`s3://`, `gs://`, `azblob://`, `postgres://`, ...), which like `file://` defaults to the
 * passphrase secrets provider.
 */
export type BackendKind = "local" | "cloud" | "self-managed";

/** The backend every stack of one run uses. */
export interface Backend {
    /** The URL handed to the Pulumi CLI as `PULUMI_BACKEND_URL`. */
    url: string;
    kind: BackendKind;
    /** Whether the URL came from `PULUMI_BACKEND_URL` or is the embedded default. */
    source: "PULUMI_BACKEND_URL" | "default";
    /** The folder of a `file://` backend, absolute; undefined for other backends and for `file://~...`. */
    stateDir?: string;
}

/** Where the embedded state goes when `PULUMI_BACKEND_URL` is not set. */
export interface BackendLocation {
    /** Folder of the Pulumi project; a relative `stateDir` is resolved against it. */
    projectDir: string;
    /**
     * Folder a relative `file://` path in `PULUMI_BACKEND_URL` is resolved against (Pulumi itself runs
     * in another folder, so the path is made absolute first).
     * @default process.cwd()
     */
    cwd?: string;
    /** @default `<projectDir>/.pulumi-state` */
    stateDir?: string;
}

/** Raised when a backend that encrypts secrets with a passphrase has no usable passphrase. */
export class MissingPassphraseError extends Error {
    constructor(
        readonly backend: Backend,
        readonly reason: string,
    ) {
        super(
            `${reason}. The ${backend.kind === "local" ? "local" : "self-managed"} backend ${backend.url} encrypts stack secrets with a ` +
                `passphrase: set PULUMI_CONFIG_PASSPHRASE to it, or PULUMI_CONFIG_PASSPHRASE_FILE to a file that holds it ` +
                `(keep the same passphrase for every later run of these stacks).`,
        );
        this.name = "MissingPassphraseError";
    }
}

/** The `file://` URL of a folder, as `pulumi login file://<path>` takes it: absolute, forward slashes, not percent-encoded. */
function fileBackendUrl(stateDir: string): string {
    return `file://${path.resolve(stateDir).split(path.sep).join("/")}`;
}

/** The kind of backend a URL names. */
export function backendKind(url: string): BackendKind {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
    if (scheme === "file") return "local";
    if (scheme === "https" || scheme === "http") return "cloud";
    return "self-managed";
}

/**
 * The backend for a run: `PULUMI_BACKEND_URL` when it is set and not blank (Pulumi Cloud, S3, ...),
 * otherwise a local file backend in `stateDir`, by default `<projectDir>/.pulumi-state`, so that no
 * Pulumi Cloud account is needed.
 */
export function resolveBackend(env: Readonly<NodeJS.ProcessEnv>, location: BackendLocation): Backend {
    const configured = env.PULUMI_BACKEND_URL?.trim();
    if (configured) {
        const kind = backendKind(configured);
        const folder = configured.replace(/^file:\/\//i, "");
        // `~` is Pulumi's to expand; a query string (`?no_tmp_dir=...`) leaves the URL as the user wrote it.
        if (kind !== "local" || folder === "" || folder.startsWith("~") || folder.includes("?")) return { url: configured, kind, source: "PULUMI_BACKEND_URL" };
        const stateDir = path.resolve(location.cwd ?? process.cwd(), folder);
        return { url: fileBackendUrl(stateDir), kind, source: "PULUMI_BACKEND_URL", stateDir };
    }
    const stateDir = path.resolve(location.projectDir, location.stateDir ?? DEFAULT_STATE_DIR);
    return { url: fileBackendUrl(stateDir), kind: "local", source: "default", stateDir };
}

/**
 * Checks that a backend that needs a passphrase (every one but Pulumi Cloud) has one, and says which
 * variable provides it (`undefined` for Pulumi Cloud). A variable that is set but empty is refused
 * rather than used: Pulumi would accept it silently and encrypt the stack's secrets with nothing.
 * `PULUMI_CONFIG_PASSPHRASE` wins over `PULUMI_CONFIG_PASSPHRASE_FILE`, as in Pulumi.
 * @throws MissingPassphraseError naming the variables to set.
 */
export function checkPassphrase(env: Readonly<NodeJS.ProcessEnv>, backend: Backend): "PULUMI_CONFIG_PASSPHRASE" | "PULUMI_CONFIG_PASSPHRASE_FILE" | undefined {
    if (backend.kind === "cloud") return undefined;
    for (const variable of ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"] as const) {
        const value = env[variable];
        if (value === undefined) continue;
        // A passphrase may be spaces; a file name may not.
        const empty = variable === "PULUMI_CONFIG_PASSPHRASE" ? value === "" : value.trim() === "";
        if (empty) throw new MissingPassphraseError(backend, `${variable} is set but empty`);
        return variable;
    }
    throw new MissingPassphraseError(backend, "Neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set");
}
