/**
 * The stack file with adopt's keys set under `config:`, and every other line of it (keys, comments,
 * quoting, order) left exactly as it was: each key adopt sets is removed where it stood and written
 * again at the end of the config block.
 */
import { Document, isMap, isScalar, parseDocument, YAMLMap } from "yaml";
import { configKey } from "../program/stackConfig";
import type { AdoptionConfig } from "./decide";

/** The line (0-based) holding character `offset`. */
const lineOf = (text: string, offset: number): number => text.slice(0, offset).split("\n").length - 1;

/** `text` (a Pulumi.<stack>.yaml) with each key of `config` set under `config:`, as `secure-bucket:<argument>`. */
export function withAdoptionConfig(text: string, config: AdoptionConfig): string {
    const entries = Object.entries(config).map(([argument, value]) => [configKey(argument), value] as const);
    const document = parseDocument(text);
    const block = document.get("config", true);
    if (!isMap(block) || block.flow === true || block.items.length === 0) {
        // No block-style config to keep: write one.
        if (!document.has("config")) document.set("config", document.createNode({}));
        for (const [key, value] of entries) document.setIn(["config", key], document.createNode(value));
        return document.toString();
    }
    const items = (block as YAMLMap).items;
    const fresh = new Document(Object.fromEntries(entries)).toString();
    const keyStart = (item: (typeof items)[number]): number => (item.key as { range?: [number, number, number] }).range?.[0] ?? 0;
    const valueEnd = (item: (typeof items)[number]): number => (item.value as { range?: [number, number, number] } | null)?.range?.[1] ?? keyStart(item);
    const lines = text.split("\n");
    const indent = " ".repeat(lines[lineOf(text, keyStart(items[0]))].search(/\S/));
    const insertAfter = lineOf(text, valueEnd(items[items.length - 1]) - 1);
    const removed = items
        .filter((item) => {
            const key: unknown = item.key;
            return isScalar(key) && entries.some(([name]) => name === key.value);
        })
        .map((item) => [lineOf(text, keyStart(item)), lineOf(text, valueEnd(item) - 1)] as const);
    const added = fresh.trimEnd().split("\n").map((line) => `${indent}${line}`);
    const kept = lines.flatMap((line, i) => {
        const out = removed.some(([from, to]) => i >= from && i <= to) ? [] : [line];
        return i === insertAfter ? [...out, ...added] : out;
    });
    return kept.join("\n");
}
