/**
 * A Pulumi project of a user of this package, as a new user writes one: its own name and config, raw
 * resources of other types (SNS, SQS, EventBridge, an IAM role), an IAM user whose ARN is a reader, an
 * AccessLogsBucket, a SecureBucket with opt-ins and a replication pair: 40 resources. Loads no Pulumi SDK.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const CONSUMER_PROJECT = "consumer-app";

/**
 * How many resources the consumer declares: the user, the topic, the queue, the subscription, the
 * rule and the role, the AccessLogsBucket (a component
 * and 7 children), the data bucket (a component, 9 children and its two opt-ins'), the replica (a
 * component and 9 children) and the replication (a component, its role, role policy and configuration).
 */
export const CONSUMER_RESOURCE_COUNT = 6 + 8 + 12 + 10 + 4;

/** The consumer's program, importing this package as `specifier` ("secure-bucket" once installed). */
export function consumerProgram(specifier: string): string {
    return `import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AccessLogsBucket, SecureBucket, SecureBucketReplication } from ${JSON.stringify(specifier)};

const config = new pulumi.Config();
const team = config.require("team");
const stack = pulumi.getStack();

const analyst = new aws.iam.User("analyst", { path: "/people/", tags: { team } });
const alerts = new aws.sns.Topic("alerts", { tags: { team } });
const jobs = new aws.sqs.Queue("jobs", { tags: { team } });
new aws.sns.TopicSubscription("alerts-to-jobs", { topic: alerts.arn, protocol: "sqs", endpoint: jobs.arn });
new aws.cloudwatch.EventRule("nightly", { scheduleExpression: "rate(1 day)" });
const trust = aws.iam.getPolicyDocumentOutput({
    statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }] }],
});
new aws.iam.Role("worker", { assumeRolePolicy: trust.json });
const logs = new AccessLogsBucket("logs", { sourceBuckets: [\`\${team}-data-\${stack}\`] });
const data = new SecureBucket("data", {
    bucketName: \`\${team}-data-\${stack}\`,
    readers: [analyst.arn],
    writers: config.requireObject<string[]>("writers"),
    accessLogs: { bucket: logs.bucketName },
    eventBridge: true,
    transitions: [{ days: 30, storageClass: "STANDARD_IA" }],
});
const replica = new SecureBucket("replica", { region: "us-east-1", readers: [analyst.arn] });
new SecureBucketReplication("replication", { source: data, destination: replica });

export const bucketName = data.bucketName;
export const replicaName = replica.bucketName;
export const alertsTopic = alerts.arn;
export const readerArn = analyst.arn;
`;
}

/** The consumer's stack file: its own keys, and the AWS provider's. */
export const CONSUMER_STACK_FILE = `config:
  aws:region: eu-west-1
  aws:allowedAccountIds:
    - "111111111111"
  consumer-app:team: payments
  consumer-app:writers:
    - arn:aws:iam::111111111111:role/payments-app
`;

/**
 * Writes the consumer project (Pulumi.yaml, Pulumi.dev.yaml, index.ts) into `dir`, by default a new
 * temp folder whose node_modules is a link to `nodeModules` (the consumer's own dependencies).
 */
export function writeConsumerProject(specifier: string, options: { dir?: string; nodeModules?: string } = {}): string {
    const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "secure-bucket-consumer-"));
    if (options.nodeModules !== undefined) fs.symlinkSync(options.nodeModules, path.join(dir, "node_modules"), "dir");
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${CONSUMER_PROJECT}\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), CONSUMER_STACK_FILE);
    fs.writeFileSync(path.join(dir, "index.ts"), consumerProgram(specifier));
    return dir;
}
