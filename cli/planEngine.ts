/**
 * The offline plan engine: installs Pulumi's mock engine for one stack, answers the provider
 * invokes and computed attributes with deterministic, plainly marked placeholders, and records every
 * resource registration the way the engine received it (type, name, parent, dependencies, protect,
 * inputs).
 *
 * Its one job is mocks and the recorder. It changes process-wide Pulumi state, so it is meant for a
 * process of its own (the CLI's `plan` command); it must be installed before the program or any
 * `pulumi.Config` is created.
 */
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, RecordedResource } from "./registrationRecorder";

export type { RecordedResource };

/** Placeholder AWS account id: the account of whatever credentials `pulumi up` would run with. */
export const PLACEHOLDER_ACCOUNT_ID = "000000000000";
/** Placeholder id of a KMS key: AWS assigns the real one when the key is created. */
export const PLACEHOLDER_KEY_ID = "00000000-0000-0000-0000-000000000000";
/** Suffix standing in for the random one Pulumi's auto-naming appends to a physical name. */
export const PLACEHOLDER_NAME_SUFFIX = "xxxxxxx";

/** One value the mock engine made up, with what it stands for. */
export interface Placeholder {
    value: string;
    meaning: string;
}

/** What a finished plan run recorded. */
export interface PlanRecording {
    /** Every registration, in the order the mock engine completed them (not stable: sort before use). */
    resources: RecordedResource[];
    /** The placeholder values the mocks answered with, in a stable order. */
    placeholders: Placeholder[];
}

/** Each partition's regions and DNS suffix, as the AWS SDKs' partition metadata lists them. */
const PARTITIONS: readonly { partition: string; regions: RegExp; dnsSuffix: string }[] = [
    { partition: "aws-cn", regions: /^cn-/, dnsSuffix: "amazonaws.com.cn" },
    { partition: "aws-us-gov", regions: /^us-gov-/, dnsSuffix: "amazonaws.com" },
    { partition: "aws-iso", regions: /^us-iso-/, dnsSuffix: "c2s.ic.gov" },
    { partition: "aws-iso-b", regions: /^us-isob-/, dnsSuffix: "sc2s.sgov.gov" },
    { partition: "aws-iso-e", regions: /^eu-isoe-/, dnsSuffix: "cloud.adc-e.uk" },
    { partition: "aws-iso-f", regions: /^us-isof-/, dnsSuffix: "csp.hci.ic.gov" },
    { partition: "aws-eusc", regions: /^eusc-/, dnsSuffix: "amazonaws.eu" },
];

/** The partition and DNS suffix of a region, as `aws.getPartition` would answer for it. */
export function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    const { partition, dnsSuffix } = PARTITIONS.find((p) => p.regions.test(region)) ?? { partition: "aws", dnsSuffix: "amazonaws.com" };
    return { partition, dnsSuffix, reverseDnsPrefix: dnsSuffix.split(".").reverse().join(".") };
}

/** Options of {@link installPlanEngine}. */
export interface PlanEngineOptions {
    project: string;
    stack: string;
    /** The stack's `aws:region`: the mocks answer `aws.getRegion` with it and put it in ARNs. */
    region: string;
    /** The account the stack deploys into, when its config names one (`aws:allowedAccountIds`); a placeholder otherwise. */
    accountId?: string;
}

/** The installed engine: call {@link PlanEngine.finish} once the program's outputs have resolved. */
export interface PlanEngine {
    /** Waits until every registration has completed, then returns what was recorded. */
    finish(): Promise<PlanRecording>;
}

function stringInput(inputs: Record<string, unknown>, key: string): string | undefined {
    const value = inputs[key];
    return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * Installs the mock engine and the recorder for `project`/`stack`. Resources not listed below get
 * their inputs back as state and a placeholder id; the AWS invokes the program makes are answered
 * from the stack's region and the placeholder account.
 */
export function installPlanEngine(options: PlanEngineOptions): PlanEngine {
    const placeholders = new Map<string, string>();
    const placeholder = (value: string, meaning: string): string => {
        placeholders.set(value, meaning);
        return value;
    };
    const account = (): string =>
        options.accountId ?? placeholder(PLACEHOLDER_ACCOUNT_ID, "AWS account id: the account of the credentials `pulumi up` runs with");
    const providerRegion = options.region;

    const newResource = (type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } => {
        const region = stringInput(inputs, "region") ?? providerRegion;
        const { partition } = partitionOf(region);
        switch (type) {
            case "aws:s3/bucket:Bucket": {
                const bucket =
                    stringInput(inputs, "bucket") ??
                    placeholder(`${name}-${PLACEHOLDER_NAME_SUFFIX}`, `bucket name: Pulumi auto-names the bucket "${name}-" plus 7 random characters`);
                return { id: bucket, state: { ...inputs, bucket, arn: `arn:${partition}:s3:::${bucket}`, region } };
            }
            case "aws:kms/key:Key": {
                const keyId = placeholder(PLACEHOLDER_KEY_ID, "KMS key id: AWS assigns it when the key is created");
                return { id: keyId, state: { ...inputs, keyId, arn: `arn:${partition}:kms:${region}:${account()}:key/${keyId}`, region } };
            }
            case "aws:kms/alias:Alias": {
                const aliasName = stringInput(inputs, "name") ?? placeholder(`alias/${name}-${PLACEHOLDER_NAME_SUFFIX}`, "auto-generated alias name");
                return { id: aliasName, state: { ...inputs, name: aliasName, arn: `arn:${partition}:kms:${region}:${account()}:${aliasName}`, region } };
            }
            default:
                return { id: `placeholder-id-${name}`, state: { ...inputs } };
        }
    };

    const mocks: pulumi.runtime.Mocks = {
        newResource: (args) => newResource(args.type, args.name, args.inputs as Record<string, unknown>),
        call: (args) => {
            const { partition, dnsSuffix, reverseDnsPrefix } = partitionOf(providerRegion);
            switch (args.token) {
                case "aws:index/getCallerIdentity:getCallerIdentity": {
                    const id = account();
                    const arn = placeholder(
                        `arn:${partition}:sts::${id}:assumed-role/placeholder-deployer/placeholder-session`,
                        "the deploying identity: the session of the role `pulumi up` runs as",
                    );
                    return { accountId: id, arn, userId: "PLACEHOLDERUSERID:placeholder-session", id };
                }
                case "aws:iam/getSessionContext:getSessionContext": {
                    const id = account();
                    const issuerArn = placeholder(
                        `arn:${partition}:iam::${id}:role/placeholder-deployer`,
                        "ARN of the deploying role (or user): exempt from the key's deletion guard, so it can destroy what it deployed",
                    );
                    return { arn: args.inputs.arn as string, issuerArn, issuerId: "PLACEHOLDERROLEID", issuerName: "placeholder-deployer", sessionName: "placeholder-session", id: issuerArn };
                }
                case "aws:index/getPartition:getPartition":
                    return { partition, dnsSuffix, reverseDnsPrefix, id: partition };
                case "aws:index/getRegion:getRegion":
                    return {
                        region: providerRegion,
                        name: providerRegion,
                        id: providerRegion,
                        endpoint: `ec2.${providerRegion}.${dnsSuffix}`,
                        description: "",
                    };
                default:
                    throw new Error(`The offline plan does not answer the provider function ${args.token}`);
            }
        },
    };

    const recorder = installRecordingMocks(mocks, options.project, options.stack);

    return {
        async finish(): Promise<PlanRecording> {
            // Drains Pulumi's queue of outstanding RPCs (registrations, invokes, registerOutputs).
            await pulumi.runtime.disconnect();
            if (recorder.pending() !== 0) throw new Error(`${recorder.pending()} resource registrations did not complete`);
            const order = [...placeholders.keys()].sort();
            return { resources: recorder.recorded, placeholders: order.map((value) => ({ value, meaning: placeholders.get(value) ?? "" })) };
        },
    };
}
