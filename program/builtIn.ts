import { PROJECT } from "./stackConfig";

/**
 * Whether a Pulumi project is this package's own one-bucket program (this repository's
 * `Pulumi.yaml`, named `secure-bucket`): its config is then checked against SecureBucket's arguments
 * before anything runs. Every other project's config is its program's own business.
 */
export function isBuiltInProject(project: { name: string }): boolean {
    return project.name === PROJECT;
}
