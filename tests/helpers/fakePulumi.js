#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
/* global require, process, console */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS script, run by Node as it is */
/**
 * A stand-in `pulumi` executable for the real workspace factory (tests/automation.test.ts links it
 * into a temp `bin/` folder as `pulumi`). It answers the commands the Automation API sends
 * (`version`, `stack select`/`init`, `config set-all`, `up`, `stack output`, `stack history`), keeps
 * its "state" as files under the file backend's folder, writes the stack settings file in its working
 * folder like Pulumi does, prints `up`'s output in several chunks (one of them ends mid-line), and
 * appends every call, with its working folder and the backend and passphrase it was given, to the
 * file FAKE_PULUMI_LOG names. `up` of the stack FAKE_PULUMI_FAIL names fails. It cannot run the
 * program (that needs the engine), so `up` reports canned outputs.
 *
 * `yaml` is the repository's: Node runs the real file behind the link, so `require` looks in the
 * repository's node_modules. It makes no network connections, so it starts without
 * NODE_EXTRA_CA_CERTS: where that is set (as on CI machines behind a proxy), Node parses the bundle at
 * every start, about 80 ms of CPU per call, and the tests make some forty calls.
 */
const fs = require("fs");
const path = require("path");
const yaml = require("yaml");

const args = process.argv.slice(2).filter((a) => a !== "--non-interactive");
const env = process.env;
if (env.FAKE_PULUMI_LOG) {
    fs.appendFileSync(env.FAKE_PULUMI_LOG, JSON.stringify({ args, cwd: process.cwd(), backend: env.PULUMI_BACKEND_URL, passphrase: env.PULUMI_CONFIG_PASSPHRASE }) + "\n");
}
const flag = (name) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
};
const stateDir = (env.PULUMI_BACKEND_URL || "").replace(/^file:\/\//, "");
const stackFile = (stack) => path.join(stateDir, ".pulumi", "stacks", "secure-bucket", stack + ".json");
const settingsFile = (stack) => path.join(process.cwd(), "Pulumi." + stack + ".yaml");
const readSettings = (stack) => (fs.existsSync(settingsFile(stack)) ? yaml.parse(fs.readFileSync(settingsFile(stack), "utf8")) || {} : {});
const writeSettings = (stack, settings) => fs.writeFileSync(settingsFile(stack), yaml.stringify(settings));
/** Ends with `code` once everything written has been flushed (process.exit could cut a pipe's output short). */
const fail = (message, code) => {
    process.stderr.write(message + "\n");
    process.exitCode = code;
};

const [a0, a1] = args;
if (a0 === "version") {
    console.log("v3.248.0");
} else if (a0 === "stack" && a1 === "select") {
    const stack = flag("--stack");
    if (!fs.existsSync(stackFile(stack))) fail("error: no stack named '" + stack + "' found", 255);
} else if (a0 === "stack" && a1 === "init") {
    const stack = args[2];
    fs.mkdirSync(path.dirname(stackFile(stack)), { recursive: true });
    fs.writeFileSync(stackFile(stack), "{}");
    const settings = readSettings(stack);
    settings.encryptionsalt = settings.encryptionsalt || "v1:salt-of-" + stack;
    writeSettings(stack, settings);
} else if (a0 === "config" && a1 === "set-all") {
    const stack = flag("--stack");
    const settings = readSettings(stack);
    settings.config = settings.config || {};
    args.forEach((a, i) => {
        if (a !== "--plaintext") return;
        const pair = args[i + 1];
        const eq = pair.indexOf("=");
        settings.config[pair.slice(0, eq)] = pair.slice(eq + 1);
    });
    writeSettings(stack, settings);
} else if (a0 === "up") {
    const stack = flag("--stack");
    process.stdout.write("Updating (" + stack + ")\n");
    // A failing update fails between whole lines: stdout and stderr are separate pipes, and the order
    // in which their chunks reach the Automation API is not fixed, so an error printed while a line
    // of stdout is half written could land inside that line.
    if (env.FAKE_PULUMI_FAIL === stack) {
        fail("error: update failed", 1);
    } else {
        process.stdout.write(" +  secure-bucket:index:SecureBucket secure-bucket-" + stack + " creat");
        process.stdout.write("ing (0s)\nResources:\n    + 11 created\n");
        fs.writeFileSync(stackFile(stack), JSON.stringify({ deployed: true }));
    }
} else if (a0 === "stack" && a1 === "output") {
    const stack = flag("--stack");
    const outputs = { bucketName: "secure-bucket-" + stack + "-0a1b2c3", keyArn: "arn:aws:kms:eu-west-1:111111111111:key/" + stack };
    if (!args.includes("--show-secrets")) outputs.keyArn = "[secret]";
    console.log(JSON.stringify(outputs));
} else if (a0 === "stack" && a1 === "history") {
    const update = { kind: "update", result: "succeeded", resourceChanges: { create: 11 }, startTime: "2026-01-01T00:00:00Z", endTime: "2026-01-01T00:01:00Z" };
    console.log(JSON.stringify([{ ...update, version: 1, message: "", environment: {}, config: {} }]));
} else {
    fail("fake pulumi: unexpected command " + args.join(" "), 2);
}
