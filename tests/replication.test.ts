import { expect } from "chai";
import { buildReplicationRolePolicy, SecureBucket, SecureBucketArgs, SecureBucketArgumentError, SecureBucketReplication, SecureBucketReplicationArgs } from "../components";
import { built } from "./helpers/components";
import { thrownBy } from "./helpers/errors";
import { OPT_IN_TYPES, registeredAs } from "./helpers/optIns";
import { registered, registeredOutputs, valueOf } from "./helpers/outputs";
import { CHILD_TYPES } from "./helpers/resourceTypes";
import { ACCOUNT_ID, one, recordedResources, registeredSoFar } from "./setup/pulumiMocks";
import { PLACEHOLDER_KEY_ID as KEY_ID } from "../offline/placeholders";

const TYPE = "secure-bucket:index:SecureBucketReplication";
const SOURCE_ARN = "arn:aws:s3:::src-xxxxxxx";
const DESTINATION_ARN = "arn:aws:s3:::dst-xxxxxxx";
const DESTINATION_KEY_ARN = `arn:aws:kms:eu-west-1:${ACCOUNT_ID}:key/${KEY_ID}`;

/** A replication from `src` (the provider's region, us-east-1) into `dst` (eu-west-1), resolved once its children are registered. */
async function replicated(args: Omit<SecureBucketReplicationArgs, "source" | "destination"> = {}, bothArgs: SecureBucketArgs = {}): Promise<SecureBucketReplication> {
    const [source, destination] = await Promise.all([built("src", bothArgs), built("dst", { region: "eu-west-1", ...bothArgs })]);
    const replication = new SecureBucketReplication("repl", { source, destination, ...args });
    await registered(replication, replication.role, replication.policy, replication.configuration);
    return replication;
}

/** The one replication rule the configuration registered. */
const rule = (): Record<string, unknown> => (one(OPT_IN_TYPES.replication).inputs.rules as Record<string, unknown>[])[0];

describe("SecureBucketReplication into another region, with default arguments", () => {
    let replication: SecureBucketReplication;
    beforeEach(async () => {
        replication = await replicated();
    });

    it("registers the component with its type token and three children parented to it, named after it", () => {
        const component = one(TYPE);
        const children = recordedResources().filter((r) => r.parent === component.urn);
        expect(children.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal(
            [`${OPT_IN_TYPES.role} repl-role`, `${OPT_IN_TYPES.rolePolicy} repl-role-policy`, `${OPT_IN_TYPES.replication} repl-configuration`].sort(),
        );
    });

    it("lets only S3 assume the role, for the source bucket of this account", () => {
        expect(JSON.parse(one(OPT_IN_TYPES.role).inputs.assumeRolePolicy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "AllowS3ToReplicateTheSourceBucket",
                    Effect: "Allow",
                    Principal: { Service: ["s3.amazonaws.com"] },
                    Action: ["sts:AssumeRole"],
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": SOURCE_ARN } },
                },
            ],
        });
    });

    it("attaches the role policy it exports, built for each side's bucket, key and region", async () => {
        const { inputs } = one(OPT_IN_TYPES.rolePolicy);
        expect(inputs.role).to.equal("repl-role-xxxxxxx");
        expect(inputs.policy).to.equal(await valueOf(replication.rolePolicy));
        expect(inputs.policy).to.equal(
            JSON.stringify(
                buildReplicationRolePolicy({
                    source: { bucketArn: SOURCE_ARN, keyArn: `arn:aws:kms:us-east-1:${ACCOUNT_ID}:key/${KEY_ID}`, region: "us-east-1" },
                    destination: { bucketArn: DESTINATION_ARN, keyArn: DESTINATION_KEY_ARN, region: "eu-west-1" },
                    accountId: ACCOUNT_ID,
                    dnsSuffix: "amazonaws.com",
                    replicateDeletes: false,
                    sourceObjectLock: false,
                }),
            ),
        );
    });

    it("configures the source bucket to replicate its SSE-KMS objects into the destination, encrypted with the destination's key, delete markers kept back", () => {
        const { inputs } = one(OPT_IN_TYPES.replication);
        expect(inputs).to.deep.equal({
            bucket: "src-xxxxxxx",
            role: `arn:aws:iam::${ACCOUNT_ID}:role/repl-role-xxxxxxx`,
            rules: [
                {
                    id: "replicate-to-destination",
                    status: "Enabled",
                    filter: { prefix: "" },
                    deleteMarkerReplication: { status: "Disabled" },
                    sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                    destination: { bucket: DESTINATION_ARN, encryptionConfiguration: { replicaKmsKeyId: DESTINATION_KEY_ARN } },
                },
            ],
        });
    });

    it("configures it after the role policy and the versioning of both buckets", () => {
        expect(one(OPT_IN_TYPES.replication).dependencies).to.include.members([
            one(OPT_IN_TYPES.rolePolicy).urn,
            registeredAs(CHILD_TYPES.versioning, "src-versioning").urn,
            registeredAs(CHILD_TYPES.versioning, "dst-versioning").urn,
        ]);
    });

    it("exposes the role and registers its ARN and policy as outputs", async () => {
        expect(await valueOf(replication.roleArn)).to.equal(await valueOf(replication.role.arn));
        const { registered: outputs, resolved } = await registeredOutputs(replication, { roleArn: replication.roleArn, rolePolicy: replication.rolePolicy });
        expect(outputs).to.deep.equal(resolved);
        expect(outputs).to.have.property("roleArn", `arn:aws:iam::${ACCOUNT_ID}:role/repl-role-xxxxxxx`);
    });
});

describe("SecureBucketReplication for the four combinations of bucketKeyEnabled on the two buckets", () => {
    // Why tests/replicationPolicy.simulate.test.ts simulates request contexts, not bucket settings:
    // no policy depends on the Bucket Key setting, so one simulation of each context covers all four.
    it("builds the same bucket, key, role and trust policies for each (bucket names aside); only the encryption configurations differ", async () => {
        const built4 = await Promise.all(
            ([[true, true], [true, false], [false, true], [false, false]] as const).map(async ([sourceKey, destinationKey]) => {
                const tag = `${sourceKey ? "on" : "off"}${destinationKey ? "on" : "off"}`;
                const [source, destination] = await Promise.all([built(`src-${tag}`, { bucketKeyEnabled: sourceKey }), built(`dst-${tag}`, { region: "eu-west-1", bucketKeyEnabled: destinationKey })]);
                const replication = new SecureBucketReplication(`repl-${tag}`, { source, destination });
                await registered(replication, replication.role, replication.policy, replication.configuration);
                const bucketKeys = [`src-${tag}`, `dst-${tag}`].map((name) => (registeredAs(CHILD_TYPES.encryption, `${name}-encryption`).inputs.rules as { bucketKeyEnabled: boolean }[])[0].bucketKeyEnabled);
                expect(bucketKeys, tag).to.deep.equal([sourceKey, destinationKey]);
                const policies = await Promise.all(
                    [source.bucketPolicy, source.keyPolicy, destination.bucketPolicy, destination.keyPolicy, replication.rolePolicy, replication.role.assumeRolePolicy].map(valueOf),
                );
                return policies.map((policy) => policy.replaceAll(`-${tag}`, ""));
            }),
        );
        for (const policies of built4.slice(1)) expect(policies).to.deep.equal(built4[0]);
    });
});

describe("SecureBucketReplication with every option", () => {
    beforeEach(async () => {
        await replicated({ replicateDeletes: true, storageClass: "GLACIER_IR", prefix: "reports/", replicationTimeControl: true });
    });

    it("replicates delete markers under the prefix, into the storage class, with Replication Time Control and its metrics", () => {
        expect(rule()).to.deep.include({ filter: { prefix: "reports/" }, deleteMarkerReplication: { status: "Enabled" } });
        expect(rule().destination).to.deep.equal({
            bucket: DESTINATION_ARN,
            storageClass: "GLACIER_IR",
            encryptionConfiguration: { replicaKmsKeyId: DESTINATION_KEY_ARN },
            replicationTime: { status: "Enabled", time: { minutes: 15 } },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
        });
    });

    it("lets the role replicate deletes", () => {
        expect(roleActions()).to.include("s3:ReplicateDelete");
    });
});

describe("SecureBucketReplication between Object Lock buckets, into S3 Standard", () => {
    beforeEach(async () => {
        await replicated({ storageClass: "STANDARD" }, { objectLock: { mode: "GOVERNANCE", days: 1 } });
    });

    it("lets the role read each version's retention and legal hold, which S3 replicates with it", () => {
        expect(roleActions()).to.include.members(["s3:GetObjectRetention", "s3:GetObjectLegalHold"]);
    });

    it("writes the replicas in S3 Standard", () => {
        expect(rule().destination).to.have.property("storageClass", "STANDARD");
    });
});

/** Every action the registered role policy allows. */
const roleActions = (): string[] => (JSON.parse(one(OPT_IN_TYPES.rolePolicy).inputs.policy as string).Statement as { Action: string[] }[]).flatMap((s) => s.Action);

describe("SecureBucketReplication refuses bad arguments at construction, naming each, and registers nothing", () => {
    let buckets: Record<"versioned" | "destination" | "unversioned" | "locked", SecureBucket>;
    beforeEach(async () => {
        const [versioned, destination, unversioned, locked] = await Promise.all([
            built("versioned"),
            built("destination", { region: "eu-west-1" }),
            built("unversioned", { versioning: false }),
            built("locked", { objectLock: { mode: "GOVERNANCE", days: 1 } }),
        ]);
        buckets = { versioned, destination, unversioned, locked };
    });

    const cases: [string, (b: typeof buckets) => SecureBucketReplicationArgs, string][] = [
        [
            "an unversioned source",
            (b) => ({ source: b.unversioned, destination: b.destination }),
            'source: "unversioned" has versioning off: replication needs versioning on both buckets (set versioning to true on it)',
        ],
        [
            "an unversioned destination",
            (b) => ({ source: b.versioned, destination: b.unversioned }),
            'destination: "unversioned" has versioning off: replication needs versioning on both buckets (set versioning to true on it)',
        ],
        ["the source as the destination", (b) => ({ source: b.versioned, destination: b.versioned }), 'destination: "versioned" is the source too: a bucket cannot replicate into itself'],
        [
            "a destination without Object Lock for a source with it",
            (b) => ({ source: b.locked, destination: b.destination }),
            'destination: "destination" has no Object Lock, and the source locked has: S3 replicates from an Object Lock bucket only into one with Object Lock (give it objectLock)',
        ],
        ["a destination that is not a SecureBucket", (b) => ({ source: b.versioned, destination: { bucketName: b.destination.bucketName } as SecureBucket }), 'destination: "object" must be a SecureBucket'],
        [
            "a storage class replicas cannot take",
            (b) => ({ source: b.versioned, destination: b.destination, storageClass: "FAST" as SecureBucketReplicationArgs["storageClass"] }),
            'storageClass: "FAST" must be one of STANDARD, STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE',
        ],
    ];
    for (const [title, args, problem] of cases) {
        it(title, async () => {
            const before = recordedResources().length;
            const error = thrownBy(SecureBucketArgumentError, () => new SecureBucketReplication("bad-repl", args(buckets)));
            expect(error.message).to.equal(`Invalid arguments for SecureBucketReplication "bad-repl":\n  - ${problem}`);
            expect(await registeredSoFar()).to.have.length(before);
        });
    }
});
