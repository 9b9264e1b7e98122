/**
 * A `--filter KEY=VALUE` value as the CLI's user types it, read the way the pupils import reads
 * that characteristic (analytics/import/values.ts), so the spellings a pupils file may use mean
 * the same here: `fsm=y`, `year_group=Y5` or `"year_group=Year 5"`, `sex=Female`, and a class
 * or ethnicity code in any case (`reg_group=5a` for 5A). Trial21: these gave 0 pupils, exit 0.
 */
import type { CsvField } from "./csv.ts";
import type { Connection } from "./db.ts";
import { recordedValues, type PupilDimension } from "./measures.ts";
import { parseFlag, parseSen, parseSex, parseYearGroup } from "./import/values.ts";

/** The importer's reader for each characteristic; a class and an ethnicity are text, matched to a stored one in any case. */
const READERS: Partial<Record<PupilDimension, (field: CsvField) => string>> = {
  fsm: (f) => parseFlag(f, "", "fsm"),
  eal: (f) => parseFlag(f, "", "eal"),
  lac: (f) => parseFlag(f, "", "lac"),
  sen: (f) => parseSen(f, ""),
  sex: (f) => parseSex(f, ""),
  year_group: (f) => parseYearGroup(f, ""),
};

/** What a refusal calls one value and the values stored: "no class 5Z; classes are 3A, 3B". */
const NOUNS: Partial<Record<PupilDimension, [string, string]>> = {
  reg_group: ["class", "classes"],
  year_group: ["year group", "year groups"],
  ethnicity: ["ethnicity", "ethnicities"],
};

/** Year groups in school order (N1, N2, R, 1 … 13), other values alphabetically. */
function order(value: string): string {
  const rank = value === "N1" ? -2 : value === "N2" ? -1 : value === "R" ? 0 : /^\d+$/.test(value) ? Number(value) : null;
  return rank === null ? `z${value}` : `a${String(rank + 10).padStart(3, "0")}`;
}

/**
 * The stored value `typed` means for characteristic `key`: the importer's reading of it (a
 * flag's Y/N, a year group's 1–13/R/N1/N2, a sex's M/F, SEN's E/K/N), then the stored value
 * equal to it, else the one equal to it ignoring case and surrounding spaces.
 * Returns `{ value }`, or `{ refusal }`: a sentence naming the values stored (any pupil, any
 * time), e.g. `no class 5Z; classes are 3A, 3B`, when no stored value matches, and
 * `the value is empty; fsm values are N, Y` when `typed` is empty or spaces (trial22:
 * `--filter fsm=` was told fsm is no dimension).
 */
export async function storedFilterValue(connection: Connection, key: PupilDimension, typed: string): Promise<{ value: string } | { refusal: string }> {
  const stored = (await recordedValues(connection, key)).sort((a, b) => order(a).localeCompare(order(b)));
  const [one, many] = NOUNS[key] ?? [`${key} value`, `${key} values`];
  const listed = stored.length === 0 ? "no pupils are stored" : `${many} are ${stored.join(", ")}`;
  if (typed.trim() === "") return { refusal: `the value is empty; ${listed}` };
  let read = typed.trim();
  try {
    const reader = READERS[key];
    if (reader) read = reader({ value: typed, line: 0, column: 0 });
  } catch {
    // Not a spelling the importer accepts: refused below unless stored as typed.
  }
  const match = stored.find((v) => v === read) ?? stored.find((v) => v.trim().toUpperCase() === read.toUpperCase());
  if (match !== undefined) return { value: match };
  return { refusal: `no ${one} ${typed.trim().slice(0, 40)}; ${listed}` };
}
