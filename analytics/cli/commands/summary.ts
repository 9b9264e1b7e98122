/** rollcall summary --from --to [--by DIMENSION] [--year-group …] --json */
import { resolveDbPath, withConnection } from "../../db.ts";
import { storedFilterValue } from "../../filter-values.ts";
import { DIMENSIONS, PUPIL_DIMENSIONS, isDimension, type Dimension, sessionsByCode, summarise, summariseBy, type PupilDimension, type PupilFilter, type SessionDimension } from "../../measures.ts";
import { groupsWithPa, paOrNull, persistentAbsenceSpan } from "../../pa-span.ts";
import { DB_OPTION, UsageError, parseOptions, requireDate } from "../args.ts";
import { academicYearBounds, academicYearOf } from "../../period-names.ts";
import { currentDate } from "../../periods.ts";
import { dimensionWords, summaryText, summaryTitle } from "../summary-text.ts";
import { getSettings } from "../../settings.ts";
import { cliErr, cliOut } from "../context.ts";

export const usage = `rollcall summary [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by DIMENSION] [--json] [--db FILE]
  --to is today by default (ROLLCALL_TODAY when set), --from the start of --to's academic year
  (1 August): with neither, the academic year to date, said on stderr.
    [--filter DIMENSION=VALUE ...]   e.g. --filter fsm=Y --filter year_group=5
  A filter's value is read as a pupils file's is (fsm=yes, year_group=Y5 or "Year 5", sex=Female,
  a class in any case); a value no pupil has, or an empty one, is refused, naming the values stored.
  DIMENSION: ${DIMENSIONS.join(", ")}`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseOptions(argv, {
    ...DB_OPTION,
    from: { type: "string" },
    to: { type: "string" },
    by: { type: "string" },
    json: { type: "boolean", default: false },
    filter: { type: "string", multiple: true },
  });
  // Without dates, the academic year to date, as the dashboard opens on (trial 48: a new user's
  // bare `rollcall summary` was refused with "--from is required").
  const to = values.to === undefined ? currentDate() : requireDate(values.to, "--to");
  const from = values.from === undefined ? academicYearBounds(academicYearOf(to)).from : requireDate(values.from, "--from");
  // Said once the database is open (below): a CLI that finds the file held by the dashboard
  // relays the command, and the server's run says it (review 48: said twice, the caller's first try too).
  const defaulted = values.from === undefined || values.to === undefined
    ? `rollcall summary: ${from} to ${to} (${values.from === undefined && values.to === undefined ? "the academic year to date" : values.from === undefined ? "from the start of the academic year" : "to today"}; --from and --to choose another period)\n`
    : null;
  if (from > to) throw new UsageError(`--from (${from}) is after --to (${to})`);
  if (values.by !== undefined && !isDimension(values.by)) {
    throw new UsageError(`--by must be one of: ${DIMENSIONS.join(", ")} (got "${values.by}")`);
  }
  const typed: [PupilDimension, string, string][] = [];
  for (const item of values.filter ?? []) {
    const at = item.indexOf("=");
    const [key, value] = at < 0 ? [item, ""] : [item.slice(0, at), item.slice(at + 1)];
    // Only an unknown dimension is refused here; an empty or missing value of a known one is
    // refused below with the values stored, as a wrong value is (storedFilterValue).
    if (!(PUPIL_DIMENSIONS as readonly string[]).includes(key)) {
      throw new UsageError(`--filter takes DIMENSION=VALUE with DIMENSION one of ${PUPIL_DIMENSIONS.join(", ")} (got "${item}")`);
    }
    typed.push([key as PupilDimension, value, item]);
  }
  const filter: PupilFilter = {};
  const query = { from, to, filter };
  const by = values.by;
  // Persistent and severe absence (pa_*, sa_*) are null over a span of fewer than 20 school
  // days, as on every page and pack (analytics/pa-span.ts); said on stderr, the JSON's fields unchanged.
  let why: string | null = null;
  let school = "";
  const result = await withConnection(resolveDbPath(values.db), async (connection) => {
    if (defaulted) cliErr(defaulted);
    school = (await getSettings(connection)).school_name;
    // Each value read as the pupils import reads it; one stored by no pupil is refused, not a row of zeros.
    for (const [key, value, item] of typed) {
      const stored = await storedFilterValue(connection, key, value);
      if ("refusal" in stored) throw new UsageError(`--filter ${item}: ${item.includes("=") ? "" : `give ${key}=VALUE, `}${stored.refusal}`);
      filter[key] = stored.value;
    }
    // Each code's meaning kept for the text (the regulations of its marks' dates); the JSON gives code and sessions.
    if (by === "code") return (await sessionsByCode(connection, query)).map(({ code, sessions, meaning }) => ({ code, sessions, meaning }));
    const span = await persistentAbsenceSpan(connection, query);
    if (by === undefined || (PUPIL_DIMENSIONS as readonly string[]).includes(by)) {
      why = span.why;
      if (by === undefined) return paOrNull(await summarise(connection, query), span.given);
      return (await summariseBy(connection, query, by)).map((row) => paOrNull(row, span.given));
    }
    const rows = await summariseBy(connection, query, by);
    const given = await groupsWithPa(connection, query, by as SessionDimension, rows.map((row) => row.group));
    if (rows.some((row) => !given.has(row.group))) why = `Persistent and severe absence are given only for ${values.json ? by : dimensionWords(by)} groups of 20 school days or more (${values.json ? "null" : "—"} in the others).`;
    return rows.map((row) => paOrNull(row, given.has(row.group)));
  });
  if (why) cliErr(`${why}\n`);
  if (values.json) {
    const json = by === "code" ? (result as { code: string; sessions: number }[]).map(({ code, sessions }) => ({ code, sessions })) : result;
    cliOut(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    // The school, the period and the pupils first, on the output itself: a table saved to a file
    // (`> summary.txt`) had no dates, the period being said on stderr alone (trial 51).
    cliOut(`${summaryTitle(school, query)}\n\n${summaryText(result, by as Dimension | undefined)}\n`);
  }
  return 0;
}
