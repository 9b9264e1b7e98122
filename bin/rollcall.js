#!/usr/bin/env node
// The rollcall command. The CLI runs the very same TypeScript sources as the web app: bundled
// into one file, made again whenever a source changed (scripts/cli-bundle.js: loading ~170
// modules through tsx cost every command 1.5–2 s of CPU), or, where that bundle cannot be
// made, through tsx directly.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freshCliBundle } from "../scripts/cli-bundle.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bundle = process.env.ROLLCALL_CLI_TSX === "1" ? null : await freshCliBundle(root);
let main;
if (bundle) {
  ({ main } = await import(pathToFileURL(bundle).href));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../analytics/cli/index.ts"));
}
process.exitCode = await main(process.argv.slice(2));
