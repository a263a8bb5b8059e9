// Entry point of the source-based Pulumi plugin (PulumiPlugin.yaml): serves SecureBucket to programs
// in any Pulumi language after `pulumi package add <this repository or folder>`.
import * as path from "path";
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { AccessLogsBucket, SecureBucket } from "../components";

// SecureBucketReplication is TypeScript-only: its arguments are SecureBucket components, which the
// schema of a source-based package cannot express.
void componentProviderHost({ components: [SecureBucket, AccessLogsBucket], name: "secure-bucket", dirname: path.resolve(__dirname, "..") });
