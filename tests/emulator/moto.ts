/**
 * moto's server (`moto_server`, in the machine image of every developer's and CI's machine) as the
 * live AWS account of the emulator tests: started on a free port chosen by the operating system
 * (`-p 0`), ready when it prints the address it listens on, stopped after the suite.
 */
import { ChildProcess, spawn } from "child_process";

/** A running moto server. */
export interface Moto {
    /** `http://127.0.0.1:<port>`: the endpoint URL to give the AWS SDK. */
    endpoint: string;
    stop(): Promise<void>;
}

/** What the SDK needs to talk to moto: any static credentials are accepted. */
export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" };
/** The account moto answers as. */
export const MOTO_ACCOUNT = "123456789012";

const missing = (command: string): string =>
    `${command} was not found on PATH` +
    ": the emulator tests need moto's server (Python, `pip install 'moto[server]==5.2.1'`), " +
    "which this project's machine image provides (with pyenv, ~/.pyenv/shims must be on PATH)";

/**
 * Starts moto; rejects with a message saying so when `moto_server` is missing or exits before it listens.
 * @param command the server's command (another name only to prove the message when it is missing).
 */
export function startMoto(command = "moto_server"): Promise<Moto> {
    return new Promise((resolve, reject) => {
        const child: ChildProcess = spawn(command, ["-H", "127.0.0.1", "-p", "0"], { stdio: ["ignore", "pipe", "pipe"] });
        let seen = "";
        const exited = new Promise<void>((done) => child.once("exit", () => done()));
        const stop = async (): Promise<void> => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            await exited;
        };
        const onData = (chunk: Buffer): void => {
            seen += chunk.toString();
            const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
            if (match === null) return;
            child.stdout?.off("data", onData);
            child.stderr?.off("data", onData);
            // Keep draining its log so that a full pipe never blocks it.
            child.stdout?.resume();
            child.stderr?.resume();
            resolve({ endpoint: match[1], stop });
        };
        child.stdout?.on("data", onData);
        child.stderr?.on("data", onData);
        child.once("error", (error: NodeJS.ErrnoException) => reject(new Error(error.code === "ENOENT" ? missing(command) : `moto_server failed to start: ${error.message}`)));
        child.once("exit", (code, signal) => reject(new Error(`moto_server exited (${code ?? signal}) before listening:\n${seen}`)));
    });
}

/** Empties moto: every bucket, key and alias is gone (its `/moto-api/reset`). */
export async function resetMoto(moto: Moto): Promise<void> {
    const response = await fetch(`${moto.endpoint}/moto-api/reset`, { method: "POST" });
    if (!response.ok) throw new Error(`moto's reset answered ${response.status}`);
}
