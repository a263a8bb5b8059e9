/**
 * Where stack state lives and which secrets it needs: pure functions over an environment object,
 * so the rules can be tested without a Pulumi CLI.
 */
import * as path from "path";

/** The folder, relative to the project, that holds the embedded local state by default. */
export const DEFAULT_STATE_DIR = ".pulumi-state";

/** The variable that selects a backend; it wins over the embedded local state. */
export const BACKEND_URL_VARIABLE = "PULUMI_BACKEND_URL";

/** The variables that give Pulumi's passphrase secrets provider its passphrase. */
export const PASSPHRASE_VARIABLES = ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE"] as const;

/** One of {@link PASSPHRASE_VARIABLES}. */
export type PassphraseVariable = (typeof PASSPHRASE_VARIABLES)[number];

/**
 * The kind of a backend:
 * - `"local"`: a `file://` folder (the embedded default state);
 * - `"cloud"`: Pulumi Cloud or a self-hosted Pulumi Cloud (`https://` or `http://`), whose own
 *   secrets provider needs no passphrase;
 * - `"self-managed"`: object storage or a database (`s3://`, `gs://`, `azblob://`, `postgres://`, ...),
 *   which like `file://` defaults to the passphrase secrets provider.
 */
export type BackendKind = "local" | "cloud" | "self-managed";

/** The backend every stack of one run uses. */
export interface Backend {
    /** The backend URL handed to the Pulumi CLI as `PULUMI_BACKEND_URL`. */
    url: string;
    /** What kind of backend the URL names. */
    kind: BackendKind;
    /** Whether the URL came from `PULUMI_BACKEND_URL` or is the embedded default. */
    source: "PULUMI_BACKEND_URL" | "default";
    /** The local folder of a `file://` backend, absolute; undefined for other backends and for `file://~...`. */
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
    /**
     * Folder of the local file backend.
     * @default `<projectDir>/.pulumi-state`
     */
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

/**
 * The `file://` URL of a local state folder, the way `pulumi login file://<path>` takes it: the
 * absolute path as is (not percent-encoded), with forward slashes.
 */
export function fileBackendUrl(stateDir: string): string {
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
    const configured = env[BACKEND_URL_VARIABLE]?.trim();
    if (configured) {
        const kind = backendKind(configured);
        if (kind !== "local") return { url: configured, kind, source: "PULUMI_BACKEND_URL" };
        const folder = configured.replace(/^file:\/\//i, "");
        // `~` is Pulumi's to expand; a query string (`?no_tmp_dir=...`) leaves the URL as the user wrote it.
        if (folder === "" || folder.startsWith("~") || folder.includes("?")) return { url: configured, kind, source: "PULUMI_BACKEND_URL" };
        const stateDir = path.resolve(location.cwd ?? process.cwd(), folder);
        return { url: fileBackendUrl(stateDir), kind, source: "PULUMI_BACKEND_URL", stateDir };
    }
    const stateDir = path.resolve(location.projectDir, location.stateDir ?? DEFAULT_STATE_DIR);
    return { url: fileBackendUrl(stateDir), kind: "local", source: "default", stateDir };
}

/** Whether stacks on this backend need a passphrase: every backend but Pulumi Cloud does. */
export function requiresPassphrase(backend: Backend): boolean {
    return backend.kind !== "cloud";
}

/**
 * Checks that a backend that needs a passphrase has one, and says which variable provides it
 * (`undefined` for Pulumi Cloud). A variable that is set but empty is refused rather than used as an
 * empty passphrase: Pulumi would accept it silently and encrypt the stack's secrets with nothing.
 * `PULUMI_CONFIG_PASSPHRASE` wins over `PULUMI_CONFIG_PASSPHRASE_FILE`, as in Pulumi.
 * @throws MissingPassphraseError naming the variables to set.
 */
export function checkPassphrase(env: Readonly<NodeJS.ProcessEnv>, backend: Backend): PassphraseVariable | undefined {
    if (!requiresPassphrase(backend)) return undefined;
    const passphrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (passphrase !== undefined) {
        if (passphrase === "") throw new MissingPassphraseError(backend, "PULUMI_CONFIG_PASSPHRASE is set but empty");
        return "PULUMI_CONFIG_PASSPHRASE";
    }
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file !== undefined) {
        if (file.trim() === "") throw new MissingPassphraseError(backend, "PULUMI_CONFIG_PASSPHRASE_FILE is set but empty");
        return "PULUMI_CONFIG_PASSPHRASE_FILE";
    }
    throw new MissingPassphraseError(backend, "Neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set");
}
