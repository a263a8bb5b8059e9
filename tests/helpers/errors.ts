/** What `run` throws; fails the test when it throws nothing, or something other than an `expected`. */
export function thrownBy<E extends Error>(expected: new (...args: never[]) => E, run: () => unknown): E {
    try {
        run();
    } catch (error) {
        if (error instanceof expected) return error;
        throw new Error(`expected a ${expected.name}, got: ${String(error)}`);
    }
    throw new Error(`expected a ${expected.name}, and nothing was thrown`);
}

/** What `promise` rejects with; fails the test when it resolves, or rejects with something other than an `expected`. */
export async function rejectedWith<E extends Error>(expected: new (...args: never[]) => E, promise: Promise<unknown>): Promise<E> {
    try {
        await promise;
    } catch (error) {
        if (error instanceof expected) return error;
        throw new Error(`expected a ${expected.name}, got: ${String(error)}`);
    }
    throw new Error(`expected a ${expected.name}, and the call succeeded`);
}
