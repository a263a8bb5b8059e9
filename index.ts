// The Pulumi program of this project: `pulumi up` on a stack builds one SecureBucket from its config.
import { programFromStackConfig } from "./program/program";

export = programFromStackConfig();
