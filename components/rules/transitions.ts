// S3 Lifecycle transitions ("Transitioning objects using Amazon S3 Lifecycle" and "Constraints and
// considerations for transitions", S3 User Guide; the `Transition` type, S3 API Reference).

import { StorageClass, Transition } from "../secureBucketArgs";

const STORAGE_CLASSES: readonly StorageClass[] = Object.values(StorageClass);

/** Where each class may go next: the supported transitions only move "down" the waterfall. */
const NEXT: Record<StorageClass, readonly StorageClass[]> = {
    STANDARD_IA: ["INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
    INTELLIGENT_TIERING: ["ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"],
    ONEZONE_IA: ["GLACIER", "DEEP_ARCHIVE"],
    GLACIER_IR: ["GLACIER", "DEEP_ARCHIVE"],
    GLACIER: ["DEEP_ARCHIVE"],
    DEEP_ARCHIVE: [],
};

/** Classes whose objects must be at least this many days old, and stay this long before moving on. */
const INFREQUENT_ACCESS: readonly StorageClass[] = ["STANDARD_IA", "ONEZONE_IA"];
const INFREQUENT_ACCESS_DAYS = 30;

/**
 * What is wrong with each transition of a list, by index (undefined where nothing is), or with the
 * list itself (`list`). The rules S3 enforces: whole days, 30 or more for STANDARD_IA and ONEZONE_IA,
 * days ascending, each class reachable from the one before, and 30 days in an infrequent-access
 * class before the next move; and, when the versions expire (`expiresAfterDays`), every move before.
 */
export function transitionProblems(value: unknown, maxDays: number, expiresAfterDays?: number): { list?: string; items: (string | undefined)[] } {
    if (!Array.isArray(value)) return { list: "must be a list of { days, storageClass }", items: [] };
    let previous: Transition | undefined;
    const items = value.map((item: unknown): string | undefined => {
        if (typeof item !== "object" || item === null || Array.isArray(item)) return "must be { days, storageClass }";
        const unknownKeys = Object.keys(item).filter((key) => key !== "days" && key !== "storageClass");
        if (unknownKeys.length > 0) return `has unknown field ${unknownKeys.map((k) => `"${k}"`).join(", ")}: a transition is { days, storageClass }`;
        const { days, storageClass } = item as Record<string, unknown>;
        if (!STORAGE_CLASSES.includes(storageClass as StorageClass)) return `storageClass must be one of ${STORAGE_CLASSES.join(", ")}`;
        if (typeof days !== "number" || !Number.isInteger(days) || days < 0 || days > maxDays) return `days must be a whole number from 0 to ${maxDays}`;
        const current: Transition = { days, storageClass: storageClass as StorageClass };
        const problem = transitionProblem(current, previous, expiresAfterDays);
        previous = current;
        return problem;
    });
    return { items };
}

function transitionProblem(current: Transition, previous: Transition | undefined, expiresAfterDays: number | undefined): string | undefined {
    if (INFREQUENT_ACCESS.includes(current.storageClass) && current.days < INFREQUENT_ACCESS_DAYS) {
        return `days must be at least ${INFREQUENT_ACCESS_DAYS} for ${current.storageClass}: S3 moves objects there only once they are 30 days old`;
    }
    if (expiresAfterDays !== undefined && current.days >= expiresAfterDays) {
        return `days must be fewer than the ${expiresAfterDays} days after which these versions expire`;
    }
    if (previous === undefined) return undefined;
    if (!NEXT[previous.storageClass].includes(current.storageClass)) {
        const allowed = NEXT[previous.storageClass];
        return `cannot follow ${previous.storageClass}: S3 moves objects from it only to ${allowed.length > 0 ? allowed.join(", ") : "no other class"}`;
    }
    const gap = INFREQUENT_ACCESS.includes(previous.storageClass) ? INFREQUENT_ACCESS_DAYS : 1;
    if (current.days < previous.days + gap) {
        return gap > 1
            ? `days must be at least ${previous.days + gap}: objects stay ${INFREQUENT_ACCESS_DAYS} days in ${previous.storageClass} before the next move`
            : `days must be more than the ${previous.days} of the transition before`;
    }
    return undefined;
}
