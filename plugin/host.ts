// Entry point of the source-based Pulumi plugin (PulumiPlugin.yaml): serves SecureBucket to programs
// in any Pulumi language after `pulumi package add <this repository or folder>`.
import * as path from "path";
import { componentProviderHost } from "@pulumi/pulumi/provider/experimental";
import { SecureBucket } from "../components";

void componentProviderHost({ components: [SecureBucket], name: "secure-bucket", dirname: path.resolve(__dirname, "..") });
