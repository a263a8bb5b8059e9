/** verify's comparison with placeholders: each is filled from the live value where it stands, once, and then holds. */
import { expect } from "chai";
import { Bindings, normalizeStatement } from "../verify/compare";

const DEPLOYER = "arn:aws:iam::111111111111:role/placeholder-deployer";
const ADMIN = "arn:aws:iam::111111111111:role/key-admin";

describe("verify's placeholder-aware comparison", () => {
    it("binds a placeholder in a list to the one live value left over, whatever the order", () => {
        const bindings = new Bindings([DEPLOYER]);
        expect(bindings.matches([ADMIN, DEPLOYER], ["arn:aws:iam::111111111111:role/ci/deployer", ADMIN])).to.equal(true);
        expect(bindings.fill(DEPLOYER)).to.equal("arn:aws:iam::111111111111:role/ci/deployer");
    });

    it("holds a bound placeholder to its value: another deployer elsewhere is a difference", () => {
        const bindings = new Bindings([DEPLOYER]);
        bindings.bind(DEPLOYER, "arn:aws:iam::111111111111:role/ci/deployer");
        expect(bindings.matches({ P: [DEPLOYER] }, { P: ["arn:aws:iam::111111111111:role/someone-else"] })).to.equal(false);
    });

    it("never binds when the live list has more than one value left over (ambiguous) or a value is missing", () => {
        expect(new Bindings([DEPLOYER]).matches([ADMIN, DEPLOYER], ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b"])).to.equal(false);
        expect(new Bindings([DEPLOYER]).matches([ADMIN, DEPLOYER], [ADMIN])).to.equal(false);
    });

    it("fills a placeholder inside a longer string (an ARN with the key id)", () => {
        const bindings = new Bindings(["00000000-0000-0000-0000-000000000000"]);
        expect(bindings.matches("arn:aws:kms:us-east-1:1:key/00000000-0000-0000-0000-000000000000", "arn:aws:kms:us-east-1:1:key/1234abcd")).to.equal(true);
        expect(bindings.matches("arn:aws:kms:us-east-1:1:key/00000000-0000-0000-0000-000000000000", "arn:aws:kms:eu-west-1:1:key/1234abcd")).to.equal(false);
    });

    it("reads IAM's equivalent forms alike: a string and a one-element list, \"*\" and {AWS: \"*\"}", () => {
        expect(normalizeStatement({ Sid: "S", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::b" })).to.deep.equal(
            normalizeStatement({ Sid: "S", Effect: "Deny", Principal: { AWS: ["*"] }, Action: ["s3:*"], Resource: ["arn:aws:s3:::b"] }),
        );
    });
});
