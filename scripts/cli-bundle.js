/**
 * The `rollcall` command's sources bundled into one file (.cli-build/rollcall.mjs) by esbuild,
 * made again whenever one of them changed. Why: run through tsx, every command first spent
 * 1.5–2 s of CPU loading its ~170 TypeScript modules (tsx's loader hooks answer each import
 * with a message between threads), which on a busy machine was 5–20 s before the command did
 * anything. The bundle holds the same source files, so the CLI still runs exactly the code
 * the web app runs; packages stay in node_modules (loaded from there at run time), except
 * date-fns, whose one entry point would otherwise load each of its ~250 modules.
 *
 * Fresh means: every source file the last bundle was made from, package.json, and the
 * package.json of each package bundled (an upgrade or `npm ci` writes it afresh) have the size
 * and modification time they had then (.cli-build/inputs.json; about 170 stats). Where the bundle cannot be
 * made or written (a read-only checkout, esbuild missing), freshCliBundle returns null and
 * bin/rollcall.js runs the sources through tsx as before.
 */
import fs from "node:fs";
import path from "node:path";

const ENTRY = "analytics/cli/index.ts";
const OUT_DIR = ".cli-build";
const BUNDLE = "rollcall.mjs";
const INPUTS = "inputs.json";
/** Packages bundled rather than loaded from node_modules (see above). */
const BUNDLED_PACKAGES = new Set(["date-fns"]);

/**
 * The path of a bundle of the CLI made from the sources as they are now under `root` (the
 * repository), making it first when missing or stale; null when it cannot be made (the
 * reason on stderr when ROLLCALL_DEBUG_CLI_BUNDLE is set). Never throws.
 */
export async function freshCliBundle(root) {
  const dir = path.join(root, OUT_DIR);
  const bundle = path.join(dir, BUNDLE);
  try {
    if (isFresh(root, dir, bundle)) return bundle;
    return await makeBundle(root, dir, bundle);
  } catch (error) {
    if (process.env.ROLLCALL_DEBUG_CLI_BUNDLE) process.stderr.write(`rollcall: the CLI runs through tsx (${error instanceof Error ? error.message : error})\n`);
    return null;
  }
}

/** Whether the bundle exists and every input recorded for it is unchanged. */
function isFresh(root, dir, bundle) {
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(path.join(dir, INPUTS), "utf8"));
  } catch {
    return false;
  }
  if (!fs.existsSync(bundle) || recorded.bundleSize !== fs.statSync(bundle).size) return false;
  for (const [file, [size, mtimeMs]] of Object.entries(recorded.inputs)) {
    let stat;
    try {
      stat = fs.statSync(path.join(root, file));
    } catch {
      return false;
    }
    if (stat.size !== size || stat.mtimeMs !== mtimeMs) return false;
  }
  return true;
}

/**
 * Bundles the CLI and writes it and its inputs' record, each by rename so that a command
 * started meanwhile reads a whole file. A source changed while the bundle was being made
 * (its modification time after the start) throws before anything is written: this command
 * runs through tsx (freshCliBundle's null) and the next makes the bundle again.
 */
async function makeBundle(root, dir, bundle) {
  // buildSync: one esbuild process for this build, gone when it returns (build() would leave
  // its service process running beside the command until exit).
  const { buildSync } = await import("esbuild");
  const started = Date.now();
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    write: false,
    metafile: true,
    logLevel: "silent",
    outfile: bundle,
    external: externalPackages(root),
  });
  const code = result.outputFiles[0].contents;
  const inputs = {};
  // The sources, and for what comes from node_modules the manifests of the packages bundled
  // (an upgrade or `npm ci` writes them afresh) and of the project (its packages left out).
  const sources = Object.keys(result.metafile.inputs).filter((file) => !file.includes("node_modules/"));
  const manifests = ["package.json", ...[...BUNDLED_PACKAGES].map((name) => `node_modules/${name}/package.json`)];
  for (const file of [...sources, ...manifests]) {
    const stat = fs.statSync(path.join(root, file));
    if (stat.mtimeMs >= started) throw new Error(`${file} changed while the CLI was being bundled`);
    inputs[file] = [stat.size, stat.mtimeMs];
  }
  fs.mkdirSync(dir, { recursive: true });
  const unique = `${process.pid}.${started}`;
  fs.writeFileSync(`${bundle}.${unique}`, code);
  fs.renameSync(`${bundle}.${unique}`, bundle);
  const record = path.join(dir, INPUTS);
  fs.writeFileSync(`${record}.${unique}`, JSON.stringify({ bundleSize: code.length, inputs }));
  fs.renameSync(`${record}.${unique}`, record);
  return bundle;
}

/** The package.json's packages but those bundled, each with its subpaths ("exceljs", "exceljs/*"): loaded from node_modules. */
function externalPackages(root) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  const names = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((name) => !BUNDLED_PACKAGES.has(name));
  return names.flatMap((name) => [name, `${name}/*`]);
}
