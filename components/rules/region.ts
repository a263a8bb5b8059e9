// Regions: the list @pulumi/aws keeps current (its `Region` enum, loaded without the Pulumi SDK),
// the regions its lowest supported version lacks, and the newer ones a user names in
// `unlistedRegions`.
import { Region } from "@pulumi/aws/types/enums";

// A region name: a prefix of two or more letters, one or more words and a number: us-east-1,
// us-gov-west-1, cn-north-1, us-isob-east-1, eusc-de-east-1 (the AWS European Sovereign Cloud).
const REGION_NAME = /^[a-z]{2,}(?:-[a-z]+)+-\d{1,2}$/;

/**
 * The regions @pulumi/aws 7.48.0 (the newest 7.x when this was written) lists and 7.14.0 (the
 * lowest version the peer range allows) does not; the offline engine knows each one's partition.
 */
const LISTED_AFTER_7_14 = ["ap-southeast-6", "eusc-de-east-1", "us-isob-west-1", "us-isof-east-1", "us-isof-south-1"];

/** The regions accepted without `unlistedRegions`. */
const LISTED_REGIONS: ReadonlySet<string> = new Set<string>([...Object.values(Region), ...LISTED_AFTER_7_14]);

/** What is wrong with a region name (as given in `unlistedRegions`), or undefined when it is shaped like one. */
export function regionNameProblem(name: unknown): string | undefined {
    return typeof name === "string" && REGION_NAME.test(name) ? undefined : 'must be an AWS region name such as "us-east-1"';
}

/**
 * What is wrong with a region, or undefined when it is listed or among `unlisted`; `unlistedLabel`
 * names the argument (or config key) that allows a newer one.
 */
export function regionProblem(region: unknown, unlisted: readonly unknown[], unlistedLabel: string): string | undefined {
    if (typeof region === "string" && (LISTED_REGIONS.has(region) || unlisted.includes(region))) return undefined;
    return (
        'is not a region the installed @pulumi/aws lists (such as "us-east-1"); for a region newer than its list, upgrade @pulumi/aws ' +
        `or add the region to ${unlistedLabel}`
    );
}
