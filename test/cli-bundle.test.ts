/**
 * The CLI's bundle (scripts/cli-bundle.js): made from the sources, made again when one of them
 * changes and only then, and no bundle (so tsx) where it cannot be written; the real bundle
 * loads neither exceljs nor playwright-core until a command needs them.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { freshCliBundle } from "../scripts/cli-bundle.js";

const exec = promisify(execFile);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A repository of two modules in the CLI's place: index.ts imports words.ts. */
function smallRepository(words: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "cli-bundle-"));
  dirs.push(root);
  fs.mkdirSync(path.join(root, "analytics/cli"), { recursive: true });
  fs.writeFileSync(path.join(root, "package.json"), "{}\n");
  // The one package bundled rather than loaded from node_modules (its manifest is recorded).
  fs.mkdirSync(path.join(root, "node_modules/date-fns"), { recursive: true });
  fs.writeFileSync(path.join(root, "node_modules/date-fns/package.json"), '{"name":"date-fns","version":"0.0.0"}\n');
  fs.writeFileSync(path.join(root, "analytics/cli/words.ts"), `export const words: string = ${JSON.stringify(words)};\n`);
  fs.writeFileSync(path.join(root, "analytics/cli/index.ts"), `import { words } from "./words.ts";\nexport async function main(): Promise<number> { console.log(words); return 0; }\n`);
  return root;
}

/** What the bundle's main prints, run in a process of its own. */
const run = async (bundle: string) => (await exec(process.execPath, ["--input-type=module", "-e", `const { main } = await import(${JSON.stringify(bundle)}); await main();`])).stdout.trim();

describe("the CLI's bundle", () => {
  it("is made from the sources, kept while they are unchanged, made again when one changes", async () => {
    const root = smallRepository("first");
    const bundle = (await freshCliBundle(root)) as string;
    expect(bundle).toBe(path.join(root, ".cli-build/rollcall.mjs"));
    expect(await run(bundle)).toBe("first");
    const made = fs.statSync(bundle).mtimeMs;

    // Unchanged sources: the same file, not written again.
    await new Promise((r) => setTimeout(r, 20));
    expect(await freshCliBundle(root)).toBe(bundle);
    expect(fs.statSync(bundle).mtimeMs).toBe(made);

    // A package bundled is upgraded (its manifest written afresh, as npm ci does): made again.
    const manifest = path.join(root, "node_modules/date-fns/package.json");
    fs.utimesSync(manifest, new Date(), new Date(Date.now() - 60_000));
    expect(await freshCliBundle(root)).toBe(bundle);
    expect(fs.statSync(bundle).mtimeMs).not.toBe(made);

    // A module the entry imports changes: the bundle says the new words.
    fs.writeFileSync(path.join(root, "analytics/cli/words.ts"), `export const words: string = "second, longer";\n`);
    expect(await freshCliBundle(root)).toBe(bundle);
    expect(await run(bundle)).toBe("second, longer");
  });

  it("is made again when its record of the sources is gone, and is none where it cannot be written", async () => {
    const root = smallRepository("kept");
    const bundle = (await freshCliBundle(root)) as string;
    fs.rmSync(path.join(root, ".cli-build/inputs.json"));
    fs.writeFileSync(bundle, "export async function main() { console.log('stale'); return 0; }\n");
    expect(await freshCliBundle(root)).toBe(bundle);
    expect(await run(bundle)).toBe("kept");

    const blocked = smallRepository("nowhere");
    fs.writeFileSync(path.join(blocked, ".cli-build"), "a file where the folder would be");
    expect(await freshCliBundle(blocked)).toBeNull();
  });

  it("the real CLI's bundle loads neither exceljs nor playwright-core at start", async () => {
    const bundle = (await freshCliBundle(process.cwd())) as string | null;
    expect(bundle).not.toBeNull();
    const script = [
      `import { createRequire } from "node:module";`,
      `await import(${JSON.stringify(bundle)});`,
      `const loaded = Object.keys(createRequire(import.meta.url).cache).filter((f) => /node_modules\\/(exceljs|playwright-core)\\//.test(f));`,
      `console.log(loaded.length);`,
    ].join("\n");
    const { stdout } = await exec(process.execPath, ["--input-type=module", "-e", script]);
    expect(stdout.trim()).toBe("0");
  });
});
