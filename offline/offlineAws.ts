/**
 * What AWS answers offline: the one definition of the mock engine's answers, for the `plan` command
 * and for the tests. It answers like an AWS provider configured by the stack's config (`aws:region`,
 * `aws:allowedAccountIds`, read when each call is made), deterministically, and records the values
 * only AWS could assign, which it makes up, as placeholders.
 */
import * as pulumi from "@pulumi/pulumi";
import { policyDocumentAnswer } from "./policyDocument";

import { autoNamedPlaceholder, PLACEHOLDER_ACCOUNT_ID, PLACEHOLDER_DEPLOYER, PLACEHOLDER_KEY_ID, PLACEHOLDER_SESSION, type Placeholder } from "./placeholders";

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

/** The partition and DNS suffix of a region, as `aws.getPartition` answers for it. */
export function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    const { partition, dnsSuffix } = PARTITIONS.find((p) => p.regions.test(region)) ?? { partition: "aws", dnsSuffix: "amazonaws.com" };
    return { partition, dnsSuffix, reverseDnsPrefix: dnsSuffix.split(".").reverse().join(".") };
}

/** The one account the config's `aws:allowedAccountIds` names, if it names exactly one. */
function declaredAccount(config: Readonly<Record<string, string>>): string | undefined {
    try {
        const accounts: unknown = JSON.parse(config["aws:allowedAccountIds"] ?? "[]");
        return Array.isArray(accounts) && accounts.length === 1 && typeof accounts[0] === "string" ? accounts[0] : undefined;
    } catch {
        return undefined;
    }
}

/** The ARN resource kind of each IAM type the offline AWS names (a policy's id is its ARN, the others' their name). */
const IAM_KINDS: Partial<Record<string, string>> = {
    "aws:iam/role:Role": "role",
    "aws:iam/user:User": "user",
    "aws:iam/group:Group": "group",
    "aws:iam/policy:Policy": "policy",
    "aws:iam/instanceProfile:InstanceProfile": "instance-profile",
};

/** Options of {@link offlineAws}. */
export interface OfflineAwsOptions {
    /** The provider's region when the config sets no `aws:region`. */
    defaultRegion: string;
    /** The account when the config's `aws:allowedAccountIds` names none: a placeholder unless given. */
    defaultAccountId?: string;
    /** The path of the deploying role, which its session ARN does not show. @default "/" */
    deployerPath?: string;
}

/** The offline AWS: the mocks to install, and the placeholders they have answered with so far. */
export interface OfflineAws {
    mocks: pulumi.runtime.Mocks;
    /** The value a secret config key (encrypted in its stack file) is given offline. */
    secretPlaceholder(key: string): string;
    /** Every placeholder used, in a stable order. */
    placeholders(): Placeholder[];
}

function text(inputs: Record<string, unknown>, key: string): string | undefined {
    const value = inputs[key];
    return typeof value === "string" && value !== "" ? value : undefined;
}

/**
 * The offline AWS. Resources not listed below get their inputs back as state and a made-up id; the
 * AWS functions the program calls are answered from the config's region and account.
 */
export function offlineAws(options: OfflineAwsOptions): OfflineAws {
    const used = new Map<string, string>();
    const placeholder = (value: string, meaning: string): string => {
        used.set(value, meaning);
        return value;
    };
    const providerRegion = () => pulumi.runtime.allConfig()["aws:region"] || options.defaultRegion;
    const account = (): string =>
        declaredAccount(pulumi.runtime.allConfig()) ??
        options.defaultAccountId ??
        placeholder(PLACEHOLDER_ACCOUNT_ID, "AWS account id: the account of the credentials `pulumi up` runs with");
    /** A name Pulumi would auto-name: the resource's name, "-" and 7 random characters. */
    const autoNamed = (name: string, kind: string): string =>
        placeholder(autoNamedPlaceholder(name), `${kind} name: Pulumi auto-names the ${kind} "${name}-" plus 7 random characters`);
    const deployerSession = (partition: string): string =>
        placeholder(`arn:${partition}:sts::${account()}:assumed-role/${PLACEHOLDER_DEPLOYER}/${PLACEHOLDER_SESSION}`, "the deploying identity: the session of the role `pulumi up` runs as");

    const newResource = (type: string, name: string, inputs: Record<string, unknown>): { id: string; state: Record<string, unknown> } => {
        const region = text(inputs, "region") ?? providerRegion();
        const { partition, dnsSuffix } = partitionOf(region);
        const iamKind = IAM_KINDS[type];
        if (iamKind !== undefined) {
            const entityName = text(inputs, "name") ?? autoNamed(name, iamKind);
            const arn = `arn:${partition}:iam::${account()}:${iamKind}${text(inputs, "path") ?? "/"}${entityName}`;
            return { id: iamKind === "policy" ? arn : entityName, state: { ...inputs, name: entityName, arn } };
        }
        switch (type) {
            case "aws:s3/bucket:Bucket": {
                const bucket = text(inputs, "bucket") ?? autoNamed(name, "bucket");
                const bucketRegionalDomainName = `${bucket}.s3.${region}.${dnsSuffix}`;
                return { id: bucket, state: { ...inputs, bucket, arn: `arn:${partition}:s3:::${bucket}`, bucketRegionalDomainName, region } };
            }
            case "aws:kms/key:Key": {
                const keyId = placeholder(PLACEHOLDER_KEY_ID, "KMS key id: AWS assigns it when the key is created");
                return { id: keyId, state: { ...inputs, keyId, arn: `arn:${partition}:kms:${region}:${account()}:key/${keyId}`, region } };
            }
            case "aws:kms/alias:Alias": {
                const aliasName = text(inputs, "name") ?? placeholder(`alias/${autoNamedPlaceholder(name)}`, "auto-generated alias name");
                return { id: aliasName, state: { ...inputs, name: aliasName, arn: `arn:${partition}:kms:${region}:${account()}:${aliasName}`, region } };
            }
            case "aws:cloudfront/distribution:Distribution": {
                const id = placeholder("EPLACEHOLDER0000", "CloudFront distribution id: AWS assigns it when the distribution is created");
                return { id, state: { ...inputs, arn: `arn:${partition}:cloudfront::${account()}:distribution/${id}`, domainName: `${id.toLowerCase()}.cloudfront.net` } };
            }
            case "aws:sns/topic:Topic": {
                const topicName = text(inputs, "name") ?? autoNamed(name, "topic");
                const arn = `arn:${partition}:sns:${region}:${account()}:${topicName}`;
                return { id: arn, state: { ...inputs, name: topicName, arn } };
            }
            case "aws:sqs/queue:Queue": {
                const queueName = text(inputs, "name") ?? autoNamed(name, "queue");
                const url = `https://sqs.${region}.${dnsSuffix}/${account()}/${queueName}`;
                return { id: url, state: { ...inputs, name: queueName, arn: `arn:${partition}:sqs:${region}:${account()}:${queueName}`, url } };
            }
            case "aws:cloudwatch/eventBus:EventBus": {
                const busName = text(inputs, "name") ?? autoNamed(name, "event bus");
                return { id: busName, state: { ...inputs, name: busName, arn: `arn:${partition}:events:${region}:${account()}:event-bus/${busName}` } };
            }
            case "aws:cloudwatch/eventRule:EventRule": {
                const ruleName = text(inputs, "name") ?? autoNamed(name, "event rule");
                const bus = text(inputs, "eventBusName");
                const arn = `arn:${partition}:events:${region}:${account()}:rule/${bus === undefined || bus === "default" ? "" : `${bus}/`}${ruleName}`;
                return { id: ruleName, state: { ...inputs, name: ruleName, arn } };
            }
            case "aws:lambda/function:Function": {
                const functionName = text(inputs, "name") ?? autoNamed(name, "function");
                const arn = `arn:${partition}:lambda:${region}:${account()}:function:${functionName}`;
                const invokeArn = `arn:${partition}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`;
                return { id: functionName, state: { ...inputs, name: functionName, arn, qualifiedArn: `${arn}:$LATEST`, invokeArn, version: "$LATEST" } };
            }
            case "aws:cloudfront/originAccessControl:OriginAccessControl":
                return { id: placeholder("EPLACEHOLDEROAC0", "CloudFront origin access control id: AWS assigns it when it is created"), state: { ...inputs } };
            default: {
                // Any other type: a placeholder id, and for an AWS resource without one, an ARN of the usual shape.
                // The type's own name in the id: two resources of different types may share a name.
                const kind = (type.split(":").pop() ?? type).toLowerCase();
                const id = placeholder(`placeholder-id-${kind}-${name}`, `id of the ${type} "${name}": the offline engine makes up ids of types it does not know`);
                const [pkg, module] = type.split(":");
                if (pkg !== "aws" || text(inputs, "arn") !== undefined) return { id, state: { ...inputs } };
                const service = module.split("/")[0];
                const arn = placeholder(
                    `arn:${partition}:${service}:${region}:${account()}:${module.split("/")[1] ?? service}/${name}`,
                    `ARN of the ${type} "${name}": made up in the usual shape, for a type the offline engine does not know`,
                );
                return { id, state: { ...inputs, arn } };
            }
        }
    };

    const call = (token: string, inputs: Record<string, unknown>): Record<string, unknown> => {
        const region = providerRegion();
        const { partition, dnsSuffix, reverseDnsPrefix } = partitionOf(region);
        switch (token) {
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return { accountId: account(), arn: deployerSession(partition), userId: `PLACEHOLDERUSERID:${PLACEHOLDER_SESSION}`, id: account() };
            case "aws:iam/getSessionContext:getSessionContext": {
                // IAM knows the deploying role's path, which its session ARN leaves out.
                if (inputs.arn !== deployerSession(partition)) return { arn: inputs.arn, issuerArn: inputs.arn, id: inputs.arn };
                const issuerArn = placeholder(
                    `arn:${partition}:iam::${account()}:role${options.deployerPath ?? "/"}${PLACEHOLDER_DEPLOYER}`,
                    "ARN of the deploying role (or user): exempt from the key's deletion guard, so it can destroy what it deployed",
                );
                return { arn: inputs.arn, issuerArn, issuerName: PLACEHOLDER_DEPLOYER, sessionName: PLACEHOLDER_SESSION, id: issuerArn };
            }
            case "aws:index/getPartition:getPartition":
                return { partition, dnsSuffix, reverseDnsPrefix, id: partition };
            case "aws:iam/getPolicyDocument:getPolicyDocument":
                return policyDocumentAnswer(inputs);
            case "aws:index/getRegion:getRegion":
                return { region, name: region, id: region, endpoint: `ec2.${region}.${dnsSuffix}`, description: "" };
            default:
                throw new Error(`The offline AWS does not answer the provider function ${token}`);
        }
    };

    return {
        mocks: {
            newResource: (args) => newResource(args.type, args.name, args.inputs as Record<string, unknown>),
            call: (args) => call(args.token, args.inputs as Record<string, unknown>),
        },
        secretPlaceholder: (key) => placeholder(`placeholder-secret-${key}`, `the value of ${key}: a secret its stack file holds encrypted, which is not read offline`),
        placeholders: () => [...used.keys()].sort().map((value) => ({ value, meaning: used.get(value) ?? "" })),
    };
}
