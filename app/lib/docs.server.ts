/**
 * The repository's own docs (docs/), read wherever the app runs from: the source tree or
 * the built app (build/index.js), or ROLLCALL_DOCS_DIR.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function readDoc(name: "DEFINITIONS.md"): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [process.env.ROLLCALL_DOCS_DIR, path.resolve(here, "../docs"), path.resolve(here, "../../docs"), path.resolve(process.cwd(), "docs")].filter(
    (dir): dir is string => Boolean(dir),
  );
  const dir = candidates.find((candidate) => fs.existsSync(path.join(candidate, name)));
  if (!dir) throw new Error(`docs/${name} was not found (looked in ${candidates.join(", ")})`);
  return fs.readFileSync(path.join(dir, name), "utf8");
}
