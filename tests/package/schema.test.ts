/**
 * What other Pulumi languages see: the schema Pulumi infers from the TypeScript source when a
 * program runs `pulumi package add` on this repository (PulumiPlugin.yaml → plugin/host.ts).
 * The analyzer rejects types outside what it can infer, so this proves the arguments stay inside it.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental/provider";
import { AccessLogsBucket, SECURE_BUCKET_DEFAULTS, SecureBucket } from "../../components";

const REPO = path.resolve(__dirname, "..", "..");

interface SchemaProperty {
    type?: string;
    $ref?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
    description?: string;
}
interface Schema {
    name: string;
    resources: Record<string, { isComponent: boolean; inputProperties: Record<string, SchemaProperty>; properties: Record<string, SchemaProperty> }>;
    types: Record<string, { type: string; enum: { value: string }[] }>;
}

describe("Pulumi package schema", function () {
    this.timeout(120_000);
    let schema: Schema;
    before(async () => {
        const provider = new ComponentProvider({ components: [SecureBucket, AccessLogsBucket], name: "secure-bucket", dirname: REPO });
        schema = JSON.parse(await provider.getSchema()) as Schema;
    });

    it("PulumiPlugin.yaml declares a nodejs plugin whose entry point exists", () => {
        const manifest = parse(fs.readFileSync(path.join(REPO, "PulumiPlugin.yaml"), "utf8")) as { runtime: string; main: string };
        expect(manifest.runtime).to.equal("nodejs");
        expect(fs.existsSync(path.join(REPO, manifest.main)), manifest.main).to.equal(true);
    });

    it("exposes SecureBucket and AccessLogsBucket under their type tokens as components (SecureBucketReplication, whose arguments are components, is TypeScript-only)", () => {
        expect(schema.name).to.equal("secure-bucket");
        expect(Object.keys(schema.resources)).to.deep.equal(["secure-bucket:index:SecureBucket", "secure-bucket:index:AccessLogsBucket"]);
        for (const resource of Object.values(schema.resources)) expect(resource.isComponent).to.equal(true);
    });

    it("infers every argument with its type and documentation", () => {
        const inputs = schema.resources["secure-bucket:index:SecureBucket"].inputProperties;
        const expected: Record<string, string> = {
            administrators: "array",
            readers: "array",
            writers: "array",
            bucketName: "string",
            aliasName: "string",
            region: "string",
            unlistedRegions: "array",
            bucketKeyEnabled: "boolean",
            versioning: "boolean",
            keyRotationPeriodInDays: "number",
            keyDeletionWindowInDays: "number",
            abortIncompleteMultipartUploadDays: "number",
            noncurrentVersionExpirationDays: "number",
            forceDestroy: "boolean",
            protect: "boolean",
            eventBridge: "boolean",
            transitions: "array",
            noncurrentVersionTransitions: "array",
            cloudFrontDistributions: "array",
            tags: "object",
        };
        for (const [name, type] of Object.entries(expected)) {
            expect(inputs[name]?.type, name).to.equal(type);
            expect(inputs[name]?.description ?? "", `${name} is documented`).to.have.length.greaterThan(20);
        }
        expect(inputs.readers.items?.type).to.equal("string");
        expect(inputs.unlistedRegions.items?.type).to.equal("string");
        expect(inputs.tags.additionalProperties?.type).to.equal("string");
        expect(Object.keys(inputs).sort()).to.deep.equal(
            [...Object.keys(expected), "minimumTlsVersion", "accessLogs", "objectLock", "adoptExisting", "extraBucketPolicyStatements"].sort(),
        );
        expect(inputs.adoptExisting.$ref).to.equal("#/types/secure-bucket:index:AdoptionSettings");
        expect(inputs.extraBucketPolicyStatements.items?.$ref).to.equal("#/types/secure-bucket:index:ExtraPolicyStatement");
        expect(inputs.accessLogs.$ref).to.equal("#/types/secure-bucket:index:AccessLogsSettings");
        expect(inputs.objectLock.$ref).to.equal("#/types/secure-bucket:index:ObjectLockSettings");
        expect(inputs.transitions.items?.$ref).to.equal("#/types/secure-bucket:index:Transition");
        for (const name of Object.keys(SECURE_BUCKET_DEFAULTS)) expect(inputs, name).to.have.property(name);
    });

    it("offers the minimum TLS version, the storage classes, the Object Lock modes and the configurations an adoption replaces as enums", () => {
        const inputs = schema.resources["secure-bucket:index:SecureBucket"].inputProperties;
        expect(inputs.minimumTlsVersion.$ref).to.equal("#/types/secure-bucket:index:TlsVersion");
        expect(schema.types["secure-bucket:index:TlsVersion"].enum.map((e) => e.value)).to.deep.equal(["1.2", "1.3"]);
        expect(schema.types["secure-bucket:index:StorageClass"].enum.map((e) => e.value)).to.deep.equal([
            "STANDARD_IA",
            "INTELLIGENT_TIERING",
            "ONEZONE_IA",
            "GLACIER_IR",
            "GLACIER",
            "DEEP_ARCHIVE",
        ]);
        expect(schema.types["secure-bucket:index:ObjectLockMode"].enum.map((e) => e.value)).to.deep.equal(["GOVERNANCE", "COMPLIANCE"]);
        expect(schema.types["secure-bucket:index:ReplacedConfiguration"].enum.map((e) => e.value)).to.deep.equal(["bucketPolicy", "lifecycle", "notifications", "logging"]);
    });

    it("infers AccessLogsBucket's arguments and outputs", () => {
        const component = schema.resources["secure-bucket:index:AccessLogsBucket"];
        expect(Object.keys(component.inputProperties).sort()).to.deep.equal(
            ["bucketName", "region", "unlistedRegions", "sourceBuckets", "retentionDays", "noncurrentVersionExpirationDays", "minimumTlsVersion", "forceDestroy", "protect", "tags"].sort(),
        );
        for (const name of ["bucketName", "bucketArn", "bucketPolicy"]) expect(component.properties[name]?.type, name).to.equal("string");
    });

    it("outputs the names, ARNs and policies, and the children as AWS resource references", () => {
        const outputs = schema.resources["secure-bucket:index:SecureBucket"].properties;
        for (const name of ["bucketName", "bucketArn", "keyArn", "keyId", "aliasName", "aliasArn", "bucketPolicy", "keyPolicy"]) {
            expect(outputs[name]?.type, name).to.equal("string");
        }
        expect(outputs.key.$ref).to.match(/\/aws\/v7\.\d+\.\d+\/schema\.json#\/resources\/aws:kms%2Fkey:Key$/);
        expect(outputs.bucket.$ref).to.match(/#\/resources\/aws:s3%2Fbucket:Bucket$/);
        expect(outputs.policy.$ref).to.match(/#\/resources\/aws:s3%2FbucketPolicy:BucketPolicy$/);
    });
});
