/**
 * A file named on the command line (or relayed to a dashboard), checked before anything is read:
 * one sentence for a file that is not there or is a folder, shared by `rollcall import`
 * (index.ts refuseMissingFiles) and `rollcall benchmarks import`, in words rather than the
 * system's (trial20a: "ENOENT: no such file or directory, stat '…'").
 */
import fs from "node:fs/promises";
import path from "node:path";

/**
 * Why `file` cannot be read as the `what` ("marks file", "benchmark file"), or null when it is a
 * file: "the marks file x.csv does not exist (a relative path is read from /srv/school)" — the
 * folder named only for a relative path (a relayed command's paths are made absolute against the
 * caller's folder, so the dashboard's own would mislead) — or "the marks file d is a folder, not a file".
 */
export async function givenFileProblem(what: string, file: string): Promise<string | null> {
  const stat = await fs.stat(file).catch(() => null);
  if (!stat) return `the ${what} ${file} does not exist${path.isAbsolute(file) ? "" : ` (a relative path is read from ${process.cwd()})`}`;
  if (!stat.isFile()) return `the ${what} ${file} is a folder, not a file`;
  return null;
}
