import { expect } from "chai";
import { parse } from "yaml";
import { withAdoptionConfig } from "../adopt/stackFile";

const STACK = `# The team's stack.
config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["111111111111"]   # the sandbox
  secure-bucket:tags:
    owner: someone-else
  # Sandbox: no protection.
  secure-bucket:protect: false
# the end
`;

describe("adopt's stack file edit", () => {
    it("sets adopt's keys at the end of the config block, replacing those already there, and leaves every other line as it was", () => {
        const written = withAdoptionConfig(STACK, { bucketName: "console-made", adoptExisting: { replace: ["bucketPolicy", "lifecycle"] }, tags: { team: "data" } });
        expect(written).to.equal(`# The team's stack.
config:
  aws:region: us-east-1
  aws:allowedAccountIds: ["111111111111"]   # the sandbox
  # Sandbox: no protection.
  secure-bucket:protect: false
  secure-bucket:bucketName: console-made
  secure-bucket:adoptExisting:
    replace:
      - bucketPolicy
      - lifecycle
  secure-bucket:tags:
    team: data
# the end
`);
        expect((parse(written) as { config: Record<string, unknown> }).config["secure-bucket:tags"]).to.deep.equal({ team: "data" });
    });

    it("writes a config block into a stack file that has none", () => {
        expect(parse(withAdoptionConfig("# empty\n", { bucketName: "b", adoptExisting: { replace: ["bucketPolicy", "lifecycle"] } }))).to.deep.equal({
            config: { "secure-bucket:bucketName": "b", "secure-bucket:adoptExisting": { replace: ["bucketPolicy", "lifecycle"] } },
        });
    });
});
