// The Pulumi program of this project: `pulumi up` on a stack builds one SecureBucket from its config.
import { secureBucketProgram } from "./program/program";

export = secureBucketProgram();
