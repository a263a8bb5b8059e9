/** Streaming Pulumi's output to the caller, whole lines prefixed with the stack name when several run. */

/** A stream of text for one stack: chunks in, text out. */
export interface OutputStream {
    /** Passes on a chunk as Pulumi printed it. */
    write(chunk: string): void;
    /** Passes on what is left of an unfinished last line (call once, when the operation ends). */
    end(): void;
}

/** Passes every chunk on unchanged, as soon as it arrives. */
export function passThrough(emit: (text: string) => void): OutputStream {
    return { write: (chunk) => emit(chunk), end: () => undefined };
}

/**
 * Passes on whole lines only, each starting with `prefix`, so that the output of stacks running at
 * the same time interleaves line by line and every line says whose it is.
 */
export function prefixedLines(prefix: string, emit: (text: string) => void): OutputStream {
    let pending = "";
    return {
        write(chunk) {
            pending += chunk;
            const lastBreak = pending.lastIndexOf("\n");
            if (lastBreak < 0) return;
            const complete = pending.slice(0, lastBreak);
            pending = pending.slice(lastBreak + 1);
            emit(
                complete
                    .split("\n")
                    .map((line) => `${prefix}${line.replace(/\r$/, "")}\n`)
                    .join(""),
            );
        },
        end() {
            if (pending === "") return;
            const rest = pending.replace(/\r$/, "");
            pending = "";
            emit(`${prefix}${rest}\n`);
        },
    };
}
