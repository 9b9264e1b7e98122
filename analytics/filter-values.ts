/**
 * A pupil filter's value as a user types it — the CLI's `--filter KEY=VALUE` and the web's
 * address (`/?year_group=Y5`, app/lib/address-filters.server.ts) — read the way the pupils
 * import reads that characteristic (analytics/import/values.ts), so the spellings a pupils file
 * may use mean the same group everywhere: `fsm=y`, `year_group=Y5` or `"year_group=Year 5"`,
 * `sex=Female`, and a class or ethnicity code in any case (`reg_group=5a` for 5A).
 * Trial21: these gave 0 pupils on the CLI; trial22: the web refused them or sent an empty CSV.
 */
import type { CsvField } from "./csv.ts";
import type { Connection } from "./db.ts";
import { CODED_FILTER_KEYS, CODED_SPELLINGS, type CodedFilterKey } from "./characteristic-words.ts";
import { isDfeEthnicityCode } from "./ethnicity.ts";
import { NOT_ASSIGNED, classWords } from "./class-words.ts";
import { recordedValues, type PupilDimension } from "./measures.ts";
import { parseFlag, parseSen, parseSex, parseYearGroup } from "./import/values.ts";

/**
 * The importer's reader for each characteristic; a class is text, matched to a stored one in
 * any case, and an ethnicity too, a DfE code read in capitals (`aban` is ABAN) even when no
 * pupil has it (a governor's page reads such a value as a small group's, withheld).
 */
const READERS: Partial<Record<PupilDimension, (field: CsvField) => string>> = {
  ethnicity: (f) => {
    const code = f.value.trim().toUpperCase();
    if (!isDfeEthnicityCode(code)) throw new Error("not a DfE ethnicity code");
    return code;
  },
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
 * The value `typed` reads as for characteristic `key` by the importer's reader ("Y5" → "5",
 * "yes" → "Y", "Female" → "F", "aban" → "ABAN"), or null when the reader refuses it (a class,
 * which has no reader, always null). Pure.
 */
export function filterReading(key: PupilDimension, typed: string): string | null {
  const reader = READERS[key];
  if (!reader) return null;
  try {
    return reader({ value: typed, line: 0, column: 0 });
  } catch {
    return null;
  }
}

/**
 * A class as typed: the stored value, or the words a picker shows for it (analytics/class-words.ts
 * classWords) — "Class 3A" is 3A, "Not assigned to a class" is NOT_ASSIGNED — so the choice a
 * reader sees can be typed into an address on every page (trial 26: `reg_group=Not assigned to
 * a class` found nobody). Case and surrounding spaces are left to readFilterValue.
 */
function classTyped(typed: string): string {
  const text = typed.trim();
  if (text.toUpperCase() === classWords(NOT_ASSIGNED).toUpperCase()) return NOT_ASSIGNED;
  const named = /^class\s+(.+)$/i.exec(text);
  return named ? named[1].trim() : text;
}

/**
 * The one of `known` (a characteristic's values: those stored, or a closed set of codes) that
 * `typed` means: the one equal to its importer's reading (filterReading), else the one equal to
 * it ignoring case and surrounding spaces; null when none is (or `typed` is empty). Shape: a
 * value of `known`, exactly as given. Pure: the CLI's --filter (storedFilterValue) and the web's
 * address (app/lib/address-filters.server.ts) both read with it.
 */
export function readFilterValue(key: PupilDimension, typed: string, known: readonly string[]): string | null {
  if (typed.trim() === "") return null;
  const read = filterReading(key, typed) ?? (key === "reg_group" ? classTyped(typed) : typed.trim());
  const exact = (text: string) => known.find((v) => v === text) ?? known.find((v) => v.trim().toUpperCase() === text.toUpperCase());
  // A class stored with the picker's words in it ("Class 3A") is read as typed before as the picker's words.
  return (key === "reg_group" ? exact(typed.trim()) : undefined) ?? exact(read) ?? null;
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
  const match = readFilterValue(key, typed, stored);
  if (match !== null) return { value: match };
  // A coded value that reads as none of its codes: the spellings it is read from, as the web says them.
  const spellings = (CODED_FILTER_KEYS as readonly string[]).includes(key) ? CODED_SPELLINGS[key as CodedFilterKey] : null;
  if (spellings && filterReading(key, typed) === null) return { refusal: `${key} "${typed.trim().slice(0, 40)}" is not ${spellings}; ${listed}` };
  return { refusal: `no ${one} ${typed.trim().slice(0, 40)}; ${listed}` };
}
