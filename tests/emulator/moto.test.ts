import { expect } from "chai";
import { startMoto } from "./moto";

describe("the emulator harness", function () {
    it("fails, saying so, when moto's server is missing (never a skip)", async function () {
        const error = await startMoto("moto_server-not-installed").then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(String(error)).to.match(/moto_server-not-installed was not found on PATH: the emulator tests need moto's server/);
    });
});
