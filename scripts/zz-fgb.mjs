// scripts/zz-fgb-first.ts
import fs11 from "node:fs";

// analytics/users/store.ts
import { randomBytes as randomBytes2 } from "node:crypto";

// analytics/db.ts
import { DuckDBInstance } from "@duckdb/node-api";
import { AsyncResource } from "node:async_hooks";
import path2 from "node:path";
import fs2 from "node:fs";

// analytics/codes.ts
var REGIME_2024_FROM = "2024-08-19";
var c = (code, regime, category, meaning) => ({
  code,
  regime,
  category,
  meaning
});
var CODES_2024 = [
  c("/", "2024", "present", "Present (AM)"),
  c("\\", "2024", "present", "Present (PM)"),
  c("L", "2024", "present", "Late arrival before the register closed"),
  c("K", "2024", "aea", "Attending education provision arranged by the local authority"),
  c("V", "2024", "aea", "Attending an educational visit or trip"),
  c("P", "2024", "aea", "Participating in a sporting activity"),
  c("W", "2024", "aea", "Attending work experience"),
  c("B", "2024", "aea", "Attending any other approved educational activity"),
  c("C", "2024", "authorised", "Leave of absence for exceptional circumstances"),
  c("C1", "2024", "authorised", "Leave of absence to participate in a regulated performance or employment abroad"),
  c("C2", "2024", "authorised", "Leave of absence for a compulsory school age pupil subject to a part-time timetable"),
  c("J1", "2024", "authorised", "Leave of absence to attend an interview"),
  c("M", "2024", "authorised", "Leave of absence for a medical or dental appointment"),
  c("S", "2024", "authorised", "Leave of absence for study leave"),
  c("I", "2024", "authorised", "Illness (not medical or dental appointment)"),
  c("R", "2024", "authorised", "Religious observance"),
  c("T", "2024", "authorised", "Parent travelling for occupational purposes"),
  c("E", "2024", "authorised", "Suspended or permanently excluded, no alternative provision"),
  c("G", "2024", "unauthorised", "Holiday not granted by the school"),
  c("N", "2024", "unauthorised", "Reason for absence not yet established"),
  c("O", "2024", "unauthorised", "Absent in other or unknown circumstances"),
  c("U", "2024", "unauthorised", "Arrived in school after registration closed"),
  c("X", "2024", "not_counted", "Non-compulsory school age pupil not required to attend"),
  c("Z", "2024", "not_counted", "Prospective pupil not on admission register"),
  c("#", "2024", "not_counted", "Planned whole or partial school closure"),
  c("D", "2024", "not_counted", "Dual registered: attending another school"),
  c("Q", "2024", "not_counted", "Unable to attend: lack of access arrangements"),
  c("Y1", "2024", "not_counted", "Unable to attend: transport normally provided not available"),
  c("Y2", "2024", "not_counted", "Unable to attend: widespread disruption to travel"),
  c("Y3", "2024", "not_counted", "Unable to attend: part of the school premises closed"),
  c("Y4", "2024", "not_counted", "Unable to attend: whole school site unexpectedly closed"),
  c("Y5", "2024", "not_counted", "Unable to attend: in criminal justice detention"),
  c("Y6", "2024", "not_counted", "Unable to attend: public health guidance or law"),
  c("Y7", "2024", "not_counted", "Unable to attend: any other unavoidable cause")
];
var CODES_2006 = [
  c("/", "2006", "present", "Present (AM)"),
  c("\\", "2006", "present", "Present (PM)"),
  c("L", "2006", "present", "Late before registers closed"),
  c("B", "2006", "aea", "Educated off site (not dual registration)"),
  c("J", "2006", "aea", "At an interview with prospective employers or another educational establishment"),
  c("P", "2006", "aea", "Participating in a supervised sporting activity"),
  c("V", "2006", "aea", "Educational visit or trip"),
  c("W", "2006", "aea", "Work experience"),
  c("C", "2006", "authorised", "Other authorised circumstances"),
  c("E", "2006", "authorised", "Excluded, no alternative provision made"),
  c("F", "2006", "authorised", "Extended family holiday (agreed; withdrawn 2013)"),
  c("H", "2006", "authorised", "Family holiday (agreed)"),
  c("I", "2006", "authorised", "Illness (not medical or dental appointments)"),
  c("M", "2006", "authorised", "Medical or dental appointments"),
  c("R", "2006", "authorised", "Religious observance"),
  c("S", "2006", "authorised", "Study leave"),
  c("T", "2006", "authorised", "Gypsy, Roma and traveller absence"),
  c("G", "2006", "unauthorised", "Family holiday (not agreed or days in excess of agreement)"),
  c("N", "2006", "unauthorised", "No reason yet provided for absence"),
  c("O", "2006", "unauthorised", "Unauthorised absence not covered by any other code"),
  c("U", "2006", "unauthorised", "Arrived in school after registers closed"),
  c("D", "2006", "not_counted", "Dual registration: attending another establishment"),
  c("X", "2006", "not_counted", "Non-compulsory school age absence (or COVID-19 related, 2020\u20132022)"),
  c("Y", "2006", "not_counted", "Enforced closure or exceptional circumstances"),
  c("Z", "2006", "not_counted", "Pupil not yet on roll"),
  c("#", "2006", "not_counted", "Planned whole or partial school closure")
];
var CODE_CATALOGUE = [...CODES_2024, ...CODES_2006];
var ALL_CODES = [...new Set(CODE_CATALOGUE.map((d) => d.code))];
function codeMask(regime, categories) {
  if (ALL_CODES.length > 64)
    throw new Error(`mark_code has ${ALL_CODES.length} members: more than a 64-bit mask holds`);
  let mask = 0n;
  for (const d of CODE_CATALOGUE)
    if (d.regime === regime && categories.includes(d.category))
      mask |= 1n << BigInt(ALL_CODES.indexOf(d.code));
  return mask;
}
function codeMaskParams(name, categories) {
  return { [`${name}_2024`]: codeMask("2024", categories), [`${name}_2006`]: codeMask("2006", categories) };
}
var inCodeMask = (name, date, code, from) => `((CASE WHEN ${date} >= $${from}::DATE THEN $${name}_2024::UBIGINT ELSE $${name}_2006::UBIGINT END) >> enum_code(${code})) & 1 = 1`;
function regimeOn(isoDate) {
  return isoDate >= REGIME_2024_FROM ? "2024" : "2006";
}
function lookupCode(code, isoDate) {
  const regime = regimeOn(isoDate);
  return CODE_CATALOGUE.find((d) => d.code === code && d.regime === regime);
}
var COVID_SUBCODES = {
  I01: { code: "I", meaning: "Illness (not COVID-19)" },
  I02: { code: "I", meaning: "Illness: confirmed or suspected COVID-19" },
  X01: { code: "X", meaning: "Non-compulsory school age, not required to attend" },
  X02: { code: "X", meaning: "Self-isolating with COVID-19 symptoms" },
  X03: { code: "X", meaning: "Self-isolating: COVID-19 contact inside school" },
  X04: { code: "X", meaning: "Self-isolating: COVID-19 contact outside school" },
  X05: { code: "X", meaning: "Quarantine after travel" },
  X06: { code: "X", meaning: "Shielding as advised" },
  X07: { code: "X", meaning: "Government advice not to attend" }
};
var COVID_SUBCODES_FROM = "2019-08-01";
var COVID_SUBCODES_TO = "2022-07-31";
var NO_MARK_YET = ["", "-"];

// analytics/sql-literal.ts
var sqlString = (text2) => `'${text2.replace(/'/g, "''")}'`;

// analytics/key-values.ts
var KEY_VALUE_SCOPES = ["meta", "settings"];
async function replaceValue(connection, scope, key, value) {
  await deleteValue(connection, scope, key);
  await connection.run("INSERT INTO key_values (scope, key, value) VALUES ($scope, $key, $value)", { scope, key, value });
}
function deleteValue(connection, scope, key) {
  return connection.run("DELETE FROM key_values WHERE scope = $scope AND key = $key", { scope, key });
}
function replaceMeta(connection, key, value) {
  return replaceValue(connection, "meta", key, value);
}
function replaceSetting(connection, key, value) {
  return replaceValue(connection, "settings", key, value);
}

// analytics/code-catalogue-view.ts
var ROW = "\n";
var FIELD = "	";
function catalogueText() {
  const fields = CODE_CATALOGUE.map((d) => [d.code, d.regime, d.category, d.meaning]);
  if (fields.some((f) => f.some((v) => v.includes(ROW) || v.includes(FIELD))))
    throw new Error("internal: a code catalogue entry holds a separator");
  return fields.map((f) => f.join(FIELD)).join(ROW);
}
var CODE_CATALOGUE_VIEW = `CREATE OR REPLACE VIEW code_catalogue AS
     SELECT f[1]::mark_code AS code, f[2] AS regime, f[3] AS category, f[4] AS meaning
     FROM (SELECT string_split(unnest(string_split(${sqlString(catalogueText())}, ${sqlString(ROW)})), ${sqlString(FIELD)}) AS f)`;
async function migrateCodeCatalogue(conn, version) {
  const found = await conn.runAndReadAll(
    "SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND table_name = 'code_catalogue'"
  );
  if (Number(found.getRowObjects()[0].n) === 0)
    return false;
  await plainTransaction(conn, async () => {
    await conn.run("DROP TABLE code_catalogue");
    await conn.run(CODE_CATALOGUE_VIEW);
    await replaceMeta(conn, "schema_version", String(version));
  });
  return true;
}

// analytics/benchmarks/schema.ts
var STATEMENTS = [
  `CREATE SEQUENCE IF NOT EXISTS benchmark_import_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS benchmark_imports (
     import_id INTEGER PRIMARY KEY,
     file_name VARCHAR NOT NULL,
     sha256 VARCHAR NOT NULL,
     rows_read INTEGER NOT NULL,
     figures_inserted INTEGER NOT NULL,
     imported_at TIMESTAMP NOT NULL,
     imported_by VARCHAR NOT NULL,
     imported_by_role VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS benchmark_figures (
     figure_id VARCHAR PRIMARY KEY,
     origin VARCHAR NOT NULL,
     publication VARCHAR NOT NULL,
     academic_year VARCHAR NOT NULL,
     period VARCHAR NOT NULL,
     period_end DATE,
     phase VARCHAR NOT NULL,
     geographic_level VARCHAR NOT NULL,
     area_code VARCHAR NOT NULL,
     area_name VARCHAR NOT NULL,
     region_code VARCHAR,
     group_type VARCHAR NOT NULL,
     group_name VARCHAR NOT NULL,
     measure VARCHAR NOT NULL,
     value DOUBLE,
     value_text VARCHAR NOT NULL,
     release VARCHAR NOT NULL,
     source_url VARCHAR NOT NULL,
     excerpt VARCHAR NOT NULL,
     source_file VARCHAR NOT NULL,
     source_line INTEGER NOT NULL)`
];
function benchmarkSchemaStatements() {
  return [...STATEMENTS];
}

// analytics/packs/schema.ts
var COMMENTARY_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS pack_commentary_seq START 1`,
  `CREATE TABLE IF NOT EXISTS pack_commentary (
     entry_id INTEGER NOT NULL DEFAULT nextval('pack_commentary_seq'),
     pack_kind VARCHAR NOT NULL,
     period_key VARCHAR NOT NULL,
     heading VARCHAR NOT NULL,
     body VARCHAR NOT NULL,
     author VARCHAR NOT NULL,
     author_role VARCHAR NOT NULL,
     saved_at TIMESTAMP NOT NULL)`
];

// analytics/store.ts
var WEEK_CODE_STORE = "mark_week_code_store";
var WEEK_CODES_VIEW = `CREATE OR REPLACE VIEW mark_week_codes AS
     SELECT pupil_id, week, week + first_day AS first_date, week + last_day AS last_date, code, sessions
     FROM ${WEEK_CODE_STORE}`;
var DAY_COUNT_TYPES = {
  marks: "UTINYINT",
  possible: "UTINYINT",
  present: "UTINYINT",
  aea: "UTINYINT",
  authorised: "UTINYINT",
  unauthorised: "UTINYINT",
  late_l: "UTINYINT",
  late_u: "UTINYINT",
  minutes_late: "SMALLINT",
  spell_starts: "UTINYINT"
};
var WEEK_COUNT_TYPES = {
  marks: "USMALLINT",
  possible: "USMALLINT",
  present: "USMALLINT",
  aea: "USMALLINT",
  authorised: "USMALLINT",
  unauthorised: "USMALLINT",
  late_l: "USMALLINT",
  late_u: "USMALLINT",
  minutes_late: "INTEGER",
  spell_starts: "USMALLINT"
};
function countColumns(types) {
  return Object.entries(types).map(([column, type]) => `     ${column} ${type} NOT NULL,`).join("\n");
}
var STORE_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS pupil_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS pupil_ids (
     pupil_id INTEGER NOT NULL,
     upn VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mark_store (
     pupil_id INTEGER NOT NULL,
     date DATE NOT NULL,
     pm BOOLEAN NOT NULL,
     code mark_code NOT NULL,
     minutes_late SMALLINT,
     import_id INTEGER NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mark_days (
     pupil_id INTEGER NOT NULL,
     date DATE NOT NULL,
${countColumns(DAY_COUNT_TYPES)}
     lead_continued BOOLEAN NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS mark_weeks (
     pupil_id INTEGER NOT NULL,
     week DATE NOT NULL,
     first_date DATE NOT NULL,
     last_date DATE NOT NULL,
${countColumns(WEEK_COUNT_TYPES)}
     lead_continued BOOLEAN NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${WEEK_CODE_STORE} (
     pupil_id INTEGER NOT NULL,
     week DATE NOT NULL,
     first_day UTINYINT NOT NULL,
     last_day UTINYINT NOT NULL,
     code mark_code NOT NULL,
     sessions USMALLINT NOT NULL)`,
  WEEK_CODES_VIEW,
  `CREATE OR REPLACE VIEW marks AS
     SELECT k.upn, m.date, (CASE WHEN m.pm THEN 'PM' ELSE 'AM' END)::register_session AS session,
            m.code, m.minutes_late, m.import_id
     FROM mark_store m JOIN pupil_ids k USING (pupil_id)`
];
var SESSION_ORDER = (date, pm, pupil, code) => `${code} NOT IN ('/', '\\'), ${date}, ${pm}, ${code}, CASE WHEN ${pm} THEN -${pupil} ELSE ${pupil} END`;
var ORDINARY = `(marks = possible AND present = possible AND aea = 0 AND authorised = 0 AND unauthorised = 0 AND late_l = 0 AND late_u = 0 AND minutes_late = 0 AND spell_starts = 0 AND NOT lead_continued)`;
var BY_TURNS = (column, unit) => `(CASE WHEN ((${column} - DATE '2000-01-03') // ${unit}) % 2 = 0 THEN 1 ELSE -1 END)`;
var CODE_TURN = `(CASE WHEN code = '\\' THEN -1 ELSE 1 END)`;
var DAY_ORDER = `NOT ${ORDINARY}, date, marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late, spell_starts, lead_continued, ${BY_TURNS("date", 1)} * pupil_id`;
var WEEK_ORDER = `NOT ${ORDINARY}, week, marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late, spell_starts, lead_continued, first_date, last_date, ${BY_TURNS("week", 7)} * pupil_id`;
var FULL_WEEK_PRESENT = `(code IN ('/', '\\') AND sessions = 5)`;
var WEEK_CODE_ORDER = `NOT ${FULL_WEEK_PRESENT}, code NOT IN ('/', '\\'), week, code, ${CODE_TURN} * sessions, ${CODE_TURN} * first_day, ${CODE_TURN} * last_day, ${CODE_TURN} * pupil_id`;
var STORE_ROW_ORDER = {
  mark_store: SESSION_ORDER("date", "pm", "pupil_id", "code"),
  mark_days: DAY_ORDER,
  mark_weeks: WEEK_ORDER,
  [WEEK_CODE_STORE]: WEEK_CODE_ORDER
};
var CATEGORY_JOIN = (alias) => `JOIN code_catalogue cc
       ON cc.code = ${alias}.code
      AND cc.regime = CASE WHEN ${alias}.date >= DATE '${REGIME_2024_FROM}' THEN '2024' ELSE '2006' END`;
async function scalar(conn, sql) {
  const row = await queryOne(conn, sql);
  return Number(row?.n ?? 0);
}
async function ensurePupilIds(conn) {
  await conn.run(
    `INSERT INTO pupil_ids (pupil_id, upn)
     SELECT (SELECT coalesce(max(pupil_id), 0) FROM pupil_ids) + row_number() OVER (ORDER BY admission_date, upn), upn
     FROM (SELECT upn, admission_date FROM pupils ANTI JOIN pupil_ids USING (upn))`
  );
}
function recomputeTouched() {
  const inCategory = (name) => inCodeMask(name, "m.date", "m.code", "regime_from");
  const absent = inCategory("absent");
  const counted = inCategory("counted");
  return [[
    `DELETE FROM mark_days USING agg_touched t WHERE mark_days.pupil_id = t.pupil_id AND mark_days.date >= t.from_week`,
    `DELETE FROM mark_weeks USING agg_touched t WHERE mark_weeks.pupil_id = t.pupil_id AND mark_weeks.week >= t.from_week`,
    `DELETE FROM ${WEEK_CODE_STORE} USING agg_touched t WHERE ${WEEK_CODE_STORE}.pupil_id = t.pupil_id AND ${WEEK_CODE_STORE}.week >= t.from_week`
  ], [
    `INSERT INTO mark_days
     SELECT * FROM (
     WITH last_week AS (
       -- Each pupil's last week before the recomputed weeks with a counted session (its
       -- aggregate, kept, says so): that pupil's last counted session before them is in it.
       -- Only that week's marks are read for prev, not every earlier mark of the pupil (a
       -- year's import onto two earlier years read and grouped some 1.3 million).
       SELECT w.pupil_id, max(w.week) AS week
       FROM mark_weeks w
       JOIN agg_touched t ON t.pupil_id = w.pupil_id AND w.week < t.from_week
       WHERE w.possible > 0
       GROUP BY w.pupil_id),
     prev AS (
       -- Whether each pupil's last counted session before the recomputed weeks was an absence:
       -- a spell running into the first recomputed week is not a new spell.
       SELECT m.pupil_id, arg_max(${absent}, date_diff('day', DATE '2000-01-01', m.date) * 2 + m.pm::INTEGER) AS prev_absent
       FROM mark_store m
       JOIN last_week l ON l.pupil_id = m.pupil_id AND m.date >= l.week AND m.date < l.week + 7
       WHERE ${counted}
       GROUP BY m.pupil_id),
     days AS (
       SELECT m.pupil_id, m.date,
              -- Each count of some marks counts a CASE that is NULL for the others, not count(*)
              -- FILTER (WHERE \u2026): DuckDB's hash aggregate runs a FILTER as a selection of the rows
              -- per aggregate, and the nine of them cost more than the CASEs (same counts).
              count(*)::${DAY_COUNT_TYPES.marks} AS marks,
              count(CASE WHEN ${counted} THEN 1 END)::${DAY_COUNT_TYPES.possible} AS possible,
              count(CASE WHEN ${inCategory("present")} THEN 1 END)::${DAY_COUNT_TYPES.present} AS present,
              count(CASE WHEN ${inCategory("aea")} THEN 1 END)::${DAY_COUNT_TYPES.aea} AS aea,
              count(CASE WHEN ${inCategory("authorised")} THEN 1 END)::${DAY_COUNT_TYPES.authorised} AS authorised,
              count(CASE WHEN ${inCategory("unauthorised")} THEN 1 END)::${DAY_COUNT_TYPES.unauthorised} AS unauthorised,
              count(CASE WHEN m.code = 'L' THEN 1 END)::${DAY_COUNT_TYPES.late_l} AS late_l,
              count(CASE WHEN m.code = 'U' THEN 1 END)::${DAY_COUNT_TYPES.late_u} AS late_u,
              coalesce(sum(CASE WHEN m.code IN ('L', 'U') THEN m.minutes_late END), 0)::${DAY_COUNT_TYPES.minutes_late} AS minutes_late,
              -- NULL when the day has no counted morning (afternoon) session, as a FILTER gave.
              bool_or(CASE WHEN NOT m.pm AND ${counted} THEN ${absent} END) AS am_absent,
              bool_or(CASE WHEN m.pm AND ${counted} THEN ${absent} END) AS pm_absent
       FROM mark_store m
       JOIN agg_touched t ON t.pupil_id = m.pupil_id AND m.date >= t.from_week
       WHERE ${inCategory("known")} AND m.date >= $touched_from::DATE
       GROUP BY m.pupil_id, m.date),
     carried AS (
       SELECT d.*,
              coalesce(lag(coalesce(d.pm_absent, d.am_absent) IGNORE NULLS) OVER (PARTITION BY d.pupil_id ORDER BY d.date),
                       p.prev_absent, false) AS before
       FROM days d LEFT JOIN prev p USING (pupil_id))
     SELECT pupil_id, date, marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late,
            (coalesce(am_absent AND NOT before, false)::INTEGER + coalesce(pm_absent AND NOT coalesce(am_absent, before), false)::INTEGER)::${DAY_COUNT_TYPES.spell_starts} AS spell_starts,
            coalesce(coalesce(am_absent, pm_absent) AND before, false) AS lead_continued
     FROM carried)
     ORDER BY ${DAY_ORDER}`
  ], [
    `INSERT INTO mark_weeks
     SELECT * FROM (
       SELECT d.pupil_id, date_trunc('week', d.date)::DATE AS week, min(d.date) AS first_date, max(d.date) AS last_date,
              ${Object.entries(WEEK_COUNT_TYPES).map(([column, type]) => `sum(d.${column})::${type} AS ${column}`).join(", ")},
              coalesce(arg_min(d.lead_continued, d.date) FILTER (WHERE d.possible > 0), false) AS lead_continued
       FROM mark_days d
       JOIN agg_touched t ON t.pupil_id = d.pupil_id AND d.date >= t.from_week
       WHERE d.date >= $touched_from::DATE
       GROUP BY d.pupil_id, week)
     ORDER BY ${WEEK_ORDER}`,
    `INSERT INTO ${WEEK_CODE_STORE}
     SELECT * FROM (
       SELECT m.pupil_id, date_trunc('week', m.date)::DATE AS week,
              (min(m.date) - date_trunc('week', m.date)::DATE)::UTINYINT AS first_day, (max(m.date) - date_trunc('week', m.date)::DATE)::UTINYINT AS last_day,
              m.code, count(*)::USMALLINT AS sessions
       FROM mark_store m
       JOIN agg_touched t ON t.pupil_id = m.pupil_id AND m.date >= t.from_week
       WHERE m.date >= $touched_from::DATE
       GROUP BY m.pupil_id, week, m.code)
     ORDER BY ${WEEK_CODE_ORDER}`
  ]];
}
var CATEGORY_PARAMS = {
  regime_from: REGIME_2024_FROM,
  ...codeMaskParams("known", ["present", "aea", "authorised", "unauthorised", "not_counted"]),
  ...codeMaskParams("counted", ["present", "aea", "authorised", "unauthorised"]),
  ...codeMaskParams("absent", ["authorised", "unauthorised"]),
  ...codeMaskParams("present", ["present"]),
  ...codeMaskParams("aea", ["aea"]),
  ...codeMaskParams("authorised", ["authorised"]),
  ...codeMaskParams("unauthorised", ["unauthorised"])
};
async function refreshAggregates(conn, changedSql) {
  const [deletes, days, rest] = recomputeTouched();
  try {
    const from = (await queryOne(
      conn,
      [
        `CREATE OR REPLACE TEMP TABLE agg_touched AS
        SELECT pupil_id, date_trunc('week', min(date))::DATE AS from_week FROM (${changedSql}) GROUP BY pupil_id`,
        ...deletes,
        `SELECT strftime(min(from_week), '%Y-%m-%d') AS "from" FROM agg_touched`
      ].join(";\n")
    ))?.from ?? null;
    for (const statement of [...days, ...rest])
      await conn.run(statement, statement === days[0] ? { ...CATEGORY_PARAMS, touched_from: from } : { touched_from: from });
    await conn.run(`DROP TABLE temp.agg_touched`);
  } catch (error) {
    await conn.run(`DROP TABLE IF EXISTS temp.agg_touched`).catch(() => {
    });
    throw error;
  }
}
async function rebuildAggregates(conn) {
  await conn.run(`DELETE FROM mark_days`);
  await conn.run(`DELETE FROM mark_weeks`);
  await conn.run(`DELETE FROM ${WEEK_CODE_STORE}`);
  await refreshAggregates(conn, `SELECT pupil_id, date FROM mark_store`);
}
async function hasMarksTable(conn) {
  return await scalar(conn, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'marks' AND schema_name = 'main'`) > 0;
}
async function ensureStore(conn) {
  const legacy = await hasMarksTable(conn);
  const present = await scalar(conn, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'mark_store' AND schema_name = 'main'`);
  if (!legacy && present > 0)
    return 0;
  if (!legacy && await scalar(conn, `SELECT count(*) AS n FROM duckdb_types() WHERE type_name = 'mark_code'`) === 0)
    return 0;
  let migrated = 0;
  await plainTransaction(conn, async () => {
    for (const statement of STORE_DDL) {
      if (legacy && statement.includes("VIEW marks"))
        continue;
      await conn.run(statement);
    }
    if (legacy) {
      migrated = await scalar(conn, `SELECT count(*) AS n FROM marks`);
      const orphans = await scalar(conn, `SELECT count(DISTINCT upn) AS n FROM marks ANTI JOIN pupils USING (upn)`);
      if (orphans > 0) {
        throw new Error(
          `cannot migrate this database to the compact store: ${orphans} pupil(s) have marks but no row in pupils; re-import the pupils file with the old version first, or rebuild the demo with \`rollcall demo\``
        );
      }
      await ensurePupilIds(conn);
      await conn.run(
        `INSERT INTO mark_store
         SELECT k.pupil_id, m.date, m.session = 'PM', m.code, m.minutes_late, m.import_id
         FROM marks m JOIN pupil_ids k USING (upn)
         ORDER BY ${SESSION_ORDER("m.date", "m.session = 'PM'", "k.pupil_id", "m.code")}`
      );
      await conn.run(`DROP TABLE marks`);
      await conn.run(STORE_DDL.find((s) => s.includes("VIEW marks")));
      await rebuildAggregates(conn);
    }
    await replaceMeta(conn, "schema_version", "2");
  });
  if (legacy)
    await conn.run("CHECKPOINT");
  return migrated;
}
async function migrateWeekCodes(conn) {
  const old = await scalar(conn, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'mark_week_codes' AND schema_name = 'main'`);
  if (old === 0)
    return false;
  await plainTransaction(conn, async () => {
    await conn.run(STORE_DDL.find((s) => s.includes(`CREATE TABLE IF NOT EXISTS ${WEEK_CODE_STORE} (`)));
    await conn.run(
      `INSERT INTO ${WEEK_CODE_STORE}
       SELECT * FROM (
         SELECT pupil_id, week, (first_date - week)::UTINYINT AS first_day, (last_date - week)::UTINYINT AS last_day, code, sessions
         FROM mark_week_codes)
       ORDER BY ${WEEK_CODE_ORDER}`
    );
    await conn.run(`DROP TABLE mark_week_codes`);
    await conn.run(WEEK_CODES_VIEW);
    await replaceMeta(conn, "schema_version", "5");
  });
  return true;
}

// analytics/users/schema.ts
var USERS_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS user_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS users (
     user_id INTEGER PRIMARY KEY DEFAULT nextval('user_id_seq'),
     email VARCHAR NOT NULL UNIQUE,
     name VARCHAR NOT NULL,
     role VARCHAR NOT NULL,
     password_hash VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL,
     password_changed_at TIMESTAMP NOT NULL,
     disabled_at TIMESTAMP,
     must_change_password BOOLEAN DEFAULT false)`,
  // One row per sign-in. The cookie carries only session_id (signed); idle expiry is decided
  // here from last_seen_at, so a copied cookie dies with its session whatever its maxAge says.
  `CREATE TABLE IF NOT EXISTS user_sessions (
     session_id VARCHAR PRIMARY KEY,
     user_id INTEGER NOT NULL,
     csrf_token VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL,
     last_seen_at TIMESTAMP NOT NULL,
     ended_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS sign_in_failures (
     email VARCHAR NOT NULL,
     address VARCHAR NOT NULL,
     failed_at TIMESTAMP NOT NULL)`
];
var USERS_MUST_CHANGE_COLUMN = `ALTER TABLE users ADD COLUMN IF NOT EXISTS must_change_password BOOLEAN DEFAULT false`;

// analytics/audit-schema.ts
var AUDIT_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS audit_log_seq START 1`,
  `CREATE TABLE IF NOT EXISTS audit_log (
     id BIGINT NOT NULL DEFAULT nextval('audit_log_seq'),
     occurred_at TIMESTAMP NOT NULL,
     actor VARCHAR NOT NULL,
     actor_name VARCHAR,
     role VARCHAR NOT NULL,
     action VARCHAR NOT NULL,
     target VARCHAR,
     detail VARCHAR,
     ip VARCHAR)`
];

// analytics/casework/schema.ts
var SETTINGS_CHANGES_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS settings_change_seq START 1`,
  `CREATE TABLE IF NOT EXISTS settings_changes (
     change_id INTEGER NOT NULL DEFAULT nextval('settings_change_seq'),
     save_id VARCHAR NOT NULL,
     key VARCHAR NOT NULL,
     old_value VARCHAR,
     new_value VARCHAR NOT NULL,
     changed_at TIMESTAMP NOT NULL,
     changed_by VARCHAR NOT NULL,
     changed_by_role VARCHAR NOT NULL)`
];

// analytics/interventions/schema.ts
var INTERVENTIONS_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS intervention_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS interventions (
     intervention_id INTEGER NOT NULL DEFAULT nextval('intervention_id_seq'),
     upn VARCHAR NOT NULL,
     type VARCHAR NOT NULL,
     date DATE NOT NULL,
     note VARCHAR NOT NULL,
     recorded_at TIMESTAMP NOT NULL,
     recorded_by VARCHAR NOT NULL,
     recorded_by_role VARCHAR NOT NULL,
     corrects INTEGER,
     withdrawn BOOLEAN NOT NULL DEFAULT false,
     label VARCHAR)`
];
var INTERVENTIONS_LABEL_COLUMN = `ALTER TABLE interventions ADD COLUMN IF NOT EXISTS label VARCHAR`;

// analytics/key-values-schema.ts
var KEY_VALUES_DDL = "CREATE TABLE key_values (scope VARCHAR NOT NULL, key VARCHAR NOT NULL, value VARCHAR NOT NULL)";
var KEY_VALUE_VIEWS = KEY_VALUE_SCOPES.map((scope) => `CREATE VIEW ${scope} AS SELECT key, value FROM key_values WHERE scope = ${sqlString(scope)}`);
function mergeKeyValues(connection, version, tables2, was) {
  return plainTransaction(connection, async () => {
    await connection.run(KEY_VALUES_DDL);
    for (const scope of KEY_VALUE_SCOPES.filter((s) => tables2.has(s))) {
      await connection.run(`INSERT INTO key_values (scope, key, value) SELECT $scope, key, value FROM ${scope} ORDER BY rowid`, { scope });
      await connection.run(`DROP TABLE ${scope}`);
    }
    for (const view of KEY_VALUE_VIEWS)
      await connection.run(view);
    if (was === 7)
      await replaceMeta(connection, "schema_version", String(version));
  });
}

// analytics/schema.ts
var SCHEMA_VERSION = 8;
var UNKEYED_SPELLS = "pupil_characteristics";
var UNKEYED_TABLES = [
  UNKEYED_SPELLS,
  "imports",
  "amendments",
  "calendar_periods",
  "closures",
  "school_days",
  "audit_log",
  "interventions",
  "settings_changes",
  "pack_commentary",
  "pupils",
  "key_values"
];
function schemaStatements() {
  const codeEnum = ALL_CODES.map(sqlString).join(", ");
  return [
    `CREATE TYPE mark_code AS ENUM (${codeEnum})`,
    `CREATE TYPE register_session AS ENUM ('AM', 'PM')`,
    // One value a key, kept so by their one writer (analytics/key-values.ts), not by a key
    // (UNKEYED_TABLES); `meta` and `settings` views over the one table (analytics/key-values-schema.ts).
    KEY_VALUES_DDL,
    ...KEY_VALUE_VIEWS,
    // The code catalogue: a view of constant rows, not a table (analytics/code-catalogue-view.ts).
    CODE_CATALOGUE_VIEW,
    `CREATE SEQUENCE import_id_seq START 1`,
    `CREATE TABLE imports (
       import_id INTEGER NOT NULL,
       kind VARCHAR NOT NULL,
       file_name VARCHAR NOT NULL,
       sha256 VARCHAR NOT NULL,
       rows_read INTEGER NOT NULL,
       rows_inserted INTEGER NOT NULL,
       rows_amended INTEGER NOT NULL,
       rows_unchanged INTEGER NOT NULL,
       imported_at TIMESTAMP NOT NULL,
       imported_by VARCHAR NOT NULL,
       imported_by_role VARCHAR NOT NULL)`,
    // A UPN stored once, kept so by its writers (UNKEYED_TABLES), not by a key.
    `CREATE TABLE pupils (
       upn VARCHAR NOT NULL,
       forename VARCHAR NOT NULL,
       surname VARCHAR NOT NULL,
       dob DATE NOT NULL,
       sex VARCHAR NOT NULL,
       ethnicity VARCHAR NOT NULL,
       admission_date DATE NOT NULL,
       leaving_date DATE)`,
    // One row per spell of unchanged characteristics; valid_to NULL is the current row. One
    // spell per pupil and start date, kept by the importers (UNKEYED_SPELLS).
    `CREATE TABLE pupil_characteristics (
       upn VARCHAR NOT NULL,
       valid_from DATE NOT NULL,
       valid_to DATE,
       year_group VARCHAR NOT NULL,
       reg_group VARCHAR NOT NULL,
       sen VARCHAR NOT NULL,
       fsm VARCHAR NOT NULL,
       eal VARCHAR NOT NULL,
       lac VARCHAR NOT NULL)`,
    // Half terms as the school published them; school days are the weekdays inside them
    // that are not closures.
    `CREATE TABLE calendar_periods (
       half_term VARCHAR NOT NULL,
       start_date DATE NOT NULL,
       end_date DATE NOT NULL)`,
    `CREATE TABLE closures (
       date DATE NOT NULL,
       reason VARCHAR NOT NULL)`,
    `CREATE TABLE school_days (
       date DATE NOT NULL,
       academic_year VARCHAR NOT NULL,
       term VARCHAR NOT NULL,
       half_term VARCHAR NOT NULL)`,
    // Marks: the compact store, its aggregates and the read-only `marks` view (analytics/store.ts).
    ...STORE_DDL,
    `CREATE SEQUENCE amendment_id_seq START 1`,
    `CREATE TABLE amendments (
       amendment_id INTEGER NOT NULL,
       upn VARCHAR NOT NULL,
       date DATE NOT NULL,
       session register_session NOT NULL,
       original_code mark_code NOT NULL,
       new_code mark_code NOT NULL,
       reason VARCHAR NOT NULL,
       amended_at TIMESTAMP NOT NULL,
       amended_by VARCHAR NOT NULL,
       amended_by_role VARCHAR NOT NULL,
       import_id INTEGER,
       original_minutes_late SMALLINT,
       new_minutes_late SMALLINT)`,
    // Report packs: the head's commentary per pack, period and heading, every save kept
    // (analytics/packs/commentary.ts also creates these on first use, for older files).
    ...COMMENTARY_DDL,
    // The audit trail (analytics/audit.ts): append-only.
    ...AUDIT_DDL,
    // Who changed which setting and when (analytics/settings.ts).
    ...SETTINGS_CHANGES_DDL,
    // Interventions recorded on pupils' pages, append-only (analytics/interventions/).
    ...INTERVENTIONS_DDL,
    // National benchmarks (analytics/benchmarks/): published figures and their imports.
    ...benchmarkSchemaStatements(),
    // Sign-in (analytics/users/): accounts, sessions, failed attempts.
    ...USERS_DDL
  ];
}
async function dropKeys(connection, known) {
  if ((known ?? await schemaVersion(connection)) >= 7)
    return false;
  const keyed = await connection.runAndReadAll(
    `SELECT DISTINCT table_name FROM duckdb_constraints()
     WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
       AND table_name IN (${UNKEYED_TABLES.map(sqlString).join(", ")})
     ORDER BY table_name`
  );
  const statements = schemaStatements();
  await plainTransaction(connection, async () => {
    for (const { table_name } of keyed.getRowObjects()) {
      const table = String(table_name);
      const ddl = statements.find((s) => s.startsWith(`CREATE TABLE ${table} (`) || s.startsWith(`CREATE TABLE IF NOT EXISTS ${table} (`));
      if (!ddl)
        throw new Error(`internal: no DDL for ${table}`);
      await connection.run(ddl.replace(/^CREATE TABLE (IF NOT EXISTS )?\w+ \(/, `CREATE TABLE ${table}_unkeyed (`));
      await connection.run(`INSERT INTO ${table}_unkeyed BY NAME SELECT * FROM ${table} ORDER BY rowid`);
      await connection.run(`DROP TABLE ${table}`);
      await connection.run(`ALTER TABLE ${table}_unkeyed RENAME TO ${table}`);
    }
    await replaceMeta(connection, "schema_version", String(SCHEMA_VERSION));
  });
  return true;
}
var AMENDMENTS_MINUTES_COLUMNS = [
  `ALTER TABLE amendments ADD COLUMN IF NOT EXISTS original_minutes_late SMALLINT`,
  `ALTER TABLE amendments ADD COLUMN IF NOT EXISTS new_minutes_late SMALLINT`
];
function refuseNewer(version) {
  if (version > SCHEMA_VERSION)
    throw new NewerSchemaError(version);
}
var NewerSchemaError = class extends Error {
  constructor(version) {
    super(
      `this database file has been opened by a newer Rollcall (its schema is version ${version}; this Rollcall reads up to version ${SCHEMA_VERSION}), so this one cannot read it: use that release or a later one. The file is unchanged.`
    );
    this.version = version;
    this.name = "NewerSchemaError";
  }
};
async function schemaVersion(connection) {
  const version = await connection.runAndReadAll("SELECT value FROM meta WHERE key = 'schema_version'");
  return Number(version.getRowObjects()[0]?.value ?? 0);
}
var ADDED_COLUMNS = [
  { table: "interventions", column: "label", ddl: [INTERVENTIONS_LABEL_COLUMN] },
  { table: "users", column: "must_change_password", ddl: [USERS_MUST_CHANGE_COLUMN] },
  { table: "amendments", column: "new_minutes_late", ddl: AMENDMENTS_MINUTES_COLUMNS }
];
async function probeSchema(connection, tables2) {
  const added = ADDED_COLUMNS.filter((a) => tables2.has(a.table));
  const params = {};
  const parts = ["SELECT 'meta' AS what, value FROM meta WHERE key = 'schema_version'"];
  for (const [i, a] of added.entries()) {
    params[`column${i}`] = a.column;
    parts.push(`SELECT '${a.table}', name FROM pragma_table_info('${a.table}') WHERE name = $column${i}`);
  }
  const found = (await connection.runAndReadAll(parts.join(" UNION ALL "), params)).getRowObjects();
  const version = found.find((r) => r.what === "meta");
  return { version: Number(version?.value ?? 0), columns: new Set(found.filter((r) => r.what !== "meta").map((r) => `${r.what}.${r.value}`)) };
}
async function addMissingColumn(connection, table, column, ddl, present) {
  if (present ?? await hasColumn(connection, table, column))
    return false;
  for (const statement of ddl)
    await connection.run(statement);
  return true;
}
async function hasColumn(connection, table, column) {
  const found = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM pragma_table_info('${table}') WHERE name = $column`, { column });
  return Number(found.getRowObjects()[0].n) > 0;
}
async function ensureSchema(connection) {
  const found = await connection.runAndReadAll(
    "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('meta', 'settings', 'key_values', 'marks', 'mark_store', 'mark_week_codes', 'code_catalogue', 'interventions', 'users', 'amendments')"
  );
  const tables2 = new Set(found.getRowObjects().map((r) => String(r.table_name)));
  if (tables2.has("meta") || tables2.has("key_values")) {
    const merged = tables2.has("meta");
    let was;
    if (merged) {
      was = await schemaVersion(connection);
      refuseNewer(was);
      await mergeKeyValues(connection, SCHEMA_VERSION, tables2, was);
    }
    const migrating = tables2.has("marks") || !tables2.has("mark_store");
    const probed = migrating || tables2.has("mark_week_codes") ? void 0 : await probeSchema(connection, tables2);
    if (!merged) {
      was = probed?.version ?? await schemaVersion(connection);
      refuseNewer(was);
    }
    if (migrating)
      await ensureStore(connection);
    let upgraded = await dropKeys(connection, probed?.version) || merged;
    if (tables2.has("mark_week_codes"))
      upgraded = await migrateWeekCodes(connection) || upgraded;
    if (tables2.has("code_catalogue"))
      upgraded = await migrateCodeCatalogue(connection, SCHEMA_VERSION) || upgraded;
    const rebuilt = upgraded;
    for (const { table, column, ddl } of ADDED_COLUMNS) {
      if (!tables2.has(table))
        continue;
      const present = probed && !rebuilt ? probed.columns.has(`${table}.${column}`) : void 0;
      upgraded = await addMissingColumn(connection, table, column, ddl, present) || upgraded;
    }
    if (upgraded)
      await connection.run("CHECKPOINT");
    return was !== void 0 && was < SCHEMA_VERSION && (upgraded || migrating) ? { from: was, to: SCHEMA_VERSION } : null;
  }
  await plainTransaction(connection, async () => {
    for (const statement of schemaStatements())
      await connection.run(statement);
    await replaceMeta(connection, "schema_version", String(SCHEMA_VERSION));
  });
  return null;
}

// analytics/audit-journal.ts
import fs from "node:fs";
import path from "node:path";
import { LIST, VARCHAR, listValue } from "@duckdb/node-api";
var AUDIT_INSERT = `INSERT INTO audit_log (occurred_at, actor, actor_name, role, action, target, detail, ip)
  SELECT unnest($1::TIMESTAMP[]), unnest($2::VARCHAR[]), unnest($3::VARCHAR[]), unnest($4::VARCHAR[]),
         unnest($5::VARCHAR[]), unnest($6::VARCHAR[]), unnest($7::VARCHAR[]), unnest($8::VARCHAR[])`;
var AUDIT_COLUMN_TYPES = Array.from({ length: 8 }, () => LIST(VARCHAR));
function auditLists(rows) {
  return AUDIT_COLUMN_TYPES.map((_, column) => listValue(rows.map((row) => row[column])));
}
var APPLIED_DDL = [
  "CREATE TABLE IF NOT EXISTS audit_journal_applied (applied BIGINT NOT NULL)",
  "INSERT INTO audit_journal_applied SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM audit_journal_applied)"
];
var MOVE_APPLIED = "UPDATE audit_journal_applied SET applied = $to WHERE applied = $from RETURNING applied";
function journalPath(file) {
  return `${file}.audit-journal`;
}
var JOURNAL_REWRITE_BYTES = 4 * 1024 * 1024;
var REPLAY_BATCH = 5e3;
var RETRY_MS = 1e3;
var APPLY_QUIET_MS = 20;
var APPLY_MAX_WAIT_MS = 1e3;
var AUDIT_JOURNALS = Symbol.for("rollcall.analytics.audit.journals.v1");
var journals = globalThis[AUDIT_JOURNALS] ??= /* @__PURE__ */ new Map();
var AUDIT_JOURNALS_OPEN = Symbol.for("rollcall.analytics.audit.journals.open.v1");
var openJournals = globalThis[AUDIT_JOURNALS_OPEN] ??= /* @__PURE__ */ new WeakMap();
function openAuditJournal(connection, file) {
  let journal = journals.get(file);
  if (!journal) {
    const opening = replay(connection, file);
    journal = opening;
    journals.set(file, opening);
    opening.then(
      (opened) => openJournals.set(opening, opened),
      () => journals.get(file) === opening && journals.delete(file)
    );
  }
  return journal;
}
function journalLine(seq, values) {
  return `${JSON.stringify({ seq, row: values })}
`;
}
function readJournal(text2) {
  const bySeq = /* @__PURE__ */ new Map();
  for (const line of text2.split("\n")) {
    if (!line.trim())
      continue;
    try {
      const parsed = JSON.parse(line);
      if (Number.isSafeInteger(parsed.seq) && Array.isArray(parsed.row) && parsed.row.length === AUDIT_COLUMN_TYPES.length && parsed.row.every((v) => v === null || typeof v === "string")) {
        bySeq.set(parsed.seq, parsed.row);
      }
    } catch {
    }
  }
  return [...bySeq].sort(([a], [b]) => a - b).map(([seq, values]) => ({ seq, values }));
}
async function appliedPosition(connection) {
  const found = await connection.runAndReadAll("SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'audit_journal_applied'");
  if (Number(found.getRowObjects()[0].n) === 0) {
    await connection.run("BEGIN TRANSACTION");
    try {
      for (const statement of [...AUDIT_DDL, ...APPLIED_DDL])
        await connection.run(statement);
      await connection.run("COMMIT");
    } catch (error) {
      await connection.run("ROLLBACK").catch(() => {
      });
      throw error;
    }
  }
  const read = await connection.runAndReadAll("SELECT max(applied)::BIGINT AS applied FROM audit_journal_applied");
  return Number(read.getRowObjects()[0].applied ?? 0);
}
async function applyJournalRows(connection, position, insert) {
  await connection.run("BEGIN TRANSACTION");
  try {
    const moved = await connection.runAndReadAll(MOVE_APPLIED, { from: position.from, to: position.upTo });
    if (moved.currentRowCount === 0) {
      await connection.run("ROLLBACK");
      return { applied: false };
    }
    const inserted = await insert();
    await connection.run("COMMIT");
    return { applied: true, inserted };
  } catch (error) {
    await connection.run("ROLLBACK").catch(() => {
    });
    throw error;
  }
}
async function replay(connection, file) {
  const where = journalPath(file);
  let text2 = "";
  try {
    text2 = fs.readFileSync(where, "utf8");
  } catch (error) {
    if (error.code !== "ENOENT") {
      throw new Error(`the audit journal ${where} could not be read (${error.message}): it may hold audit rows the database lacks, so the database is not opened without them`);
    }
  }
  let applied = await appliedPosition(connection);
  const rows = readJournal(text2).filter((row) => row.seq > applied);
  for (let start = 0; start < rows.length; start += REPLAY_BATCH) {
    const batch = rows.slice(start, start + REPLAY_BATCH);
    const upTo = batch[batch.length - 1].seq;
    const done = await applyJournalRows(connection, { from: applied, upTo }, () => connection.run(AUDIT_INSERT, auditLists(batch.map((row) => row.values)), AUDIT_COLUMN_TYPES));
    if (!done.applied)
      throw new Error(`the audit journal ${where} could not be written in: the database's position moved while it was (is the file open elsewhere?)`);
    applied = upTo;
  }
  if (text2.length > 0)
    fs.truncateSync(where, 0);
  return { file, path: where, fd: null, size: 0, appended: applied, applied, pending: [], lastSyncedAt: 0, applyTimer: null, waiting: [], write: null, applying: false, queued: [], flushing: false, retry: null, closed: false };
}
function syncFolder(folder) {
  const fd = fs.openSync(folder, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
function writeAll(fd, buffer) {
  for (let at = 0; at < buffer.length; )
    at += fs.writeSync(fd, buffer, at, buffer.length - at);
}
function forgetFd(journal, cutBack) {
  if (journal.fd === null)
    return;
  try {
    if (cutBack)
      fs.ftruncateSync(journal.fd, journal.size);
  } catch {
  }
  try {
    fs.closeSync(journal.fd);
  } catch {
  }
  journal.fd = null;
}
function applyPending(journal, maxBatch = 500) {
  if (journal.applying || journal.retry || journal.pending.length === 0 || !journal.write)
    return;
  journal.applying = true;
  const write = journal.write;
  void (async () => {
    try {
      for (let first = true; journal.pending.length > 0 && (first || journal.waiting.length > 0 || applyDue(journal)); first = false) {
        const batch = journal.pending.slice(0, maxBatch);
        const upTo = batch[batch.length - 1].seq;
        const committed = () => {
          journal.applied = upTo;
          journal.pending.splice(0, batch.length);
          settle(journal);
          trim(journal);
        };
        const done = await write(
          batch.map((row) => row.values),
          { from: journal.applied, upTo, committed }
        );
        if (done === "stale")
          throw new Error(`the audit journal ${journal.path} was applied by another writer (is the database open twice?)`);
      }
    } catch (error) {
      console.error(`[rollcall] audit rows could not be written into the database (kept in ${journal.path}, tried again in ${RETRY_MS / 1e3} s): ${error.message}`);
      for (const waiter of journal.waiting.splice(0))
        waiter.reject(error);
      journal.retry = setTimeout(() => {
        journal.retry = null;
        applyPending(journal);
      }, RETRY_MS);
      journal.retry.unref?.();
    } finally {
      journal.applying = false;
    }
    applySoon(journal);
  })();
}
function applyDue(journal) {
  if (journal.pending.length === 0)
    return false;
  const now = Date.now();
  if (now - journal.pending[0].at >= APPLY_MAX_WAIT_MS)
    return true;
  return !journal.flushing && journal.queued.length === 0 && now - journal.lastSyncedAt >= APPLY_QUIET_MS;
}
function applySoon(journal) {
  if (journal.applyTimer || journal.applying || journal.flushing || journal.retry || journal.closed || journal.pending.length === 0)
    return;
  const now = Date.now();
  const delay = Math.max(0, Math.min(APPLY_QUIET_MS - (now - journal.lastSyncedAt), APPLY_MAX_WAIT_MS - (now - journal.pending[0].at)));
  journal.applyTimer = setTimeout(() => {
    journal.applyTimer = null;
    if (applyDue(journal))
      applyPending(journal);
    else
      applySoon(journal);
  }, delay);
  journal.applyTimer.unref?.();
}
function settle(journal) {
  journal.waiting = journal.waiting.filter((waiter) => {
    if (waiter.upTo > journal.applied)
      return true;
    waiter.resolve();
    return false;
  });
}
function trim(journal) {
  if (journal.fd === null || journal.size === 0 || journal.flushing)
    return;
  try {
    if (journal.pending.length === 0) {
      fs.ftruncateSync(journal.fd, 0);
      journal.size = 0;
    } else if (journal.size > JOURNAL_REWRITE_BYTES) {
      const fresh = `${journal.path}.rewrite`;
      fs.rmSync(fresh, { force: true });
      const fd = fs.openSync(fresh, "a", 384);
      const buffer = Buffer.from(journal.pending.map((row) => journalLine(row.seq, row.values)).join(""));
      try {
        writeAll(fd, buffer);
        fs.fdatasyncSync(fd);
        fs.renameSync(fresh, journal.path);
        syncFolder(path.dirname(journal.path));
      } catch (error) {
        fs.closeSync(fd);
        throw error;
      }
      forgetFd(journal, false);
      journal.fd = fd;
      journal.size = buffer.length;
    }
  } catch (error) {
    console.error(`[rollcall] the audit journal ${journal.path} could not be trimmed: ${error.message}`);
  }
}
async function auditJournalApplied(file) {
  const opened = journals.get(file);
  if (!opened)
    return;
  const journal = await opened;
  if (journal.applied >= journal.appended)
    return;
  await new Promise((resolve, reject) => {
    journal.waiting.push({ upTo: journal.appended, resolve, reject });
    if (journal.retry) {
      clearTimeout(journal.retry);
      journal.retry = null;
    }
    applyPending(journal);
  });
}
async function closeAuditJournal(file) {
  const opened = journals.get(file);
  if (!opened)
    return;
  let journal;
  try {
    journal = await opened;
  } catch {
    return;
  }
  while (journal.flushing || journal.queued.length > 0)
    await new Promise((resolve) => setTimeout(resolve, 1));
  try {
    await auditJournalApplied(file);
  } catch {
  }
  if (journals.get(file) === opened)
    journals.delete(file);
  journal.closed = true;
  if (journal.retry)
    clearTimeout(journal.retry);
  journal.retry = null;
  if (journal.applyTimer)
    clearTimeout(journal.applyTimer);
  journal.applyTimer = null;
  forgetFd(journal, false);
}

// analytics/db.ts
var DEFAULT_DB_PATH = path2.join("data", "rollcall.duckdb");
var instances = /* @__PURE__ */ new Map();
var NEW_FILE_BLOCK_SIZE = 32768;
var NEW_FILE_STORAGE_VERSION = "v1.5.0";
async function createInstance(file) {
  if (file !== ":memory:")
    fs2.mkdirSync(path2.dirname(path2.resolve(file)), { recursive: true });
  const limit = process.env.ROLLCALL_DUCKDB_MEMORY_LIMIT;
  const options = {
    default_block_size: String(NEW_FILE_BLOCK_SIZE),
    storage_compatibility_version: NEW_FILE_STORAGE_VERSION
  };
  if (limit)
    options.memory_limit = limit;
  const instance = file === ":memory:" ? await DuckDBInstance.create(file, options) : await DuckDBInstance.fromCache(path2.resolve(file), options);
  const connection = await instance.connect();
  try {
    try {
      if (file !== ":memory:")
        await refuseNonDatabaseFile(connection, file);
      const upgrade = await ensureSchema(connection);
      if (upgrade)
        upgradedAtOpen.set(fileKey(file), upgrade);
      if (file !== ":memory:")
        await openAuditJournal(connection, fileKey(file));
    } finally {
      connection.closeSync();
    }
  } catch (error) {
    instance.closeSync();
    throw error;
  }
  return instance;
}
async function refuseNonDatabaseFile(connection, file) {
  const result = await connection.runAndReadAll("SELECT path FROM duckdb_databases() WHERE database_name = current_database()");
  if (result.getRowObjects()[0]?.path != null)
    return;
  throw new Error(notDatabaseFileWords(file));
}
function notDatabaseFileWords(file) {
  return `${path2.resolve(file)} is not a DuckDB database file (a school's database is one: rollcall init or rollcall demo makes it). To bring a register file in, give it to rollcall import (e.g. --marks FILE) and name the school's database with --db.`;
}
var upgradedAtOpen = /* @__PURE__ */ new Map();
function openInstance(file) {
  const key = fileKey(file);
  let instance = instances.get(key);
  if (!instance) {
    instance = createInstance(file);
    instances.set(key, instance);
    instance.catch(() => instances.delete(key));
  }
  return instance;
}
async function closeInstance(file) {
  const key = fileKey(file);
  const instance = instances.get(key);
  if (!instance)
    return;
  await closeAuditJournal(key);
  instances.delete(key);
  forgetFile(key);
  forgetOwedThreads(key);
  await closeKeptConnections(key);
  (await instance).closeSync();
}
function fileKey(file) {
  return file === ":memory:" ? file : path2.resolve(file);
}
async function closeQuietly(connection) {
  try {
    (await connection)?.closeSync();
  } catch {
  }
}
var keptConnections = /* @__PURE__ */ new Map();
async function closeKeptConnections(key) {
  const byPurpose = keptConnections.get(key);
  if (!byPurpose)
    return;
  keptConnections.delete(key);
  for (const connection of [...byPurpose.values()])
    await closeQuietly(connection);
}
async function withConnection(file, work) {
  const instance = await openInstance(file);
  const connection = await instance.connect();
  connectionFiles.set(connection, fileKey(file));
  try {
    await giveBackThreads(connection, fileKey(file));
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}
var openTransactions = /* @__PURE__ */ new WeakSet();
async function inTransaction(connection, work, options = {}) {
  if (openTransactions.has(connection))
    return work();
  return oneWriteAtATime(connection, async () => {
    openTransactions.add(connection);
    try {
      const result = await plainTransaction(connection, work);
      dataChanged(connection, options.changes);
      return result;
    } finally {
      openTransactions.delete(connection);
    }
  });
}
async function plainTransaction(connection, work) {
  await connection.run("BEGIN TRANSACTION");
  try {
    const result = await work();
    await connection.run("COMMIT");
    return result;
  } catch (error) {
    await connection.run("ROLLBACK");
    throw error;
  }
}
var writeQueues = /* @__PURE__ */ new Map();
async function oneWriteAtATime(connection, work) {
  if (holdingTurn.has(connection))
    return work();
  const key = connectionFiles.get(connection) ?? "";
  const before = writeQueues.get(key) ?? Promise.resolve();
  let release;
  const mine = new Promise((resolve) => release = resolve);
  const end = before.then(() => mine);
  writeQueues.set(key, end);
  await before;
  holdingTurn.add(connection);
  try {
    return await work();
  } finally {
    holdingTurn.delete(connection);
    release();
    if (writeQueues.get(key) === end)
      writeQueues.delete(key);
  }
}
var holdingTurn = /* @__PURE__ */ new WeakSet();
var oneThread = /* @__PURE__ */ new Map();
async function giveBackThreads(connection, key) {
  const entry = oneThread.get(key);
  if (!entry || entry.owed === null)
    return;
  await (entry.chain = entry.chain.then(async () => {
    if (entry.holders > 0 || entry.owed === null)
      return;
    const owed = entry.owed;
    entry.owed = null;
    await connection.run(`SET threads = ${owed}`);
  }).catch(() => {
  }));
}
function forgetOwedThreads(key) {
  const entry = oneThread.get(key);
  if (entry)
    entry.owed = null;
}
async function withOneThread(connection, work) {
  const key = connectionFiles.get(connection);
  if (key === void 0)
    return work();
  let held = oneThread.get(key);
  if (!held)
    oneThread.set(key, held = { holders: 0, original: null, owed: null, chain: Promise.resolve() });
  const entry = held;
  const step = (run) => entry.chain = entry.chain.then(run).catch(() => {
  });
  if (entry.holders++ === 0) {
    await step(async () => {
      if (entry.owed !== null) {
        entry.original = entry.owed;
        entry.owed = null;
        return;
      }
      const row = await queryOne(connection, "SELECT current_setting('threads')::INTEGER AS n");
      entry.original = Number.isInteger(row?.n) && Number(row?.n) > 1 ? Number(row?.n) : null;
      if (entry.original !== null)
        await connection.run("SET threads = 1");
    });
  }
  try {
    return await work();
  } finally {
    if (--entry.holders === 0) {
      await step(async () => {
        entry.owed = entry.original;
        entry.original = null;
      });
    }
  }
}
function toPlain(value) {
  if (value === null || value === void 0)
    return null;
  if (typeof value === "bigint")
    return Number(value);
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean")
    return value;
  if (typeof value === "object" && "toDouble" in value && typeof value.toDouble === "function") {
    return value.toDouble();
  }
  return String(value);
}
function plainRows(names, columns, rowCount) {
  const count2 = columns.length > 0 ? columns[0].length : rowCount;
  const rows = new Array(count2);
  for (let r = 0; r < count2; r++) {
    const row = {};
    for (let c2 = 0; c2 < names.length; c2++)
      row[names[c2]] = toPlain(columns[c2][r]);
    rows[r] = row;
  }
  return rows;
}
async function queryRows(connection, sql, params = {}) {
  if (Object.keys(params).length === 0)
    return resultRows(await connection.run(sql));
  let prepared;
  try {
    prepared = await connection.prepare(sql);
  } catch {
    const reader = await connection.runAndReadAll(sql, params);
    return plainRows(reader.deduplicatedColumnNames(), reader.getColumns(), reader.currentRowCount);
  }
  try {
    prepared.bind(params);
    return resultRows(await prepared.run());
  } finally {
    prepared.destroySync();
  }
}
function resultRows(result) {
  const columns = [];
  for (let i = 0, chunks = result.chunkCount; i < chunks; i++)
    result.getChunk(i).appendToColumns(columns);
  return plainRows(result.deduplicatedColumnNames(), columns, result.rowCount);
}
async function queryOne(connection, sql, params = {}) {
  const rows = await queryRows(connection, sql, params);
  return rows[0];
}
var connectionFiles = /* @__PURE__ */ new WeakMap();
var SHARED_CACHE = Symbol.for("rollcall.analytics.db.resultCache");
var shared = globalThis[SHARED_CACHE] ?? (globalThis[SHARED_CACHE] = { generations: /* @__PURE__ */ new Map(), resultCache: /* @__PURE__ */ new Map(), stats: { hits: 0, misses: 0 }, listeners: /* @__PURE__ */ new Set() });
shared.tableGenerations ??= /* @__PURE__ */ new Map();
var { generations, resultCache } = shared;
var tableGenerations = shared.tableGenerations;
var cacheStats = shared.stats;
var cacheOn = () => shared.enabled === true;
var CACHE_LIMIT = Math.max(1, Number(process.env.ROLLCALL_CACHE_ENTRIES) || 4e3);
function dataChanged(connection, tables2) {
  sharedReads.get(connection)?.clear();
  sharedDerived.get(connection)?.clear();
  const file = connectionFiles.get(connection);
  if (file && tables2 && tables2.length > 0) {
    forgetTables(file, tables2);
  } else if (!file) {
    for (const key of [...generations.keys()])
      generations.set(key, (generations.get(key) ?? 0) + 1);
    resultCache.clear();
  } else {
    forgetFile(file);
  }
  for (const listener of shared.listeners) {
    try {
      listener(file ?? null);
    } catch (error) {
      console.error("[rollcall] a listener for data changes failed:", error);
    }
  }
}
var tablePatterns = /* @__PURE__ */ new Map();
function namesTable(sql, table) {
  let pattern = tablePatterns.get(table);
  if (!pattern)
    tablePatterns.set(table, pattern = new RegExp(`\\b${table}\\b`, "i"));
  return pattern.test(sql);
}
function forgetTables(file, tables2) {
  const counts = tableGenerations.get(file) ?? /* @__PURE__ */ new Map();
  tableGenerations.set(file, counts);
  for (const table of tables2) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(table))
      throw new Error(`not a table name: "${table}"`);
    counts.set(table, (counts.get(table) ?? 0) + 1);
  }
  const prefix = `${file}\0`;
  for (const key of [...resultCache.keys()]) {
    if (key.startsWith(prefix) && tables2.some((table) => namesTable(key, table)))
      resultCache.delete(key);
  }
}
function queryGeneration(file, sql) {
  let generation = String(generations.get(file) ?? 0);
  for (const [table, count2] of tableGenerations.get(file) ?? [])
    if (namesTable(sql, table))
      generation += `.${table}${count2}`;
  return generation;
}
function forgetFile(file) {
  generations.set(file, (generations.get(file) ?? 0) + 1);
  const prefix = `${file}\0`;
  for (const key of [...resultCache.keys()])
    if (key.startsWith(prefix))
      resultCache.delete(key);
}
var paramsKey = (params) => JSON.stringify(params, (_k, v) => typeof v === "bigint" ? `${v}n` : v);
async function cachedRows(connection, sql, params = {}) {
  const { rows, kept } = await keptRows(connection, sql, params);
  return kept ? rows.map((row) => ({ ...row })) : rows;
}
async function cachedRowsToRead(connection, sql, params = {}) {
  return (await keptRows(connection, sql, params)).rows;
}
async function keptRows(connection, sql, params) {
  const file = connectionFiles.get(connection);
  const shared2 = sharedReads.get(connection);
  if (shared2 && !openTransactions.has(connection) && (!cacheOn() || !file)) {
    const key2 = `${sql}\0${paramsKey(params)}`;
    let rows2 = shared2.get(key2);
    if (!rows2) {
      rows2 = queryRows(connection, sql, params);
      rows2.catch(() => shared2.delete(key2));
      shared2.set(key2, rows2);
    }
    return { rows: await rows2, kept: true };
  }
  if (!cacheOn() || !file || openTransactions.has(connection))
    return { rows: await queryRows(connection, sql, params), kept: false };
  const key = `${file}\0${queryGeneration(file, sql)}\0${sql}\0${paramsKey(params)}`;
  let rows = resultCache.get(key);
  if (rows) {
    cacheStats.hits += 1;
    resultCache.delete(key);
  } else {
    cacheStats.misses += 1;
    rows = queryRows(connection, sql, params);
    rows.catch(() => resultCache.delete(key));
  }
  resultCache.set(key, rows);
  if (resultCache.size > CACHE_LIMIT)
    resultCache.delete(resultCache.keys().next().value);
  return { rows: await rows, kept: true };
}
var sharedReads = /* @__PURE__ */ new WeakMap();
async function withSharedReads(connection, work) {
  if (sharedReads.has(connection))
    return work();
  sharedReads.set(connection, /* @__PURE__ */ new Map());
  sharedDerived.set(connection, /* @__PURE__ */ new Map());
  try {
    return await work();
  } finally {
    sharedReads.delete(connection);
    sharedDerived.delete(connection);
  }
}
async function siblingConnection(connection) {
  const file = connectionFiles.get(connection);
  if (file === void 0 || openTransactions.has(connection) || holdingTurn.has(connection))
    return null;
  const sibling = await (await openInstance(file)).connect();
  connectionFiles.set(sibling, file);
  const reads = sharedReads.get(connection);
  const derived = sharedDerived.get(connection);
  if (reads)
    sharedReads.set(sibling, reads);
  if (derived)
    sharedDerived.set(sibling, derived);
  return sibling;
}
function closeSiblingConnection(sibling) {
  sharedReads.delete(sibling);
  sharedDerived.delete(sibling);
  sibling.closeSync();
}
function keepsWork(connection) {
  return generationKey(connection) !== void 0 || !openTransactions.has(connection) && sharedDerived.has(connection);
}
var sharedDerived = /* @__PURE__ */ new WeakMap();
function sharedWork(connection, key, make) {
  const kept = openTransactions.has(connection) ? void 0 : sharedDerived.get(connection);
  if (!kept)
    return make();
  let value = kept.get(key);
  if (!value) {
    value = make();
    value.catch(() => kept.delete(key));
    kept.set(key, value);
  }
  return value;
}
function keptWork(connection, kept, limit, key, make) {
  const generation = generationKey(connection);
  if (generation === void 0)
    return sharedWork(connection, key, make);
  const full = `${generation}\0${key}`;
  let value = kept.get(full);
  if (!value) {
    value = make();
    value.catch(() => kept.delete(full));
    kept.set(full, value);
    if (kept.size > limit)
      kept.delete(kept.keys().next().value);
  }
  return value;
}
function keptAlready(connection, kept, key) {
  const generation = generationKey(connection);
  if (generation !== void 0)
    return kept.get(`${generation}\0${key}`);
  if (openTransactions.has(connection))
    return void 0;
  return sharedDerived.get(connection)?.get(key);
}
function generationKey(connection) {
  const file = connectionFiles.get(connection);
  if (!cacheOn() || !file || openTransactions.has(connection))
    return void 0;
  return fileGenerationKey(file);
}
function fileGenerationKey(path6) {
  if (!cacheOn())
    return void 0;
  const file = fileKey(path6);
  const tables2 = [...tableGenerations.get(file) ?? []].map(([table, count2]) => `.${table}${count2}`).join("");
  return `${file}\0${generations.get(file) ?? 0}${tables2}`;
}
async function ensureTable(connection, table, ddl) {
  if (await tableExists(connection, table))
    return;
  for (const statement of ddl)
    await connection.run(statement);
}
async function tableExists(connection, table) {
  const existing = await cachedRows(
    connection,
    "SELECT 1 AS found FROM duckdb_tables() WHERE table_name = $table AND schema_name = 'main'",
    { table }
  );
  return existing.length > 0;
}
async function cachedOne(connection, sql, params = {}) {
  return (await cachedRows(connection, sql, params))[0];
}
async function closeAllInstances() {
  for (const key of [...instances.keys()])
    await closeAuditJournal(key);
  const pending = [...instances.values()];
  for (const key of instances.keys()) {
    forgetFile(key);
    forgetOwedThreads(key);
  }
  instances.clear();
  for (const key of [...keptConnections.keys()])
    await closeKeptConnections(key);
  for (const instance of pending) {
    try {
      (await instance).closeSync();
    } catch {
    }
  }
}

// analytics/users/password.ts
import { randomBytes, randomInt, scrypt as scryptCallback, timingSafeEqual } from "node:crypto";
var COST = { N: 2 ** 17, r: 8, p: 1 };

// analytics/list-words.ts
function listWords(items, last = "and") {
  return items.length <= 1 ? items[0] ?? "" : `${items.slice(0, -1).join(", ")} ${last} ${items[items.length - 1]}`;
}

// analytics/users/roles.ts
var GOVERNOR = ["view_aggregates", "view_benchmarks", "view_fgb_pack"];
var LEADER = [...GOVERNOR, "view_pupils", "view_slt_pack"];
var DATA_LEAD = [...LEADER, "import", "amend", "record_interventions", "change_settings"];
var ROLE_PERMISSIONS = {
  governor: new Set(GOVERNOR),
  slt: new Set(LEADER),
  attendance_lead: new Set(DATA_LEAD),
  head: /* @__PURE__ */ new Set([...DATA_LEAD, "write_commentary", "view_audit"]),
  admin: /* @__PURE__ */ new Set([...DATA_LEAD, "write_commentary", "view_audit", "manage_users"])
};

// analytics/time.ts
var LONDON = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short"
});
function londonParts(at) {
  const p = {};
  for (const part of LONDON.formatToParts(at))
    p[part.type] = part.value;
  const zone = p.timeZoneName === "BST" || p.timeZoneName === "GMT+1" ? "BST" : "GMT";
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second, zone };
}

// analytics/plural.ts
function plural(count2, one, many = `${one}s`) {
  return count2 === 1 ? one : many;
}

// analytics/audit.ts
var AUDIT_WRITES = Symbol.for("rollcall.analytics.audit.writes");
var writes = globalThis[AUDIT_WRITES] ??= { count: 0 };
var AUDIT_INSERT_RETURNING = `${AUDIT_INSERT} RETURNING id::INTEGER AS id`;
var AUDIT_PAGE_SIZE = 50;
var AUDIT_HEADS = Symbol.for("rollcall.analytics.audit.heads.v2");
var heads = globalThis[AUDIT_HEADS] ??= { stamp: 0, byFile: /* @__PURE__ */ new Map(), changes: [] };
var HEAD_ROWS = 4 * AUDIT_PAGE_SIZE;

// analytics/users/store.ts
var IDLE_LIMIT_MS = 8 * 60 * 60 * 1e3;
var TOUCH_EVERY_MS = 60 * 1e3;
var LOCKOUT_FAILURES = 5;
var ADDRESS_LOCKOUT_FAILURES = 30;
var LOCKOUT_WINDOW_MS = 15 * 60 * 1e3;
var ACCOUNTS_STATE = Symbol.for("rollcall.analytics.users.accountsState");
var accountsState = globalThis[ACCOUNTS_STATE] ??= { writes: 0, stableWrites: -1, stableUntil: Infinity };
var LOCKOUT_RULE = `Sign-in locks after ${LOCKOUT_FAILURES} failures for one account from one address, or ${ADDRESS_LOCKOUT_FAILURES} from one address, within ${LOCKOUT_WINDOW_MS / 6e4} minutes`;
var DEMO_MARKER = "demo_school";

// analytics/school-urn.ts
var URN_PATTERN = /^\d{6}$/;
var DEMO_URN = "900000";
async function recordedUrn(connection) {
  const row = await queryOne(connection, `SELECT value FROM meta WHERE key = 'urn'`);
  return row && URN_PATTERN.test(row.value) ? row.value : null;
}
var SchoolMismatch = class extends Error {
  constructor(recorded, named) {
    super(
      `this database holds the register of the school with URN ${recorded}, and --school ${named} names another school, so nothing was imported. Each school has its own database file: give that school's with --db FILE (a new one is made by rollcall init --school "NAME" --urn ${named} --db FILE).`
    );
    this.recorded = recorded;
    this.named = named;
  }
  name = "SchoolMismatch";
};
async function claimSchool(connection, urn) {
  if (!URN_PATTERN.test(urn))
    throw new Error(`a school's URN is six digits (got "${urn.slice(0, 20)}")`);
  const recorded = await recordedUrn(connection);
  if (recorded === urn)
    return "matched";
  if (recorded !== null)
    throw new SchoolMismatch(recorded, urn);
  await replaceMeta(connection, "urn", urn);
  return "recorded";
}

// analytics/demo/index.ts
import fs8 from "node:fs";

// analytics/import/index.ts
import fs7 from "node:fs/promises";
import path4 from "node:path";

// analytics/upn-shape.ts
var UPN_RE = /^[A-Z]\d{11}[0-9A-Z]$/;

// analytics/csv.ts
var InputError = class extends Error {
  constructor(file, line, column, reason) {
    super(`${file}:${line}:${column}: ${reason}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.reason = reason;
    this.name = "InputError";
    this.place = `line ${line}, column ${column}`;
  }
  /** The place in words: "line 3, column 4" in a text file, "row 3, column D" in a workbook (asWorkbook). */
  place;
  /** A workbook's worksheet the error is in, when known (asWorkbook). */
  sheet;
  /**
   * Says the place as a spreadsheet shows it, for an error in an .xlsx workbook (its line is
   * the sheet's row): "marks.xlsx: sheet "Marks", row 2, column B: …" rather than
   * "marks.xlsx:2:2" (trial21: a school user looks for a column letter; trial 28: and the tab).
   * `sheet`: the worksheet read, when known (else one set earlier). Returns this error, changed.
   */
  asWorkbook(sheet) {
    if (sheet !== void 0)
      this.sheet = sheet;
    this.place = `${this.sheet !== void 0 ? `sheet "${this.sheet}", ` : ""}row ${this.line}, column ${columnLetters(this.column)}`;
    this.message = `${this.file}: ${this.place}: ${this.reason}`;
    return this;
  }
};
function columnLetters(n) {
  let letters = "";
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    letters = String.fromCharCode(65 + (k - 1) % 26) + letters;
  return letters;
}
var WrongFileError = class extends InputError {
  constructor(file, line, column, reason) {
    super(file, line, column, reason);
    this.name = "WrongFileError";
  }
};
function emptyFileError(file) {
  return new WrongFileError(file, 1, 1, "the file is empty: expected a header row");
}
function parseCsv(text2, file, delimiter = ",") {
  const input = text2.charCodeAt(0) === 65279 ? text2.slice(1) : text2;
  return new CsvParser(file, delimiter).push(input, true);
}
var CsvParser = class {
  constructor(file, delimiter = ",") {
    this.file = file;
    this.delimiter = delimiter;
  }
  buffer = "";
  line = 1;
  done = false;
  /** Whether the file's first line ended at a lone CR (then every lone CR is a line end); undefined before it. */
  crLineEnds;
  /** The last line ended at a stray CR (CsvRecord.cutByCr): the next record is the rest of its row. */
  afterCut = false;
  /**
   * Adds text and returns the records it completes (a blank line is no record).
   * @param final true with the last text of the file (the last record needs no line end).
   * @throws InputError for an unclosed quote or text after a closing quote.
   */
  push(text2, final = false) {
    if (this.done)
      throw new Error("internal: CsvParser used after its final push");
    this.done = final;
    const input = this.buffer.length > 0 ? this.buffer + text2 : text2;
    const n = input.length;
    const { file, delimiter } = this;
    const records = [];
    let start = 0;
    let line = this.line;
    for (; ; ) {
      if (start >= n)
        break;
      let i = start;
      let at = line;
      const fields = [];
      let more = false;
      let loneCr = false;
      for (; ; ) {
        const fieldLine = at;
        const column = fields.length + 1;
        let value = "";
        if (input[i] === '"') {
          i++;
          let from = i;
          for (; ; ) {
            if (i >= n) {
              if (final)
                throw new InputError(file, fieldLine, column, "a quoted field is never closed");
              more = true;
              break;
            }
            const ch = input.charCodeAt(i);
            if (ch === 34) {
              if (i + 1 >= n && !final) {
                more = true;
                break;
              }
              if (input[i + 1] === '"') {
                value += input.slice(from, i + 1);
                i += 2;
                from = i;
                continue;
              }
              value += input.slice(from, i);
              i++;
              break;
            }
            if (ch === 10)
              at++;
            i++;
          }
          if (more)
            break;
          const next = input[i];
          if (i < n && next !== delimiter && next !== "\n" && next !== "\r") {
            throw new InputError(file, at, column, "unexpected text after a closing quote");
          }
        } else {
          const from = i;
          while (i < n && input[i] !== delimiter && input[i] !== "\n" && input[i] !== "\r")
            i++;
          value = input.slice(from, i);
        }
        fields.push({ value, line: fieldLine, column });
        if (i >= n) {
          if (!final)
            more = true;
          break;
        }
        const sep = input[i];
        if (sep === delimiter) {
          i++;
          continue;
        }
        if (sep === "\r" && i + 1 >= n && !final) {
          more = true;
          break;
        }
        if (sep === "\r" && input[i + 1] === "\n")
          i++;
        loneCr = sep === "\r" && input[i] === "\r";
        i++;
        at++;
        break;
      }
      if (more)
        break;
      if (this.crLineEnds === void 0)
        this.crLineEnds = loneCr;
      const cut = loneCr && !this.crLineEnds;
      if (!(fields.length === 1 && fields[0].value === "")) {
        const record = { line, fields };
        if (cut)
          record.cutByCr = true;
        if (this.afterCut)
          record.afterCr = true;
        records.push(record);
      }
      this.afterCut = cut;
      start = i;
      line = at;
      if (i >= n)
        break;
    }
    this.buffer = start >= n ? "" : input.slice(start);
    this.line = line;
    return records;
  }
};
function headerKey(header) {
  return header.toLowerCase().replace(/[^a-z0-9]/g, "");
}
function mapColumns(records, specs, file) {
  if (records.length === 0)
    throw emptyFileError(file);
  const index = mapHeader(records[0], specs, file);
  const width = records[0].fields.length;
  const rows = records.slice(1);
  for (const row of rows)
    checkWidth(row, width, file);
  return { index, rows };
}
function mapHeader(header, specs, file) {
  const index = /* @__PURE__ */ new Map();
  header.fields.forEach((field, position) => {
    const key = headerKey(field.value);
    const spec = specs.find((s) => headerKey(s.name) === key || s.aliases.some((a) => headerKey(a) === key));
    if (!spec)
      return;
    if (index.has(spec.name)) {
      throw new InputError(file, header.line, field.column, `column "${field.value}" repeats "${spec.name}"`);
    }
    index.set(spec.name, position);
  });
  const missing = specs.filter((spec) => spec.required && !index.has(spec.name));
  if (missing.length > 0) {
    const names = listWords(missing.map((spec) => `"${spec.name}"`));
    const each = (spec) => {
      const [first, ...others] = headings(spec);
      return others.length > 0 ? `${first} (or ${others.join(", ")})` : first;
    };
    const accepted = missing.length === 1 ? `accepted headings for it: ${listWords(headings(missing[0]), "or")}` : `accepted headings: ${missing.map(each).join(", ")}`;
    const data = dataInHeader(header);
    const has = data ? `the first line is a row of data, not a header (${dataWords(data)}): the file needs a header line naming its columns first` : `the header has ${headerWords(header)}`;
    throw new InputError(file, header.line, data ? data.column : 1, `missing column${missing.length === 1 ? "" : "s"} ${names}: ${has}; ${accepted}`);
  }
  return index;
}
function dataInHeader(header) {
  const upn = header.fields.find((f) => UPN_RE.test(f.value.trim()));
  if (upn)
    return upn;
  if (header.fields.some((f) => UPN_HEADERS.includes(headerKey(f.value))))
    return void 0;
  return header.fields.find((f) => LONE_DATE.test(f.value.trim()));
}
var UPN_HEADERS = ["upn", "uniquepupilnumber"];
var LONE_DATE = /^(\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/(\d{2}|\d{4}))$/;
function dataWords(field) {
  return `column ${field.column} holds ${UPN_RE.test(field.value.trim()) ? "the UPN" : "the date"} "${field.value}"`;
}
function headings(spec) {
  const seen = /* @__PURE__ */ new Set();
  return [spec.name, ...spec.aliases].filter((a) => !seen.has(headerKey(a)) && seen.add(headerKey(a))).map((a) => `"${a}"`);
}
function headerWords(header) {
  const found = header.fields.map((f) => `"${f.value.length > 40 ? `${f.value.slice(0, 40)}\u2026` : f.value}"`);
  return (found.length > 20 ? [...found.slice(0, 20), `and ${found.length - 20} more`] : found).join(", ");
}
function checkWidth(row, width, file) {
  if (row.fields.length !== width)
    throw widthError(row, width, file);
}
function widthError(row, width, file) {
  const found = row.fields.length;
  const cut = row.cutByCr && found < width ? `: the row ends at a carriage return (a CR character with no line feed after it) after field ${found}, and what follows it is read as the next line; remove that character (a value pasted from another program can bring one)` : row.afterCr ? ": this line is the rest of the row before it, cut by a carriage return (a CR character with no line feed after it); remove that character" : "";
  return new InputError(file, row.line, Math.min(found, width) + 1, `expected ${width} fields as in the header, found ${found}${cut}`);
}
function fieldOf(table, row, name) {
  const position = table.index.get(name);
  return position === void 0 ? void 0 : row.fields[position];
}

// analytics/cli/context.ts
import { AsyncLocalStorage } from "node:async_hooks";
var cliContext = new AsyncLocalStorage();
var endedCallers = /* @__PURE__ */ new WeakSet();
function cliCaller() {
  const context = cliContext.getStore();
  return context && !endedCallers.has(context) ? context : void 0;
}
function cliEnv(name) {
  const context = cliCaller();
  return context ? context.env[name] : process.env[name];
}

// analytics/periods.ts
import { addDays as addDays2, endOfMonth, format as format3, isValid, parseISO as parseISO3, startOfISOWeek, subWeeks } from "date-fns";

// analytics/register-due.ts
import { addDays, format, parseISO } from "date-fns";
var DEFAULT_REGISTER_CLOSES = Object.freeze({ AM: "09:30", PM: "13:35" });
function registerClosesProblem(closes) {
  return closes.AM < closes.PM ? null : `the morning register closes before the afternoon's (got morning ${closes.AM}, afternoon ${closes.PM})`;
}
function momentOf(fixed, clock = /* @__PURE__ */ new Date()) {
  const match = fixed ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?$/.exec(fixed.trim()) : null;
  if (match)
    return { date: match[1], time: match[2] ?? "00:00" };
  const p = londonParts(clock);
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}
function dueThrough(date) {
  return { date, pm: true };
}
function dueParams(due) {
  return { due_date: due.date, due_pm: due.pm };
}
function dueSessionSql(date, pm) {
  return `(${date} < $due_date::DATE OR (${date} = $due_date::DATE AND (NOT ${pm} OR $due_pm::BOOLEAN)))`;
}
function sessionDue(due, date, pm) {
  return date < due.date || date === due.date && (!pm || due.pm);
}

// analytics/period-names.ts
import { addYears, format as format2, parseISO as parseISO2 } from "date-fns";
function academicYearOf(date) {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const start = month >= 8 ? year : year - 1;
  return `${String(start).padStart(4, "0")}/${String((start + 1) % 100).padStart(2, "0")}`;
}
function parseAcademicYear(text2, pattern) {
  const match = pattern.exec(text2);
  if (!match)
    return { start: null, why: "shape" };
  const start = Number(match[1]);
  return (start + 1) % 100 === Number(match[2]) ? { start, why: null } : { start: null, why: "sequence" };
}
function academicYearBounds(academicYear) {
  const year = parseAcademicYear(academicYear, /^(\d{4})\/(\d{2})$/);
  if (year.why === "shape")
    throw new Error(`academic year must look like 2025/26 (got "${academicYear}")`);
  if (year.why === "sequence")
    throw new Error(`"${academicYear}" is not a valid academic year`);
  const start = year.start;
  return { from: `${start}-08-01`, to: `${start + 1}-07-31` };
}
function formatTermKey(key) {
  const parts = key.split("-");
  return parts.map((part, i) => i === 0 ? part.charAt(0).toUpperCase() + part.slice(1) : part).join(" ");
}
function samePeriodLastYear(period) {
  const shift = (date) => format2(addYears(parseISO2(date), -1), "yyyy-MM-dd");
  return { from: shift(period.from), to: shift(period.to) };
}
function previousAcademicYear(year) {
  const start = Number(year.slice(0, 4)) - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

// analytics/periods.ts
function currentDate() {
  return currentMoment().date;
}
function currentMoment() {
  return momentOf(cliEnv("ROLLCALL_TODAY") ?? process.env.ROLLCALL_TODAY);
}
async function termBounds(connection, termKey2) {
  if (!/^(autumn|spring|summer)-\d{4}$/.test(termKey2))
    throw new Error(`a term looks like autumn-2026, spring-2027 or summer-2027 (got "${termKey2}")`);
  const row = await cachedOne(
    connection,
    `SELECT strftime(min(date), '%Y-%m-%d') AS "from", strftime(max(date), '%Y-%m-%d') AS "to" FROM school_days WHERE term = $term`,
    { term: termKey2 }
  );
  return row?.from && row.to ? { from: row.from, to: row.to } : void 0;
}
async function registerMarkSpan(connection) {
  const rows = await cachedRows(
    connection,
    `SELECT strftime(min(date), '%Y-%m-%d') AS first, strftime(max(date), '%Y-%m-%d') AS last FROM mark_store`
  );
  const { first, last } = rows[0] ?? { first: null, last: null };
  return first && last ? { first, last } : null;
}
async function academicYearsWithMarks(connection) {
  const span = await registerMarkSpan(connection);
  if (!span)
    return [];
  const { first, last } = span;
  const years = [];
  for (let year = academicYearOf(last); ; ) {
    years.push(year);
    if (year === academicYearOf(first))
      break;
    const start = Number(year.slice(0, 4)) - 1;
    year = `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
  }
  return years;
}

// analytics/import/calendar.ts
import { DuckDBDateValue, listValue as listValue2 } from "@duckdb/node-api";

// analytics/import/readers/delimited.ts
var SEP_LINE = /^sep=(.)\s*(?:\r\n|\n|\r|$)/i;
var CANDIDATES = [",", ";", "	"];
function detectDelimiter(firstLine) {
  const counts = new Map(CANDIDATES.map((c2) => [c2, 0]));
  let quoted = false;
  for (const ch of firstLine) {
    if (ch === '"')
      quoted = !quoted;
    else if (!quoted && counts.has(ch))
      counts.set(ch, counts.get(ch) + 1);
  }
  let best = ",";
  for (const c2 of CANDIDATES)
    if (counts.get(c2) > counts.get(best))
      best = c2;
  return best;
}
function headerLine(text2) {
  for (const line of text2.split(/\r\n|\n|\r/, 50))
    if (/[^,;\t\s]/.test(line))
      return line;
  return "";
}
var isEmptyRecord = (record) => record.fields.every((f) => f.value.trim() === "");
function readDelimited(text2, file) {
  const body = text2.charCodeAt(0) === 65279 ? text2.slice(1) : text2;
  const sep = SEP_LINE.exec(body);
  const delimiter = sep ? sep[1] : detectDelimiter(headerLine(body));
  let records = parseCsv(body, file, delimiter);
  if (sep)
    records = records.slice(1);
  return { records: tidyRecords(records), delimiter };
}
function tidyRecords(all) {
  const records = all.filter((r) => !isEmptyRecord(r));
  if (records.length === 0)
    return records;
  const width = records[0].fields.length;
  return records.map((record, i) => i === 0 ? record : tidyRecord(record, width));
}
function tidyRecord(record, width) {
  const fields = record.fields;
  if (fields.length === width - 1 && !record.cutByCr && !record.afterCr) {
    const last = fields[fields.length - 1];
    return { ...record, fields: [...fields, { value: "", line: last.line, column: width }] };
  }
  if (fields.length > width && fields.slice(width).every((f) => f.value.trim() === "")) {
    return { ...record, fields: fields.slice(0, width) };
  }
  return record;
}

// analytics/import/limits.ts
var MAX_NAME_CHARS = 100;
var MAX_REG_GROUP_CHARS = 40;
var MAX_ETHNICITY_CHARS = 8;
var MAX_FIELD_CHARS = 200;
var MIN_AGE_ON_ADMISSION = 2;
var MAX_AGE_ON_ADMISSION = 13;
var MAX_QUOTED_CHARS = 40;
var MAX_REPORTED_ERRORS = 50;
function quote(value) {
  const shown = value.length > MAX_QUOTED_CHARS ? `${value.slice(0, MAX_QUOTED_CHARS)}\u2026` : value;
  const safe = shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const more = value.length > MAX_QUOTED_CHARS ? ` (${value.length.toLocaleString("en-GB")} characters)` : "";
  return `"${safe}"${more}`;
}
var CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
function textProblem(value, max, label) {
  const control = CONTROL_RE.exec(value);
  if (control) {
    const code = control[0].charCodeAt(0);
    const what = code === 0 ? "a NUL byte" : `a control character (U+${code.toString(16).toUpperCase().padStart(4, "0")})`;
    return `${label} contains ${what} at character ${control.index + 1}: no register holds one`;
  }
  if (value.length > max)
    return `${label} is ${value.length.toLocaleString("en-GB")} characters long; the limit is ${max}`;
  return void 0;
}

// analytics/import/values.ts
import { createHash } from "node:crypto";

// analytics/packs/format.ts
import { format as format4, parseISO as parseISO4 } from "date-fns";
import { enGB } from "date-fns/locale";

// analytics/thresholds.ts
function meetsTarget(value, target) {
  return value >= target;
}
function targetStatusOf(value, target) {
  return value > target ? "above" : value === target ? "at" : "below";
}
function decimalsBesideLine(value, line) {
  return targetDigits(value, line).digits;
}
function decimalsBesideLines(value, lines) {
  return Math.max(1, ...lines.map((line) => line === value ? 1 : decimalsBesideLine(value, line)));
}
var MAX_TARGET_DIGITS = 3;
function maxDigits(target) {
  return Math.max(MAX_TARGET_DIGITS, typedDigits(target));
}
function targetDigits(value, target) {
  if (value === target)
    return { digits: Math.max(1, typedDigits(target)), close: false };
  const cap = maxDigits(target);
  let digits = 1;
  while (digits <= cap && Number(value.toFixed(digits)) === Number(target.toFixed(digits)))
    digits++;
  if (digits > cap)
    return { digits: Math.max(1, typedDigits(target)), close: true };
  return { digits, close: false };
}
function typedDecimals(value) {
  const typed = String(value);
  return typed.includes(".") && !typed.includes("e") ? typed.length - typed.indexOf(".") - 1 : 0;
}
function typedDigits(target) {
  return Math.min(typedDecimals(target), 4);
}
function targetVerdict(value, target) {
  const status = targetStatusOf(value, target);
  const { digits, close } = targetDigits(value, target);
  const words = status === "above" ? "above target" : status === "at" ? "on target" : "below target";
  if (close) {
    const cap = maxDigits(target);
    const bound = `less than ${(10 ** -cap).toFixed(cap)}`;
    const figure2 = `${value.toFixed(digits)}%`;
    const side = status === "above" ? "over" : "under";
    return {
      status,
      meets: status !== "below",
      words: `just ${words}`,
      figure: `${figure2} rounded`,
      why: `${figure2} rounded, ${side} ${formatThreshold(target, 1)} by ${bound} points`,
      precise: true,
      close: true,
      gap: value - target,
      points: `${status === "above" ? "+" : "\u2212"}<${(10 ** -cap).toFixed(cap)} pts`,
      size: bound,
      said: `just ${words} (${figure2} rounded, ${side} ${formatThreshold(target, 1)} by ${bound} points)`
    };
  }
  const gapDigits = Math.max(digits, typedDigits(target));
  const scale = 10 ** gapDigits;
  const gap2 = Math.round(Number(value.toFixed(digits)) * scale - target * scale) / scale;
  const sign = gap2 > 0 ? "+" : gap2 < 0 ? "\u2212" : "\xB1";
  const figure = `${value.toFixed(digits)}%`;
  return {
    status,
    meets: status !== "below",
    words,
    figure,
    why: figure,
    precise: digits > 1,
    close: false,
    gap: gap2,
    points: `${sign}${Math.abs(gap2).toFixed(gapDigits)} pts`,
    size: Math.abs(gap2).toFixed(gapDigits),
    said: status === "at" ? words : `${Math.abs(gap2).toFixed(gapDigits)} pts ${words}${digits > 1 ? ` (${figure})` : ""}`
  };
}
function formatThreshold(value, minDigits = 1) {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new Error(`a policy threshold must be a finite number, not ${String(value)}`);
  return `${value.toFixed(Math.max(minDigits, Math.min(typedDecimals(value), 6)))}%`;
}
function numberInWords(value) {
  return formatThreshold(value, 0).slice(0, -1);
}
function fillNumberSlots(words, valueOf) {
  return words.replace(/\{([a-z_]+)\}/g, (_slot, key) => numberInWords(valueOf(key)));
}

// analytics/packs/format.ts
var NO_FIGURE = "\u2014";
function pct(value) {
  return value === null || value === void 0 || Number.isNaN(value) ? NO_FIGURE : `${value.toFixed(1)}%`;
}
function points(value) {
  if (value === null || value === void 0 || Number.isNaN(value))
    return NO_FIGURE;
  const rounded = Number(value.toFixed(1));
  const sign = rounded > 0 ? "+" : rounded < 0 ? "\u2212" : "\xB1";
  return `${sign}${Math.abs(rounded).toFixed(1)} pts`;
}
function count(value) {
  return value.toLocaleString("en-GB");
}
function capitalise(words) {
  return words.charAt(0).toUpperCase() + words.slice(1);
}
function ukDate(iso2, pattern = "d MMM yyyy") {
  return format4(parseISO4(iso2), pattern, { locale: enGB });
}
function periodLine(label, period) {
  const from = ukDate(period.from);
  const to = ukDate(period.to);
  const tail = ` to ${to}`;
  return label.endsWith(tail) ? `${from} to ${to} (${label.slice(0, -tail.length)} so far)` : `${label}: ${from} to ${to}`;
}
function cellText(cell2) {
  switch (cell2.kind) {
    case "text":
    case "suppressed":
    case "tag":
      return cell2.text;
    case "count":
      return count(cell2.value);
    case "pct":
      if (cell2.value !== null && cell2.lines !== void 0)
        return `${cell2.value.toFixed(decimalsBesideLines(cell2.value, cell2.lines))}%`;
      return cell2.setting && cell2.value !== null ? formatThreshold(cell2.value, 1) : pct(cell2.value);
    case "points":
      return points(cell2.value);
    case "date":
      return cell2.month ? ukDate(cell2.value, "MMM yyyy") : ukDate(cell2.value);
  }
}
var text = (value) => ({ kind: "text", text: value });
var num = (value) => ({ kind: "count", value });
var rate = (value) => ({ kind: "pct", value });
var settingRate = (value) => ({ kind: "pct", value, setting: true });
var rateBesideLines = (value, lines) => ({ kind: "pct", value, lines });
var diff = (value) => ({ kind: "points", value });
var day = (value) => ({ kind: "date", value });

// analytics/import/values.ts
var PREVIEW_ROWS = 100;
var DAY_MS = 864e5;
function isoToDays(iso2) {
  return Date.UTC(Number(iso2.slice(0, 4)), Number(iso2.slice(5, 7)) - 1, Number(iso2.slice(8, 10))) / DAY_MS;
}
function daysToIso(days) {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}
function addDays3(iso2, n) {
  return daysToIso(isoToDays(iso2) + n);
}
var ISO_RE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
var UK_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
var MIDNIGHT_RE = /[ T]00:00(?::00(?:\.0+)?)?Z?$/;
function normaliseDate(text2) {
  const value = text2.trim().replace(MIDNIGHT_RE, "");
  let y, m, d;
  let match = ISO_RE.exec(value);
  if (match) {
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if (match = UK_RE.exec(value)) {
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return void 0;
  }
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
    return void 0;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > daysInMonth)
    return void 0;
  return `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}
var dateCache = /* @__PURE__ */ new Map();
function parseDate(field, file, label) {
  let iso2 = dateCache.get(field.value);
  if (iso2 === void 0) {
    iso2 = normaliseDate(field.value) ?? null;
    if (dateCache.size > 1e4)
      dateCache.clear();
    dateCache.set(field.value, iso2);
  }
  if (iso2 === null) {
    const shown = field.value.trim() === "" ? "an empty value" : quote(field.value);
    throw new InputError(file, field.line, field.column, `${label}: ${shown} is not a date (expected YYYY-MM-DD or DD/MM/YYYY)`);
  }
  return iso2;
}
function parseOptionalDate(field, file, label) {
  return field.value.trim() === "" ? null : parseDate(field, file, label);
}
function parseRequiredText(field, file, label, max = MAX_FIELD_CHARS) {
  const value = parseText(field, file, label, max);
  if (value === "")
    throw new InputError(file, field.line, field.column, `${label} is empty`);
  return value;
}
function parseText(field, file, label, max = MAX_FIELD_CHARS) {
  const value = field.value.trim();
  const problem = textProblem(value, max, label);
  if (problem)
    throw new InputError(file, field.line, field.column, problem);
  return value;
}
function parseFlag(field, file, label) {
  const value = field.value.trim().toUpperCase();
  if (value === "Y" || value === "YES")
    return "Y";
  if (value === "N" || value === "NO")
    return "N";
  throw new InputError(file, field.line, field.column, `${label} must be Y or N, not ${quote(field.value)}`);
}
function parseSex(field, file) {
  const value = field.value.trim().toUpperCase();
  if (value === "M" || value === "MALE")
    return "M";
  if (value === "F" || value === "FEMALE")
    return "F";
  throw new InputError(file, field.line, field.column, `sex must be M or F, not ${quote(field.value)}`);
}
function parseSen(field, file) {
  const value = field.value.trim().toUpperCase();
  if (value === "E" || value === "K" || value === "N")
    return value;
  throw new InputError(file, field.line, field.column, `SEN provision must be E (EHC plan), K (SEN support) or N (none), not ${quote(field.value)}`);
}
var CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";
function upnCheckLetter(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    const value = /\d/.test(ch) ? Number(ch) : CHECK_LETTERS.indexOf(ch);
    sum += value * (i + 2);
  }
  return CHECK_LETTERS[sum % 23];
}
function mistypedUpnWords(upn) {
  if (!UPN_RE.test(upn))
    return "";
  const expected = upnCheckLetter(upn.slice(1));
  return expected === upn[0] ? "" : ` (or mistyped: its check letter is not the one the DfE's UPN algorithm gives for its digits, which would start it with ${expected})`;
}
function parseUpn(field, file) {
  const value = field.value.trim();
  if (!UPN_RE.test(value)) {
    throw new InputError(file, field.line, field.column, `${quote(field.value)} is not a UPN (a capital letter, 11 digits, then a digit or capital letter)`);
  }
  return value;
}
function parseYearGroup(field, file) {
  const compact = field.value.trim().toUpperCase().replace(/[\s_.-]+/g, "");
  const stripped = compact.replace(/^(YEAR|YR|Y|NCYEAR)(?=\d|R$)/, "");
  let value;
  if (/^(\d{1,2})$/.test(stripped) && Number(stripped) >= 1 && Number(stripped) <= 13)
    value = String(Number(stripped));
  else if (stripped === "R" || stripped === "RECEPTION" || stripped === "REC")
    value = "R";
  else if (/^(N|NURSERY)([12])$/.test(stripped))
    value = `N${stripped.slice(-1)}`;
  if (value === void 0) {
    throw new InputError(file, field.line, field.column, `year group ${quote(field.value)} is not one of N1, N2, R, 1\u201313 (also written "Year 3" or "Y3")`);
  }
  return value;
}
function parseMinutesLate(field, file) {
  if (!field)
    return null;
  const value = field.value.trim();
  if (value === "")
    return null;
  if (!/^\d+$/.test(value) || Number(value) > 32767) {
    throw new InputError(file, field.line, field.column, `minutes late must be a whole number of minutes (0 or more) or empty, not ${quote(field.value)}`);
  }
  return Number(value);
}
function requiredField(table, row, name) {
  const field = fieldOf(table, row, name);
  if (!field)
    throw new Error(`internal: column ${name} was not mapped`);
  return field;
}
function columnOf(table, name) {
  const position = table.index.get(name);
  return position === void 0 ? 1 : position + 1;
}
function sha256(text2) {
  return createHash("sha256").update(text2, "utf8").digest("hex");
}
function academicYearStart(iso2) {
  const year = Number(iso2.slice(0, 4));
  return Number(iso2.slice(5, 7)) >= 8 ? year : year - 1;
}
function academicYearLabel(startYear) {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`;
}
async function nextImportId(conn) {
  const row = await queryOne(conn, "SELECT nextval('import_id_seq')::INTEGER AS id");
  if (!row)
    throw new Error("internal: import_id_seq returned nothing");
  return row.id;
}
async function recordImport(conn, importId, summary, text2, by) {
  await conn.run(
    `INSERT INTO imports (import_id, kind, file_name, sha256, rows_read, rows_inserted, rows_amended, rows_unchanged,
                          imported_at, imported_by, imported_by_role)
     VALUES ($id, $kind, $file, $sha, $read, $inserted, $amended, $unchanged, current_localtimestamp(), $by, $role)`,
    {
      id: importId,
      kind: summary.kind,
      file: summary.file,
      sha: typeof text2 === "string" ? sha256(text2) : text2.sha256,
      read: summary.rowsRead,
      inserted: summary.inserted,
      amended: summary.amended,
      unchanged: summary.unchanged,
      by: by.name,
      role: by.role
    }
  );
}

// analytics/import/checks-marks.ts
async function hits(conn, sql, params = {}) {
  return queryRows(conn, `SELECT *, count(*) OVER ()::INTEGER AS total FROM (${sql}) ORDER BY ALL LIMIT ${MAX_REPORTED_ERRORS}`, params);
}
function add(problems, rows, make) {
  if (rows.length > 0)
    problems.addCounted(rows.map(make), rows[0].total);
}
var WEEKDAYS = ["", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
function byDatePlace(stage, where, select = "", join = "") {
  return `SELECT s.date_line AS line, s.date_col AS col, strftime(s.date, '%Y-%m-%d') AS date,
                 count(DISTINCT s.line)::INTEGER AS rows, bool_or(s.date_line <> s.line)::INTEGER AS in_header${select}
          FROM ${stage} s ${join}
          WHERE ${where}
          GROUP BY s.date_line, s.date_col, s.date`;
}
function inColumn(r) {
  if (!r.in_header)
    return "";
  const rows = Number(r.rows);
  return ` (${rows} ${rows === 1 ? "row has a mark" : "rows have marks"} in this column)`;
}
async function dropClosureMarks(conn, stage) {
  const row = await queryOne(
    conn,
    `SELECT count(*)::INTEGER AS n FROM ${stage} WHERE code = '#' AND date IN (SELECT date FROM closures)`
  );
  if (row && row.n > 0)
    await conn.run(`DELETE FROM ${stage} WHERE code = '#' AND date IN (SELECT date FROM closures)`);
  return row?.n ?? 0;
}
function closureOnOpenSessionSql(staged) {
  return `WITH staged AS (${staged}),
     hash AS (SELECT s.* FROM staged s WHERE s.code = '#' AND s.date IN (SELECT date FROM school_days)),
     spells AS (SELECT upn, valid_from, valid_to, year_group FROM pupil_characteristics),
     hash_year AS (
       SELECT h.*, sp.year_group FROM hash h
       JOIN spells sp ON sp.upn = h.upn AND sp.valid_from <= h.date AND (sp.valid_to IS NULL OR sp.valid_to >= h.date)),
     open_marks AS (
       SELECT s.upn, s.date, s.pm, s.code FROM staged s
       WHERE s.code NOT IN ('#', 'Z') AND EXISTS (SELECT 1 FROM hash h WHERE h.date = s.date AND h.pm = s.pm)
       UNION ALL
       SELECT k.upn, m.date, m.pm, m.code::VARCHAR AS code FROM mark_store m JOIN pupil_ids k USING (pupil_id)
       WHERE m.code::VARCHAR NOT IN ('#', 'Z') AND EXISTS (SELECT 1 FROM hash h WHERE h.date = m.date AND h.pm = m.pm)
         AND NOT EXISTS (SELECT 1 FROM staged s WHERE s.upn = k.upn AND s.date = m.date AND s.pm = m.pm))
     SELECT h.line, h.code_column, h.upn, strftime(h.date, '%Y-%m-%d') AS date, CASE WHEN h.pm THEN 'PM' ELSE 'AM' END AS session,
            h.year_group, count(DISTINCT o.upn)::INTEGER AS open_pupils, min(o.upn) AS example_upn, arg_min(o.code, o.upn) AS example_code
     FROM hash_year h
     JOIN open_marks o ON o.date = h.date AND o.pm = h.pm AND o.upn <> h.upn
     JOIN spells so ON so.upn = o.upn AND so.valid_from <= o.date AND (so.valid_to IS NULL OR so.valid_to >= o.date) AND so.year_group = h.year_group
     GROUP BY ALL`;
}
async function checkStagedMarks(conn, stage, file, problems, today, pending = /* @__PURE__ */ new Set()) {
  add(
    problems,
    await hits(
      conn,
      `SELECT line, first_line, upn, strftime(date, '%Y-%m-%d') AS date, session, session_col AS col FROM (
         SELECT line, upn, date, session, session_col, min(line) OVER (PARTITION BY upn, date, session) AS first_line FROM ${stage})
       WHERE line > first_line`
    ),
    (r) => new InputError(file, r.line, Number(r.col), `duplicate session: ${r.upn} ${r.date} ${r.session} is already given on line ${r.first_line}`)
  );
  add(
    problems,
    await hits(
      conn,
      `SELECT s.line, s.upn_col AS col, s.upn FROM ${stage} s ANTI JOIN pupils p ON p.upn = s.upn
       WHERE NOT list_contains(from_json($pending, '["VARCHAR"]'), s.upn)`,
      { pending: JSON.stringify([...pending]) }
    ),
    (r) => new InputError(file, r.line, Number(r.col), `unknown pupil ${r.upn}: import the pupil first${mistypedUpnWords(String(r.upn))}`)
  );
  add(
    problems,
    await hits(
      conn,
      `SELECT s.line, s.date_col AS col, s.upn, s.code, strftime(s.date, '%Y-%m-%d') AS date,
              strftime(p.admission_date, '%Y-%m-%d') AS admission_date, strftime(p.leaving_date, '%Y-%m-%d') AS leaving_date
       FROM ${stage} s JOIN pupils p ON p.upn = s.upn
       WHERE (s.date < p.admission_date OR s.date > p.leaving_date) AND s.code <> 'Z'`
    ),
    (r) => new InputError(
      file,
      r.line,
      Number(r.col),
      `${r.upn} was not on roll on ${r.date} (admitted ${r.admission_date}` + (r.leaving_date ? `, left ${r.leaving_date})` : ")") + `: only Z (not on roll) may be recorded outside a pupil's time on roll, not "${r.code}"`
    )
  );
  add(
    problems,
    await hits(conn, byDatePlace(stage, "isodow(s.date) > 5", ", any_value(isodow(s.date))::INTEGER AS dow")),
    (r) => new InputError(file, r.line, Number(r.col), `${r.date} is a ${WEEKDAYS[Number(r.dow)]}: registers are taken on school days only${inColumn(r)}`)
  );
  add(
    problems,
    await hits(
      conn,
      `WITH covered AS (
         SELECT DISTINCT CASE WHEN month(start_date) >= 8 THEN year(start_date) ELSE year(start_date) - 1 END AS ay FROM calendar_periods)
       ${byDatePlace(
        stage,
        `isodow(s.date) <= 5
         AND (CASE WHEN month(s.date) >= 8 THEN year(s.date) ELSE year(s.date) - 1 END) IN (SELECT ay FROM covered)
         AND s.date NOT IN (SELECT date FROM school_days)`,
        ", any_value(c.reason) AS reason",
        "LEFT JOIN closures c ON c.date = s.date"
      )}`
    ),
    (r) => new InputError(
      file,
      r.line,
      Number(r.col),
      r.reason !== null ? `${r.date} is a closure in the school's calendar (${r.reason}), not a school day${inColumn(r)}` : `${r.date} is in a holiday in the school's calendar (outside every half term), not a school day${inColumn(r)}`
    )
  );
  const hashes = await queryOne(conn, `SELECT count(*)::INTEGER AS n FROM ${stage} WHERE code = '#'`);
  add(
    problems,
    (hashes?.n ?? 0) === 0 ? [] : await hits(conn, closureOnOpenSessionSql(`SELECT line, upn, date, session = 'PM' AS pm, code, code_column FROM ${stage}`)),
    (r) => new InputError(
      file,
      r.line,
      Number(r.code_column),
      `${r.upn} ${r.date} ${r.session}: "#" (planned school closure) on a school day in the school's calendar, but the school was open to Year ${r.year_group} that session: ${r.open_pupils} other ${r.open_pupils === 1 ? "pupil" : "pupils"} of Year ${r.year_group} ${r.open_pupils === 1 ? "has" : "have"} a mark for it (${r.example_upn} "${r.example_code}"). If the school was closed that day, add the closure to the calendar first; otherwise give the pupil's own mark`
    )
  );
  add(
    problems,
    await hits(conn, byDatePlace(stage, "s.date > $today::DATE"), { today }),
    (r) => new InputError(file, r.line, Number(r.col), `${r.date} is after today (${today}): a register cannot hold a session that has not happened${inColumn(r)}`)
  );
}
async function storedMarksOffCalendar(conn, file, years, rowOfDate) {
  if (years.length === 0)
    return { errors: [], total: 0 };
  const rows = await queryRows(
    conn,
    `SELECT m.upn, strftime(m.date, '%Y-%m-%d') AS date, m.session::VARCHAR AS session, m.code::VARCHAR AS code, c.reason,
            count(*) OVER ()::INTEGER AS total
     FROM marks m LEFT JOIN closures c ON c.date = m.date
     WHERE (CASE WHEN month(m.date) >= 8 THEN year(m.date) ELSE year(m.date) - 1 END) IN (SELECT unnest($years::INTEGER[]))
       AND m.date NOT IN (SELECT date FROM school_days)
     ORDER BY m.date, m.upn, m.session LIMIT ${MAX_REPORTED_ERRORS}`,
    { years: `[${years.join(",")}]` }
  );
  const errors = rows.map((r) => {
    const at = rowOfDate(r.date);
    const why = r.reason !== null ? `a closure (${r.reason})` : isWeekend(r.date) ? "a weekend" : "outside every half term";
    return new InputError(
      file,
      at.line,
      at.column,
      `this calendar makes ${r.date} ${why}, but the register holds a mark for it (${r.upn} ${r.session} "${r.code}"): correct the calendar, or amend that mark first`
    );
  });
  return { errors, total: rows[0]?.total ?? 0 };
}
function isWeekend(iso2) {
  const day2 = (/* @__PURE__ */ new Date(`${iso2}T00:00:00Z`)).getUTCDay();
  return day2 === 0 || day2 === 6;
}

// analytics/import/problems.ts
var ImportRefused = class extends InputError {
  constructor(errors, total, notes = []) {
    const first = errors[0];
    super(first.file, first.line, first.column, first.reason);
    this.errors = errors;
    this.total = total;
    this.notes = notes;
    this.name = "ImportRefused";
    this.message = this.listed();
  }
  /**
   * One refusal of several files' (each an ImportRefused or a single InputError), in the order
   * given, each file's errors as it listed them, with `notes`: an import of a faulty pupils file
   * and a faulty marks file named the pupils file's faults only, the marks file's on the next
   * try (trial 29), where every fault is to be fixed in one pass.
   */
  static together(refusals, notes = []) {
    const errors = refusals.flatMap((r) => r instanceof ImportRefused ? r.errors : [r]);
    const total = refusals.reduce((sum, r) => sum + (r instanceof ImportRefused ? r.total : 1), 0);
    return new ImportRefused(errors, total, [...refusals.flatMap((r) => r instanceof ImportRefused ? r.notes : []), ...notes]);
  }
  listed() {
    const more = this.total > this.errors.length ? `
\u2026 and ${this.total - this.errors.length} more error(s) not listed (the first ${this.errors.length} are shown)` : "";
    return [this.errors.map((e) => e.message).join("\n") + more, ...this.notes].join("\n");
  }
  /**
   * Each listed error of the workbook `file` (default the first error's) said as a spreadsheet
   * shows its place (InputError.asWorkbook); `sheet` the worksheet read.
   */
  asWorkbook(sheet, file = this.file) {
    if (file === this.file && sheet !== void 0)
      this.sheet = sheet;
    for (const error of this.errors)
      if (error.file === file)
        error.asWorkbook(file === this.file ? this.sheet : sheet);
    this.place = this.errors[0].place;
    this.message = this.listed();
    return this;
  }
};
function byPosition(a, b) {
  return a.line - b.line || a.column - b.column;
}
var Problems = class {
  list = [];
  /** The errors kept, by file position and reason: the same fault found twice (both sessions of a week string's day after today, every mark of an unknown pupil's row) is said once. */
  seen = /* @__PURE__ */ new Set();
  rowErrors = 0;
  total = 0;
  /** False when the same error (position and reason) is already kept. */
  isNew(error) {
    const key = `${error.file}\0${error.line}\0${error.column}\0${error.reason}`;
    if (this.seen.has(key))
      return false;
    this.seen.add(key);
    return true;
  }
  /**
   * Adds an error found row by row. Rows are checked in file order, so only the first
   * MAX_REPORTED_ERRORS are kept; the rest are counted.
   */
  add(error) {
    if (!error || !this.isNew(error))
      return;
    this.total++;
    if (this.rowErrors++ < MAX_REPORTED_ERRORS)
      this.list.push(error);
  }
  /** Adds errors found in SQL (the earliest MAX_REPORTED_ERRORS of a check), of which `total` exist. */
  addCounted(errors, total) {
    const fresh = errors.filter((e) => this.isNew(e));
    this.list.push(...fresh);
    this.total += total - (errors.length - fresh.length);
  }
  get any() {
    return this.total > 0;
  }
  /** Throws the errors (earliest first, at most MAX_REPORTED_ERRORS), if there are any. */
  refuse() {
    if (this.total === 0)
      return;
    const sorted = [...this.list].sort(byPosition).slice(0, MAX_REPORTED_ERRORS);
    throw new ImportRefused(sorted, this.total);
  }
  /** The checks of one row, each field on its own (RowChecks). */
  row() {
    return new RowChecks(this);
  }
};
var RowChecks = class {
  constructor(problems) {
    this.problems = problems;
  }
  failed = false;
  /** Runs one field's check: its value, or undefined when it threw an InputError (kept). */
  value(work) {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof InputError))
        throw error;
      this.add(error);
      return void 0;
    }
  }
  /** The row's values when every check passed (none is then undefined), else undefined. */
  complete(values) {
    if (this.failed)
      return void 0;
    for (const value of Object.values(values))
      if (value === void 0)
        throw new Error("internal: a row's value is missing though every check passed");
    return values;
  }
  /** Keeps a fault found without a throw. */
  add(error) {
    this.failed = true;
    this.problems.add(error);
  }
};

// analytics/import/calendar.ts
var CALENDAR_COLUMNS = [
  { name: "kind", aliases: ["Kind", "Type"], required: true },
  { name: "name", aliases: ["Name", "Description", "Reason"], required: true },
  { name: "start_date", aliases: ["Start Date", "Start", "From", "First Day"], required: true },
  { name: "end_date", aliases: ["End Date", "End", "To", "Last Day"], required: true }
];
var HALF_TERM_NAMES = ["autumn-1", "autumn-2", "spring-1", "spring-2", "summer-1", "summer-2"];
function halfTermKey(name, startIso) {
  return `${name}-${startIso.slice(0, 4)}`;
}
function parseKind(value) {
  const kind = value.trim().toLowerCase().replace(/[^a-z]+/g, "_");
  if (kind === "half_term" || kind === "halfterm")
    return "half_term";
  if (kind === "closure")
    return "closure";
  return void 0;
}
function parseHalfTermName(value) {
  const match = /^(autumn|spring|summer)[\s_-]*([12])$/i.exec(value.trim());
  return match ? `${match[1].toLowerCase()}-${match[2]}` : void 0;
}
async function importCalendar(conn, input) {
  const { summary, checkReopened } = await importCalendarDeferred(conn, input);
  await checkReopened();
  return summary;
}
async function importCalendarDeferred(conn, input) {
  const { file, text: text2, by } = input;
  const table = input.table ?? mapColumns(readDelimited(text2, file).records, CALENDAR_COLUMNS, file);
  const halfTerms = [];
  const closures = [];
  const problems = new Problems();
  for (const row of table.rows) {
    const checks = problems.row();
    const kindField = requiredField(table, row, "kind");
    const kind = checks.value(() => {
      const value = parseKind(kindField.value);
      if (!value)
        throw new InputError(file, kindField.line, kindField.column, `kind must be half_term or closure, not ${quote(kindField.value)}`);
      return value;
    });
    const nameField = requiredField(table, row, "name");
    const name = checks.value(() => {
      if (kind === "closure")
        return parseRequiredText(nameField, file, "closure reason", MAX_NAME_CHARS);
      if (kind !== "half_term")
        return void 0;
      const parsed = parseHalfTermName(nameField.value);
      if (!parsed)
        throw new InputError(file, nameField.line, nameField.column, `half term ${quote(nameField.value)} is not one of ${HALF_TERM_NAMES.join(", ")}`);
      return parsed;
    });
    const startField = requiredField(table, row, "start_date");
    const start = checks.value(() => parseDate(startField, file, "start date"));
    const endField = requiredField(table, row, "end_date");
    const end = checks.value(() => parseDate(endField, file, "end date"));
    const dates = start !== void 0 && end !== void 0 ? { start, end } : void 0;
    if (dates && dates.end < dates.start) {
      checks.add(new InputError(file, endField.line, endField.column, `end date ${dates.end} is before the start date ${dates.start}`));
    }
    const ordered = dates && dates.end >= dates.start ? dates : void 0;
    if (kind === "closure") {
      if (ordered && academicYearStart(ordered.end) !== academicYearStart(ordered.start)) {
        checks.add(
          new InputError(
            file,
            endField.line,
            endField.column,
            `closure "${(name ?? nameField.value).slice(0, 40)}" runs from ${ordered.start} to ${ordered.end}, across more than one academic year (1 August to 31 July): check the years`
          )
        );
      }
      const values2 = checks.complete({ reason: name, start, end });
      if (values2)
        closures.push({ line: row.line, column: startField.column, ...values2 });
      continue;
    }
    if (kind !== "half_term")
      continue;
    if (name !== void 0 && start !== void 0) {
      const month = Number(start.slice(5, 7));
      const autumn = name.startsWith("autumn");
      if (autumn ? month < 8 : month >= 8) {
        const expected = autumn ? "between August and December" : "between January and July";
        checks.add(new InputError(file, startField.line, startField.column, `${name} starts on ${start}: it must start ${expected}`));
      }
    }
    if (ordered && academicYearStart(ordered.end) !== academicYearStart(ordered.start)) {
      checks.add(new InputError(file, endField.line, endField.column, `${name ?? "the half term"} runs past 31 July into the next academic year (end date ${ordered.end})`));
    }
    const values = checks.complete({ name, start, end });
    if (values)
      halfTerms.push({ line: row.line, key: halfTermKey(values.name, values.start), ...values });
  }
  for (const error of crossChecks(file, table, halfTerms))
    problems.add(error);
  const yearsWithHalfTerms = new Set(halfTerms.map((h) => academicYearStart(h.start)));
  for (const c2 of closures) {
    const year = academicYearStart(c2.start);
    if (!yearsWithHalfTerms.has(year)) {
      problems.add(
        new InputError(
          file,
          c2.line,
          c2.column,
          `closure "${c2.reason.slice(0, 40)}" (${c2.start} to ${c2.end}) is in ${academicYearLabel(year)}, but this file gives no half terms for that year: check the year, or add that year's half terms`
        )
      );
    }
  }
  problems.refuse();
  const lastLine = table.rows.length > 0 ? Math.max(...table.rows.map((r) => r.line)) : 1;
  return await apply(conn, input, table.rows.length, lastLine, halfTerms, closures, by);
}
function crossChecks(file, table, halfTerms) {
  const errors = [];
  for (let i = 0; i < halfTerms.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [halfTerms[j], halfTerms[i]];
      if (a.key === b.key) {
        errors.push(new InputError(file, b.line, columnOf(table, "name"), `${b.name} ${academicYearLabel(academicYearStart(b.start))} is already given on line ${a.line}`));
      } else if (a.start <= b.end && b.start <= a.end) {
        errors.push(
          new InputError(file, b.line, columnOf(table, "start_date"), `${b.name} (${b.start} to ${b.end}) overlaps ${a.name} (${a.start} to ${a.end}) on line ${a.line}`)
        );
      }
    }
  }
  return errors;
}
async function apply(conn, input, rowsRead, lastLine, halfTerms, closureRows, by) {
  const years = /* @__PURE__ */ new Set();
  for (const r of [...halfTerms, ...closureRows]) {
    for (let y = academicYearStart(r.start); y <= academicYearStart(r.end); y++)
      years.add(y);
  }
  const closureDays = /* @__PURE__ */ new Map();
  for (const c2 of closureRows) {
    for (let d = c2.start; d <= c2.end; d = addDays3(d, 1))
      if (!closureDays.has(d))
        closureDays.set(d, c2.reason);
  }
  const storedPeriods = /* @__PURE__ */ new Map();
  const storedClosures = /* @__PURE__ */ new Map();
  for (const year of years) {
    const range = { from: new DuckDBDateValue(isoToDays(`${year}-08-01`)), to: new DuckDBDateValue(isoToDays(`${year + 1}-07-31`)) };
    for (const p of await queryRows(
      conn,
      "SELECT half_term, start_date, end_date FROM calendar_periods WHERE start_date BETWEEN $from AND $to",
      range
    )) {
      storedPeriods.set(p.half_term, { start: p.start_date, end: p.end_date });
    }
    for (const c2 of await queryRows(conn, "SELECT date, reason FROM closures WHERE date BETWEEN $from AND $to", range)) {
      storedClosures.set(c2.date, c2.reason);
    }
  }
  let inserted = 0;
  let amended = 0;
  let unchanged = 0;
  for (const h of halfTerms) {
    const stored = storedPeriods.get(h.key);
    if (!stored)
      inserted++;
    else if (stored.start === h.start && stored.end === h.end)
      unchanged++;
    else
      amended++;
  }
  for (const c2 of closureRows) {
    let same = 0;
    let present = 0;
    let days = 0;
    for (let d = c2.start; d <= c2.end; d = addDays3(d, 1)) {
      days++;
      const reason = storedClosures.get(d);
      if (reason !== void 0)
        present++;
      if (reason === closureDays.get(d))
        same++;
    }
    if (same === days)
      unchanged++;
    else if (present > 0)
      amended++;
    else
      inserted++;
  }
  const halfTermKeys = new Set(halfTerms.map((h) => h.key));
  const removedHalfTerms = [...storedPeriods].filter(([key]) => !halfTermKeys.has(key));
  const removedClosures = closureRuns([...storedClosures].filter(([date]) => !closureDays.has(date)));
  const removed = removedHalfTerms.length + removedClosures.length;
  const removedNote = removed === 0 ? [] : [
    `${removed} stored ${removed === 1 ? "entry is" : "entries are"} not in this file and ${removed === 1 ? "goes" : "go"} (the file replaces its academic years): ` + [
      ...removedHalfTerms.map(([key, p]) => `half term ${key.replace(/-(\d{4})$/, " $1")} (${ukDate(p.start)} to ${ukDate(p.end)})`),
      ...removedClosures.map((run) => `closure "${run.reason}" (${runWords(run)})`)
    ].join("; ")
  ];
  const base = { kind: "calendar", file: input.file, rowsRead, inserted, amended, unchanged, ...removed > 0 ? { removed, notes: removedNote } : {} };
  const samePeriods = storedPeriods.size === halfTerms.length && halfTerms.every((h) => storedPeriods.get(h.key)?.start === h.start && storedPeriods.get(h.key)?.end === h.end);
  const sameClosures = storedClosures.size === closureDays.size && [...closureDays].every(([d, r]) => storedClosures.get(d) === r);
  if (samePeriods && sameClosures)
    return { summary: { ...base, importId: null }, checkReopened: async () => {
    } };
  const importId = await nextImportId(conn);
  for (const year of years) {
    const range = { from: new DuckDBDateValue(isoToDays(`${year}-08-01`)), to: new DuckDBDateValue(isoToDays(`${year + 1}-07-31`)) };
    await conn.run("DELETE FROM calendar_periods WHERE start_date BETWEEN $from AND $to", range);
    await conn.run("DELETE FROM closures WHERE date BETWEEN $from AND $to", range);
  }
  for (const h of halfTerms) {
    await conn.run("INSERT INTO calendar_periods (half_term, start_date, end_date) VALUES ($key, $start, $end)", {
      key: h.key,
      start: new DuckDBDateValue(isoToDays(h.start)),
      end: new DuckDBDateValue(isoToDays(h.end))
    });
  }
  for (const [date, reason] of closureDays) {
    await conn.run("INSERT INTO closures (date, reason) VALUES ($date, $reason)", { date: new DuckDBDateValue(isoToDays(date)), reason });
  }
  await rebuildSchoolDays(conn);
  const closureRowOf = (iso2) => {
    const row = closureRows.find((c2) => c2.start <= iso2 && iso2 <= c2.end);
    return row ? { line: row.line, column: row.column } : { line: 1, column: 1 };
  };
  const off = await storedMarksOffCalendar(conn, input.file, [...years], closureRowOf);
  if (off.total > 0)
    throw new ImportRefused(off.errors, off.total);
  await recordImport(conn, importId, base, input.text, by);
  const checkReopened = () => refuseUnmarkedReopenedDays(conn, input.file, lastLine, removedClosures);
  return { summary: { ...base, importId }, checkReopened };
}
function closureRuns(days) {
  const runs2 = [];
  for (const [date, reason] of [...days].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const last = runs2[runs2.length - 1];
    if (last && last.reason === reason && addDays3(last.end, 1) === date)
      last.end = date;
    else
      runs2.push({ reason, start: date, end: date });
  }
  return runs2;
}
function runWords(run) {
  return run.start === run.end ? ukDate(run.start) : `${ukDate(run.start)} to ${ukDate(run.end)}`;
}
async function refuseUnmarkedReopenedDays(conn, file, lastLine, removed) {
  if (removed.length === 0)
    return;
  const today = currentDate();
  const days = removed.flatMap((run) => {
    const list = [];
    for (let d = run.start; d <= run.end && d <= today; d = addDays3(d, 1))
      list.push(d);
    return list;
  });
  if (days.length === 0)
    return;
  const unmarked = new Set(
    (await queryRows(
      conn,
      `SELECT s.date FROM school_days s
         WHERE s.date IN (SELECT unnest($days::VARCHAR[])::DATE)
           AND NOT EXISTS (SELECT 1 FROM marks m WHERE m.date = s.date)`,
      { days: listValue2(days) }
    )).map((r) => r.date)
  );
  const errors = removed.filter((run) => days.some((d) => unmarked.has(d) && run.start <= d && d <= run.end)).map(
    (run) => new InputError(
      file,
      lastLine,
      1,
      `the stored closure "${run.reason}" (${runWords(run)}) is not in this file (its row would go after this, the last line), and removing it would make its past days school days on which no pupil has a mark: every pupil on roll would show a gap there. Add it back as closure,${run.reason.includes(",") ? `"${run.reason}"` : run.reason},${run.start},${run.end}, or, if the school was open, import that day's marks with this calendar`
    )
  );
  if (errors.length > 0)
    throw new ImportRefused(errors, errors.length);
}
async function rebuildSchoolDays(conn) {
  await conn.run("DELETE FROM school_days");
  await conn.run(
    `INSERT INTO school_days (date, academic_year, term, half_term)
     SELECT date,
            ay::VARCHAR || '/' || lpad(((ay + 1) % 100)::VARCHAR, 2, '0') AS academic_year,
            split_part(half_term, '-', 1) || '-' || split_part(half_term, '-', 3) AS term,
            half_term
     FROM (
       SELECT date, half_term, CASE WHEN month(date) >= 8 THEN year(date) ELSE year(date) - 1 END AS ay
       FROM (SELECT unnest(generate_series(start_date::TIMESTAMP, end_date::TIMESTAMP, INTERVAL 1 DAY))::DATE AS date, half_term
             FROM calendar_periods)
     )
     WHERE isodow(date) <= 5 AND date NOT IN (SELECT date FROM closures)
     ORDER BY date`
  );
}

// analytics/import/marks.ts
import { DuckDBDateValue as DuckDBDateValue2 } from "@duckdb/node-api";

// analytics/amended-mark.ts
function markWords(code, minutes, changed) {
  if (!changed)
    return code;
  return minutes === null ? `${code} (no minutes late)` : `${code} (${minutes} min late)`;
}
function amendedMarkWords(a) {
  const changed = (a.original_minutes_late ?? null) !== (a.new_minutes_late ?? null);
  return { before: markWords(a.original_code, a.original_minutes_late ?? null, changed), after: markWords(a.new_code, a.new_minutes_late ?? null, changed) };
}

// analytics/import/readers/dates.ts
function sessionWord(value) {
  const token = value.trim().toLowerCase().replace(/\./g, "");
  if (token === "am" || token === "morning")
    return "AM";
  if (token === "pm" || token === "afternoon")
    return "PM";
  return void 0;
}

// analytics/import/marks.ts
var MARK_COLUMNS = [
  { name: "upn", aliases: ["UPN", "Unique Pupil Number"], required: true },
  { name: "date", aliases: ["Date", "Attendance Date", "Session Date"], required: true },
  { name: "session", aliases: ["Session", "AM/PM"], required: true },
  { name: "code", aliases: ["Code", "Mark", "Attendance Mark", "Attendance Code"], required: true },
  { name: "minutes_late", aliases: ["Minutes Late", "Mins Late"], required: false }
];
var STAGE = "import_marks_stage";
var KEYED = "import_marks_keyed";
var codeIndex = /* @__PURE__ */ new Map();
function codeOn(code, iso2) {
  const key = `${regimeOn(iso2)}|${code}`;
  let found = codeIndex.get(key);
  if (found === void 0) {
    found = lookupCode(code, iso2) ?? null;
    codeIndex.set(key, found);
  }
  return found ?? void 0;
}
function codeRefusal(code, iso2) {
  const sub = COVID_SUBCODES[code];
  if (sub) {
    return `"${code}" (${sub.meaning}) is a COVID-era sub-code, read only for sessions from ${COVID_SUBCODES_FROM} to ${COVID_SUBCODES_TO}, not on ${iso2}`;
  }
  const known = CODE_CATALOGUE.find((d) => d.code === code);
  if (!known)
    return `unknown attendance code ${quote(code)}`;
  if (iso2 >= REGIME_2024_FROM) {
    return `code "${code}" (${known.meaning}) was withdrawn on 19 August 2024 and is not valid on ${iso2}`;
  }
  return `code "${code}" (${known.meaning}) was introduced on 19 August 2024 and is not valid on ${iso2}; use the codes of the 2006 regulations for earlier sessions`;
}
var FLUSH_ROWS = 2e5;
async function importMarks(conn, input) {
  const { file } = input;
  const table = input.stream ? { index: input.stream.index, rows: [] } : input.table ?? mapColumns(readDelimited(input.text ?? "", file).records, MARK_COLUMNS, file);
  const problems = new Problems();
  for (const error of input.table?.errors ?? [])
    problems.add(error);
  const notes = { noMarkYet: 0, covidSubcodes: {}, closureMarks: 0 };
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE} (
       line INTEGER NOT NULL, upn VARCHAR NOT NULL, date DATE NOT NULL,
       session VARCHAR NOT NULL, code VARCHAR NOT NULL, minutes_late SMALLINT, code_column INTEGER NOT NULL,
       upn_col SMALLINT NOT NULL, date_col SMALLINT NOT NULL, session_col SMALLINT NOT NULL, date_line INTEGER NOT NULL)`
  );
  const upnAt = table.index.get("upn");
  const dateAt = table.index.get("date");
  const sessionAt = table.index.get("session");
  try {
    let rowsRead = 0;
    let marksRead = 0;
    let lastLine = null;
    const appender = await conn.createAppender(STAGE, "main", "temp");
    try {
      let unflushed = 0;
      const stage = (rows) => {
        for (const row of rows) {
          if (input.stream)
            checkWidth(row, input.stream.width, file);
          marksRead++;
          if (row.line !== lastLine) {
            rowsRead++;
            lastLine = row.line;
          }
          const m = checkRow(table, row, file, notes, problems);
          if (!m)
            continue;
          appender.appendInteger(row.line);
          appender.appendVarchar(m.upn);
          appender.appendDate(new DuckDBDateValue2(m.days));
          appender.appendVarchar(m.session);
          appender.appendVarchar(m.code);
          if (m.minutesLate === null)
            appender.appendNull();
          else
            appender.appendSmallInt(m.minutesLate);
          appender.appendInteger(m.codeColumn);
          appender.appendSmallInt(upnAt === void 0 ? 1 : row.fields[upnAt].column);
          appender.appendSmallInt(dateAt === void 0 ? 1 : row.fields[dateAt].column);
          appender.appendSmallInt(sessionAt === void 0 ? 1 : row.fields[sessionAt].column);
          appender.appendInteger(dateAt === void 0 ? row.line : row.fields[dateAt].line);
          appender.endRow();
          if (++unflushed >= FLUSH_ROWS) {
            appender.flushSync();
            unflushed = 0;
          }
        }
      };
      if (input.stream)
        for await (const batch of input.stream.batches)
          stage(batch);
      else
        stage(table.rows);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    notes.closureMarks = await dropClosureMarks(conn, STAGE);
    await checkStagedMarks(conn, STAGE, file, problems, input.today ?? currentDate(), input.pending);
    problems.refuse();
    if (input.checkOnly)
      return { kind: "marks", file, rowsRead, inserted: 0, amended: 0, unchanged: 0, importId: null };
    const digest = input.stream ? input.stream.digest() : sha256(input.text ?? "");
    await ensurePupilIds(conn);
    await conn.run(
      `CREATE OR REPLACE TEMP TABLE ${KEYED} AS
       SELECT s.line, k.pupil_id, s.date, s.session = 'PM' AS pm, s.code::mark_code AS code, s.minutes_late,
              m.code AS stored_code, m.minutes_late AS stored_minutes_late, m.pupil_id IS NOT NULL AS stored
       FROM ${STAGE} s
       JOIN pupil_ids k USING (upn)
       LEFT JOIN mark_store m ON m.pupil_id = k.pupil_id AND m.date = s.date AND m.pm = (s.session = 'PM')`
    );
    if (!table.index.has("minutes_late"))
      await keepStoredMinutes(conn, KEYED);
    const summary = await mergeKeyed(conn, KEYED, { file, digest, by: input.by, reason: input.reason }, rowsRead);
    const lines = [...input.table?.notes ?? [], ...noteLines(notes)];
    const skipped = notes.noMarkYet + notes.closureMarks + (input.table?.skipped ?? 0);
    return { ...summary, ...marksRead !== rowsRead ? { marksRead } : {}, ...skipped > 0 ? { skipped } : {}, ...lines.length > 0 ? { notes: lines } : {} };
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE}`);
    await conn.run(`DROP TABLE IF EXISTS temp.${KEYED}`);
  }
}
var LATE_CODES = "('L', 'U')";
async function keepStoredMinutes(conn, table) {
  await conn.run(`UPDATE ${table} SET minutes_late = stored_minutes_late WHERE stored AND code IN ${LATE_CODES}`);
}
function checkRow(table, row, file, notes, problems) {
  const codeField = requiredField(table, row, "code");
  const raw = codeField.value.trim();
  if (NO_MARK_YET.includes(raw)) {
    notes.noMarkYet++;
    return void 0;
  }
  const checks = problems.row();
  const upn = checks.value(() => parseUpn(requiredField(table, row, "upn"), file));
  const iso2 = checks.value(() => parseDate(requiredField(table, row, "date"), file, "date"));
  const session = checks.value(() => {
    const sessionField = requiredField(table, row, "session");
    const word = sessionWord(sessionField.value);
    if (!word)
      throw new InputError(file, sessionField.line, sessionField.column, `session must be AM or PM, not ${quote(sessionField.value)}`);
    return word;
  });
  let code = raw.toUpperCase();
  const sub = COVID_SUBCODES[code];
  if (iso2 !== void 0 && sub && iso2 >= COVID_SUBCODES_FROM && iso2 <= COVID_SUBCODES_TO) {
    notes.covidSubcodes[code] = (notes.covidSubcodes[code] ?? 0) + 1;
    code = sub.code;
  }
  const refusal = (at) => new InputError(file, codeField.line, codeField.column, `${codeField.where ? `${codeField.where}: ` : ""}${codeRefusal(code, at)}`);
  if (iso2 !== void 0 ? !codeOn(code, iso2) : !sub && !CODE_CATALOGUE.some((d) => d.code === code))
    checks.add(refusal(iso2 ?? ""));
  const minutesLate = checks.value(() => parseMinutesLate(fieldOf(table, row, "minutes_late"), file));
  if (checks.failed || minutesLate === void 0 || upn === void 0 || iso2 === void 0 || session === void 0)
    return void 0;
  if (code === "/" || code === "\\")
    code = session === "AM" ? "/" : "\\";
  return { line: row.line, upn, days: isoToDays(iso2), session, code, minutesLate, codeColumn: codeField.column };
}
function noteLines(notes) {
  const lines = [];
  if (notes.noMarkYet > 0)
    lines.push(`${notes.noMarkYet} ${notes.noMarkYet === 1 ? "session" : "sessions"} with no mark yet ("-" or empty) skipped: they stay register gaps until marked`);
  if (notes.closureMarks > 0)
    lines.push(`${notes.closureMarks} "#" mark(s) on days the calendar records as closures skipped`);
  const subs = Object.entries(notes.covidSubcodes).sort(([a], [b]) => a.localeCompare(b));
  if (subs.length > 0) {
    const list = subs.map(([code, n]) => `${code} \xD7${n} as ${COVID_SUBCODES[code].code}`).join(", ");
    lines.push(`COVID-era sub-codes stored as the census code the DfE collected: ${list}`);
  }
  return lines;
}
async function mergeKeyed(conn, keyed, input, rowsRead, known) {
  const counts = known ?? await queryOne(
    conn,
    `SELECT count(*) FILTER (WHERE NOT stored)::INTEGER AS inserted,
            count(*) FILTER (WHERE stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late))::INTEGER AS amended,
            count(*) FILTER (WHERE stored AND stored_code = code AND stored_minutes_late IS NOT DISTINCT FROM minutes_late)::INTEGER AS unchanged
     FROM ${keyed}`
  );
  const { inserted, amended, unchanged } = counts ?? { inserted: 0, amended: 0, unchanged: 0 };
  const base = { kind: "marks", file: input.file, rowsRead, inserted, amended, unchanged };
  if (inserted + amended === 0)
    return { ...base, importId: null };
  const importId = await nextImportId(conn);
  const changed = `FROM ${keyed} WHERE NOT stored OR stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late`;
  const preview = {};
  if (amended > 0) {
    const amendedRows = `SELECT c.*, k.upn, CASE WHEN c.pm THEN 'PM' ELSE 'AM' END AS session
       FROM ${keyed} c JOIN pupil_ids k USING (pupil_id)
       WHERE c.stored AND (c.stored_code <> c.code OR c.stored_minutes_late IS DISTINCT FROM c.minutes_late)`;
    preview.amendedMarks = (await queryRows(
      conn,
      // With the pupil's name: a preview of UPNs alone asked the school to look each one up (trial18a).
      `SELECT a.upn, p.surname || ', ' || p.forename AS name, strftime(a.date, '%Y-%m-%d') AS date, a.session,
                a.stored_code::VARCHAR AS original_code, a.code::VARCHAR AS new_code,
                a.stored_minutes_late::INTEGER AS original_minutes_late, a.minutes_late::INTEGER AS new_minutes_late
         FROM (${amendedRows}) a JOIN pupils p ON p.upn = a.upn ORDER BY a.line LIMIT ${PREVIEW_ROWS}`
    )).map((m) => ({ upn: m.upn, name: m.name, date: m.date, session: m.session, ...amendedMarkWords(m), beforeCode: m.original_code, afterCode: m.new_code }));
    await conn.run(
      `INSERT INTO amendments (amendment_id, upn, date, session, original_code, new_code, reason,
                               amended_at, amended_by, amended_by_role, import_id, original_minutes_late, new_minutes_late)
       SELECT nextval('amendment_id_seq'), upn, date, session::register_session, stored_code, code, $reason,
              current_localtimestamp(), $by, $role, $importId, stored_minutes_late, minutes_late
       FROM (${amendedRows} ORDER BY c.line)`,
      {
        reason: input.reason ?? `Changed by import of ${input.file}`,
        by: input.by.name,
        role: input.by.role,
        importId
      }
    );
    await conn.run(
      `UPDATE mark_store SET code = c.code, minutes_late = c.minutes_late, import_id = $importId
       FROM (SELECT * FROM ${keyed} WHERE stored AND (stored_code <> code OR stored_minutes_late IS DISTINCT FROM minutes_late)) c
       WHERE mark_store.pupil_id = c.pupil_id AND mark_store.date = c.date AND mark_store.pm = c.pm`,
      { importId }
    );
  }
  if (inserted > 0) {
    await conn.run(
      `INSERT INTO mark_store (pupil_id, date, pm, code, minutes_late, import_id)
       SELECT pupil_id, date, pm, code, minutes_late, $importId
       FROM ${keyed} WHERE NOT stored
       ORDER BY ${SESSION_ORDER("date", "pm", "pupil_id", "code")}`,
      { importId }
    );
  }
  await refreshAggregates(conn, `SELECT pupil_id, date ${changed}`);
  await recordImport(conn, importId, base, { sha256: input.digest }, input.by);
  return { ...base, importId, ...preview };
}

// analytics/import/marks-sql.ts
import { listValue as listValue3 } from "@duckdb/node-api";

// analytics/import/readers/plain-csv.ts
import { isUtf8 } from "node:buffer";
import { createHash as createHash2 } from "node:crypto";
import fs4 from "node:fs";

// analytics/import/decode.ts
import fs3 from "node:fs";
var STREAM_CHUNK = 1 << 20;

// analytics/import/readers/layout.ts
var LONG_COLUMNS = MARK_COLUMNS.filter((c2) => c2.required).map((c2) => new Set([c2.name, ...c2.aliases].map(headerKey)));

// analytics/import/readers/plain-csv.ts
var CHUNK = 1 << 20;

// analytics/import/pupils.ts
import { DuckDBDateValue as DuckDBDateValue3 } from "@duckdb/node-api";

// analytics/import/spells.ts
async function spellGivenTwice(conn, upns) {
  const row = await queryOne(
    conn,
    `SELECT upn, valid_from::VARCHAR AS valid_from FROM pupil_characteristics
     WHERE upn IN (${upns})
     GROUP BY upn, valid_from HAVING count(*) > 1
     ORDER BY upn, valid_from LIMIT 1`
  );
  return row ? { upn: row.upn, validFrom: row.valid_from } : null;
}

// analytics/class-words.ts
var NOT_ASSIGNED = "Not assigned";
function classWords(value) {
  return value === NOT_ASSIGNED ? "Not assigned to a class" : `Class ${value}`;
}

// analytics/ethnicity.ts
var ETHNICITY_NAMES = {
  WBRI: "White \u2013 British",
  WIRI: "White \u2013 Irish",
  WIRT: "Traveller of Irish heritage",
  WOTH: "Any other White background",
  WROM: "Gypsy / Roma",
  MWBC: "White and Black Caribbean",
  MWBA: "White and Black African",
  MWAS: "White and Asian",
  MOTH: "Any other mixed background",
  AIND: "Indian",
  APKN: "Pakistani",
  ABAN: "Bangladeshi",
  AOTH: "Any other Asian background",
  BCRB: "Black Caribbean",
  BAFR: "Black \u2013 African",
  BOTH: "Any other Black background",
  CHNE: "Chinese",
  OOTH: "Any other ethnic group",
  REFU: "Refused",
  NOBT: "Information not yet obtained"
};
var EXTENDED_MAIN = {
  WCOR: "WBRI",
  WENG: "WBRI",
  WNIR: "WBRI",
  WSCO: "WBRI",
  WWEL: "WBRI",
  WOWB: "WBRI",
  WALB: "WOTH",
  WBOS: "WOTH",
  WCRO: "WOTH",
  WGRE: "WOTH",
  WGRK: "WOTH",
  WGRC: "WOTH",
  WITA: "WOTH",
  WKOS: "WOTH",
  WPOR: "WOTH",
  WSER: "WOTH",
  WTUR: "WOTH",
  WTUK: "WOTH",
  WTUC: "WOTH",
  WEUR: "WOTH",
  WEEU: "WOTH",
  WWEU: "WOTH",
  WOTW: "WOTH",
  WROG: "WROM",
  WROR: "WROM",
  WROO: "WROM",
  MWAP: "MWAS",
  MWAI: "MWAS",
  MWAO: "MWAS",
  MAOE: "MOTH",
  MABL: "MOTH",
  MACH: "MOTH",
  MBOE: "MOTH",
  MBCH: "MOTH",
  MCOE: "MOTH",
  MWOE: "MOTH",
  MWCH: "MOTH",
  MOTM: "MOTH",
  AMPK: "APKN",
  AKPA: "APKN",
  AOPK: "APKN",
  AAFR: "AOTH",
  AKAO: "AOTH",
  ANEP: "AOTH",
  ASNL: "AOTH",
  ASLT: "AOTH",
  ASRO: "AOTH",
  AOTA: "AOTH",
  BANN: "BAFR",
  BCON: "BAFR",
  BGHA: "BAFR",
  BNGN: "BAFR",
  BSLN: "BAFR",
  BSOM: "BAFR",
  BSUD: "BAFR",
  BAOF: "BAFR",
  BEUR: "BOTH",
  BNAM: "BOTH",
  BOTB: "BOTH",
  CHKC: "CHNE",
  CMAL: "CHNE",
  CSNG: "CHNE",
  CTWN: "CHNE",
  COCH: "CHNE",
  OAFG: "OOTH",
  OARA: "OOTH",
  OEGY: "OOTH",
  OFIL: "OOTH",
  OIRN: "OOTH",
  OIRQ: "OOTH",
  OJPN: "OOTH",
  OKOR: "OOTH",
  OKRD: "OOTH",
  OLAM: "OOTH",
  OLEB: "OOTH",
  OLIB: "OOTH",
  OMAL: "OOTH",
  OMRC: "OOTH",
  OPOL: "OOTH",
  OTHA: "OOTH",
  OVIE: "OOTH",
  OYEM: "OOTH",
  OOEG: "OOTH"
};
function ethnicityName(code) {
  const upper = code.toUpperCase();
  return ETHNICITY_NAMES[upper] ?? (EXTENDED_MAIN[upper] ? ETHNICITY_NAMES[EXTENDED_MAIN[upper]] : code);
}

// analytics/leavers.ts
var PREFIX = "left-before:";
var LEAVERS_PREFIX = PREFIX;
function isLeaversGroup(value) {
  return value.startsWith(PREFIX);
}
function leaversLabel(value) {
  if (!isLeaversGroup(value))
    throw new Error("not the leavers' group");
  const key = value.slice(PREFIX.length);
  const match = /^(autumn|spring|summer)-([12])-\d{4}$/.exec(key);
  const name = match ? `${match[1].charAt(0).toUpperCase()}${match[1].slice(1)} ${match[2]}` : "the last half term";
  return `Left before ${name}`;
}
function groupWords(value, otherwise) {
  return isLeaversGroup(value) ? leaversLabel(value) : otherwise(value);
}

// analytics/year-group-words.ts
function yearGroupWords(value) {
  if (/^\d+$/.test(value))
    return `Year ${value}`;
  if (value === "R")
    return "Reception";
  if (value === "N1" || value === "N2")
    return `Nursery ${value.slice(1)}`;
  return value;
}

// analytics/characteristic-words.ts
var FILTER_LABELS = {
  year_group: "Year group",
  reg_group: "Class",
  sen: "SEN",
  fsm: "FSM",
  eal: "EAL",
  lac: "Looked after",
  sex: "Sex",
  ethnicity: "Ethnicity"
};
var FILTER_VALUE_LABELS = {
  sen: { E: "EHC plan", K: "SEN support", N: "No SEN" },
  fsm: { Y: "Eligible for FSM", N: "Not eligible for FSM" },
  eal: { Y: "EAL", N: "English first language" },
  lac: { Y: "Looked after", N: "Not looked after" },
  sex: { F: "Girls", M: "Boys" }
};
function describeFilterValue(key, value) {
  if (isLeaversGroup(value))
    return leaversLabel(value);
  if (key === "year_group")
    return yearGroupWords(value);
  if (key === "reg_group")
    return classWords(value);
  if (key === "ethnicity")
    return ethnicityName(value);
  return FILTER_VALUE_LABELS[key]?.[value] ?? value;
}

// analytics/import/pupil-changes.ts
var PUPIL_DETAILS = ["forename", "surname", "dob", "sex", "ethnicity", "admission_date", "leaving_date"];
var PUPIL_CHARACTERISTICS = ["year_group", "reg_group", "sen", "fsm", "eal", "lac"];
var SEX_WORDS = { M: "Male", F: "Female" };
var DETAILS = [
  { key: "forename", field: "Forename", words: (v) => v },
  { key: "surname", field: "Surname", words: (v) => v },
  { key: "dob", field: "Date of birth", words: (v) => ukDate(v) },
  { key: "sex", field: FILTER_LABELS.sex, words: (v) => SEX_WORDS[v] ?? v },
  { key: "year_group", field: FILTER_LABELS.year_group, words: (v) => describeFilterValue("year_group", v) },
  { key: "reg_group", field: FILTER_LABELS.reg_group, words: (v) => v },
  { key: "admission_date", field: "Admission date", words: (v) => ukDate(v) },
  { key: "leaving_date", field: "Leaving date", words: (v) => ukDate(v) },
  { key: "sen", field: FILTER_LABELS.sen, words: (v) => describeFilterValue("sen", v) },
  { key: "fsm", field: FILTER_LABELS.fsm, words: (v) => describeFilterValue("fsm", v) },
  { key: "eal", field: FILTER_LABELS.eal, words: (v) => describeFilterValue("eal", v) },
  { key: "lac", field: FILTER_LABELS.lac, words: (v) => describeFilterValue("lac", v) },
  { key: "ethnicity", field: FILTER_LABELS.ethnicity, words: (v) => describeFilterValue("ethnicity", v) }
];
function pupilDetailChanges(stored, file) {
  const words = (detail, value) => value === null ? "none" : value === "" ? "not given" : detail.words(value);
  return DETAILS.filter((d) => (stored[d.key] ?? null) !== (file[d.key] ?? null)).map((d) => ({
    field: d.field,
    before: words(d, stored[d.key] ?? null),
    after: words(d, file[d.key] ?? null)
  }));
}

// analytics/import/readers/ctf.ts
import { SaxesParser } from "saxes";
var CTF_PUPIL_INDEX = new Map(
  ["upn", "forename", "surname", "dob", "sex", "year_group", "reg_group", "admission_date", "leaving_date", "sen", "fsm", "eal", "lac", "ethnicity"].map((n, i) => [n, i])
);

// analytics/import/pupils.ts
var PUPIL_COLUMNS = [
  { name: "upn", aliases: ["UPN", "Unique Pupil Number"], required: true },
  { name: "forename", aliases: ["Forename", "Legal Forename", "First Name", "Given Name"], required: true },
  { name: "surname", aliases: ["Surname", "Legal Surname", "Last Name", "Family Name"], required: true },
  { name: "dob", aliases: ["DOB", "Date of Birth", "Birth Date"], required: true },
  { name: "sex", aliases: ["Sex", "Gender"], required: true },
  { name: "year_group", aliases: ["Year", "Year Group", "NC Year", "National Curriculum Year"], required: true },
  { name: "reg_group", aliases: ["Reg Group", "Registration Group", "Reg", "Class", "Form"], required: true },
  { name: "admission_date", aliases: ["Admission Date", "Date of Admission", "Entry Date", "Admission"], required: true },
  { name: "leaving_date", aliases: ["Leaving Date", "Date of Leaving", "Leave Date"], required: true },
  { name: "sen", aliases: ["SEN", "SEN Provision", "SEN Status"], required: true },
  { name: "fsm", aliases: ["FSM", "FSM Eligible", "FSM Eligibility"], required: true },
  { name: "eal", aliases: ["EAL", "English as an Additional Language"], required: true },
  { name: "lac", aliases: ["LAC", "CLA", "Looked After", "Looked After Child"], required: true },
  { name: "ethnicity", aliases: ["Ethnicity", "Ethnic Code", "Ethnic Group"], required: true }
];
var STAGE2 = "import_pupils_stage";
var DIFF = "import_pupils_diff";
async function importPupils(conn, input) {
  const { file, text: text2, by } = input;
  const asOf = input.asOf === void 0 ? currentDate() : normaliseDate(input.asOf);
  if (!asOf)
    throw new RangeError(`asOf "${input.asOf}" is not a date (expected YYYY-MM-DD)`);
  const table = input.table ?? mapColumns(readDelimited(text2, file).records, PUPIL_COLUMNS, file);
  const parsed = [];
  const firstLine = /* @__PURE__ */ new Map();
  const problems = new Problems();
  const today = input.today ?? currentDate();
  const wrongCheckLetter = [];
  for (const row of table.rows) {
    const checks = problems.row();
    const f = (name) => requiredField(table, row, name);
    const upnField = f("upn");
    const upn = checks.value(() => {
      const value = parseUpn(upnField, file);
      const seen = firstLine.get(value);
      if (seen !== void 0)
        throw new InputError(file, upnField.line, upnField.column, `duplicate UPN ${value}: already given on line ${seen}`);
      firstLine.set(value, row.line);
      const expected = upnCheckLetter(value.slice(1));
      if (expected !== value[0])
        wrongCheckLetter.push({ line: upnField.line, column: upnField.column, upn: value, expected });
      return value;
    });
    const forename = checks.value(() => parseRequiredText(f("forename"), file, "forename", MAX_NAME_CHARS));
    const surname = checks.value(() => parseRequiredText(f("surname"), file, "surname", MAX_NAME_CHARS));
    const dobField = f("dob");
    const dob = checks.value(() => parseDate(dobField, file, "date of birth"));
    const sex = checks.value(() => parseSex(f("sex"), file));
    const yearGroup = checks.value(() => parseYearGroup(f("year_group"), file));
    const regGroup = checks.value(() => parseRequiredText(f("reg_group"), file, "registration group", MAX_REG_GROUP_CHARS));
    const admission = checks.value(() => parseDate(f("admission_date"), file, "admission date"));
    const leavingField = f("leaving_date");
    const leaving = checks.value(() => parseOptionalDate(leavingField, file, "leaving date"));
    if (leaving && admission !== void 0 && leaving < admission) {
      checks.add(new InputError(file, leavingField.line, leavingField.column, `leaving date ${leaving} is before the admission date ${admission}`));
    }
    const dobProblem = dob === void 0 ? void 0 : dateOfBirthProblem(dob, admission, today);
    if (dobProblem)
      checks.add(new InputError(file, dobField.line, dobField.column, dobProblem));
    const sen = checks.value(() => parseSen(f("sen"), file));
    const fsm = checks.value(() => parseFlag(f("fsm"), file, "FSM"));
    const eal = checks.value(() => parseFlag(f("eal"), file, "EAL"));
    const lac = checks.value(() => parseFlag(f("lac"), file, "LAC"));
    const ethnicity = checks.value(() => parseText(f("ethnicity"), file, "ethnicity", MAX_ETHNICITY_CHARS));
    const values = checks.complete({ upn, forename, surname, dob, sex, ethnicity, admission, leaving, yearGroup, regGroup, sen, fsm, eal, lac });
    if (values)
      parsed.push({ line: row.line, ...values });
  }
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${STAGE2} (
       line INTEGER NOT NULL, upn VARCHAR NOT NULL, forename VARCHAR NOT NULL, surname VARCHAR NOT NULL,
       dob DATE NOT NULL, sex VARCHAR NOT NULL, ethnicity VARCHAR NOT NULL,
       admission_date DATE NOT NULL, leaving_date DATE,
       year_group VARCHAR NOT NULL, reg_group VARCHAR NOT NULL,
       sen VARCHAR NOT NULL, fsm VARCHAR NOT NULL, eal VARCHAR NOT NULL, lac VARCHAR NOT NULL)`
  );
  try {
    const appender = await conn.createAppender(STAGE2, "main", "temp");
    try {
      for (const p of parsed) {
        appender.appendInteger(p.line);
        appender.appendVarchar(p.upn);
        appender.appendVarchar(p.forename);
        appender.appendVarchar(p.surname);
        appender.appendDate(new DuckDBDateValue3(isoToDays(p.dob)));
        appender.appendVarchar(p.sex);
        appender.appendVarchar(p.ethnicity);
        appender.appendDate(new DuckDBDateValue3(isoToDays(p.admission)));
        if (p.leaving === null)
          appender.appendNull();
        else
          appender.appendDate(new DuckDBDateValue3(isoToDays(p.leaving)));
        for (const v of [p.yearGroup, p.regGroup, p.sen, p.fsm, p.eal, p.lac])
          appender.appendVarchar(v);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    for (const error of await marksOffRoll(conn, file, table, asOf))
      problems.add(error);
    problems.refuse();
    const appliesFrom = { date: asOf, source: input.asOfSource ?? (input.asOf === void 0 ? "today: no date was given with the file" : "the date given with the file") };
    const merged = await merge(conn, { file, text: text2, by, asOf }, parsed.length);
    const checkNote = checkLetterNote(file, wrongCheckLetter);
    const summary = { ...merged, appliesFrom, ...checkNote ? { notes: [...merged.notes ?? [], checkNote] } : {} };
    const twice = await spellGivenTwice(conn, `SELECT upn FROM ${DIFF}`);
    if (twice) {
      const line = firstLine.get(twice.upn) ?? 0;
      throw new InputError(
        file,
        line,
        columnOf(table, "upn"),
        `${twice.upn} would have two spells of characteristics from ${twice.validFrom} (one is stored already); correct the admission date (a pupil who returns after leaving is admitted again on the day they return)`
      );
    }
    return summary;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS temp.${STAGE2}`);
    await conn.run(`DROP TABLE IF EXISTS temp.${DIFF}`);
  }
}
function dateOfBirthProblem(dob, admission, today) {
  if (dob > today)
    return `date of birth ${dob} is after today (${today})`;
  if (admission === void 0)
    return void 0;
  if (dob >= admission)
    return `date of birth ${dob} is on or after the admission date ${admission}`;
  const age = Number(admission.slice(0, 4)) - Number(dob.slice(0, 4)) - (admission.slice(5) < dob.slice(5) ? 1 : 0);
  if (age < MIN_AGE_ON_ADMISSION || age > MAX_AGE_ON_ADMISSION) {
    return `date of birth ${dob} makes the pupil ${age} on admission (${admission}); a primary pupil is admitted aged ${MIN_AGE_ON_ADMISSION} to ${MAX_AGE_ON_ADMISSION}`;
  }
  return void 0;
}
async function marksOffRoll(conn, file, table, asOf) {
  const rows = await queryRows(
    conn,
    `SELECT s.line, s.upn, s.admission_date, s.leaving_date,
            count(*) FILTER (WHERE m.date < s.admission_date)::INTEGER AS n_before,
            min(m.date) FILTER (WHERE m.date < s.admission_date) AS first_before,
            count(*) FILTER (WHERE m.date > s.leaving_date)::INTEGER AS n_after,
            max(m.date) FILTER (WHERE m.date > s.leaving_date) AS last_after
     FROM ${STAGE2} s JOIN marks m ON m.upn = s.upn
     WHERE (m.date < s.admission_date OR m.date > s.leaving_date) AND m.code <> 'Z'
       AND NOT EXISTS (SELECT 1 FROM pupils p JOIN pupil_characteristics c ON c.upn = p.upn
                       WHERE p.upn = s.upn AND c.valid_from > greatest($asOf::DATE, p.admission_date))
     GROUP BY s.line, s.upn, s.admission_date, s.leaving_date
     ORDER BY s.line LIMIT ${MAX_REPORTED_ERRORS}`,
    { asOf: new DuckDBDateValue3(isoToDays(asOf)) }
  );
  return rows.map((row) => {
    if (row.n_before > 0) {
      return new InputError(
        file,
        row.line,
        columnOf(table, "admission_date"),
        `admission date ${row.admission_date} would leave ${row.n_before} stored mark(s) of ${row.upn} before admission (earliest ${row.first_before}); amend those marks first`
      );
    }
    return new InputError(
      file,
      row.line,
      columnOf(table, "leaving_date"),
      `leaving date ${row.leaving_date} would leave ${row.n_after} stored mark(s) of ${row.upn} after leaving (latest ${row.last_after}); amend those marks first`
    );
  });
}
function olderFileNotes(asOf, n) {
  const pupils = (k) => k === 1 ? "1 pupil" : `${k} pupils`;
  const notes = [];
  if (n.earlier > 0) {
    notes.push(
      `${pupils(n.earlier)} already had characteristics recorded from after ${ukDate(asOf)}, the file's date: for them the file sets the year group, class and other characteristics from ${ukDate(asOf)} up to the next recorded change only, never the current ones`
    );
  }
  if (n.kept > 0)
    notes.push(`${pupils(n.kept)}: names, dates, sex or ethnicity that differ in this older file were kept as recorded`);
  if (n.off_roll > 0)
    notes.push(`${pupils(n.off_roll)} had no characteristics recorded on ${ukDate(asOf)}, the file's date, which is before their time on roll: nothing was changed for them`);
  return notes;
}
function checkLetterNote(file, wrong) {
  if (wrong.length === 0)
    return null;
  const shown = wrong.slice(0, 3).map((w) => `${file}, line ${w.line}, column ${w.column}: ${w.upn} would start with ${w.expected}`);
  const more = wrong.length > shown.length ? `; and ${wrong.length - shown.length} more` : "";
  const upns = wrong.length === 1 ? "1 UPN's check letter is" : `${wrong.length} UPNs' check letters are`;
  return `${upns} not the one the DfE's UPN algorithm gives (${shown.join("; ")}${more}): most often a typing slip. Imported as given; check them against the MIS, and once it holds the right UPN, an administrator corrects it in Rollcall with the command rollcall pupils correct-upn OLD NEW (it keeps the pupil's marks and history; there is no page for it).`;
}
async function merge(conn, input, rowsRead) {
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${DIFF} AS
     WITH latest AS (SELECT upn, max(valid_from) AS latest_from FROM pupil_characteristics GROUP BY upn),
     staged AS (
       SELECT s.*, p.upn IS NULL AS is_new, p.upn IS NOT NULL AND l.latest_from > greatest($asOf::DATE, p.admission_date) AS earlier,
              greatest($asOf::DATE, p.admission_date) AS effective
       FROM ${STAGE2} s LEFT JOIN pupils p ON p.upn = s.upn LEFT JOIN latest l ON l.upn = s.upn
     )
     SELECT s.*,
            NOT s.earlier AND p.upn IS NOT NULL AND (
              p.forename <> s.forename OR p.surname <> s.surname OR p.dob <> s.dob OR p.sex <> s.sex
              OR p.ethnicity <> s.ethnicity OR p.admission_date <> s.admission_date
              OR p.leaving_date IS DISTINCT FROM s.leaving_date) AS identity_changed,
            s.earlier AND (
              p.forename <> s.forename OR p.surname <> s.surname OR p.dob <> s.dob OR p.sex <> s.sex
              OR p.ethnicity <> s.ethnicity OR p.admission_date <> s.admission_date
              OR p.leaving_date IS DISTINCT FROM s.leaving_date) AS identity_kept,
            NOT s.earlier AND c.upn IS NULL AS no_current,
            s.earlier AND c.upn IS NULL AS earlier_off_roll,
            c.valid_from AS current_from,
            c.valid_to AS current_to,
            c.upn IS NOT NULL AND (
              c.year_group <> s.year_group OR c.reg_group <> s.reg_group OR c.sen <> s.sen
              OR c.fsm <> s.fsm OR c.eal <> s.eal OR c.lac <> s.lac) AS chars_changed
     FROM staged s
     LEFT JOIN pupils p ON p.upn = s.upn
     LEFT JOIN pupil_characteristics c ON c.upn = s.upn
       AND CASE WHEN s.earlier THEN c.valid_from <= s.effective AND (c.valid_to IS NULL OR c.valid_to >= s.effective)
                ELSE c.valid_to IS NULL END`,
    { asOf: new DuckDBDateValue3(isoToDays(input.asOf)) }
  );
  const counts = await queryOne(
    conn,
    `SELECT count(*) FILTER (WHERE is_new)::INTEGER AS inserted,
            count(*) FILTER (WHERE NOT is_new AND (identity_changed OR chars_changed OR no_current))::INTEGER AS amended,
            count(*) FILTER (WHERE NOT is_new AND NOT (identity_changed OR chars_changed OR no_current))::INTEGER AS unchanged,
            count(*) FILTER (WHERE earlier AND NOT earlier_off_roll)::INTEGER AS earlier,
            count(*) FILTER (WHERE identity_kept)::INTEGER AS kept,
            count(*) FILTER (WHERE earlier_off_roll)::INTEGER AS off_roll
     FROM ${DIFF}`
  );
  const { inserted, amended, unchanged } = counts ?? { inserted: 0, amended: 0, unchanged: 0 };
  const notes = olderFileNotes(input.asOf, counts ?? { earlier: 0, kept: 0, off_roll: 0 });
  const base = { kind: "pupils", file: input.file, rowsRead, inserted, amended, unchanged, ...notes.length > 0 ? { notes } : {} };
  if (inserted + amended === 0)
    return { ...base, importId: null };
  const importId = await nextImportId(conn);
  const detailColumns = (prefix, pupil, spell) => [...PUPIL_DETAILS.map((key) => [pupil, key]), ...PUPIL_CHARACTERISTICS.map((key) => [spell, key])].map(([table, key]) => `CAST(${table}.${key} AS VARCHAR) AS ${prefix}${key}`).join(", ");
  const changedPupils = (await queryRows(
    conn,
    `SELECT d.upn, CASE WHEN d.earlier THEN p.forename || ' ' || p.surname ELSE d.forename || ' ' || d.surname END AS name, d.is_new, d.earlier,
              CAST(greatest(d.current_from, $asOf::DATE) AS VARCHAR) AS span_from, CAST(d.current_to AS VARCHAR) AS current_to, ${detailColumns("file_", "d", "d")}, ${detailColumns("stored_", "p", "c")}
       FROM ${DIFF} d
       LEFT JOIN pupils p ON p.upn = d.upn
       LEFT JOIN pupil_characteristics c ON c.upn = d.upn AND c.valid_from = d.current_from
       WHERE d.is_new OR d.identity_changed OR d.chars_changed OR d.no_current ORDER BY d.line LIMIT ${PREVIEW_ROWS}`,
    { asOf: new DuckDBDateValue3(isoToDays(input.asOf)) }
  )).map((p) => {
    if (p.is_new)
      return { upn: p.upn, name: p.name, change: "new" };
    const details = (prefix, keys) => Object.fromEntries(keys.map((key) => [key, p[`${prefix}${key}`]]));
    const stored = details("stored_", [...PUPIL_DETAILS, ...PUPIL_CHARACTERISTICS]);
    const file = { ...details(p.earlier ? "stored_" : "file_", PUPIL_DETAILS), ...details("file_", PUPIL_CHARACTERISTICS) };
    const changes = pupilDetailChanges(stored, file);
    const span = p.earlier ? ` (${ukDate(p.span_from ?? input.asOf)} to ${p.current_to === null ? "now" : ukDate(p.current_to)} only)` : "";
    return { upn: p.upn, name: p.name, change: "changed", changes: changes.map((c2) => ({ ...c2, field: `${c2.field}${span}` })) };
  });
  const asOf = { asOf: new DuckDBDateValue3(isoToDays(input.asOf)) };
  await conn.run(
    `INSERT INTO pupils (upn, forename, surname, dob, sex, ethnicity, admission_date, leaving_date)
     SELECT upn, forename, surname, dob, sex, ethnicity, admission_date, leaving_date FROM ${DIFF} WHERE is_new ORDER BY line`
  );
  await conn.run(
    `UPDATE pupils SET forename = d.forename, surname = d.surname, dob = d.dob, sex = d.sex, ethnicity = d.ethnicity,
                       admission_date = d.admission_date, leaving_date = d.leaving_date
     FROM ${DIFF} d WHERE pupils.upn = d.upn AND d.identity_changed`
  );
  const anchor = `make_date(CAST(year(least($asOf::DATE, COALESCE(d.leaving_date, $asOf::DATE)) - INTERVAL 7 MONTH) AS INTEGER), 8, 1)`;
  await conn.run(
    `INSERT INTO pupil_characteristics (upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac)
     SELECT upn, CASE WHEN is_new THEN greatest(admission_date, ${anchor}) ELSE admission_date END, NULL, year_group, reg_group, sen, fsm, eal, lac
       FROM ${DIFF} d WHERE no_current ORDER BY line`,
    asOf
  );
  await conn.run(
    `INSERT INTO pupil_characteristics (upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac)
     WITH anchored AS (
       -- New pupils only: a stored pupil without a current spell keeps the spells it has.
       SELECT d.*, ${anchor} AS year_start FROM ${DIFF} d WHERE d.no_current AND d.is_new
     ), earlier AS (
       SELECT a.upn, a.line, a.admission_date, a.year_start, a.sen, a.fsm, a.eal, a.lac, back.k,
              (CASE a.year_group WHEN 'N1' THEN -2 WHEN 'N2' THEN -1 WHEN 'R' THEN 0 ELSE TRY_CAST(a.year_group AS INTEGER) END) - back.k AS ordinal
         FROM anchored a,
              range(1, CAST(year(a.year_start) - year(a.admission_date - INTERVAL 7 MONTH) AS BIGINT) + 1) AS back(k)
        WHERE a.admission_date < a.year_start
     )
     SELECT upn,
            greatest(admission_date, (year_start - to_years(CAST(k AS INTEGER)))::DATE),
            (year_start - to_years(CAST(k - 1 AS INTEGER)) - INTERVAL 1 DAY)::DATE,
            CASE WHEN ordinal = -2 THEN 'N1' WHEN ordinal = -1 THEN 'N2' WHEN ordinal = 0 THEN 'R' ELSE CAST(ordinal AS VARCHAR) END,
            $notAssigned, sen, fsm, eal, lac
       FROM earlier
      WHERE ordinal IS NOT NULL AND ordinal >= -2
      ORDER BY line, k`,
    { ...asOf, notAssigned: NOT_ASSIGNED }
  );
  await conn.run(
    `UPDATE pupil_characteristics SET year_group = d.year_group, reg_group = d.reg_group, sen = d.sen,
                                      fsm = d.fsm, eal = d.eal, lac = d.lac
     FROM ${DIFF} d
     WHERE pupil_characteristics.upn = d.upn AND pupil_characteristics.valid_from = d.current_from
       AND d.chars_changed AND $asOf <= d.current_from`,
    asOf
  );
  await conn.run(
    `UPDATE pupil_characteristics SET valid_to = CAST($asOf AS DATE) - 1
     FROM ${DIFF} d
     WHERE pupil_characteristics.upn = d.upn AND pupil_characteristics.valid_from = d.current_from
       AND d.chars_changed AND $asOf > d.current_from`,
    asOf
  );
  await conn.run(
    `INSERT INTO pupil_characteristics (upn, valid_from, valid_to, year_group, reg_group, sen, fsm, eal, lac)
     SELECT upn, $asOf, current_to, year_group, reg_group, sen, fsm, eal, lac FROM ${DIFF}
     WHERE chars_changed AND $asOf > current_from ORDER BY line`,
    asOf
  );
  await recordImport(conn, importId, base, input.text, input.by);
  return { ...base, importId, changedPupils };
}

// analytics/import/ctf-history.ts
import { DuckDBDateValue as DuckDBDateValue4, listValue as listValue4 } from "@duckdb/node-api";

// analytics/casework/policy-title.ts
var NOT_CHOSEN_WORDS = "the default preset \u2014 not yet chosen in Settings";
function policyTitle(policy, options = {}) {
  const { the = true, noun = "policy", source } = options;
  const aside = [...source ? [source] : [], ...policy.preset_chosen ? [] : [NOT_CHOSEN_WORDS]];
  return `${the ? "the " : ""}${policy.preset_name}${noun ? ` ${noun}` : ""}${aside.length > 0 ? ` (${aside.join("; ")})` : ""}`;
}

// analytics/judged-span.ts
var PA_MIN_SCHOOL_DAYS = 20;
var PUPIL_JUDGED_MIN_SESSIONS = 2 * PA_MIN_SCHOOL_DAYS;
function persistentlyAbsent(possible, absent) {
  return possible > 0 && 10 * absent >= possible;
}
function severelyAbsent(possible, absent) {
  return possible > 0 && 2 * absent >= possible;
}
function pupilJudged(possibleSessions) {
  return possibleSessions >= PUPIL_JUDGED_MIN_SESSIONS;
}

// analytics/casework/rules.ts
var PERSISTENT_ABSENCE_PCT = 10;
var SEVERE_ABSENCE_PCT = 50;
var JUDGED_FROM_WORDS = `Pupils are judged from ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions this year (${PA_MIN_SCHOOL_DAYS} school days).`;
function penaltyThresholdWords(p) {
  return `At least ${p.penalty_sessions} sessions of G, N, O or U in the latest ${p.penalty_window_school_weeks} school weeks`;
}

// analytics/casework/interventions-list.ts
var INTERVENTION_TYPES = [
  "conversation",
  "letter_below_96",
  "letter_below_90",
  "letter_improved",
  "phone_call",
  "home_visit",
  "meeting_with_targets",
  "formal_meeting",
  "parenting_contract",
  "education_welfare_referral",
  "early_help",
  "final_warning",
  "penalty_notice_requested",
  "other"
];
var LABEL_WORDS = {
  conversation: "Conversation",
  letter_below_96: "Letter: attendance below {letter_threshold_pct}%",
  letter_below_90: "Letter: attendance below {monitoring_threshold_pct}%",
  letter_improved: "Letter from the SLT: attendance improved",
  phone_call: "Phone call",
  home_visit: "Home visit",
  meeting_with_targets: "Meeting with targets",
  // A policy's formal meeting beside its ladder (Ludlow §4, below 85 %): its own type, so it
  // answers that rule without being the ladder's meeting with targets, whose monitoring period
  // it would otherwise restart (trial 31b).
  formal_meeting: "Formal meeting with parents",
  parenting_contract: "Parenting contract",
  education_welfare_referral: "Education welfare referral",
  early_help: "Early help",
  final_warning: "Final warning",
  // The policies' word (Ludlow Appendix A 10: "a fixed-penalty notice is sought"), as the ladder's step says.
  penalty_notice_requested: "Penalty notice sought",
  other: "Other"
};
var LEGACY_LABEL_NUMBERS = { letter_threshold_pct: 96, monitoring_threshold_pct: 90 };
function interventionLabels(numbers) {
  const labels = {};
  for (const type of INTERVENTION_TYPES) {
    labels[type] = fillNumberSlots(LABEL_WORDS[type], (key) => {
      const value = numbers[key];
      if (typeof value !== "number" || !Number.isFinite(value))
        throw new Error(`the intervention types' words need the policy number "${key}"`);
      return value;
    });
  }
  return labels;
}

// analytics/interventions/ladder-policies.ts
var setting = (key) => ({ setting: key });
var LUDLOW_TEMPLATE = {
  id: "ludlow",
  name: "Ludlow Junior School",
  source: "Ludlow attendance policy, Appendix A steps 6\u201310 and \xA714",
  graceSchoolDays: 5,
  afterLast: "Last step of the ladder reached: if attendance still does not improve after the penalty notice, work with the local authority towards an education supervision order or, as a last resort, attendance prosecution (\xA714)",
  whenImproved: "Letter from the SLT congratulating the pupil and parents, attendance having improved; monitoring and contact with the parents continue until attendance stabilises to {letter_threshold_pct}% (Appendix A, 9)",
  whenImprovedActionDone: "Continue monitoring and contact with the parents until attendance stabilises to {letter_threshold_pct}%, attendance having improved and the SLT's letter being recorded (Appendix A, 9)",
  // Appendix A 7: below 90 % a pupil "is now being monitored"; a period still below it is not
  // the improvement of 8–10 (targets met), however much the year to date rose.
  improvedLine: { pct: setting("monitoring_threshold_pct") },
  improvedAction: { type: "letter_improved", label: "Letter from the SLT congratulating the pupil and parents on improving attendance", source: "Appendix A, 9" },
  // §4 arranges a formal meeting with the parent below 85 % as such, not after a monitoring
  // period: a trial found pupils at 75 % and 41 % with no meeting ever due, the first shown
  // "attendance improved" (a period that rose) and the second a meeting only "if no improvement".
  // It has its own type, recorded without moving the ladder: recorded as a meeting with targets
  // it restarted that step's monitoring period for a pupil already at it (trial 31b). A meeting
  // with targets is a meeting with the parent too, so one held after the fall answers §4 as well.
  formalMeeting: {
    pct: setting("formal_meeting_threshold_pct"),
    types: ["formal_meeting", "meeting_with_targets"],
    label: "Formal meeting with parents: attendance below {formal_meeting_threshold_pct}%",
    source: "\xA74"
  },
  steps: [
    {
      id: "letter_below_96",
      types: ["letter_below_96"],
      label: "Letter: attendance below {letter_threshold_pct}%",
      trigger: { kind: "attendance", pct: setting("letter_threshold_pct") },
      source: "Appendix A, 6"
    },
    {
      id: "letter_below_90",
      types: ["letter_below_90"],
      label: "Monitoring letter and contact: below {monitoring_threshold_pct}%",
      trigger: { kind: "attendance", pct: setting("monitoring_threshold_pct") },
      source: "Appendix A, 7"
    },
    {
      id: "meeting_with_targets",
      types: ["meeting_with_targets"],
      label: "Meeting with targets",
      trigger: { kind: "after", schoolWeeks: setting("monitoring_school_weeks"), whileBelow: { pct: setting("monitoring_threshold_pct") } },
      source: "Appendix A, 8"
    },
    {
      // Appendix A 9–10: targets are judged "after the two-week monitoring period"; if they are
      // not met, "education welfare protocol is followed, and a parental contract is drawn up".
      // Either entry records the step (a fresh-clone trial found the ladder going straight
      // from the meeting to the final warning, so the contract was never shown as due).
      id: "parenting_contract",
      types: ["parenting_contract", "education_welfare_referral"],
      label: "Parenting contract and education welfare protocol (targets not met)",
      trigger: { kind: "after", schoolWeeks: setting("monitoring_school_weeks") },
      source: "Appendix A, 9\u201310",
      recordedAs: { education_welfare_referral: "Targets not met: education welfare referral" },
      // §14: a parenting contract is among the measures after which, "where the above measures
      // are not effective, the headteacher will recommend issuing a fixed penalty notice";
      // Appendix A 10: the contract's monitoring period, then a final warning, then the notice.
      answersPenaltyThreshold: "\xA714 (legal intervention); Appendix A, 10"
    },
    {
      id: "final_warning",
      types: ["final_warning"],
      label: "Final warning (no improvement over the contract's monitoring period)",
      trigger: { kind: "after", schoolWeeks: setting("targets_school_weeks") },
      source: "Appendix A, 10",
      answersPenaltyThreshold: "Appendix A, 10: a fixed-penalty notice is sought if there is no improvement after an additional four weeks"
    },
    {
      id: "penalty_notice",
      types: ["penalty_notice_requested"],
      label: "Penalty notice sought",
      trigger: { kind: "after", schoolWeeks: setting("final_warning_school_weeks") },
      source: "Appendix A, 10; \xA714"
    }
  ]
};
var LITTLEDEAN_TEMPLATE = {
  id: "littledean",
  name: "Littledean C of E Primary School",
  source: "Littledean attendance policy: reducing persistent and severe absence; criteria for a fixed penalty notice",
  graceSchoolDays: 5,
  afterLast: "Last step of the ladder reached: with Gloucestershire County Council, an Education Supervision Order or consideration of attendance prosecution in the Magistrate's Court (reducing persistent and severe absence; legal sanctions)",
  whenImproved: "Continue regular meetings with the parents while the child is persistently or severely absent, attendance having improved (reducing persistent and severe absence)",
  // A period at the persistently absent rate (missing 10 % or more: 90 % or below) is not an
  // improvement that makes formal support unnecessary.
  improvedLine: { pct: 100 - PERSISTENT_ABSENCE_PCT, inclusive: true },
  steps: [
    {
      id: "meeting_with_parents",
      types: ["meeting_with_targets"],
      label: "Meeting with parents (persistent absence)",
      trigger: { kind: "attendance", pct: 100 - PERSISTENT_ABSENCE_PCT, inclusive: true },
      source: "Reducing persistent and severe absence: \u201CHold regular meetings with parents/carers\u201D"
    },
    {
      id: "formalise_support",
      types: ["parenting_contract", "early_help", "education_welfare_referral"],
      label: "Formal support: parenting contract, early help or education welfare",
      trigger: { kind: "after", schoolWeeks: setting("targets_school_weeks"), whileBelow: { pct: 100 - PERSISTENT_ABSENCE_PCT, inclusive: true } },
      recordedAs: { early_help: "Formal support: early help", education_welfare_referral: "Formal support: education welfare referral" },
      source: "\u201CFormalise support or use legal sanctions \u2026 a parenting contract, engagement with social care or early help\u201D",
      answersPenaltyThreshold: "Reducing persistent and severe absence: formalise support or use legal sanctions"
    },
    {
      id: "penalty_notice",
      types: ["penalty_notice_requested"],
      label: "Penalty notice sought ({penalty_sessions} unauthorised sessions in {penalty_window_school_weeks} school weeks)",
      trigger: { kind: "penalty_threshold" },
      source: "Legal sanctions: criteria for the issuing of a fixed penalty notice"
    }
  ]
};
var LADDER_TEMPLATES = { ludlow: LUDLOW_TEMPLATE, littledean: LITTLEDEAN_TEMPLATE };
function numberOf(value, numbers) {
  if (typeof value === "number")
    return value;
  const n = numbers[value.setting];
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new Error(`the ladder needs the policy number "${value.setting}"`);
  return n;
}
function fillWords(words, numbers) {
  return fillNumberSlots(words, (key) => {
    if (!Object.prototype.hasOwnProperty.call(numbers, key))
      throw new Error(`the ladder's words name "{${key}}", which is not a policy number`);
    return numberOf({ setting: key }, numbers);
  });
}
function fillTrigger(trigger, numbers) {
  if (trigger.kind === "attendance")
    return { ...trigger, pct: numberOf(trigger.pct, numbers) };
  if (trigger.kind === "penalty_threshold")
    return trigger;
  return {
    kind: "after",
    schoolWeeks: numberOf(trigger.schoolWeeks, numbers),
    ...trigger.whileBelow ? { whileBelow: { ...trigger.whileBelow, pct: numberOf(trigger.whileBelow.pct, numbers) } } : {}
  };
}
function fillLadder(template, numbers) {
  const { formalMeeting, ...rest } = template;
  return {
    ...rest,
    afterLast: fillWords(template.afterLast, numbers),
    whenImproved: fillWords(template.whenImproved, numbers),
    ...template.whenImprovedActionDone ? { whenImprovedActionDone: fillWords(template.whenImprovedActionDone, numbers) } : {},
    improvedLine: { ...template.improvedLine, pct: numberOf(template.improvedLine.pct, numbers) },
    ...formalMeeting ? { formalMeeting: { ...formalMeeting, pct: numberOf(formalMeeting.pct, numbers), label: fillWords(formalMeeting.label, numbers) } } : {},
    typeLabels: interventionLabels(numbers),
    steps: template.steps.map((step) => ({ ...step, label: fillWords(step.label, numbers), trigger: fillTrigger(step.trigger, numbers) }))
  };
}
function triggerWords(step, policy, improvedLine) {
  const trigger = step.trigger;
  if (trigger.kind === "attendance") {
    return `when year-to-date attendance is ${trigger.inclusive ? "at or below" : "below"} ${numberInWords(trigger.pct)}% (judged from ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions, ${PA_MIN_SCHOOL_DAYS} school days)`;
  }
  if (trigger.kind === "penalty_threshold") {
    return `when unauthorised absence (G, N, O or U) reaches ${policy.penalty_sessions} sessions within ${policy.penalty_window_school_weeks} school weeks`;
  }
  const weeks = `${trigger.schoolWeeks} school week${trigger.schoolWeeks === 1 ? "" : "s"}`;
  const needs = improvedLine ? ` (risen, to ${improvedLine.inclusive ? "above" : "at least"} ${numberInWords(improvedLine.pct)}% over the period)` : "";
  return `if attendance has not improved${needs} ${weeks} after the previous step${trigger.whileBelow ? ` and is still ${trigger.whileBelow.inclusive ? "at or below" : "below"} ${numberInWords(trigger.whileBelow.pct)}%` : ""}`;
}
function improvedOver(period, atStep, line) {
  if (period.possible <= 0)
    return false;
  const rose = atStep.possible === 0 || period.attended * atStep.possible > atStep.attended * period.possible;
  const underLine = line.inclusive ? 100 * period.attended <= line.pct * period.possible : 100 * period.attended < line.pct * period.possible;
  return rose && !underLine;
}

// analytics/casework/policy.ts
var PRESET_IDS = ["ludlow", "littledean"];
function isPresetId(value) {
  return PRESET_IDS.includes(value);
}
var POLICY_NUMBER_RULES = {
  target_attendance_pct: { min: 50, max: 100, integer: false, label: "Whole-school attendance target (%)" },
  n_code_limit_school_days: { min: 1, max: 60, integer: true, label: "N codes resolved within (school days)" },
  letter_threshold_pct: { min: 1, max: 100, integer: false, label: "Letter home below (% attendance)" },
  monitoring_threshold_pct: { min: 1, max: 100, integer: false, label: "Monitoring letter below (% attendance)" },
  formal_meeting_threshold_pct: { min: 1, max: 100, integer: false, label: "Formal meeting below (% attendance)" },
  consecutive_absence_days: { min: 1, max: 60, integer: true, label: "Letter after more than (consecutive days absent)" },
  term_absence_days: { min: 1, max: 60, integer: true, label: "Letter after more than (days absent in a term)" },
  cme_unauthorised_days: { min: 1, max: 60, integer: true, label: "Children-missing-education enquiry at (consecutive days unauthorised)" },
  cme_no_return_days: { min: 1, max: 60, integer: true, label: "Not returned after authorised absence at (consecutive days unauthorised)" },
  health_absence_days: { min: 1, max: 60, integer: true, label: "Inform the local authority after more than (days of illness)" },
  penalty_sessions: { min: 1, max: 100, integer: true, label: "Penalty notice considered at (sessions of G, N, O, U)" },
  penalty_window_school_weeks: { min: 1, max: 39, integer: true, label: "\u2026within (school weeks)" },
  monitoring_school_weeks: { min: 1, max: 20, integer: true, label: "Monitoring before a meeting with targets, and before its targets are judged (school weeks)" },
  targets_school_weeks: { min: 1, max: 20, integer: true, label: "Targets reviewed after (school weeks)" },
  final_warning_school_weeks: { min: 1, max: 20, integer: true, label: "Final warning reviewed after (school weeks)" },
  retention_years: { min: 3, max: 100, integer: true, label: "Keep register entries for (years)" }
};
var POLICY_NUMBER_KEYS = Object.keys(POLICY_NUMBER_RULES);
function policyNumbersProblem(numbers) {
  const { letter_threshold_pct: letter, monitoring_threshold_pct: monitoring, formal_meeting_threshold_pct: meeting } = numbers;
  if (!(letter > monitoring && monitoring > meeting)) {
    return `the attendance thresholds must descend: letter (${letter}%) above monitoring (${monitoring}%) above formal meeting (${meeting}%)`;
  }
  if (meeting <= SEVERE_ABSENCE_PCT)
    return `the formal-meeting threshold (${meeting}%) must be above severe absence (${SEVERE_ABSENCE_PCT}%)`;
  return null;
}
var LUDLOW = {
  id: "ludlow",
  name: "Ludlow Junior School",
  summary: "Attendance and Absence Management Policy 2024\u201325: letters at 96% and 90%, a meeting with targets after two weeks' monitoring, a final warning, then a penalty notice.",
  numbers: {
    target_attendance_pct: 96.1,
    n_code_limit_school_days: 5,
    letter_threshold_pct: 96,
    monitoring_threshold_pct: 90,
    formal_meeting_threshold_pct: 85,
    consecutive_absence_days: 3,
    term_absence_days: 10,
    cme_unauthorised_days: 20,
    cme_no_return_days: 10,
    health_absence_days: 15,
    penalty_sessions: 10,
    penalty_window_school_weeks: 10,
    monitoring_school_weeks: 2,
    targets_school_weeks: 4,
    final_warning_school_weeks: 4,
    retention_years: 3
  },
  sources: {
    target_attendance_pct: "\xA717: \u201CThe school's attendance target is 96.1 percent\u201D",
    n_code_limit_school_days: "Appendix A, 4: \u201CAny N codes not established after a week are recorded as an unauthorised absence\u201D (a week: 5 school days)",
    letter_threshold_pct: "Appendix A, 6: \u201CIf a pupil's attendance falls below 96 percent, a letter is sent home\u201D",
    monitoring_threshold_pct: "Appendix A, 7: \u201CIf a pupil's attendance falls below 90 percent, a letter is sent home explaining that the pupil's attendance is now being monitored\u201D",
    formal_meeting_threshold_pct: "\xA74: \u201CIf a pupil's attendance drops towards 90% and/or heads below 85% \u2026 a formal meeting will be arranged\u201D",
    consecutive_absence_days: "\xA74: \u201Cabsent for more than three school days in a row\u201D",
    term_absence_days: "\xA74: \u201Cor more than 10 school days in one term\u201D",
    cme_unauthorised_days: "\xA74: \u201Cabsent from school without authorisation for 20 consecutive school days\u201D",
    cme_no_return_days: "\xA74: \u201Chas not returned to school for 10 days after an authorised absence\u201D",
    health_absence_days: "\xA77: \u201CInform the LA if a pupil is likely to be away from the school for more than 15 school days\u201D",
    penalty_sessions: "\xA714: penalty notices \u201Cin line with the LA's code of conduct\u201D \u2014 the national framework's 10 sessions of unauthorised absence",
    penalty_window_school_weeks: "National framework: within a rolling period of 10 school weeks",
    monitoring_school_weeks: "Appendix A, 8\u20139: \u201CThe pupil's attendance is monitored for two weeks\u201D before the meeting, and \u201CAfter the two-week monitoring period\u201D its targets are judged",
    targets_school_weeks: "Appendix A, 10: with the parental contract, \u201CA four-week monitoring period is established\u201D",
    final_warning_school_weeks: "Appendix A, 10: \u201Cif there is no improvement after an additional four weeks, a fixed-penalty notice is sought\u201D",
    retention_years: "\xA75: \u201CEvery entry received into the attendance register will be preserved for \u2026 three years\u201D"
  }
};
var LITTLEDEAN = {
  id: "littledean",
  name: "Littledean C of E Primary School",
  summary: "Attendance Policy (reviewed September 2024): meetings with the parents of persistently absent children, formalised support, and a penalty notice at 10 unauthorised sessions within ten weeks.",
  numbers: {
    n_code_limit_school_days: 5,
    cme_unauthorised_days: 20,
    cme_no_return_days: 10,
    health_absence_days: 15,
    penalty_sessions: 10,
    penalty_window_school_weeks: 10,
    retention_years: 3
  },
  sources: {
    target_attendance_pct: "Not stated: the policy compares with the national average \u201Cto support with attendance target setting\u201D \u2014 the school's own target is kept",
    n_code_limit_school_days: "Unexplained absence: the code is input \u201Cno later than 5 working days after the session\u201D",
    penalty_sessions: "Legal sanctions: \u201C10 sessions of unauthorised absence = 5 school days within a ten week period\u201D",
    penalty_window_school_weeks: "Legal sanctions: \u201Cwithin a ten week period\u201D",
    letter_threshold_pct: "Not stated in the policy: the school's current value is kept",
    monitoring_threshold_pct: "Not stated as a letter threshold (the policy's persistent-absence line is 90%): the school's current value is kept",
    formal_meeting_threshold_pct: "Not stated in the policy: the school's current value is kept",
    consecutive_absence_days: "Not stated in the policy: the school's current value is kept",
    term_absence_days: "Not stated in the policy: the school's current value is kept",
    cme_unauthorised_days: "The policy defers to its Children Missing Education Policy: the Pupil Registration Regulations' 20 consecutive school days",
    cme_no_return_days: "The policy defers to its Children Missing Education Policy: the Pupil Registration Regulations' 10 school days after leave",
    health_absence_days: "Not stated in the policy: the DfE's health-needs guidance (more than 15 school days)",
    monitoring_school_weeks: "Not used by this policy's ladder",
    targets_school_weeks: "Not stated (the policy's flowchart is not in its text): the school's current value is kept, used before support is formalised",
    final_warning_school_weeks: "Not used by this policy's ladder",
    retention_years: "School processes for recording attendance and absence: \u201CWe will keep every entry on the attendance register for 3 years after the date on which the entry was made\u201D"
  }
};
var PRESETS = { ludlow: LUDLOW, littledean: LITTLEDEAN };
var DEFAULT_PRESET = "ludlow";
var DEFAULT_POLICY_NUMBERS = { ...LUDLOW.numbers };
var LUDLOW_LADDER = fillLadder(LADDER_TEMPLATES.ludlow, DEFAULT_POLICY_NUMBERS);
var LITTLEDEAN_LADDER = fillLadder(LADDER_TEMPLATES.littledean, { ...DEFAULT_POLICY_NUMBERS, ...LITTLEDEAN.numbers });
function buildPolicy(preset, numbers, chosen = true) {
  const named = PRESETS[preset];
  return {
    ...numbers,
    preset,
    preset_name: named.name,
    preset_chosen: chosen,
    attendance_thresholds: [numbers.letter_threshold_pct, numbers.monitoring_threshold_pct, numbers.formal_meeting_threshold_pct, SEVERE_ABSENCE_PCT],
    ladder: fillLadder(LADDER_TEMPLATES[preset], numbers)
  };
}

// analytics/settings.ts
var OTHER_DEFAULTS = { school_name: "Rollcall school", small_group_min: 5 };
function settingsFrom(school_name, small_group_min, preset, numbers, last_change, school_number = null, chosen = false, register_closes = DEFAULT_REGISTER_CLOSES) {
  const policy = buildPolicy(preset, numbers, chosen);
  return {
    school_name,
    small_group_min,
    school_number,
    phase: "primary",
    policy,
    register_closes: { ...register_closes },
    last_change,
    target_attendance_pct: policy.target_attendance_pct,
    n_code_limit_school_days: policy.n_code_limit_school_days,
    attendance_thresholds: policy.attendance_thresholds,
    penalty_sessions: policy.penalty_sessions,
    penalty_window_school_weeks: policy.penalty_window_school_weeks
  };
}
var DEFAULT_SETTINGS = settingsFrom(OTHER_DEFAULTS.school_name, OTHER_DEFAULTS.small_group_min, DEFAULT_PRESET, DEFAULT_POLICY_NUMBERS, null);
var numberParser = (key) => (raw) => {
  const rule = POLICY_NUMBER_RULES[key];
  if (raw.trim() === "")
    return void 0;
  const value = Number(raw.trim());
  if (!Number.isFinite(value) || value < rule.min || value > rule.max)
    return void 0;
  if (rule.integer && !Number.isInteger(value))
    return void 0;
  return value;
};
var CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
var SMALL_GROUP_FLOOR = 3;
var PARSERS = {
  school_name: (raw) => raw.trim().length > 0 && raw.length <= 120 ? raw.trim() : void 0,
  // At least 3: with 1 or 2 a governor read one looked-after child's persistent absence (a
  // trial set 1 and governors saw "Looked after 2 of 240, PA 50.0 %"). A stored 1 or 2 (from
  // before this floor) reads as the default.
  small_group_min: (raw) => {
    const value = Number(raw.trim());
    return raw.trim() !== "" && Number.isInteger(value) && value >= SMALL_GROUP_FLOOR && value <= 50 ? value : void 0;
  },
  policy_preset: (raw) => isPresetId(raw.trim()) ? raw.trim() : void 0,
  // Blank: not set. Leading zeros are part of the number (LA 201 is the City of London; estab 0012 is not 12).
  // All zeros is no school's number (trial19b saved LA 000, establishment 0000).
  la_number: (raw) => raw.trim() === "" || /^\d{3}$/.test(raw.trim()) && raw.trim() !== "000" ? raw.trim() : void 0,
  estab_number: (raw) => raw.trim() === "" || /^\d{4}$/.test(raw.trim()) && raw.trim() !== "0000" ? raw.trim() : void 0,
  ...Object.fromEntries(POLICY_NUMBER_KEYS.map((key) => [key, numberParser(key)])),
  am_register_closes: (raw) => CLOCK_TIME.test(raw.trim()) ? raw.trim() : void 0,
  pm_register_closes: (raw) => CLOCK_TIME.test(raw.trim()) ? raw.trim() : void 0
};
var SETTING_KEYS = Object.keys(PARSERS);
var LEGACY_THRESHOLDS_KEY = "attendance_thresholds";
var LEGACY_THRESHOLD_KEYS = ["letter_threshold_pct", "monitoring_threshold_pct", "formal_meeting_threshold_pct"];
async function storedValues(connection) {
  const rows = await cachedRows(connection, "SELECT key, value FROM settings");
  return new Map(rows.map((row) => [row.key, row.value]));
}
function parseStored(stored) {
  const numbers = { ...DEFAULT_POLICY_NUMBERS };
  const legacy = stored.get(LEGACY_THRESHOLDS_KEY);
  if (legacy !== void 0) {
    const values = legacy.split(",").map((part) => Number(part.trim())).filter((v) => Number.isFinite(v)).sort((a, b) => b - a);
    LEGACY_THRESHOLD_KEYS.forEach((key, i) => {
      if (values[i] !== void 0 && !stored.has(key))
        numbers[key] = values[i];
    });
  }
  for (const key of POLICY_NUMBER_KEYS) {
    const raw = stored.get(key);
    const parsed = raw === void 0 ? void 0 : PARSERS[key](raw);
    if (typeof parsed === "number")
      numbers[key] = parsed;
  }
  if (policyNumbersProblem(numbers)) {
    for (const key of LEGACY_THRESHOLD_KEYS)
      numbers[key] = DEFAULT_POLICY_NUMBERS[key];
  }
  const name = stored.get("school_name");
  const min = stored.get("small_group_min");
  const preset = stored.get("policy_preset");
  return {
    school_name: name !== void 0 && PARSERS.school_name(name) || OTHER_DEFAULTS.school_name,
    small_group_min: min !== void 0 && PARSERS.small_group_min(min) || OTHER_DEFAULTS.small_group_min,
    preset: preset !== void 0 && isPresetId(preset) ? preset : DEFAULT_PRESET,
    // No preset stored: the school never chose one (the default's numbers stand in, and pages say so).
    chosen: preset !== void 0 && isPresetId(preset),
    numbers,
    school_number: schoolNumberOf(stored.get("la_number") ?? "", stored.get("estab_number") ?? ""),
    register_closes: registerClosesOf(stored.get("am_register_closes"), stored.get("pm_register_closes"))
  };
}
function registerClosesOf(am, pm) {
  const a = am === void 0 ? void 0 : PARSERS.am_register_closes(am);
  const p = pm === void 0 ? void 0 : PARSERS.pm_register_closes(pm);
  const closes = { AM: typeof a === "string" ? a : DEFAULT_REGISTER_CLOSES.AM, PM: typeof p === "string" ? p : DEFAULT_REGISTER_CLOSES.PM };
  return registerClosesProblem(closes) === null ? closes : { ...DEFAULT_REGISTER_CLOSES };
}
function schoolNumberOf(la, estab) {
  const l = PARSERS.la_number(la);
  const e = PARSERS.estab_number(estab);
  return typeof l === "string" && typeof e === "string" && l !== "" && e !== "" ? { la: l, estab: e } : null;
}
var keptSettingsByGeneration = /* @__PURE__ */ new Map();
var KEPT_SETTINGS = 8;
async function getSettings(connection) {
  return structuredClone(await keptWork(connection, keptSettingsByGeneration, KEPT_SETTINGS, "settings", () => readSettings(connection)));
}
async function readSettings(connection) {
  const last = await tableExists(connection, "settings_changes") ? await cachedOne(
    connection,
    `SELECT strftime(changed_at, '%Y-%m-%dT%H:%M:%SZ') AS at, changed_by AS by, changed_by_role AS role
         FROM settings_changes ORDER BY change_id DESC LIMIT 1`
  ) : void 0;
  return settingsOf(await storedValues(connection), last ?? null);
}
function settingsOf(values, last = null) {
  const stored = parseStored(values);
  return settingsFrom(stored.school_name, stored.small_group_min, stored.preset, stored.numbers, last, stored.school_number, stored.chosen, stored.register_closes);
}
var FORMAT_RULES = {
  school_name: "the school's name, 1 to 120 characters",
  policy_preset: `one of ${PRESET_IDS.join(", ")}`,
  // Every policy number says its range, as the Settings page's field does (trial20a: 101 was refused without it).
  ...Object.fromEntries(
    POLICY_NUMBER_KEYS.map((key) => {
      const rule = POLICY_NUMBER_RULES[key];
      const range = `${rule.integer ? "a whole number" : "a number"} from ${rule.min} to ${rule.max}`;
      return [key, key === "retention_years" ? `${range}: the Pupil Registration Regulations keep every register entry 3 years` : range];
    })
  ),
  la_number: "an LA number is three digits, not all 0, e.g. 820, or empty for not set",
  estab_number: "an establishment number is four digits, not all 0, e.g. 2000, or empty for not set",
  am_register_closes: "a time of day, 24-hour HH:MM, e.g. 09:30",
  pm_register_closes: "a time of day, 24-hour HH:MM, e.g. 13:35",
  small_group_min: `a whole number of pupils from ${SMALL_GROUP_FLOOR} to 50: a group of 1 or 2 would show a governor a single pupil's figures`
};

// analytics/import/readers/index.ts
import { createHash as createHash4 } from "node:crypto";
import fs5 from "node:fs";

// analytics/import/readers/delimited-stream.ts
import { createHash as createHash3 } from "node:crypto";
var HEAD_MAX_CHARS = 4 * 1024 * 1024;

// analytics/import/given-file.ts
import fs6 from "node:fs/promises";
import path3 from "node:path";

// analytics/import/index.ts
var ONE_THREAD_BYTES = 16 * 1024 * 1024;

// analytics/demo/calendar.ts
var DAY_MS2 = 864e5;
function dayNumber(iso2) {
  return Math.round(Date.UTC(Number(iso2.slice(0, 4)), Number(iso2.slice(5, 7)) - 1, Number(iso2.slice(8, 10))) / DAY_MS2);
}
function isoOfDay(day2) {
  return new Date(day2 * DAY_MS2).toISOString().slice(0, 10);
}
function ymd(year, month, date) {
  return Math.round(Date.UTC(year, month - 1, date) / DAY_MS2);
}
function weekdayOfDay(day2) {
  return ((day2 + 3) % 7 + 7) % 7;
}
function weekdayOf2(iso2) {
  return weekdayOfDay(dayNumber(iso2));
}
function easterSunday(year) {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c2 = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c2 / 4);
  const k = c2 % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = (h + l - 7 * m + 114) % 31 + 1;
  return isoOfDay(ymd(year, month, date));
}
function academicYearOf2(iso2) {
  const year = Number(iso2.slice(0, 4));
  return Number(iso2.slice(5, 7)) >= 8 ? year : year - 1;
}
function academicYearLabel2(startYear) {
  return `${startYear}/${String((startYear + 1) % 100).padStart(2, "0")}`;
}
function onOrAfter(day2, weekday) {
  return day2 + (weekday - weekdayOfDay(day2) + 7) % 7;
}
function onOrBefore(day2, weekday) {
  return day2 - (weekdayOfDay(day2) - weekday + 7) % 7;
}
var EXTRA_BANK_HOLIDAYS = {
  "2022-06-02": "Bank holiday (Platinum Jubilee)",
  "2022-06-03": "Bank holiday (Platinum Jubilee)",
  "2022-09-19": "Bank holiday (State funeral)",
  "2023-05-08": "Bank holiday (Coronation)"
};
function academicYearCalendar(startYear) {
  const y = startYear;
  const firstWednesday = onOrAfter(ymd(y, 9, 1), 2);
  let autumnStart = firstWednesday - 2;
  if (autumnStart < ymd(y, 9, 1) || firstWednesday === ymd(y, 9, 7))
    autumnStart = ymd(y, 9, 1);
  const octHalfMonday = onOrBefore(ymd(y, 10, 27), 0);
  const autumn1End = octHalfMonday - 3;
  const autumn2Start = octHalfMonday + 7;
  const christmasWeekMonday = onOrBefore(ymd(y, 12, 25), 0);
  const autumn2End = christmasWeekMonday - 3;
  const newYear = ymd(y + 1, 1, 1);
  const newYearHoliday = weekdayOfDay(newYear) >= 5 ? onOrAfter(newYear, 0) : newYear;
  let spring1Start = onOrAfter(ymd(y + 1, 1, 3), 0);
  if (spring1Start >= ymd(y + 1, 1, 8) && newYearHoliday > newYear)
    spring1Start = newYearHoliday + 1;
  const febHalfMonday = onOrAfter(ymd(y + 1, 2, 12), 0);
  const spring1End = febHalfMonday - 3;
  const spring2Start = febHalfMonday + 7;
  const easter = dayNumber(easterSunday(y + 1));
  const spring2End = easter - 9;
  const summer1Start = easter + 8;
  const mayHalfMonday = onOrBefore(ymd(y + 1, 5, 31), 0);
  const summer1End = mayHalfMonday - 3;
  const summer2Start = mayHalfMonday + 7;
  let lastPupilDay = ymd(y + 1, 7, 20);
  if (weekdayOfDay(lastPupilDay) >= 5)
    lastPupilDay = onOrAfter(lastPupilDay, 0);
  const finalInset = weekdayOfDay(lastPupilDay) === 4 ? lastPupilDay + 3 : lastPupilDay + 1;
  const summer2End = finalInset;
  const halfTerms = [
    { name: "autumn-1", start: isoOfDay(autumnStart), end: isoOfDay(autumn1End) },
    { name: "autumn-2", start: isoOfDay(autumn2Start), end: isoOfDay(autumn2End) },
    { name: "spring-1", start: isoOfDay(spring1Start), end: isoOfDay(spring1End) },
    { name: "spring-2", start: isoOfDay(spring2Start), end: isoOfDay(spring2End) },
    { name: "summer-1", start: isoOfDay(summer1Start), end: isoOfDay(summer1End) },
    { name: "summer-2", start: isoOfDay(summer2Start), end: isoOfDay(summer2End) }
  ];
  const closureDays = /* @__PURE__ */ new Map();
  const earlyMay = onOrAfter(ymd(y + 1, 5, 1), 0);
  closureDays.set(earlyMay, "Bank holiday");
  closureDays.set(newYearHoliday, "Bank holiday");
  for (const [iso2, reason] of Object.entries(EXTRA_BANK_HOLIDAYS)) {
    const day2 = dayNumber(iso2);
    if (day2 >= ymd(y, 8, 1) && day2 <= ymd(y + 1, 7, 31))
      closureDays.set(day2, reason);
  }
  const inset = (day2) => {
    while (weekdayOfDay(day2) >= 5 || closureDays.has(day2))
      day2++;
    closureDays.set(day2, "INSET day");
  };
  let d = autumnStart;
  for (let n = 0; n < 2; d++) {
    if (weekdayOfDay(d) < 5) {
      inset(d);
      n++;
    }
  }
  if (y % 2 === 0)
    inset(spring1Start);
  else
    inset(autumn2Start);
  inset(summer1Start);
  inset(finalInset);
  const schoolDays2 = [];
  const closures = [];
  for (const term of halfTerms) {
    const start = dayNumber(term.start);
    const end = dayNumber(term.end);
    for (let day2 = start; day2 <= end; day2++) {
      if (weekdayOfDay(day2) >= 5)
        continue;
      const reason = closureDays.get(day2);
      if (reason)
        closures.push({ reason, start: isoOfDay(day2), end: isoOfDay(day2) });
      else
        schoolDays2.push(isoOfDay(day2));
    }
  }
  return { startYear, label: academicYearLabel2(startYear), halfTerms, closures, schoolDays: schoolDays2 };
}
function calendarCsv(years) {
  const lines = ["kind,name,start_date,end_date"];
  for (const year of years) {
    for (const t of year.halfTerms)
      lines.push(`half_term,${t.name},${t.start},${t.end}`);
    for (const c2 of year.closures)
      lines.push(`closure,${c2.reason},${c2.start},${c2.end}`);
  }
  return lines.join("\n") + "\n";
}

// analytics/demo/random.ts
function hash128(text2) {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text2.length; i++) {
    const k = text2.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ h1 >>> 18, 597399067);
  h2 = Math.imul(h4 ^ h2 >>> 22, 2869860233);
  h3 = Math.imul(h1 ^ h3 >>> 17, 951274213);
  h4 = Math.imul(h2 ^ h4 >>> 19, 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
var Random = class {
  constructor(seed, path6 = "") {
    this.seed = seed;
    this.path = path6;
    [this.a, this.b, this.c, this.d] = hash128(`${seed}|${path6}`);
    for (let i = 0; i < 15; i++)
      this.next();
  }
  a;
  b;
  c;
  d;
  /** Uniform in [0, 1). */
  next() {
    const t = (this.a + this.b | 0) + this.d | 0;
    this.d = this.d + 1 | 0;
    this.a = this.b ^ this.b >>> 9;
    this.b = this.c + (this.c << 3) | 0;
    this.c = this.c << 21 | this.c >>> 11;
    this.c = this.c + t | 0;
    return (t >>> 0) / 4294967296;
  }
  /** An independent stream named by label, under this stream's path. */
  fork(label) {
    return new Random(this.seed, this.path === "" ? String(label) : `${this.path}/${label}`);
  }
  /** Integer in [min, max], both inclusive. */
  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** Uniform in [min, max). */
  uniform(min, max) {
    return min + this.next() * (max - min);
  }
  chance(p) {
    return this.next() < p;
  }
  pick(items) {
    if (items.length === 0)
      throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)];
  }
  /** Picks by weight: entries are [value, weight] with weights >= 0, not all zero. */
  weighted(entries) {
    let total = 0;
    for (const [, w] of entries)
      total += w;
    let r = this.next() * total;
    for (const [value, w] of entries) {
      r -= w;
      if (r < 0)
        return value;
    }
    return entries[entries.length - 1][0];
  }
  /** Standard normal (Box–Muller). */
  normal() {
    let u = this.next();
    while (u <= Number.EPSILON)
      u = this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  /** Number of failures before the first success, success probability p (0 < p <= 1). */
  geometric(p) {
    let n = 0;
    while (!this.chance(p))
      n++;
    return n;
  }
  /** A new array in random order (Fisher–Yates). */
  shuffled(items) {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  /** k distinct items (or all of them if there are fewer), in random order. */
  sample(items, k) {
    return this.shuffled(items).slice(0, Math.max(0, Math.min(k, items.length)));
  }
};

// analytics/demo/school.ts
function classLetter(index) {
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return index < 26 ? letters[index] : letters[Math.floor(index / 26) - 1] + letters[index % 26];
}
var BOYS = [
  "Oliver",
  "Harry",
  "George",
  "Jack",
  "Noah",
  "Leo",
  "Jacob",
  "Charlie",
  "Freddie",
  "Alfie",
  "Oscar",
  "Arthur",
  "Archie",
  "Henry",
  "Thomas",
  "William",
  "Theo",
  "Joshua",
  "James",
  "Isaac",
  "Max",
  "Lucas",
  "Ethan",
  "Alexander",
  "Finley",
  "Teddy",
  "Reuben",
  "Ollie",
  "Harrison",
  "Logan",
  "Samuel",
  "Dylan",
  "Riley",
  "Toby",
  "Jenson",
  "Edward",
  "Mason",
  "Albie",
  "Louie",
  "Tommy",
  "Frankie",
  "Ronnie",
  "Elliot",
  "Rory",
  "Daniel",
  "Sebastian",
  "Benjamin",
  "Harvey",
  "Joseph",
  "Lewis",
  "Owen",
  "Rhys",
  "Tomos",
  "Evan",
  "Sam",
  "Jude",
  "Stanley",
  "Hugo",
  "Ted",
  "Bobby"
];
var GIRLS = [
  "Olivia",
  "Amelia",
  "Isla",
  "Ava",
  "Mia",
  "Ivy",
  "Lily",
  "Isabella",
  "Rosie",
  "Sophia",
  "Grace",
  "Freya",
  "Willow",
  "Florence",
  "Emily",
  "Ella",
  "Poppy",
  "Evie",
  "Elsie",
  "Charlotte",
  "Evelyn",
  "Sienna",
  "Daisy",
  "Phoebe",
  "Millie",
  "Harper",
  "Matilda",
  "Ruby",
  "Alice",
  "Sophie",
  "Isabelle",
  "Erin",
  "Maisie",
  "Esme",
  "Lottie",
  "Hallie",
  "Eliza",
  "Layla",
  "Darcie",
  "Lucy",
  "Holly",
  "Imogen",
  "Scarlett",
  "Bella",
  "Molly",
  "Hannah",
  "Jessica",
  "Chloe",
  "Megan",
  "Eva",
  "Seren",
  "Ffion",
  "Martha",
  "Beatrice",
  "Violet",
  "Nancy",
  "Edith",
  "Mabel",
  "Orla",
  "Thea"
];
var SURNAMES = [
  "Smith",
  "Jones",
  "Williams",
  "Davies",
  "Evans",
  "Thomas",
  "Roberts",
  "Hughes",
  "Lewis",
  "Morgan",
  "Price",
  "Griffiths",
  "Edwards",
  "Powell",
  "Pugh",
  "Morris",
  "Taylor",
  "Brown",
  "Wilson",
  "Johnson",
  "Wright",
  "Walker",
  "Green",
  "Hall",
  "Wood",
  "Harris",
  "Clarke",
  "Jackson",
  "Turner",
  "Hill",
  "Cooper",
  "Ward",
  "Baker",
  "Bennett",
  "Carter",
  "Phillips",
  "Watkins",
  "Bowen",
  "Preece",
  "Beddoes",
  "Pritchard",
  "Owen",
  "Parry",
  "Mason",
  "Lloyd",
  "Vaughan",
  "Meredith",
  "Gittins",
  "Bright",
  "Tudor",
  "Corbett",
  "Ellis",
  "Harding",
  "Nicholls",
  "Reynolds",
  "Shaw",
  "Lane",
  "Marsh",
  "Barker",
  "Holmes",
  "Moore",
  "Perry",
  "Yapp",
  "Bufton",
  "Jenkins",
  "Rees",
  "Watson",
  "Collins",
  "Fisher",
  "Wells",
  "Oakley",
  "Bevan",
  "Probert",
  "Stead",
  "Hamer",
  "Breakwell",
  "Millichamp",
  "Jukes",
  "Nash"
];
var NAMES_BY_HERITAGE = {
  eastern: {
    boys: ["Jakub", "Szymon", "Filip", "Kacper", "Antoni", "Mateusz", "Andrei", "Lukas", "Matas", "Oskar"],
    girls: ["Zuzanna", "Julia", "Maja", "Lena", "Alicja", "Hanna", "Oliwia", "Emilia", "Ieva", "Natalia"],
    surnames: ["Nowak", "Kowalczyk", "Wojcik", "Kaminski", "Lewandowski", "Zielinski", "Popescu", "Ionescu", "Kazlauskas", "Petrov"]
  },
  south_asian: {
    boys: ["Muhammad", "Ayaan", "Arjun", "Rohan", "Zayn", "Ibrahim", "Aarav", "Yusuf"],
    girls: ["Aisha", "Anaya", "Zara", "Priya", "Maryam", "Amira", "Diya", "Inaya"],
    surnames: ["Khan", "Hussain", "Patel", "Sharma", "Ahmed", "Singh", "Chowdhury", "Iqbal"]
  },
  east_asian: {
    boys: ["Ethan", "Ryan", "Jayden", "Hao", "Lucas"],
    girls: ["Chloe", "Grace", "Mei", "Emily", "Yuna"],
    surnames: ["Chen", "Wong", "Li", "Wang", "Zhang", "Liu"]
  },
  african: {
    boys: ["David", "Daniel", "Tobi", "Kwame", "Samuel", "Emmanuel"],
    girls: ["Favour", "Precious", "Amara", "Esther", "Grace", "Zainab"],
    surnames: ["Adebayo", "Okafor", "Mensah", "Osei", "Okonkwo", "Bello"]
  }
};
var ETHNICITIES = [
  // code, weight, chance of EAL, naming heritage
  ["WBRI", 852, 3e-3, "british"],
  ["WIRI", 5, 0, "british"],
  ["WOTH", 48, 0.68, "eastern"],
  ["WROM", 2, 0.5, "eastern"],
  ["MWBC", 10, 0, "british"],
  ["MWBA", 6, 0.05, "british"],
  ["MWAS", 12, 0.05, "british"],
  ["MOTH", 11, 0.1, "british"],
  ["AIND", 9, 0.5, "south_asian"],
  ["APKN", 4, 0.6, "south_asian"],
  ["ABAN", 2, 0.6, "south_asian"],
  ["AOTH", 4, 0.5, "south_asian"],
  ["BAFR", 6, 0.4, "african"],
  ["BCRB", 2, 0, "british"],
  ["CHNE", 5, 0.6, "east_asian"],
  ["OOTH", 4, 0.6, "eastern"],
  ["REFU", 8, 0.01, "british"],
  ["NOBT", 10, 0.01, "british"]
];
var UPN_LAS = [
  ["893", 86],
  ["884", 7],
  // Herefordshire
  ["894", 3],
  // Telford and Wrekin
  ["885", 2],
  // Worcestershire
  ["860", 1],
  // Staffordshire
  ["380", 1]
  // Bradford (moved in)
];
function clamp(x, lo, hi) {
  return x < lo ? lo : x > hi ? hi : x;
}
function createSchool({ seed, today, years, pupils: size }) {
  const root = new Random(seed);
  const firstYear = years[0].startYear;
  const currentYear = years[years.length - 1].startYear;
  const lastFullYear = currentYear - 1;
  const settledYear = Math.max(firstYear, lastFullYear);
  const cohortSize = size === void 0 ? void 0 : Math.max(8, Math.round(size / 4));
  const classes = cohortSize === void 0 ? 2 : Math.max(2, Math.round(cohortSize / 30));
  const estabs = cohortSize === void 0 ? 6 : Math.max(6, Math.ceil(cohortSize / 100));
  const usedUpns = /* @__PURE__ */ new Set();
  const estabByLa = /* @__PURE__ */ new Map();
  for (const [la] of UPN_LAS) {
    const r = root.fork(`estab:${la}`);
    estabByLa.set(la, Array.from({ length: estabs }, () => r.int(2e3, 3999)));
  }
  const pupils = [];
  const newPupil = (entryYear, admissionDate) => {
    const id = pupils.length;
    const r = root.fork(`pupil:${id}`);
    const sex = r.chance(0.5) ? "M" : "F";
    const [ethnicity, , ealChance, heritage] = r.weighted(ETHNICITIES.map((e) => [e, e[1]]));
    const names = NAMES_BY_HERITAGE[heritage];
    const forename = names ? r.pick(sex === "M" ? names.boys : names.girls) : r.pick(sex === "M" ? BOYS : GIRLS);
    const surname = names && r.chance(0.85) ? r.pick(names.surnames) : r.pick(SURNAMES);
    const dobStart = dayNumber(`${entryYear - 8}-09-01`);
    const dob = isoOfDay(dobStart + r.int(0, 364));
    let upn = "";
    do {
      const la = r.weighted(UPN_LAS);
      const estab = r.pick(estabByLa.get(la));
      const allocated = String((entryYear - 3 + (r.chance(0.1) ? r.int(0, 3) : 0)) % 100).padStart(2, "0");
      const body = `${la}${estab}${allocated}${String(r.int(1, 999)).padStart(3, "0")}`;
      upn = upnCheckLetter(body) + body;
    } while (usedUpns.has(upn));
    usedUpns.add(upn);
    const latenessBand = r.weighted([
      [4e-3, 70],
      [0.03, 24],
      [0.1, 6]
    ]);
    const pupil = {
      id,
      upn,
      forename,
      surname,
      dob,
      sex,
      ethnicity,
      eal: r.chance(ealChance),
      lac: false,
      entryYear,
      admissionDate,
      leavingDate: `${entryYear + 4}-07-31`,
      classIndex: 0,
      rural: r.chance(0.25),
      lateness: latenessBand,
      holidayRisk: r.chance(0.15) ? 0.4 : 0.03,
      profile: "ordinary",
      fsm: /* @__PURE__ */ new Map(),
      sen: /* @__PURE__ */ new Map(),
      absenceRate: /* @__PURE__ */ new Map()
    };
    pupils.push(pupil);
    return pupil;
  };
  const yearGroupOf = (p, year) => 3 + year - p.entryYear;
  const yearStart = (year) => `${year}-08-01`;
  const yearEnd = (year) => `${year + 1}-07-31`;
  const onRollIn = (p, year) => {
    const g = yearGroupOf(p, year);
    return g >= 3 && g <= 6 && p.admissionDate <= yearEnd(year) && p.leavingDate >= yearStart(year);
  };
  for (let entry = firstYear - 3; entry <= currentYear; entry++) {
    const r = root.fork(`cohort:${entry}`);
    const size2 = cohortSize === void 0 ? r.int(57, 61) : r.int(cohortSize - 2, cohortSize + 1);
    const members = [];
    for (let i = 0; i < size2; i++) {
      let admission = `${entry}-09-01`;
      if (entry < firstYear && r.chance(0.08)) {
        const from = dayNumber(`${entry}-09-01`);
        const to = dayNumber(`${firstYear}-07-10`);
        admission = nextSchoolDay(isoOfDay(from + r.int(0, to - from)));
      }
      members.push(newPupil(entry, admission));
    }
    r.shuffled(members).forEach((p, i) => p.classIndex = i % classes);
  }
  for (const year of years) {
    const y = year.startYear;
    const days = year.schoolDays;
    const r = root.fork(`movement:${y}`);
    const cohort = (g) => pupils.filter((p) => p.entryYear === y - (g - 3) && onRollIn(p, y) && p.leavingDate === `${p.entryYear + 4}-07-31`);
    const leavers = r.int(3, 6);
    for (let k = 0; k < leavers; k++)
      r.pick(cohort(r.int(3, 6))).leavingDate = days[r.int(10, days.length - 15)];
    for (let k = r.int(0, 2); k > 0; k--)
      r.pick(cohort(r.int(3, 5))).leavingDate = `${y + 1}-07-31`;
    const joiners = r.int(3, 6);
    for (let k = 0; k < joiners; k++) {
      const g = r.int(3, 6);
      const admission = g > 3 && r.chance(0.3) ? `${y}-09-01` : days[r.int(3, days.length - 10)];
      newPupil(y - (g - 3), admission).classIndex = r.int(0, classes - 1);
    }
  }
  for (const p of pupils) {
    const r = root.fork(`traits:${p.id}`);
    const latent = r.normal();
    let fsm = r.chance(0.19);
    let sen = r.chance(0.022) ? "E" : r.chance(fsm ? 0.19 : 0.12) ? "K" : "N";
    let improving = 1;
    let previous = 0;
    let first = true;
    for (let y = Math.max(firstYear, p.entryYear); y <= Math.min(currentYear, p.entryYear + 3); y++) {
      if (!onRollIn(p, y))
        continue;
      if (!first) {
        if (fsm ? r.chance(0.07) : r.chance(0.03))
          fsm = !fsm;
        if (sen === "N" && r.chance(0.03))
          sen = "K";
        else if (sen === "K" && r.chance(0.1))
          sen = "N";
        else if (sen === "K" && r.chance(0.04))
          sen = "E";
        if (previous >= 0.09 && improving === 1 && r.chance(0.35))
          improving = 0.55;
      }
      first = false;
      p.fsm.set(y, fsm);
      p.sen.set(y, sen);
      const multiplier = (fsm ? 2.3 : 1) * (sen === "E" ? 1.7 : sen === "K" ? 1.35 : 1);
      const rate2 = clamp(Math.exp(Math.log(0.021) + 1.08 * latent + 0.22 * r.normal()) * multiplier * improving, 4e-3, 0.42);
      p.absenceRate.set(y, rate2);
      previous = rate2;
    }
  }
  const special = root.fork("special");
  const stayers = (entry) => pupils.filter(
    (p) => p.entryYear === entry && p.admissionDate <= `${settledYear}-09-01` && p.leavingDate >= yearEnd(currentYear) && p.absenceRate.has(settledYear)
  );
  const anxious = special.pick(stayers(settledYear - 1));
  anxious.profile = "anxiety";
  const anxietyRates = { [firstYear]: 0.14, [lastFullYear]: 0.55, [currentYear]: 0.62 };
  for (const y of anxious.absenceRate.keys()) {
    anxious.absenceRate.set(y, anxietyRates[y] ?? anxietyRates[firstYear]);
    if (y >= lastFullYear)
      anxious.sen.set(y, "K");
    anxious.fsm.set(y, true);
  }
  const partTime = special.pick(stayers(settledYear).filter((p) => p !== anxious));
  partTime.profile = "part-time";
  for (const y of partTime.absenceRate.keys()) {
    partTime.sen.set(y, "E");
    partTime.absenceRate.set(y, 0.24);
  }
  const others = pupils.filter((p) => p.profile === "ordinary");
  const oRunFirst = special.pick(others.filter((p) => p.absenceRate.has(firstYear)));
  oRunFirst.oRunYear = firstYear;
  const oRunLast = special.pick(others.filter((p) => p.absenceRate.has(settledYear) && p !== oRunFirst));
  oRunLast.oRunYear = settledYear;
  const lacA = special.pick(stayers(settledYear - 1).filter((p) => p.profile === "ordinary"));
  lacA.lac = true;
  const lacB = special.pick(stayers(settledYear).filter((p) => p.profile === "ordinary" && p !== lacA));
  lacB.lac = true;
  for (const p of [lacA, lacB])
    for (const [y, rate2] of p.absenceRate)
      p.absenceRate.set(y, Math.min(rate2, 0.05));
  return { seed, today, years, pupils, classes };
}
function yearGroupIn(pupil, startYear) {
  return 3 + startYear - pupil.entryYear;
}
function pupilsCsv(school, year) {
  const y = year.startYear;
  const end = `${y + 1}-07-31`;
  const lines = ["upn,forename,surname,dob,sex,year_group,reg_group,admission_date,leaving_date,sen,fsm,eal,lac,ethnicity"];
  const cmp2 = (a, b) => a < b ? -1 : a > b ? 1 : 0;
  const rows = school.pupils.filter((p) => p.absenceRate.has(y) && p.admissionDate <= school.today && p.leavingDate >= `${y}-08-01`).sort(
    (a, b) => b.entryYear - a.entryYear || a.classIndex - b.classIndex || cmp2(a.surname, b.surname) || cmp2(a.forename, b.forename) || cmp2(a.upn, b.upn)
  );
  for (const p of rows) {
    const g = yearGroupIn(p, y);
    const leaving = p.leavingDate <= end && p.leavingDate <= school.today ? p.leavingDate : "";
    const yn = (b) => b ? "Y" : "N";
    lines.push(
      [
        p.upn,
        p.forename,
        p.surname,
        p.dob,
        p.sex,
        String(g),
        `${g}${classLetter(p.classIndex)}`,
        p.admissionDate,
        leaving,
        p.sen.get(y),
        yn(p.fsm.get(y)),
        yn(p.eal),
        yn(p.lac),
        p.ethnicity
      ].join(",")
    );
  }
  return lines.join("\n") + "\n";
}
var MONTH_FACTOR = [1.3, 1.25, 1, 0.85, 0.8, 0.8, 0.9, 1, 0.7, 0.95, 1.05, 1.35];
var WEEKDAY_FACTOR = [1.15, 0.9, 0.85, 0.9, 1.3];
var WEEKDAY_UNAUTH = [1.3, 0.8, 0.7, 0.8, 1.6];
function yearEvents(school, year) {
  const r = new Random(school.seed, `events:${year.startYear}`);
  const days = year.schoolDays;
  const winter = days.map((d, i) => ({ d, i })).filter(({ d }) => weekdayOf2(d) === 0 && (d.slice(5, 7) === "12" || d.slice(5, 7) === "01" || d.slice(5, 7) === "02"));
  const flu = winter.length ? r.pick(winter).i : -1;
  const illness = days.map((d, i) => {
    const flu_ = flu >= 0 && i >= flu && i < flu + 5 ? 2.6 : 1;
    return MONTH_FACTOR[Number(d.slice(5, 7)) - 1] * WEEKDAY_FACTOR[weekdayOf2(d)] * flu_;
  });
  const meanIllness = illness.reduce((a, b) => a + b, 0) / illness.length;
  const trips = /* @__PURE__ */ new Map();
  const inTerm = (prefix) => {
    const t = year.halfTerms.filter((h) => h.name.startsWith(prefix));
    return days.filter((d) => t.some((h) => d >= h.start && d <= h.end) && d > t[0].start && weekdayOf2(d) !== 0);
  };
  const autumnSpring = [...inTerm("autumn"), ...inTerm("spring")];
  const summer = inTerm("summer");
  const summer1 = days.filter((d) => {
    const h = year.halfTerms.find((t) => t.name === "summer-1");
    return d >= h.start && d <= h.end;
  });
  const mondays = summer1.map((d, i) => ({ d, i })).filter(({ d, i }) => weekdayOf2(d) === 0 && i + 2 < summer1.length);
  const residential = mondays.length ? r.pick(mondays) : null;
  for (let g = 3; g <= 6; g++) {
    for (let c2 = 0; c2 < school.classes; c2++) {
      const set = /* @__PURE__ */ new Set([r.pick(autumnSpring)]);
      if (g === 6 && residential)
        for (let k = 0; k < 3; k++)
          set.add(summer1[residential.i + k]);
      else if (summer.length)
        set.add(r.pick(summer));
      trips.set(`${g}:${c2}`, set);
    }
  }
  const fixtures = /* @__PURE__ */ new Map();
  const candidates2 = school.pupils.filter((p) => {
    const g = yearGroupIn(p, year.startYear);
    return p.absenceRate.has(year.startYear) && (g === 5 || g === 6);
  });
  for (let k = 0; k < 5; k++) {
    const day2 = r.pick(days);
    fixtures.set(day2, new Set(r.sample(candidates2, 8).map((p) => p.id)));
  }
  const snowDays = days.filter((d) => d.slice(5, 7) === "01" || d.slice(5, 7) === "02");
  const snowDay = snowDays.length && r.chance(0.6) ? r.pick(snowDays) : null;
  const breaks = [];
  for (const t of year.halfTerms) {
    let last = -1;
    for (let i = 0; i < days.length; i++)
      if (days[i] <= t.end)
        last = i;
    if (last >= 0 && (breaks.length === 0 || breaks[breaks.length - 1] !== last))
      breaks.push(last);
  }
  return { illness, meanIllness, trips, fixtures, snowDay, breaks };
}
function recentSchoolDays(school, count2) {
  const all = school.years.flatMap((y) => y.schoolDays).filter((d) => d <= school.today);
  return new Set(all.slice(Math.max(0, all.length - count2)));
}
function marksCsv(school, year, through) {
  const y = year.startYear;
  const days = year.schoolDays;
  const events = yearEvents(school, year);
  const nWindow = recentSchoolDays(school, 8);
  const lastFull = school.years[school.years.length - 1].startYear - 1;
  const newRegime = days.map((d) => d >= REGIME_2024_FROM);
  const partTimeFrom = `${lastFull}-08-01`;
  const out = ["upn,date,session,code,minutes_late"];
  const todayAm = !through || through.date >= school.today;
  const todayPm = !through || through.date > school.today || through.date === school.today && through.pm;
  for (const p of school.pupils) {
    const rate2 = p.absenceRate.get(y);
    if (rate2 === void 0)
      continue;
    const r = new Random(school.seed, `marks:${y}:${p.id}`);
    const g = yearGroupIn(p, y);
    const sen = p.sen.get(y);
    const trips = events.trips.get(`${g}:${p.classIndex}`);
    const anxious = p.profile === "anxiety";
    const partTime = p.profile === "part-time";
    const spellContinue = anxious ? 0.72 : 0.45;
    const meanSpell = 1 / (1 - spellContinue);
    const illnessShare = anxious ? 0.65 : rate2 > 0.1 ? 0.68 : 0.78;
    const pIllness = illnessShare * rate2 / (meanSpell * (1 - rate2) + rate2) / events.meanIllness;
    const pOther = (anxious ? 0.3 : rate2 > 0.1 ? 0.14 : 0.05) * rate2 / (1 - rate2);
    const pMedical = sen === "N" ? 5e-3 : 0.011;
    const holiday = /* @__PURE__ */ new Map();
    if (!anxious && !partTime && r.chance(p.holidayRisk)) {
      const end = r.pick(events.breaks.filter((b) => b > 10));
      const length = r.int(2, 5);
      const agreed = r.chance(0.25);
      for (let i = end - length + 1; i <= end; i++) {
        holiday.set(days[i], newRegime[i] ? "G" : agreed ? "H" : "G");
      }
    }
    const oRun = /* @__PURE__ */ new Set();
    if (p.oRunYear === y) {
      const spring = year.halfTerms.find((h) => h.name === "spring-1");
      const start = days.findIndex((d) => d >= spring.start) + r.int(3, 12);
      const length = r.int(7, 10);
      for (let i = start; i < start + length && i < days.length; i++)
        oRun.add(days[i]);
    }
    let illLeft = 0;
    let nSpell = false;
    let awayYesterday = false;
    for (let i = 0; i < days.length; i++) {
      const date = days[i];
      if (date > school.today)
        break;
      if (date < p.admissionDate || date > p.leavingDate)
        continue;
      const wd = weekdayOf2(date);
      const regime2024 = newRegime[i];
      let am = "/";
      let pm = "\\";
      let amLate = "";
      const hol = holiday.get(date);
      if (hol) {
        am = pm = hol;
      } else if (oRun.has(date)) {
        am = pm = "O";
      } else if (anxious) {
        const stay = rate2 + (1 - rate2) * 0.35;
        const start = rate2 * (1 - stay) / (1 - rate2);
        if (r.chance(awayYesterday ? stay : Math.min(0.95, start * (wd === 0 ? 1.4 : 1)))) {
          if (!awayYesterday)
            nSpell = nWindow.has(date) && r.chance(0.35);
          am = pm = r.chance(0.35) ? "O" : "I";
        }
      } else if (illLeft > 0) {
        am = pm = "I";
        illLeft--;
      } else if (r.chance(pIllness * events.illness[i])) {
        illLeft = r.geometric(1 - spellContinue);
        nSpell = nWindow.has(date) && r.chance(0.12);
        if (r.chance(0.12))
          pm = "I";
        else
          am = pm = "I";
      } else if (r.chance(pOther * WEEKDAY_UNAUTH[wd])) {
        am = pm = "O";
        nSpell = nWindow.has(date) && r.chance(0.12);
      } else if (r.chance(pMedical)) {
        if (r.chance(0.6))
          am = "M";
        else
          pm = "M";
      } else if (r.chance(7e-4)) {
        am = pm = "C";
      }
      if (partTime && date >= partTimeFrom)
        pm = regime2024 ? "C2" : "C";
      if (events.snowDay === date && p.rural && am === "/") {
        am = regime2024 ? "Y1" : "Y";
        if (pm === "\\")
          pm = am;
      }
      if (trips.has(date)) {
        if (am === "/")
          am = "V";
        if (pm === "\\")
          pm = "V";
      }
      if (pm === "\\" && events.fixtures.get(date)?.has(p.id))
        pm = "P";
      if (am === "/" && r.chance(p.lateness * (wd === 0 ? 1.3 : 1))) {
        if (r.chance(0.07)) {
          am = "U";
          amLate = String(r.int(32, 70));
        } else {
          am = "L";
          amLate = String(Math.min(25, 5 + r.geometric(0.18)));
        }
      }
      if (nWindow.has(date) && nSpell) {
        if (am === "I" || am === "O")
          am = "N";
        if (pm === "I" || pm === "O")
          pm = "N";
      }
      awayYesterday = am === "I" || am === "O" || am === "N";
      if (date !== school.today || todayAm)
        out.push(`${p.upn},${date},AM,${am},${amLate}`);
      if (date !== school.today || todayPm)
        out.push(`${p.upn},${date},PM,${pm},`);
    }
  }
  return out.join("\n") + "\n";
}
function nextSchoolDay(iso2) {
  const year = academicYearOf2(iso2);
  return academicYearCalendar(year).schoolDays.find((d) => d >= iso2) ?? academicYearCalendar(year + 1).schoolDays[0];
}

// analytics/interventions/store.ts
import { format as format5, parseISO as parseISO5 } from "date-fns";
import { enGB as enGB2 } from "date-fns/locale";
async function ensureInterventionsTable(connection) {
  await ensureTable(connection, "interventions", INTERVENTIONS_DDL);
}
var EFFECTIVE_INTERVENTIONS_CTE = `effective_interventions AS (
    SELECT i.intervention_id, i.upn, i.type, i.date, i.note, i.recorded_by, i.recorded_by_role, i.label
    FROM interventions i
    WHERE NOT i.withdrawn
      AND NOT EXISTS (SELECT 1 FROM interventions c WHERE c.corrects = i.intervention_id))`;
var LEGACY_LABELS = interventionLabels(LEGACY_LABEL_NUMBERS);
function recordedLabel(type, stored) {
  return typeof stored === "string" && stored.length > 0 ? stored : LEGACY_LABELS[type] ?? type;
}
async function pupilEntryRows(connection, upn) {
  await ensureInterventionsTable(connection);
  return cachedRowsToRead(
    connection,
    `SELECT i.intervention_id AS id, i.upn, i.type, strftime(i.date, '%Y-%m-%d') AS date, i.note,
            strftime(i.recorded_at, '%Y-%m-%d %H:%M') AS recorded_at, i.recorded_by, i.recorded_by_role,
            i.corrects, i.withdrawn, i.label,
            s.intervention_id AS corrected_by, s.withdrawn AS superseded_withdraws,
            strftime(s.recorded_at, '%Y-%m-%d %H:%M') AS superseded_at
     FROM interventions i
     -- The first later entry naming this one: its correction or its withdrawal.
     LEFT JOIN (SELECT corrects, min(intervention_id) AS first_id FROM interventions WHERE corrects IS NOT NULL GROUP BY corrects) f
       ON f.corrects = i.intervention_id
     LEFT JOIN interventions s ON s.intervention_id = f.first_id
     WHERE i.upn = $upn
     ORDER BY i.date DESC, i.intervention_id DESC`,
    { upn }
  );
}

// analytics/one-pupil.ts
import { format as format6, parseISO as parseISO6, startOfISOWeek as startOfISOWeek2 } from "date-fns";
var PUPIL_IDENTITY_SQL = `SELECT upn, forename, surname, strftime(dob, '%Y-%m-%d') AS dob, sex, ethnicity,
            strftime(admission_date, '%Y-%m-%d') AS admission_date, strftime(leaving_date, '%Y-%m-%d') AS leaving_date
     FROM pupils WHERE upn = $upn`;
var PUPIL_SPELLS_SQL = `SELECT strftime(valid_from, '%Y-%m-%d') AS valid_from, strftime(valid_to, '%Y-%m-%d') AS valid_to,
            year_group, reg_group, sen, fsm, eal, lac
     FROM pupil_characteristics WHERE upn = $upn ORDER BY valid_from`;
var PUPIL_MARKS_SQL = `SELECT strftime(m.date, '%Y-%m-%d') AS date, CASE WHEN m.pm THEN 'PM' ELSE 'AM' END AS session, m.code::VARCHAR AS code,
            cc.category, cc.meaning, m.minutes_late
     FROM mark_store m
     JOIN code_catalogue cc ON cc.code = m.code
      AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     WHERE m.pupil_id = (SELECT pupil_id FROM pupil_ids WHERE upn = $upn) AND m.date BETWEEN $from::DATE AND $to::DATE
     ORDER BY m.date, m.pm`;
var pupilMarksParams = (upn, span) => ({ upn, from: span.from, to: span.to, regime_from: REGIME_2024_FROM });
var PUPIL_DAYS_SQL = `SELECT strftime(d.date, '%Y-%m-%d') AS date, d.possible, d.present, d.aea, d.authorised, d.unauthorised, d.marks
     FROM mark_days d WHERE d.pupil_id = (SELECT pupil_id FROM pupil_ids WHERE upn = $upn)`;
function onePupilDays(connection, upn) {
  return cachedRowsToRead(connection, PUPIL_DAYS_SQL, { upn });
}
async function onePupilRoll(connection, upn) {
  return cachedOne(connection, PUPIL_IDENTITY_SQL, { upn });
}
var SCHOOL_YEARS_SQL = `SELECT strftime(date, '%Y-%m-%d') AS date, academic_year FROM school_days`;
async function inScope(connection, upn, span) {
  const identity = await onePupilRoll(connection, upn);
  if (!identity)
    return 0;
  const leaving = identity.leaving_date;
  if (identity.admission_date > span.to || leaving !== null && leaving < span.from)
    return 0;
  const at = leaving !== null && leaving < span.to ? leaving : span.to;
  const spells = await cachedRowsToRead(connection, PUPIL_SPELLS_SQL, { upn });
  return spells.filter((s) => s.valid_from <= at && (s.valid_to === null || s.valid_to >= at)).length;
}
function mondayOf(date) {
  return format6(startOfISOWeek2(parseISO6(date)), "yyyy-MM-dd");
}
function countsOf(sums) {
  const counted = sums.possible > 0;
  const absent = sums.authorised + sums.unauthorised;
  return {
    pupils: counted ? 1 : 0,
    possible_sessions: sums.possible,
    present_sessions: sums.present,
    aea_sessions: sums.aea,
    authorised_sessions: sums.authorised,
    unauthorised_sessions: sums.unauthorised,
    pa_pupils: persistentlyAbsent(sums.possible, absent) ? 1 : 0,
    sa_pupils: severelyAbsent(sums.possible, absent) ? 1 : 0
  };
}
async function onePupilCounts(connection, upn, span, by) {
  const [times, days, years] = await Promise.all([
    inScope(connection, upn, span),
    onePupilDays(connection, upn),
    by === "academic_year" ? cachedRowsToRead(connection, SCHOOL_YEARS_SQL) : Promise.resolve([])
  ]);
  if (times === 0)
    return by ? [] : [{ group: "", counts: countsOf({ possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0 }) }];
  const yearOf = new Map(years.map((r) => [r.date, r.academic_year]));
  const groupOf = (date) => by === "month" ? date.slice(0, 7) : by === "week" ? mondayOf(date) : by === "academic_year" ? yearOf.get(date) ?? academicYearOf(date) : "";
  const sums = /* @__PURE__ */ new Map();
  for (const d of days) {
    if (d.date < span.from || d.date > span.to)
      continue;
    const group = groupOf(d.date);
    let s = sums.get(group);
    if (!s)
      sums.set(group, s = { first: d.date, possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0 });
    if (d.date < s.first)
      s.first = d.date;
    s.possible += times * Number(d.possible);
    s.present += times * Number(d.present);
    s.aea += times * Number(d.aea);
    s.authorised += times * Number(d.authorised);
    s.unauthorised += times * Number(d.unauthorised);
  }
  if (!by)
    return [{ group: "", counts: countsOf(sums.get("") ?? { possible: 0, present: 0, aea: 0, authorised: 0, unauthorised: 0 }) }];
  const order = by === "academic_year" ? (a, b) => cmp(a[1].first, b[1].first) : (a, b) => cmp(a[0], b[0]);
  return [...sums].sort(order).map(([group, s]) => ({ group, counts: countsOf(s) }));
}
var cmp = (a, b) => a < b ? -1 : a > b ? 1 : 0;
async function onePupilCodes(connection, upn, span) {
  const times = await inScope(connection, upn, span);
  if (times === 0)
    return [];
  const marks = await cachedRowsToRead(connection, PUPIL_MARKS_SQL, pupilMarksParams(upn, span));
  const codes = /* @__PURE__ */ new Map();
  for (const m of marks) {
    const seen = codes.get(m.code);
    if (!seen)
      codes.set(m.code, { code: m.code, category: m.category, meaning: m.meaning, sessions: times });
    else if (seen.category !== m.category || seen.meaning !== m.meaning)
      return null;
    else
      seen.sessions += times;
  }
  return [...codes.values()].sort((a, b) => b.sessions - a.sessions || cmp(a.code, b.code));
}

// analytics/interventions/below-line.ts
function belowLine(attended, possible, line, minPossible) {
  return possible >= minPossible && (line.inclusive ? 100 * attended <= line.pct * possible : 100 * attended < line.pct * possible);
}

// analytics/register-windows.ts
import { addDays as addDays4, format as format7, parseISO as parseISO7 } from "date-fns";

// analytics/casework/pupil-days.ts
var PUPIL_DAYS_CTE = `
    pupil_days AS NOT MATERIALIZED (
      SELECT d.pupil_id, d.date, d.possible::INTEGER AS possible, (d.present + d.aea)::INTEGER AS attended,
             d.authorised::INTEGER AS authorised, d.unauthorised::INTEGER AS unauthorised,
             d.present::INTEGER AS present, d.aea::INTEGER AS aea
      FROM mark_days d
      WHERE d.date BETWEEN $pd_from::DATE AND $pd_to::DATE)`;
function pupilUnitsSql(period, cutsRelation) {
  const sql = `
    pupil_unit_cuts AS (
      -- Weeks a cut falls inside (a cut on a Monday splits no week), with the period's own ends.
      SELECT DISTINCT date_trunc('week', cut)::DATE AS week
      FROM (SELECT cut FROM ${cutsRelation} UNION ALL SELECT $pu_from::DATE UNION ALL SELECT $pu_to::DATE + 1) c(cut)
      WHERE cut IS NOT NULL AND isodow(cut) <> 1),
    -- The seven dates of each such week: its days are picked by date (a hash join on a handful
    -- of dates), not by truncating every day of the period to its week (that took ~30 ms a
    -- year at 4,500 pupils, the bulk of the rules' time).
    pupil_unit_cut_days AS (SELECT c.week + i::INTEGER AS date FROM pupil_unit_cuts c CROSS JOIN range(7) r(i)),
    pupil_units AS (
      SELECT w.pupil_id, w.first_date, w.last_date, w.possible::INTEGER AS possible, (w.present + w.aea)::INTEGER AS attended,
             w.authorised::INTEGER AS authorised, w.unauthorised::INTEGER AS unauthorised,
             w.present::INTEGER AS present, w.aea::INTEGER AS aea
      FROM mark_weeks w
      WHERE w.week >= date_trunc('week', $pu_from::DATE) AND w.week <= $pu_to::DATE
        AND w.week NOT IN (SELECT week FROM pupil_unit_cuts)
      UNION ALL
      SELECT d.pupil_id, d.date, d.date, d.possible::INTEGER, (d.present + d.aea)::INTEGER, d.authorised::INTEGER,
             d.unauthorised::INTEGER, d.present::INTEGER, d.aea::INTEGER
      FROM mark_days d JOIN pupil_unit_cut_days USING (date)
      WHERE d.date BETWEEN $pu_from::DATE AND $pu_to::DATE)`;
  return { sql, params: { pu_from: period.from, pu_to: period.to } };
}

// analytics/register-windows.ts
var SCHOOL_CALENDAR_CTES = `
  -- Two disjoint parts (the second only without a calendar), each made distinct on its own:
  -- a UNION's one distinct over both was sized for the whole of mark_days (DuckDB's estimate of
  -- the second part), ~21 ms of CPU on a 191-row calendar at 4,500 pupils, in every query here.
  school_days_all AS (
    SELECT DISTINCT date FROM school_days
    UNION ALL
    SELECT DISTINCT date FROM mark_days WHERE NOT EXISTS (SELECT 1 FROM school_days)),
  school_weeks AS (
    SELECT date_trunc('week', date)::DATE AS week, min(date) AS first_day, max(date) AS last_day,
           row_number() OVER (ORDER BY date_trunc('week', date)::DATE) AS n
    FROM school_days_all GROUP BY date_trunc('week', date)::DATE),
  school_day_index AS (
    SELECT date, row_number() OVER (ORDER BY date) AS d FROM school_days_all)`;
var ON_ROLL_CTE = `
  roll AS (
    SELECT p.upn, p.forename, p.surname, coalesce(ch.year_group, '') AS year_group, coalesce(ch.reg_group, '') AS reg_group
    FROM pupils p
    LEFT JOIN pupil_characteristics ch ON ch.upn = p.upn AND ch.valid_from <= $as_of::DATE AND (ch.valid_to IS NULL OR ch.valid_to >= $as_of::DATE)
    WHERE p.admission_date <= $as_of::DATE AND (p.leaving_date IS NULL OR p.leaving_date >= $as_of::DATE))`;
var TRENDING_WEEKS = 4;
var FORECAST_RECENT_WEEKS = 6;
function yearAndRecentSessionsCtes(weeks, period) {
  if (weeks.length === 0)
    throw new Error("at least one recent window is needed");
  for (const w of weeks)
    if (!Number.isInteger(w) || w < 1)
      throw new Error(`weeks must be a whole number of school weeks, got ${w}`);
  const units = pupilUnitsSql(period, "recent_cut");
  const windows = [...new Set(weeks)];
  return {
    params: units.params,
    sql: `
  ${windows.map(
      (w) => `recent${w} AS (
    SELECT min(first_day) AS first_day FROM (
      SELECT first_day FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT ${w})),`
    ).join("\n  ")}
  recent_cut AS (${windows.map((w) => `SELECT first_day AS cut FROM recent${w}`).join(" UNION ALL ")}),
  ${units.sql.replace(/^\s*/, "")},
  per_pupil AS (
    SELECT k.upn, x.*
    FROM (
      SELECT u.pupil_id,
             coalesce(sum(u.possible), 0)::BIGINT AS y_pos, coalesce(sum(u.attended), 0)::BIGINT AS y_att,
             ${windows.map(
      (w) => `coalesce(sum(u.possible) FILTER (WHERE u.first_date >= recent${w}.first_day), 0)::BIGINT AS r${w}_pos,
             coalesce(sum(u.attended) FILTER (WHERE u.first_date >= recent${w}.first_day), 0)::BIGINT AS r${w}_att`
    ).join(",\n             ")}
      FROM pupil_units u ${windows.map((w) => `CROSS JOIN recent${w}`).join(" ")} GROUP BY u.pupil_id) x
    JOIN pupil_ids k USING (pupil_id))`
  };
}
async function yearAndRecentSessions(connection, asOf) {
  const year = academicYearBounds(academicYearOf(asOf));
  const sessions2 = yearAndRecentSessionsCtes([TRENDING_WEEKS, FORECAST_RECENT_WEEKS], { from: year.from, to: asOf });
  return cachedRowsToRead(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${ON_ROLL_CTE}, ${sessions2.sql}
     SELECT x.upn, r.upn IS NOT NULL AS on_roll, r.forename, r.surname, r.year_group, r.reg_group,
            x.y_pos::INTEGER AS y_pos, x.y_att::INTEGER AS y_att,
            x.r${TRENDING_WEEKS}_pos::INTEGER AS r4_pos, x.r${TRENDING_WEEKS}_att::INTEGER AS r4_att,
            x.r${FORECAST_RECENT_WEEKS}_pos::INTEGER AS r6_pos, x.r${FORECAST_RECENT_WEEKS}_att::INTEGER AS r6_att,
            strftime((SELECT first_day FROM recent${TRENDING_WEEKS}), '%Y-%m-%d') AS trending_from,
            (SELECT count(*) FROM school_days WHERE date > $as_of::DATE AND date <= $year_end::DATE)::INTEGER AS remaining_days
     FROM per_pupil x LEFT JOIN roll r USING (upn)
     WHERE x.y_pos > 0
     ORDER BY r.surname, r.forename, x.upn`,
    { as_of: asOf, year_end: year.to, ...sessions2.params }
  );
}

// analytics/interventions/register-showed.ts
var crossedKey = (upn, line) => `${upn}|${line.pct}|${Boolean(line.inclusive)}`;
async function penaltyWindowStart(connection, asOf, windowWeeks) {
  const row = await cachedOne(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}
     SELECT strftime(min(week), '%Y-%m-%d') AS first_week FROM (SELECT week FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT $window_weeks)`,
    { as_of: asOf, window_weeks: windowWeeks }
  );
  return row?.first_week ?? null;
}
async function lateChanges(connection, args) {
  const moved = (name) => `(${inCodeMask(name, "a.date", "a.new_code", "regime_from")})::INTEGER - (${inCodeMask(name, "a.date", "a.original_code", "regime_from")})::INTEGER`;
  const rows = await cachedRows(
    connection,
    `WITH c AS (
       SELECT a.upn, a.date, a.amended_at::DATE AS made,
              ${moved("counted")} AS possible, ${moved("attended")} AS attended, ${moved("unauthorised")} AS unauthorised
       FROM amendments a
       WHERE a.date BETWEEN $from::DATE AND $as_of::DATE AND a.amended_at::DATE > a.date AND a.amended_at::DATE <= $as_of::DATE)
     SELECT upn, strftime(date, '%Y-%m-%d') AS date, strftime(made, '%Y-%m-%d') AS made, possible, attended, unauthorised
     FROM c WHERE possible <> 0 OR attended <> 0 OR unauthorised <> 0
     ORDER BY upn, made, date`,
    {
      from: args.from,
      as_of: args.asOf,
      regime_from: REGIME_2024_FROM,
      ...codeMaskParams("counted", ["present", "aea", "authorised", "unauthorised"]),
      ...codeMaskParams("attended", ["present", "aea"]),
      ...codeMaskParams("unauthorised", ["unauthorised"])
    }
  );
  const byUpn = /* @__PURE__ */ new Map();
  for (const row of rows) {
    const list = byUpn.get(row.upn) ?? [];
    list.push({ date: row.date, made: row.made, possible: Number(row.possible), attended: Number(row.attended), unauthorised: Number(row.unauthorised) });
    byUpn.set(row.upn, list);
  }
  return byUpn;
}
function firstShown(run, changes, holds) {
  if (run.length === 0)
    return null;
  const times = [.../* @__PURE__ */ new Set([...run.map((d) => d.date), ...changes.map((c2) => c2.made).filter((m) => m > run[0].date)])].sort();
  let latest = 0;
  for (const t of times) {
    while (latest + 1 < run.length && run[latest + 1].date <= t)
      latest++;
    const day2 = run[latest];
    if (holds(day2, changes.filter((c2) => c2.date <= day2.date && c2.made > t)))
      return t;
  }
  return times[times.length - 1];
}
var delays = {
  line: (c2) => c2.attended < 0 || c2.possible > 0,
  threshold: (c2) => c2.unauthorised > 0,
  // A step done by a recording within the run (the formal meeting) is due again when a change
  // that raised attendance (an O corrected to /) split the run after it; without one the run as
  // the register stood began no earlier than now, after the recording, and `line` answers.
  run: (c2) => c2.attended > 0 || c2.possible < 0,
  // Likewise a threshold answered by a stage recorded after it is due again when a change that
  // lowered the count (an O corrected to I) moved its day after the stage; else `threshold` answers.
  unanswered: (c2) => c2.unauthorised < 0
};
async function registerShowedLater(connection, args) {
  const shown = { lines: /* @__PURE__ */ new Map(), penalty: /* @__PURE__ */ new Map(), runs: /* @__PURE__ */ new Map(), unanswered: /* @__PURE__ */ new Map() };
  if (args.crossed.size === 0 && args.reached.size === 0)
    return shown;
  const { asOf, yearFrom, lines } = args;
  const changes = await lateChanges(connection, { from: args.marksFrom < yearFrom ? args.marksFrom : yearFrom, asOf });
  if (changes.size === 0)
    return shown;
  const rules = /* @__PURE__ */ new Map();
  for (const [upn, own] of changes) {
    if (args.onePupil !== null && upn !== args.onePupil)
      continue;
    const all = [
      ...lines.map((line) => ({ key: crossedKey(upn, line), date: args.crossed.get(crossedKey(upn, line)), kind: "line", line })),
      { key: upn, date: args.reached.get(upn), kind: "threshold" },
      ...args.answeredBy?.has(upn) ? [{ key: upn, date: args.reached.get(upn), kind: "unanswered", doneOn: args.answeredBy.get(upn) }] : [],
      ...lines.flatMap((line) => {
        const doneOn = args.doneBefore?.get(crossedKey(upn, line));
        return doneOn === void 0 ? [] : [{ key: crossedKey(upn, line), date: args.crossed.get(crossedKey(upn, line)), kind: "run", line, doneOn }];
      })
    ];
    const candidates2 = all.filter((r) => r.date !== void 0 && own.some((c2) => c2.made > r.date && delays[r.kind](c2)));
    if (candidates2.length > 0)
      rules.set(upn, candidates2);
  }
  if (rules.size === 0)
    return shown;
  const windowFrom = [...rules.values()].some((list) => list.some((r) => r.kind === "threshold" || r.kind === "unanswered")) ? await penaltyWindowStart(connection, asOf, args.penalty.windowWeeks) : null;
  const spans = [...rules].map(([upn, list]) => ({
    upn,
    // A run's rule reads from the year's start: where the run as it then stood began.
    from: list.some((r) => r.kind === "run" || r.kind === "unanswered") ? yearFrom : list.reduce((d, r) => r.date < d ? r.date : d, list[0].date),
    until: (changes.get(upn) ?? []).reduce((d, c2) => c2.made > d ? c2.made : d, "")
  }));
  const days = await runningDays(connection, { spans, onePupil: args.onePupil, yearFrom, windowFrom, asOf });
  for (const [upn, list] of rules) {
    const own = changes.get(upn) ?? [];
    const pupilDays = days.get(upn) ?? [];
    for (const rule of list) {
      const run = pupilDays.filter((d) => d.date >= rule.date);
      const inYear = own.filter((c2) => c2.date >= yearFrom);
      const belowOn = (line, d, undone) => {
        const possible = d.cpos - undone.reduce((n, c2) => n + (c2.date <= d.date ? c2.possible : 0), 0);
        const attended = d.catt - undone.reduce((n, c2) => n + (c2.date <= d.date ? c2.attended : 0), 0);
        return belowLine(attended, possible, line, args.minPossible);
      };
      if (rule.kind === "line" && rule.line) {
        const line = rule.line;
        const day2 = firstShown(run, inYear, (d, undone) => belowOn(line, d, undone));
        if (day2 !== null && day2 > rule.date)
          shown.lines.set(rule.key, day2);
      } else if (rule.kind === "run" && rule.line && rule.doneOn !== void 0) {
        const [line, doneOn] = [rule.line, rule.doneOn];
        const day2 = firstShown(run, inYear, (d, undone) => {
          if (!belowOn(line, d, undone))
            return false;
          const before = pupilDays.filter((p) => p.date <= d.date);
          const lastAbove = before.findLastIndex((p) => !belowOn(line, p, undone));
          const runFrom = before[lastAbove + 1]?.date ?? d.date;
          return runFrom > doneOn;
        });
        if (day2 !== null && day2 > rule.date)
          shown.runs.set(rule.key, day2);
      } else if (rule.kind === "threshold" && windowFrom !== null) {
        const inWindow = own.filter((c2) => c2.date >= windowFrom);
        const day2 = firstShown(run, inWindow, (d, undone) => d.cunauth - undone.reduce((n, c2) => n + c2.unauthorised, 0) >= args.penalty.sessions);
        if (day2 !== null && day2 > rule.date)
          shown.penalty.set(upn, day2);
      } else if (rule.kind === "unanswered" && windowFrom !== null && rule.doneOn !== void 0) {
        const [inWindow, stageOn] = [own.filter((c2) => c2.date >= windowFrom), rule.doneOn];
        const count2 = (d, undone) => d.cunauth - undone.reduce((n, c2) => n + (c2.date <= d.date ? c2.unauthorised : 0), 0);
        const day2 = firstShown(run, inWindow, (d, undone) => {
          if (count2(d, undone) < args.penalty.sessions)
            return false;
          const before = pupilDays.filter((p) => p.date >= windowFrom && p.date < stageOn).at(-1);
          return before === void 0 || count2(before, undone) < args.penalty.sessions;
        });
        if (day2 !== null && day2 > rule.date)
          shown.unanswered.set(upn, day2);
      }
    }
  }
  return shown;
}
async function runningDays(connection, args) {
  const byUpn = /* @__PURE__ */ new Map();
  const windowFrom = args.windowFrom ?? "9999-12-31";
  const first = windowFrom < args.yearFrom ? windowFrom : args.yearFrom;
  if (args.onePupil !== null) {
    const span = args.spans.find((s) => s.upn === args.onePupil);
    if (!span)
      return byUpn;
    const own = [...await onePupilDays(connection, args.onePupil)].filter((d) => d.date >= first && d.date <= args.asOf).sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
    let [cpos, catt, cunauth] = [0, 0, 0];
    const running = [];
    for (const d of own) {
      if (d.date >= args.yearFrom)
        [cpos, catt] = [cpos + Number(d.possible), catt + Number(d.present) + Number(d.aea)];
      if (d.date >= windowFrom)
        cunauth += Number(d.unauthorised);
      if (d.date >= span.from && d.date < span.until)
        running.push({ date: d.date, cpos, catt, cunauth });
    }
    byUpn.set(args.onePupil, running);
    return byUpn;
  }
  const rows = await cachedRows(
    connection,
    `WITH asked AS (SELECT unnest($upns::VARCHAR[]) AS upn, unnest($froms::DATE[]) AS from_day, unnest($untils::DATE[]) AS until_day),
     days AS (
       SELECT a.upn, a.from_day, a.until_day, d.date,
              sum(CASE WHEN d.date >= $year_from::DATE THEN d.possible ELSE 0 END) OVER w AS cpos,
              sum(CASE WHEN d.date >= $year_from::DATE THEN d.present + d.aea ELSE 0 END) OVER w AS catt,
              sum(CASE WHEN d.date >= $window_from::DATE THEN d.unauthorised ELSE 0 END) OVER w AS cunauth
       FROM mark_days d JOIN pupil_ids k USING (pupil_id) JOIN asked a ON a.upn = k.upn
       WHERE d.date BETWEEN $first::DATE AND $as_of::DATE
       WINDOW w AS (PARTITION BY d.pupil_id ORDER BY d.date ROWS UNBOUNDED PRECEDING))
     SELECT upn, strftime(date, '%Y-%m-%d') AS date, cpos::INTEGER AS cpos, catt::INTEGER AS catt, cunauth::INTEGER AS cunauth
     FROM days WHERE date >= from_day AND date < until_day
     ORDER BY upn, date`,
    // As list literals cast in SQL, as ladderFor binds its ids: binding three lists of 500
    // values each (listValue) cost 40–130 ms of the read; UPNs and ISO dates hold no comma or bracket.
    {
      upns: `[${args.spans.map((s) => s.upn).join(",")}]`,
      froms: `[${args.spans.map((s) => s.from).join(",")}]`,
      untils: `[${args.spans.map((s) => s.until).join(",")}]`,
      year_from: args.yearFrom,
      window_from: windowFrom,
      first,
      as_of: args.asOf
    }
  );
  for (const row of rows) {
    const list = byUpn.get(row.upn) ?? [];
    list.push({ date: row.date, cpos: Number(row.cpos), catt: Number(row.catt), cunauth: Number(row.cunauth) });
    byUpn.set(row.upn, list);
  }
  return byUpn;
}

// analytics/interventions/ladder-one-pupil.ts
function runningTotals(days) {
  const byDate = [...days].sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  const running = [];
  let cpos = 0;
  let catt = 0;
  for (const d of byDate) {
    cpos += Number(d.possible);
    catt += Number(d.present) + Number(d.aea);
    running.push({ date: d.date, cpos, catt });
  }
  return running;
}
async function onRoll(connection, upn, asOf) {
  const roll = await onePupilRoll(connection, upn);
  return roll !== void 0 && roll.admission_date <= asOf && (roll.leaving_date === null || roll.leaving_date >= asOf);
}
async function onePupilLadderTotals(connection, args) {
  const { upn, asOf, yearFrom, lines, minPossible } = args;
  if (!await onRoll(connection, upn, asOf))
    return [];
  const days = (await onePupilDays(connection, upn)).filter((d) => d.date >= yearFrom && d.date <= asOf);
  const below = (line, possible2, attended2) => belowLine(attended2, possible2, line, minPossible);
  let possible = 0;
  let attended = 0;
  for (const d of days) {
    possible += Number(d.possible);
    attended += Number(d.present) + Number(d.aea);
  }
  const row = { upn, possible, attended };
  lines.forEach((_line, i) => row[`crossed_${i}`] = null);
  if (days.length === 0 || !lines.some((line) => below(line, possible, attended)))
    return [row];
  const running = runningTotals(days);
  lines.forEach((line, i) => {
    let clear = "1900-01-01";
    for (const r of running)
      if (!below(line, r.cpos, r.catt) && r.date > clear)
        clear = r.date;
    row[`crossed_${i}`] = running.find((r) => r.date > clear && below(line, r.cpos, r.catt))?.date ?? null;
  });
  return [row];
}
async function onePupilPenalty(connection, args) {
  const { upn, asOf, marksFrom, windowWeeks, threshold } = args;
  if (!await onRoll(connection, upn, asOf))
    return [];
  const firstWeek = await penaltyWindowStart(connection, asOf, windowWeeks);
  if (firstWeek === null)
    return [];
  const days = (await onePupilDays(connection, upn)).filter((d) => Number(d.unauthorised) > 0 && d.date >= firstWeek && d.date <= asOf && d.date >= marksFrom).sort((a, b) => a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  if (days.length === 0)
    return [];
  let sessions2 = 0;
  let reached = null;
  for (const d of days) {
    sessions2 += Number(d.unauthorised);
    if (reached === null && sessions2 >= threshold)
      reached = d.date;
  }
  return [{ upn, reached, sessions: sessions2 }];
}
async function onePupilPeriodRows(connection, args) {
  const { upn, asOf, marksFrom, watched } = args;
  const [calendar, allDays] = await Promise.all([cachedRowsToRead(connection, SCHOOL_YEARS_SQL), onePupilDays(connection, upn)]);
  if (calendar.length === 0)
    return void 0;
  const index = [...new Set(calendar.map((r) => r.date))].sort();
  const dayAt = (d) => index[d - 1] ?? null;
  const dayNumber3 = (date) => {
    let lo = 0;
    let hi = index.length;
    while (lo < hi) {
      const mid = lo + hi >> 1;
      if (index[mid] <= date)
        lo = mid + 1;
      else
        hi = mid;
    }
    return lo;
  };
  const cum = runningTotals(allDays.filter((d) => d.date >= marksFrom && d.date <= asOf));
  const at = (date) => {
    if (date === null)
      return null;
    let found = null;
    for (const c2 of cum) {
      if (c2.date > date)
        break;
      found = c2;
    }
    return found;
  };
  const asOfDay = dayNumber3(asOf);
  const rows = [];
  for (const w of [...watched].sort((a, b) => a.id - b.id)) {
    const d = dayNumber3(w.date);
    const step = 5 * w.weeks;
    const count2 = w.weeks > 0 ? Math.min(200, Math.max(1, Math.floor((asOfDay - d) / step) + 1)) : d >= 1 && d <= asOfDay ? 200 : 1;
    const p = at(w.date);
    for (let k = 1; k <= count2; k++) {
      const start = k === 1 ? w.date : dayAt(d + step * (k - 1));
      if (k > 1 && (start === null || start > asOf))
        continue;
      const end = dayAt(d + step * k);
      const e = at(end ?? asOf);
      const b = at(start);
      rows.push({
        id: w.id,
        k,
        end_date: end,
        p_possible: p?.cpos ?? 0,
        p_attended: p?.catt ?? 0,
        w_possible: (e?.cpos ?? 0) - (b?.cpos ?? 0),
        w_attended: (e?.catt ?? 0) - (b?.catt ?? 0)
      });
    }
  }
  return rows;
}

// analytics/interventions/ladder.ts
import { listValue as listValue6 } from "@duckdb/node-api";

// analytics/interventions/penalty-open.ts
import { listValue as listValue5 } from "@duckdb/node-api";

// analytics/slice-days.ts
var SLICE_DAYS = {
  date: (param) => `date = $${param}::DATE`,
  week: (param) => `date BETWEEN $${param}::DATE AND $${param}::DATE + 6`,
  month: (param) => `strftime(date, '%Y-%m') = $${param}`,
  half_term: (param) => `half_term = $${param}`,
  term: (param) => `term = $${param}`,
  academic_year: (param) => `academic_year = $${param}`
};
function sliceDaysCondition(by, param) {
  return Object.hasOwn(SLICE_DAYS, by) ? SLICE_DAYS[by](param) : null;
}

// analytics/governor-periods.ts
import { differenceInCalendarDays, format as format8, parseISO as parseISO8, subDays } from "date-fns";
async function halfTermsOf(connection) {
  const rows = await cachedRows(
    connection,
    `SELECT half_term AS key, any_value(term) AS term, any_value(academic_year) AS academic_year,
            strftime(min(date), '%Y-%m-%d') AS "from", strftime(max(date), '%Y-%m-%d') AS "to"
     FROM school_days GROUP BY half_term ORDER BY min(date)`
  );
  return rows.map((r) => ({ key: r.key, term: r.term, academicYear: r.academic_year, from: r.from, to: r.to }));
}
function endedHalfTerms(halfTerms, today) {
  return halfTerms.filter((h) => h.to < today);
}
function lastTwoEndedHalfTerms(halfTerms, today) {
  const ended = endedHalfTerms(halfTerms, today);
  return { latest: ended.at(-1) ?? null, previous: ended.at(-2) ?? null };
}
function governorHorizon(halfTerms, today) {
  return endedHalfTerms(halfTerms, today).at(-1)?.to ?? null;
}
function halfTermsInside(halfTerms, span) {
  return halfTerms.filter((h) => h.from >= span.from && h.to <= span.to);
}
function isWholeHalfTerms(halfTerms, span) {
  return halfTerms.every((h) => h.to < span.from || h.from > span.to || h.from >= span.from && h.to <= span.to);
}
var halfTermShort = (key) => formatTermKey(key.split("-").slice(0, 2).join("-"));
function governorLastYear(halfTerms, period) {
  const own = period.halfTerms ?? halfTermsInside(halfTerms, period).map((h) => h.key);
  const keys = new Set(own.map(halfTermAYearEarlier));
  const found = halfTerms.filter((h) => keys.has(h.key));
  if (found.length === 0)
    return null;
  return { from: startsItsYear(period.from) ? samePeriodLastYear(period).from : found[0].from, to: found.at(-1).to };
}
var halfTermAYearEarlier = (key) => key.replace(/-(\d{4})$/, (_m, y) => `-${Number(y) - 1}`);
var startsItsYear = (date) => date === academicYearBounds(academicYearOf(date)).from;
function sameSpanLastYear(halfTerms, period) {
  const days = differenceInCalendarDays(parseISO8(period.to), parseISO8(period.from));
  if (days === 0 || parseISO8(period.from).getDay() === 1 && days < 7) {
    const back = (date) => format8(subDays(parseISO8(date), 364), "yyyy-MM-dd");
    return { from: back(period.from), to: back(period.to) };
  }
  const shifted = samePeriodLastYear(period);
  const byKey = new Map(halfTerms.map((h) => [h.key, h]));
  const earlierOf = (h) => h ? byKey.get(halfTermAYearEarlier(h.key)) : void 0;
  const from = startsItsYear(period.from) ? shifted.from : earlierOf(halfTerms.find((h) => h.from === period.from))?.from ?? shifted.from;
  const to = earlierOf(halfTerms.find((h) => h.to === period.to))?.to ?? shifted.to;
  return { from, to };
}

// analytics/span-atoms.ts
import { format as format9, parseISO as parseISO9, subDays as subDays2 } from "date-fns";
async function spanAtomsFromYear(connection, span) {
  if (!keepsWork(connection))
    return null;
  const all = await halfTermsOf(connection);
  const bounds = academicYearBounds(academicYearOf(span.to));
  if (span.from < bounds.from || span.to > bounds.to)
    return null;
  const halves = all.filter((h) => h.from >= bounds.from && h.to <= bounds.to);
  if (!spanFits(halves, span))
    return null;
  if (all.some(
    (h) => h.from <= bounds.to && h.to >= bounds.from && !(h.from >= bounds.from && h.to <= bounds.to)
  ))
    return null;
  const year = await yearRows(connection, halves, bounds.from);
  if (!year.fits)
    return null;
  const [s, y] = [dfePopulation(span.to), dfePopulation(year.to)];
  if (s.bornFrom !== y.bornFrom || s.bornTo !== y.bornTo)
    return null;
  let bySpan = derivedOfYear.get(year);
  if (!bySpan)
    derivedOfYear.set(year, bySpan = /* @__PURE__ */ new Map());
  const key = `${span.from}|${span.to}`;
  let derived = bySpan.get(key);
  if (!derived)
    bySpan.set(key, derived = spanAtomsOf(year, span));
  return derived;
}
var derivedOfYear = /* @__PURE__ */ new WeakMap();
function spanFits(halves, span) {
  const touching = halves.filter((h) => h.from <= span.to && h.to >= span.from);
  if (touching.length === 0)
    return false;
  if (touching.some((h) => h.from < span.from || h.to > span.to))
    return false;
  return touching[touching.length - 1].to === span.to;
}
var yearRowsKept = /* @__PURE__ */ new Map();
function yearRows(connection, halves, from) {
  const to = halves[halves.length - 1].to;
  const key = yearKey(halves, from);
  return keptWork(
    connection,
    yearRowsKept,
    8,
    `yearPupilHalves\0${key}`,
    async () => sameAsLast(key, await readYearRows(connection, halves, from, to))
  );
}
var lastYears = /* @__PURE__ */ new Map();
var LAST_YEARS_MAX = 4;
function forgetYearRows() {
  lastYears.clear();
}
function sameAsLast(key, read) {
  const last = lastYears.get(key);
  const kept = last !== void 0 && sameYearRows(last, read) ? last : read;
  lastYears.delete(key);
  lastYears.set(key, kept);
  if (lastYears.size > LAST_YEARS_MAX)
    lastYears.delete(lastYears.keys().next().value);
  return kept;
}
function sameYearRows(a, b) {
  if (a.from !== b.from || a.to !== b.to || a.fits !== b.fits || a.rows.length !== b.rows.length || a.halves.length !== b.halves.length)
    return false;
  for (let i = 0; i < a.halves.length; i++) {
    const [x, y] = [a.halves[i], b.halves[i]];
    if (x.key !== y.key || x.term !== y.term || x.academicYear !== y.academicYear || x.from !== y.from || x.to !== y.to)
      return false;
  }
  for (let i = 0; i < a.rows.length; i++) {
    const [x, y] = [a.rows[i], b.rows[i]];
    if (x.pupil !== y.pupil || x.half !== y.half || x.possible !== y.possible || x.present !== y.present || x.aea !== y.aea || x.authorised !== y.authorised || x.unauthorised !== y.unauthorised || x.admission !== y.admission || x.leaving !== y.leaving || x.inDfe !== y.inDfe || x.keys.length !== y.keys.length || x.keys.some((k, j) => k !== y.keys[j]))
      return false;
  }
  return true;
}
function yearKey(halves, from) {
  return `${from}|${halves[halves.length - 1].to}|${halves.map((h) => `${h.key}:${h.from}:${h.to}`).join(",")}`;
}
async function readYearRows(connection, halves, from, to) {
  const { sql, params } = scopedMarksSql(
    { from, to, membership: "half-term" },
    { chosen: true }
  );
  const range = dfePopulation(to);
  params.born_from = range.bornFrom;
  params.born_to = range.bornTo;
  const rows = await cachedRowsToRead(
    connection,
    `WITH ${sql}, ${unitsSql(void 0, true)},
     ph AS (SELECT u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY ALL),
     dfe_ids AS (
       SELECT ids.pupil_id, (p.dob BETWEEN $born_from::DATE AND $born_to::DATE) IS TRUE AS in_dfe
       FROM pupils p JOIN pupil_ids ids ON ids.upn = p.upn)
     SELECT ph.pupil_id, ph.member, ph.possible, ph.present, ph.aea, ph.authorised, ph.unauthorised, ${PUPIL_KEYS},
            strftime(s.admission_date, '%Y-%m-%d') AS admission, strftime(s.leaving_date, '%Y-%m-%d') AS leaving, d.in_dfe,
            count(*) OVER (PARTITION BY ph.pupil_id, ph.member)::INTEGER AS copies
     FROM ph JOIN scope s USING (pupil_id, member) JOIN dfe_ids d USING (pupil_id)`,
    params
  );
  const outside = await cachedOne(
    connection,
    `SELECT count(*)::INTEGER AS n FROM mark_days d WHERE d.date BETWEEN $from::DATE AND $to::DATE AND d.date NOT IN (SELECT date FROM school_days)`,
    academicYearBounds(academicYearOf(to))
  );
  const index = new Map(halves.map((h, i) => [h.key, i]));
  let fits = Number(outside?.n ?? 1) === 0;
  const result = [];
  for (const r of rows) {
    const half = index.get(r.member);
    if (half === void 0 || Number(r.copies) !== 1) {
      fits = false;
      break;
    }
    const keys = PUPIL_DIMENSIONS.map((d) => r[d]);
    result.push({
      pupil: Number(r.pupil_id),
      half,
      possible: Number(r.possible),
      present: Number(r.present),
      aea: Number(r.aea),
      authorised: Number(r.authorised),
      unauthorised: Number(r.unauthorised),
      keys,
      key: keys.join("\0"),
      admission: r.admission,
      leaving: r.leaving,
      inDfe: r.in_dfe === true
    });
  }
  result.sort((a, b) => a.pupil - b.pupil || a.half - b.half);
  return { halves, from, to, rows: result, fits };
}
var dayBefore = (date) => format9(subDays2(parseISO9(date), 1), "yyyy-MM-dd");
var Bounds = class {
  least_possible = null;
  pa_least_absent = null;
  pa_most = null;
  pa_other_most = null;
  sa_least_absent = null;
  sa_most = null;
  sa_other_most = null;
  counted_absent = null;
  /** One counted pupil: `p` sessions possible and `a` missed; persistently (`pa`), severely (`sa`) absent over the span. */
  add(p, a, pa, sa) {
    if (this.least_possible === null || p < this.least_possible)
      this.least_possible = p;
    if (pa) {
      if (this.pa_least_absent === null || a < this.pa_least_absent)
        this.pa_least_absent = a;
      if (this.pa_most === null || a > this.pa_most)
        this.pa_most = a;
    } else if (this.pa_other_most === null || a > this.pa_other_most)
      this.pa_other_most = a;
    if (sa) {
      if (this.sa_least_absent === null || a < this.sa_least_absent)
        this.sa_least_absent = a;
      if (this.sa_most === null || a > this.sa_most)
        this.sa_most = a;
    } else if (this.sa_other_most === null || a > this.sa_other_most)
      this.sa_other_most = a;
    this.counted_absent = (this.counted_absent ?? 0) + a;
  }
};
var Group = class {
  constructor(keys) {
    this.keys = keys;
  }
  pupils = 0;
  possible_sessions = 0;
  present_sessions = 0;
  aea_sessions = 0;
  authorised_sessions = 0;
  unauthorised_sessions = 0;
  pa_pupils = 0;
  sa_pupils = 0;
  absent_pupils = 0;
  own = new Bounds();
  whole = new Bounds();
  /** As a row of summariseAtoms' statement (its column names). */
  row() {
    const [sen, fsm, eal, lac, sex, ethnicity, year_group, reg_group] = this.keys;
    const { own: o, whole: w } = this;
    return {
      sen,
      fsm,
      eal,
      lac,
      sex,
      ethnicity,
      year_group,
      reg_group,
      pupils: this.pupils,
      possible_sessions: this.possible_sessions,
      present_sessions: this.present_sessions,
      aea_sessions: this.aea_sessions,
      authorised_sessions: this.authorised_sessions,
      unauthorised_sessions: this.unauthorised_sessions,
      pa_pupils: this.pa_pupils,
      sa_pupils: this.sa_pupils,
      absent_pupils: this.absent_pupils,
      least_possible: o.least_possible,
      pa_least_absent: o.pa_least_absent,
      pa_most: o.pa_most,
      pa_other_most: o.pa_other_most,
      sa_least_absent: o.sa_least_absent,
      sa_most: o.sa_most,
      sa_other_most: o.sa_other_most,
      counted_absent: o.counted_absent,
      least_possible_whole: w.least_possible,
      pa_least_absent_whole: w.pa_least_absent,
      pa_most_whole: w.pa_most,
      pa_other_most_whole: w.pa_other_most,
      sa_least_absent_whole: w.sa_least_absent,
      sa_most_whole: w.sa_most,
      sa_other_most_whole: w.sa_other_most,
      counted_absent_whole: w.counted_absent
    };
  }
};
function spanAtomsOf(year, span) {
  const { halves } = year;
  const first = halves.findIndex((h) => h.from >= span.from);
  let last = first;
  while (last + 1 < halves.length && halves[last + 1].to <= span.to)
    last++;
  const rangeFrom = halves.map((h, i) => i === first ? span.from : h.from);
  const rangeTo = halves.map(
    (_h, i) => i === last ? span.to : i + 1 < halves.length ? dayBefore(halves[i + 1].from) : year.to
  );
  const rows = [];
  for (const r of year.rows) {
    if (r.half >= first && r.half <= last && r.admission <= rangeTo[r.half] && (r.leaving === null || r.leaving >= rangeFrom[r.half]))
      rows.push(r);
  }
  const pupils = /* @__PURE__ */ new Map();
  for (const r of rows) {
    let p = pupils.get(r.pupil);
    if (!p)
      pupils.set(
        r.pupil,
        p = {
          possible: 0,
          absent: 0,
          last: -1,
          lastKeys: r.keys,
          lastKey: r.key,
          inDfe: r.inDfe,
          byKey: /* @__PURE__ */ new Map()
        }
      );
    const absent = r.authorised + r.unauthorised;
    p.possible += r.possible;
    p.absent += absent;
    if (r.half > p.last) {
      p.last = r.half;
      p.lastKeys = r.keys;
      p.lastKey = r.key;
    }
    const k = p.byKey.get(r.key);
    if (k) {
      k.possible += r.possible;
      k.absent += absent;
    } else
      p.byKey.set(r.key, { possible: r.possible, absent });
  }
  let spanLast = -1;
  let dfeLast = -1;
  for (const p of pupils.values()) {
    if (p.last > spanLast)
      spanLast = p.last;
    if (p.inDfe && p.last > dfeLast)
      dfeLast = p.last;
  }
  return {
    whole: populationAtoms(halves, rows, pupils, false, spanLast),
    dfe: populationAtoms(halves, rows, pupils, true, dfeLast)
  };
}
function populationAtoms(halves, rows, pupils, dfe, lastHalf) {
  const groups = /* @__PURE__ */ new Map();
  const groupOf = (keys, key) => {
    let g = groups.get(key);
    if (!g)
      groups.set(key, g = new Group(keys));
    return g;
  };
  for (const r of rows) {
    if (dfe && !r.inDfe)
      continue;
    const g = groupOf(r.keys, r.key);
    g.possible_sessions += r.possible;
    g.present_sessions += r.present;
    g.aea_sessions += r.aea;
    g.authorised_sessions += r.authorised;
    g.unauthorised_sessions += r.unauthorised;
  }
  const leaverKeys2 = lastHalf >= 0 ? PUPIL_DIMENSIONS.map(() => `${LEAVERS_PREFIX}${halves[lastHalf].key}`) : [];
  const leaverKey = leaverKeys2.join("\0");
  for (const p of pupils.values()) {
    if (dfe && !p.inDfe)
      continue;
    const leaver = p.last < lastHalf;
    const key = leaver ? leaverKey : p.lastKey;
    const g = groupOf(leaver ? leaverKeys2 : p.lastKeys, key);
    if (p.possible <= 0)
      continue;
    const pa = persistentlyAbsent(p.possible, p.absent);
    const sa = severelyAbsent(p.possible, p.absent);
    g.pupils += 1;
    if (pa)
      g.pa_pupils += 1;
    if (sa)
      g.sa_pupils += 1;
    if (p.absent > 0)
      g.absent_pupils += 1;
    const own = leaver ? void 0 : p.byKey.get(key);
    g.own.add(own ? own.possible : 0, own ? own.absent : 0, pa, sa);
    g.whole.add(p.possible, p.absent, pa, sa);
  }
  return [...groups.values()].sort((a, b) => compareKeys(a.keys, b.keys)).map((g) => atomOf(g.row(), ""));
}
function compareKeys(a, b) {
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i], b[i]];
    if (x === y)
      continue;
    const n = Math.min(x.length, y.length);
    for (let j = 0; j < n; j++) {
      if (x.charCodeAt(j) !== y.charCodeAt(j))
        return x.codePointAt(j) - y.codePointAt(j);
    }
    return x.length - y.length;
  }
  return 0;
}

// analytics/measures.ts
var PUPIL_DIMENSIONS = ["sen", "fsm", "eal", "lac", "sex", "ethnicity", "year_group", "reg_group"];
var SESSION_DIMENSIONS = [
  "weekday",
  "session",
  "date",
  "week",
  "month",
  "half_term",
  "term",
  "academic_year"
];
var DIMENSIONS = [...PUPIL_DIMENSIONS, ...SESSION_DIMENSIONS, "code"];
function isDimension(value) {
  return DIMENSIONS.includes(value);
}
function isGroupDimension(value) {
  return isDimension(value) && value !== "code";
}
var isHalfTerm = (query) => {
  if (query.membership !== void 0 && query.membership !== "period-end" && query.membership !== "half-term") {
    throw new Error(`unknown membership "${String(query.membership)}"`);
  }
  return query.membership === "half-term";
};
function dfePopulation(periodEnd) {
  const year = Number(periodEnd.slice(0, 4));
  const month = Number(periodEnd.slice(5, 7));
  const start = month >= 8 ? year : year - 1;
  const ageOn = `${start}-08-31`;
  return { ageOn, bornFrom: `${start - 16}-09-01`, bornTo: `${start - 5}-08-31` };
}
var POPULATION_WORDS = {
  "whole-roll": "whole roll (Reception and any nursery pupils included)",
  dfe: "pupils of compulsory school age (aged 5\u201315 on 31 August: Years 1\u201311), the DfE's basis"
};
function wholeRollWords(outsidePupils) {
  return outsidePupils > 0 ? "the whole roll, Reception and any nursery pupils included" : "the whole roll, which in this period has no pupils outside the DfE's age range (no Reception or nursery pupils), so it is the same population";
}
var ACADEMIC_YEAR_FALLBACK = `(CASE WHEN month(k.date) >= 8
    THEN year(k.date)::VARCHAR || '/' || lpad(((year(k.date) + 1) % 100)::VARCHAR, 2, '0')
    ELSE (year(k.date) - 1)::VARCHAR || '/' || lpad((year(k.date) % 100)::VARCHAR, 2, '0') END)`;
var TERM_NAME_FALLBACK = `(CASE WHEN month(k.date) >= 8 THEN 'autumn' WHEN month(k.date) <= 3 THEN 'spring' ELSE 'summer' END)`;
var HALF_NUMBER_FALLBACK = `(CASE WHEN month(k.date) IN (8, 9, 10) OR month(k.date) IN (1, 2) OR month(k.date) IN (4, 5) THEN '1' ELSE '2' END)`;
var PUPIL_DIMENSION_SQL = {
  sen: { value: "s.sen", order: "CASE grp WHEN 'E' THEN 1 WHEN 'K' THEN 2 ELSE 3 END" },
  fsm: { value: "s.fsm", order: "grp DESC" },
  eal: { value: "s.eal", order: "grp DESC" },
  lac: { value: "s.lac", order: "grp DESC" },
  sex: { value: "s.sex", order: "grp" },
  ethnicity: { value: "s.ethnicity", order: "grp" },
  year_group: { value: "s.year_group", order: "try_cast(grp AS INTEGER) NULLS FIRST, grp" },
  reg_group: { value: "s.reg_group", order: "grp" }
};
var SESSION_DIMENSION_SQL = {
  weekday: { value: "dayname(k.date)", order: "min(first_dow)" },
  session: { value: "k.session::VARCHAR", order: "grp" },
  date: { value: "strftime(k.date, '%Y-%m-%d')", order: "grp" },
  week: { value: "strftime(date_trunc('week', k.date), '%Y-%m-%d')", order: "grp" },
  month: { value: "strftime(k.date, '%Y-%m')", order: "grp" },
  half_term: {
    value: `coalesce(k.half_term, ${TERM_NAME_FALLBACK} || '-' || ${HALF_NUMBER_FALLBACK} || '-' || year(k.date)::VARCHAR)`,
    order: "min(first_date)"
  },
  term: { value: `coalesce(k.term, ${TERM_NAME_FALLBACK} || '-' || year(k.date)::VARCHAR)`, order: "min(first_date)" },
  academic_year: { value: `coalesce(k.academic_year, ${ACADEMIC_YEAR_FALLBACK})`, order: "min(first_date)" }
};
var sessionGroupOrderSql = (by) => SESSION_DIMENSION_SQL[by].order;
function dimensionSql(by) {
  return PUPIL_DIMENSION_SQL[by] ?? SESSION_DIMENSION_SQL[by];
}
var FILTER_COLUMNS = {
  sen: "ch.sen",
  fsm: "ch.fsm",
  eal: "ch.eal",
  lac: "ch.lac",
  sex: "p.sex",
  ethnicity: "p.ethnicity",
  year_group: "ch.year_group",
  reg_group: "ch.reg_group",
  upn: "p.upn"
};
function pupilFilterConditions(filter, params) {
  const conditions = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === void 0 || value === "")
      continue;
    const column = FILTER_COLUMNS[key];
    if (!column)
      throw new Error(`unknown filter "${key}"`);
    params[`f_${key}`] = value;
    conditions.push(`${column} = $f_${key}`);
  }
  return conditions;
}
function scopedMarksSql(query, options = {}) {
  const params = { from: query.from, to: query.to, regime_from: REGIME_2024_FROM };
  const halfTerm = isHalfTerm(query);
  const spans = options.spans;
  if (spans) {
    if (halfTerm)
      throw new Error("scopedMarksSql: spans are read under period-end membership, each alone");
    if (query.population === "dfe" || options.inDfe || query.withCode !== void 0)
      throw new Error("scopedMarksSql: spans are read for the whole roll, without a code");
    if (spans.length === 0)
      throw new Error("scopedMarksSql: no span");
    spans.forEach((span, i) => {
      assertPeriod(span);
      if (i > 0 && span.from <= spans[i - 1].to)
        throw new Error("scopedMarksSql: spans must be in order and apart");
      if (span.from < query.from || span.to > query.to)
        throw new Error(`scopedMarksSql: the span ${span.from} \u2013 ${span.to} is outside the period`);
      params[`span_from_${i}`] = span.from;
      params[`span_to_${i}`] = span.to;
    });
  }
  const filterConditions = pupilFilterConditions(query.filter ?? {}, params);
  const conditions = options.chosen ? [] : filterConditions;
  const chosen = options.chosen ? filterConditions.length > 0 ? filterConditions.map((c2) => `(${c2})`).join(" AND ") : "true" : "true";
  const leaverChosen = options.chosen && filterConditions.length > 0 ? query.filter?.upn ? "p.upn = $f_upn" : "false" : "true";
  if (query.population !== void 0 && query.population !== "whole-roll" && query.population !== "dfe") {
    throw new Error(`unknown population "${String(query.population)}"`);
  }
  const inDfe = `p.dob BETWEEN $born_from::DATE AND $born_to::DATE`;
  if (query.population === "dfe" || options.inDfe) {
    const range = dfePopulation(query.to);
    params.born_from = range.bornFrom;
    params.born_to = range.bornTo;
  }
  if (query.population === "dfe")
    conditions.push(inDfe);
  if (query.withCode !== void 0) {
    if (!ALL_CODES.includes(query.withCode))
      throw new Error(`unknown attendance code "${query.withCode}"`);
    params.with_code = query.withCode;
    conditions.push(
      `EXISTS (SELECT 1 FROM mark_store wc WHERE wc.pupil_id = ids.pupil_id AND wc.code = $with_code AND wc.date BETWEEN $from::DATE AND $to::DATE)`
    );
  }
  let sliceCondition = "";
  if (query.slice) {
    const slice = SESSION_DIMENSION_SQL[query.slice.by];
    if (!slice)
      throw new Error(`unknown slice "${query.slice.by}"`);
    params.slice_value = query.slice.value;
    sliceCondition = `WHERE ${slice.value} = $slice_value`;
  }
  const halves = halfTerm ? `halves_raw AS (
      SELECT half_term AS member, min(date) AS h_from, max(date) AS h_to FROM school_days
      WHERE date BETWEEN $from::DATE AND $to::DATE GROUP BY half_term
      UNION ALL
      SELECT '', $from::DATE, $to::DATE WHERE NOT EXISTS (SELECT 1 FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE)),
    halves AS (
      SELECT member,
             CASE WHEN row_number() OVER (ORDER BY h_from) = 1 THEN $from::DATE ELSE h_from END AS r_from,
             coalesce((lead(h_from) OVER (ORDER BY h_from) - INTERVAL 1 DAY)::DATE, $to::DATE) AS r_to,
             CASE WHEN lead(h_from) OVER (ORDER BY h_from) IS NULL THEN $to::DATE ELSE h_to END AS m_date
      FROM halves_raw),
    half_list AS (SELECT list(r_from ORDER BY r_from) AS starts, list(member ORDER BY r_from) AS members FROM halves),
    -- Weeks a half term starts in: read day by day, so no unit spans two half terms.
    half_weeks AS (SELECT DISTINCT date_trunc('week', r_from) AS week FROM halves),` : spans ? `spans AS (SELECT * FROM (VALUES ${spans.map((_, i) => `($span_from_${i}::DATE, $span_to_${i}::DATE, ${i})`).join(", ")}) v(s_from, s_to, span)),
    span_list AS (SELECT list(s_from ORDER BY s_from) AS starts FROM spans),
    half_weeks AS (SELECT NULL::DATE AS week WHERE false),` : `half_weeks AS (SELECT NULL::DATE AS week WHERE false),`;
  const memberDate = halfTerm ? "h.m_date" : spans ? "sp.s_to" : "$to::DATE";
  const sql = `
    ${halves}
    scope AS (
      SELECT p.upn, ids.pupil_id, p.forename, p.surname, p.sex, p.ethnicity, p.admission_date, p.leaving_date,
             ch.year_group, ch.reg_group, ch.sen, ch.fsm, ch.eal, ch.lac,
             ${halfTerm ? "h.member, h.r_from, h.r_to" : "'' AS member"}${spans ? ", sp.span, sp.s_from, sp.s_to" : ""}, ${chosen} AS chosen, ${leaverChosen} AS leaver_chosen${options.inDfe ? `, ${inDfe} AS in_dfe` : ""}
      FROM pupils p
      LEFT JOIN pupil_ids ids ON ids.upn = p.upn
      ${halfTerm ? "JOIN halves h ON p.admission_date <= h.r_to AND (p.leaving_date IS NULL OR p.leaving_date >= h.r_from)" : ""}
      ${spans ? "JOIN spans sp ON p.admission_date <= sp.s_to AND (p.leaving_date IS NULL OR p.leaving_date >= sp.s_from)" : ""}
      JOIN pupil_characteristics ch
        ON ch.upn = p.upn
       AND ch.valid_from <= least(${memberDate}, coalesce(p.leaving_date, ${memberDate}))
       AND (ch.valid_to IS NULL OR ch.valid_to >= least(${memberDate}, coalesce(p.leaving_date, ${memberDate})))
      WHERE p.admission_date <= $to::DATE
        AND (p.leaving_date IS NULL OR p.leaving_date >= $from::DATE)
        ${conditions.map((c2) => `AND ${c2}`).join("\n        ")}
    ),
    k_all AS (
      SELECT scope.upn, scope.pupil_id, scope.member, m.date, (CASE WHEN m.pm THEN 'PM' ELSE 'AM' END)::register_session AS session,
             m.code::VARCHAR AS code, m.minutes_late, cc.category,
             sd.academic_year, sd.term, sd.half_term
      FROM ${spans ? spanUnitSource("mark_store", "m", "date", "m.date BETWEEN $from::DATE AND $to::DATE") : unitSource(halfTerm, "mark_store", "m", "date", "m.date BETWEEN $from::DATE AND $to::DATE")}
      JOIN code_catalogue cc
        ON cc.code = m.code
       AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
      LEFT JOIN school_days sd ON sd.date = m.date
    ),
    k AS (SELECT * FROM k_all k ${sliceCondition})`;
  return { sql, params };
}
function spanUnitSource(table, alias, dateColumn, where, scope = "scope") {
  return `(SELECT ${alias}.*, len(list_filter(sl.starts, x -> x <= ${alias}.${dateColumn})) - 1 AS span
           FROM ${table} ${alias} CROSS JOIN span_list sl WHERE ${where}) ${alias}
          JOIN scope${scope === "scope" ? "" : ` ${scope}`} ON ${scope}.pupil_id = ${alias}.pupil_id AND ${scope}.span = ${alias}.span AND ${alias}.${dateColumn} <= ${scope}.s_to`;
}
function unitSource(halfTerm, table, alias, dateColumn, where) {
  if (!halfTerm)
    return `(SELECT * FROM ${table} ${alias} WHERE ${where}) ${alias} JOIN scope USING (pupil_id)`;
  return `(SELECT ${alias}.*, hl.members[len(list_filter(hl.starts, x -> x <= ${alias}.${dateColumn}))] AS member
           FROM ${table} ${alias} CROSS JOIN half_list hl WHERE ${where}) ${alias}
          JOIN scope USING (pupil_id, member)`;
}
var PER_PUPIL_COUNTS = `
      count(*) FILTER (WHERE k.category <> 'not_counted')::INTEGER AS possible,
      count(*) FILTER (WHERE k.category = 'present')::INTEGER AS present,
      count(*) FILTER (WHERE k.category = 'aea')::INTEGER AS aea,
      count(*) FILTER (WHERE k.category = 'authorised')::INTEGER AS authorised,
      count(*) FILTER (WHERE k.category = 'unauthorised')::INTEGER AS unauthorised`;
var SESSION_TOTALS = `
      coalesce(sum(possible), 0)::INTEGER AS possible_sessions,
      coalesce(sum(present), 0)::INTEGER AS present_sessions,
      coalesce(sum(aea), 0)::INTEGER AS aea_sessions,
      coalesce(sum(authorised), 0)::INTEGER AS authorised_sessions,
      coalesce(sum(unauthorised), 0)::INTEGER AS unauthorised_sessions`;
var GROUP_TOTALS = `
      count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils,${SESSION_TOTALS},
      count(*) FILTER (WHERE possible > 0 AND 10 * (authorised + unauthorised) >= possible)::INTEGER AS pa_pupils,
      count(*) FILTER (WHERE possible > 0 AND 2 * (authorised + unauthorised) >= possible)::INTEGER AS sa_pupils`;
var pct2 = (numerator, denominator) => denominator > 0 ? 100 * numerator / denominator : null;
function withRates(counts) {
  return {
    pupils: counts.pupils,
    possible_sessions: counts.possible_sessions,
    present_sessions: counts.present_sessions,
    aea_sessions: counts.aea_sessions,
    authorised_sessions: counts.authorised_sessions,
    unauthorised_sessions: counts.unauthorised_sessions,
    attendance_pct: pct2(counts.present_sessions + counts.aea_sessions, counts.possible_sessions),
    absence_pct: pct2(counts.authorised_sessions + counts.unauthorised_sessions, counts.possible_sessions),
    authorised_pct: pct2(counts.authorised_sessions, counts.possible_sessions),
    unauthorised_pct: pct2(counts.unauthorised_sessions, counts.possible_sessions),
    pa_pupils: counts.pa_pupils,
    pa_pct: pct2(counts.pa_pupils, counts.pupils),
    sa_pupils: counts.sa_pupils,
    sa_pct: pct2(counts.sa_pupils, counts.pupils)
  };
}
function assertPeriod(query) {
  const iso2 = /^\d{4}-\d{2}-\d{2}$/;
  if (!iso2.test(query.from) || !iso2.test(query.to))
    throw new Error(`dates must be YYYY-MM-DD (got ${query.from} \u2013 ${query.to})`);
  if (query.from > query.to)
    throw new Error(`the period starts (${query.from}) after it ends (${query.to})`);
}
async function markSummarise(connection, query) {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows(
    connection,
    `WITH ${sql},
     per_pupil AS (SELECT k.upn, ${PER_PUPIL_COUNTS} FROM k GROUP BY k.upn)
     SELECT ${GROUP_TOTALS} FROM per_pupil`,
    params
  );
  return withRates(rows[0]);
}
async function markSummariseBy(connection, query, by) {
  assertPeriod(query);
  if (!isGroupDimension(by))
    throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const dimension = dimensionSql(by);
  const rows = await cachedRows(
    connection,
    `WITH ${sql},
     per_pupil AS (
       SELECT ${dimension.value} AS grp, k.upn, min(k.date) AS first_date, min(isodow(k.date)) AS first_dow,
              ${PER_PUPIL_COUNTS}
       FROM k JOIN scope s USING (upn, member)
       GROUP BY grp, k.upn)
     SELECT grp, ${GROUP_TOTALS}
     FROM per_pupil
     GROUP BY grp
     ORDER BY ${dimension.order}`,
    params
  );
  return rows.map((row) => ({ group: String(row.grp), ...withRates(row) }));
}
async function markSessionsByCode(connection, query) {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows(
    connection,
    `WITH ${sql}
     -- The latest regulations' words (sessionsByCode's docstring): any_value gave either across 19 August 2024.
     SELECT k.code, arg_max(k.category, cc.regime) AS category, arg_max(cc.meaning, cc.regime) AS meaning, count(*)::INTEGER AS sessions
     FROM k
     JOIN code_catalogue cc
       ON cc.code::VARCHAR = k.code
      AND cc.regime = CASE WHEN k.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     GROUP BY k.code
     ORDER BY sessions DESC, k.code`,
    params
  );
}
function markPupilRowsSql(query) {
  const { sql, params } = scopedMarksSql(query);
  const sliceDays = query.slice ? sliceDaysCondition(query.slice.by, "slice_value") : null;
  const onRollInSlice = sliceDays ? `WHERE coalesce(pp.possible, 0) > 0
          OR EXISTS (SELECT 1 FROM school_days sd
                     WHERE ${sliceDays} AND sd.date BETWEEN greatest($from::DATE, s.admission_date) AND least($to::DATE, coalesce(s.leaving_date, $to::DATE)))` : "";
  return {
    params,
    sql: `${sql},
     ordered AS (
       SELECT k.upn, k.category,
              k.category IN ('authorised', 'unauthorised') AS absent,
              lag(k.category IN ('authorised', 'unauthorised')) OVER (PARTITION BY k.upn ORDER BY k.date, k.session) AS previous_absent
       FROM k WHERE k.category <> 'not_counted'),
     spells AS (
       SELECT upn, count(*) FILTER (WHERE absent AND NOT coalesce(previous_absent, false))::INTEGER AS absence_spells
       FROM ordered GROUP BY upn),
     per_pupil AS (
       SELECT k.upn, count(*)::INTEGER AS marks,
              count(*) FILTER (WHERE k.code IN ('L', 'U'))::INTEGER AS late_sessions,
              ${PER_PUPIL_COUNTS}
       FROM k GROUP BY k.upn),
     pupil_rows AS (
       SELECT s.pupil_id, ${pupilRowColumns("sp")}
       FROM scope s
       LEFT JOIN per_pupil pp USING (upn)
       LEFT JOIN spells sp USING (upn)
       ${onRollInSlice})`
  };
}
var pupilRowColumns = (spells) => `s.upn, s.forename, s.surname, s.year_group, s.reg_group, s.sen, s.fsm, s.eal, s.lac, s.sex, s.ethnicity,
            s.admission_date, s.leaving_date,
            coalesce(pp.marks, 0) AS marks, coalesce(pp.late_sessions, 0) AS late_sessions,
            coalesce(${spells}.absence_spells, 0) AS absence_spells,
            coalesce(pp.possible, 0) AS possible, coalesce(pp.present, 0) AS present, coalesce(pp.aea, 0) AS aea,
            coalesce(pp.authorised, 0) AS authorised, coalesce(pp.unauthorised, 0) AS unauthorised`;
function toPupilMeasures(row) {
  const possible = Number(row.possible);
  const absent = Number(row.authorised) + Number(row.unauthorised);
  const isPa = persistentlyAbsent(possible, absent);
  const isSa = severelyAbsent(possible, absent);
  const measures = withRates({
    pupils: possible > 0 ? 1 : 0,
    possible_sessions: possible,
    present_sessions: Number(row.present),
    aea_sessions: Number(row.aea),
    authorised_sessions: Number(row.authorised),
    unauthorised_sessions: Number(row.unauthorised),
    pa_pupils: isPa ? 1 : 0,
    sa_pupils: isSa ? 1 : 0
  });
  return Object.assign(measures, {
    upn: String(row.upn),
    forename: String(row.forename),
    surname: String(row.surname),
    year_group: String(row.year_group),
    reg_group: String(row.reg_group),
    sen: String(row.sen),
    fsm: String(row.fsm),
    eal: String(row.eal),
    lac: String(row.lac),
    sex: String(row.sex),
    ethnicity: String(row.ethnicity),
    admission_date: String(row.admission_date),
    leaving_date: row.leaving_date === null ? null : String(row.leaving_date),
    marks: Number(row.marks),
    late_sessions: Number(row.late_sessions),
    absence_spells: Number(row.absence_spells),
    is_pa: isPa,
    is_sa: isSa
  });
}
async function markLateness(connection, query) {
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows(
    connection,
    `WITH ${sql}
     SELECT count(*) FILTER (WHERE k.code = 'L')::INTEGER AS late_before_close,
            count(*) FILTER (WHERE k.code = 'U')::INTEGER AS late_after_close,
            count(DISTINCT k.upn) FILTER (WHERE k.code IN ('L', 'U'))::INTEGER AS pupils_late,
            coalesce(sum(k.minutes_late) FILTER (WHERE k.code IN ('L', 'U')), 0)::INTEGER AS minutes_late
     FROM k`,
    params
  );
  return rows[0];
}
var COUNT_COLUMNS = "marks, possible, present, aea, authorised, unauthorised, late_l, late_u, minutes_late, spell_starts, lead_continued";
function groupValueAt(by, dateColumn, schoolDay) {
  return SESSION_DIMENSION_SQL[by].value.replaceAll("k.date", dateColumn).replaceAll("k.half_term", `${schoolDay}.half_term`).replaceAll("k.term", `${schoolDay}.term`).replaceAll("k.academic_year", `${schoolDay}.academic_year`);
}
var halfWeeksEdge = (halfTerm, date) => halfTerm ? ` OR date_trunc('week', ${date}) IN (SELECT week FROM half_weeks)` : "";
var halfWeeksInner = (halfTerm, week) => halfTerm ? ` AND ${week} NOT IN (SELECT week FROM half_weeks)` : "";
var onePupil = (query) => Boolean(query.filter?.upn);
function onePupilOnly(query) {
  const filter = query.filter ?? {};
  if (!filter.upn || query.slice || query.withCode !== void 0 || query.population !== void 0 && query.population !== "whole-roll" || isHalfTerm(query))
    return null;
  for (const [key, value] of Object.entries(filter))
    if (key !== "upn" && value !== void 0 && value !== "")
      return null;
  return filter.upn;
}
var ONE_PUPIL_GRAINS = /* @__PURE__ */ new Set(["month", "week", "academic_year"]);
function unitConditions(halfTerm) {
  return {
    edges: `d.date < date_trunc('week', $from::DATE) + INTERVAL 7 DAY OR d.date >= date_trunc('week', $to::DATE)${halfWeeksEdge(halfTerm, "d.date")}`,
    inner: `w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)${halfWeeksInner(halfTerm, "w.week")}`,
    inPeriod: "d.date BETWEEN $from::DATE AND $to::DATE"
  };
}
function unitsSql(by, halfTerm = false, days = false) {
  const { edges, inner, inPeriod } = unitConditions(halfTerm);
  const dayUnits = (where) => unitSource(halfTerm, "mark_days", "d", "date", where);
  const weeks = unitSource(halfTerm, "mark_weeks", "w", "first_date", inner);
  if (by === "weekday" || by === "date" || days) {
    return `u AS (
      SELECT d.pupil_id, scope.member, d.date, ${by ? `${groupValueAt(by, "d.date", "sd")} AS grp, ` : ""}${COUNT_COLUMNS.split(", ").map((c2) => `d.${c2}`).join(", ")}
      FROM ${dayUnits(inPeriod)}${by ? " LEFT JOIN school_days sd ON sd.date = d.date" : ""})`;
  }
  const weekCols = COUNT_COLUMNS.split(", ").map((c2) => `w.${c2}`).join(", ");
  const dayCols = COUNT_COLUMNS.split(", ").map((c2) => `d.${c2}`).join(", ");
  if (!by) {
    return `u AS (
      SELECT w.pupil_id, scope.member, w.first_date AS date, ${weekCols}
      FROM ${weeks}
      UNION ALL
      SELECT d.pupil_id, scope.member, d.date, ${dayCols}
      FROM ${dayUnits(`${inPeriod} AND (${edges})`)})`;
  }
  return `week_groups AS (
      SELECT wk.week, ${groupValueAt(by, "wk.f", "sf")} AS g1, ${groupValueAt(by, "wk.l", "sl")} AS g2
      FROM (SELECT week, min(first_date) AS f, max(last_date) AS l FROM mark_weeks
            WHERE week > date_trunc('week', $from::DATE) AND week < date_trunc('week', $to::DATE) GROUP BY week) wk
      LEFT JOIN school_days sf ON sf.date = wk.f
      LEFT JOIN school_days sl ON sl.date = wk.l),
    split_weeks AS (SELECT week FROM week_groups WHERE g1 IS DISTINCT FROM g2),
    u AS (
      SELECT w.pupil_id, scope.member, w.first_date AS date, g.g1 AS grp, ${weekCols}
      FROM ${weeks} JOIN week_groups g ON g.week = w.week AND g.g1 IS NOT DISTINCT FROM g.g2
      UNION ALL
      SELECT d.pupil_id, scope.member, d.date, ${groupValueAt(by, "d.date", "sd")} AS grp, ${dayCols}
      FROM ${dayUnits(`${inPeriod} AND (${edges} OR date_trunc('week', d.date) IN (SELECT week FROM split_weeks))`)} LEFT JOIN school_days sd ON sd.date = d.date)`;
}
var UNIT_PER_PUPIL_COUNTS = `
      sum(u.possible)::INTEGER AS possible,
      sum(u.present)::INTEGER AS present,
      sum(u.aea)::INTEGER AS aea,
      sum(u.authorised)::INTEGER AS authorised,
      sum(u.unauthorised)::INTEGER AS unauthorised`;
var fromAggregates = (query, by) => !query.slice && by !== "session";
async function summariseSessions(connection, query) {
  if (!fromAggregates(query))
    return markSummarise(connection, query);
  assertPeriod(query);
  const { sql, params } = totalsSql(query, false);
  const rows = await cachedRows(connection, sql, params);
  return withRates(rows[0]);
}
function totalsSql(query, eachRegister) {
  const { sql, params } = scopedMarksSql(query, { inDfe: eachRegister });
  if (eachRegister) {
    return {
      sql: `WITH ${sql}, ${eachRegisterPerPupilSql()}
     SELECT * FROM (SELECT (pupil_id // ${REGISTER_PUPIL_IDS})::BIGINT AS register, in_dfe, ${GROUP_TOTALS} FROM per_pupil GROUP BY register, in_dfe) totals
     FULL JOIN (SELECT (pupil_id // ${REGISTER_PUPIL_IDS})::BIGINT AS register, max(last_date)::VARCHAR AS last_marked FROM unit_totals GROUP BY register) last_days USING (register)`,
      params
    };
  }
  return {
    sql: `WITH ${sql}, ${unitsSql(void 0, isHalfTerm(query), onePupil(query))},
     per_pupil AS (SELECT u.pupil_id, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY u.pupil_id)
     SELECT ${GROUP_TOTALS} FROM per_pupil`,
    params
  };
}
function eachRegisterPerPupilSql() {
  const { edges, inner, inPeriod } = unitConditions(false);
  const sums = ["possible", "present", "aea", "authorised", "unauthorised"];
  return `unit_totals AS (
      SELECT pupil_id, ${sums.map((c2) => `sum(${c2}) AS ${c2}`).join(", ")}, max(last_date) AS last_date
      FROM (SELECT w.pupil_id, ${sums.map((c2) => `w.${c2}`).join(", ")}, w.last_date FROM mark_weeks w WHERE ${inner}
            UNION ALL
            SELECT d.pupil_id, ${sums.map((c2) => `d.${c2}`).join(", ")}, d.date FROM mark_days d WHERE ${inPeriod} AND (${edges}))
      GROUP BY pupil_id),
    scope_rows AS (
      SELECT pupil_id, count(*) AS n, bool_or(in_dfe IS TRUE) AS some_in, bool_or(in_dfe IS NOT TRUE) AS some_out
      FROM scope GROUP BY pupil_id),
    per_pupil AS (
      SELECT t.pupil_id, ${sums.map((c2) => `(t.${c2} * r.n)::INTEGER AS ${c2}`).join(", ")}, v.in_dfe
      FROM unit_totals t JOIN scope_rows r USING (pupil_id)
      JOIN (VALUES (true), (false)) v(in_dfe) ON CASE WHEN v.in_dfe THEN r.some_in ELSE r.some_out END)`;
}
var REGISTER_PUPIL_IDS = 2 ** 32;
async function summariseBySessions(connection, query, by) {
  if (!fromAggregates(query, by))
    return markSummariseBy(connection, query, by);
  assertPeriod(query);
  if (!isGroupDimension(by))
    throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const dimension = dimensionSql(by);
  const pupilLevel = PUPIL_DIMENSIONS.includes(by);
  const perPupil = pupilLevel ? `per_pupil AS (
         SELECT ${dimension.value} AS grp, u.pupil_id, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
         FROM u JOIN scope s USING (pupil_id, member)
         GROUP BY grp, u.pupil_id)` : `per_pupil AS (
         SELECT u.grp, u.pupil_id, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
         FROM u GROUP BY u.grp, u.pupil_id)`;
  const rows = await cachedRows(
    connection,
    `WITH ${sql}, ${unitsSql(pupilLevel ? void 0 : by, isHalfTerm(query), onePupil(query))},
     ${perPupil}
     SELECT grp, ${GROUP_TOTALS}
     FROM per_pupil
     GROUP BY grp
     ORDER BY ${dimension.order}`,
    params
  );
  return rows.map((row) => ({ group: String(row.grp), ...withRates(row) }));
}
async function sessionsBySessions(connection, query, by) {
  if (!fromAggregates(query, by))
    return (await summariseBySessions(connection, query, by)).map(sessionsOf);
  assertPeriod(query);
  if (!isGroupDimension(by))
    throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows(
    connection,
    `WITH ${sql}, ${unitsSql(by, isHalfTerm(query), onePupil(query))},
     per_group AS (
       SELECT u.grp, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY u.grp)
     SELECT grp, 0 AS pupils, ${SESSION_TOTALS}, 0 AS pa_pupils, 0 AS sa_pupils
     FROM per_group
     GROUP BY grp
     ORDER BY ${dimensionSql(by).order}`,
    params
  );
  return rows.map((row) => sessionsOf({ group: String(row.grp), ...withRates(row) }));
}
var TOTAL_COLUMNS = "pupils, possible_sessions, present_sessions, aea_sessions, authorised_sessions, unauthorised_sessions, pa_pupils, sa_pupils";
async function summariseByEachSessions(connection, query) {
  if (!fromAggregates(query))
    throw new Error("summariseByEach reads the aggregates: no slice");
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const branches = PUPIL_DIMENSIONS.map(
    (d) => `SELECT '${d}' AS dim, grp, ${TOTAL_COLUMNS}, row_number() OVER (ORDER BY ${PUPIL_DIMENSION_SQL[d].order}) AS ord
       FROM (SELECT ${d} AS grp, ${GROUP_TOTALS} FROM per_pupil GROUP BY ${d})`
  );
  const rows = await cachedRows(
    connection,
    `WITH ${sql}, ${unitsSql(void 0, isHalfTerm(query), onePupil(query))},
     -- Each pupil's counts, then their characteristics (one scope row per pupil).
     per_pupil AS MATERIALIZED (
       SELECT pp.*, ${PUPIL_DIMENSIONS.map((d) => `${PUPIL_DIMENSION_SQL[d].value} AS ${d}`).join(", ")}
       FROM (SELECT u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS} FROM u GROUP BY u.pupil_id, u.member) pp
       JOIN scope s USING (pupil_id, member))
     SELECT dim, grp, ${TOTAL_COLUMNS} FROM (
       ${branches.join("\n       UNION ALL ")})
     ORDER BY dim, ord`,
    params
  );
  const result = /* @__PURE__ */ new Map();
  for (const { dim, grp, ...counts } of rows) {
    const list = result.get(dim) ?? [];
    list.push({ group: String(grp), ...withRates(counts) });
    result.set(dim, list);
  }
  return result;
}
function codeUnitsSql(by, halfTerm = false, marks = false, member = false) {
  if (marks) {
    return `c AS (
      SELECT m.pupil_id, m.date, m.code, 1 AS sessions ${by ? `, ${groupValueAt(by, "m.date", "sd")} AS grp` : ""}
      FROM ${unitSource(halfTerm, "mark_store", "m", "date", "m.date BETWEEN $from::DATE AND $to::DATE")} ${by ? "LEFT JOIN school_days sd ON sd.date = m.date" : ""})`;
  }
  const edges = `m.date < date_trunc('week', $from::DATE) + INTERVAL 7 DAY OR m.date >= date_trunc('week', $to::DATE)${halfWeeksEdge(halfTerm, "m.date")}`;
  const split = by ? `split_weeks AS (
         SELECT DISTINCT w.week FROM mark_week_codes w
         LEFT JOIN school_days sf ON sf.date = w.first_date
         LEFT JOIN school_days sl ON sl.date = w.last_date
         WHERE w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)
           AND ${groupValueAt(by, "w.first_date", "sf")} IS DISTINCT FROM ${groupValueAt(by, "w.last_date", "sl")}),` : "";
  return `${split}
    c AS (
      SELECT w.pupil_id, w.first_date AS date, w.code, w.sessions ${by ? `, ${groupValueAt(by, "w.first_date", "sd")} AS grp` : ""}${member ? ", w.member" : ""}
      FROM ${unitSource(
    halfTerm,
    "mark_week_codes",
    "w",
    "first_date",
    `w.week > date_trunc('week', $from::DATE) AND w.week < date_trunc('week', $to::DATE)${halfWeeksInner(halfTerm, "w.week")}
        ${by ? "AND w.week NOT IN (SELECT week FROM split_weeks)" : ""}`
  )} ${by ? "LEFT JOIN school_days sd ON sd.date = w.first_date" : ""}
      UNION ALL
      SELECT m.pupil_id, m.date, m.code, 1 ${by ? `, ${groupValueAt(by, "m.date", "sd")} AS grp` : ""}${member ? ", m.member" : ""}
      FROM ${unitSource(
    halfTerm,
    "mark_store",
    "m",
    "date",
    `m.date BETWEEN $from::DATE AND $to::DATE
        AND (${edges} ${by ? "OR date_trunc('week', m.date) IN (SELECT week FROM split_weeks)" : ""})`
  )} ${by ? "LEFT JOIN school_days sd ON sd.date = m.date" : ""})`;
}
async function sessionsByCode(connection, query) {
  query = await asRead(connection, query);
  const upn = onePupilOnly(query);
  if (upn !== null) {
    assertPeriod(query);
    const codes = await onePupilCodes(connection, upn, query);
    if (codes !== null)
      return codes;
  }
  if (!fromAggregates(query))
    return markSessionsByCode(connection, query);
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  return cachedRows(
    connection,
    `WITH ${sql}, ${codeUnitsSql(void 0, isHalfTerm(query), onePupil(query))}
     -- The latest regulations' words, as markSessionsByCode: any_value gave either across 19 August 2024.
     SELECT c.code::VARCHAR AS code, arg_max(cc.category, cc.regime) AS category, arg_max(cc.meaning, cc.regime) AS meaning,
            sum(c.sessions)::INTEGER AS sessions
     FROM c
     JOIN code_catalogue cc
       ON cc.code = c.code
      AND cc.regime = CASE WHEN c.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     GROUP BY c.code
     ORDER BY sessions DESC, c.code::VARCHAR`,
    params
  );
}
async function pupilMeasures(connection, query) {
  const { sql, params } = pupilRowsSql(query);
  const rows = await cachedRows(connection, `WITH ${sql} SELECT * FROM pupil_rows ORDER BY surname, forename, upn`, params);
  return rows.map(toPupilMeasures);
}
function pupilRowsSql(query) {
  assertPeriod(query);
  if (isHalfTerm(query))
    throw new Error("pupils' own rows are read with the period's membership, not by half term");
  if (!fromAggregates(query))
    return markPupilRowsSql(query);
  const { sql, params } = scopedMarksSql(query);
  return {
    params,
    sql: `${sql}, ${unitsSql(void 0, isHalfTerm(query), onePupil(query))},
     per_pupil AS (
       SELECT u.pupil_id, sum(u.marks)::INTEGER AS marks, sum(u.late_l + u.late_u)::INTEGER AS late_sessions,
              -- A spell already running when the period starts is a spell of the period.
              (sum(u.spell_starts) + CASE WHEN arg_min(u.lead_continued, u.date) FILTER (WHERE u.possible > 0) THEN 1 ELSE 0 END)::INTEGER AS absence_spells,
              ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY u.pupil_id),
     pupil_rows AS (
       SELECT s.pupil_id, ${pupilRowColumns("pp")}
       FROM scope s
       LEFT JOIN per_pupil pp USING (pupil_id))`
  };
}
async function lateness(connection, query) {
  if (isHalfTerm(query))
    throw new Error("lateness is not read by half-term membership (no governor's figure)");
  if (!fromAggregates(query))
    return markLateness(connection, query);
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows(
    connection,
    `WITH ${sql}, ${unitsSql(void 0, isHalfTerm(query), onePupil(query))},
     per_pupil AS (SELECT u.pupil_id, sum(u.late_l) AS l, sum(u.late_u) AS lu, sum(u.minutes_late) AS minutes FROM u GROUP BY u.pupil_id)
     SELECT coalesce(sum(l), 0)::INTEGER AS late_before_close,
            coalesce(sum(lu), 0)::INTEGER AS late_after_close,
            count(*) FILTER (WHERE l + lu > 0)::INTEGER AS pupils_late,
            coalesce(sum(minutes), 0)::INTEGER AS minutes_late
     FROM per_pupil`,
    params
  );
  return rows[0];
}
async function summariseWithinEachSessions(connection, query, withins, by) {
  if (!fromAggregates(query, by))
    throw new Error("summariseWithin reads the aggregates: no slice, no AM/PM breakdown");
  assertPeriod(query);
  for (const within of withins)
    if (!PUPIL_DIMENSIONS.includes(within))
      throw new Error(`unknown pupil breakdown "${within}"`);
  if (by !== void 0 && !SESSION_DIMENSION_SQL[by])
    throw new Error(`unknown breakdown "${by}"`);
  if (withins.length === 0)
    return /* @__PURE__ */ new Map();
  const { sql, params } = scopedMarksSql(query);
  const dims = [...new Set(withins)];
  const branches = dims.map(
    (_d, i) => `SELECT ${i} AS dim, pg_${i} AS pg, grp, ${TOTAL_COLUMNS}, ord
       FROM (SELECT pg_${i}, grp, ${GROUP_TOTALS}, ${by ? SESSION_DIMENSION_SQL[by].order : "grp"} AS ord FROM per_pupil GROUP BY pg_${i}, grp)`
  );
  const rows = await cachedRows(
    connection,
    `WITH ${sql}, ${unitsSql(by, isHalfTerm(query), onePupil(query))},
     per_pupil AS MATERIALIZED (
       SELECT ${dims.map((d, i) => `${PUPIL_DIMENSION_SQL[d].value} AS pg_${i}`).join(", ")}, ${by ? "u.grp" : "NULL::VARCHAR"} AS grp, u.pupil_id,
              min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
       FROM u JOIN scope s USING (pupil_id, member)
       GROUP BY ALL)
     SELECT dim, pg, grp, ${TOTAL_COLUMNS} FROM (
       ${branches.join("\n       UNION ALL ")})
     ORDER BY dim, pg, ord`,
    params
  );
  const result = new Map(dims.map((d) => [d, /* @__PURE__ */ new Map()]));
  for (const { dim, pg, grp, ...counts } of rows) {
    const groups = result.get(dims[Number(dim)]);
    const key = String(pg);
    const list = groups.get(key) ?? [];
    list.push({ group: grp === null ? key : String(grp), ...withRates(counts) });
    groups.set(key, list);
  }
  return result;
}
function wholeSpanAbsence(absence, absentSessions2) {
  const whole = absence.whole;
  if (!whole)
    return absence;
  const uncounted = absentSessions2 - whole.counted_absent;
  if (uncounted < 0)
    return absence;
  const { counted_absent: _counted, ...leastsAndMosts2 } = whole;
  return { ...leastsAndMosts2, uncounted_absent: uncounted, whole };
}
function combineAbsence(a, b) {
  const aw = a.whole;
  const bw = b.whole;
  return {
    pa_least: Math.min(a.pa_least, b.pa_least),
    pa_most: Math.max(a.pa_most, b.pa_most),
    pa_other_most: Math.max(a.pa_other_most, b.pa_other_most),
    sa_least: Math.min(a.sa_least, b.sa_least),
    sa_most: Math.max(a.sa_most, b.sa_most),
    sa_other_most: Math.max(a.sa_other_most, b.sa_other_most),
    uncounted_absent: a.uncounted_absent + b.uncounted_absent,
    whole: aw && bw ? {
      pa_least: Math.min(aw.pa_least, bw.pa_least),
      pa_most: Math.max(aw.pa_most, bw.pa_most),
      pa_other_most: Math.max(aw.pa_other_most, bw.pa_other_most),
      sa_least: Math.min(aw.sa_least, bw.sa_least),
      sa_most: Math.max(aw.sa_most, bw.sa_most),
      sa_other_most: Math.max(aw.sa_other_most, bw.sa_other_most),
      counted_absent: aw.counted_absent + bw.counted_absent
    } : void 0
  };
}
function combineAbsenceInto(into, b) {
  foldLeastsAndMosts(into, b);
  into.uncounted_absent += b.uncounted_absent;
  const iw = into.whole;
  const bw = b.whole;
  if (!iw)
    return;
  if (!bw) {
    into.whole = void 0;
    return;
  }
  foldLeastsAndMosts(iw, bw);
  iw.counted_absent += bw.counted_absent;
}
function foldLeastsAndMosts(into, b) {
  into.pa_least = Math.min(into.pa_least, b.pa_least);
  into.pa_most = Math.max(into.pa_most, b.pa_most);
  into.pa_other_most = Math.max(into.pa_other_most, b.pa_other_most);
  into.sa_least = Math.min(into.sa_least, b.sa_least);
  into.sa_most = Math.max(into.sa_most, b.sa_most);
  into.sa_other_most = Math.max(into.sa_other_most, b.sa_other_most);
}
var ATOM_COUNT_FIELDS = ["pupils", "possible_sessions", "present_sessions", "aea_sessions", "authorised_sessions", "unauthorised_sessions", "pa_pupils", "sa_pupils", "absent_pupils"];
function addAtomCounts(into, atom) {
  for (const f of ATOM_COUNT_FIELDS)
    into[f] += atom[f];
}
var atomBoundsSql = (from) => `${boundsColumns(from, "p_in", "a_in", "")},
              ${boundsColumns(from, "possible", "absent", "_whole")}`;
var boundsColumns = (from, possibleIn, absentIn, suffix) => {
  const pa = `10 * ${from}absent >= ${from}possible`;
  const sa = `2 * ${from}absent >= ${from}possible`;
  const [p, a] = [`${from}${possibleIn}`, `${from}${absentIn}`];
  return `min(${p})::INTEGER AS least_possible${suffix},
              min(${a}) FILTER (WHERE ${pa})::INTEGER AS pa_least_absent${suffix},
              max(${a}) FILTER (WHERE ${pa})::INTEGER AS pa_most${suffix},
              max(${a}) FILTER (WHERE NOT (${pa}))::INTEGER AS pa_other_most${suffix},
              min(${a}) FILTER (WHERE ${sa})::INTEGER AS sa_least_absent${suffix},
              max(${a}) FILTER (WHERE ${sa})::INTEGER AS sa_most${suffix},
              max(${a}) FILTER (WHERE NOT (${sa}))::INTEGER AS sa_other_most${suffix},
              sum(${a})::INTEGER AS counted_absent${suffix}`;
};
var BOUNDS_NAMES = ["least_possible", "pa_least_absent", "pa_most", "pa_other_most", "sa_least_absent", "sa_most", "sa_other_most", "counted_absent"];
var BOUNDS_SUFFIXES = ["", "_whole"];
var ATOM_BOUNDS_COLUMNS = BOUNDS_SUFFIXES.flatMap((suffix) => BOUNDS_NAMES.map((name) => `${name}${suffix}`)).join(", ");
var insideSql = (extra = "") => `pk AS (
       SELECT ph.grp, ph.pupil_id, ${PUPIL_KEYS}, sum(ph.possible) AS possible, sum(ph.authorised + ph.unauthorised) AS absent
       FROM ph JOIN scope s USING (pupil_id, member) WHERE s.chosen
       GROUP BY ALL),
     inside AS (
       SELECT ${extra}c.grp, ${PUPIL_DIMENSIONS.map((d) => `c.${d}`).join(", ")}, c.possible, c.absent,
              coalesce(pk.possible, 0) AS p_in, coalesce(pk.absent, 0) AS a_in
       FROM counted c LEFT JOIN pk ON pk.grp IS NOT DISTINCT FROM c.grp AND pk.pupil_id = c.pupil_id
            AND ${PUPIL_DIMENSIONS.map((d) => `pk.${d} = c.${d}`).join(" AND ")})`;
function absenceOf(row, absentSessions2) {
  const uncounted = absentSessions2 - orNone(row.counted_absent, 0);
  if (uncounted < 0)
    throw new Error("a finest group's pupils missed more sessions than it has: not the same read");
  const own = leastsAndMosts(row.least_possible, row.pa_least_absent, row.pa_most, row.pa_other_most, row.sa_least_absent, row.sa_most, row.sa_other_most);
  own.uncounted_absent = uncounted;
  const whole = leastsAndMosts(row.least_possible_whole, row.pa_least_absent_whole, row.pa_most_whole, row.pa_other_most_whole, row.sa_least_absent_whole, row.sa_most_whole, row.sa_other_most_whole);
  whole.counted_absent = orNone(row.counted_absent_whole, 0);
  own.whole = whole;
  return own;
}
var orNone = (v, none) => v === null || v === void 0 ? none : Number(v);
function leastsAndMosts(leastPossible, paLeast, paMost, paOther, saLeast, saMost, saOther) {
  const least = orNone(leastPossible, Number.POSITIVE_INFINITY);
  return {
    pa_least: Math.min(Math.ceil(least / 10), orNone(paLeast, Number.POSITIVE_INFINITY)),
    pa_most: orNone(paMost, 0),
    pa_other_most: orNone(paOther, 0),
    sa_least: Math.min(Math.ceil(least / 2), orNone(saLeast, Number.POSITIVE_INFINITY)),
    sa_most: orNone(saMost, 0),
    sa_other_most: orNone(saOther, 0)
  };
}
function atomOf(row, period) {
  return {
    period,
    year_group: row.year_group,
    reg_group: row.reg_group,
    sen: row.sen,
    fsm: row.fsm,
    eal: row.eal,
    lac: row.lac,
    sex: row.sex,
    ethnicity: row.ethnicity,
    pupils: row.pupils,
    possible_sessions: row.possible_sessions,
    present_sessions: row.present_sessions,
    aea_sessions: row.aea_sessions,
    authorised_sessions: row.authorised_sessions,
    unauthorised_sessions: row.unauthorised_sessions,
    pa_pupils: row.pa_pupils,
    sa_pupils: row.sa_pupils,
    absent_pupils: Number(row.absent_pupils),
    absence: absenceOf(row, Number(row.authorised_sessions) + Number(row.unauthorised_sessions))
  };
}
async function summariseAtomsSessions(connection, query, by) {
  if (!fromAggregates(query, by))
    throw new Error("summariseAtoms reads the aggregates: no slice, no AM/PM breakdown");
  assertPeriod(query);
  if (by !== void 0 && !SESSION_DIMENSION_SQL[by])
    throw new Error(`unknown breakdown "${by}"`);
  const population = query.population ?? "whole-roll";
  if (population !== "whole-roll" && population !== "dfe")
    throw new Error(`unknown population "${String(population)}"`);
  const { sql, params } = scopedMarksSql({ ...query, population: void 0 });
  const range = dfePopulation(query.to);
  params.born_from = range.bornFrom;
  params.born_to = range.bornTo;
  const names = PUPIL_DIMENSIONS.join(", ");
  const rows = await cachedRowsToRead(
    connection,
    `WITH ${sql}, ${unitsSql(by, isHalfTerm(query), onePupil(query))},
     per_pupil AS (
       SELECT ${by ? "u.grp" : "''"} AS grp, ${PUPIL_KEYS}, u.pupil_id,
              (pd.dob BETWEEN $born_from::DATE AND $born_to::DATE) IS TRUE AS in_dfe, ${UNIT_PER_PUPIL_COUNTS}
       FROM u JOIN scope s USING (pupil_id, member) JOIN pupils pd ON pd.upn = s.upn
       GROUP BY ALL),
     counted AS (SELECT *, possible AS p_in, authorised + unauthorised AS a_in, authorised + unauthorised AS absent FROM per_pupil WHERE possible > 0),
     bounds AS (SELECT grp, ${names}, in_dfe, ${atomBoundsSql("")} FROM counted GROUP BY grp, ${names}, in_dfe)
     SELECT * FROM (
     SELECT grp, ${names}, in_dfe, ${GROUP_TOTALS},
            count(*) FILTER (WHERE possible > 0 AND authorised + unauthorised > 0)::INTEGER AS absent_pupils
     FROM per_pupil
     GROUP BY grp, ${names}, in_dfe) LEFT JOIN bounds USING (grp, ${names}, in_dfe)
     ORDER BY grp, ${names}, in_dfe`,
    params
  );
  const atoms = (population === "dfe" ? rows.filter((row) => row.in_dfe === true) : rows).map((row) => atomOf(row, row.grp === null ? "" : String(row.grp)));
  if (population === "dfe")
    return atoms;
  const whole = [];
  const sameGroup = (a, b) => a.period === b.period && PUPIL_DIMENSIONS.every((d) => a[d] === b[d]);
  for (const atom of atoms) {
    const last = whole.at(-1);
    if (!last || !sameGroup(last, atom)) {
      whole.push(atom);
      continue;
    }
    addAtomCounts(last, atom);
    last.absence = combineAbsence(last.absence, atom.absence);
  }
  return whole;
}
async function fewestPupilsOnADay(connection, query, sets) {
  return (await fewestPupilsOnADays(connection, [query], sets))[0];
}
async function fewestPupilsOnADays(connection, spans, sets) {
  const read = [];
  for (const span2 of spans) {
    const query = await asRead(connection, span2);
    if (isHalfTerm(query))
      throw new Error("fewestPupilsOnADay reads one half term: its pupils' groups at its end");
    if (!fromAggregates(query, "date"))
      throw new Error("fewestPupilsOnADay reads the aggregates: no slice");
    assertPeriod(query);
    read.push(query);
  }
  if (read.length === 0 || sets.length === 0)
    return read.map(() => []);
  const chosen = (q) => JSON.stringify([q.filter ?? {}, q.population ?? null, q.withCode ?? null, q.membership ?? null]);
  if (read.some((q) => chosen(q) !== chosen(read[0])))
    throw new Error("fewestPupilsOnADays: the spans choose their pupils differently");
  if (read.some((q, i) => i > 0 && q.from <= read[i - 1].to))
    throw new Error("fewestPupilsOnADays: spans must be in order and apart");
  for (const set of sets)
    for (const d of set)
      if (!PUPIL_DIMENSIONS.includes(d))
        throw new Error(`unknown pupil breakdown "${d}"`);
  const whole = { ...read[0], from: read[0].from, to: read[read.length - 1].to };
  const { sql, params } = read.length === 1 ? scopedMarksSql(whole) : scopedMarksSql(whole, { spans: read });
  const used = PUPIL_DIMENSIONS.filter((d) => sets.some((set) => set.includes(d)));
  const names = used.map((d) => `, ${d}`).join("");
  const bitsOf = (set) => used.reduce((bits, d, i) => set.includes(d) ? bits : bits | 1 << used.length - 1 - i, 0);
  const span = read.length === 1 ? "0" : "s.span";
  const days = read.length === 1 ? "mark_days d JOIN scope s USING (pupil_id) WHERE d.date BETWEEN $from::DATE AND $to::DATE" : spanUnitSource("mark_days", "d", "date", "d.date BETWEEN $from::DATE AND $to::DATE", "s");
  const rows = await cachedRows(
    connection,
    `WITH ${sql},
     per_pupil AS (
       SELECT ${span}::INTEGER AS span, ${groupValueAt("date", "d.date", "sd")} AS grp, ${PUPIL_KEYS}, d.pupil_id, d.possible::INTEGER AS possible,
              (d.authorised + d.unauthorised)::INTEGER AS absent
       FROM ${days}),
     daily AS (
       SELECT span, grp${names}, ${used.length > 0 ? `GROUPING(${used.join(", ")})` : "0"}::INTEGER AS bits, count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils,
              count(*) FILTER (WHERE absent > 0)::INTEGER AS absent
       FROM per_pupil
       GROUP BY GROUPING SETS (${sets.map((set) => `(${["span", "grp", ...set].join(", ")})`).join(", ")}))
     SELECT span, bits${names}, min(pupils) FILTER (WHERE pupils > 0)::INTEGER AS fewest,
            coalesce(min(absent) FILTER (WHERE absent > 0), 0)::INTEGER AS fewest_absent
     FROM daily GROUP BY ALL
     ORDER BY ALL`,
    params
  );
  const result = read.map(() => []);
  for (const row of rows) {
    if (row.fewest === null)
      continue;
    sets.forEach((set, i) => {
      if (bitsOf(set) === Number(row.bits))
        result[Number(row.span)].push({ set: i, values: set.map((d) => String(row[d])), fewest: Number(row.fewest), fewestAbsent: Number(row.fewest_absent) });
    });
  }
  return result;
}
async function asRead(connection, query) {
  if (!isHalfTerm(query))
    return query;
  const row = await cachedOne(
    connection,
    `SELECT count(DISTINCT half_term)::INTEGER AS halves FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE`,
    { from: query.from, to: query.to }
  );
  return Number(row?.halves ?? 0) > 1 ? query : { ...query, membership: "period-end" };
}
var lastHalfSql = (absent = "ph.absent") => `pl AS (
       SELECT ph.grp, ph.pupil_id, sum(ph.possible) AS possible, sum(${absent}) AS absent,
              arg_max(ph.member, h.r_from) AS member, max(h.r_from) AS last_from
       FROM ph JOIN halves h USING (member)
       GROUP BY ph.grp, ph.pupil_id),
     pl_last AS (SELECT grp, arg_max(member, last_from) AS span_last, max(last_from) AS span_from FROM pl GROUP BY grp)`;
var PUPIL_KEYS = PUPIL_DIMENSIONS.map((d) => `coalesce(${PUPIL_DIMENSION_SQL[d].value}::VARCHAR, '') AS ${d}`).join(", ");
var PUPIL_COUNT_SQL = `count(*) FILTER (WHERE possible > 0)::INTEGER AS pupils,
              count(*) FILTER (WHERE possible > 0 AND 10 * absent >= possible)::INTEGER AS pa_pupils,
              count(*) FILTER (WHERE possible > 0 AND 2 * absent >= possible)::INTEGER AS sa_pupils,
              count(*) FILTER (WHERE possible > 0 AND absent > 0)::INTEGER AS absent_pupils`;
var lastHalfFrom = (last = "span") => `FROM pl JOIN pl_last ON pl_last.grp IS NOT DISTINCT FROM pl.grp
       JOIN scope s USING (pupil_id, member)
       WHERE CASE WHEN pl.last_from < pl_last.${last}_from THEN s.leaver_chosen ELSE s.chosen END`;
var LAST_HALF_FROM = lastHalfFrom();
var leaverKeys = (last = "span") => PUPIL_DIMENSIONS.map(
  (d) => `CASE WHEN pl.last_from < pl_last.${last}_from THEN $leavers_prefix || pl_last.${last}_last ELSE coalesce(${PUPIL_DIMENSION_SQL[d].value}::VARCHAR, '') END AS ${d}`
).join(", ");
var LEAVER_KEYS = leaverKeys();
async function halfTermPupilCounts(connection, query, by) {
  const rows = await cachedRows(connection, ...halfTermPupilCountsSql(query, by, `${LEAVER_KEYS}, `, "GROUP BY ALL"));
  return rows.map((r) => ({ ...r, pupils: Number(r.pupils), pa_pupils: Number(r.pa_pupils), sa_pupils: Number(r.sa_pupils), absent_pupils: Number(r.absent_pupils) }));
}
async function halfTermPupilTotals(connection, query, by) {
  const rows = await cachedRowsToRead(connection, ...halfTermPupilCountsSql(query, by, "", "GROUP BY 1"));
  return new Map(rows.map((r) => [r.grp, { pupils: Number(r.pupils), pa_pupils: Number(r.pa_pupils), sa_pupils: Number(r.sa_pupils), absent_pupils: Number(r.absent_pupils) }]));
}
function halfTermPupilCountsSql(query, by, keys, groupBy) {
  assertPeriod(query);
  if (by !== void 0 && !SESSION_DIMENSION_SQL[by])
    throw new Error(`unknown breakdown "${by}"`);
  const { sql, params } = scopedMarksSql(query, { chosen: true });
  const perHalf = !fromAggregates(query, by) ? `ph AS (
         SELECT ${by ? SESSION_DIMENSION_SQL[by].value : "''"} AS grp, k.pupil_id, k.member,
                count(*) FILTER (WHERE k.category <> 'not_counted') AS possible,
                count(*) FILTER (WHERE k.category IN ('authorised', 'unauthorised')) AS absent
         FROM k GROUP BY ALL)` : `${unitsSql(by, true)},
       ph AS (
         SELECT ${by ? "u.grp" : "''"} AS grp, u.pupil_id, u.member, sum(u.possible) AS possible, sum(u.authorised + u.unauthorised) AS absent
         FROM u GROUP BY ALL)`;
  return [
    `WITH ${sql}, ${perHalf},
     ${lastHalfSql()}
     SELECT coalesce(pl.grp::VARCHAR, '') AS grp, ${keys}
            ${PUPIL_COUNT_SQL}
     ${LAST_HALF_FROM}
     ${groupBy}`,
    // The leavers' group is named only in the finest groups' keys.
    keys === "" ? params : { ...params, leavers_prefix: LEAVERS_PREFIX }
  ];
}
function totalPupilCounts(rows, keyOf) {
  const totals = /* @__PURE__ */ new Map();
  for (const row of rows) {
    const key = keyOf(row);
    const total = totals.get(key) ?? { pupils: 0, pa_pupils: 0, sa_pupils: 0, absent_pupils: 0 };
    total.pupils += row.pupils;
    total.pa_pupils += row.pa_pupils;
    total.sa_pupils += row.sa_pupils;
    total.absent_pupils += row.absent_pupils;
    totals.set(key, total);
  }
  return totals;
}
var NO_SESSIONS = { pupils: 0, possible_sessions: 0, present_sessions: 0, aea_sessions: 0, authorised_sessions: 0, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 };
function withPupilCounts(counts, pupils) {
  return withRates({ ...counts, pupils: pupils?.pupils ?? 0, pa_pupils: pupils?.pa_pupils ?? 0, sa_pupils: pupils?.sa_pupils ?? 0 });
}
function mergeGroups(rows, pupils) {
  const merged = rows.map((r) => ({ group: r.group, ...withPupilCounts(r, pupils.get(r.group)) }));
  const seen = new Set(rows.map((r) => r.group));
  for (const [group, counts] of pupils)
    if (!seen.has(group) && counts.pupils > 0)
      merged.push({ group, ...withPupilCounts(NO_SESSIONS, counts) });
  return merged;
}
var atomReads = /* @__PURE__ */ new WeakMap();
function atomsFor(connection, query, by) {
  if (query.slice || query.filter?.upn || by === "session")
    return null;
  const base = atomsBase(query);
  let reads = atomReads.get(connection);
  if (!reads) {
    reads = /* @__PURE__ */ new Map();
    atomReads.set(connection, reads);
  }
  return keptWork(
    connection,
    reads,
    64,
    atomsKey(base, by),
    async () => await weeksFromYear(connection, reads, base, by) ?? await spanFromYear(connection, base, by) ?? summariseAtoms(connection, base, by)
  );
}
async function spanFromYear(connection, base, by) {
  if (by !== void 0 || base.withCode !== void 0)
    return null;
  const derived = await spanAtomsFromYear(connection, base);
  return derived && (base.population === "dfe" ? derived.dfe : derived.whole);
}
function atomsAtHand(connection, query, by) {
  const base = atomsBase(query);
  const key = atomsKey(base, by);
  const byRead = atomsByReads.get(connection);
  if (byRead && keptAlready(connection, byRead, `read\0${key}`) !== void 0)
    return true;
  const reads = atomReads.get(connection);
  if (!reads)
    return false;
  if (keptAlready(connection, reads, key) !== void 0)
    return true;
  return by === "week" && keptAlready(connection, reads, atomsKey({ ...base, from: academicYearBounds(academicYearOf(base.from)).from }, by)) !== void 0;
}
var atomsByReads = /* @__PURE__ */ new WeakMap();
function isFiltered(filter) {
  return Object.values(filter ?? {}).some((v) => v !== void 0 && v !== "");
}
function noteAtomsByRead(connection, query, by) {
  if (query.slice || isFiltered(query.filter))
    return;
  let reads = atomsByReads.get(connection);
  if (!reads) {
    reads = /* @__PURE__ */ new Map();
    atomsByReads.set(connection, reads);
  }
  void keptWork(connection, reads, 64, `read\0${atomsKey(atomsBase(query), by)}`, async () => true);
}
var atomsBase = (query) => ({ from: query.from, to: query.to, population: query.population, withCode: query.withCode, membership: "half-term" });
var atomsKey = (base, by) => `atoms\0${JSON.stringify([base, by ?? null])}`;
async function weeksFromYear(connection, kept, base, by) {
  if (by !== "week" || base.withCode !== void 0)
    return null;
  const yearFrom = academicYearBounds(academicYearOf(base.from)).from;
  if (yearFrom >= base.from)
    return null;
  const year = keptAlready(connection, kept, atomsKey({ ...base, from: yearFrom }, by));
  if (!year)
    return null;
  const first = await cachedOne(
    connection,
    `SELECT strftime(date_trunc('week', $from::DATE), '%Y-%m-%d') AS week,
            EXISTS (SELECT 1 FROM mark_days WHERE date >= greatest(date_trunc('week', $from::DATE), $year_from::DATE) AND date < $from::DATE) AS earlier`,
    { from: base.from, year_from: yearFrom }
  );
  if (!first || first.earlier)
    return null;
  return (await year).filter((atom) => atom.period >= first.week);
}
function chosenAtoms(atoms, filter = {}) {
  const set = Object.entries(filter).filter(([, v]) => v !== void 0 && v !== "");
  for (const [key] of set)
    if (!PUPIL_DIMENSIONS.includes(key))
      throw new Error(`unknown filter "${key}"`);
  return atoms.filter((a) => set.every(([k, v]) => a[k] === v));
}
function sumAtoms(atoms, keyOf) {
  const sums = /* @__PURE__ */ new Map();
  for (const a of atoms) {
    const key = keyOf(a);
    const sum = sums.get(key);
    if (!sum) {
      sums.set(key, { ...a });
      continue;
    }
    addAtomCounts(sum, a);
  }
  return sums;
}
function pupilGroupOrder(by) {
  const order = pupilValueOrder(by);
  return (a, b) => Number(isLeaversGroup(a)) - Number(isLeaversGroup(b)) || order(a, b);
}
function pupilValueOrder(by) {
  const asc = (a, b) => a < b ? -1 : a > b ? 1 : 0;
  if (by === "sen") {
    const rank2 = (v) => v === "E" ? 1 : v === "K" ? 2 : 3;
    return (a, b) => rank2(a) - rank2(b) || asc(a, b);
  }
  if (by === "fsm" || by === "eal" || by === "lac")
    return (a, b) => asc(b, a);
  if (by === "year_group") {
    const num2 = (v) => /^[+-]?\d+$/.test(v.trim()) ? Number(v) : null;
    return (a, b) => {
      const x = num2(a);
      const y = num2(b);
      if (x === null && y !== null)
        return -1;
      if (x !== null && y === null)
        return 1;
      return (x !== null && y !== null ? x - y : 0) || asc(a, b);
    };
  }
  return asc;
}
async function datesWithPossibleSessions(connection, query) {
  query = await asRead(connection, query);
  if (isHalfTerm(query) || query.slice)
    return null;
  assertPeriod(query);
  const { sql, params } = scopedMarksSql(query);
  const rows = await cachedRows(
    connection,
    `WITH ${sql}
     SELECT strftime(d.date, '%Y-%m-%d') AS day FROM mark_days d JOIN scope USING (pupil_id)
     WHERE d.date BETWEEN $from::DATE AND $to::DATE
     GROUP BY d.date HAVING sum(d.possible) > 0
     ORDER BY d.date`,
    params
  );
  return rows.map((r) => String(r.day));
}
var ATOM_ORDERED = /* @__PURE__ */ new Set(["week", "month", "date", "term"]);
async function sessionGroupOrder(connection, by, groups) {
  const asc = (a, b) => a < b ? -1 : a > b ? 1 : 0;
  if (by === "week" || by === "month" || by === "date")
    return asc;
  if (by !== "term")
    return null;
  const rows = await cachedRows(
    connection,
    `SELECT term, strftime(min(date), '%Y-%m-%d') AS first FROM school_days WHERE term IS NOT NULL GROUP BY term`
  );
  const first = new Map(rows.map((r) => [String(r.term), String(r.first)]));
  if (!groups.every((g) => first.has(g)))
    return null;
  return (a, b) => asc(first.get(a), first.get(b));
}
async function withinEachFromAtoms(connection, query, withins, by) {
  for (const within of withins)
    if (!PUPIL_DIMENSIONS.includes(within))
      throw new Error(`unknown pupil breakdown "${within}"`);
  const read = atomsFor(connection, query, by);
  if (!read)
    return null;
  const chosen = chosenAtoms(await read, query.filter);
  const order = by ? await sessionGroupOrder(connection, by, [...new Set(chosen.map((a) => a.period))]) : null;
  if (by && !order)
    return null;
  const asc = (a, b) => a < b ? -1 : a > b ? 1 : 0;
  const result = /* @__PURE__ */ new Map();
  for (const within of new Set(withins)) {
    const values = /* @__PURE__ */ new Map();
    for (const atom of chosen) {
      const list = values.get(atom[within]);
      if (list)
        list.push(atom);
      else
        values.set(atom[within], [atom]);
    }
    const out = /* @__PURE__ */ new Map();
    for (const value of [...values.keys()].sort(asc)) {
      const sums = sumAtoms(values.get(value), (a) => a.period);
      out.set(value, [...sums].sort(([a], [b]) => order ? order(a, b) : 0).map(([group, counts]) => ({ group: by ? group : value, ...withRates(counts) })));
    }
    result.set(within, out);
  }
  return result;
}
async function summarise(connection, query) {
  query = await asRead(connection, query);
  const upn = onePupilOnly(query);
  if (upn !== null) {
    assertPeriod(query);
    return withRates((await onePupilCounts(connection, upn, query))[0].counts);
  }
  const atoms = isHalfTerm(query) ? atomsFor(connection, query) : null;
  if (atoms)
    return withRates([...sumAtoms(chosenAtoms(await atoms, query.filter), () => "").values()][0] ?? NO_SESSIONS);
  const sessions2 = await summariseSessions(connection, query);
  if (!isHalfTerm(query))
    return sessions2;
  return withPupilCounts(sessions2, totalPupilCounts(await halfTermPupilCounts(connection, query), () => "").get(""));
}
async function summariseBy(connection, query, by) {
  query = await asRead(connection, query);
  const upn = ONE_PUPIL_GRAINS.has(by) ? onePupilOnly(query) : null;
  if (upn !== null) {
    assertPeriod(query);
    return (await onePupilCounts(connection, upn, query, by)).map(({ group, counts: counts2 }) => ({ group, ...withRates(counts2) }));
  }
  const pupilLevel = PUPIL_DIMENSIONS.includes(by);
  const fromAtoms = isHalfTerm(query) && (pupilLevel || ATOM_ORDERED.has(by) && atomsAtHand(connection, query, by));
  const atoms = fromAtoms ? atomsFor(connection, query, pupilLevel ? void 0 : by) : null;
  if (atoms) {
    const sums = sumAtoms(chosenAtoms(await atoms, query.filter), (a) => pupilLevel ? a[by] : a.period);
    const order = pupilLevel ? pupilGroupOrder(by) : await sessionGroupOrder(connection, by, [...sums.keys()]);
    if (order)
      return [...sums].sort(([a], [b]) => order(a, b)).map(([group, counts2]) => ({ group, ...withRates(counts2) }));
  }
  const rows = await summariseBySessions(connection, query, by);
  if (!isHalfTerm(query))
    return rows;
  if (!pupilLevel)
    return mergeGroups(rows, await halfTermPupilTotals(connection, query, by));
  const counts = await halfTermPupilCounts(connection, query);
  return mergeGroups(rows, totalPupilCounts(counts, (r) => r[by]));
}
async function summariseSessionsBy(connection, query, by) {
  const read = await asRead(connection, query);
  const filtered = isFiltered(read.filter);
  const atHand = isHalfTerm(read) && ATOM_ORDERED.has(by) && atomsAtHand(connection, read, by);
  if (filtered || atHand)
    return (await summariseBy(connection, query, by)).map(sessionsOf);
  return sessionsBySessions(connection, read, by);
}
function sessionsOf(row) {
  const { pupils: _pupils, pa_pupils: _pa, pa_pct: _paPct, sa_pupils: _sa, sa_pct: _saPct, ...sessions2 } = row;
  return sessions2;
}
async function summariseByEach(connection, query) {
  query = await asRead(connection, query);
  const atoms = isHalfTerm(query) ? atomsFor(connection, query) : null;
  if (atoms) {
    const chosen = chosenAtoms(await atoms, query.filter);
    const result2 = /* @__PURE__ */ new Map();
    if (chosen.length === 0)
      return result2;
    for (const d of PUPIL_DIMENSIONS) {
      result2.set(d, [...sumAtoms(chosen, (a) => a[d])].sort(([a], [b]) => pupilGroupOrder(d)(a, b)).map(([group, counts2]) => ({ group, ...withRates(counts2) })));
    }
    return result2;
  }
  const result = await summariseByEachSessions(connection, query);
  if (!isHalfTerm(query))
    return result;
  const counts = await halfTermPupilCounts(connection, query);
  return new Map(PUPIL_DIMENSIONS.filter((d) => result.has(d) || counts.length > 0).map((d) => [d, mergeGroups(result.get(d) ?? [], totalPupilCounts(counts, (r) => r[d]))]));
}
async function summariseWithinEach(connection, query, withins, by) {
  query = await asRead(connection, query);
  if (isHalfTerm(query) && (by === void 0 || ATOM_ORDERED.has(by))) {
    const fromAtoms = await withinEachFromAtoms(connection, query, withins, by);
    if (fromAtoms)
      return fromAtoms;
  }
  const result = await summariseWithinEachSessions(connection, query, withins, by);
  if (!isHalfTerm(query))
    return result;
  const counts = await halfTermPupilCounts(connection, query, by);
  const merged = /* @__PURE__ */ new Map();
  for (const [within, groups] of result) {
    const totals = totalPupilCounts(counts, (r) => r[within]);
    const byGroup = totalPupilCounts(counts, (r) => `${r[within]}\0${r.grp}`);
    const out = /* @__PURE__ */ new Map();
    for (const value of /* @__PURE__ */ new Set([...groups.keys(), ...[...totals].filter(([, c2]) => c2.pupils > 0).map(([v]) => v)])) {
      const rows = groups.get(value) ?? [];
      const pupils = new Map([...byGroup].filter(([k]) => k.startsWith(`${value}\0`)).map(([k, c2]) => [by ? k.slice(value.length + 1) : value, c2]));
      out.set(value, mergeGroups(rows, pupils));
    }
    merged.set(within, out);
  }
  return merged;
}
async function halfTermAtomsBy(connection, query, by) {
  noteAtomsByRead(connection, query, by);
  const { sql, params } = scopedMarksSql(query, { chosen: true });
  const names = PUPIL_DIMENSIONS.join(", ");
  const leaverOr = (then, otherwise) => `CASE WHEN pl.last_from < pl_last.span_from THEN ${then} ELSE ${otherwise} END`;
  const rows = await cachedRowsToRead(
    connection,
    `WITH ${sql}, ${unitsSql(by, true)},
     ph AS MATERIALIZED (
       SELECT ${by ? "u.grp" : "''"} AS grp, u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY ALL),
     ${lastHalfSql("ph.authorised + ph.unauthorised")},
     fk AS MATERIALIZED (SELECT *, row_number() OVER ()::INTEGER AS cid FROM (SELECT DISTINCT ${PUPIL_KEYS} FROM scope s)),
     sk AS MATERIALIZED (
       SELECT s.pupil_id, s.member, s.chosen, s.leaver_chosen, fk.cid
       FROM scope s JOIN fk ON ${PUPIL_DIMENSIONS.map((d) => `fk.${d} = coalesce(${PUPIL_DIMENSION_SQL[d].value}::VARCHAR, '')`).join(" AND ")}),
     pl_sk AS (
       SELECT pl.grp, pl.pupil_id, pl.possible, pl.absent, ${leaverOr("0", "s.cid")} AS cid, pl_last.span_last
       FROM pl JOIN pl_last ON pl_last.grp IS NOT DISTINCT FROM pl.grp
       JOIN sk s USING (pupil_id, member)
       WHERE ${leaverOr("s.leaver_chosen", "s.chosen")}),
     pk AS (
       SELECT ph.grp, ph.pupil_id, s.cid, sum(ph.possible) AS possible, sum(ph.authorised + ph.unauthorised) AS absent
       FROM ph JOIN sk s USING (pupil_id, member) WHERE s.chosen
       GROUP BY ALL),
     inside AS (
       SELECT c.grp, c.cid, c.possible, c.absent, coalesce(pk.possible, 0) AS p_in, coalesce(pk.absent, 0) AS a_in
       FROM pl_sk c LEFT JOIN pk ON pk.grp IS NOT DISTINCT FROM c.grp AND pk.pupil_id = c.pupil_id AND pk.cid = c.cid
       WHERE c.possible > 0),
     bounds AS (SELECT coalesce(grp::VARCHAR, '') AS grp, cid, ${atomBoundsSql("")} FROM inside GROUP BY ALL),
     by_sessions AS (
       SELECT coalesce(ph.grp::VARCHAR, '') AS grp, s.cid,
              sum(ph.possible)::INTEGER AS possible_sessions, sum(ph.present)::INTEGER AS present_sessions, sum(ph.aea)::INTEGER AS aea_sessions,
              sum(ph.authorised)::INTEGER AS authorised_sessions, sum(ph.unauthorised)::INTEGER AS unauthorised_sessions
       FROM ph JOIN sk s USING (pupil_id, member) WHERE s.chosen
       GROUP BY ALL),
     by_pupils AS (
       SELECT coalesce(grp::VARCHAR, '') AS grp, cid, any_value(span_last) AS span_last,
              ${PUPIL_COUNT_SQL}
       FROM pl_sk
       GROUP BY 1, 2),
     atoms AS (
       SELECT *
       FROM by_sessions FULL OUTER JOIN by_pupils USING (grp, cid) LEFT JOIN bounds USING (grp, cid))
     SELECT grp, ${PUPIL_DIMENSIONS.map((d) => `CASE WHEN cid = 0 THEN $leavers_prefix || span_last ELSE fk.${d} END AS ${d}`).join(", ")},
            coalesce(pupils, 0) AS pupils, coalesce(possible_sessions, 0) AS possible_sessions, coalesce(present_sessions, 0) AS present_sessions,
            coalesce(aea_sessions, 0) AS aea_sessions, coalesce(authorised_sessions, 0) AS authorised_sessions,
            coalesce(unauthorised_sessions, 0) AS unauthorised_sessions, coalesce(pa_pupils, 0) AS pa_pupils, coalesce(sa_pupils, 0) AS sa_pupils,
            coalesce(absent_pupils, 0) AS absent_pupils, ${ATOM_BOUNDS_COLUMNS}
     FROM atoms LEFT JOIN fk USING (cid)
     ORDER BY grp, ${names}`,
    { ...params, leavers_prefix: LEAVERS_PREFIX }
  );
  return rows.map((row) => atomOf(row, String(row.grp)));
}
async function summariseAtoms(connection, query, by) {
  query = await asRead(connection, query);
  if (!isHalfTerm(query))
    return summariseAtomsSessions(connection, query, by);
  if (!fromAggregates(query, by))
    throw new Error("summariseAtoms reads the aggregates: no slice, no AM/PM breakdown");
  assertPeriod(query);
  if (by !== void 0 && !SESSION_DIMENSION_SQL[by])
    throw new Error(`unknown breakdown "${by}"`);
  if (by !== void 0)
    return halfTermAtomsBy(connection, query, by);
  const population = query.population ?? "whole-roll";
  if (population !== "whole-roll" && population !== "dfe")
    throw new Error(`unknown population "${String(population)}"`);
  const { sql, params } = scopedMarksSql({ ...query, population: void 0 }, { chosen: true });
  const range = dfePopulation(query.to);
  params.born_from = range.bornFrom;
  params.born_to = range.bornTo;
  const names = PUPIL_DIMENSIONS.join(", ");
  const sessionSums = `sum(possible_sessions)::INTEGER AS possible_sessions, sum(present_sessions)::INTEGER AS present_sessions, sum(aea_sessions)::INTEGER AS aea_sessions,
              sum(authorised_sessions)::INTEGER AS authorised_sessions, sum(unauthorised_sessions)::INTEGER AS unauthorised_sessions`;
  const rows = await cachedRowsToRead(
    connection,
    `WITH ${sql}, ${unitsSql(by, true)},
     ph AS MATERIALIZED (
       SELECT ${by ? "u.grp" : "''"} AS grp, u.pupil_id, u.member, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY ALL),
     dfe_ids AS (
       SELECT ids.pupil_id, (p.dob BETWEEN $born_from::DATE AND $born_to::DATE) IS TRUE AS in_dfe
       FROM pupils p JOIN pupil_ids ids ON ids.upn = p.upn),
     pl AS (
       SELECT ph.grp, ph.pupil_id, d.in_dfe, sum(ph.possible) AS possible, sum(ph.authorised + ph.unauthorised) AS absent,
              arg_max(ph.member, h.r_from) AS member, max(h.r_from) AS last_from
       FROM ph JOIN halves h USING (member) JOIN dfe_ids d USING (pupil_id)
       GROUP BY ph.grp, ph.pupil_id, d.in_dfe),
     pl_last AS (
       SELECT grp, arg_max(member, last_from) AS span_last, max(last_from) AS span_from,
              arg_max(member, last_from) FILTER (WHERE in_dfe) AS dfe_last, max(last_from) FILTER (WHERE in_dfe) AS dfe_from
       FROM pl GROUP BY grp),
     split_sessions AS (
       SELECT coalesce(ph.grp::VARCHAR, '') AS grp, ${PUPIL_KEYS}, d.in_dfe,
              sum(ph.possible)::INTEGER AS possible_sessions, sum(ph.present)::INTEGER AS present_sessions, sum(ph.aea)::INTEGER AS aea_sessions,
              sum(ph.authorised)::INTEGER AS authorised_sessions, sum(ph.unauthorised)::INTEGER AS unauthorised_sessions
       FROM ph JOIN scope s USING (pupil_id, member) JOIN dfe_ids d USING (pupil_id) WHERE s.chosen
       GROUP BY ALL),
     by_sessions AS (
       SELECT false AS dfe, grp, ${names}, ${sessionSums} FROM split_sessions GROUP BY ALL
       UNION ALL
       SELECT true AS dfe, grp, ${names}, ${sessionSums} FROM split_sessions WHERE in_dfe GROUP BY ALL),
     by_pupils AS (
       SELECT false AS dfe, coalesce(pl.grp::VARCHAR, '') AS grp, ${LEAVER_KEYS}, ${PUPIL_COUNT_SQL}
       ${LAST_HALF_FROM}
       GROUP BY ALL
       UNION ALL
       SELECT true AS dfe, coalesce(pl.grp::VARCHAR, '') AS grp, ${leaverKeys("dfe")}, ${PUPIL_COUNT_SQL}
       ${lastHalfFrom("dfe")} AND pl.in_dfe
       GROUP BY ALL),
     counted AS (
       SELECT false AS dfe, pl.grp, pl.pupil_id, pl.possible, pl.absent, ${LEAVER_KEYS}
       ${LAST_HALF_FROM} AND pl.possible > 0
       UNION ALL
       SELECT true AS dfe, pl.grp, pl.pupil_id, pl.possible, pl.absent, ${leaverKeys("dfe")}
       ${lastHalfFrom("dfe")} AND pl.in_dfe AND pl.possible > 0),
     ${insideSql("c.dfe, ")},
     bounds AS (SELECT dfe, coalesce(grp::VARCHAR, '') AS grp, ${names}, ${atomBoundsSql("")} FROM inside GROUP BY ALL)
     SELECT dfe, grp, ${names},
            coalesce(pupils, 0) AS pupils, coalesce(possible_sessions, 0) AS possible_sessions, coalesce(present_sessions, 0) AS present_sessions,
            coalesce(aea_sessions, 0) AS aea_sessions, coalesce(authorised_sessions, 0) AS authorised_sessions,
            coalesce(unauthorised_sessions, 0) AS unauthorised_sessions, coalesce(pa_pupils, 0) AS pa_pupils, coalesce(sa_pupils, 0) AS sa_pupils,
            coalesce(absent_pupils, 0) AS absent_pupils, ${ATOM_BOUNDS_COLUMNS}
     FROM by_sessions FULL OUTER JOIN by_pupils USING (dfe, grp, ${names}) LEFT JOIN bounds USING (dfe, grp, ${names})
     ORDER BY dfe, grp, ${names}`,
    { ...params, leavers_prefix: LEAVERS_PREFIX }
  );
  const wanted = population === "dfe";
  return rows.filter((row) => row.dfe === wanted).map((row) => atomOf(row, String(row.grp)));
}
function governorQuery(query) {
  return { ...query, membership: "half-term" };
}

// analytics/interventions/penalty-open.ts
async function absenceMix(connection, options) {
  const rows = await cachedRows(
    connection,
    `WITH scope AS (SELECT pupil_id, upn, '' AS member FROM pupil_ids WHERE upn IN (SELECT unnest($upns::VARCHAR[]))),
     ${codeUnitsSql()}
     SELECT scope.upn,
            coalesce(sum(c.sessions) FILTER (WHERE cc.category IN ('authorised', 'unauthorised')), 0)::INTEGER AS absence,
            coalesce(sum(c.sessions) FILTER (WHERE cc.category = 'authorised'), 0)::INTEGER AS authorised,
            coalesce(sum(c.sessions) FILTER (WHERE cc.regime = '2024' AND c.code::VARCHAR = 'C2'), 0)::INTEGER AS part_time
     FROM c ${CATEGORY_JOIN("c")}
     JOIN scope USING (pupil_id)
     GROUP BY scope.upn`,
    { from: options.from, to: options.to, upns: listValue5([...options.upns]) }
  );
  return rows.map((row) => ({ upn: String(row.upn), absence: Number(row.absence), authorised: Number(row.authorised), part_time: Number(row.part_time) }));
}
var sessions = (n) => `${n} ${n === 1 ? "session" : "sessions"}`;
function penaltyNotOpen(policy, unauthorised, mix) {
  const weeks = policy.penalty_window_school_weeks;
  const why = `A penalty notice is not open: ${sessions(unauthorised)} of unauthorised absence (G, N, O or U) in the latest ${weeks} school weeks, the threshold is ${policy.penalty_sessions} (national framework for penalty notices)`;
  const whyGeneral = `A penalty notice is not open: unauthorised absence (G, N, O or U) in the latest ${weeks} school weeks is under the threshold of ${policy.penalty_sessions} sessions (national framework for penalty notices)`;
  const inWindow = `${unauthorised} unauthorised ${plural(unauthorised, "session")} in the latest ${weeks} school weeks`;
  if (mix.absence > 0 && 2 * mix.part_time > mix.absence) {
    const review = "review the part-time timetable with the pupil and parents \u2014 it must be time-limited, with a date by which the pupil attends full time (DfE, Working together to improve school attendance; policy \xA77)";
    return {
      words: `${why}. Most absence this year is C2, a part-time timetable agreed by the school (${mix.part_time} of ${sessions(mix.absence)}): ${review}`,
      general: `${whyGeneral}, and most absence this year is C2, a part-time timetable agreed by the school: ${review}`,
      figures: `${inWindow}; ${mix.part_time} of ${mix.absence} absent sessions this year C2`
    };
  }
  const routes = "monitoring and contact with the parents continue; where support has not worked, the policy's other routes \u2014 a formal meeting with the parents and the School Attendance Support Team, a parenting contract or an education supervision order with the local authority (\xA714)";
  const authorised = mix.absence > 0 ? `. ${mix.authorised} of ${sessions(mix.absence)} of absence this year are authorised` : "";
  return {
    words: `${why}${authorised}: ${routes}`,
    general: `${whyGeneral}: ${routes}`,
    figures: mix.absence > 0 ? `${inWindow}; ${mix.authorised} of ${mix.absence} absent sessions this year authorised` : inWindow
  };
}

// analytics/interventions/ladder.ts
function urgencyOrder(a, b) {
  const tier = (s) => s.late ? 0 : s.conditional ? 2 : 1;
  if (tier(a) !== tier(b))
    return tier(a) - tier(b);
  if (a.late && b.late && a.due_by !== b.due_by)
    return (a.due_by ?? "") < (b.due_by ?? "") ? -1 : 1;
  return 0;
}
function mostUrgentFirst(steps) {
  return [...steps].sort(urgencyOrder);
}
function nextStepOf(standing) {
  const dated = [standing?.action_due ?? null, standing?.action_also ?? null].filter((a) => a !== null);
  const steps = [...standing?.due ?? []];
  if (standing?.next && !steps.includes(standing.next))
    steps.push(standing.next);
  const ordered = mostUrgentFirst([...steps, ...dated]);
  const once = ordered.filter((item, i) => ordered.findIndex((other) => other.type === item.type) === i);
  const [first, ...rest] = once;
  const actionFirst = first !== void 0 && dated.includes(first);
  return {
    step: first && !actionFirst ? first : null,
    action: actionFirst ? first : null,
    words: standing?.next_action ?? null,
    also: rest.map(({ label, due_by, late }) => ({ label, due_by, late }))
  };
}
function penaltyAdvice(policy) {
  return `Consider a penalty notice: ${penaltyThresholdWords(policy)} (the penalty-notice threshold)`;
}
function nextActionWords(policy, stageIndex, improvedAfter, improvedActionDone = false) {
  const { ladder } = policy;
  if (stageIndex < 0)
    return null;
  if (stageIndex === ladder.steps.length - 1)
    return ladder.afterLast;
  if (improvedAfter)
    return improvedActionDone ? ladder.whenImprovedActionDone ?? ladder.whenImproved : ladder.whenImproved;
  const following = ladder.steps[stageIndex + 1];
  return `${following.label}, ${triggerWords(following, policy, ladder.improvedLine)}`;
}
function shiftDays(date, days) {
  const d = /* @__PURE__ */ new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function stepDone(step, done) {
  let latest = null;
  for (const type of step.types) {
    const date = done.get(type);
    if (date && (!latest || date > latest))
      latest = date;
  }
  return latest;
}
function stepsTaken(ladder, done) {
  const taken = [];
  ladder.steps.forEach((step, i) => {
    const date = stepDone(step, done);
    const before = i > 0 ? taken[i - 1] : null;
    const inOrder = !step.types.includes("penalty_notice_requested") || i === 0 || before !== null && date !== null && before <= date;
    taken.push(inOrder ? date : null);
  });
  return taken;
}
function stageOf(ladder, done) {
  const taken = stepsTaken(ladder, done);
  let stageIndex = -1;
  let stageDate = "";
  taken.forEach((date, i) => {
    if (date) {
      stageIndex = i;
      stageDate = date;
    }
  });
  return { stageIndex, stageDate, taken };
}
function formalMeetingDue(ladder, upn, done, crossed, shown, dated) {
  const formal = ladder.formalMeeting;
  const key = formal ? crossedKey(upn, { pct: formal.pct }) : "";
  const from = formal ? crossed.get(key) : void 0;
  if (!formal || !from || formal.types.some((t) => (done.get(t) ?? "") >= from))
    return null;
  return { ...dated(formal.types[0], `${formal.label} (${formal.source})`, from, { day: shown.runs.get(key) ?? shown.lines.get(key), rule: "line" }), conditional: false };
}
function formalMeetingHeldBefore(ladder, crossed, byPupil) {
  const held = /* @__PURE__ */ new Map();
  const formal = ladder.formalMeeting;
  if (!formal)
    return held;
  for (const [upn, rows] of byPupil) {
    const key = crossedKey(upn, { pct: formal.pct });
    const from = crossed.get(key);
    if (from === void 0)
      continue;
    for (const row of rows) {
      if (formal.types.includes(row.type) && row.date < from && row.date > (held.get(key) ?? ""))
        held.set(key, row.date);
    }
  }
  return held;
}
function stageAnswersThreshold(ladder, stageIndex) {
  return Boolean(ladder.steps[stageIndex]?.answersPenaltyThreshold) || Boolean(ladder.steps[stageIndex + 1]?.types.includes("penalty_notice_requested"));
}
function penaltyAnswerableBy(ladder, reached, byPupil, doneOf) {
  const by = /* @__PURE__ */ new Map();
  for (const [upn, rows] of byPupil) {
    const met = reached.get(upn);
    if (met === void 0)
      continue;
    const done = doneOf(rows);
    const { stageIndex, stageDate } = stageOf(ladder, done);
    if (stageDate === "" || met < stageDate || done.has("penalty_notice_requested"))
      continue;
    if (stageAnswersThreshold(ladder, stageIndex))
      by.set(upn, stageDate);
  }
  return by;
}
function placeFormalMeeting(ladder, due, meeting) {
  const types = ladder.formalMeeting?.types ?? [meeting.type];
  const at = ladder.steps.findIndex((s) => types.includes(s.types[0]));
  const same = due.findIndex((d) => types.includes(d.type));
  if (same >= 0) {
    if (meeting.due_from <= due[same].due_from)
      due[same] = { ...meeting, type: due[same].type };
    return;
  }
  const after = due.findIndex((d) => ladder.steps.findIndex((s) => s.types[0] === d.type) > at);
  due.splice(after < 0 ? due.length : after, 0, meeting);
}
async function ladderFor(connection, asOf, policy, options = {}) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new Error(`the as-of date must be YYYY-MM-DD (got "${asOf}")`);
  await ensureInterventionsTable(connection);
  const ladder = policy.ladder;
  const yearFrom = academicYearBounds(academicYearOf(asOf)).from;
  const only = { upn: options.upn ?? null, upns: options.upns ? listValue6([...options.upns]) : null };
  const base = { as_of: asOf, year_from: yearFrom, ...only };
  const roll = `roll AS (
    SELECT upn FROM pupils
    WHERE admission_date <= $as_of::DATE AND (leaving_date IS NULL OR leaving_date >= $as_of::DATE)
      AND ($upn::VARCHAR IS NULL OR upn = $upn::VARCHAR)
      AND ($upns::VARCHAR[] IS NULL OR upn IN (SELECT unnest($upns::VARCHAR[]))))`;
  const lines = [
    ...ladder.steps.flatMap((s) => s.trigger.kind === "attendance" ? [s.trigger] : []),
    ...ladder.formalMeeting ? [{ pct: ladder.formalMeeting.pct }] : []
  ];
  const lineParams = {};
  const lineSql = lines.map((line, i) => {
    lineParams[`pct_${i}`] = line.pct;
    const trig = `(cpos >= $min_possible::INTEGER AND 100 * catt ${line.inclusive ? "<=" : "<"} $pct_${i}::DOUBLE * cpos)`;
    return { trig, clear: `max(date) FILTER (WHERE NOT ${trig}) AS clear_${i}`, crossed: `strftime(min(f.date) FILTER (WHERE ${trig.replace(/cpos|catt/g, (m) => `f.${m}`)} AND f.date > coalesce(c.clear_${i}, DATE '1900-01-01')), '%Y-%m-%d') AS crossed_${i}` };
  });
  const yearMarks = { ...base, marks_from: yearFrom, marks_to: asOf };
  const daily = (pupils) => `
     daily AS (
       SELECT d.pupil_id, d.date, d.possible::INTEGER AS pos, (d.present + d.aea)::INTEGER AS att
       FROM mark_days d ${pupils}
       WHERE d.date BETWEEN $marks_from::DATE AND $marks_to::DATE)`;
  const units = pupilUnitsSql({ from: yearFrom, to: asOf }, "no_cuts");
  const belowAny = lines.length ? lineSql.map((l) => l.trig).join(" OR ").replace(/cpos|catt/g, (m) => m === "cpos" ? "t.possible" : "t.attended") : "false";
  const onePupil2 = options.upn !== void 0 && options.upns === void 0 ? options.upn : null;
  const totals = onePupil2 !== null ? await onePupilLadderTotals(connection, { upn: onePupil2, asOf, yearFrom, lines, minPossible: PUPIL_JUDGED_MIN_SESSIONS }) : await cachedRows(
    connection,
    `WITH ${roll}, no_cuts AS (SELECT NULL::DATE AS cut), ${units.sql},
     ytd AS (
       SELECT k.upn, k.pupil_id, sum(u.possible)::INTEGER AS possible, sum(u.attended)::INTEGER AS attended
       FROM pupil_units u JOIN pupil_ids k USING (pupil_id) SEMI JOIN roll ON roll.upn = k.upn
       GROUP BY k.upn, k.pupil_id),
     below_pupils AS MATERIALIZED (SELECT t.pupil_id FROM ytd t WHERE ${belowAny}),
     ${daily("SEMI JOIN below_pupils USING (pupil_id)")},
     cum AS (
       SELECT pupil_id, date, sum(pos) OVER w AS cpos, sum(att) OVER w AS catt
       FROM daily WINDOW w AS (PARTITION BY pupil_id ORDER BY date ROWS UNBOUNDED PRECEDING)),
     clear AS (
       SELECT pupil_id${lineSql.map((l) => `, ${l.clear}`).join("")}
       FROM cum GROUP BY pupil_id),
     crossed AS (
       SELECT c.pupil_id${lineSql.map((l) => `, ${l.crossed}`).join("")}
       FROM clear c JOIN cum f USING (pupil_id) GROUP BY c.pupil_id)
     SELECT r.upn, coalesce(t.possible, 0)::INTEGER AS possible, coalesce(t.attended, 0)::INTEGER AS attended
            ${lineSql.map((_l, i) => `, x.crossed_${i}`).join("")}
     FROM roll r LEFT JOIN ytd t USING (upn) LEFT JOIN crossed x ON x.pupil_id = t.pupil_id
     ORDER BY r.upn`,
    { as_of: asOf, ...only, marks_from: yearFrom, marks_to: asOf, ...units.params, ...lineParams, min_possible: PUPIL_JUDGED_MIN_SESSIONS }
  );
  const recordedAll = await cachedRows(
    connection,
    `WITH ${roll}, ${EFFECTIVE_INTERVENTIONS_CTE}
     SELECT e.intervention_id AS id, e.upn, k.pupil_id, e.type, strftime(e.date, '%Y-%m-%d') AS date
     FROM effective_interventions e JOIN roll USING (upn) LEFT JOIN pupil_ids k ON k.upn = e.upn
     WHERE e.date BETWEEN $year_from::DATE AND $as_of::DATE
     ORDER BY e.date, e.intervention_id`,
    { as_of: asOf, year_from: yearFrom, upn: null, upns: null }
  );
  const asked = options.upns ? new Set(options.upns) : null;
  const recorded = recordedAll.filter((row) => (options.upn === void 0 || row.upn === options.upn) && (asked === null || asked.has(row.upn)));
  const byPupil = /* @__PURE__ */ new Map();
  for (const row of recorded) {
    const list = byPupil.get(row.upn) ?? [];
    list.push(row);
    byPupil.set(row.upn, list);
  }
  const doneOf = (rows) => {
    const done = /* @__PURE__ */ new Map();
    for (const row of rows) {
      const type = row.type;
      if (!done.has(type) || done.get(type) < row.date)
        done.set(type, row.date);
    }
    return done;
  };
  const watched = [];
  for (const rows of byPupil.values()) {
    const done = doneOf(rows);
    const { stageIndex, stageDate } = stageOf(ladder, done);
    const following = ladder.steps[stageIndex + 1];
    if (stageIndex < 0 || !following || following.trigger.kind !== "after")
      continue;
    const type = ladder.steps[stageIndex].types.find((t) => done.get(t) === stageDate);
    for (const row of rows)
      if (row.type === type && row.date === stageDate)
        watched.push({ id: row.id, pupil_id: row.pupil_id, weeks: following.trigger.schoolWeeks });
  }
  const pupilIds = [...new Set(watched.flatMap((w) => w.pupil_id === null ? [] : [Number(w.pupil_id)]))];
  const dateOf = new Map(recorded.map((row) => [Number(row.id), String(row.date)]));
  const onePupilPeriods = watched.length > 0 && onePupil2 !== null ? await onePupilPeriodRows(connection, { upn: onePupil2, asOf, marksFrom: yearFrom, watched: watched.map((w) => ({ id: Number(w.id), date: dateOf.get(Number(w.id)) ?? asOf, weeks: w.weeks })) }) : void 0;
  const periodRows = watched.length === 0 ? [] : onePupilPeriods ?? await cachedRows(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES},
     watched AS (SELECT unnest($ids::INTEGER[]) AS intervention_id, unnest($weeks::INTEGER[]) AS weeks),
     chosen AS (
       SELECT w.intervention_id, w.weeks, k.pupil_id, e.date, coalesce(s.d, 0) AS d
       FROM interventions e JOIN watched w USING (intervention_id)
       LEFT JOIN pupil_ids k ON k.upn = e.upn
       ASOF LEFT JOIN school_day_index s ON e.date >= s.date),
     -- Only the days of those pupils.
     -- Bound as \`$pupils\` (INTEGER[]): the join then builds its hash table on those few ids,
     -- where a subquery's poor estimate can make DuckDB build it on the days instead.
     ${daily("JOIN (SELECT unnest($pupils::INTEGER[]) AS pupil_id) USING (pupil_id)")},
     -- Each pupil's running totals day by day: a period's sessions are the running total at its
     -- end less that at its start (point lookups, ASOF), not a sum over its days per period.
     cum AS (
       SELECT pupil_id, date, sum(pos) OVER w AS cpos, sum(att) OVER w AS catt
       FROM daily WINDOW w AS (PARTITION BY pupil_id ORDER BY date ROWS UNBOUNDED PRECEDING)),
     -- The step's monitoring periods, one after another (k = 1, 2, \u2026): Appendix A 9's
     -- "monitoring \u2026 continues" after an improved period, so a later one can still end
     -- without improvement. Only the periods begun by the as-of date (a period's first day's
     -- index at most the as-of date's), at most 200.
     as_of_day AS (SELECT coalesce(max(d), 0) AS as_of_d FROM school_day_index WHERE date <= $as_of::DATE),
     periods AS (
       SELECT c.*, unnest(generate_series(1, CASE WHEN c.weeks > 0 THEN least(200, greatest(1, (a.as_of_d - c.d) // (5 * c.weeks) + 1))
                                                   WHEN c.d >= 1 AND c.d <= a.as_of_d THEN 200 ELSE 1 END)) AS k
       FROM chosen c CROSS JOIN as_of_day a),
     spans AS (
       SELECT c.*, CASE WHEN c.k = 1 THEN c.date ELSE st.date END AS start_date, s.date AS end_date
       FROM periods c
       LEFT JOIN school_day_index st ON st.d = c.d + 5 * c.weeks * (c.k - 1)
       LEFT JOIN school_day_index s ON s.d = c.d + 5 * c.weeks * c.k
       WHERE c.k = 1 OR st.date <= $as_of::DATE)
     -- p_: sessions to the step's day (the year to date then); w_: after the period's start,
     -- to its end (the as-of date while it runs).
     SELECT s.intervention_id AS id, s.k, strftime(s.end_date, '%Y-%m-%d') AS end_date,
            coalesce(a.cpos, 0)::INTEGER AS p_possible, coalesce(a.catt, 0)::INTEGER AS p_attended,
            (coalesce(e.cpos, 0) - coalesce(b.cpos, 0))::INTEGER AS w_possible, (coalesce(e.catt, 0) - coalesce(b.catt, 0))::INTEGER AS w_attended
     FROM spans s
     ASOF LEFT JOIN cum a ON a.pupil_id = s.pupil_id AND s.date >= a.date
     ASOF LEFT JOIN cum e ON e.pupil_id = s.pupil_id AND coalesce(s.end_date, $as_of::DATE) >= e.date
     ASOF LEFT JOIN cum b ON b.pupil_id = s.pupil_id AND s.start_date >= b.date
     ORDER BY s.intervention_id, s.k`,
    {
      as_of: asOf,
      marks_from: yearFrom,
      marks_to: asOf,
      ids: `[${watched.map((w) => Number(w.id)).join(",")}]`,
      weeks: `[${watched.map((w) => w.weeks).join(",")}]`,
      pupils: `[${pupilIds.join(",")}]`
    }
  );
  const watchedWeeks = new Map(watched.map((w) => [Number(w.id), w.weeks]));
  const periodsOf2 = /* @__PURE__ */ new Map();
  for (const row of periodRows) {
    const periods = periodsOf2.get(Number(row.id)) ?? [];
    periodsOf2.set(Number(row.id), periods);
    periods[Number(row.k) - 1] = {
      end_date: row.end_date === null ? null : String(row.end_date),
      p_possible: Number(row.p_possible),
      p_attended: Number(row.p_attended),
      w_possible: Number(row.w_possible),
      w_attended: Number(row.w_attended)
    };
  }
  const penalty = onePupil2 !== null ? await onePupilPenalty(connection, { upn: onePupil2, asOf, marksFrom: shiftDays(asOf, -400), windowWeeks: policy.penalty_window_school_weeks, threshold: policy.penalty_sessions }) : await cachedRows(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${roll},
     win AS (SELECT min(week) AS first_week FROM (SELECT week FROM school_weeks WHERE first_day <= $as_of::DATE ORDER BY week DESC LIMIT $window_weeks)),
     u AS (
       SELECT k.upn, d.date, sum(d.unauthorised) OVER (PARTITION BY d.pupil_id ORDER BY d.date ROWS UNBOUNDED PRECEDING) AS k
       FROM mark_days d JOIN pupil_ids k USING (pupil_id) SEMI JOIN roll ON roll.upn = k.upn CROSS JOIN win
       WHERE d.unauthorised > 0 AND d.date BETWEEN win.first_week AND $as_of::DATE AND d.date >= $marks_from::DATE)
     SELECT upn, strftime(min(date) FILTER (WHERE k >= $sessions), '%Y-%m-%d') AS reached, max(k)::INTEGER AS sessions
     FROM u GROUP BY upn`,
    { as_of: asOf, marks_from: shiftDays(asOf, -400), ...only, window_weeks: policy.penalty_window_school_weeks, sessions: policy.penalty_sessions }
  );
  const schoolDays2 = (await cachedRows(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES} SELECT strftime(date, '%Y-%m-%d') AS date FROM school_days_all WHERE date >= $year_from::DATE ORDER BY date`,
    { year_from: yearFrom }
  )).map((r) => r.date);
  const addSchoolDays = (date, n) => {
    if (n <= 0)
      return date;
    const index = schoolDays2.findIndex((d) => d > date);
    if (index < 0 || index + n - 1 >= schoolDays2.length)
      return null;
    return schoolDays2[index + n - 1];
  };
  const crossed = /* @__PURE__ */ new Map();
  for (const row of totals) {
    lines.forEach((line, i) => {
      const date = row[`crossed_${i}`];
      if (date !== null && date !== void 0)
        crossed.set(crossedKey(String(row.upn), line), String(date));
    });
  }
  const penaltyReached = new Map(penalty.flatMap((row) => row.reached === null ? [] : [[String(row.upn), String(row.reached)]]));
  const penaltySessions = new Map(penalty.map((row) => [String(row.upn), Number(row.sessions)]));
  const shownLater = await registerShowedLater(connection, {
    asOf,
    yearFrom,
    marksFrom: shiftDays(asOf, -400),
    onePupil: onePupil2,
    lines,
    minPossible: PUPIL_JUDGED_MIN_SESSIONS,
    crossed,
    reached: penaltyReached,
    penalty: { sessions: policy.penalty_sessions, windowWeeks: policy.penalty_window_school_weeks },
    doneBefore: formalMeetingHeldBefore(ladder, crossed, byPupil),
    answeredBy: penaltyAnswerableBy(ladder, penaltyReached, byPupil, doneOf)
  });
  const closedUpns = /* @__PURE__ */ new Set();
  const standings = totals.map((total) => {
    const upn = String(total.upn);
    const possible = Number(total.possible);
    const attended = Number(total.attended);
    const rows = byPupil.get(upn) ?? [];
    const done = doneOf(rows);
    const windows = /* @__PURE__ */ new Map();
    for (const row of rows) {
      const periods = periodsOf2.get(Number(row.id));
      const weeks = watchedWeeks.get(Number(row.id));
      if (periods && weeks !== void 0)
        windows.set(`${row.type}|${row.date}|${weeks}`, periods);
    }
    const { stageIndex, stageDate, taken } = stageOf(ladder, done);
    const due = [];
    let conditional = null;
    let improvedAfter = null;
    let firstImproved = null;
    let reviewBy = null;
    const dated = (type, label, from, shown) => {
      const later = shown?.day !== void 0 && shown.day > from ? shown.day : null;
      const start = later ?? from;
      const by = addSchoolDays(start, ladder.graceSchoolDays);
      return { type, label, due_from: start, due_by: by, late: by !== null && asOf > by, ...later !== null && shown ? { shown_late: { met_on: shown.met ?? from, rule: shown.rule } } : {} };
    };
    let penaltyClosed = false;
    const opens = (step) => {
      if (!step.types.includes("penalty_notice_requested") || penaltyReached.has(upn))
        return true;
      penaltyClosed = true;
      return false;
    };
    const notBeforeStage = (from) => stageDate !== "" && from < stageDate ? stageDate : from;
    const dueStep = (step, from, isConditional = false, shown) => {
      const due2 = dated(step.types[0], step.label, notBeforeStage(from), shown && { ...shown, met: from });
      return { ...due2, late: !isConditional && due2.late, conditional: isConditional };
    };
    ladder.steps.forEach((step, i) => {
      if (i <= stageIndex && step.trigger.kind !== "after")
        return;
      if (step.trigger.kind === "after" ? taken[i] : stepDone(step, done))
        return;
      const trigger = step.trigger;
      if (trigger.kind === "attendance") {
        if (i < stageIndex)
          return;
        const key = crossedKey(upn, trigger);
        const from = crossed.get(key);
        if (from)
          due.push(dueStep(step, from, false, { day: shownLater.lines.get(key), rule: "line" }));
      } else if (trigger.kind === "penalty_threshold") {
        const from = penaltyReached.get(upn);
        if (from)
          due.push(dueStep(step, from, false, { day: shownLater.penalty.get(upn), rule: "threshold" }));
      } else {
        if (i !== stageIndex + 1)
          return;
        const previous = taken[i - 1];
        if (!previous)
          return;
        const previousType = ladder.steps[i - 1].types.find((t) => done.get(t) === previous);
        const periods = windows.get(`${previousType}|${previous}|${trigger.schoolWeeks}`);
        if (!periods?.length)
          return;
        for (const [k, window] of periods.entries()) {
          if (!window)
            return;
          if (window.end_date === null || window.end_date > asOf) {
            if (k === 0 && opens(step))
              conditional = dueStep(step, window.end_date ?? asOf, true);
            else
              reviewBy = window.end_date;
            return;
          }
          const improved = improvedOver(
            { attended: window.w_attended, possible: window.w_possible },
            { attended: window.p_attended, possible: window.p_possible },
            ladder.improvedLine
          );
          const stillBelow = trigger.whileBelow ? belowLine(attended, possible, trigger.whileBelow, 1) : true;
          if (!stillBelow) {
            improvedAfter = window.end_date;
            firstImproved ??= window.end_date;
            const running = periods.find((p) => p && (p.end_date === null || p.end_date > asOf));
            reviewBy = running ? running.end_date : null;
            return;
          }
          if (!improved) {
            if (opens(step))
              due.push(dueStep(step, window.end_date));
            return;
          }
          improvedAfter = window.end_date;
          firstImproved ??= window.end_date;
        }
      }
    });
    const ladderQuiet = due.length === 0 && conditional === null;
    const ladderImproved = due.length === 0 ? improvedAfter : null;
    const meeting = formalMeetingDue(ladder, upn, done, crossed, shownLater, dated);
    if (meeting)
      placeFormalMeeting(ladder, due, meeting);
    const dueShown = mostUrgentFirst(due.reverse());
    const stage = stageIndex >= 0 ? { type: ladder.steps[stageIndex].types[0], label: ladder.steps[stageIndex].label, date: stageDate } : null;
    if (stage) {
      const recorded2 = ladder.steps[stageIndex].types.find((t) => done.get(t) === stageDate);
      stage.type = recorded2;
      const step = ladder.steps[stageIndex];
      stage.label = recorded2 === step.types[0] ? step.label : step.recordedAs?.[recorded2] ?? `${step.label} (${ladder.typeLabels[recorded2]})`;
    }
    const reached = penaltyReached.get(upn) ?? null;
    const nothingPending = due.length === 0 && conditional === null;
    const penaltySought = done.has("penalty_notice_requested");
    const improvedAfterShown = ladderImproved;
    if (nothingPending && penaltyClosed)
      closedUpns.add(upn);
    let actionDue = null;
    const improvedActionSent = ladder.improvedAction ? done.get(ladder.improvedAction.type) : void 0;
    const improvedActionDone = Boolean(improvedActionSent && stageDate && improvedActionSent >= stageDate);
    const answered = reached !== null && stageDate !== "" && reached < stageDate && (stageAnswersThreshold(ladder, stageIndex) || due.some((d) => d.type === "penalty_notice_requested"));
    const improvedAction = ladderQuiet && improvedAfterShown && firstImproved && ladder.improvedAction && !improvedActionDone ? dated(ladder.improvedAction.type, `${ladder.improvedAction.label} (${ladder.improvedAction.source})`, firstImproved) : null;
    let actionAlso = null;
    if (reached && !penaltySought && !answered) {
      actionDue = dated("penalty_notice_requested", penaltyAdvice(policy), reached, { day: shownLater.unanswered.get(upn) ?? shownLater.penalty.get(upn), rule: "threshold" });
      actionAlso = improvedAction;
    } else
      actionDue = improvedAction;
    return {
      upn,
      attendance_pct: possible > 0 ? 100 * attended / possible : null,
      stage,
      improved_after: improvedAfterShown,
      next: dueShown[0] ?? conditional,
      due: dueShown,
      penalty_reached: reached,
      next_action: nothingPending ? reached && !penaltySought && !answered ? penaltyAdvice(policy) : penaltyClosed ? null : nextActionWords(policy, stageIndex, improvedAfter, improvedActionDone) : null,
      next_action_general: null,
      next_action_figures: null,
      penalty_sessions: penaltySessions.get(upn) ?? 0,
      action_due: actionDue,
      action_also: actionAlso,
      review_by: ladderQuiet && improvedAfterShown ? reviewBy : null
    };
  });
  if (closedUpns.size === 0)
    return standings;
  const absence = new Map((await absenceMix(connection, { from: yearFrom, to: asOf, upns: [...closedUpns] })).map((row) => [row.upn, row]));
  for (const st of standings) {
    if (!closedUpns.has(st.upn))
      continue;
    const why = penaltyNotOpen(policy, st.penalty_sessions, absence.get(st.upn) ?? { upn: st.upn, absence: 0, authorised: 0, part_time: 0 });
    st.next_action = why.words;
    st.next_action_general = why.general;
    st.next_action_figures = why.figures;
  }
  return standings;
}

// analytics/demo/interventions.ts
var NOTES = {
  letter_below_96: ["Standard letter and attendance leaflet sent home.", "Letter sent; leaflet enclosed."],
  letter_below_90: ["Monitoring letter sent; spoke to parent by phone.", "Monitoring letter; parent called back the same day."],
  letter_improved: ["Letter from the head congratulating the pupil and parents on improved attendance."],
  meeting_with_targets: ["Meeting with class teacher; target of 95% for the next four weeks.", "Parents attended; targets agreed for punctual arrival and full weeks."],
  final_warning: ["Final written warning sent by the head.", "Final warning; education welfare protocol explained."],
  penalty_notice_requested: ["Penalty notice requested from the local authority."],
  phone_call: ["Phone call home about recent absence.", "Called parent: illness in the family, support offered."],
  home_visit: ["Home visit with the family support worker.", "Home visit; no answer, card left."],
  education_welfare_referral: ["Referred to the education welfare officer."],
  early_help: ["Early help assessment started with the family."],
  conversation: ["Chat with the pupil about settling in and friendships."]
};
var EXTRA_SUPPORT = ["phone_call", "home_visit", "education_welfare_referral", "early_help"];
async function recordDemoInterventions(connection, options) {
  await ensureInterventionsTable(connection);
  const weekEnds = (await queryRows(
    connection,
    `SELECT strftime(max(date), '%Y-%m-%d') AS date FROM school_days WHERE date BETWEEN $from::DATE AND $today::DATE
       GROUP BY date_trunc('week', date) ORDER BY 1`,
    { today: options.today, from: academicYearBounds(academicYearOf(options.today)).from }
  )).map((r) => r.date);
  const policy = { ladder: LUDLOW_LADDER, penalty_sessions: 10, penalty_window_school_weeks: 10 };
  let recorded = 0;
  await inTransaction(connection, async () => {
    for (const friday of weekEnds) {
      const standings = await ladderFor(connection, friday, policy);
      for (const standing of standings) {
        const random = new Random(options.seed, `interventions/${standing.upn}/${friday}`);
        const rows = [];
        const next = standing.next;
        if (next && !next.conditional && random.chance(next.late ? 0.6 : 0.75)) {
          const head = next.type === "final_warning" || next.type === "penalty_notice_requested";
          rows.push({ type: next.type, by: head ? "Mr Hughes" : "Mrs Price", role: head ? "head" : "attendance_lead" });
          if ((next.type === "meeting_with_targets" || next.type === "final_warning") && random.chance(0.35)) {
            rows.push({ type: random.pick(EXTRA_SUPPORT), by: "Mrs Price", role: "attendance_lead" });
          }
        } else if (!next && standing.action_due?.type === "letter_improved" && random.chance(0.75)) {
          rows.push({ type: "letter_improved", by: "Mr Hughes", role: "head" });
        } else if (standing.attendance_pct !== null && standing.attendance_pct < 96 && random.chance(0.03)) {
          rows.push({ type: random.pick(["phone_call", "conversation"]), by: "Mrs Price", role: "attendance_lead" });
        }
        for (const row of rows) {
          const notes = NOTES[row.type] ?? ["Recorded by the attendance lead."];
          await connection.run(
            `INSERT INTO interventions (upn, type, date, note, recorded_at, recorded_by, recorded_by_role, corrects, withdrawn)
             VALUES ($upn, $type, $date::DATE, $note, least(($date::DATE + INTERVAL 16 HOUR)::TIMESTAMP, COALESCE($now::TIMESTAMP, now()::TIMESTAMP)), $by, $role, NULL, false)`,
            { upn: standing.upn, type: row.type, date: friday, note: random.pick(notes), by: row.by, role: row.role, now: options.now ?? null }
          );
          recorded++;
        }
      }
    }
  });
  return recorded;
}

// analytics/demo/index.ts
var DEFAULT_DEMO_SEED = 20240901;
var DEMO_SCHOOL_NAME = "Ludlow Junior School (demo)";
var DEMO_TARGET_ATTENDANCE_PCT = "96.1";
var DEMO_ACTOR = { name: "Demo generator", role: "System" };
var ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
var MAX_DEMO_PUPILS = 5e4;
var MAX_DEMO_YEARS = 10;
function demoSchool(options) {
  const { today } = options;
  if (!ISO_DATE.test(today) || Number.isNaN(Date.parse(`${today}T00:00:00Z`))) {
    throw new RangeError(`today "${today}" is not an ISO date (YYYY-MM-DD)`);
  }
  const count2 = options.years ?? 3;
  if (!Number.isInteger(count2) || count2 < 1 || count2 > MAX_DEMO_YEARS) {
    throw new RangeError(`years must be a whole number from 1 to ${MAX_DEMO_YEARS} (got ${count2})`);
  }
  if (options.pupils !== void 0 && (!Number.isInteger(options.pupils) || options.pupils < 40 || options.pupils > MAX_DEMO_PUPILS)) {
    throw new RangeError(`pupils must be a whole number from 40 to ${MAX_DEMO_PUPILS} (got ${options.pupils})`);
  }
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const current = academicYearOf2(today);
  const years = Array.from({ length: count2 }, (_, i) => current - (count2 - 1) + i).map(academicYearCalendar);
  const school = createSchool({ seed, today, years, pupils: options.pupils });
  return {
    years,
    calendarCsv: calendarCsv(years),
    snapshot(i) {
      const septemberFirst = `${years[i].startYear}-09-01`;
      return { asOf: septemberFirst <= today ? septemberFirst : today, csv: pupilsCsv(school, years[i]) };
    },
    marks(i) {
      return { academicYear: years[i].label, csv: marksCsv(school, years[i], options.through) };
    }
  };
}
function dataRows(csv) {
  let n = 0;
  for (let i = csv.indexOf("\n") + 1; i > 0 && i < csv.length; i = csv.indexOf("\n", i) + 1)
    n++;
  return n;
}
async function buildDemo(dbPath, options) {
  const started = performance.now();
  const files = demoSchool(options);
  await closeInstance(dbPath);
  for (const file of [dbPath, `${dbPath}.wal`, journalPath(fileKey(dbPath))])
    fs8.rmSync(file, { force: true });
  const by = DEMO_ACTOR;
  return withConnection(dbPath, async (conn) => {
    await inTransaction(conn, async () => {
      await importCalendar(conn, { file: "demo-calendar.csv", text: files.calendarCsv, by });
      for (let i = 0; i < files.years.length; i++) {
        const snapshot = files.snapshot(i);
        const marks = files.marks(i);
        const label = marks.academicYear.replace("/", "-");
        await importPupils(conn, { file: `demo-pupils-${label}.csv`, text: snapshot.csv, asOf: snapshot.asOf, by, today: options.today });
        if (dataRows(marks.csv) > 0)
          await importMarks(conn, { file: `demo-marks-${label}.csv`, text: marks.csv, by, today: options.today });
      }
      for (const [key, value] of [
        ["school_name", options.schoolName ?? DEMO_SCHOOL_NAME],
        ["target_attendance_pct", DEMO_TARGET_ATTENDANCE_PCT],
        // The demo school is Ludlow's, on its own policy: chosen, as a school's choice in Settings stores it.
        ["policy_preset", "ludlow"]
      ]) {
        await replaceSetting(conn, key, value);
      }
      await claimSchool(conn, options.urn ?? DEMO_URN);
      await replaceMeta(conn, DEMO_MARKER, options.today);
    });
    await recordDemoInterventions(conn, { today: options.today, seed: options.seed ?? DEFAULT_DEMO_SEED, now: options.now });
    const counts = await queryOne(
      conn,
      "SELECT (SELECT count(*) FROM pupils)::INTEGER AS pupils, (SELECT count(*) FROM marks)::INTEGER AS marks"
    );
    return { pupils: counts?.pupils ?? 0, marks: counts?.marks ?? 0, seconds: Math.round(performance.now() - started) / 1e3 };
  });
}

// analytics/pa-span.ts
import { endOfMonth as endOfMonth2, format as format11, parseISO as parseISO11 } from "date-fns";

// analytics/benchmarks/labels.ts
import { format as format10, parseISO as parseISO10 } from "date-fns";
import { enGB as enGB3 } from "date-fns/locale";
var PERIOD_WORDS = {
  "full-year": "full year",
  "year-to-date": "year to date",
  autumn: "autumn term",
  spring: "spring term",
  summer: "summer term",
  "autumn-spring": "autumn and spring terms"
};
var PHASE_WORDS = {
  primary: "primary",
  "all-state-funded": "all state-funded schools"
};
function formatIsoDate(iso2, pattern = "d MMM yyyy") {
  return iso2 ? format10(parseISO10(iso2), pattern, { locale: enGB3 }) : "\u2014";
}
function wholeYearFrom(academicYear) {
  return `${academicYear.slice(0, 2)}${academicYear.slice(5, 7)}-07-15`;
}
function coversWholeYear(academicYear, period, periodEnd) {
  if (period === "full-year")
    return true;
  return period === "year-to-date" && periodEnd !== null && periodEnd >= wholeYearFrom(academicYear);
}
function describePeriod(academicYear, period, periodEnd) {
  if ((period === "year-to-date" || period === "full-year") && coversWholeYear(academicYear, period, periodEnd)) {
    return `${academicYear} ${PERIOD_WORDS["full-year"]}${periodEnd ? ` (data to ${formatIsoDate(periodEnd)})` : ""}`;
  }
  const words = `${academicYear} ${PERIOD_WORDS[period]}`;
  return period === "year-to-date" && periodEnd ? `${words} to ${formatIsoDate(periodEnd)}` : words;
}
function describeBenchmark(figure) {
  const where = figure.geographicLevel === "national" ? "National" : figure.areaName;
  return `${where} (${PHASE_WORDS[figure.phase]}, ${describePeriod(figure.academicYear, figure.period, figure.periodEnd)})`;
}
function describeSource(figure) {
  return `${figure.publication} (${figure.sourceKind === "census" ? "school census" : "daily attendance data"}), ${releaseWords(figure.release)}`;
}
function citeSource(figure) {
  const parts = citationParts(figure);
  return `${parts.words}; ${parts.address}`;
}
function citationParts(figure) {
  const kind = figure.sourceKind === "census" ? "school census" : "daily attendance data";
  const covers = describePeriod(figure.academicYear, figure.period, figure.periodEnd);
  const week = /^(\d{4}) week (\d{2})$/.exec(figure.release);
  const published = week ? `release for week ${Number(week[2])} of ${week[1]} (publication date not stated in the stored source)` : "publication date not stated in the stored source";
  return { words: `DfE, ${figure.publication} (${kind}): ${covers}; ${published}`, ...sourceAddress(figure.sourceUrl) };
}
function sourceAddress(url) {
  const github = /^https:\/\/github\.com\/([^/]+\/[^/]+)\/blob\/[0-9a-f]{7,40}\/(.+)$/.exec(url);
  if (github) {
    const repository = `https://github.com/${github[1]}`;
    return { address: `${repository} (file ${github[2]}, the data behind the DfE's attendance dashboard)`, href: repository };
  }
  if (url.startsWith("uploaded file "))
    return { address: `a DfE file the school imported (${url.slice("uploaded file ".length)})`, href: null };
  return { address: url, href: /^https?:\/\//.test(url) ? url : null };
}
function releaseWords(release) {
  if (/^dashboard data, commit /.test(release))
    return "DfE attendance dashboard data file";
  return release;
}

// analytics/pa-span.ts
function persistentAbsenceMeasured(schoolDays2) {
  return schoolDays2 >= PA_MIN_SCHOOL_DAYS;
}
var PA_NOT_GIVEN_TEXT = "not given";
async function persistentAbsenceSpan(connection, span, words) {
  const schoolDays2 = (await schoolDaysOf(connection, { from: span.from, to: span.to })).length;
  const given = persistentAbsenceMeasured(schoolDays2);
  const named = words ?? `${formatIsoDate(span.from)} to ${formatIsoDate(span.to)}`;
  return { given, schoolDays: schoolDays2, named, why: given ? null : paNotGivenWhy([{ named, schoolDays: schoolDays2 }]) };
}
function paNotGivenWhy(spans) {
  if (spans.length === 0)
    return null;
  const days = (n) => `${n} school day${n === 1 ? "" : "s"}`;
  const rule = `fewer than the ${PA_MIN_SCHOOL_DAYS} over which they are measured (a pupil missing one session of a short span would count as persistently absent).`;
  if (spans.length === 1)
    return `Persistent and severe absence are not given for ${spans[0].named}: ${days(spans[0].schoolDays)}, ${rule}`;
  const each = spans.map((s) => s.named.endsWith(")") ? `${s.named.slice(0, -1)}: ${days(s.schoolDays)})` : `${s.named} (${days(s.schoolDays)})`);
  return `Persistent and severe absence are not given for ${each.slice(0, -1).join(", ")} or ${each.at(-1)}, each ${rule}`;
}
async function schoolDaysOf(connection, query) {
  const days = await datesWithPossibleSessions(connection, query);
  if (days)
    return days;
  return (await summariseBy(connection, query, "date")).filter((day2) => day2.possible_sessions > 0).map((day2) => day2.group);
}

// analytics/printed-difference.ts
var PRINTED_DECIMALS = 1;
function asPrinted(value, digits = PRINTED_DECIMALS) {
  return Number(value.toFixed(digits));
}
function printedDifference(a, b, digits = PRINTED_DECIMALS) {
  if (a === null || a === void 0 || b === null || b === void 0 || Number.isNaN(a) || Number.isNaN(b))
    return null;
  const scale = 10 ** digits;
  return Math.round(asPrinted(a, digits) * scale - asPrinted(b, digits) * scale) / scale;
}

// analytics/groups.ts
var COMPARED_DIMENSIONS = ["sen", "fsm", "eal", "lac", "sex", "ethnicity"];

// analytics/suppression.ts
function readerBounds(cell2, why) {
  const text2 = why === "primary" && cell2.primary && !cell2.unprinted ? cell2.primary : UNBOUNDED;
  return cell2.ceiling === void 0 ? text2 : { lo: text2.lo, hi: Math.min(text2.hi, cell2.ceiling) };
}
function linearPass(left, leftTimes, right, rightTimes, constant, lo, hi, narrow, leftLo = new Float64Array(left.length), rightHi = new Float64Array(right.length)) {
  let leftLeast = 0;
  for (let i = 0; i < left.length; i++) {
    leftLo[i] = lo[left[i]];
    leftLeast += leftTimes[i] * leftLo[i];
  }
  let rightMost = constant;
  let unbounded = 0;
  for (let j = 0; j < right.length; j++) {
    rightHi[j] = hi[right[j]];
    if (rightHi[j] === Number.POSITIVE_INFINITY)
      unbounded++;
    else
      rightMost += rightTimes[j] * rightHi[j];
  }
  if (unbounded === 0) {
    for (let i = 0; i < left.length; i++)
      narrow(left[i], Number.NEGATIVE_INFINITY, Math.floor((rightMost - leftLeast + leftTimes[i] * leftLo[i]) / leftTimes[i]));
  }
  for (let j = 0; j < right.length; j++) {
    const othersUnbounded = unbounded - (rightHi[j] === Number.POSITIVE_INFINITY ? 1 : 0);
    if (othersUnbounded > 0)
      continue;
    const othersMost = rightHi[j] === Number.POSITIVE_INFINITY ? rightMost : rightMost - rightTimes[j] * rightHi[j];
    narrow(right[j], Math.ceil((leftLeast - othersMost) / rightTimes[j]), Number.POSITIVE_INFINITY);
  }
}
function linearPassByIds(rule, lo, hi, narrow) {
  const ids = [...rule.left, ...rule.right].map((t) => t.id);
  linearPass(
    rule.left.map((_, i) => i),
    rule.left.map((t) => t.times),
    rule.right.map((_, j) => rule.left.length + j),
    rule.right.map((t) => t.times),
    rule.constant ?? 0,
    ids.map(lo),
    ids.map(hi),
    (c2, l, h) => narrow(ids[c2], l, h)
  );
}
var UNBOUNDED = { lo: 0, hi: Number.POSITIVE_INFINITY };
function inferBounds(known, withheld2, sums, atMost = [], linear = []) {
  const bounds = /* @__PURE__ */ new Map();
  for (const [id, b] of withheld2)
    bounds.set(id, { ...b });
  const get = (id) => {
    const value = known.get(id);
    if (value !== void 0)
      return { lo: value, hi: value };
    return bounds.get(id) ?? UNBOUNDED;
  };
  const rules = [
    ...sums.map((sum) => ({ sum })),
    ...atMost.map((rule) => ({ atMost: rule })),
    ...linear.map((rule) => ({ linear: rule }))
  ];
  const rulesOf = /* @__PURE__ */ new Map();
  rules.forEach((rule, index) => {
    const ids = rule.sum ? [rule.sum.total, ...rule.sum.parts] : rule.atMost ? [rule.atMost.a, rule.atMost.b] : [...rule.linear.left, ...rule.linear.right].map((t) => t.id);
    for (const id of ids) {
      if (known.has(id))
        continue;
      const list = rulesOf.get(id) ?? [];
      list.push(index);
      rulesOf.set(id, list);
    }
  });
  const queue = rules.map((_, i) => i);
  const queued = new Uint8Array(rules.length).fill(1);
  const narrow = (id, lo, hi) => {
    if (known.has(id))
      return;
    const b = bounds.get(id) ?? { ...UNBOUNDED };
    let changed = false;
    if (lo > b.lo) {
      b.lo = lo;
      changed = true;
    }
    if (hi < b.hi) {
      b.hi = hi;
      changed = true;
    }
    bounds.set(id, b);
    if (!changed)
      return;
    for (const r of rulesOf.get(id) ?? []) {
      if (!queued[r]) {
        queued[r] = 1;
        queue.push(r);
      }
    }
  };
  const limit = 2e3 * (rules.length + 1);
  for (let head = 0; head < queue.length && head < limit; head++) {
    const index = queue[head];
    queued[index] = 0;
    const { sum, atMost: rule, linear: line } = rules[index];
    if (line) {
      linearPassByIds(line, (id) => get(id).lo, (id) => get(id).hi, narrow);
    } else if (sum) {
      const parts = sum.parts.map(get);
      const total = get(sum.total);
      let sumLo = 0;
      let finiteHi = 0;
      let infinite = 0;
      for (const b of parts) {
        sumLo += b.lo;
        if (b.hi === Number.POSITIVE_INFINITY)
          infinite++;
        else
          finiteHi += b.hi;
      }
      narrow(sum.total, sumLo, infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi);
      sum.parts.forEach((id, i) => {
        const b = parts[i];
        const othersLo = sumLo - b.lo;
        const othersHi = b.hi === Number.POSITIVE_INFINITY ? infinite > 1 ? Number.POSITIVE_INFINITY : finiteHi : infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi - b.hi;
        narrow(id, total.lo - othersHi, total.hi - othersLo);
      });
    } else if (rule) {
      const a = get(rule.a);
      const b = get(rule.b);
      narrow(rule.a, Number.NEGATIVE_INFINITY, b.hi);
      narrow(rule.b, a.lo, Number.POSITIVE_INFINITY);
    }
  }
  const result = /* @__PURE__ */ new Map();
  for (const id of withheld2.keys())
    result.set(id, get(id));
  return result;
}
function cellNumber(index, ids, rulesOf, id) {
  let i = index.get(id);
  if (i === void 0) {
    i = ids.length;
    index.set(id, i);
    ids.push(id);
    rulesOf.push([]);
  }
  return i;
}
var RulesBase = class {
  index = /* @__PURE__ */ new Map();
  ids = [];
  sumCount;
  linearStart;
  totals;
  parts;
  /** By cell: the sums and at-most rules it is in, in ascending order. */
  rulesOf = [];
  members;
  distinct;
  constructor(cellIds, sums, atMost) {
    for (const id of cellIds)
      this.indexOf(id);
    this.sumCount = sums.length;
    this.linearStart = sums.length + atMost.length;
    this.totals = new Int32Array(this.linearStart);
    this.parts = new Array(this.linearStart);
    const numbers = (ids) => {
      const out = new Int32Array(ids.length);
      for (let i = 0; i < ids.length; i++)
        out[i] = this.indexOf(ids[i]);
      return out;
    };
    sums.forEach((sum, r) => {
      this.totals[r] = this.indexOf(sum.total);
      this.parts[r] = numbers(sum.parts);
    });
    atMost.forEach((rule, i) => {
      const r = sums.length + i;
      this.totals[r] = this.indexOf(rule.a);
      this.parts[r] = Int32Array.of(this.indexOf(rule.b));
    });
    for (let r = 0; r < this.linearStart; r++) {
      this.rulesOf[this.totals[r]].push(r);
      for (const m of this.parts[r])
        this.rulesOf[m].push(r);
    }
    this.members = new Array(this.linearStart);
    for (let r = 0; r < this.linearStart; r++)
      this.members[r] = withTotal(this.totals[r], this.parts[r]);
    this.distinct = this.members.every((cells, r) => cells.length === 1 + this.parts[r].length);
  }
  indexOf(id) {
    return cellNumber(this.index, this.ids, this.rulesOf, id);
  }
};
var CompiledRules = class {
  /** Cell numbers by id: the base's where the linear rules name no other cell (never changed once made). */
  index;
  ids;
  /** Per rule: sum (total, parts) or at-most (a, b), as cell numbers (the base's). */
  totals;
  parts;
  sumCount;
  /** How many rules: the base's sums and at-most rules, then the linear rules. */
  count;
  /** The first linear rule's number (after the sums and the at-most rules). */
  linearStart;
  /** Per linear rule (from linearStart): its cells left and right, their coefficients, its constant. */
  linear;
  /** By cell: the rules it is in, the base's array itself for a cell in no linear rule (never changed once made). */
  rulesOf;
  /** Per rule: its cells, each once (Retraction's replay reads them). */
  members;
  /**
   * No sum or at-most rule names a cell twice (a total among its parts, a part twice): each
   * pass of a rule is then a function of its cells' ranges as they were before it, narrowing
   * none less where they are narrower, so a look's ranges are the same whatever order its
   * rules are looked at in (Retraction). So in every governor's table; Retraction looks
   * afresh otherwise.
   */
  distinct;
  /** The most cells on one side of a linear rule (propagate's buffers). */
  widest;
  /**
   * propagate's buffers, made once (a table is looked at hundreds of times): its queue of rules
   * (a ring), which rules are in it, and linearPass's snapshots.
   */
  queue;
  queued;
  leftLo;
  rightHi;
  /** The rules compiled from nothing: the cells, sums and at-most rules (RulesBase), then the linear rules. */
  static of(cellIds, sums, atMost, linear = []) {
    return new CompiledRules(new RulesBase(cellIds, sums, atMost), linear);
  }
  /**
   * `base`'s cells, sums and at-most rules, shared, not copied (RulesBase: the same for every
   * call on a table whose linear rules alone differ), and the linear rules on top, numbered
   * after them: the same numbers, lists and order as compiling all of them at once.
   */
  constructor(base, linear = []) {
    this.sumCount = base.sumCount;
    this.linearStart = base.linearStart;
    this.count = base.linearStart + linear.length;
    this.totals = base.totals;
    this.parts = base.parts;
    this.distinct = base.distinct;
    const known = linear.every((rule) => rule.left.every((t) => base.index.has(t.id)) && rule.right.every((t) => base.index.has(t.id)));
    this.index = known ? base.index : new Map(base.index);
    this.ids = known ? base.ids : base.ids.slice();
    const rulesOf = base.rulesOf.slice();
    const indexOf = (id) => cellNumber(this.index, this.ids, rulesOf, id);
    const terms = (side) => {
      const cells = new Int32Array(side.length);
      const times = new Float64Array(side.length);
      for (let i = 0; i < side.length; i++) {
        cells[i] = indexOf(side[i].id);
        times[i] = side[i].times;
      }
      return { cells, times };
    };
    this.linear = linear.map((rule) => {
      const left = terms(rule.left);
      const right = terms(rule.right);
      return { left: left.cells, leftTimes: left.times, right: right.cells, rightTimes: right.times, constant: rule.constant ?? 0 };
    });
    this.widest = this.linear.reduce((most, rule) => Math.max(most, rule.left.length, rule.right.length), 0);
    this.members = new Array(this.count);
    for (let r = 0; r < this.linearStart; r++)
      this.members[r] = base.members[r];
    const metIn = new Int32Array(this.ids.length).fill(-1);
    const own = new Uint8Array(this.ids.length);
    for (let i = base.ids.length; i < this.ids.length; i++)
      own[i] = 1;
    const buffer = new Int32Array(2 * this.widest);
    this.linear.forEach((rule, i) => {
      const r = this.linearStart + i;
      let n = 0;
      for (const side of [rule.left, rule.right]) {
        for (let j = 0; j < side.length; j++) {
          const m = side[j];
          if (metIn[m] === r)
            continue;
          metIn[m] = r;
          buffer[n++] = m;
          if (own[m] === 0) {
            own[m] = 1;
            rulesOf[m] = rulesOf[m].slice();
          }
          rulesOf[m].push(r);
        }
      }
      this.members[r] = buffer.slice(0, n);
    });
    this.rulesOf = rulesOf;
    this.queue = new Int32Array(Math.max(1, this.count));
    this.queued = new Uint8Array(this.count);
    this.leftLo = new Float64Array(this.widest);
    this.rightHi = new Float64Array(this.widest);
  }
  /**
   * inferBounds(known, withheld, sums, atMost) with those sums and rules: `known` the
   * published cells' values, `withheld` what each withheld cell's text gives away (every
   * rule's cell is one or the other). Returns the withheld cells' ranges, in `withheld`'s order.
   */
  infer(known, withheld2) {
    const look = this.look();
    for (const [id, value] of known) {
      const i = this.index.get(id);
      if (i === void 0)
        continue;
      look.isKnown[i] = 1;
      look.lo[i] = value;
      look.hi[i] = value;
    }
    for (const [id, b] of withheld2) {
      const i = this.index.get(id);
      if (i === void 0 || look.isKnown[i])
        continue;
      look.lo[i] = b.lo;
      look.hi[i] = b.hi;
    }
    this.propagate(look);
    const result = /* @__PURE__ */ new Map();
    for (const id of withheld2.keys()) {
      const i = this.index.get(id);
      result.set(id, { lo: look.lo[i], hi: look.hi[i] });
    }
    return result;
  }
  /**
   * Whether linear rule `r` (a rule number, from linearStart) pins one of its withheld members
   * in `look`: the member is pinned (one value) and its most (a left member) or least (a right
   * member, above 0, which every count has) is the rule's. Otherwise the rule pins nothing (a
   * class's 3 persistently absent pupils pinned by sums beside 400 absent sessions; a figure
   * withheld to protect others whose range the rule only narrows), and withholding its
   * published sessions would take a row for nothing. `only` (a cell number): whether it pins
   * that member. Every member of protect's linear rules is a cell of its table. On cell
   * numbers, without a map or an object per member (focusedChoice asks it of each linear rule
   * it meets on every look: at 4,500 pupils some 40,000 walks for one pack).
   */
  linearGivesAway(r, look, only = -1) {
    const { isKnown, lo, hi } = look;
    const { left, leftTimes, right, rightTimes, constant } = this.linear[r - this.linearStart];
    let gives = false;
    const test = (k, l, h) => {
      if (isKnown[k] === 1 || lo[k] !== hi[k] || only >= 0 && k !== only)
        return;
      if (h !== Number.POSITIVE_INFINITY && h <= hi[k])
        gives = true;
      if (l !== Number.NEGATIVE_INFINITY && l > 0 && l >= lo[k])
        gives = true;
    };
    linearPass(left, leftTimes, right, rightTimes, constant, lo, hi, test, this.leftLo, this.rightHi);
    return gives;
  }
  /** The id of cell number `i`. */
  idOf(i) {
    return this.ids[i];
  }
  /** The rules cell number `i` is in. */
  rulesOfCell(i) {
    return this.rulesOf[i];
  }
  /** How many cells the rules know of (the cells given first, in their order, then any other rule member). */
  get size() {
    return this.ids.length;
  }
  /** A look at the table to fill in (by cell number) for propagate: nothing known, every range [0, ∞). */
  look() {
    const n = this.ids.length;
    return { isKnown: new Uint8Array(n), lo: new Float64Array(n), hi: new Float64Array(n).fill(Number.POSITIVE_INFINITY) };
  }
  /**
   * infer on cell numbers, in place: `look` holds the published cells (isKnown, lo = hi = the
   * value) and every other cell's starting range; on return each unpublished cell's range is
   * what the rules give. The same propagation, rule by rule in the same order with the same
   * arithmetic, as infer (and inferBounds): protect's rounds call it directly, without a map
   * of ids in and a map of ranges out on every look (at 4,500 pupils most of a plan's time).
   * `first`: the rules to look at first, in ascending order (Retraction: those of the cells it
   * set back), the others only once one of their cells narrows; every rule when not given.
   * `trace`: where each pass that narrowed something is written down (Retraction). True when
   * it settled (no rule left to look at); false when it stopped at its limit (a guard).
   */
  propagate(look, first, trace) {
    const { isKnown, lo, hi } = look;
    const count2 = this.count;
    const { queue, queued, leftLo, rightHi } = this;
    let waiting;
    if (first === void 0) {
      for (let r = 0; r < count2; r++)
        queue[r] = r;
      queued.fill(1);
      waiting = count2;
    } else {
      queued.fill(0);
      for (let i = 0; i < first.length; i++) {
        queue[i] = first[i];
        queued[first[i]] = 1;
      }
      waiting = first.length;
    }
    let tail = waiting % queue.length;
    const rulesOf = this.rulesOf;
    const narrow = (i, l, h) => {
      if (isKnown[i])
        return;
      let changed = 0;
      if (l > lo[i]) {
        lo[i] = l;
        changed = NARROWED_LO;
      }
      if (h < hi[i]) {
        hi[i] = h;
        changed |= NARROWED_HI;
      }
      if (changed === 0)
        return;
      trace?.narrowed(i, changed);
      const rules = rulesOf[i];
      for (let ri = 0; ri < rules.length; ri++) {
        const r = rules[ri];
        if (!queued[r]) {
          queued[r] = 1;
          queue[tail] = r;
          tail = tail + 1 === queue.length ? 0 : tail + 1;
          waiting++;
        }
      }
    };
    const limit = 2e3 * (count2 + 1);
    let looked = 0;
    for (let head = 0; waiting > 0 && looked < limit; looked++) {
      const r = queue[head];
      head = head + 1 === queue.length ? 0 : head + 1;
      waiting--;
      queued[r] = 0;
      trace?.pass(r);
      if (r >= this.linearStart) {
        const { left, leftTimes, right, rightTimes, constant } = this.linear[r - this.linearStart];
        linearPass(left, leftTimes, right, rightTimes, constant, lo, hi, narrow, leftLo, rightHi);
        continue;
      }
      const total = this.totals[r];
      const parts = this.parts[r];
      if (r < this.sumCount) {
        let sumLo = 0;
        let finiteHi = 0;
        let infinite = 0;
        for (let pi = 0; pi < parts.length; pi++) {
          const p = parts[pi];
          sumLo += lo[p];
          if (hi[p] === Number.POSITIVE_INFINITY)
            infinite++;
          else
            finiteHi += hi[p];
        }
        narrow(total, sumLo, infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi);
        for (let pi = 0; pi < parts.length; pi++) {
          const p = parts[pi];
          const bLo = lo[p];
          const bHi = hi[p];
          const othersLo = sumLo - bLo;
          const othersHi = bHi === Number.POSITIVE_INFINITY ? infinite > 1 ? Number.POSITIVE_INFINITY : finiteHi : infinite > 0 ? Number.POSITIVE_INFINITY : finiteHi - bHi;
          narrow(p, lo[total] - othersHi, hi[total] - othersLo);
        }
      } else {
        const b = parts[0];
        narrow(total, Number.NEGATIVE_INFINITY, hi[b]);
        narrow(b, lo[total], Number.POSITIVE_INFINITY);
      }
    }
    trace?.pass(-1);
    return waiting === 0;
  }
};
function withTotal(total, parts) {
  const members = new Int32Array(1 + parts.length);
  members[0] = total;
  members.set(parts, 1);
  return members;
}
var NARROWED_LO = 1;
var NARROWED_HI = 2;
var Trace = class {
  ops = new Int32Array(1024);
  length = 0;
  /** Where the open pass's entry starts (its rule, then its count), −1 while none narrowed anything. */
  open = -1;
  rule = -1;
  push(value) {
    if (this.length === this.ops.length) {
      const grown = new Int32Array(this.ops.length * 2);
      grown.set(this.ops);
      this.ops = grown;
    }
    this.ops[this.length++] = value;
  }
  /** A pass of rule `r` begins (−1: the propagation ended). */
  pass(r) {
    this.rule = r;
    this.open = -1;
  }
  /** The pass under way narrowed cell `i`'s bounds (NARROWED_LO, NARROWED_HI). */
  narrowed(i, bounds) {
    if (this.open < 0) {
      this.open = this.length;
      this.push(this.rule);
      this.push(0);
    }
    this.push(i * 4 + bounds);
    this.ops[this.open + 1]++;
  }
  /** Cell `i` is set back to its start. */
  setBack(i) {
    this.push(-1 - i);
  }
  /**
   * Empty again, its buffer kept (grown as it was): a look made afresh writes its steps from
   * the start. A new Trace each time grew from 1,024 entries by doubling, every grown buffer
   * one more to collect, up to its fresh length (tens of thousands of steps at 4,500 pupils).
   */
  clear() {
    this.length = 0;
    this.open = -1;
    this.rule = -1;
  }
};
var Retraction = class {
  constructor(rules) {
    this.rules = rules;
    this.changed = new Uint8Array(rules.size);
    this.marked = new Uint8Array(rules.size);
    this.markedIn = new Int32Array(rules.members.length);
    this.ruleAgain = new Uint8Array(rules.members.length);
    this.first = new Int32Array(rules.members.length);
  }
  start;
  result;
  trace = new Trace();
  freshLength = 0;
  /** Whether the last look was made from the one before (not afresh): for measurement and tests. */
  fromLast = false;
  /** Per look, made once: the cells whose start changed, their marks (replay), each rule's marked cells, the rules to look at again. */
  changed;
  marked;
  markedIn;
  ruleAgain;
  /** The rules to look at again, in ascending order (the first `count` of them). */
  first;
  /**
   * `start` propagated with the rules. Returns the Retraction's own look, good until its next
   * call (which works from it in place); keeps a copy of `start`, which the caller may then
   * change (protect fills one start for every look). No look is made afresh for each call: at
   * 4,500 pupils a pack's plans take some 5,000 looks, each three arrays of every cell twice
   * over, and their collection was a tenth of the time.
   */
  propagate(start) {
    const last = this.start;
    const result = this.result;
    const size = start.isKnown.length;
    if (last && result && this.rules.distinct && this.trace.length <= TRACE_GROWTH * Math.max(1024, this.freshLength)) {
      const changed = this.changed.fill(0);
      let any = false;
      for (let k = 0; k < size; k++) {
        if (start.isKnown[k] !== last.isKnown[k] || start.lo[k] !== last.lo[k] || start.hi[k] !== last.hi[k]) {
          changed[k] = 1;
          any = true;
        }
      }
      this.fromLast = true;
      if (!any)
        return result;
      const again = this.replay(changed);
      const ruleAgain = this.ruleAgain.fill(0);
      for (let k = 0; k < size; k++) {
        if (!again[k])
          continue;
        result.isKnown[k] = start.isKnown[k];
        result.lo[k] = start.lo[k];
        result.hi[k] = start.hi[k];
        this.trace.setBack(k);
        const rules = this.rules.rulesOfCell(k);
        for (let ri = 0; ri < rules.length; ri++)
          ruleAgain[rules[ri]] = 1;
      }
      let count2 = 0;
      for (let r = 0; r < ruleAgain.length; r++)
        if (ruleAgain[r])
          this.first[count2++] = r;
      if (this.rules.propagate(result, this.first.subarray(0, count2), this.trace)) {
        copyLook(start, last);
        return result;
      }
    }
    this.fromLast = false;
    const fresh = copyLook(start, result ?? this.rules.look());
    this.trace.clear();
    const settled = this.rules.propagate(fresh, void 0, this.trace);
    this.freshLength = this.trace.length;
    this.start = settled ? copyLook(start, last ?? this.rules.look()) : void 0;
    this.result = settled ? fresh : void 0;
    return fresh;
  }
  /**
   * Replays the trace with the cells `changed` (1) marked from the start: returns the cells to
   * work out again (changed, or a bound last set by a marked step), and drops the marked steps
   * from the trace.
   */
  replay(changed) {
    const size = changed.length;
    const marked = this.marked.fill(0);
    const markedIn = this.markedIn.fill(0);
    const setMark = (k, bounds) => {
      const was = marked[k] !== 0;
      marked[k] = bounds;
      if (was === (bounds !== 0))
        return;
      const rules = this.rules.rulesOfCell(k);
      const step = was ? -1 : 1;
      for (let ri = 0; ri < rules.length; ri++)
        markedIn[rules[ri]] += step;
    };
    const both = NARROWED_LO | NARROWED_HI;
    for (let k = 0; k < size; k++)
      if (changed[k])
        setMark(k, both);
    const { ops, length } = this.trace;
    let kept = 0;
    for (let at = 0; at < length; ) {
      const op = ops[at];
      if (op < 0) {
        const k = -1 - op;
        setMark(k, changed[k] ? both : 0);
        ops[kept++] = op;
        at++;
        continue;
      }
      const n = ops[at + 1];
      const mark = markedIn[op] > 0;
      for (let j = 0; j < n; j++) {
        const entry = ops[at + 2 + j];
        const cell2 = entry >> 2;
        const bounds = entry & both;
        if (mark)
          setMark(cell2, marked[cell2] | bounds);
        else if (marked[cell2] & bounds)
          setMark(cell2, marked[cell2] & ~bounds);
      }
      if (!mark) {
        if (kept !== at)
          ops.copyWithin(kept, at, at + 2 + n);
        kept += 2 + n;
      }
      at += 2 + n;
    }
    this.trace.length = kept;
    for (let k = 0; k < size; k++)
      marked[k] |= changed[k];
    return marked;
  }
};
function copyLook(from, to) {
  to.isKnown.set(from.isKnown);
  to.lo.set(from.lo);
  to.hi.set(from.hi);
  return to;
}
var TRACE_GROWTH = 4;
var SUM_RULE = 0;
var AT_MOST_RULE = 1;
var LINEAR_RULE = 2;
var NOT_HIDDEN = 0;
var HIDDEN_PRIMARY = 1;
var HIDDEN_SECONDARY = 2;
var HiddenFigures = class extends Map {
  byNumber;
  numberOf;
  /** Where every `set` is written down while given (protectAfresh's rounds: RoundStarts.hiddenLog). */
  log;
  constructor(cells) {
    super();
    this.numberOf = new Map(cells.map((c2, k) => [c2.id, k]));
    this.byNumber = new Uint8Array(cells.length);
  }
  set(id, why) {
    super.set(id, why);
    this.log?.push([id, why]);
    const k = this.numberOf.get(id);
    if (k !== void 0)
      this.byNumber[k] = why === "primary" ? HIDDEN_PRIMARY : HIDDEN_SECONDARY;
    return this;
  }
  delete(id) {
    const k = this.numberOf.get(id);
    if (k !== void 0)
      this.byNumber[k] = NOT_HIDDEN;
    return super.delete(id);
  }
  clear() {
    this.byNumber.fill(NOT_HIDDEN);
    super.clear();
  }
};
function protect(cells, sums, atMost = [], options = {}) {
  return protectWithRules(cells, sums, atMost, options).hidden;
}
function protectWithRules(cells, sums, atMost, options) {
  const base = (list) => baseInputs(list, cells, sums, atMost);
  const linear = (list) => linearInputs(list, options.linear);
  const rest = (list) => restInputs(list, cells, options);
  const sameBase = basesByInputs.find((kept2) => InputList.matches(kept2.inputs, base));
  const baseList = sameBase?.inputs;
  const isBase = (list) => list === baseList || InputList.matches(list, base);
  const sameRules = compiledByRules.find((kept2) => isBase(kept2.base) && InputList.matches(kept2.linear, linear));
  const linearList = sameRules?.linear;
  const publicFlags = Uint8Array.from(cells, (c2) => c2.public ? 1 : 0);
  const keptRun = lastRuns.find(
    (kept2) => InputList.matches(kept2.rest, rest) && isBase(kept2.base) && (kept2.linear === linearList || InputList.matches(kept2.linear, linear))
  );
  const last = keptRun?.last;
  if (keptRun && last && sameRun(last, publicFlags)) {
    lastRuns.use(keptRun);
    const hidden = new HiddenFigures(cells);
    for (const [id, why] of last.hidden)
      hidden.set(id, why);
    for (const id of last.stuckAdded)
      options.stuck.add(id);
    return { hidden, rules: last.rules, complete: last.complete };
  }
  const consulted = new Uint8Array(cells.length);
  const stuckBefore = options.stuck?.size ?? 0;
  const resume = last ? resumeAt(last, publicFlags) : void 0;
  if (resume) {
    takenUp.runs++;
    takenUp.rounds += resume.round;
  }
  const kept = {
    base: baseList ?? InputList.copy(base),
    linear: linearList ?? InputList.copy(linear),
    // Copied before the run, which adds to options.stuck.
    rest: keptRun ? keptRun.rest : InputList.copy(rest)
  };
  const shared2 = sameBase ? basesByInputs.use(sameBase).shared : basesByInputs.add({ inputs: kept.base, shared: {} }).shared;
  const compiledRules = sameRules ? compiledByRules.use(sameRules).shared : compiledByRules.add({ base: kept.base, linear: kept.linear, shared: { base: shared2 } }).shared;
  const run = protectAfresh(cells, sums, atMost, options, consulted, compiledRules, resume);
  const made = {
    publicFlags,
    consulted,
    hidden: [...run.hidden],
    stuckAdded: options.stuck ? [...options.stuck].slice(stuckBefore) : [],
    rules: run.rules,
    complete: run.complete,
    rounds: run.rounds
  };
  if (keptRun)
    keptRun.last = made;
  else
    lastRuns.add({ ...kept, last: made });
  return run;
}
var NEVER = 2147483647;
function resumeAt(last, publicFlags) {
  if (last.publicFlags.length !== publicFlags.length)
    return void 0;
  const { consultedBy, started } = last.rounds;
  let round = started - 1;
  for (let k = 0; k < publicFlags.length && round > 0; k++)
    if (publicFlags[k] !== last.publicFlags[k])
      round = Math.min(round, consultedBy[k] - 1);
  return round > 0 ? { round, last } : void 0;
}
var wordsLookOf = (rules) => ({ start: rules.look(), retraction: new Retraction(rules) });
var LAST_RUNS_MAX = 16;
var KeptByInputs = class {
  entries = [];
  find(same) {
    return this.entries.find(same);
  }
  /** `entry`, now the most recently used. */
  use(entry) {
    this.entries.splice(this.entries.indexOf(entry), 1);
    this.entries.push(entry);
    return entry;
  }
  /** Adds `entry` as the most recently used, the least recently used going when full. */
  add(entry) {
    if (this.entries.length >= LAST_RUNS_MAX)
      this.entries.shift();
    this.entries.push(entry);
    return entry;
  }
  clear() {
    this.entries = [];
  }
};
var lastRuns = new KeptByInputs();
var compiledByRules = new KeptByInputs();
var basesByInputs = new KeptByInputs();
function forgetProtectRuns() {
  lastRuns.clear();
  compiledByRules.clear();
  basesByInputs.clear();
}
var takenUp = { runs: 0, rounds: 0 };
function sameRun(last, publicFlags) {
  if (last.publicFlags.length !== publicFlags.length)
    return false;
  for (let k = 0; k < publicFlags.length; k++)
    if (publicFlags[k] !== last.publicFlags[k] && last.consulted[k] === 1)
      return false;
  return true;
}
var InputList = class {
  constructor(against) {
    this.against = against;
  }
  values = [];
  at = 0;
  /** False once a value put differed from the list's (nothing more is compared). */
  same = true;
  /** Whether `walk` puts exactly the values of `list`, in order (NaN equal to NaN; a missing field only to one missing). */
  static matches(list, walk) {
    const check = new InputList(list);
    walk(check);
    return check.same && check.at === list.length;
  }
  /** The values `walk` puts, copied out. */
  static copy(walk) {
    const out = new InputList();
    walk(out);
    return out.values;
  }
  /** A list of ids led by its length, or -1 for none given. */
  putIds(ids) {
    if (ids === void 0) {
      this.put(-1);
      return;
    }
    this.put(ids.length);
    for (const id of ids)
      this.put(id);
  }
  /** A linear rule's side: each term's cell and coefficient. */
  putTerms(side) {
    for (const t of side) {
      this.put(t.id);
      this.put(t.times);
    }
  }
  put(x) {
    const against = this.against;
    if (against === void 0)
      this.values.push(x);
    else if (this.same) {
      const y = against[this.at++];
      if (x !== y && !(x !== x && y !== y))
        this.same = false;
    }
  }
};
function baseInputs(list, cells, sums, atMost) {
  list.put(cells.length);
  list.put(sums.length);
  list.put(atMost.length);
  for (const c2 of cells) {
    if (!list.same)
      return;
    list.put(c2.id);
    list.putIds(c2.derivedFrom);
  }
  for (const r of sums) {
    if (!list.same)
      return;
    list.put(r.total);
    list.putIds(r.parts);
  }
  for (const r of atMost) {
    if (!list.same)
      return;
    list.put(r.a);
    list.put(r.b);
  }
}
function linearInputs(list, linear) {
  list.put(linear === void 0 ? -1 : linear.length);
  for (const r of linear ?? []) {
    if (!list.same)
      return;
    list.put(r.left.length);
    list.put(r.right.length);
    list.put(r.constant);
    list.putTerms(r.left);
    list.putTerms(r.right);
  }
}
function restInputs(list, cells, options) {
  list.put(cells.length);
  list.put(options.focused);
  list.put(options.secondaryWidth);
  for (const c2 of cells) {
    if (!list.same)
      return;
    list.put(c2.value);
    list.put(c2.cost);
    list.put(c2.unpublished);
    list.put(c2.unprinted);
    list.put(c2.ceiling);
    const { primary } = c2;
    list.put(primary !== void 0);
    if (primary !== void 0) {
      list.put(primary.lo);
      list.put(primary.hi);
    }
    list.putIds(c2.linked);
  }
  const stuck = options.stuck;
  list.put(stuck === void 0 ? -1 : stuck.size);
  for (const id of stuck ?? [])
    list.put(id);
}
function indexBase(byId, sums, atMost) {
  const usable = sums.filter((r) => byId.has(r.total) && r.parts.every((p) => byId.has(p)));
  const sumsOf = /* @__PURE__ */ new Map();
  const rulesOfCell = /* @__PURE__ */ new Map();
  for (const rule of usable) {
    for (const id of [rule.total, ...rule.parts]) {
      const list = sumsOf.get(id) ?? [];
      list.push(rule);
      sumsOf.set(id, list);
    }
  }
  const pairs = /* @__PURE__ */ new WeakSet();
  const atMostKeys = new Set(atMost.map((r) => `${r.a}\0${r.b}`));
  const ruleMembers = [...usable.map((r) => [r.total, ...r.parts]), ...atMost.map((r) => [r.a, r.b])];
  for (const members of ruleMembers) {
    if (members.length === 2 && atMostKeys.has(`${members[0]}\0${members[1]}`))
      pairs.add(members);
    for (const id of members) {
      const list = rulesOfCell.get(id) ?? [];
      list.push(members);
      rulesOfCell.set(id, list);
    }
  }
  const ruleKinds = ruleMembers.map((members) => pairs.has(members) ? AT_MOST_RULE : SUM_RULE);
  return { usable, sumsOf, rulesOfCell, ruleMembers, ruleKinds };
}
function indexRules(base, byId, given) {
  const allCells = (side) => side.every((t) => byId.has(t.id));
  const linear = given.filter((r) => allCells(r.left) && allCells(r.right));
  const linearOf = /* @__PURE__ */ new Map();
  const ruleNumber = /* @__PURE__ */ new Map();
  const ruleMembers = base.ruleMembers.slice();
  const ruleKinds = base.ruleKinds.slice();
  const rulesOfCell = new Map(base.rulesOfCell);
  const copied = /* @__PURE__ */ new Set();
  for (const rule of linear) {
    const members = [];
    for (const side of [rule.left, rule.right])
      for (const t of side)
        if (!members.includes(t.id))
          members.push(t.id);
    linearOf.set(members, rule);
    ruleNumber.set(members, ruleMembers.length);
    ruleMembers.push(members);
    ruleKinds.push(LINEAR_RULE);
    for (const id of members) {
      let list = rulesOfCell.get(id);
      if (list === void 0)
        rulesOfCell.set(id, list = []);
      else if (!copied.has(id))
        rulesOfCell.set(id, list = list.slice());
      copied.add(id);
      list.push(members);
    }
  }
  return { usable: base.usable, linear, sumsOf: base.sumsOf, rulesOfCell, linearOf, ruleMembers, ruleNumber, ruleKinds };
}
function protectAfresh(cells, sums, atMost, options, consulted, compiledRules, resume) {
  const stuckBefore = options.stuck?.size ?? 0;
  const byId = new Map(cells.map((c2) => [c2.id, c2]));
  const hidden = new HiddenFigures(cells);
  const hide = (id, why) => {
    if (hidden.has(id) || !byId.has(id))
      return;
    hidden.set(id, why);
    for (const other of byId.get(id).linked ?? [])
      hide(other, why);
  };
  for (const cell2 of cells)
    if (cell2.primary)
      hide(cell2.id, "primary");
  for (const cell2 of cells)
    if ((cell2.unpublished || cell2.unprinted || cell2.derivedFrom) && !hidden.has(cell2.id))
      hidden.set(cell2.id, "secondary");
  const { usable, linear, sumsOf, rulesOfCell, linearOf, ruleMembers, ruleNumber, ruleKinds } = compiledRules.index ??= indexRules(
    compiledRules.base.index ??= indexBase(byId, sums, atMost),
    byId,
    options.linear ?? []
  );
  const ruleGivesAway = (r, look) => {
    if (ruleKinds[r] === LINEAR_RULE)
      return compiled.linearGivesAway(r, look);
    if (ruleKinds[r] === SUM_RULE)
      return true;
    const [a, b] = walks.members[r];
    return atMostGivesAway(a, b, look, cells.length);
  };
  const rowSize = (id) => options.focused ? byId.get(id).linked?.length ?? 0 : 0;
  const read = (id) => {
    const k = compiled.index.get(id);
    if (k !== void 0 && k < cells.length)
      consulted[k] = 1;
  };
  const byCost = (a, b) => (byId.get(a).cost ?? 0) - (byId.get(b).cost ?? 0) || rowSize(a) - rowSize(b) || byId.get(a).value - byId.get(b).value || a.localeCompare(b);
  const cheapest = (ids) => {
    const shown = ids.filter((id) => !hidden.has(id));
    const pick = shown.filter((id) => !byId.get(id)?.public).sort(byCost)[0];
    for (const id of shown)
      if (id === pick || byId.get(id)?.public && (pick === void 0 || byCost(id, pick) <= 0))
        read(id);
    return pick;
  };
  const compiled = compiledRules.all ??= new CompiledRules(compiledRules.base.all ??= new RulesBase(cells.map((c2) => c2.id), usable, atMost), linear);
  const starts = { consultedBy: new Int32Array(cells.length).fill(NEVER), hiddenLog: [], hiddenAt: [], stuckAt: [], zeros: [], zerosAt: [], started: 0 };
  const done = () => {
    hidden.log = void 0;
    for (let k = 0; k < cells.length; k++)
      if (consulted[k] === 1 && starts.consultedBy[k] === NEVER)
        starts.consultedBy[k] = starts.started;
    starts.zeros = [...zerosByAbsence];
    return { hidden, rules: compiled, complete: usable.length === sums.length && linear.length === (options.linear ?? []).length, rounds: starts };
  };
  let leastCost = Number.POSITIVE_INFINITY;
  for (const c2 of cells)
    leastCost = Math.min(leastCost, c2.cost ?? 0);
  if (byId.size !== cells.length)
    throw new Error("protect: a cell id is given twice");
  const walks = options.focused ? walkingRules(compiled, cells, ruleMembers, (members) => linearOf.has(members), (c2) => [c2.cost ?? 0, rowSize(c2.id), c2.value], consulted) : void 0;
  const derived = cells.some((c2) => c2.derivedFrom);
  const noDerived = (ids) => ids.every((id) => !byId.get(id).derivedFrom);
  const plainRules = () => compiledRules.apart ??= new CompiledRules(
    compiledRules.base.apart ??= new RulesBase(
      cells.map((c2) => c2.id),
      usable.filter((r) => noDerived([r.total, ...r.parts])),
      atMost
    ),
    linear.filter((r) => noDerived([...r.left, ...r.right].map((t) => t.id)))
  );
  const retraction = new Retraction(compiled);
  let retractionApart;
  const start = compiled.look();
  let looks = 0;
  const lookAtTable = () => {
    const made = ++looks;
    for (let k = 0; k < cells.length; k++) {
      const cell2 = cells[k];
      const why = hidden.byNumber[k];
      if (why !== NOT_HIDDEN)
        consulted[k] = 1;
      if (why === NOT_HIDDEN || cell2.public) {
        start.isKnown[k] = 1;
        start.lo[k] = cell2.value;
        start.hi[k] = cell2.value;
      } else {
        const text2 = why === HIDDEN_PRIMARY && cell2.primary && !cell2.unprinted ? cell2.primary : UNBOUNDED;
        start.isKnown[k] = 0;
        start.lo[k] = text2.lo;
        start.hi[k] = cell2.ceiling === void 0 ? text2.hi : Math.min(text2.hi, cell2.ceiling);
      }
    }
    const look = retraction.propagate(start);
    if (derived) {
      let apart;
      const lookApart = () => {
        if (apart)
          return apart;
        if (made !== looks)
          throw new Error("protect: a look apart asked of an earlier look");
        const rulesApart = plainRules();
        if (rulesApart.size !== compiled.size)
          throw new Error("protect: the rules apart number the cells otherwise");
        retractionApart ??= new Retraction(rulesApart);
        return apart = retractionApart.propagate(start);
      };
      return { look, apart: lookApart, ...lookViews(compiled.index, cells.length, look) };
    }
    return { look, ...lookViews(compiled.index, cells.length, look) };
  };
  const zeroOfRange = (look, k) => derived && look.hi[k] === 0 && cells[k].primary?.lo === 0;
  const pinnedIn = ({ look, apart: lookApart }, primaryOnly, zeros) => {
    const pinned = [];
    const zero = [];
    for (let k = 0; k < cells.length; k++) {
      if (look.isKnown[k] || look.lo[k] !== look.hi[k])
        continue;
      const cell2 = cells[k];
      if (primaryOnly && cell2.primary === void 0 || cell2.derivedFrom || options.stuck?.has(cell2.id) || zeros?.has(k))
        continue;
      if (zeroOfRange(look, k))
        zero.push(k);
      pinned.push(k);
    }
    if (zero.length === 0)
      return pinned;
    const apart = lookApart();
    const byAbsence = new Set(zero.filter((k) => apart.lo[k] !== apart.hi[k]));
    for (const k of byAbsence)
      zeros?.add(k);
    return pinned.filter((k) => !byAbsence.has(k));
  };
  const zerosByAbsence = /* @__PURE__ */ new Set();
  const width = options.focused ? options.secondaryWidth ?? 0 : 0;
  const narrowStuck = /* @__PURE__ */ new Set();
  const narrowedIn = (look) => {
    const narrowed = [];
    if (width <= 2)
      return narrowed;
    for (let k = 0; k < cells.length; k++) {
      if (look.isKnown[k] || hidden.byNumber[k] !== HIDDEN_SECONDARY)
        continue;
      const values = look.hi[k] - look.lo[k] + 1;
      if (values < 2 || values >= width)
        continue;
      const cell2 = cells[k];
      consulted[k] = 1;
      if (cell2.linked?.length !== 0 || cell2.primary || cell2.unpublished || cell2.unprinted || cell2.derivedFrom || cell2.public || narrowStuck.has(cell2.id))
        continue;
      narrowed.push(k);
    }
    return narrowed;
  };
  const widen = (table) => {
    const narrowed = narrowedIn(table.look);
    if (narrowed.length === 0)
      return false;
    const w = walks;
    let changed = false;
    for (const k of narrowed) {
      const id = cells[k].id;
      let pick;
      const stamp = ++w.stamp;
      w.seen[k] = stamp;
      let frontier = [k];
      for (let step = 0; step < WIDEN_STEPS && !pick && frontier.length > 0; step++) {
        const candidates2 = [];
        const next = [];
        for (const from of frontier) {
          for (const r of w.rulesOf[from]) {
            if (r >= usable.length)
              continue;
            for (const m of w.members[r]) {
              if (w.seen[m] === stamp)
                continue;
              w.seen[m] = stamp;
              const cell2 = cells[m];
              if (m < cells.length)
                consulted[m] = 1;
              if (hidden.byNumber[m] !== NOT_HIDDEN || w.fixed[m] === 1)
                next.push(m);
              else if ((cell2.cost ?? 0) < RELEASE_WORDS_MIN_COST && cell2.linked?.length === 0)
                candidates2.push(cell2.id);
            }
          }
        }
        pick = cheapest(candidates2);
        frontier = next;
      }
      if (pick) {
        hide(pick, "secondary");
        changed = true;
        continue;
      }
      narrowStuck.add(id);
      changed = true;
    }
    return changed;
  };
  let words;
  hidden.log = starts.hiddenLog;
  let firstRound = 0;
  if (resume) {
    const { round, last } = resume;
    const before = last.rounds;
    for (let i = 0; i < before.hiddenAt[round]; i++)
      hidden.set(before.hiddenLog[i][0], before.hiddenLog[i][1]);
    for (let i = 0; i < before.stuckAt[round]; i++)
      options.stuck.add(last.stuckAdded[i]);
    for (let i = 0; i < before.zerosAt[round]; i++)
      zerosByAbsence.add(before.zeros[i]);
    for (let k = 0; k < cells.length; k++) {
      if (before.consultedBy[k] > round)
        continue;
      consulted[k] = 1;
      starts.consultedBy[k] = before.consultedBy[k];
    }
    starts.hiddenAt.push(...before.hiddenAt.slice(0, round));
    starts.stuckAt.push(...before.stuckAt.slice(0, round));
    starts.zerosAt.push(...before.zerosAt.slice(0, round));
    firstRound = round;
  }
  for (let round = firstRound; round < 1e4; round++) {
    for (let k = 0; k < cells.length; k++)
      if (consulted[k] === 1 && starts.consultedBy[k] === NEVER)
        starts.consultedBy[k] = round;
    starts.hiddenAt.push(starts.hiddenLog.length);
    starts.stuckAt.push((options.stuck?.size ?? 0) - stuckBefore);
    starts.zerosAt.push(zerosByAbsence.size);
    starts.started = round + 1;
    const table = lookAtTable();
    const { look } = table;
    const recovered = new Set(pinnedIn(table, options.focused === true, zerosByAbsence).map((k) => cells[k].id));
    if (recovered.size === 0) {
      if (options.focused) {
        releaseRows();
        for (let pass = 0; pass < cells.length && widen(lookAtTable()); pass++)
          ;
      }
      return done();
    }
    const wordsLooks = compiledRules.words ??= { all: wordsLookOf(compiled) };
    words ??= { all: wordsAlone(cells, hidden, wordsLooks.all) };
    const byWords = new Set(
      [...recovered].filter((id) => {
        const k = compiled.index.get(id);
        if (words.all.lo[k] !== words.all.hi[k])
          return false;
        if (!zeroOfRange(words.all, k))
          return true;
        words.apart ??= wordsAlone(cells, hidden, wordsLooks.apart ??= wordsLookOf(plainRules()));
        return words.apart.lo[k] === words.apart.hi[k];
      })
    );
    if (byWords.size > 0) {
      printWithoutRange(byWords);
      continue;
    }
    let choice;
    if (options.focused) {
      const batch = /* @__PURE__ */ new Set();
      const gives = new Int8Array(ruleMembers.length).fill(-1);
      const givesAway = (r) => {
        if (gives[r] < 0)
          gives[r] = ruleGivesAway(r, look) ? 1 : 0;
        return gives[r] === 1;
      };
      const settled = new Int8Array(ruleMembers.length).fill(-1);
      newLookForWalks(walks);
      const pinsFrom = (r, cell2) => compiled.linearGivesAway(r, look, cell2);
      for (const id of [...recovered].slice(0, FOCUSED_BATCH)) {
        const one = focusedChoice(walks, compiled.index.get(id), look, cells.length, givesAway, settled, pinsFrom, leastCost);
        if (one !== void 0)
          batch.add(one);
      }
      if (batch.size > 1) {
        for (const id of batch)
          hide(id, "secondary");
        continue;
      }
      choice = [...batch][0];
    }
    if (!choice) {
      const candidates2 = /* @__PURE__ */ new Set();
      for (const id of recovered)
        for (const rule of sumsOf.get(id) ?? [])
          for (const m of [rule.total, ...rule.parts])
            candidates2.add(m);
      for (const id of recovered) {
        for (const members of rulesOfCell.get(id) ?? [])
          if (linearOf.has(members) && compiled.linearGivesAway(ruleNumber.get(members), look))
            for (const m of members)
              candidates2.add(m);
      }
      for (const id of [...candidates2]) {
        if (!byId.get(id)?.derivedFrom)
          continue;
        for (const rule of sumsOf.get(id) ?? [])
          for (const m of [rule.total, ...rule.parts])
            for (const behind of byId.get(m).derivedFrom ?? [m])
              candidates2.add(behind);
      }
      choice = cheapest([...candidates2]);
    }
    if (!choice) {
      const partners = atMost.filter((r) => (recovered.has(r.a) || recovered.has(r.b)) && atMostGivesAway(compiled.index.get(r.a), compiled.index.get(r.b), look, cells.length)).flatMap((r) => [r.a, r.b]);
      choice = cheapest(partners.filter((id) => byId.has(id)));
    }
    if (!choice) {
      printWithoutRange(recovered);
      continue;
    }
    hide(choice, "secondary");
  }
  throw new Error("suppression did not settle");
  function releaseRows() {
    const releasable = (id) => hidden.get(id) === "secondary" && !byId.get(id).primary && !byId.get(id).unpublished && !byId.get(id).unprinted && !byId.get(id).derivedFrom;
    const rows = /* @__PURE__ */ new Map();
    for (const cell2 of cells)
      if ((cell2.cost ?? 0) > 1 && cell2.linked?.length && releasable(cell2.id) && !rows.has(cell2.linked))
        rows.set(cell2.linked, cell2);
    const order = [...rows].sort(([, a], [, b]) => (b.cost ?? 0) - (a.cost ?? 0) || b.value - a.value || a.id.localeCompare(b.id));
    const workedOut = () => pinnedIn(lookAtTable(), true).map((k) => cells[k].id);
    for (const [row, cell2] of order) {
      const inRow = row.filter((id) => byId.has(id) && releasable(id));
      const words2 = (cell2.cost ?? 0) >= RELEASE_WORDS_MIN_COST;
      for (const ids of [inRow, inRow.filter((id) => byId.get(id).linked?.length)]) {
        if (ids.length === 0)
          continue;
        for (const id of ids)
          hidden.delete(id);
        const out = workedOut();
        if (out.length === 0 || words2 && withoutWords(out))
          break;
        for (const id of ids)
          hidden.set(id, "secondary");
      }
    }
    for (const cell2 of cells) {
      if ((cell2.cost ?? 0) < RELEASE_WORDS_MIN_COST || cell2.linked === void 0 || cell2.linked.length > 0 || !releasable(cell2.id))
        continue;
      const before = new Map(hidden);
      hidden.delete(cell2.id);
      let table = lookAtTable();
      let out = pinnedIn(table, true).map((k) => cells[k].id);
      for (let round = 0; out.length > 0 && round < SCHOOL_RELEASE_ROUNDS; round++) {
        const pinned = (id) => table.known.has(id) || (table.inferred.get(id)?.lo ?? 0) === (table.inferred.get(id)?.hi ?? 1);
        const picks = /* @__PURE__ */ new Set();
        const loose = /* @__PURE__ */ new Set();
        for (const id of out.slice(0, FOCUSED_BATCH)) {
          const own = /* @__PURE__ */ new Set();
          for (const rule of sumsOf.get(id) ?? []) {
            const members = [rule.total, ...rule.parts];
            const tight = members.every(pinned);
            for (const m of members)
              if ((byId.get(m).cost ?? 0) < RELEASE_WORDS_MIN_COST)
                (tight ? own : loose).add(m);
          }
          const pick = cheapest([...own].filter((m) => !picks.has(m)));
          if (pick && ![...own].some((m) => picks.has(m)))
            picks.add(pick);
        }
        if (picks.size === 0) {
          const pick = cheapest([...loose]);
          if (!pick)
            break;
          picks.add(pick);
        }
        for (const pick of picks)
          hide(pick, "secondary");
        table = lookAtTable();
        out = pinnedIn(table, true).map((k) => cells[k].id);
      }
      if (out.length > 0) {
        hidden.clear();
        for (const [id, why] of before)
          hidden.set(id, why);
      }
    }
    function withoutWords(out) {
      if (out.length === 0)
        return true;
      const changed = [];
      for (let drop = 0; drop < RELEASE_WORD_DROPS && out.length > 0; drop++) {
        const touching = new Set(out);
        for (const id of out)
          for (const members of rulesOfCell.get(id) ?? [])
            for (const m of members)
              touching.add(m);
        const opaque = [...touching].filter((id) => hidden.get(id) === "primary" && byId.get(id).primary && !byId.get(id).unprinted && (read(id), !byId.get(id).public)).sort((a, b) => (byId.get(a).cost ?? 0) - (byId.get(b).cost ?? 0) || byId.get(a).value - byId.get(b).value || a.localeCompare(b))[0];
        if (!opaque)
          break;
        for (const id of [opaque, ...byId.get(opaque).linked ?? []]) {
          if (hidden.get(id) !== "primary")
            continue;
          hidden.set(id, "secondary");
          words = void 0;
          changed.push(id);
        }
        out = workedOut();
      }
      if (out.length === 0)
        return true;
      for (const id of changed)
        hidden.set(id, "primary");
      if (changed.length > 0)
        words = void 0;
      return false;
    }
  }
  function printWithoutRange(recovered) {
    const touching = new Set(recovered);
    for (const id of recovered)
      for (const members of rulesOfCell.get(id) ?? [])
        for (const m of members)
          touching.add(m);
    const opaque = [...touching].filter((id) => hidden.get(id) === "primary" && byId.get(id).primary && !byId.get(id).unprinted).sort((a, b) => (byId.get(a).cost ?? 0) - (byId.get(b).cost ?? 0) || byId.get(a).value - byId.get(b).value || a.localeCompare(b))[0];
    if (!opaque && options.stuck) {
      for (const id of recovered)
        options.stuck.add(id);
      return false;
    }
    if (!opaque)
      throw new Error(`cannot protect ${[...recovered].join(", ")}: every figure of their sums is already withheld`);
    for (const id of [opaque, ...byId.get(opaque).linked ?? []]) {
      if (hidden.get(id) !== "primary")
        continue;
      hidden.set(id, "secondary");
      words = void 0;
    }
    return true;
  }
}
function wordsAlone(cells, hidden, { start, retraction }) {
  for (let k = 0; k < cells.length; k++) {
    const cell2 = cells[k];
    const why = hidden.byNumber[k];
    const b = why !== NOT_HIDDEN ? readerBounds(cell2, why === HIDDEN_PRIMARY ? "primary" : "secondary") : cell2.ceiling === void 0 ? UNBOUNDED : { lo: 0, hi: cell2.ceiling };
    start.lo[k] = b.lo;
    start.hi[k] = b.hi;
  }
  const look = retraction.propagate(start);
  if (retraction.fromLast)
    wordLooks.fromLast++;
  return look;
}
var wordLooks = { fromLast: 0 };
function lookViews(index, cells, look) {
  const at = (id) => {
    const k = index.get(id);
    return k !== void 0 && k < cells ? k : -1;
  };
  return {
    known: {
      has: (id) => {
        const k = at(id);
        return k >= 0 && look.isKnown[k] === 1;
      },
      get: (id) => {
        const k = at(id);
        return k >= 0 && look.isKnown[k] === 1 ? look.lo[k] : void 0;
      }
    },
    inferred: {
      get: (id) => {
        const k = at(id);
        return k >= 0 && look.isKnown[k] === 0 ? { lo: look.lo[k], hi: look.hi[k] } : void 0;
      }
    }
  };
}
function atMostGivesAway(a, b, look, cells) {
  const aLo = a < cells ? look.lo[a] : UNBOUNDED.lo;
  const aHi = a < cells ? look.hi[a] : UNBOUNDED.hi;
  const bLo = b < cells ? look.lo[b] : UNBOUNDED.lo;
  const bHi = b < cells ? look.hi[b] : UNBOUNDED.hi;
  return aHi === bHi || bLo === aLo;
}
function compareRanked(strict, x, xStep, a, y, yStep, b) {
  if (strict) {
    if (x[0] !== y[0])
      return x[0] - y[0];
    if (xStep !== yStep)
      return xStep - yStep;
  } else {
    if (xStep !== yStep)
      return xStep - yStep;
    if (x[0] !== y[0])
      return x[0] - y[0];
  }
  for (let i = 1; i < x.length; i++)
    if (x[i] !== y[i])
      return x[i] - y[i];
  return a.localeCompare(b);
}
var RELEASE_WORD_DROPS = 4;
var RELEASE_WORDS_MIN_COST = 1e5;
var SCHOOL_RELEASE_ROUNDS = 8;
var WIDEN_STEPS = 3;
var FOCUSED_BATCH = 16;
function newLookForWalks(w) {
  w.components = { first: w.serial + 1, least: [], fixedFrom: [], fixedTo: [], fixed: [] };
}
function walkingRules(compiled, cells, ruleMembers, isLinear, rankOf, consulted) {
  const size = compiled.size;
  if (compiled.members.length !== ruleMembers.length)
    throw new Error("protect: the walks' rules are not the compiled rules");
  const members = compiled.members;
  const rulesOf = Array.from({ length: size }, (_, i) => compiled.rulesOfCell(i));
  const ranks = cells.map(rankOf);
  return {
    members,
    rulesOf,
    linear: Uint8Array.from(ruleMembers, (list) => isLinear(list) ? 1 : 0),
    ranks,
    costs: Float64Array.from(ranks, (rank2) => rank2[0]),
    ids: Array.from({ length: size }, (_, i) => compiled.idOf(i)),
    fixed: Uint8Array.from(cells, (c2) => c2.public ? 1 : 0),
    consulted,
    looked: new Int32Array(ruleMembers.length),
    seen: new Int32Array(size),
    stamp: 0,
    foundIn: new Int32Array(size),
    foundStep: new Int32Array(size),
    foundList: new Int32Array(size),
    fixedIn: new Int32Array(size),
    fixedList: new Int32Array(size),
    frontier: new Int32Array(size),
    next: new Int32Array(size),
    componentOf: new Int32Array(size),
    ruleComponent: new Int32Array(ruleMembers.length),
    fixedComponent: new Int32Array(size),
    componentQueue: new Int32Array(size),
    serial: 0,
    components: { first: 1, least: [], fixedFrom: [], fixedTo: [], fixed: [] }
  };
}
function allPinnedIn(w, r, look, cells, settled) {
  if (settled[r] < 0) {
    const { isKnown, lo, hi } = look;
    const members = w.members[r];
    let all = 1;
    for (let mi = 0; mi < members.length && all === 1; mi++) {
      const m = members[mi];
      if (m >= cells || isKnown[m] !== 1 && lo[m] !== hi[m])
        all = 0;
    }
    settled[r] = all;
  }
  return settled[r] === 1;
}
function strictComponent(w, cell2, look, cells, gives, settled) {
  const components = w.components;
  if (w.componentOf[cell2] >= components.first)
    return w.componentOf[cell2] - components.first;
  const serial = ++w.serial;
  const { isKnown } = look;
  const queue = w.componentQueue;
  let head = 0;
  let tail = 0;
  queue[tail++] = cell2;
  w.componentOf[cell2] = serial;
  let least = Number.POSITIVE_INFINITY;
  components.fixedFrom.push(components.fixed.length);
  while (head < tail) {
    const rules = w.rulesOf[queue[head++]];
    for (let ri = 0; ri < rules.length; ri++) {
      const r = rules[ri];
      if (w.linear[r] === 1 || w.ruleComponent[r] === serial)
        continue;
      w.ruleComponent[r] = serial;
      if (!gives(r) || !allPinnedIn(w, r, look, cells, settled))
        continue;
      const members = w.members[r];
      for (let mi = 0; mi < members.length; mi++) {
        const m = members[mi];
        if (m < cells && isKnown[m] === 1) {
          if (w.fixed[m] === 0) {
            if (w.costs[m] < least)
              least = w.costs[m];
          } else if (w.fixedComponent[m] !== serial) {
            w.fixedComponent[m] = serial;
            components.fixed.push(m);
          }
        } else if (w.componentOf[m] !== serial) {
          w.componentOf[m] = serial;
          queue[tail++] = m;
        }
      }
    }
  }
  components.least.push(least);
  components.fixedTo.push(components.fixed.length);
  return serial - components.first;
}
function strictReachLeast(w, start, look, cells, gives, settled) {
  const { isKnown } = look;
  const components = w.components;
  const own = strictComponent(w, start, look, cells, gives, settled);
  let least = components.least[own];
  const rules = w.rulesOf[start];
  for (let pass = 0; pass < 2; pass++) {
    if (pass === 1)
      markFixedBelow(w, own, least);
    for (let ri = 0; ri < rules.length; ri++) {
      const r = rules[ri];
      if (w.linear[r] !== 1 || !gives(r) || !allPinnedIn(w, r, look, cells, settled))
        continue;
      const members = w.members[r];
      for (let mi = 0; mi < members.length; mi++) {
        const m = members[mi];
        if (m === start)
          continue;
        if (m < cells && isKnown[m] === 1) {
          if (w.fixed[m] === 0)
            least = Math.min(least, w.costs[m]);
          else if (pass === 1 && w.costs[m] < least)
            w.consulted[m] = 1;
        } else {
          const c2 = strictComponent(w, m, look, cells, gives, settled);
          if (pass === 0)
            least = Math.min(least, components.least[c2]);
          else
            markFixedBelow(w, c2, least);
        }
      }
    }
  }
  return least;
}
var cutShort = { walks: 0 };
function markFixedBelow(w, c2, least) {
  const { fixed, fixedFrom, fixedTo } = w.components;
  for (let i = fixedFrom[c2]; i < fixedTo[c2]; i++)
    if (w.costs[fixed[i]] < least)
      w.consulted[fixed[i]] = 1;
}
function focusedChoice(w, start, look, cells, gives, settled, pinsFrom, leastCost) {
  const { isKnown, lo, hi } = look;
  const { looked, seen, foundIn, fixed, linear, consulted } = w;
  for (let pass = 0; pass < 2; pass++) {
    const strict = pass === 0;
    let found = 0;
    let fixedFound = 0;
    let foundLeast = Number.POSITIVE_INFINITY;
    let reachLeast = Number.NaN;
    const stamp = ++w.stamp;
    w.seen[start] = stamp;
    let frontier = w.frontier;
    let next = w.next;
    frontier[0] = start;
    let width = 1;
    for (let level = 0; width > 0; level++) {
      let nextWidth = 0;
      for (let f = 0; f < width; f++) {
        const id = frontier[f];
        const rulesOfId = w.rulesOf[id];
        for (let ri = 0; ri < rulesOfId.length; ri++) {
          const r = rulesOfId[ri];
          if (looked[r] === stamp)
            continue;
          if (level > 0 && linear[r] === 1 && (strict || !pinsFrom(r, id)))
            continue;
          looked[r] = stamp;
          if (!gives(r))
            continue;
          if (strict && !allPinnedIn(w, r, look, cells, settled))
            continue;
          const members = w.members[r];
          for (let mi = 0; mi < members.length; mi++) {
            const m = members[mi];
            if (m < cells && isKnown[m] === 1) {
              if (foundIn[m] !== stamp && fixed[m] === 0) {
                foundIn[m] = stamp;
                w.foundStep[m] = level;
                w.foundList[found++] = m;
                if (w.costs[m] < foundLeast)
                  foundLeast = w.costs[m];
              } else if (fixed[m] === 1 && w.fixedIn[m] !== stamp) {
                w.fixedIn[m] = stamp;
                w.foundStep[m] = level;
                w.fixedList[fixedFound++] = m;
              }
            } else if (seen[m] !== stamp && (!strict || m < cells && lo[m] === hi[m])) {
              seen[m] = stamp;
              next[nextWidth++] = m;
            }
          }
        }
      }
      const done = frontier;
      frontier = next;
      next = done;
      width = nextWidth;
      if (found > 0 && !strict)
        break;
      if (found > 0 && foundLeast <= leastCost)
        break;
      if (found > 0 && Number.isNaN(reachLeast))
        reachLeast = strictReachLeast(w, start, look, cells, gives, settled);
      if (found > 0 && foundLeast <= reachLeast) {
        cutShort.walks++;
        break;
      }
    }
    let best = -1;
    for (let i = 0; i < found; i++) {
      const m = w.foundList[i];
      if (best < 0 || compareRanked(strict, w.ranks[m], w.foundStep[m], w.ids[m], w.ranks[best], w.foundStep[best], w.ids[best]) < 0)
        best = m;
    }
    if (best >= 0)
      consulted[best] = 1;
    for (let i = 0; i < fixedFound; i++) {
      const m = w.fixedList[i];
      if (best < 0 || compareRanked(strict, w.ranks[m], w.foundStep[m], w.ids[m], w.ranks[best], w.foundStep[best], w.ids[best]) <= 0)
        consulted[m] = 1;
    }
    if (best >= 0)
      return w.ids[best];
  }
  return void 0;
}
var SUPPRESSED_FIGURES = ["pupils", "possible_sessions", "attended_sessions", "pa_pupils", "sa_pupils"];
var ABSENT_PUPILS = "absent_pupils";
var PUPIL_COUNTS = ["pa_pupils", "sa_pupils", ABSENT_PUPILS];
function absenceRules(absence, id, figures) {
  const rules = [];
  if (!figures.includes("possible_sessions") || !figures.includes("attended_sessions"))
    return rules;
  const counts = [
    ["pa_pupils", absence.pa_least, absence.pa_most, absence.pa_other_most],
    ["sa_pupils", absence.sa_least, absence.sa_most, absence.sa_other_most]
  ];
  for (const [figure, least, most, other] of counts) {
    if (!figures.includes(figure))
      continue;
    if (least > 0 && Number.isFinite(least)) {
      rules.push({ left: [{ id: id(figure), times: least }, { id: id("attended_sessions"), times: 1 }], right: [{ id: id("possible_sessions"), times: 1 }] });
    }
    if (most > other) {
      const right = [{ id: id("attended_sessions"), times: 1 }, { id: id(figure), times: most - other }];
      if (other > 0)
        right.push({ id: id("pupils"), times: other });
      rules.push({ left: [{ id: id("possible_sessions"), times: 1 }], right, constant: absence.uncounted_absent });
    }
  }
  return rules;
}
var WITHHELD_TEXT = "withheld";
var cellId = (key, figure) => `${key}|${figure}`;
function isSmallCount(value, min) {
  return min !== null && value > 0 && value < min;
}
function planSuppression(groups, sums, min, options = {}) {
  const figures = options.figures ?? SUPPRESSED_FIGURES;
  if (!figures.includes("pupils"))
    throw new Error("a plan needs the pupils figure (a group's row goes with it)");
  const has = (figure) => figures.includes(figure);
  const costOf = (key) => options.costOf ? options.costOf(key) : key === "school" ? 1e6 : 0;
  const cells = [];
  for (const g of groups) {
    const smallRow = g.pupils > 0 && g.pupils < min;
    const row = figures.map((f) => cellId(g.key, f));
    for (const figure of figures) {
      const value = g[figure];
      if (value === void 0)
        throw new Error(`suppression: group ${g.key} has no ${figure} count to plan`);
      const pupilCount = PUPIL_COUNTS.includes(figure);
      let primary;
      if (smallRow)
        primary = figure === "pupils" ? { lo: 1, hi: min - 1 } : { lo: 0, hi: pupilCount ? min - 1 : Number.POSITIVE_INFINITY };
      else if (pupilCount && isSmallCount(value, min))
        primary = { lo: 1, hi: min - 1 };
      const neverAbsent = figure === ABSENT_PUPILS && (options.unpublished?.(g.key, figure) ?? false);
      const unprinted = !neverAbsent && (options.unprinted?.(g.key) ?? false);
      const unpublished = neverAbsent || !unprinted && (options.unpublished?.(g.key, figure) ?? false);
      if (!primary && (figure === "possible_sessions" || figure === "attended_sessions") && options.forced?.(g.key))
        primary = { lo: 0, hi: Number.POSITIVE_INFINITY };
      if (unpublished)
        primary = void 0;
      cells.push({
        id: cellId(g.key, figure),
        value,
        primary,
        // A group's pupils withheld means its whole row goes (its rates would give it away).
        linked: figure === "pupils" ? row : pupilCount ? [] : row,
        cost: costOf(g.key),
        unpublished: unpublished || void 0,
        unprinted: unprinted || void 0,
        public: options.isPublic?.(g.key, figure) || void 0
      });
    }
  }
  const sumsOf = (of) => sums.flatMap((s) => of.map((f) => ({ total: cellId(s.total, f), parts: s.parts.map((p) => cellId(p, f)) })));
  const pairs = [
    ["sa_pupils", "pa_pupils"],
    ["pa_pupils", "pupils"],
    [ABSENT_PUPILS, "pupils"],
    ["attended_sessions", "possible_sessions"]
  ];
  const atMostOf = (of) => groups.flatMap((g) => pairs.filter(([a, b]) => of.includes(a) && of.includes(b)).map(([a, b]) => ({ a: cellId(g.key, a), b: cellId(g.key, b) })));
  const main = figures.filter((f) => f !== ABSENT_PUPILS);
  const isMain = (cell2) => !cell2.id.endsWith(`|${ABSENT_PUPILS}`);
  const mainCells = cells.filter(isMain);
  const own = [...groups.flatMap((g) => g.absence ? absenceRules(g.absence, (f) => cellId(g.key, f), main) : []), ...options.linear ?? []];
  const absent = has("possible_sessions") && has("attended_sessions") ? absentSessions(groups, sums, own, costOf) : { cells: [], sums: [], linear: [] };
  const planned2 = [...mainCells, ...absent.cells];
  const sumRules = [...sumsOf(main), ...absent.sums];
  const linear = [...own, ...absent.linear];
  const { hidden, rules, complete } = protectWithRules(planned2, sumRules, atMostOf(main), { focused: options.focused, linear, stuck: options.stuck, secondaryWidth: options.secondaryWidth });
  if (options.focused)
    publishWorkedOut(planned2, hidden, complete ? rules : CompiledRules.of(planned2.map((c2) => c2.id), sumRules, atMostOf(main), linear), main);
  for (const cell2 of absent.cells)
    hidden.delete(cell2.id);
  if (has(ABSENT_PUPILS))
    protectAbsent(cells, hidden, sumsOf([ABSENT_PUPILS]), options.focused ?? false);
  const rowReason = (key) => {
    const why = hidden.get(cellId(key, "pupils"));
    return why === void 0 ? null : why === "primary" ? "small" : "secondary";
  };
  return {
    min,
    rowHidden: (key) => hidden.has(cellId(key, "pupils")),
    rowReason,
    hidden: (key, figure) => hidden.has(cellId(key, figure)),
    text: () => WITHHELD_TEXT,
    reason: (key, figure) => hidden.get(cellId(key, figure)) ?? null
  };
}
var absentSessionsId = (key) => `${key}|absent_sessions`;
function absentSessions(groups, sums, linear, costOf) {
  const keys = new Set(groups.filter((g) => g.absence).map((g) => g.key));
  const possible = (key) => cellId(key, "possible_sessions");
  const attended = (key) => cellId(key, "attended_sessions");
  const cells = groups.filter((g) => keys.has(g.key)).map((g) => ({
    id: absentSessionsId(g.key),
    value: g.possible_sessions - g.attended_sessions,
    derivedFrom: [possible(g.key), attended(g.key)],
    cost: costOf(g.key)
  }));
  const rules = cells.map((c2) => ({ total: c2.derivedFrom[0], parts: [c2.derivedFrom[1], c2.id] }));
  for (const sum of sums)
    if (keys.has(sum.total) && sum.parts.every((p) => keys.has(p)))
      rules.push({ total: absentSessionsId(sum.total), parts: sum.parts.map(absentSessionsId) });
  const suffix = "|attended_sessions";
  const onAbsent = (rule) => {
    for (const [from, to] of [["left", "right"], ["right", "left"]]) {
      const a = rule[from].find((t) => t.times === 1 && t.id.endsWith(suffix) && keys.has(t.id.slice(0, -suffix.length)));
      if (!a)
        continue;
      const key = a.id.slice(0, -suffix.length);
      if (!rule[to].some((t) => t.times === 1 && t.id === possible(key)))
        continue;
      return { ...rule, [from]: rule[from].filter((t) => t !== a), [to]: rule[to].map((t) => t.id === possible(key) ? { id: absentSessionsId(key), times: 1 } : t) };
    }
    return null;
  };
  return { cells, sums: rules, linear: linear.map(onAbsent).filter((r) => r !== null) };
}
function protectAbsent(cells, hidden, sums, focused) {
  const absent = cells.filter((c2) => c2.id.endsWith(`|${ABSENT_PUPILS}`));
  const rowHidden = (c2) => hidden.has(c2.id.slice(0, -ABSENT_PUPILS.length) + "pupils");
  const pupilsOf = new Map(cells.filter((c2) => c2.id.endsWith("|pupils")).map((c2) => [c2.id.slice(0, -"pupils".length), c2.value]));
  const second = protect(
    absent.map((c2) => rowHidden(c2) && !c2.primary ? { ...c2, unpublished: true } : rowHidden(c2) ? c2 : { ...c2, ceiling: pupilsOf.get(c2.id.slice(0, -ABSENT_PUPILS.length)) }),
    sums,
    [],
    { focused }
  );
  for (const [id, why] of second)
    if (!hidden.has(id))
      hidden.set(id, why);
  for (const c2 of absent)
    if (rowHidden(c2) && !hidden.has(c2.id))
      hidden.set(c2.id, "secondary");
}
function publishWorkedOut(cells, hidden, rules, figures) {
  const byId = new Map(cells.map((c2) => [c2.id, c2]));
  const look = rules.look();
  cells.forEach((cell2, k) => {
    const why = hidden.get(cell2.id);
    const b = why === void 0 ? { lo: cell2.value, hi: cell2.value } : readerBounds(cell2, why);
    look.isKnown[k] = why === void 0 ? 1 : 0;
    look.lo[k] = b.lo;
    look.hi[k] = b.hi;
  });
  rules.propagate(look);
  const pinned = (id) => {
    const k = rules.index.get(id);
    return look.isKnown[k] === 0 && look.lo[k] === look.hi[k];
  };
  const freeable = (id) => hidden.get(id) === "secondary" && !byId.get(id).unpublished && !byId.get(id).unprinted && pinned(id);
  for (const cell2 of cells) {
    if (!cell2.id.endsWith("|pupils") || !hidden.has(cell2.id))
      continue;
    const key = cell2.id.slice(0, -"|pupils".length);
    const row = figures.map((f) => cellId(key, f)).filter((id) => byId.get(id).linked?.length);
    if (row.every(freeable))
      for (const id of row)
        hidden.delete(id);
  }
  for (const cell2 of cells) {
    if (!/\|(pa|sa|absent)_pupils$/.test(cell2.id) || hidden.has(cell2.id.replace(/\|(pa|sa|absent)_pupils$/, "|pupils")))
      continue;
    if (freeable(cell2.id))
      hidden.delete(cell2.id);
  }
}
var NO_SUPPRESSION = {
  min: 0,
  rowHidden: () => false,
  rowReason: () => null,
  hidden: () => false,
  text: () => ""
};
var groupKey = {
  school: "school",
  year: (y) => `year:${y}`,
  class: (c2) => `class:${c2}`,
  group: (by, value) => `${by}:${value}`,
  rest: (by, value) => `rest:${by}:${value}`
};
function figuresOf(m) {
  return {
    pupils: m.pupils,
    possible_sessions: m.possible_sessions,
    attended_sessions: m.present_sessions + m.aea_sessions,
    pa_pupils: m.pa_pupils,
    sa_pupils: m.sa_pupils
  };
}
var NOTHING_WITHHELD = { row: null, pa: null, sa: null };

// analytics/governor-lattice.ts
var GOVERNOR_UNIT_FILTERS = ["year_group", "reg_group"];
var GOVERNOR_CHARACTERISTIC_FILTERS = COMPARED_DIMENSIONS;
var SCHOOL = "school";
var ALL = "all";
var DFE = "dfe";
var OUTSIDE = "outside";
var yearUnit = (y) => `year:${y}`;
var classUnit = (c2) => `class:${c2}`;
var partUnit = (y, c2) => `year:${y}&class:${c2}`;
var yearPopulationUnit = (y, pop) => `year:${y}&population:${pop}`;
var valueGroup = (d, v) => `${d}:${v}`;
var restGroup = (d, v) => `rest:${d}:${v}`;
var cellKey = (unit, group) => `${unit}|${group}`;
var CLOSED_CELLS = /* @__PURE__ */ new Set([cellKey(SCHOOL, ALL), cellKey(DFE, ALL), cellKey(OUTSIDE, ALL)]);
function structureOf(atoms) {
  const yearPopulations = /* @__PURE__ */ new Map();
  const years = /* @__PURE__ */ new Set();
  const classYears = /* @__PURE__ */ new Map();
  const values = new Map(COMPARED_DIMENSIONS.map((d) => [d, /* @__PURE__ */ new Set()]));
  for (const atom of atoms) {
    years.add(atom.year_group);
    const set = classYears.get(atom.reg_group) ?? /* @__PURE__ */ new Set();
    set.add(atom.year_group);
    classYears.set(atom.reg_group, set);
    for (const d of COMPARED_DIMENSIONS)
      values.get(d).add(atom[d]);
    if (atom.population) {
      const pops = yearPopulations.get(atom.year_group) ?? /* @__PURE__ */ new Set();
      pops.add(atom.population);
      yearPopulations.set(atom.year_group, pops);
    }
  }
  return {
    yearPopulations,
    years: [...years].sort(),
    classes: [...classYears.keys()].sort(),
    classYears,
    values: new Map([...values].map(([d, set]) => [d, [...set].sort()]))
  };
}
var splitByPopulation = (s, year) => isLeaversGroup(year) || (s.yearPopulations.get(year)?.size ?? 0) > 1;
var unitsOfAtom = (s, atom) => {
  const units = [SCHOOL, yearUnit(atom.year_group), classUnit(atom.reg_group)];
  if (s.classYears.get(atom.reg_group).size > 1)
    units.push(partUnit(atom.year_group, atom.reg_group));
  if (atom.population)
    units.push(atom.population === "dfe" ? DFE : OUTSIDE);
  if (atom.population && splitByPopulation(s, atom.year_group))
    units.push(yearPopulationUnit(atom.year_group, atom.population));
  return units;
};
function restOf(s, d, v) {
  const values = s.values.get(d);
  if (!values.includes(v))
    return ALL;
  const others = values.filter((x) => x !== v);
  if (others.length === 0)
    return null;
  if (others.length === 1 && values.includes(v))
    return valueGroup(d, others[0]);
  return restGroup(d, v);
}
var hasGroups = (unit, shape) => shape === "cross" ? unit === SCHOOL : !unit.startsWith("class:") && !unit.includes("&class:");
var groupsOfAtom = (s, atom, unit, shape) => {
  const groups = [ALL];
  if (!hasGroups(unit, shape))
    return groups;
  const rests = shape === "full";
  for (const d of COMPARED_DIMENSIONS) {
    groups.push(valueGroup(d, atom[d]));
    if (rests && s.values.get(d).length > 2) {
      for (const v of s.values.get(d))
        if (v !== atom[d])
          groups.push(restGroup(d, v));
    }
  }
  return groups;
};
function cellsOfAtoms(s, shape) {
  const keys = /* @__PURE__ */ new Map();
  const keyOf = (unit, group) => {
    let byGroup = keys.get(unit);
    if (!byGroup)
      keys.set(unit, byGroup = /* @__PURE__ */ new Map());
    let key = byGroup.get(group);
    if (key === void 0)
      byGroup.set(group, key = cellKey(unit, group));
    return key;
  };
  const names = /* @__PURE__ */ new Map();
  const groupsOf = (atom) => {
    const signature = COMPARED_DIMENSIONS.map((d) => atom[d]).join("\0");
    let groups = names.get(signature);
    if (!groups)
      names.set(signature, groups = groupsOfAtom(s, atom, SCHOOL, shape));
    return groups;
  };
  const only = [ALL];
  return (atom) => {
    const cells = [];
    const groups = groupsOf(atom);
    for (const unit of unitsOfAtom(s, atom))
      for (const group of hasGroups(unit, shape) ? groups : only)
        cells.push(keyOf(unit, group));
    return cells;
  };
}
var ZERO = { pupils: 0, possible_sessions: 0, attended_sessions: 0, pa_pupils: 0, sa_pupils: 0, absent_pupils: 0 };
var CELL_FIGURES = [...SUPPRESSED_FIGURES, ABSENT_PUPILS];
function tableOf(atoms, shape) {
  let byShape = tables.get(atoms);
  if (!byShape)
    tables.set(atoms, byShape = /* @__PURE__ */ new Map());
  let table = byShape.get(shape);
  if (!table)
    byShape.set(shape, table = tableOfCounts(atoms, shape));
  return table;
}
function tableOfCounts(atoms, shape) {
  const key = `${shape}\0${atomsKey2(atoms)}`;
  let table = tablesByCounts.get(key);
  if (table)
    tablesByCounts.delete(key);
  else {
    table = makeTable(atoms, shape);
    if (tablesByCounts.size >= TABLES_KEPT_MAX)
      tablesByCounts.delete(tablesByCounts.keys().next().value);
  }
  tablesByCounts.set(key, table);
  return table;
}
var tablesByCounts = /* @__PURE__ */ new Map();
var TABLES_KEPT_MAX = 200;
var tables = /* @__PURE__ */ new WeakMap();
function makeTable(atoms, shape) {
  const rests = shape === "full";
  const s = structureOf(atoms);
  const counts = /* @__PURE__ */ new Map();
  const absence = /* @__PURE__ */ new Map();
  const owned = /* @__PURE__ */ new Set();
  const cellsOf = cellsOfAtoms(s, shape);
  const width = CELL_FIGURES.length;
  for (const atom of atoms) {
    const figures = {
      ...figuresOf({ ...atom, attendance_pct: null, absence_pct: null, authorised_pct: null, unauthorised_pct: null, pa_pct: null, sa_pct: null }),
      absent_pupils: atom.absent_pupils
    };
    const values = Float64Array.from(CELL_FIGURES, (f) => figures[f]);
    for (const key of cellsOf(atom)) {
      let sum = counts.get(key);
      if (!sum)
        counts.set(key, sum = new Float64Array(width));
      for (let i = 0; i < width; i++)
        sum[i] += values[i];
      const before = absence.get(key);
      if (!before)
        absence.set(key, atom.absence);
      else if (owned.has(key))
        combineAbsenceInto(before, atom.absence);
      else {
        absence.set(key, combineAbsence(before, atom.absence));
        owned.add(key);
      }
    }
  }
  const PUPILS = CELL_FIGURES.indexOf("pupils");
  const POSSIBLE = CELL_FIGURES.indexOf("possible_sessions");
  const present = (key) => (counts.get(key)?.[PUPILS] ?? 0) > 0 || (counts.get(key)?.[POSSIBLE] ?? 0) > 0;
  const sums = [];
  const addSum = (total, parts) => {
    if (!present(total))
      return;
    const kept = parts.filter(present);
    if (kept.length === 0)
      throw new Error(`suppression table: ${total} has pupils but none of its parts do`);
    sums.push({ total, parts: kept });
  };
  const inShape = (unit, group) => group === ALL || hasGroups(unit, shape);
  const unitsOfClassIn = (c2, y) => s.classYears.get(c2).size > 1 ? partUnit(y, c2) : classUnit(c2);
  const columns = /* @__PURE__ */ new Set();
  for (const key of counts.keys())
    columns.add(key.slice(key.indexOf("|") + 1));
  for (const group of columns) {
    if (!inShape(yearUnit(""), group))
      continue;
    addSum(cellKey(SCHOOL, group), s.years.map((y) => cellKey(yearUnit(y), group)));
    if (inShape(classUnit(""), group)) {
      addSum(cellKey(SCHOOL, group), s.classes.map((c2) => cellKey(classUnit(c2), group)));
      for (const y of s.years) {
        addSum(cellKey(yearUnit(y), group), s.classes.filter((c2) => s.classYears.get(c2).has(y)).map((c2) => cellKey(unitsOfClassIn(c2, y), group)));
      }
      for (const c2 of s.classes) {
        if (s.classYears.get(c2).size > 1)
          addSum(cellKey(classUnit(c2), group), [...s.classYears.get(c2)].map((y) => cellKey(partUnit(y, c2), group)));
      }
    }
    if (s.yearPopulations.size > 0) {
      addSum(cellKey(SCHOOL, group), [cellKey(DFE, group), cellKey(OUTSIDE, group)]);
      for (const pop of ["dfe", "outside"]) {
        const parts = s.years.filter((y) => s.yearPopulations.get(y)?.has(pop)).map((y) => cellKey(splitByPopulation(s, y) ? yearPopulationUnit(y, pop) : yearUnit(y), group));
        addSum(cellKey(pop === "dfe" ? DFE : OUTSIDE, group), parts);
      }
      for (const y of s.years.filter((y2) => splitByPopulation(s, y2)))
        addSum(cellKey(yearUnit(y), group), ["dfe", "outside"].map((pop) => cellKey(yearPopulationUnit(y, pop), group)));
    }
  }
  const units = /* @__PURE__ */ new Set();
  for (const key of counts.keys())
    units.add(key.slice(0, key.indexOf("|")));
  for (const unit of units) {
    if (!inShape(unit, valueGroup("sen", "")))
      continue;
    for (const d of COMPARED_DIMENSIONS) {
      const values = s.values.get(d);
      addSum(cellKey(unit, ALL), values.map((v) => cellKey(unit, valueGroup(d, v))));
      if (rests && values.length > 2)
        for (const v of values)
          addSum(cellKey(unit, ALL), [cellKey(unit, valueGroup(d, v)), cellKey(unit, restGroup(d, v))]);
    }
  }
  const groups = [...counts].filter(([key]) => present(key)).map(([key, sum]) => {
    const figures = { ...ZERO };
    CELL_FIGURES.forEach((f, i) => figures[f] = sum[i]);
    const own = absence.get(key);
    const closed = CLOSED_CELLS.has(key);
    return { key, ...figures, absence: closed ? wholeSpanAbsence(own, figures.possible_sessions - figures.attended_sessions) : own };
  });
  return { id: ++tablesMade, structure: s, groups, sums };
}
var tablesMade = 0;
function unitOf(s, filter) {
  const y = filter.year_group;
  const c2 = filter.reg_group;
  if (!c2)
    return y ? yearUnit(y) : SCHOOL;
  if (!y)
    return classUnit(c2);
  const years = s.classYears.get(c2);
  if (!years || !years.has(y))
    return null;
  return years.size > 1 ? partUnit(y, c2) : classUnit(c2);
}
function characteristicOf(filter) {
  const set = GOVERNOR_CHARACTERISTIC_FILTERS.filter((d) => Boolean(filter[d]));
  if (set.length > 1)
    throw new Error(`governors see one characteristic at a time (got ${set.join(", ")})`);
  return set.length === 1 ? [set[0], filter[set[0]]] : null;
}
function assertGovernorFilter(filter) {
  for (const [key, value] of Object.entries(filter)) {
    if (!value)
      continue;
    if (!GOVERNOR_UNIT_FILTERS.includes(key) && !GOVERNOR_CHARACTERISTIC_FILTERS.includes(key)) {
      throw new Error(`governors may not filter by "${key}"`);
    }
  }
}
function withheldOf(plan, key, inTable, figures) {
  const absentPlanned = figures.includes(ABSENT_PUPILS);
  if (!inTable)
    return absentPlanned ? { ...NOTHING_WITHHELD, absent: null } : NOTHING_WITHHELD;
  if (plan.rowHidden(key)) {
    const text3 = plan.text(key, "pupils");
    const known = isLeaversPublic(key, "pupils") ? { pupilsKnown: true } : {};
    return { row: text3, pa: text3, sa: text3, ...absentPlanned ? { absent: text3, absence: text3 } : {}, ...known };
  }
  const text2 = (figure) => !plan.hidden(key, figure) ? null : printedText(plan, key, figure);
  return { row: null, pa: text2("pa_pupils"), sa: text2("sa_pupils"), ...absentPlanned ? { absent: text2(ABSENT_PUPILS), absence: text2("attended_sessions") } : {} };
}
function printedText(plan, key, figure) {
  if (!isUnpublished(key, figure))
    return plan.text(key, figure);
  return figure === "sa_pupils" && (key.startsWith(`${SCHOOL}|`) || key.startsWith(`${DFE}|`)) ? BY_GROUP_TEXT : WITHIN_UNIT_TEXT;
}
function planTable(atoms, min, options) {
  const { structure, groups, sums } = tableOf(atoms, options.shape);
  const known = options.known;
  const forced = options.forced;
  const stuck = /* @__PURE__ */ new Set();
  const plan = planSuppression(groups, sums, min, {
    figures: options.figures,
    costOf: costOfCell,
    focused: true,
    unpublished: isUnpublished,
    unprinted: isUnprinted,
    isPublic: (key, figure) => isLeaversPublic(key, figure) || (known?.has(`${key}|${figure}`) ?? false),
    forced: forced && forced.size > 0 ? (key) => forced.has(key) : void 0,
    stuck,
    linear: closedSumRules(groups, sums, options.figures),
    // A count withheld to protect others keeps as many values as "fewer than min" leaves a
    // small one (1 to min − 1): docs/DEFINITIONS.md "Withheld figures (governors)".
    secondaryWidth: min - 1
  });
  const absentGiven = options.absentGiven === true && options.figures.includes(ABSENT_PUPILS);
  return { structure, groups, sums, plan: absentGiven ? withAbsenceWithheld(plan, absenceWithheld(groups, sums, plan, known)) : plan, stuck };
}
function absenceWithheld(groups, sums, plan, known) {
  const unknown = { lo: 0, hi: Number.POSITIVE_INFINITY };
  const cells = groups.map((g) => {
    const row = plan.rowHidden(g.key);
    const primary = !row && plan.hidden(g.key, ABSENT_PUPILS) && !isUnpublished(g.key, ABSENT_PUPILS);
    return {
      id: g.key,
      value: g.possible_sessions - g.attended_sessions,
      cost: costOfCell(g.key),
      ...primary ? { primary: unknown } : {},
      ...row ? { unpublished: true } : isUnprinted(g.key) ? { unprinted: true } : {},
      // Sessions every reader has (the leavers'; a period's that its half terms add up to:
      // TableOptions.known) are never withheld to protect another.
      ...isLeaversPublic(g.key, "attended_sessions") || !primary && known?.has(`${g.key}|attended_sessions`) ? { public: true } : {}
    };
  });
  const hidden = protect(cells, sums, [], { focused: true });
  return new Set([...hidden.keys()].filter((key) => !plan.rowHidden(key)));
}
function withAbsenceWithheld(plan, cells) {
  if (cells.size === 0)
    return plan;
  const more = (key, figure) => figure === "attended_sessions" && cells.has(key);
  return {
    ...plan,
    hidden: (key, figure) => plan.hidden(key, figure) || more(key, figure),
    reason: (key, figure) => plan.reason?.(key, figure) ?? (more(key, figure) ? "secondary" : null)
  };
}
function closedSumRules(groups, sums, figures) {
  if (!figures.includes("possible_sessions") || !figures.includes("attended_sessions"))
    return [];
  const byKey = new Map(groups.map((g) => [g.key, g]));
  const rules = [];
  for (const sum of sums) {
    if (!CLOSED_CELLS.has(sum.total) || !byKey.has(sum.total))
      continue;
    for (const [figure, least] of [["pa_pupils", "pa_least"], ["sa_pupils", "sa_least"]]) {
      if (!figures.includes(figure))
        continue;
      const parts = sum.parts.flatMap((part) => {
        const times = byKey.get(part)?.absence?.whole?.[least] ?? 0;
        return Number.isFinite(times) ? [{ part, times: Math.max(0, times) }] : [];
      });
      const attended = { id: `${sum.total}|attended_sessions`, times: 1 };
      const possible = { id: `${sum.total}|possible_sessions`, times: 1 };
      for (const times of new Set(parts.map((p) => p.times).filter((t) => t > 0))) {
        const cheaper = parts.filter((p) => p.times < times).map((p) => ({ id: `${p.part}|pupils`, times: times - p.times }));
        if (cheaper.length > 0)
          rules.push({ left: [{ id: `${sum.total}|${figure}`, times }, attended], right: [possible, ...cheaper] });
      }
    }
  }
  return rules;
}
function latticeView(table, min, options, rowsWithheld = /* @__PURE__ */ new Set()) {
  if (rowsWithheld.size > 0)
    return makeLatticeView(table, min, options, rowsWithheld);
  const key = `${min}\0${options.shape}\0${options.figures.join(",")}`;
  let views = viewsOfTable.get(table);
  if (!views)
    viewsOfTable.set(table, views = /* @__PURE__ */ new Map());
  let view = views.get(key);
  if (!view)
    views.set(key, view = makeLatticeView(table, min, options, rowsWithheld));
  return view;
}
var viewsOfTable = /* @__PURE__ */ new WeakMap();
function makeLatticeView(table, min, options, rowsWithheld) {
  const { structure, groups, sums } = table;
  const plan = rowsWithheld.size > 0 ? withRowsWithheld(table.plan, rowsWithheld) : table.plan;
  const inTable = new Set(groups.map((g) => g.key));
  const lookup = (unit, group) => {
    if (unit === null || group === null)
      return NOTHING_WITHHELD;
    const key = cellKey(unit, group);
    if (group !== ALL && !hasGroups(unit, options.shape)) {
      if (options.shape === "full")
        return withinClass(options.figures);
      throw new Error("a breakdown by period gives governors one filter at a time: a year group or class, or a characteristic");
    }
    return withheldOf(plan, key, inTable.has(key), options.figures);
  };
  return {
    min,
    shape: options.shape,
    withheld(filter) {
      assertGovernorFilter(filter);
      const characteristic = characteristicOf(filter);
      const unit = unitOf(structure, filter);
      const group = characteristic ? valueGroup(...characteristic) : ALL;
      if (characteristic && unit !== null && !inTable.has(cellKey(unit, group)) && hasGroups(unit, options.shape))
        return emptyWithheld(options.figures);
      if (!characteristic && (unit === null || unit !== SCHOOL && !inTable.has(cellKey(unit, ALL))))
        return emptyWithheld(options.figures);
      return lookup(unit, group);
    },
    restWithheld(filter, dimension, value) {
      assertGovernorFilter(filter);
      if (options.shape !== "full")
        throw new Error("the rest of a unit beside a characteristic is planned over a whole span only");
      if (characteristicOf(filter))
        throw new Error("the rest of a characteristic's value is read without a characteristic filter");
      return lookup(unitOf(structure, filter), restOf(structure, dimension, value));
    },
    suppression: plan,
    cells: groups,
    sums,
    asGroupPlan(basis) {
      const cellOf = (key) => groupKeyCell(structure, key, basis);
      const shown = (key) => inTable.has(key);
      return {
        min,
        rowHidden: (key) => shown(cellOf(key)) && plan.rowHidden(cellOf(key)),
        rowReason: (key) => shown(cellOf(key)) ? plan.rowReason(cellOf(key)) : null,
        hidden: (key, figure) => shown(cellOf(key)) && plan.hidden(cellOf(key), figure),
        // The pages' words (printedText): a pupil group's severe absence read "withheld" here,
        // as a small count would, where the pages say "not given for a pupil group".
        text: (key, figure) => printedText(plan, cellOf(key), figure)
      };
    }
  };
}
function emptyWithheld(figures) {
  const text2 = WITHHELD_TEXT;
  return { row: text2, pa: text2, sa: text2, ...figures.includes(ABSENT_PUPILS) ? { absent: text2, absence: text2 } : {} };
}
function withRowsWithheld(plan, rows) {
  return {
    min: plan.min,
    rowHidden: (key) => plan.rowHidden(key) || rows.has(key),
    rowReason: (key) => plan.rowReason(key) ?? (rows.has(key) ? "secondary" : null),
    hidden: (key, figure) => plan.hidden(key, figure) || rows.has(key),
    text: (key, figure) => rows.has(key) && !plan.rowHidden(key) ? WITHHELD_TEXT : plan.text(key, figure),
    reason: (key, figure) => plan.reason?.(key, figure) ?? (rows.has(key) ? "secondary" : null)
  };
}
function groupKeyCell(s, key, basis) {
  if (key === SCHOOL)
    return cellKey(SCHOOL, ALL);
  if (key === DFE)
    return cellKey(DFE, ALL);
  if (key === "rest:population")
    return cellKey(OUTSIDE, ALL);
  const unit = basis === "dfe" ? DFE : SCHOOL;
  const dimension = (name) => COMPARED_DIMENSIONS.includes(name) ? name : null;
  let match = /^(year|class):(.+)$/.exec(key);
  if (match && basis === "whole-roll")
    return cellKey(match[1] === "year" ? yearUnit(match[2]) : classUnit(match[2]), ALL);
  match = /^rest:([a-z_]+):(.*)$/.exec(key);
  if (match && dimension(match[1]))
    return cellKey(unit, restOf(s, dimension(match[1]), match[2]) ?? `${ALL}:none`);
  match = /^([a-z_]+):(.*)$/.exec(key);
  if (match && dimension(match[1]))
    return cellKey(unit, valueGroup(dimension(match[1]), match[2]));
  throw new Error(`no cell of the governors' table for "${key}" (${basis})`);
}
function costOfCell(key) {
  if (key === cellKey(SCHOOL, ALL))
    return 1e6;
  if (key === cellKey(DFE, ALL))
    return 1e5;
  if (key.startsWith(`${DFE}|`))
    return 5e3;
  if (key.startsWith(`${SCHOOL}|`) && !key.includes("|rest:"))
    return 1e4;
  if (key.endsWith(`|${ALL}`))
    return 1e3;
  return key.includes("|rest:") ? 0 : 1;
}
var isCharacteristicCell = (key) => !key.endsWith(`|${ALL}`);
function isUnpublished(key, figure) {
  if (figure === ABSENT_PUPILS) {
    if (key.startsWith(`${DFE}|`) || key.startsWith(`${OUTSIDE}|`) || key.includes("|rest:"))
      return true;
    return !key.startsWith(`${SCHOOL}|`) && !key.endsWith(`|${ALL}`);
  }
  if (figure !== "pa_pupils" && figure !== "sa_pupils")
    return false;
  if (figure === "sa_pupils" && isCharacteristicCell(key))
    return true;
  return !key.startsWith(`${SCHOOL}|`) && !key.startsWith(`${DFE}|`) && !key.endsWith(`|${ALL}`);
}
var DFE_PRINTED_DIMENSIONS = ["fsm", "sen", "eal", "sex"];
function isUnprinted(key) {
  if (key.startsWith(`${OUTSIDE}|`))
    return true;
  const part = /^year:([^|&]*)&population:(dfe|outside)\|(.*)$/.exec(key);
  if (part)
    return isLeaversGroup(part[1]) || part[2] !== "dfe" || !DFE_PRINTED_DIMENSIONS.some((d) => part[3].startsWith(`${d}:`));
  if (!key.startsWith(`${DFE}|`))
    return false;
  const group = key.slice(DFE.length + 1);
  if (group === ALL)
    return false;
  return group.startsWith("rest:") || !DFE_PRINTED_DIMENSIONS.some((d) => group.startsWith(`${d}:`));
}
function isLeaversPublic(key, figure) {
  if (figure !== "pupils" && figure !== "possible_sessions" && figure !== "attended_sessions")
    return false;
  const bar = key.indexOf("|");
  const unit = key.slice(0, bar);
  const group = key.slice(bar + 1);
  const unitIsLeavers = unit.split("&").some((part) => (part.startsWith("year:") || part.startsWith("class:")) && isLeaversGroup(part.slice(part.indexOf(":") + 1)));
  const groupIsLeavers = group !== ALL && !group.startsWith("rest:") && isLeaversGroup(group.slice(group.indexOf(":") + 1));
  return unitIsLeavers || groupIsLeavers;
}
var WITHIN_UNIT_TEXT = "not given for a group within a year group or class";
var BY_GROUP_TEXT = "not given for a pupil group";
var WITHIN_CLASS_TEXT = "not given for a pupil group within a class";
function withinClass(figures) {
  const text2 = WITHIN_CLASS_TEXT;
  return { row: text2, pa: text2, sa: text2, ...figures.includes(ABSENT_PUPILS) ? { absent: text2 } : {} };
}
function publishedFigures(by) {
  if (by === null)
    return CELL_FIGURES;
  return by === "term" || by === "academic_year" ? SUPPRESSED_FIGURES : ["pupils", "possible_sessions", "attended_sessions"];
}
var planned = /* @__PURE__ */ new Map();
var PLANNED_MAX = 500;
function forgetKeptPlans() {
  planned.clear();
  tablesByCounts.clear();
  forgetProtectRuns();
  forgetYearRows();
}
function planOnce(atoms, min, options) {
  const table = tableOf(atoms, options.shape);
  const forced = options.forced && options.forced.size > 0 ? JSON.stringify([...options.forced].sort()) : "[]";
  const key = `${table.id}\0${JSON.stringify([min, options.shape, options.figures, options.absentGiven ?? false])}\0${knownKey(options.known)}\0${forced}`;
  let plan = planned.get(key);
  if (plan) {
    planned.delete(key);
  } else {
    plan = planTable(atoms, min, options);
    if (planned.size >= PLANNED_MAX)
      planned.delete(planned.keys().next().value);
  }
  planned.set(key, plan);
  return plan;
}
function knownKey(known) {
  if (!known || known.size === 0)
    return "[]";
  let key = knownKeys.get(known);
  if (key === void 0)
    knownKeys.set(known, key = JSON.stringify([...known].sort()));
  return key;
}
var knownKeys = /* @__PURE__ */ new WeakMap();
function atomsKey2(atoms) {
  let key = atomKeys.get(atoms);
  if (key === void 0)
    atomKeys.set(atoms, key = JSON.stringify(atoms.map(({ period: _period, ...rest }) => Object.values(rest))));
  return key;
}
var atomKeys = /* @__PURE__ */ new WeakMap();
function byPopulation(whole, dfe) {
  const keyOf = (a) => JSON.stringify([a.period, a.year_group, a.reg_group, ...COMPARED_DIMENSIONS.map((d) => a[d])]);
  const inside = new Map(dfe.map((a) => [keyOf(a), a]));
  const result = [];
  for (const atom of whole) {
    const key = keyOf(atom);
    const part = inside.get(key);
    inside.delete(key);
    const kept = (a) => a.pupils > 0 || a.possible_sessions > 0;
    if (part && kept(part))
      result.push({ ...part, population: "dfe" });
    const rest = { ...atom, population: "outside" };
    for (const f of ATOM_COUNT_FIELDS) {
      rest[f] = atom[f] - (part ? part[f] : 0);
      if (rest[f] < 0)
        throw new Error("DfE population atoms exceed the whole roll's: not the same query");
    }
    if (part) {
      const restAbsent = rest.authorised_sessions + rest.unauthorised_sessions;
      const uncounted = atom.absence.uncounted_absent - part.absence.uncounted_absent;
      const wholeCounted = atom.absence.whole && part.absence.whole ? atom.absence.whole.counted_absent - part.absence.whole.counted_absent : -1;
      rest.absence = {
        ...atom.absence,
        uncounted_absent: uncounted >= 0 && uncounted <= restAbsent ? uncounted : restAbsent,
        whole: wholeCounted >= 0 ? { ...atom.absence.whole, counted_absent: wholeCounted } : void 0
      };
    }
    if (kept(rest))
      result.push(rest);
  }
  if (inside.size > 0)
    throw new Error("a DfE population atom has no whole-roll atom: not the same query");
  return result;
}
function withheldInHalfTerms(halves) {
  return withheldRows(halves);
}
async function halfTermPlans(connection, span, min) {
  const all = await halfTermsOf(connection);
  const inside = halfTermsInside(all, span);
  if (inside.length === 0 || inside.length === 1 && isWholeHalfTerms(all, span))
    return [];
  const result = [];
  for (const half of inside) {
    const plan = (await governorLattice(connection, { from: half.from, to: half.to }, null, min, "full")).get("");
    if (plan)
      result.push({ half, plan });
  }
  return result;
}
function withheldRows(halves) {
  const rows = /* @__PURE__ */ new Set();
  for (const { plan } of halves) {
    for (const cell2 of plan.cells)
      if (plan.suppression.hidden(cell2.key, "attended_sessions"))
        rows.add(cell2.key);
  }
  return rows;
}
var SESSION_FIGURES = ["possible_sessions", "attended_sessions"];
function sessionsKnownIn({ plan }) {
  let result = knownOfPlan.get(plan);
  if (!result)
    knownOfPlan.set(plan, result = workSessionsKnownIn(plan));
  return result;
}
var knownOfPlan = /* @__PURE__ */ new WeakMap();
function cellKeysOf(plan) {
  let keys = cellKeysOfPlan.get(plan);
  if (!keys)
    cellKeysOfPlan.set(plan, keys = new Set(plan.cells.map((c2) => c2.key)));
  return keys;
}
var cellKeysOfPlan = /* @__PURE__ */ new WeakMap();
function workSessionsKnownIn(plan) {
  const known = /* @__PURE__ */ new Map();
  const withheld2 = /* @__PURE__ */ new Map();
  const atMost = [];
  for (const cell2 of plan.cells) {
    const rowOut = plan.suppression.rowHidden(cell2.key);
    for (const f of SESSION_FIGURES) {
      const id = `${cell2.key}|${f}`;
      const out = rowOut || plan.suppression.hidden(cell2.key, f);
      if (out)
        withheld2.set(id, { lo: 0, hi: Number.POSITIVE_INFINITY });
      else
        known.set(id, cell2[f]);
    }
    atMost.push({ a: `${cell2.key}|attended_sessions`, b: `${cell2.key}|possible_sessions` });
  }
  const sums = plan.sums.flatMap((sum) => SESSION_FIGURES.map((f) => ({ total: `${sum.total}|${f}`, parts: sum.parts.map((part) => `${part}|${f}`) })));
  const result = new Set(known.keys());
  if (withheld2.size > 0) {
    for (const [id, b] of inferBounds(known, withheld2, sums, atMost))
      if (b.lo === b.hi)
        result.add(id);
  }
  return result;
}
function knownFromHalfTerms(halves, cells) {
  let byHalves = knownOfCells.get(cells);
  if (!byHalves)
    knownOfCells.set(cells, byHalves = /* @__PURE__ */ new Map());
  const key = halves.map((h) => planNumber(h.plan)).join(",");
  let known = byHalves.get(key);
  if (!known)
    byHalves.set(key, known = workKnownFromHalfTerms(halves, cells.map((c2) => c2.key)));
  return known;
}
var knownOfCells = /* @__PURE__ */ new WeakMap();
function planNumber(plan) {
  let n = planNumbers.get(plan);
  if (n === void 0)
    planNumbers.set(plan, n = ++plansNumbered);
  return n;
}
var planNumbers = /* @__PURE__ */ new WeakMap();
var plansNumbered = 0;
function workKnownFromHalfTerms(halves, keys) {
  const inHalf = halves.map((h) => ({ cells: cellKeysOf(h.plan), known: sessionsKnownIn(h) }));
  const knownIn = (h, key, f) => {
    if (h.cells.has(key))
      return h.known.has(`${key}|${f}`);
    const bar = key.indexOf("|");
    const rest = /^rest:(.+)$/.exec(key.slice(bar + 1));
    if (!rest)
      return true;
    const unit = key.slice(0, bar);
    return knownIn(h, cellKey(unit, ALL), f) && knownIn(h, cellKey(unit, rest[1]), f);
  };
  const result = /* @__PURE__ */ new Set();
  for (const key of keys)
    for (const f of SESSION_FIGURES)
      if (inHalf.every((h) => knownIn(h, key, f)))
        result.add(`${key}|${f}`);
  return result;
}
async function planWholeSpan(connection, query, min, shape, halves, forced, stuck) {
  const atoms = await spanAtoms(connection, query, shape);
  if (atoms.length === 0)
    return void 0;
  const measured = persistentAbsenceMeasured((await schoolDaysOf(connection, { from: query.from, to: query.to })).length);
  const known = halves.length > 0 ? knownFromHalfTerms(halves, tableOf(atoms, shape).groups) : void 0;
  const options = { shape, figures: publishedFigures(null), absentGiven: !measured, known, forced: shape === "full" ? forced : void 0 };
  const rows = withheldInHalfTerms(halves);
  if (shape !== "full")
    for (const key of forced)
      rows.add(key);
  const table = planOnce(atoms, min, options);
  for (const id of table.stuck)
    stuck?.add(id.slice(0, id.lastIndexOf("|")));
  return latticeView(table, min, options, rows);
}
function spanAtoms(connection, query, shape) {
  return keptWork(connection, spanAtomsKept, SPAN_ATOMS_KEPT_MAX, `spanAtoms\0${query.from}|${query.to}|${shape}`, async () => {
    const derived = await spanAtomsFromYear(connection, query);
    if (derived)
      return shape === "full" ? populationsOf(derived) : derived.whole;
    const span = governorQuery({ from: query.from, to: query.to });
    const whole = await summariseAtoms(connection, span);
    return shape === "full" ? byPopulation(whole, await summariseAtoms(connection, { ...span, population: "dfe" })) : whole;
  });
}
var spanAtomsKept = /* @__PURE__ */ new Map();
var SPAN_ATOMS_KEPT_MAX = 64;
function populationsOf(derived) {
  let atoms = populationsOfDerived.get(derived);
  if (!atoms)
    populationsOfDerived.set(derived, atoms = byPopulation(derived.whole, derived.dfe));
  return atoms;
}
var populationsOfDerived = /* @__PURE__ */ new WeakMap();
function prefetchSpanAtoms(connection, all, half) {
  if (!keepsWork(connection))
    return;
  const before = all.filter((h) => h.academicYear === half.academicYear && h.from <= half.from);
  for (const h of before) {
    void spanAtoms(connection, { from: h.from, to: h.to }, "full").catch(() => void 0);
    for (const same of [(x) => x.term === h.term, () => true]) {
      const upTo = before.filter((x) => same(x) && x.from <= h.from);
      if (upTo.length >= 2)
        void spanAtoms(connection, { from: upTo[0].from, to: h.to }, "full").catch(() => void 0);
    }
  }
}
function forcedRows(connection, half, min) {
  return keptWork(connection, forcedKept, FORCED_KEPT_MAX, `forced\0${half.key}|${half.from}|${half.to}|${min}`, () => findForcedRows(connection, half, min));
}
var forcedKept = /* @__PURE__ */ new Map();
var FORCED_KEPT_MAX = 200;
async function findForcedRows(connection, half, min) {
  const all = await halfTermsOf(connection);
  prefetchSpanAtoms(connection, all, half);
  const upTo = (same) => all.filter((h) => same(h) && h.from <= half.from);
  const periods = [upTo((h) => h.term === half.term), upTo((h) => h.academicYear === half.academicYear)].filter((hs) => hs.length >= 2).filter((hs, i, list) => list.findIndex((other) => other[0].key === hs[0].key && other.length === hs.length) === i);
  const forced = /* @__PURE__ */ new Set();
  if (periods.length === 0)
    return forced;
  const earlier = /* @__PURE__ */ new Map();
  for (const hs of periods) {
    for (const h of hs) {
      if (h.key === half.key || earlier.has(h.key))
        continue;
      const plan = (await governorLattice(connection, { from: h.from, to: h.to }, null, min, "full")).get("");
      if (plan)
        earlier.set(h.key, { half: h, plan });
    }
  }
  const absentGiven = /* @__PURE__ */ new Map();
  for (const hs of periods)
    absentGiven.set(hs, !persistentAbsenceMeasured((await schoolDaysOf(connection, { from: hs[0].from, to: half.to })).length));
  for (let round = 0; round < FORCE_ROUNDS; round++) {
    const own = await planWholeSpan(connection, { from: half.from, to: half.to }, min, "full", [], forced);
    if (!own)
      return forced;
    const ownHalf = { half, plan: own };
    let added = false;
    for (const hs of periods) {
      const halves = hs.flatMap((h) => h.key === half.key ? [ownHalf] : earlier.has(h.key) ? [earlier.get(h.key)] : []);
      const stuck = /* @__PURE__ */ new Set();
      const period = await planWholeSpan(connection, { from: hs[0].from, to: half.to }, min, "full", halves, /* @__PURE__ */ new Set(), stuck);
      if (!period)
        continue;
      const known = knownFromHalfTerms(halves, period.cells);
      const schoolKey = cellKey(SCHOOL, ALL);
      const school = own.cells.find((c2) => c2.key === schoolKey);
      const dropped = [.../* @__PURE__ */ new Set([...wordsDropped(period, min, absentGiven.get(hs)), ...stuck])].filter((key) => !forced.has(key) && SESSION_FIGURES.every((f) => known.has(`${key}|${f}`))).map((key) => own.cells.find((c2) => c2.key === key)).filter((c2) => c2 !== void 0 && !own.suppression.rowHidden(c2.key));
      const wholeSchool = (c2) => c2.key === schoolKey || c2.possible_sessions === school?.possible_sessions;
      const candidates2 = dropped.filter((c2) => !wholeSchool(c2)).sort((a, b) => costOfCell(a.key) - costOfCell(b.key) || a.pupils - b.pupils || a.key.localeCompare(b.key));
      const choice = candidates2[0]?.key ?? (dropped.some(wholeSchool) && school && !forced.has(schoolKey) && !own.suppression.rowHidden(schoolKey) ? schoolKey : void 0);
      if (choice) {
        forced.add(choice);
        added = true;
      }
    }
    if (!added)
      break;
  }
  return forced;
}
var FORCE_ROUNDS = 8;
function wordsDropped(plan, min, absentGiven) {
  const keys = [];
  const counts = absentGiven ? ["pupils", "pa_pupils", "sa_pupils", ABSENT_PUPILS] : ["pupils", "pa_pupils", "sa_pupils"];
  for (const cell2 of plan.cells) {
    if (isUnprinted(cell2.key))
      continue;
    const small = counts.some(
      (f) => isSmallCount(cell2[f] ?? 0, min) && !isUnpublished(cell2.key, f) && plan.suppression.reason?.(cell2.key, f) === "secondary"
    );
    if (small)
      keys.push(cell2.key);
  }
  return keys;
}
var cache = /* @__PURE__ */ new WeakMap();
function governorLattice(connection, query, by, min, shape = by === null ? "full" : "cross") {
  let plans = cache.get(connection);
  if (!plans) {
    plans = /* @__PURE__ */ new Map();
    cache.set(connection, plans);
  }
  const key = `${query.from}|${query.to}|${by ?? ""}|${min}|${shape}`;
  let made = plans.get(key);
  if (!made) {
    made = (async () => {
      if (by === null) {
        const all = await halfTermsOf(connection);
        const inside = halfTermsInside(all, query);
        const single = inside.length === 1 && isWholeHalfTerms(all, query);
        const forced = single ? await forcedRows(connection, inside[0], min) : /* @__PURE__ */ new Set();
        const halves = single ? [] : await halfTermPlans(connection, query, min);
        const plan = await planWholeSpan(connection, query, min, shape, halves, forced);
        return new Map(plan ? [["", plan]] : []);
      }
      const span = governorQuery({ from: query.from, to: query.to });
      const atoms = await summariseAtoms(connection, span, by);
      const byPeriod = /* @__PURE__ */ new Map();
      for (const atom of atoms) {
        const list = byPeriod.get(atom.period) ?? [];
        list.push(atom);
        byPeriod.set(atom.period, list);
      }
      const options = { shape, figures: publishedFigures(by) };
      return new Map([...byPeriod].map(([period, list]) => [period, latticeView(planOnce(list, min, options), min, options)]));
    })();
    made.catch(() => plans.delete(key));
    plans.set(key, made);
  }
  return made;
}
async function governorSlicePlans(connection, span, min) {
  const halves = (await halfTermsOf(connection)).filter((h) => h.from <= span.to && h.to >= span.from);
  prefetchFewest(connection, halves, min);
  const result = [];
  for (const half of halves)
    result.push({ half, plan: await slicePlanOf(connection, half, min) });
  return result;
}
var slicePlans = /* @__PURE__ */ new Map();
var SLICE_PLANS_MAX = 200;
var SLICE_FIGURES = ["pupils", "possible_sessions", "attended_sessions"];
var slicePlanKey = (half, min) => `slicePlan\0${half.key}|${half.from}|${half.to}|${min}`;
function slicePlanOf(connection, half, min) {
  return keptWork(connection, slicePlans, SLICE_PLANS_MAX, slicePlanKey(half, min), () => planSlices(connection, half, min));
}
var SLICE_SETS = [[], ["year_group"], ["reg_group"], ["year_group", "reg_group"], ...COMPARED_DIMENSIONS.map((d) => [d])];
var fewestKept = /* @__PURE__ */ new Map();
var FEWEST_KEPT_MAX = 200;
var fewestKey = (half) => `fewestOnADay\0${half.key}|${half.from}|${half.to}`;
function fewestOf(connection, half) {
  return keptWork(connection, fewestKept, FEWEST_KEPT_MAX, fewestKey(half), () => fewestPupilsOnADay(connection, governorQuery({ from: half.from, to: half.to }), SLICE_SETS));
}
function prefetchFewest(connection, halves, min) {
  if (!keepsWork(connection))
    return;
  const missing = halves.filter((h) => keptAlready(connection, slicePlans, slicePlanKey(h, min)) === void 0 && keptAlready(connection, fewestKept, fewestKey(h)) === void 0);
  if (missing.length < 2)
    return;
  const all = fewestPupilsOnADays(connection, missing.map((h) => governorQuery({ from: h.from, to: h.to })), SLICE_SETS);
  all.catch(() => void 0);
  missing.forEach((h, i) => void keptWork(connection, fewestKept, FEWEST_KEPT_MAX, fewestKey(h), () => all.then((each) => each[i])).catch(() => void 0));
}
async function planSlices(connection, half, min) {
  const span = governorQuery({ from: half.from, to: half.to });
  const whole = await spanAtoms(connection, { from: half.from, to: half.to }, "cross");
  const { structure, groups, sums } = tableOf(whole, "cross");
  const fewest = /* @__PURE__ */ new Map();
  const sets = SLICE_SETS;
  for (const { set, values, fewest: present, fewestAbsent } of await fewestOf(connection, half)) {
    const pupils = fewestAbsent > 0 ? Math.min(present, fewestAbsent) : present;
    const by = sets[set];
    let key;
    if (by.length === 0)
      key = cellKey(SCHOOL, ALL);
    else if (by.length === 2)
      key = (structure.classYears.get(values[1])?.size ?? 0) > 1 ? cellKey(partUnit(values[0], values[1]), ALL) : null;
    else if (by[0] === "year_group")
      key = cellKey(yearUnit(values[0]), ALL);
    else if (by[0] === "reg_group")
      key = cellKey(classUnit(values[0]), ALL);
    else
      key = cellKey(SCHOOL, valueGroup(by[0], values[0]));
    if (key !== null)
      fewest.set(key, pupils);
  }
  const own = (await governorLattice(connection, span, null, min, "full")).get("");
  const withheldOver = (key) => own !== void 0 && own.suppression.hidden(key, "attended_sessions");
  const unknown = { lo: 0, hi: Number.POSITIVE_INFINITY };
  const hidden = protect(
    groups.map((g) => {
      const small = (fewest.get(g.key) ?? 0) > 0 && fewest.get(g.key) < min;
      return { id: g.key, value: g.pupils, cost: costOfCell(g.key), ...small || withheldOver(g.key) ? { primary: unknown } : {} };
    }),
    sums,
    [],
    { focused: true }
  );
  const plan = {
    min,
    rowHidden: (key) => hidden.has(key),
    rowReason: (key) => hidden.has(key) ? "secondary" : null,
    hidden: (key) => hidden.has(key),
    text: () => WITHHELD_TEXT,
    reason: (key) => hidden.get(key) ?? null
  };
  return latticeView({ structure, groups, sums, plan, stuck: /* @__PURE__ */ new Set() }, min, { shape: "cross", figures: SLICE_FIGURES });
}

// analytics/pupil-name.ts
function pupilListName(pupil) {
  return `${pupil.surname}, ${pupil.forename}`;
}

// analytics/unmarked-days.ts
import { format as format12, parseISO as parseISO12 } from "date-fns";

// analytics/one-pupil-coverage.ts
async function schoolDays(connection) {
  return (await cachedRowsToRead(connection, SCHOOL_YEARS_SQL)).map((r) => r.date);
}
async function marksByDay(connection, upn) {
  return new Map((await onePupilDays(connection, upn)).map((d) => [d.date, Number(d.marks)]));
}
function heldSessions(day2, due, last) {
  if (!sessionDue(due, day2, false) || day2 > last.last_marked)
    return 0;
  return (day2 < last.last_marked || last.last_pm) && sessionDue(due, day2, true) ? 2 : 1;
}
function unmarkedDay(day2, marks, due, last) {
  return day2 <= last.last_marked && sessionDue(due, day2, false) && marks < heldSessions(day2, due, last);
}
async function onePupilUnmarkedDays(connection, upn, roll, span, due, last) {
  if (!roll || roll.admission_date > span.to || roll.leaving_date !== null && roll.leaving_date < span.from)
    return 0;
  const from = roll.admission_date > span.from ? roll.admission_date : span.from;
  const to = roll.leaving_date !== null && roll.leaving_date < span.to ? roll.leaving_date : span.to;
  const [days, marks] = await Promise.all([schoolDays(connection), marksByDay(connection, upn)]);
  let count2 = 0;
  for (const day2 of days)
    if (day2 >= from && day2 <= to && unmarkedDay(day2, marks.get(day2) ?? 0, due, last))
      count2 += 1;
  return count2;
}

// analytics/unmarked-days.ts
var LAST_MARKED_SQL = `(SELECT l.last_marked, coalesce((SELECT bool_or(s.pm) FROM mark_store s WHERE s.date = l.last_marked), false) AS last_pm
   FROM (SELECT coalesce(max(date), DATE '1900-01-01') AS last_marked FROM mark_days) l)`;
async function lastMarkedParams(connection) {
  const last = await lastMarkedDay(connection);
  return last ? { last_marked: last.date, last_pm: !last.morningOnly } : { last_marked: "1900-01-01", last_pm: false };
}
function unmarkedDaySql(day2, marks, last) {
  return `(${day2} <= ${last}.last_marked AND ${dueSessionSql(day2, "FALSE")} AND coalesce(${marks}, 0) < ${heldSessionsSql(day2, last)})`;
}
function heldSessionsSql(day2, last) {
  return `(CASE WHEN NOT ${dueSessionSql(day2, "FALSE")} OR ${day2} > ${last}.last_marked THEN 0
                WHEN (${day2} < ${last}.last_marked OR ${last}.last_pm) AND ${dueSessionSql(day2, "TRUE")} THEN 2 ELSE 1 END)`;
}
function unmarkedDaysCte(scope, last = LAST_MARKED_SQL) {
  return `unmarked AS (
       SELECT s.pupil_id, count(*)::INTEGER AS unmarked_days
       FROM (SELECT DISTINCT pupil_id, admission_date, leaving_date FROM ${scope}) s
       JOIN school_days d
         ON d.date BETWEEN greatest(s.admission_date, $from::DATE) AND least(coalesce(s.leaving_date, $to::DATE), $to::DATE)
       CROSS JOIN ${last} r
       LEFT JOIN mark_days md ON md.pupil_id = s.pupil_id AND md.date = d.date
       WHERE ${unmarkedDaySql("d.date", "md.marks", "r")}
       GROUP BY s.pupil_id)`;
}
async function marksImported(connection, period, today) {
  const row = await cachedOne(
    connection,
    `SELECT CASE WHEN r.last_marked > DATE '1900-01-01' THEN strftime(r.last_marked, '%Y-%m-%d') END AS last_marked,
            (SELECT count(*) FROM school_days d
             WHERE d.date > r.last_marked AND d.date < $today::DATE AND d.date BETWEEN $from::DATE AND $to::DATE)::INTEGER AS since
     FROM ${LAST_MARKED_SQL} r`,
    { from: period.from, to: period.to, today }
  );
  if (!row?.last_marked || Number(row.since) < 1)
    return null;
  const since = Number(row.since);
  return {
    lastMarked: row.last_marked,
    schoolDaysSince: since,
    // A period over before today counts only its own days since (November's 21, where the
    // register is 23 school days behind today): said as the period's, not as the whole gap (trial22b).
    words: `Marks imported up to ${format12(parseISO12(row.last_marked), "EEE d MMM yyyy")}; ${period.to < today ? since === 1 ? "this period's school day since has" : `this period's ${since.toLocaleString("en-GB")} school days since have` : since === 1 ? "the school day since has" : `the ${since.toLocaleString("en-GB")} school days since have`} none yet \u2014 import the latest register.`
  };
}
async function marksImportedNotes(connection, period, today) {
  const behind = await marksImported(connection, period, today);
  return behind ? [behind.words] : [];
}
async function unmarkedDaysByPupil(connection, period, due, upn) {
  if (upn !== void 0) {
    const count2 = await onePupilUnmarkedDays(connection, upn, await onePupilRoll(connection, upn), period, due, await lastMarkedParams(connection));
    return new Map(count2 > 0 ? [[upn, count2]] : []);
  }
  const params = { from: period.from, to: period.to, ...dueParams(due) };
  const rows = await cachedRows(
    connection,
    `WITH scope AS (
       SELECT k.pupil_id, p.admission_date, p.leaving_date FROM pupils p JOIN pupil_ids k USING (upn)
       WHERE p.admission_date <= $to::DATE AND (p.leaving_date IS NULL OR p.leaving_date >= $from::DATE)),
     ${unmarkedDaysCte("scope", LAST_MARKED_SQL)}
     SELECT k.upn, u.unmarked_days FROM unmarked u JOIN pupil_ids k USING (pupil_id)`,
    params
  );
  return new Map(rows.map((row) => [String(row.upn), Number(row.unmarked_days)]));
}
async function lastMarkedDay(connection) {
  const row = await cachedOne(
    connection,
    `SELECT CASE WHEN r.last_marked > DATE '1900-01-01' THEN strftime(r.last_marked, '%Y-%m-%d') END AS last_marked, r.last_pm FROM ${LAST_MARKED_SQL} r`
  );
  return row?.last_marked ? { date: String(row.last_marked), morningOnly: !row.last_pm } : null;
}
async function markedPartOf(connection, period, today) {
  const behind = await marksImported(connection, period, today);
  if (!behind || behind.lastMarked < period.from || behind.lastMarked >= period.to)
    return { from: period.from, to: period.to };
  return { from: period.from, to: behind.lastMarked };
}

// analytics/packs/slt.ts
import { addDays as addDays6, format as format16, parseISO as parseISO16 } from "date-fns";
import { enGB as enGB6 } from "date-fns/locale";

// analytics/lanes.ts
var PACK_LANES = 2;
async function inLanes(connection, parts, lanes = PACK_LANES) {
  const results = new Array(parts.length);
  let next = 0;
  let failure = null;
  const run = async (on) => {
    while (failure === null && next < parts.length) {
      const index = next++;
      try {
        results[index] = await parts[index](on);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const siblings = [];
  try {
    for (let i = 1; i < Math.min(lanes, parts.length); i++) {
      const sibling = await siblingConnection(connection);
      if (sibling === null)
        break;
      siblings.push(sibling);
    }
    await Promise.all([run(connection), ...siblings.map(run)]);
  } finally {
    for (const sibling of siblings)
      closeSiblingConnection(sibling);
  }
  if (failure !== null)
    throw failure.error;
  return results;
}
function firstRun(part) {
  let result;
  return (connection) => result ??= part(connection);
}

// analytics/n-code-age.ts
function nCodeAgeSql(asOf) {
  const sql = `
    n_age_days AS (
      SELECT date FROM school_days WHERE date <= $nc_as_of::DATE
      UNION ALL
      -- The oldest N mark's date, from the weekly code counts (each row's first date is its
      -- earliest mark's), not a scan of every mark.
      SELECT d::DATE FROM range((SELECT min(first_date) FROM mark_week_codes WHERE code = 'N'::mark_code), $nc_as_of::DATE + 1, INTERVAL 1 DAY) t(d)
      WHERE NOT EXISTS (SELECT 1 FROM school_days) AND isodow(d) <= 5),
    n_age_index AS (SELECT date, row_number() OVER (ORDER BY date) AS n FROM n_age_days),
    n_age_total AS (SELECT count(*) AS k FROM n_age_index),
    n_code_ages AS (
      -- School days after the mark's date, to the as-of date: all of them less those on or before it.
      SELECT m.pupil_id, m.date, m.pm,
             ((SELECT k FROM n_age_total) - coalesce(i.n, 0))::INTEGER AS school_days_open
      FROM mark_store m
      ASOF LEFT JOIN n_age_index i ON m.date >= i.date
      WHERE m.code = 'N'::mark_code AND m.date <= $nc_as_of::DATE)`;
  return { sql, params: { nc_as_of: asOf } };
}

// analytics/quality.ts
async function overdueNCodes(connection, options) {
  const ages = nCodeAgeSql(options.asOf);
  return cachedRows(
    connection,
    `WITH ${ages.sql}
     SELECT k.upn, p.forename, p.surname, strftime(a.date, '%Y-%m-%d') AS date, CASE WHEN a.pm THEN 'PM' ELSE 'AM' END AS session, a.school_days_open
     FROM n_code_ages a JOIN pupil_ids k USING (pupil_id) JOIN pupils p ON p.upn = k.upn
     WHERE a.school_days_open > $limit
     -- The UPN last (as nCodePage's ties): two pupils of one name with an N the same session tie.
     ORDER BY a.date, p.surname, p.forename, a.pm, k.upn`,
    { ...ages.params, limit: options.limitSchoolDays }
  );
}
async function pendingNCodes(connection, asOf) {
  return overdueNCodes(connection, { asOf, limitSchoolDays: -1 });
}

// analytics/session-attendance.ts
async function sessionAttendance(connection, yearToDate, partFrom) {
  assertPeriod(yearToDate);
  assertPeriod({ from: partFrom, to: yearToDate.to });
  if (partFrom < yearToDate.from)
    throw new Error(`the part (from ${partFrom}) starts before the span (${yearToDate.from})`);
  const { sql, params } = scopedMarksSql({ from: yearToDate.from, to: yearToDate.to });
  const inPart = `k.date >= $part_from::DATE AND (s.leaving_date IS NULL OR s.leaving_date >= $part_from::DATE)`;
  const rows = await cachedRows(
    connection,
    `WITH ${sql}
     SELECT k.session::VARCHAR AS grp,
            count(*) FILTER (WHERE k.category <> 'not_counted')::INTEGER AS possible,
            count(*) FILTER (WHERE k.category IN ('present', 'aea'))::INTEGER AS attended,
            count(*) FILTER (WHERE k.category <> 'not_counted' AND ${inPart})::INTEGER AS part_possible,
            count(*) FILTER (WHERE k.category IN ('present', 'aea') AND ${inPart})::INTEGER AS part_attended
     FROM k JOIN scope s USING (upn, member)
     GROUP BY grp
     ORDER BY grp`,
    { ...params, part_from: partFrom }
  );
  const rate2 = (possible, attended) => withRates({ pupils: 0, possible_sessions: possible, present_sessions: attended, aea_sessions: 0, authorised_sessions: 0, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 }).attendance_pct;
  return rows.map((r) => ({ group: String(r.grp), yearToDate: rate2(Number(r.possible), Number(r.attended)), part: rate2(Number(r.part_possible), Number(r.part_attended)) }));
}

// analytics/packs/ladder.ts
var STEP_WORDING = [
  "Letter home raising concern, with the attendance leaflet (Appendix A, 6)",
  "Monitoring letter and contact from the attendance lead; two weeks' monitoring, then a meeting with targets (Appendix A, 7\u20138)",
  "Formal meeting with parents (attendance heading below 85%, \xA74)",
  "Severe absence: continued severe absence after intervention may itself be neglect, and is escalated under the child protection and safeguarding policy (\xA713)"
];
var STEP_SUMMARY = [
  "a letter home",
  "monitoring and a meeting with targets",
  "a formal meeting with parents",
  "a safeguarding review where severe absence continues"
];
function ladderPosition(pupil, thresholds) {
  const possible = pupil.possible_sessions;
  if (!pupilJudged(possible) || thresholds.length === 0)
    return null;
  const attended = pupil.present_sessions + pupil.aea_sessions;
  let index = -2;
  thresholds.forEach((threshold, i) => {
    if (100 * attended < threshold * possible)
      index = i;
  });
  if (index < 0)
    return null;
  return { index, band: `Below ${formatThreshold(thresholds[index], 0)}`, step: stepWording(index, thresholds) };
}
function stepWording(index, thresholds, policy = "ludlow") {
  const ludlow = policy === "ludlow" ? STEP_WORDING[index] : void 0;
  return ludlow ?? `Below ${formatThreshold(thresholds[index], 0)}: review with the attendance lead (each pupil's next step on the school's ladder is listed)`;
}
function stepSummary(index, policy = "ludlow") {
  const ludlow = policy === "ludlow" ? STEP_SUMMARY[index] : void 0;
  return ludlow ?? "review by the attendance lead";
}
function bandRange(thresholds, index) {
  const upper = thresholds[index];
  const lower = thresholds[index + 1];
  return lower === void 0 ? `Below ${formatThreshold(upper, 0)}` : `${formatThreshold(lower, 0)} to under ${formatThreshold(upper, 0)}`;
}
function notYetJudgedOnLadder(pupils, thresholds) {
  const waiting = pupils.filter((p) => p.possible_sessions > 0 && !pupilJudged(p.possible_sessions));
  const below = thresholds.length ? waiting.filter((p) => 100 * (p.present_sessions + p.aea_sessions) < thresholds[0] * p.possible_sessions).length : 0;
  return { pupils: waiting.length, below };
}
var NOT_YET_JUDGED_WHY = `a pupil is placed in a band only from ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions of their own (${PA_MIN_SCHOOL_DAYS} school days), as on the Casework page and the pupil's own page; the headline persistent absence still counts every pupil with a session, as the DfE does`;

// analytics/casework/lists.ts
function caseworkLadderOf(standing) {
  const { step: next, action, words } = nextStepOf(standing);
  return {
    stage: standing?.stage?.label ?? null,
    stage_date: standing?.stage?.date ?? null,
    next: next?.label ?? action?.label ?? words ?? null,
    due_by: next ? next.due_by : action?.due_by ?? null,
    improvement_by: next?.conditional ? next.due_from : null,
    status: next ? next.conditional ? "if no improvement" : next.late ? "late" : "due" : action ? action.late ? "late" : "due" : null,
    review_by: standing?.review_by ?? null
  };
}

// analytics/interventions/policy.ts
function ladderPolicyOf(settings) {
  return {
    ladder: settings.policy.ladder,
    penalty_sessions: settings.penalty_sessions,
    penalty_window_school_weeks: settings.penalty_window_school_weeks
  };
}

// analytics/population-words.ts
import { format as format13, parseISO as parseISO13 } from "date-fns";
import { enGB as enGB4 } from "date-fns/locale";
var BAND_MIN_POSSIBLE_SESSIONS = 20;
var pupilsWord = (n) => `${n.toLocaleString("en-GB")} ${n === 1 ? "pupil" : "pupils"}`;
function forecastPopulationWords(forecast) {
  const onRoll2 = `${pupilsWord(forecast.pupils.length)} on roll on ${format13(parseISO13(forecast.as_of), "d MMM yyyy", { locale: enGB4 })}`;
  return forecast.left_pupils > 0 ? `${onRoll2} (${forecast.left_pupils.toLocaleString("en-GB")} who left this year ${forecast.left_pupils === 1 ? "is" : "are"} not projected)` : onRoll2;
}
function bandPopulationWords(pupils) {
  return `${pupilsWord(pupils)} with at least ${BAND_MIN_POSSIBLE_SESSIONS} possible sessions this year (leavers included)`;
}
function changePopulationWords(previous, latest, filter) {
  const yearOf = (iso2) => {
    const [y, m] = iso2.split("-").map(Number);
    return m >= 8 ? y : y - 1;
  };
  if (yearOf(previous.to) === yearOf(latest.from)) {
    return {
      samePupils: true,
      words: "Both periods are in one academic year, so they are the same pupils, except any who joined or left between them."
    };
  }
  const group = filter.reg_group ? classWords(filter.reg_group) : filter.year_group ? yearGroupWords(filter.year_group) : null;
  if (group) {
    return {
      samePupils: false,
      words: `${group} in ${previous.label} and ${group} in ${latest.label} are different pupils: the two periods are in different academic years, and pupils move up a year each September. This compares the group, not the same children.`
    };
  }
  if (filter.characteristic) {
    return {
      samePupils: false,
      words: `${previous.label} and ${latest.label} are in different academic years, so the pupils this filter chooses differ: the oldest year group left in the summer and a new intake joined in September. This compares the group, not the same children.`
    };
  }
  return {
    samePupils: false,
    words: `${previous.label} and ${latest.label} are in different academic years, so the pupils differ: the oldest year group left in the summer and a new intake joined in September. This compares the school, not the same children.`
  };
}

// analytics/early-warning.ts
var BAND_WIDTH_PCT = 5;
var TRENDING_POINTS = 5;
var TRENDING_CHANGE_WORDS = "Change: the latest 4 school weeks less the year to date, in points, worked out from the two rates as printed (83.6% and 71.1% give \u221212.5), so it can be checked with a calculator, as every difference printed beside its two figures is. Who is listed is decided on the exact sessions: at least 5 points below.";
function bandIndex(absent, possible) {
  return Math.min(10, Math.floor(100 * absent / (BAND_WIDTH_PCT * possible)));
}
function bandLabel(index) {
  return index >= 10 ? "50%+" : `${index * BAND_WIDTH_PCT}\u2013${(index + 1) * BAND_WIDTH_PCT}%`;
}
async function absenceBands(connection, asOf) {
  const from = academicYearBounds(academicYearOf(asOf)).from;
  const measured = (await pupilMeasures(connection, { from, to: asOf })).filter((p) => p.possible_sessions >= BAND_MIN_POSSIBLE_SESSIONS);
  const bands = Array.from({ length: 11 }, (_, i) => ({
    label: bandLabel(i),
    from_pct: i * BAND_WIDTH_PCT,
    to_pct: i >= 10 ? null : (i + 1) * BAND_WIDTH_PCT,
    pupils: 0
  }));
  const pupils = measured.map((p) => {
    const absent = p.authorised_sessions + p.unauthorised_sessions;
    const index = bandIndex(absent, p.possible_sessions);
    bands[index].pupils += 1;
    return {
      upn: p.upn,
      forename: p.forename,
      surname: p.surname,
      year_group: p.year_group,
      reg_group: p.reg_group,
      possible_sessions: p.possible_sessions,
      absence_sessions: absent,
      absence_pct: 100 * absent / p.possible_sessions,
      band: bandLabel(index)
    };
  });
  pupils.sort((a, b) => b.absence_pct - a.absence_pct || a.surname.localeCompare(b.surname));
  return { bands, pupils };
}
async function absenceSpells(connection, asOf) {
  const from = academicYearBounds(academicYearOf(asOf)).from;
  const rows = await cachedRows(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${PUPIL_DAYS_CTE}, ${ON_ROLL_CTE},
     -- Days absent both sessions: a day's two absences in the store's day aggregate.
     absent_days AS (
       SELECT m.pupil_id, m.date FROM pupil_days m WHERE m.authorised + m.unauthorised = 2),
     -- A run is the pupil's days absent on consecutive school days: d less the day's place in
     -- the pupil's days in order is the same along a run and grows at each gap. The places
     -- come from one sort of every absent day by (pupil id, d): each pupil's days are together
     -- in it, so a place differs from the one within the pupil by a constant per pupil, and the
     -- runs (grouped by pupil) are the same. The UPN is looked up once per pupil after. At 4,500
     -- pupils (35,850 absent days) a window partitioned by UPN text was most of the query
     -- (DuckDB's CPU time for it 97 -> 33 ms with this one, medians of 7, load 7-11; partitioned
     -- by pupil id instead, 77 ms of process CPU against this one's 56).
     indexed AS (
       SELECT a.pupil_id, i.d - row_number() OVER (ORDER BY a.pupil_id, i.d) AS run
       FROM absent_days a JOIN school_day_index i USING (date)),
     runs AS (SELECT pupil_id, run, count(*) AS days FROM indexed GROUP BY pupil_id, run),
     per_pupil AS (
       SELECT k.upn, x.spells, x.days_absent, x.longest_spell_days
       FROM (SELECT pupil_id, count(*)::INTEGER AS spells, sum(days)::INTEGER AS days_absent, max(days)::INTEGER AS longest_spell_days
             FROM runs GROUP BY pupil_id) x
       JOIN pupil_ids k USING (pupil_id))
     SELECT r.upn, r.forename, r.surname, r.year_group, r.reg_group, x.spells, x.days_absent, x.longest_spell_days
     FROM per_pupil x JOIN roll r USING (upn)
     -- The UPN last, so two pupils of one name come in one order every time.
     ORDER BY spells DESC, days_absent DESC, r.surname, r.forename, r.upn`,
    { as_of: asOf, pd_from: from, pd_to: asOf }
  );
  return rows;
}
async function trendingDown(connection, asOf) {
  const rows = (await yearAndRecentSessions(connection, asOf)).filter((x) => x.on_roll && x.y_pos > 0 && x.r4_pos > 0 && 100 * (x.y_att * x.r4_pos - x.r4_att * x.y_pos) >= TRENDING_POINTS * x.y_pos * x.r4_pos).map((x) => ({
    upn: x.upn,
    forename: x.forename,
    surname: x.surname,
    year_group: x.year_group,
    reg_group: x.reg_group,
    ytd_pct: 100 * x.y_att / x.y_pos,
    recent_pct: 100 * x.r4_att / x.r4_pos,
    recent_from: x.trending_from
  })).sort((a, b) => a.recent_pct - a.ytd_pct - (b.recent_pct - b.ytd_pct));
  return orderTrending(rows);
}
function orderTrending(rows) {
  return rows.map((row) => ({ ...row, change_points: printedDifference(row.recent_pct, row.ytd_pct) })).sort((a, b) => a.change_points - b.change_points || a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
}

// analytics/absence-run-words.ts
var SESSION_RUNS_LABEL = "Runs of absent sessions";
var DAY_SPELLS_LABEL = "Spells of absence";

// analytics/forecast.ts
var FORECAST_RECENT_MIN_SESSIONS = 20;
var FORECAST_METHOD = "The sessions still to come this year are the school days left in the calendar, two a day. Each pupil is expected to attend them at the average of two rates: their attendance so far this year, and their attendance over the latest 6 school weeks (only the year so far when those weeks hold fewer than 20 possible sessions). Their projected year-end attendance adds those expected sessions to the sessions they have already attended. A pupil is projected to be persistently absent when projected absence is 10% or more of projected possible sessions. The school's projection adds up every pupil's projected sessions. It assumes pupils stay on roll to the end of the year.";
async function forecastYearEnd(connection, asOf) {
  const year = academicYearBounds(academicYearOf(asOf));
  const all = await yearAndRecentSessions(connection, asOf);
  const rows = all.filter((row) => row.on_roll);
  const left = all.filter((row) => !row.on_roll);
  const remainingDays = rows.length > 0 ? rows[0].remaining_days : 0;
  const leftPupils = rows.length > 0 ? left.length : 0;
  const leftPaPupils = rows.length > 0 ? left.filter((row) => 10 * (row.y_pos - row.y_att) >= row.y_pos).length : 0;
  const remaining = 2 * remainingDays;
  let projectedAttended = 0;
  let projectedPossible = 0;
  let attended = 0;
  let possible = 0;
  const pupils = rows.map((row) => {
    const yPos = Number(row.y_pos);
    const yAtt = Number(row.y_att);
    const rPos = Number(row.r6_pos);
    const rAtt = Number(row.r6_att);
    const ytd = yAtt / yPos;
    const recent = rPos > 0 ? rAtt / rPos : null;
    const assumed = recent !== null && rPos >= FORECAST_RECENT_MIN_SESSIONS ? (ytd + recent) / 2 : ytd;
    const pAtt = yAtt + assumed * remaining;
    const pPos = yPos + remaining;
    projectedAttended += pAtt;
    projectedPossible += pPos;
    attended += yAtt;
    possible += yPos;
    return {
      upn: String(row.upn),
      forename: String(row.forename),
      surname: String(row.surname),
      year_group: String(row.year_group),
      reg_group: String(row.reg_group),
      possible_sessions: yPos,
      attended_sessions: yAtt,
      ytd_pct: 100 * ytd,
      recent_pct: recent === null ? null : 100 * recent,
      assumed_pct: 100 * assumed,
      remaining_sessions: remaining,
      projected_pct: 100 * pAtt / pPos,
      // Absence ≥ 10 % of possible: (pPos − pAtt) × 10 ≥ pPos.
      projected_pa: 10 * (pPos - pAtt) >= pPos - 1e-9,
      pa_now: 10 * (yPos - yAtt) >= yPos
    };
  });
  return {
    as_of: asOf,
    year_end: year.to,
    remaining_school_days: remainingDays,
    pupils,
    projected_pct: projectedPossible > 0 ? 100 * projectedAttended / projectedPossible : null,
    ytd_pct: possible > 0 ? 100 * attended / possible : null,
    projected_pa_pupils: pupils.filter((p) => p.projected_pa).length,
    pa_pupils_now: pupils.filter((p) => p.pa_now).length,
    pa_now_not_given: (await persistentAbsenceSpan(connection, { from: year.from, to: asOf }, "the year to date")).why,
    left_pupils: leftPupils,
    left_pa_pupils: leftPaPupils
  };
}

// analytics/interventions/effect-one-pupil.ts
async function onePupilEffectRows(connection, upn, options) {
  const [calendar, entries, identity, spells, days] = await Promise.all([
    cachedRowsToRead(connection, SCHOOL_YEARS_SQL),
    pupilEntryRows(connection, upn),
    cachedOne(connection, PUPIL_IDENTITY_SQL, { upn }),
    cachedRowsToRead(connection, PUPIL_SPELLS_SQL, { upn }),
    onePupilDays(connection, upn)
  ]);
  if (calendar.length === 0)
    return void 0;
  if (!identity)
    return [];
  const byWeek = /* @__PURE__ */ new Map();
  for (const { date } of calendar) {
    const week = mondayOf(date);
    const w = byWeek.get(week);
    if (!w)
      byWeek.set(week, { week, first: date, last: date });
    else {
      if (date < w.first)
        w.first = date;
      if (date > w.last)
        w.last = date;
    }
  }
  const weeks = [...byWeek.values()].sort((a, b) => a.week < b.week ? -1 : a.week > b.week ? 1 : 0);
  const weekNo = (n) => weeks[n - 1];
  const inDays = days.filter((d) => d.date >= options.daysFrom && d.date <= options.asOf);
  const sum = (from, to) => {
    let possible = 0;
    let attended = 0;
    for (const d of inDays) {
      if (d.date < from || d.date > to)
        continue;
      possible += Number(d.possible);
      attended += Number(d.present) + Number(d.aea);
    }
    return { possible, attended };
  };
  const inForce = entries.filter((e) => !e.withdrawn && e.corrected_by === null);
  const rows = [];
  for (const e of inForce) {
    if (e.date < options.from || e.date > options.to)
      continue;
    const week = mondayOf(e.date);
    const k = weeks.filter((w) => w.week < week).length;
    const j = weeks.filter((w) => w.week <= week).length;
    const n = options.windowWeeks;
    const beforeFrom = k >= n ? weekNo(k - (n - 1))?.first ?? null : null;
    const beforeTo = k >= n ? weekNo(k)?.last ?? null : null;
    const afterFrom = weekNo(j + 1)?.first ?? null;
    const afterTo = weekNo(j + n)?.last ?? null;
    const before = beforeFrom !== null && beforeTo !== null ? sum(beforeFrom, beforeTo) : { possible: 0, attended: 0 };
    const after = afterFrom !== null ? sum(afterFrom, afterTo !== null && afterTo < options.asOf ? afterTo : options.asOf) : { possible: 0, attended: 0 };
    const since = beforeFrom ?? week;
    const earlier = inForce.filter((o) => o.id !== e.id && o.date >= since && (o.date < e.date || o.date === e.date && o.id < e.id));
    const latest = earlier.reduce((a, o) => a === null || o.date > a.date || o.date === a.date && o.id > a.id ? o : a, null);
    const base = {
      id: e.id,
      upn: e.upn,
      forename: identity.forename,
      surname: identity.surname,
      type: e.type,
      label: e.label,
      date: e.date,
      note: e.note,
      recorded_by: e.recorded_by,
      before_from: beforeFrom,
      before_to: beforeTo,
      after_from: afterFrom,
      after_to: afterTo,
      before_possible: before.possible,
      before_attended: before.attended,
      after_possible: after.possible,
      after_attended: after.attended,
      after_complete: afterTo !== null && afterTo <= options.asOf,
      before_exists: beforeFrom !== null,
      earlier_n: latest ? earlier.length : null,
      earlier_type: latest?.type ?? null,
      earlier_label: latest?.label ?? null,
      earlier_date: latest?.date ?? null
    };
    const held = spells.filter((s) => s.valid_from <= e.date && (s.valid_to === null || s.valid_to >= e.date));
    if (held.length === 0)
      rows.push({ ...base, year_group: "", reg_group: "" });
    for (const s of held)
      rows.push({ ...base, year_group: s.year_group ?? "", reg_group: s.reg_group ?? "" });
  }
  return rows.sort((a, b) => a.date === b.date ? Number(b.id) - Number(a.id) : String(a.date) < String(b.date) ? 1 : -1);
}

// analytics/interventions/effect-columns.ts
var AFTER_EARLIER_NOTE = `"After another action": measured interventions whose 4 school weeks before include another action for the same pupil (a congratulations letter always follows a monitoring letter and its monitoring period), so their change is not that type's alone.`;

// analytics/interventions/effect.ts
var EFFECT_WINDOW_SCHOOL_WEEKS = 4;
var pct3 = (n, d) => d > 0 ? 100 * n / d : null;
async function interventionEffects(connection, options) {
  await ensureInterventionsTable(connection);
  const params = {};
  const chosen = pupilFilterConditions(options.filter ?? {}, params);
  const daysFrom = options.from < "1900-06-01" ? options.from : shiftDays(options.from, -120);
  const onePupil2 = options.upn !== void 0 && chosen.length === 0 ? await onePupilEffectRows(connection, options.upn, { from: options.from, to: options.to, asOf: options.asOf, daysFrom, windowWeeks: EFFECT_WINDOW_SCHOOL_WEEKS }) : void 0;
  const rows = onePupil2 ?? await cachedRows(
    connection,
    `WITH ${SCHOOL_CALENDAR_CTES}, ${PUPIL_DAYS_CTE}, ${EFFECTIVE_INTERVENTIONS_CTE},
     chosen AS (
       SELECT e.*, date_trunc('week', e.date)::DATE AS week,
              (SELECT count(*) FROM school_weeks w WHERE w.week < date_trunc('week', e.date)::DATE) AS k,
              (SELECT count(*) FROM school_weeks w WHERE w.week <= date_trunc('week', e.date)::DATE) AS j
       FROM effective_interventions e
       WHERE e.date BETWEEN $from::DATE AND $to::DATE AND ($upn::VARCHAR IS NULL OR e.upn = $upn::VARCHAR)),
     win AS (
       SELECT c.*, pk.pupil_id, b0.first_day AS before_from, b1.last_day AS before_to, a0.first_day AS after_from, a1.last_day AS after_to
       FROM chosen c
       LEFT JOIN pupil_ids pk ON pk.upn = c.upn
       LEFT JOIN school_weeks b0 ON b0.n = c.k - ${EFFECT_WINDOW_SCHOOL_WEEKS - 1} AND c.k >= ${EFFECT_WINDOW_SCHOOL_WEEKS}
       LEFT JOIN school_weeks b1 ON b1.n = c.k AND c.k >= ${EFFECT_WINDOW_SCHOOL_WEEKS}
       LEFT JOIN school_weeks a0 ON a0.n = c.j + 1
       LEFT JOIN school_weeks a1 ON a1.n = c.j + ${EFFECT_WINDOW_SCHOOL_WEEKS}),
     -- Possible and attended sessions per pupil per day from the store's day aggregate
     -- (pupil_days over mark_days: each code classified by the regime of its date, as the
     -- measures): never the marks themselves. Each day carries its Monday, so a window's days
     -- are found by pupil and week (below), not among all of the pupil's days of the year.
     days AS (
       SELECT d.pupil_id, date_trunc('week', d.date)::DATE AS week, d.date, d.possible, d.attended
       FROM pupil_days d),
     -- Each intervention's before window and after window (to $as_of at most), as dates.
     spans AS (
       SELECT intervention_id, pupil_id, true AS before, before_from AS lo, before_to AS hi FROM win
       UNION ALL
       SELECT intervention_id, pupil_id, false, after_from, least(after_to, $as_of::DATE) FROM win),
     -- Every Monday-to-Sunday week a window touches (holiday weeks too), so that joining the
     -- days on (pupil, week) and then testing the dates finds exactly the days between its
     -- ends. Why: joined on the pupil alone and tested for the dates, each day of the year met
     -- each of the pupil's interventions (at 4,500 pupils, ~870,000 pairs for ~170,000 kept;
     -- the SLT pack's costliest statement: 0.32 s of CPU, 0.18 s this way, median of 7
     -- alternated at one thread, load 5; the same rows).
     span_weeks AS (
       SELECT s.*, unnest(generate_series(date_trunc('week', s.lo), s.hi, INTERVAL 7 DAY))::DATE AS week
       FROM spans s WHERE s.lo IS NOT NULL AND s.hi IS NOT NULL AND s.pupil_id IS NOT NULL),
     span_marks AS (
       SELECT s.intervention_id, s.before, sum(m.possible)::INTEGER AS possible, sum(m.attended)::INTEGER AS attended
       FROM span_weeks s JOIN days m ON m.pupil_id = s.pupil_id AND m.week = s.week AND m.date BETWEEN s.lo AND s.hi
       GROUP BY s.intervention_id, s.before),
     before_marks AS (SELECT intervention_id, possible, attended FROM span_marks WHERE before),
     after_marks AS (SELECT intervention_id, possible, attended FROM span_marks WHERE NOT before),
     -- Other actions for the pupil in the before window or earlier in the action's own week
     -- (every action in force, not only those of the period asked for).
     earlier AS (
       SELECT w.intervention_id, count(*)::INTEGER AS n,
              arg_max(e.type, e.date::VARCHAR || lpad(e.intervention_id::VARCHAR, 10, '0')) AS e_type,
              -- arg_max_null: the latest action's own label, NULL when it was recorded before
              -- labels were (its type's words are then shown); arg_max skips NULL labels and
              -- gave an older action's label beside the latest's date (trial 38).
              arg_max_null(e.label, e.date::VARCHAR || lpad(e.intervention_id::VARCHAR, 10, '0')) AS e_label,
              strftime(max(e.date), '%Y-%m-%d') AS e_date
       FROM win w JOIN effective_interventions e ON e.upn = w.upn AND e.intervention_id <> w.intervention_id
         AND e.date >= coalesce(w.before_from, w.week) AND (e.date < w.date OR (e.date = w.date AND e.intervention_id < w.intervention_id))
       GROUP BY w.intervention_id)
     SELECT w.intervention_id AS id, w.upn, p.forename, p.surname,
            coalesce(ch.year_group, '') AS year_group, coalesce(ch.reg_group, '') AS reg_group,
            w.type, w.label, strftime(w.date, '%Y-%m-%d') AS date, w.note, w.recorded_by,
            strftime(w.before_from, '%Y-%m-%d') AS before_from, strftime(w.before_to, '%Y-%m-%d') AS before_to,
            strftime(w.after_from, '%Y-%m-%d') AS after_from, strftime(w.after_to, '%Y-%m-%d') AS after_to,
            coalesce(b.possible, 0) AS before_possible, coalesce(b.attended, 0) AS before_attended,
            coalesce(a.possible, 0) AS after_possible, coalesce(a.attended, 0) AS after_attended,
            (w.after_to IS NOT NULL AND w.after_to <= $as_of::DATE) AS after_complete,
            (w.before_from IS NOT NULL) AS before_exists,
            er.n AS earlier_n, er.e_type AS earlier_type, er.e_label AS earlier_label, er.e_date AS earlier_date
     FROM win w
     JOIN pupils p ON p.upn = w.upn
     -- The characteristics in force on the intervention's date, matched by UPN first and then
     -- tested: as one LEFT JOIN with the date test in its condition DuckDB compared every
     -- intervention with every row (a nested-loop join: 0.19 s at 4,500 pupils).
     LEFT JOIN (
       SELECT w.intervention_id, c.*
       FROM win w JOIN pupil_characteristics c ON c.upn = w.upn
       WHERE c.valid_from <= w.date AND (c.valid_to IS NULL OR c.valid_to >= w.date)) ch ON ch.intervention_id = w.intervention_id
     LEFT JOIN before_marks b ON b.intervention_id = w.intervention_id
     LEFT JOIN after_marks a ON a.intervention_id = w.intervention_id
     LEFT JOIN earlier er ON er.intervention_id = w.intervention_id
     ${chosen.map((c2, i) => `${i === 0 ? "WHERE" : "AND"} ${c2}`).join("\n     ")}
     ORDER BY w.date DESC, w.intervention_id DESC`,
    {
      ...params,
      from: options.from,
      to: options.to,
      as_of: options.asOf,
      upn: options.upn ?? null,
      pd_from: daysFrom,
      pd_to: options.asOf
    }
  );
  return rows.map((row) => {
    const type = String(row.type);
    const beforePossible = Number(row.before_possible);
    const afterPossible = Number(row.after_possible);
    const afterComplete = Boolean(row.after_complete);
    const beforeExists = Boolean(row.before_exists);
    const beforePct = pct3(Number(row.before_attended), beforePossible);
    const afterPct = afterComplete ? pct3(Number(row.after_attended), afterPossible) : null;
    const measured = beforeExists && afterComplete && beforePct !== null && afterPct !== null;
    let pending = null;
    if (!beforeExists)
      pending = `fewer than ${EFFECT_WINDOW_SCHOOL_WEEKS} school weeks of register before it`;
    else if (!afterComplete)
      pending = `${EFFECT_WINDOW_SCHOOL_WEEKS} school weeks have not yet passed`;
    else if (beforePct === null || afterPct === null)
      pending = "no possible sessions in one of the windows";
    return {
      id: Number(row.id),
      upn: String(row.upn),
      forename: String(row.forename),
      surname: String(row.surname),
      year_group: String(row.year_group),
      reg_group: String(row.reg_group),
      type,
      label: recordedLabel(type, row.label),
      date: String(row.date),
      note: String(row.note),
      recorded_by: String(row.recorded_by),
      before_from: row.before_from === null ? null : String(row.before_from),
      before_to: row.before_to === null ? null : String(row.before_to),
      after_from: row.after_from === null ? null : String(row.after_from),
      after_to: row.after_to === null ? null : String(row.after_to),
      before_possible: beforePossible,
      before_attended: Number(row.before_attended),
      after_possible: afterComplete ? afterPossible : 0,
      after_attended: afterComplete ? Number(row.after_attended) : 0,
      before_pct: beforePct,
      after_pct: afterPct,
      // The printed rates' difference (analytics/printed-difference.ts): before and after print beside it.
      change_points: measured ? printedDifference(afterPct, beforePct) : null,
      measured,
      pending,
      earlier: row.earlier_n === null || row.earlier_n === void 0 ? null : { label: recordedLabel(String(row.earlier_type), row.earlier_label), date: String(row.earlier_date), count: Number(row.earlier_n) }
    };
  });
}
function earlierActionWords(earlier, formatDate, beforeTo = null) {
  const others = earlier.count - 1;
  const named = `${earlier.label} (${formatDate(earlier.date)})${others > 0 ? ` and ${others} other action${others === 1 ? "" : "s"}` : ""}`;
  const inOwnWeek = beforeTo !== null && earlier.date > beforeTo;
  if (!inOwnWeek)
    return `the ${EFFECT_WINDOW_SCHOOL_WEEKS} weeks before include ${named}: not this action's change alone`;
  return others > 0 ? `the ${EFFECT_WINDOW_SCHOOL_WEEKS} weeks before and its own week include ${named}: not this action's change alone` : `earlier in its own week: ${named}: not this action's change alone`;
}
function effectByType(effects, smallGroupMin) {
  const result = [];
  for (const { type, label, recorded } of recordedByType(effects)) {
    const ofType = effects.filter((e) => e.type === type);
    const measured = ofType.filter((e) => e.measured);
    const improved = measured.filter((e) => e.change_points > 0).length;
    const tooFew = measured.length < smallGroupMin;
    const mean = measured.length > 0 ? measured.reduce((sum, e) => sum + e.change_points, 0) / measured.length : null;
    result.push({
      type,
      label,
      recorded,
      measured: measured.length,
      mean_change_points: tooFew ? null : mean,
      improved_pct: tooFew || measured.length === 0 ? null : 100 * improved / measured.length,
      improved: tooFew ? null : improved,
      too_few: tooFew,
      after_earlier: tooFew ? null : measured.filter((e) => e.earlier !== null).length
    });
  }
  return result;
}
function recordedByType(entries) {
  return INTERVENTION_TYPES.flatMap((type) => {
    const ofType = entries.filter((e) => e.type === type);
    return ofType.length === 0 ? [] : [{ type, label: [...new Set(ofType.map((e) => e.label))].join(" / "), recorded: ofType.length }];
  });
}
async function interventionsRecorded(connection, options) {
  await ensureInterventionsTable(connection);
  const rows = await cachedRows(
    connection,
    `WITH ${EFFECTIVE_INTERVENTIONS_CTE}
     SELECT e.type, e.label, strftime(e.date, '%Y-%m-%d') AS date
     FROM effective_interventions e JOIN pupils p ON p.upn = e.upn
     WHERE e.date BETWEEN $from::DATE AND $to::DATE
     ORDER BY e.date DESC, e.intervention_id DESC`,
    { from: options.from, to: options.to }
  );
  return rows.map((row) => {
    const type = String(row.type);
    return { type, label: recordedLabel(type, row.label), date: String(row.date) };
  });
}

// analytics/packs/suppress.ts
function pupilCountCell(value, min) {
  if (min !== null && value > 0 && value < min)
    return { kind: "suppressed", text: WITHHELD_TEXT };
  return num(value);
}
function pupilRateCell(countValue, value, min) {
  if (min !== null && countValue > 0 && countValue < min)
    return { kind: "suppressed", text: WITHHELD_TEXT };
  return rate(value);
}
function isSmallCount2(value, min) {
  return min !== null && value > 0 && value < min;
}

// analytics/packs/interventions.ts
function forecastStatus(projected, target) {
  const verdict = targetVerdict(projected, target);
  const why = verdict.precise ? ` (${verdict.why})` : "";
  return verdict.meets ? { text: `On course for target${why}`, tone: "good" } : { text: `Below target${why}`, tone: "bad" };
}
var LIST_ROWS = 25;
function effectRow(t, min) {
  const withheld2 = { kind: "suppressed", text: `too few to judge (fewer than ${min} measured)` };
  return [
    text(t.label),
    num(t.recorded),
    num(t.measured),
    t.too_few ? withheld2 : diff(t.mean_change_points),
    t.too_few ? withheld2 : rate(t.improved_pct),
    t.too_few || t.after_earlier === null ? withheld2 : num(t.after_earlier)
  ];
}
var labelOf = (e) => text(e.earlier ? `${e.label} \u2014 ${earlierActionWords(e.earlier, ukDate, e.before_to)}` : e.label);
async function sltInterventionsSection(connection, periods, settings) {
  const asOf = periods.yearToDate.to;
  const effects = await interventionEffects(connection, { from: periods.yearToDate.from, to: asOf, asOf });
  const byType = effectByType(effects, settings.small_group_min);
  const month = effects.filter((e) => e.date >= periods.period.from && e.date <= periods.period.to);
  const measured = effects.filter((e) => e.measured);
  return {
    id: "interventions",
    title: "Interventions and their effect",
    sheet: "Interventions",
    intro: `Attendance in the 4 school weeks before each intervention against the 4 school weeks after it (the intervention's own week in neither). Means and shares are withheld for types with fewer than ${settings.small_group_min} measured interventions.`,
    blocks: [
      {
        kind: "table",
        table: {
          caption: `Interventions by type, ${ukDate(periods.yearToDate.from)} to ${ukDate(asOf)}`,
          columns: [{ label: "Intervention" }, { label: "Recorded", numeric: true }, { label: "Measured", numeric: true }, { label: "Mean change", numeric: true }, { label: "Improved", numeric: true }, { label: "After another action", numeric: true }],
          rows: byType.map((t) => effectRow(t, settings.small_group_min)),
          empty: "No intervention has been recorded this academic year.",
          note: AFTER_EARLIER_NOTE
        }
      },
      {
        kind: "table",
        table: {
          caption: `Interventions recorded this month (${month.length})`,
          columns: [{ label: "Date" }, { label: "Pupil" }, { label: "Class" }, { label: "Intervention" }, { label: "4 weeks before", numeric: true }, { label: "4 weeks after", numeric: true }, { label: "Change", numeric: true }],
          rows: month.map((e) => [day(e.date), text(pupilListName(e)), text(e.reg_group), labelOf(e), rate(e.before_pct), rate(e.after_pct), diff(e.change_points)]),
          empty: "No intervention was recorded this month.",
          note: "The 4 weeks after have not yet passed for the most recent ones."
        }
      },
      {
        kind: "table",
        table: {
          caption: `Measured this year: the biggest changes either way (${measured.length} measured)`,
          columns: [{ label: "Date" }, { label: "Pupil" }, { label: "Intervention" }, { label: "4 weeks before", numeric: true }, { label: "4 weeks after", numeric: true }, { label: "Change", numeric: true }],
          rows: [...measured].sort((a, b) => Math.abs(b.change_points) - Math.abs(a.change_points)).slice(0, 10).map((e) => [day(e.date), text(pupilListName(e)), labelOf(e), rate(e.before_pct), rate(e.after_pct), diff(e.change_points)]),
          empty: "No intervention has had 4 school weeks after it yet."
        }
      }
    ]
  };
}
async function sltEarlyWarningSection(connection, periods, settings) {
  const asOf = periods.yearToDate.to;
  const forecast = await forecastYearEnd(connection, asOf);
  const bands = await absenceBands(connection, asOf);
  const trending = await trendingDown(connection, asOf);
  const spells = await absenceSpells(connection, asOf);
  const bandTable = {
    // Which pupils: every pupil with enough sessions, leavers included (not the forecast's, on roll today).
    caption: `Pupils by 5% band of absence, year to date: the ${bandPopulationWords(bands.pupils.length)}`,
    columns: [{ label: "Absence" }, { label: "Pupils", numeric: true }],
    rows: bands.bands.map((b) => [text(b.label), num(b.pupils)])
  };
  const blocks = [
    {
      kind: "figures",
      items: [
        {
          label: "Projected year-end attendance",
          value: rate(forecast.projected_pct),
          details: [`Target ${formatThreshold(settings.target_attendance_pct, 1)}; ${pct(forecast.ytd_pct)} so far`],
          status: forecast.projected_pct === null ? void 0 : forecastStatus(forecast.projected_pct, settings.target_attendance_pct)
        },
        {
          label: "Projected persistently absent",
          value: num(forecast.projected_pa_pupils),
          details: [
            forecast.pa_now_not_given ? `Of the ${forecastPopulationWords(forecast)}. ${forecast.pa_now_not_given}` : `${forecast.pa_pupils_now} persistently absent so far, of the ${forecastPopulationWords(forecast)}`
          ]
        }
      ]
    },
    { kind: "paragraphs", heading: "How the forecast works", items: [FORECAST_METHOD] },
    { kind: "table", table: bandTable },
    {
      kind: "table",
      table: {
        caption: `Below their year to date: latest 4 school weeks at least 5 points under it (${trending.length})`,
        columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Year to date", numeric: true }, { label: "Latest 4 school weeks", numeric: true }, { label: "Change", numeric: true }],
        rows: trending.slice(0, LIST_ROWS).map((t) => [text(pupilListName(t)), text(t.reg_group), rateBesideLines(t.ytd_pct, settings.attendance_thresholds), rateBesideLines(t.recent_pct, settings.attendance_thresholds), diff(t.change_points)]),
        empty: "No pupil's latest 4 school weeks are 5 points or more below their year to date.",
        note: TRENDING_CHANGE_WORDS
      }
    },
    {
      kind: "table",
      table: {
        caption: `Most separate ${DAY_SPELLS_LABEL.toLowerCase()} this year (runs of consecutive whole school days absent; not the runs of absent sessions in the pupil tables)`,
        columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Spells", numeric: true }, { label: "Days absent", numeric: true }, { label: "Longest spell (days)", numeric: true }],
        rows: spells.slice(0, LIST_ROWS).map((s) => [text(pupilListName(s)), text(s.reg_group), num(s.spells), num(s.days_absent), num(s.longest_spell_days)]),
        empty: "No pupil has missed a whole day this year."
      }
    }
  ];
  return { id: "early-warning", title: "Earlier warning and the year-end forecast", sheet: "Early warning", blocks };
}
async function fgbInterventionCounts(connection, periods, min) {
  const asOf = periods.yearToDate.to;
  const entries = await interventionsRecorded(connection, { from: periods.yearToDate.from, to: asOf });
  const byType = recordedByType(entries);
  const ends = (await halfTermsOf(connection)).filter((h) => h.from >= periods.yearToDate.from && h.to < asOf).map((h) => h.to);
  const halfOf = (date) => ends.filter((end) => end < date).length;
  const smallInAHalfTerm = (type) => {
    const counts = /* @__PURE__ */ new Map();
    for (const e of entries)
      if (e.type === type)
        counts.set(halfOf(e.date), (counts.get(halfOf(e.date)) ?? 0) + 1);
    return [...counts.values()].some((n) => n > 0 && n < min);
  };
  const withheld2 = { kind: "suppressed", text: WITHHELD_TEXT };
  return {
    kind: "table",
    table: {
      caption: `Interventions recorded this academic year, by type (to ${ukDate(asOf)})`,
      columns: [{ label: "Intervention" }, { label: "Recorded", numeric: true }],
      rows: byType.map((t) => smallInAHalfTerm(t.type) ? [text(t.label), withheld2] : [text(t.label), pupilCountCell(t.recorded, min)]),
      empty: "No intervention has been recorded this academic year."
    }
  };
}

// analytics/packs/periods.ts
import { endOfMonth as endOfMonth3, format as format14, parseISO as parseISO14 } from "date-fns";
import { enGB as enGB5 } from "date-fns/locale";
async function packPeriodFacts(connection) {
  const rows = await cachedRows(
    connection,
    `SELECT f.first, strftime(s.date, '%Y-%m-%d') AS date
     FROM (SELECT strftime(min(date), '%Y-%m-%d') AS first FROM mark_days) f LEFT JOIN school_days s ON true
     ORDER BY s.date`
  );
  return { first: rows[0]?.first ?? null, schoolDays: rows.flatMap((r) => r.date === null ? [] : [r.date]) };
}
function monthPackSpan(month, today) {
  const from = `${month}-01`;
  const last = format14(endOfMonth3(parseISO14(from)), "yyyy-MM-dd");
  return { from, to: last < today ? last : today, over: last <= today };
}
var monthPackName = (month) => format14(parseISO14(`${month}-01`), "MMMM yyyy", { locale: enGB5 });
function termPackSpan(bounds, today) {
  return { from: bounds.from, to: bounds.to < today ? bounds.to : today };
}
function packPeriodRefusal(facts, period, label) {
  if (facts.first === null)
    return `No register marks have been imported yet: there is nothing to report for ${label}.`;
  if (period.to < facts.first) {
    return `${label} is before the register starts (its first marks are on ${format14(parseISO14(facts.first), "EEE d MMM yyyy", { locale: enGB5 })}): there is nothing to report.`;
  }
  if (facts.schoolDays.length > 0 && !facts.schoolDays.some((d) => d >= period.from && d <= period.to)) {
    return `${label} has no school days in the school's calendar: there is nothing to report.`;
  }
  return null;
}
async function refuseEmptyPackPeriod(connection, period, label) {
  const why = packPeriodRefusal(await packPeriodFacts(connection), period, label);
  if (why !== null)
    throw new Error(why);
}

// analytics/benchmarks/sources.ts
var MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
function ukDateToIso(day2, month, year) {
  const m = MONTHS.indexOf(month.toLowerCase());
  if (m < 0)
    return null;
  return `${year}-${String(m + 1).padStart(2, "0")}-${day2.padStart(2, "0")}`;
}
function periodEndFromExcerpt(excerpt) {
  const endDate = /end_date\s*<-\s*as\.Date\("(\d{4}-\d{2}-\d{2})"\)/.exec(excerpt);
  if (endDate)
    return endDate[1];
  const latest = /latest full day of data \((\d{1,2}) ([A-Za-z]+) (\d{4})\)/.exec(excerpt);
  if (latest)
    return ukDateToIso(latest[1], latest[2], latest[3]);
  const range = /period from \d{1,2} [A-Za-z]+ \d{4} to (\d{1,2}) ([A-Za-z]+) (\d{4})/.exec(excerpt);
  if (range)
    return ukDateToIso(range[1], range[2], range[3]);
  return null;
}
function releaseFromUrl(url) {
  const week = /\/(\d{4})-week-(\d{1,2})(?:[/?#]|$)/.exec(url);
  if (week)
    return `${week[1]} week ${week[2].padStart(2, "0")}`;
  const commit = /\/blob\/([0-9a-f]{7})[0-9a-f]*\//.exec(url);
  if (commit)
    return `dashboard data, commit ${commit[1]}`;
  if (url.includes("/data-tables/"))
    return "table tool";
  if (url.includes("/data-catalogue/"))
    return "data catalogue";
  const census = /\/find-statistics\/[a-z-]+\/(\d{4})-(\d{2})(-[a-z-]+)?(?:[/?#]|$)/.exec(url);
  if (census)
    return `${census[1]}/${census[2]}${census[3] ? census[3].replace(/-/g, " ") : " full year"}`;
  return "latest release at the time";
}
function decimalPlaces(valueText) {
  const dot = valueText.indexOf(".");
  return dot < 0 ? 0 : valueText.length - dot - 1;
}

// analytics/benchmarks/load.ts
import { createHash as createHash6 } from "node:crypto";
import fs9 from "node:fs";
import path5 from "node:path";
import { fileURLToPath } from "node:url";

// analytics/benchmarks/store.ts
import { createHash as createHash5 } from "node:crypto";

// analytics/benchmarks/figure-cache.ts
var cache2 = /* @__PURE__ */ new WeakMap();
function cachedYears(connection) {
  let years = cache2.get(connection);
  if (!years)
    cache2.set(connection, years = /* @__PURE__ */ new Map());
  return years;
}
function forgetCachedFigures(connection) {
  cache2.delete(connection);
}

// analytics/benchmarks/store.ts
var BENCHMARK_PERIODS = ["full-year", "year-to-date", "autumn", "spring", "summer", "autumn-spring"];
var BENCHMARK_PHASES = ["primary", "all-state-funded"];
var BENCHMARK_MEASURES = [
  "overall_absence_pct",
  "authorised_absence_pct",
  "unauthorised_absence_pct",
  "persistent_absence_pct",
  "severe_absence_pct"
];
var GROUP_TYPES = ["all", "fsm", "sen", "eal", "sex"];
var CENSUS_PUBLICATION = "Pupil absence in schools in England";
var DAILY_PUBLICATION = "Pupil attendance in schools";
async function ensureBenchmarkTables(connection) {
  for (const statement of benchmarkSchemaStatements())
    await connection.run(statement);
}
function figureIdentity(figure) {
  return [
    figure.publication,
    figure.academic_year,
    figure.period,
    figure.phase,
    figure.geographic_level,
    figure.area_code,
    figure.group_type,
    figure.group_name,
    figure.measure,
    figure.value_text.trim()
  ].join("");
}
function figureId(figure) {
  const edition = editionOf(figure);
  const identity = `${figureIdentity(figure)}${edition.end}${edition.release}`;
  return createHash5("sha256").update(identity).digest("hex").slice(0, 32);
}
var UNKNOWN_RELEASE = /^(imported file |open data file$)/;
var editionOf = (figure) => ({
  end: figure.period_end ?? "",
  release: UNKNOWN_RELEASE.test(figure.release) ? "" : figure.release
});
var sameEdition = (a, b) => (a.end === b.end || a.end === "" || b.end === "") && (a.release === b.release || a.release === "" || b.release === "");
async function newFiguresOnly(connection, figures) {
  const years = [...new Set(figures.map((figure) => figure.academic_year))];
  const known = /* @__PURE__ */ new Map();
  const remember = (identity, edition) => {
    const list = known.get(identity);
    if (list)
      list.push(edition);
    else
      known.set(identity, [edition]);
  };
  for (const year of years) {
    const rows = await queryRows(
      connection,
      `SELECT publication, academic_year, period, phase, geographic_level, area_code, group_type, group_name, measure, value_text, release,
              strftime(period_end, '%Y-%m-%d') AS period_end
         FROM benchmark_figures WHERE academic_year = $year`,
      { year }
    );
    for (const row of rows)
      remember(figureIdentity(row), editionOf(row));
  }
  const fresh = [];
  for (const figure of figures) {
    const identity = figureIdentity(figure);
    const edition = editionOf(figure);
    if ((known.get(identity) ?? []).some((stored) => sameEdition(stored, edition)))
      continue;
    fresh.push(figure);
    remember(identity, edition);
  }
  return fresh;
}
async function removeDuplicateFigures(connection) {
  const rows = await queryRows(
    connection,
    `SELECT figure_id, origin, source_line, publication, academic_year, period, phase, geographic_level, area_code, group_type, group_name,
            measure, value_text, release, strftime(period_end, '%Y-%m-%d') AS period_end
       FROM benchmark_figures
      -- Source file and id last: copies tied on the rest were met in either order, and which is
      -- first decides what is kept (an edition-less copy matches any edition: not transitive).
      ORDER BY CASE WHEN origin = 'shipped' THEN 0 ELSE 1 END, period_end NULLS LAST, origin, source_line, source_file, figure_id`
  );
  const kept = /* @__PURE__ */ new Map();
  const remove = [];
  for (const row of rows) {
    const identity = figureIdentity(row);
    const edition = editionOf(row);
    const list = kept.get(identity) ?? [];
    if (list.some((stored) => sameEdition(stored, edition))) {
      remove.push(row.figure_id);
      continue;
    }
    list.push(edition);
    kept.set(identity, list);
  }
  for (let start = 0; start < remove.length; start += 500) {
    const batch = remove.slice(start, start + 500);
    const params = {};
    batch.forEach((id, i) => params[`id${i}`] = id);
    await connection.run(`DELETE FROM benchmark_figures WHERE figure_id IN (${batch.map((_, i) => `$id${i}`).join(", ")})`, params);
  }
  if (remove.length > 0)
    forgetCachedFigures(connection);
  return remove.length;
}
var COLUMNS = [
  "figure_id",
  "origin",
  "publication",
  "academic_year",
  "period",
  "period_end",
  "phase",
  "geographic_level",
  "area_code",
  "area_name",
  "region_code",
  "group_type",
  "group_name",
  "measure",
  "value",
  "value_text",
  "release",
  "source_url",
  "excerpt",
  "source_file",
  "source_line"
];
async function insertFigures(connection, incoming, origin) {
  forgetCachedFigures(connection);
  const figures = await newFiguresOnly(connection, incoming);
  const before = await countFigures(connection);
  const BATCH = 200;
  for (let start = 0; start < figures.length; start += BATCH) {
    const batch = figures.slice(start, start + BATCH);
    const params = {};
    const tuples = batch.map((figure, i) => {
      const row = { ...figure, figure_id: figureId(figure), origin };
      return `(${COLUMNS.map((column) => {
        const name = `p${i}_${column}`;
        params[name] = row[column];
        if (column === "period_end")
          return `$${name}::DATE`;
        if (column === "value")
          return `$${name}::DOUBLE`;
        if (column === "source_line")
          return `$${name}::INTEGER`;
        return `$${name}::VARCHAR`;
      }).join(", ")})`;
    });
    await connection.run(`INSERT OR IGNORE INTO benchmark_figures (${COLUMNS.join(", ")}) VALUES ${tuples.join(",\n")}`, params);
  }
  return await countFigures(connection) - before;
}
async function countFigures(connection) {
  const row = await queryOne(connection, "SELECT count(*)::INTEGER AS n FROM benchmark_figures");
  return row?.n ?? 0;
}

// analytics/benchmarks/national-csv.ts
var COLUMNS2 = [
  "publication",
  "academic_year",
  "period",
  "phase",
  "group_type",
  "group",
  "measure",
  "value",
  "source_url",
  "excerpt"
].map((name) => ({ name, aliases: [], required: true }));
function parseNationalCsv(text2, file) {
  const table = mapColumns(parseCsv(text2, file), COLUMNS2, file);
  return table.rows.map((row) => {
    const get = (name) => fieldOf(table, row, name);
    const oneOf = (name, allowed) => {
      const field = get(name);
      if (!allowed.includes(field.value)) {
        throw new InputError(file, field.line, field.column, `${name} "${field.value}" is not one of ${allowed.join(", ")}`);
      }
      return field.value;
    };
    const year = get("academic_year");
    if (!/^\d{4}\/\d{2}$/.test(year.value))
      throw new InputError(file, year.line, year.column, `academic_year "${year.value}" is not like 2024/25`);
    const valueField = get("value");
    const value = Number(valueField.value);
    if (valueField.value.trim() === "" || !Number.isFinite(value) || value < 0 || value > 100) {
      throw new InputError(file, valueField.line, valueField.column, `value "${valueField.value}" is not a percentage`);
    }
    const url = get("source_url").value;
    const excerpt = get("excerpt").value;
    return {
      publication: get("publication").value,
      academic_year: year.value,
      period: oneOf("period", BENCHMARK_PERIODS),
      period_end: periodEndFromExcerpt(excerpt),
      phase: oneOf("phase", BENCHMARK_PHASES),
      geographic_level: "national",
      area_code: "E92000001",
      area_name: "England",
      region_code: null,
      group_type: oneOf("group_type", GROUP_TYPES),
      group_name: get("group").value,
      measure: oneOf("measure", BENCHMARK_MEASURES),
      value,
      value_text: valueField.value,
      release: releaseFromUrl(url),
      source_url: url,
      excerpt,
      source_file: file,
      source_line: row.line
    };
  });
}

// analytics/article.ts
function withArticle(word) {
  return `${articleFor(word)} ${word}`;
}
function articleFor(word) {
  const first = word.trim().split(/\s+/)[0] ?? "";
  if (/^[A-Z]{2,}/.test(first))
    return /^[AEFHILMNORSX]/.test(first) ? "an" : "a";
  if (/^(u[bcdfgklmnprst][aeiou]|uni|use|usu|one|eu)/i.test(first))
    return "a";
  return /^[aeiou]/i.test(first) ? "an" : "a";
}

// analytics/benchmarks/open-data.ts
var MEASURE_COLUMNS = [
  { measure: "overall_absence_pct", name: "overall_absence_perc", aliases: ["sess_overall_percent"] },
  { measure: "authorised_absence_pct", name: "authorised_absence_perc", aliases: ["sess_authorised_percent"] },
  { measure: "unauthorised_absence_pct", name: "unauthorised_absence_perc", aliases: ["sess_unauthorised_percent"] },
  { measure: "persistent_absence_pct", name: "pa_perc", aliases: ["enrolments_pa_10_exact_percent"] },
  { measure: "severe_absence_pct", name: "sa_perc", aliases: ["enrolments_pa_50_exact_percent"] }
];
var COLUMNS3 = [
  { name: "time_period", aliases: [], required: true },
  { name: "time_identifier", aliases: [], required: false },
  { name: "geographic_level", aliases: [], required: true },
  { name: "country_code", aliases: [], required: false },
  { name: "country_name", aliases: [], required: false },
  { name: "region_code", aliases: [], required: false },
  { name: "region_name", aliases: [], required: false },
  { name: "new_la_code", aliases: [], required: false },
  { name: "la_name", aliases: [], required: false },
  { name: "phase", aliases: ["school_type", "education_phase"], required: true },
  ...MEASURE_COLUMNS.map(({ name, aliases }) => ({ name, aliases, required: false }))
];
var LEVELS = {
  national: "national",
  regional: "regional",
  "local authority": "local-authority"
};
var OTHER_LEVELS = ["local authority district", "parliamentary constituency", "school", "ward", "opportunity area", "local skills improvement plan area", "english devolved area", "mayoral combined authority", "institution", "provider"];
var PHASES = {
  primary: "primary",
  "state-funded primary": "primary",
  total: "all-state-funded",
  "state-funded total": "all-state-funded",
  "total state-funded": "all-state-funded",
  "all schools": "all-state-funded",
  secondary: null,
  "state-funded secondary": null,
  special: null,
  "state-funded special": null,
  "state-funded ap school": null,
  "pupil referral unit": null,
  "alternative provision": null
};
var TERMS = {
  "autumn term": "autumn",
  "spring term": "spring",
  "summer term": "summer",
  "autumn and spring term": "autumn-spring"
};
var NOT_AVAILABLE = /* @__PURE__ */ new Set(["c", "x", "z", ":", "u", "low", "~", "na"]);
var TOTAL_WORDS = /* @__PURE__ */ new Set(["total", "all", "all pupils", "all schools", "all enrolments", "ytd", "year to date"]);
function breakdownOf(row, positions) {
  return positions.map((i) => row.fields[i]).find((field) => {
    const text2 = field.value.trim().toLowerCase();
    return text2 !== "" && !NOT_AVAILABLE.has(text2) && !Number.isFinite(Number(text2.replace(/,/g, ""))) && !TOTAL_WORDS.has(text2);
  });
}
function readRate(field, name, file) {
  const text2 = field.value.trim();
  if (NOT_AVAILABLE.has(text2.toLowerCase()))
    return null;
  const value = Number(text2);
  if (text2 === "" || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new InputError(file, field.line, field.column, `${name} "${field.value}" is not a percentage (0\u2013100) or one of c, x, z, :`);
  }
  return value;
}
function academicYearFrom(field, file) {
  const match = /^(\d{4})(\d{2})$/.exec(field.value.trim());
  if (!match || (Number(match[1]) + 1) % 100 !== Number(match[2])) {
    throw new InputError(file, field.line, field.column, `time_period "${field.value}" is not an academic year like 202425`);
  }
  return `${match[1]}/${match[2]}`;
}
function parseOpenDataCsv(text2, file, options = {}) {
  const records = parseCsv(text2, file);
  const table = mapColumns(records, COLUMNS3, file);
  const measureColumns = MEASURE_COLUMNS.filter(({ name }) => table.index.has(name));
  if (measureColumns.length === 0) {
    const accepted = MEASURE_COLUMNS.flatMap(({ name, aliases }) => [name, ...aliases]).join(", ");
    throw new InputError(file, records[0].line, 1, `no absence rate column: expected at least one of ${accepted}`);
  }
  if (table.rows.length === 0)
    throw new InputError(file, records[0].line + 1, 1, "the file has a header but no rows");
  const known = new Set(table.index.values());
  const filterPositions = records[0].fields.map((_, i) => i).filter((i) => !known.has(i));
  const publication = options.publication ?? DAILY_PUBLICATION;
  const sourceUrl = options.sourceUrl ?? `file: ${file}`;
  const figures = [];
  const seen = /* @__PURE__ */ new Map();
  let rowsSkipped = 0;
  let notPublished = 0;
  for (const row of table.rows) {
    for (const { name } of measureColumns)
      readRate(fieldOf(table, row, name), name, file);
    const kept = readRow(table, row, file, { ...options, publication, sourceUrl });
    if (!kept || breakdownOf(row, filterPositions)) {
      rowsSkipped++;
      continue;
    }
    const { area, head } = kept;
    for (const { measure, name } of measureColumns) {
      const field = fieldOf(table, row, name);
      const text3 = field.value.trim();
      const value = readRate(field, name, file);
      if (value === null)
        notPublished++;
      const key = [head.academic_year, head.period, area.level, area.code, head.phase, measure].join("|");
      const previous = seen.get(key);
      if (previous !== void 0) {
        throw new InputError(file, field.line, field.column, `repeats the ${name} for ${area.name} (${head.phase}, ${head.academic_year}) already given on line ${previous}`);
      }
      seen.set(key, row.line);
      figures.push({
        publication,
        academic_year: head.academic_year,
        period: head.period,
        period_end: options.periodEnd ?? null,
        phase: head.phase,
        geographic_level: area.level,
        area_code: area.code,
        area_name: area.name,
        region_code: area.regionCode,
        group_type: "all",
        group_name: "all",
        measure,
        value,
        value_text: text3,
        release: options.release ?? "open data file",
        source_url: sourceUrl,
        excerpt: `${name}: "${head.timePeriod}","${area.levelText}",\u2026,"${area.name}",\u2026,"${head.phaseText}",\u2026,"${text3}"`,
        source_file: file,
        source_line: row.line
      });
    }
  }
  return { figures, rowsRead: table.rows.length, rowsSkipped, notPublished };
}
function readRow(table, row, file, options) {
  const get = (name) => fieldOf(table, row, name);
  const timePeriod = get("time_period");
  const academicYear = academicYearFrom(timePeriod, file);
  const identifier = get("time_identifier");
  const identifierText = (identifier?.value ?? "Academic year").trim().toLowerCase();
  let period;
  if (identifierText === "academic year") {
    period = options.publication === CENSUS_PUBLICATION ? "full-year" : "year-to-date";
  } else if (TERMS[identifierText]) {
    period = TERMS[identifierText];
  } else if (/^week \d+$/.test(identifierText) || /^(january|february|march|april|may|june|july|august|september|october|november|december)$/.test(identifierText)) {
    return void 0;
  } else {
    throw new InputError(file, identifier.line, identifier.column, `time_identifier "${identifier.value}" is not one of Academic year, Autumn term, Spring term, Summer term, Autumn and spring term`);
  }
  const phaseField = get("phase");
  const phaseKey = phaseField.value.trim().toLowerCase();
  if (!(phaseKey in PHASES)) {
    throw new InputError(file, phaseField.line, phaseField.column, `phase "${phaseField.value}" is not one of Primary, Secondary, Special, Total`);
  }
  const phase = PHASES[phaseKey];
  if (phase === null)
    return void 0;
  const levelField = get("geographic_level");
  const levelKey = levelField.value.trim().toLowerCase();
  const level = LEVELS[levelKey];
  if (!level) {
    if (OTHER_LEVELS.includes(levelKey))
      return void 0;
    throw new InputError(file, levelField.line, levelField.column, `geographic_level "${levelField.value}" is not one of National, Regional, Local authority`);
  }
  const required = (name) => {
    const field = get(name);
    if (!field)
      throw new InputError(file, levelField.line, levelField.column, `${withArticle(levelField.value)} row needs ${withArticle(name)} column`);
    if (field.value.trim() === "")
      throw new InputError(file, field.line, field.column, `${name} is empty on ${withArticle(levelField.value)} row`);
    return field.value.trim();
  };
  const area = level === "national" ? { level, levelText: levelField.value, code: required("country_code"), name: get("country_name")?.value.trim() || "England", regionCode: null } : level === "regional" ? { level, levelText: levelField.value, code: required("region_code"), name: required("region_name"), regionCode: null } : { level, levelText: levelField.value, code: required("new_la_code"), name: required("la_name"), regionCode: get("region_code")?.value.trim() || null };
  return {
    head: { academic_year: academicYear, period, phase, timePeriod: timePeriod.value, phaseText: phaseField.value },
    area
  };
}

// analytics/benchmarks/load.ts
var NATIONAL_FILE = "national.csv";
var OPEN_DATA_FILE = "dfe-attendance-ytd-2024-25.csv";
var SHIPPED_OPEN_DATA_OPTIONS = {
  publication: DAILY_PUBLICATION,
  periodEnd: "2025-07-25",
  release: "dashboard data, commit f9c6744",
  sourceUrl: "https://github.com/dfe-analytical-services/attendance-data-dashboard/blob/f9c6744c7df0a666b2e1975c47bc1aa8293deb4e/data/EES_ytd_data.csv"
};
function benchmarksDir() {
  const here = path5.dirname(fileURLToPath(import.meta.url));
  const candidates2 = [
    process.env.ROLLCALL_BENCHMARKS_DIR,
    path5.resolve(here, "../../data/benchmarks"),
    path5.resolve(here, "../data/benchmarks"),
    path5.resolve(process.cwd(), "data/benchmarks")
  ].filter((dir) => Boolean(dir));
  const found = candidates2.find((dir) => fs9.existsSync(path5.join(dir, NATIONAL_FILE)));
  if (!found)
    throw new Error(`the shipped benchmarks were not found (looked in ${candidates2.join(", ")})`);
  return found;
}
var sha2562 = (text2) => createHash6("sha256").update(text2).digest("hex");
var shippedVersion;
var ensured = /* @__PURE__ */ new WeakSet();
var ensuredGenerations = /* @__PURE__ */ new Set();
var loadedFiles = /* @__PURE__ */ new Map();
async function ensureShippedBenchmarks(connection) {
  if (ensured.has(connection))
    return;
  const before = generationKey(connection);
  if (before && ensuredGenerations.has(before))
    return;
  await ensureBenchmarkTables(connection);
  const dir = benchmarksDir();
  const read = (name) => {
    const file = path5.join(dir, name);
    const cached = loadedFiles.get(file);
    if (cached !== void 0)
      return cached;
    const text2 = fs9.readFileSync(file, "utf8");
    loadedFiles.set(file, text2);
    return text2;
  };
  const national = read(NATIONAL_FILE);
  const openData = read(OPEN_DATA_FILE);
  const version = shippedVersion ?? (shippedVersion = sha2562(national + "\0" + openData));
  const done = await queryOne(connection, `SELECT 1 AS done FROM benchmark_imports WHERE import_id = 0 AND sha256 = $version`, { version });
  const cleaned = await queryOne(connection, `SELECT 1 AS done FROM benchmark_imports WHERE import_id = -1`);
  if (!cleaned) {
    await inTransaction(connection, async () => {
      const removed = await removeDuplicateFigures(connection);
      await connection.run(
        `INSERT INTO benchmark_imports VALUES (-1, 'duplicate figures removed', '', 0, $removed, now()::TIMESTAMP, 'Rollcall', 'maintenance')`,
        { removed }
      );
    });
  }
  if (!done) {
    await inTransaction(connection, async () => {
      const figures = [...parseNationalCsv(national, NATIONAL_FILE), ...parseOpenDataCsv(openData, OPEN_DATA_FILE, SHIPPED_OPEN_DATA_OPTIONS).figures];
      const inserted = await insertFigures(connection, figures, "shipped");
      await connection.run(`DELETE FROM benchmark_imports WHERE import_id = 0`);
      await connection.run(
        `INSERT INTO benchmark_imports VALUES (0, 'data/benchmarks', $version, $rows, $inserted, now()::TIMESTAMP, 'Rollcall', 'shipped dataset')`,
        { version, rows: figures.length, inserted }
      );
    });
  }
  ensured.add(connection);
  const after = generationKey(connection);
  if (after) {
    if (ensuredGenerations.size > 100)
      ensuredGenerations.clear();
    ensuredGenerations.add(after);
  }
}

// analytics/benchmarks/comparison.ts
var NEAR_DAYS = 14;
var daysBetween = (a, b) => Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 864e5;
function describeSchoolSpan(span) {
  if (span.kind === "year-to-date" || span.kind === "full-year")
    return span.complete ? `${span.academicYear} full year` : `${span.academicYear} to ${formatIsoDate(span.to)}`;
  return `${describePeriod(span.academicYear, span.kind, null)}${span.complete ? "" : ` (to ${formatIsoDate(span.to)})`}`;
}
function likeForLike(school, published) {
  const theirs = describePeriod(published.academicYear, published.period, published.periodEnd);
  const partOfTerm = school.kind !== "year-to-date" && school.kind !== "full-year" && published.period === school.kind && !school.complete;
  const unlike = (why) => {
    const periods = `the published figure is for ${theirs}, the school's for ${describeSchoolSpan(school)}${why ? ` (${why})` : ""}`;
    return { like: false, reason: `for reference only: ${periods} \u2014 not the same period, so no verdict`, periods };
  };
  const like = { like: true, reason: null, periods: null };
  const partWords = "part of the term against the whole term";
  if (published.academicYear !== school.academicYear)
    return unlike(partOfTerm ? partWords : "");
  const near = published.period === "year-to-date" && published.periodEnd !== null && daysBetween(published.periodEnd, school.to) <= NEAR_DAYS;
  if (school.kind === "year-to-date" || school.kind === "full-year") {
    if (school.complete && published.period === "full-year")
      return like;
    if (near)
      return like;
    return unlike(published.period === "year-to-date" ? `its data end more than ${NEAR_DAYS} days from the school's` : "");
  }
  if (published.period === school.kind && school.complete)
    return like;
  return unlike(partOfTerm ? partWords : "");
}
var ALL_SCHOOLS_CAVEAT = "for reference only: all state-funded schools, secondary and special included \u2014 not like for like";

// analytics/benchmarks/compare.ts
var dayNumber2 = (iso2) => Date.parse(`${iso2}T00:00:00Z`) / 864e5;
function newness(row) {
  if (row.period !== "year-to-date")
    return 0;
  return row.period_end ? -dayNumber2(row.period_end) : Number.MAX_SAFE_INTEGER;
}
function acceptablePeriods(request) {
  if (request.period === "full-year" || request.period === "year-to-date" && request.yearComplete)
    return ["full-year", "year-to-date"];
  return [request.period];
}
function preferredPublications(period) {
  return period === "year-to-date" ? [DAILY_PUBLICATION, CENSUS_PUBLICATION] : [CENSUS_PUBLICATION, DAILY_PUBLICATION];
}
var rank = (list, value) => {
  const position = list.indexOf(value);
  return position < 0 ? list.length : position;
};
function publishedFiguresOf(connection, academicYear) {
  const years = cachedYears(connection);
  let figures = years.get(academicYear);
  if (!figures) {
    figures = cachedRows(
      connection,
      `SELECT figure_id, value, value_text, publication, academic_year, period, strftime(period_end, '%Y-%m-%d') AS period_end,
              phase, geographic_level, area_code, area_name, group_type, group_name, measure, release, source_url, excerpt,
              origin, source_line
         FROM benchmark_figures
        WHERE academic_year = $year AND value IS NOT NULL`,
      { year: academicYear }
    );
    years.set(academicYear, figures);
    figures.catch(() => years.delete(academicYear));
  }
  return figures;
}
async function candidates(connection, request, academicYear) {
  const level = request.geography?.level ?? "national";
  if (level !== "national" && !request.geography?.code)
    throw new Error(`a ${level} comparison needs the area's code`);
  const groupType = request.groupType ?? "all";
  const group = request.group ?? "all";
  return (await publishedFiguresOf(connection, academicYear)).filter(
    (row) => row.group_type === groupType && row.group_name === group && row.measure === request.measure && row.geographic_level === level && (level === "national" || row.area_code === request.geography.code)
  );
}
function choose(request, rows) {
  const phases = (request.phase ?? "primary") === "primary" ? ["primary", "all-state-funded"] : ["all-state-funded"];
  const periods = acceptablePeriods(request);
  const usable = rows.filter((row) => phases.includes(row.phase) && periods.includes(row.period));
  const keys = (row) => [
    rank(phases, row.phase),
    rank(periods, row.period),
    rank(preferredPublications(row.period), row.publication),
    newness(row),
    -decimalPlaces(row.value_text)
  ];
  return [...usable].sort((a, b) => {
    const ka = keys(a);
    const kb = keys(b);
    for (let i = 0; i < ka.length; i++)
      if (ka[i] !== kb[i])
        return ka[i] - kb[i];
    if (a.release !== b.release)
      return a.release < b.release ? 1 : -1;
    return b.source_line - a.source_line;
  })[0];
}
async function groupCandidates(connection, request, measures, academicYear) {
  const level = request.geography?.level ?? "national";
  return (await publishedFiguresOf(connection, academicYear)).filter(
    (row) => row.group_type !== "all" && measures.includes(row.measure) && row.geographic_level === level && (level === "national" || row.area_code === request.geography.code)
  );
}
var releaseOf = (row) => `${describeSource({ publication: row.publication, release: row.release, sourceKind: row.publication === CENSUS_PUBLICATION ? "census" : "daily" })} (${sourceAddress(row.source_url).address})`;
function groupReleaseNote(whole, group) {
  return `From another release than the whole school's figures for this period: the group's are published only in ${releaseOf(group)}, the whole school's are from ${releaseOf(whole)}`;
}
async function anyFigureFor(connection, academicYear) {
  return (await publishedFiguresOf(connection, academicYear)).length > 0;
}
var releaseKey = (row) => `${row.publication}|${row.source_url}|${row.period_end ?? ""}|${row.release}`;
async function findBenchmarkSet(connection, request, measures) {
  await ensureShippedBenchmarks(connection);
  const rankReleases = async (year2, asked) => {
    const byMeasure = /* @__PURE__ */ new Map();
    for (const measure of measures)
      byMeasure.set(measure, await candidates(connection, { ...asked, measure }, year2));
    const phases = (request.phase ?? "primary") === "primary" ? ["primary", "all-state-funded"] : ["all-state-funded"];
    const periods = acceptablePeriods(request);
    const releases = /* @__PURE__ */ new Map();
    for (const measure of measures) {
      const rows = byMeasure.get(measure);
      for (const key of new Set(rows.map(releaseKey))) {
        const best = choose({ ...request, measure }, rows.filter((row) => releaseKey(row) === key));
        if (!best)
          continue;
        if (!releases.has(key))
          releases.set(key, /* @__PURE__ */ new Map());
        releases.get(key).set(measure, best);
      }
    }
    if (releases.size === 0)
      return null;
    const groupFigures = /* @__PURE__ */ new Map();
    for (const row of await groupCandidates(connection, request, measures, year2)) {
      if (phases.includes(row.phase) && periods.includes(row.period))
        groupFigures.set(releaseKey(row), (groupFigures.get(releaseKey(row)) ?? 0) + 1);
    }
    const keys = (key, set) => {
      const rows = [...set.values()];
      const first = rows[0];
      return [
        Math.min(...rows.map((row) => rank(periods, row.period))),
        -set.size,
        Math.min(...rows.map((row) => rank(phases, row.phase))),
        rank(preferredPublications(first.period), first.publication),
        -(groupFigures.get(key) ?? 0),
        newness(first),
        -Math.max(...rows.map((row) => decimalPlaces(row.value_text)))
      ];
    };
    const ranked = [...releases.entries()].sort(([keyA, a], [keyB, b]) => {
      const ka = keys(keyA, a);
      const kb = keys(keyB, b);
      for (let i = 0; i < ka.length; i++)
        if (ka[i] !== kb[i])
          return ka[i] - kb[i];
      const releaseA = [...a.values()][0].release;
      const releaseB = [...b.values()][0].release;
      if (releaseA !== releaseB)
        return releaseA < releaseB ? 1 : -1;
      return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
    });
    return ranked;
  };
  const isGroup = (request.groupType ?? "all") !== "all";
  let groupNote = null;
  const pick = async (year2) => {
    groupNote = null;
    const own = await rankReleases(year2, request);
    if (!own)
      return null;
    const whole = isGroup ? await rankReleases(year2, { ...request, groupType: "all", group: "all" }) : null;
    if (!whole)
      return own[0][1];
    const shared2 = own.find(([key]) => key === whole[0][0]);
    if (shared2)
      return shared2[1];
    groupNote = groupReleaseNote([...whole[0][1].values()][0], [...own[0][1].values()][0]);
    return own[0][1];
  };
  const year = request.academicYear;
  let chosen = await pick(year);
  const notes = [];
  if (!chosen && request.allowEarlierYear && !await anyFigureFor(connection, year)) {
    const earlier = previousAcademicYear(year);
    chosen = await pick(earlier);
    if (chosen)
      notes.push(`No ${year} figure is published yet: this is ${earlier}'s`);
  } else if (chosen && request.asOf && !request.yearComplete) {
    const end = [...chosen.values()][0].period_end;
    if (end && end !== request.asOf && [...chosen.values()][0].period === "year-to-date") {
      notes.push(`The newest release is used: its data run to ${formatIsoDate(end)}, the school's to ${formatIsoDate(request.asOf)}`);
    }
  }
  if (groupNote)
    notes.push(groupNote);
  const result = /* @__PURE__ */ new Map();
  for (const measure of measures) {
    const row = chosen?.get(measure);
    if (!row) {
      result.set(measure, null);
      continue;
    }
    const primaryElsewhere = (request.phase ?? "primary") === "primary" && row.phase !== "primary" ? (await candidates(connection, { ...request, measure }, row.academic_year)).find((other) => other.phase === "primary" && other.period === row.period && releaseKey(other) !== releaseKey(row)) : void 0;
    result.set(measure, toBenchmark(row, { ...request, measure }, [...notes], primaryElsewhere));
  }
  return result;
}
function toBenchmark(chosen, request, notes, primaryElsewhere) {
  if (primaryElsewhere) {
    notes.push(
      `A primary figure is published only in another release, ${releaseOf(primaryElsewhere)}, which does not give every measure compared here: this is for all state-funded schools, from the release that does`
    );
  } else if ((request.phase ?? "primary") === "primary" && chosen.phase !== "primary") {
    notes.push("No primary figure is published: this is for all state-funded schools");
  }
  const wantedFullYear = request.period === "full-year" || request.period === "year-to-date" && request.yearComplete;
  if (wantedFullYear && !coversWholeYear(chosen.academic_year, chosen.period, chosen.period_end)) {
    notes.push("No full-year figure is published: this is the daily data's year to date");
  }
  const benchmark = {
    figureId: chosen.figure_id,
    value: chosen.value,
    valueText: chosen.value_text,
    measure: chosen.measure,
    publication: chosen.publication,
    sourceKind: chosen.publication === CENSUS_PUBLICATION ? "census" : "daily",
    academicYear: chosen.academic_year,
    period: chosen.period,
    periodEnd: chosen.period_end,
    phase: chosen.phase,
    geographicLevel: chosen.geographic_level,
    areaCode: chosen.area_code,
    areaName: chosen.area_name,
    groupType: chosen.group_type,
    group: chosen.group_name,
    release: chosen.release,
    sourceUrl: chosen.source_url,
    excerpt: chosen.excerpt,
    origin: chosen.origin,
    notes
  };
  return { ...benchmark, label: describeBenchmark(benchmark) };
}

// analytics/half-term-spans.ts
async function summariseSessionsByEach(connection, queries, by) {
  const read = by === "session" ? null : await sharedHalfTerms(connection, queries);
  if (!read)
    return oneByOne(queries, (query) => summariseSessionsBy(connection, query, by));
  const rows = await cachedRows(
    connection,
    `WITH ${read.sql}, ${unitsSql(by, true)},
     per_half AS (
       SELECT u.member, u.grp, min(u.date) AS first_date, min(isodow(u.date)) AS first_dow, ${UNIT_PER_PUPIL_COUNTS}
       FROM u GROUP BY u.member, u.grp),
     ${SPAN_STARTS(queries.length)},
     per_group AS (SELECT s.span, p.* FROM per_half p JOIN halves h USING (member) JOIN span_starts s ON h.r_from >= s.s_from)
     SELECT span, grp, 0 AS pupils, ${SESSION_TOTALS}, 0 AS pa_pupils, 0 AS sa_pupils
     FROM per_group
     GROUP BY span, grp
     ORDER BY span, ${sessionGroupOrderSql(by)}`,
    read.params
  );
  return queries.map((_, i) => rows.filter((row) => row.span === i).map((row) => sessionsOf({ group: String(row.grp), ...withRates(row) })));
}
async function sessionsByCodeEach(connection, queries) {
  const read = await sharedHalfTerms(connection, queries);
  if (!read)
    return oneByOne(queries, (query) => sessionsByCode(connection, query));
  const rows = await cachedRows(
    connection,
    `WITH ${read.sql}, ${codeUnitsSql(void 0, true, false, true)},
     per_half AS (
       SELECT c.member, c.code::VARCHAR AS code, max(cc.regime) AS regime, arg_max(cc.category, cc.regime) AS category,
              arg_max(cc.meaning, cc.regime) AS meaning, sum(c.sessions) AS n
       FROM c
       JOIN code_catalogue cc
         ON cc.code = c.code
        AND cc.regime = CASE WHEN c.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
       GROUP BY c.member, c.code),
     ${SPAN_STARTS(queries.length)}
     SELECT s.span, p.code, arg_max(p.category, p.regime) AS category, arg_max(p.meaning, p.regime) AS meaning, sum(p.n)::INTEGER AS sessions
     FROM per_half p JOIN halves h USING (member) JOIN span_starts s ON h.r_from >= s.s_from
     GROUP BY s.span, p.code
     ORDER BY s.span, sessions DESC, p.code`,
    read.params
  );
  return queries.map((_, i) => rows.filter((row) => row.span === i).map(({ code, category, meaning, sessions: sessions2 }) => ({ code, category, meaning, sessions: sessions2 })));
}
async function oneByOne(queries, read) {
  const results = [];
  for (const query of queries)
    results.push(await read(query));
  return results;
}
var SPAN_STARTS = (n) => `span_starts AS (SELECT * FROM (VALUES ${Array.from({ length: n }, (_, i) => `(${i}, $start_${i}::DATE)`).join(", ")}) v(span, s_from))`;
async function sharedHalfTerms(connection, queries) {
  if (queries.length < 2)
    return null;
  for (const query of queries)
    assertPeriod(query);
  const [first] = queries;
  const same = (q) => q.to === first.to && q.membership === "half-term" && !q.slice && q.withCode === void 0 && (q.population ?? "whole-roll") === (first.population ?? "whole-roll") && JSON.stringify(Object.entries(q.filter ?? {}).filter(([, v]) => v !== void 0 && v !== "").sort()) === JSON.stringify(Object.entries(first.filter ?? {}).filter(([, v]) => v !== void 0 && v !== "").sort());
  if (!queries.every(same) || first.filter?.upn)
    return null;
  const from = queries.map((q) => q.from).sort()[0];
  const halves = await cachedRows(
    connection,
    `SELECT strftime(min(date), '%Y-%m-%d') AS h_from FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE GROUP BY half_term ORDER BY min(date)`,
    { from, to: first.to }
  );
  if (halves.length < 2)
    return null;
  const starts = /* @__PURE__ */ new Set([from, ...halves.slice(1).map((h) => h.h_from)]);
  if (!queries.every((q) => starts.has(q.from)))
    return null;
  const { sql, params } = scopedMarksSql({ ...first, from });
  queries.forEach((q, i) => params[`start_${i}`] = q.from);
  return { sql, params };
}

// analytics/governor-view.ts
import { addDays as addDays5, endOfMonth as endOfMonth4, format as format15, parseISO as parseISO15 } from "date-fns";
async function governorWithheldBy(connection, query, by, min, shape) {
  const plans = await governorLattice(connection, query, by, min, shape);
  const filter = query.filter ?? {};
  return new Map([...plans].map(([period, plan]) => [period, plan.withheld(filter)]));
}
var NO_SLICES_WITHHELD = { withheld: () => null };
async function governorSlices(connection, query, min) {
  if (min === null)
    return NO_SLICES_WITHHELD;
  const filter = query.filter ?? {};
  const halves = (await governorSlicePlans(connection, query, min)).map(({ half, plan }) => ({ half, text: plan.withheld(filter).row }));
  return {
    withheld(from, to) {
      for (const { half, text: text2 } of halves)
        if (text2 && half.from <= to && half.to >= from)
          return text2;
      return null;
    }
  };
}
function splitGivenBy(min, by) {
  return min === null || by === "half_term" || by === "term" || by === "academic_year";
}
function governorSliceFigures(min, by, measures) {
  const absence_sessions = measures.authorised_sessions + measures.unauthorised_sessions;
  const attended = min === null ? measures : attendedOnly(measures);
  if (splitGivenBy(min, by))
    return { ...attended, absence_sessions };
  return { ...attended, absence_sessions, authorised_sessions: null, unauthorised_sessions: null, authorised_pct: null, unauthorised_pct: null };
}
function attendedOnly(measures) {
  return { ...measures, present_sessions: measures.present_sessions + measures.aea_sessions, aea_sessions: 0 };
}
function sliceDates(by, group) {
  const iso2 = (date) => format15(date, "yyyy-MM-dd");
  if (by === "date")
    return { from: group, to: group };
  if (by === "week")
    return { from: group, to: iso2(addDays5(parseISO15(group), 6)) };
  return { from: `${group}-01`, to: iso2(endOfMonth4(parseISO15(`${group}-01`))) };
}
async function governorPeriodsWithheld(connection, query, by, min) {
  const inside = (await halfTermsOf(connection)).filter((h) => h.from >= query.from && h.to <= query.to);
  const groups = /* @__PURE__ */ new Map();
  for (const h of inside) {
    const key = by === "half_term" ? h.key : by === "term" ? h.term : h.academicYear;
    const span = groups.get(key);
    groups.set(key, { from: span?.from ?? h.from, to: h.to });
  }
  const result = /* @__PURE__ */ new Map();
  for (const [key, span] of groups)
    result.set(key, (await governorWithheldBy(connection, { ...span, filter: query.filter }, null, min)).get("") ?? NOTHING_WITHHELD);
  return result;
}

// analytics/withheld-rule.ts
function withheldRuleWords(min) {
  return `figures for groups of fewer than ${min} pupils and counts of 1 to ${min - 1} pupils are withheld (a count of 0 is shown: it names no one; so is the count of pupils who left before a period's last half term, which is the period's pupils less that half term's, both printed; a group with no pupils in the period reads as withheld too, so that none and a few cannot be told apart), and so are figures from which one could be worked out by subtraction; both read "withheld", so neither can be told from the other`;
}
function withheldRuleSentence(min) {
  return `For governors, ${withheldRuleWords(min)}.`;
}
function slicesWithheldWords(min, what, slices) {
  return `${what} is withheld for governors: in a half term of this period a day had 1 to ${min - 1} pupils absent, and its ${slices} would let that day's figures be worked out (they add up to the days), or a figure of the half term itself is withheld. The figures for the period as a whole are given.`;
}

// analytics/code-families.ts
var CODE_FAMILIES = {
  I: "Illness",
  M: "Medical or dental appointments",
  G: "Holiday not agreed",
  H: "Holiday agreed (codes before August 2024)",
  F: "Holiday agreed (codes before August 2024)",
  N: "No reason yet given",
  O: "Other unauthorised absence",
  U: "Arrived after registers closed",
  R: "Religious observance"
};
var OTHER_AUTHORISED = "Other authorised absence (leave, part-time timetables, exclusions and similar)";
function codeFamilyOf(code, category) {
  return CODE_FAMILIES[code] ?? (category === "authorised" ? OTHER_AUTHORISED : "Other unauthorised absence");
}

// analytics/governor-reasons.ts
async function pupilReasons(connection, from, to) {
  const rows = await cachedRows(
    connection,
    `SELECT sd.half_term AS half, m.upn, m.code::VARCHAR AS code, any_value(cc.category) AS category, count(*)::INTEGER AS sessions
     FROM marks m
     JOIN school_days sd ON sd.date = m.date
     JOIN code_catalogue cc
       ON cc.code = m.code
      AND cc.regime = CASE WHEN m.date >= $regime_from::DATE THEN '2024' ELSE '2006' END
     WHERE m.date BETWEEN $from::DATE AND $to::DATE AND cc.category IN ('authorised', 'unauthorised')
     GROUP BY ALL`,
    { from, to, regime_from: REGIME_2024_FROM }
  );
  return rows.map((r) => ({ half: r.half, upn: r.upn, label: codeFamilyOf(r.code, r.category), category: r.category, sessions: r.sessions }));
}
function schoolDayFrom(halves, from) {
  if (halves.some((h) => h.from <= from && from <= h.to))
    return from;
  return halves.find((h) => h.from > from)?.from ?? from;
}
function periodsOf(halves) {
  const periods = [];
  const seen = /* @__PURE__ */ new Set();
  const add2 = (key, list) => {
    const id = list.join(",");
    if (list.length === 0 || seen.has(id))
      return;
    seen.add(id);
    periods.push({ key, halves: list });
  };
  for (const h of halves)
    add2(`h:${h.key}`, [h.key]);
  for (const term of new Set(halves.map((h) => h.term)))
    add2(`t:${term}`, halves.filter((h) => h.term === term).map((h) => h.key));
  halves.forEach((h, i) => add2(`y:${h.key}`, halves.slice(0, i + 1).map((x) => x.key)));
  return periods;
}
var cell = (period, name) => `${period}|${name}`;
function planReasons(rows, halves, min) {
  const periods = periodsOf(halves);
  const reasons = /* @__PURE__ */ new Map();
  for (const r of rows)
    reasons.set(r.label, r.category);
  const cells = [];
  const sums = [];
  const values = /* @__PURE__ */ new Map();
  for (const p of periods) {
    const inside = new Set(p.halves);
    const sessions2 = /* @__PURE__ */ new Map();
    const pupils = /* @__PURE__ */ new Map();
    for (const r of rows) {
      if (!inside.has(r.half))
        continue;
      sessions2.set(r.label, (sessions2.get(r.label) ?? 0) + r.sessions);
      const set = pupils.get(r.label) ?? /* @__PURE__ */ new Set();
      set.add(r.upn);
      pupils.set(r.label, set);
    }
    const byCategory = { authorised: [], unauthorised: [] };
    const totals = { authorised: 0, unauthorised: 0 };
    for (const [label, category] of reasons) {
      const id = cell(p.key, label);
      const value = sessions2.get(label) ?? 0;
      values.set(id, value);
      byCategory[category].push(id);
      totals[category] += value;
      const small = isSmallCount(pupils.get(label)?.size ?? 0, min);
      cells.push({ id, value, ...small ? { primary: { lo: 1, hi: Number.POSITIVE_INFINITY } } : {} });
      if (p.halves.length > 1)
        sums.push({ total: id, parts: p.halves.map((h) => cell(`h:${h}`, label)) });
    }
    for (const category of ["authorised", "unauthorised"]) {
      cells.push({ id: cell(p.key, category), value: totals[category], public: true });
      sums.push({ total: cell(p.key, category), parts: byCategory[category] });
    }
  }
  const stuck = /* @__PURE__ */ new Set();
  const hidden = protect(cells, sums, [], { stuck, focused: true });
  publishWorkedOut2(cells, hidden, sums);
  return { periods, reasons, values, hidden };
}
function publishWorkedOut2(cells, hidden, sums) {
  const known = /* @__PURE__ */ new Map();
  const withheld2 = /* @__PURE__ */ new Map();
  for (const c2 of cells) {
    const why = hidden.get(c2.id);
    if (why === void 0 || c2.public)
      known.set(c2.id, c2.value);
    else
      withheld2.set(c2.id, why === "primary" && c2.primary ? c2.primary : { lo: 0, hi: Number.POSITIVE_INFINITY });
  }
  for (const [id, b] of inferBounds(known, withheld2, sums))
    if (b.lo === b.hi && hidden.get(id) === "secondary")
      hidden.delete(id);
}
async function governorReasons(connection, span, min) {
  const all = await halfTermsOf(connection);
  const inside = all.filter((h) => h.from >= span.from && h.to <= span.to);
  const year = inside[0]?.academicYear;
  const whole = inside.length > 0 && inside.every((h) => h.academicYear === year) && inside[0].from === span.from && inside.at(-1).to === span.to;
  const horizon = governorHorizon(all, currentDate()) ?? "";
  const planned2 = whole ? all.filter((h) => h.academicYear === year && (h.to <= horizon || h.to <= span.to)) : [{ key: "span", term: "span", academicYear: "span", from: span.from, to: span.to }];
  const from = schoolDayFrom(all, planned2[0].from);
  const to = planned2.at(-1).to;
  let rows = await pupilReasons(connection, from, to);
  if (!whole)
    rows = rows.map((r) => ({ ...r, half: "span" }));
  const plan = planReasons(rows, planned2, min);
  const spanHalves = whole ? inside.map((h) => h.key) : ["span"];
  const spanPeriod = plan.periods.find((p) => p.halves.join(",") === spanHalves.join(","));
  const figures = (periodKey) => {
    const result2 = [];
    for (const [label, category] of plan.reasons) {
      const id = cell(periodKey, label);
      const sessions2 = plan.values.get(id) ?? 0;
      if (sessions2 === 0)
        continue;
      const withheld2 = min !== null && plan.hidden.has(id);
      result2.push({ label, category, sessions: withheld2 ? null : sessions2, withheld: withheld2 ? WITHHELD_TEXT : null });
    }
    return result2.sort((a, b) => a.sessions === null !== (b.sessions === null) ? a.sessions === null ? 1 : -1 : (b.sessions ?? 0) - (a.sessions ?? 0) || a.label.localeCompare(b.label));
  };
  const result = /* @__PURE__ */ new Map([["", figures(spanPeriod.key)]]);
  if (whole)
    for (const h of inside)
      result.set(h.key, figures(`h:${h.key}`));
  return result;
}

// analytics/packs/sections.ts
async function packSuppression(connection, periods, min) {
  return {
    period: await governorSpanPlan(connection, periods.period, min),
    yearToDate: await governorSpanPlan(connection, periods.yearToDate, min),
    lastYear: periods.lastYear ? { period: await governorSpanPlan(connection, periods.lastYear.period, min), yearToDate: await governorSpanPlan(connection, periods.lastYear.yearToDate, min) } : null
  };
}
async function governorSpanPlan(connection, span, min) {
  const plan = (await governorLattice(connection, span, null, min)).get("");
  return plan ? absenceAsRow(plan.asGroupPlan("whole-roll")) : { ...NO_SUPPRESSION, min };
}
function absenceAsRow(plan) {
  const row = (key) => plan.rowHidden(key) || plan.hidden(key, "attended_sessions");
  return {
    ...plan,
    rowHidden: row,
    rowReason: (key) => plan.rowReason(key) ?? (row(key) ? "secondary" : null),
    hidden: (key, figure) => plan.hidden(key, figure) || row(key)
  };
}
var withheld = (plan, key, figure) => ({ kind: "suppressed", text: plan.text(key, figure) });
function plannedCount(plan, key, figure, value) {
  return plan && plan.hidden(key, figure) ? withheld(plan, key, figure) : num(value);
}
function plannedRate(plan, key, figure, value) {
  return plan && plan.hidden(key, figure) ? withheld(plan, key, figure) : rate(value);
}
var NO_NATIONAL = "No published figure loaded";
function targetStatus(value, target) {
  if (value === null)
    return { text: "No figure", tone: "neutral" };
  const verdict = targetVerdict(value, target);
  const words = `${verdict.words.charAt(0).toUpperCase()}${verdict.words.slice(1)}`;
  return { text: verdict.precise ? `${words} (${verdict.why})` : words, tone: verdict.meets ? "good" : "bad" };
}
var targetTag = (value, target) => ({ kind: "tag", ...targetStatus(value, target) });
function complementOf(rows, group) {
  const others = rows.filter((row) => row.group !== group);
  const sum = (key) => others.reduce((total, row) => total + row[key], 0);
  return withRates({
    pupils: sum("pupils"),
    possible_sessions: sum("possible_sessions"),
    present_sessions: sum("present_sessions"),
    aea_sessions: sum("aea_sessions"),
    authorised_sessions: sum("authorised_sessions"),
    unauthorised_sessions: sum("unauthorised_sessions"),
    pa_pupils: sum("pa_pupils"),
    sa_pupils: sum("sa_pupils")
  });
}
function paWhy(headline) {
  const short = Object.values(headline.paGiven).filter((span) => span.schoolDays > 0 && !span.given);
  const why = paNotGivenWhy(short.filter((span, i) => short.findIndex((other) => other.named === span.named) === i));
  return why ? ` ${why}` : "";
}
var spanWords = (span) => `${ukDate(span.from)} to ${ukDate(span.to)}`;
var gap = printedDifference;
function codeRegimeNotes(headline) {
  return headline.lastYearSpans.yearToDate.from < REGIME_2024_FROM ? ["Some of last year's figures are from registers kept under the attendance codes in force before 19 August 2024; the new codes count a few absences differently."] : [];
}
var NATIONAL_MEASURES = [
  "overall_absence_pct",
  "authorised_absence_pct",
  "unauthorised_absence_pct",
  "persistent_absence_pct",
  "severe_absence_pct"
];
async function nationalFigures(connection, periods) {
  const byMeasure = {};
  try {
    await ensureShippedBenchmarks(connection);
    const found = await findBenchmarkSet(
      connection,
      { academicYear: academicYearOf(periods.yearToDate.to), period: "year-to-date", asOf: periods.yearToDate.to, allowEarlierYear: true },
      NATIONAL_MEASURES
    );
    for (const measure of NATIONAL_MEASURES) {
      const figure = found.get(measure);
      if (figure)
        byMeasure[measure] = figure;
    }
  } catch (error) {
    return { byMeasure: {}, notes: [`National figures could not be read: ${error.message}`] };
  }
  const figures = Object.values(byMeasure);
  let period;
  let unlike = null;
  if (figures.length > 0) {
    const academicYear = academicYearOf(periods.yearToDate.to);
    const lastDay = (await cachedOne(connection, `SELECT strftime(max(date), '%Y-%m-%d') AS last FROM school_days WHERE academic_year = $year`, { year: academicYear }))?.last ?? null;
    const span = { academicYear, kind: "year-to-date", to: periods.yearToDate.to, complete: Boolean(lastDay && periods.yearToDate.to >= lastDay) };
    const f = figures[0];
    const like = likeForLike(span, f);
    period = { words: describePeriod(f.academicYear, f.period, f.periodEnd), like: like.like };
    if (!like.like && like.reason)
      unlike = `${like.reason.charAt(0).toUpperCase()}${like.reason.slice(1)}.`;
  }
  if (figures.length === 0)
    return { byMeasure, notes: [`${NO_NATIONAL} for ${academicYearOf(periods.yearToDate.to)} or the year before.`] };
  const sources = [...new Set(figures.map((f) => `${f.label}: ${citeSource(f)}`))];
  const caveats = [...new Set(figures.flatMap((f) => f.notes))];
  if (figures.some((f) => f.phase === "all-state-funded"))
    caveats.push(ALL_SCHOOLS_CAVEAT.charAt(0).toUpperCase() + ALL_SCHOOLS_CAVEAT.slice(1));
  return { byMeasure, notes: [`${sources.join("; ")}.`, ...unlike ? [unlike] : [], ...caveats.map((c2) => `${c2}.`)], period };
}
async function headlineMeasures(connection, periods, today) {
  const halfTerms = await halfTermsOf(connection);
  const marked = (span) => today === void 0 ? Promise.resolve(span) : markedPartOf(connection, span, today);
  const lastYearSpans = periods.lastYear ?? {
    period: sameSpanLastYear(halfTerms, await marked(periods.period)),
    yearToDate: sameSpanLastYear(halfTerms, await marked(periods.yearToDate))
  };
  return {
    period: await summarise(connection, periods.period),
    periodLastYear: await summarise(connection, lastYearSpans.period),
    yearToDate: await summarise(connection, periods.yearToDate),
    yearToDateLastYear: await summarise(connection, lastYearSpans.yearToDate),
    lastYearSpans: { period: { from: lastYearSpans.period.from, to: lastYearSpans.period.to }, yearToDate: { from: lastYearSpans.yearToDate.from, to: lastYearSpans.yearToDate.to } },
    paGiven: {
      period: await persistentAbsenceSpan(connection, periods.period, periods.label),
      periodLastYear: await persistentAbsenceSpan(connection, lastYearSpans.period, `the same period last year (${spanWords(lastYearSpans.period)})`),
      yearToDate: await persistentAbsenceSpan(connection, periods.yearToDate, `the year to date (${spanWords(periods.yearToDate)})`),
      yearToDateLastYear: await persistentAbsenceSpan(connection, lastYearSpans.yearToDate, `last year to date (${spanWords(lastYearSpans.yearToDate)})`)
    },
    yearToDateDfe: await summarise(connection, { ...periods.yearToDate, population: "dfe" }),
    national: await nationalFigures(connection, periods)
  };
}
function headlineSection(headline, periods, settings, min, plans = null) {
  const target = settings.target_attendance_pct;
  const { period, yearToDate, periodLastYear, yearToDateLastYear } = headline;
  const lastPeriodSchool = plans?.lastYear ? { plan: plans.lastYear.period, key: groupKey.school } : null;
  const lastYtdSchool = plans?.lastYear ? { plan: plans.lastYear.yearToDate, key: groupKey.school } : null;
  const rowOut = (where) => where !== null && where.plan.rowHidden(where.key);
  const attendanceFigure = (label, m, lastYear, lastWhere) => ({
    label,
    value: rate(m.attendance_pct),
    details: [
      // The tag's own verdict's gap (targetVerdict), never the printed figures' (96.117 % read
      // "±0.0 pts against the 96.1% target" under "Above target (96.12%)").
      `${m.attendance_pct === null ? points(null) : targetVerdict(m.attendance_pct, target).points} against the ${formatThreshold(target, 1)} target`,
      rowOut(lastWhere) ? `Same period last year: ${WITHHELD_TEXT}` : `Same period last year: ${pct(lastYear.attendance_pct)} (${points(gap(m.attendance_pct, lastYear.attendance_pct))})`,
      `${(m.present_sessions + m.aea_sessions).toLocaleString("en-GB")} of ${m.possible_sessions.toLocaleString("en-GB")} possible sessions attended`
    ],
    status: targetStatus(m.attendance_pct, target)
  });
  const ytdSchool = plans ? { plan: plans.yearToDate, key: groupKey.school } : null;
  const countCell = (m, figure, where) => where ? where.plan.hidden(where.key, figure) ? withheld(where.plan, where.key, figure) : num(m[figure]) : pupilCountCell(m[figure], min);
  const rateCell = (m, figure, where) => {
    const value = figure === "pa_pupils" ? m.pa_pct : m.sa_pct;
    return where ? where.plan.hidden(where.key, figure) ? withheld(where.plan, where.key, figure) : rate(value) : pupilRateCell(m[figure], value, min);
  };
  const paFigure = !headline.paGiven.yearToDate.given ? {
    label: "Persistent absence, year to date",
    value: text(PA_NOT_GIVEN_TEXT),
    details: [headline.paGiven.yearToDate.why]
  } : {
    label: "Persistent absence, year to date",
    value: rateCell(yearToDate, "pa_pupils", ytdSchool),
    details: [
      paCountWords(countCell(yearToDate, "pa_pupils", ytdSchool), yearToDate.pupils),
      `Same period last year: ${cellWords(lastYtdSchool ? rateCell(yearToDateLastYear, "pa_pupils", lastYtdSchool) : pupilRateCell(yearToDateLastYear.pa_pupils, yearToDateLastYear.pa_pct, min))}`
    ]
  };
  const unauthorisedFigure = {
    label: "Unauthorised absence, year to date",
    value: rate(yearToDate.unauthorised_pct),
    details: [
      `${yearToDate.unauthorised_sessions.toLocaleString("en-GB")} sessions`,
      `Same period last year: ${rowOut(lastYtdSchool) ? WITHHELD_TEXT : pct(yearToDateLastYear.unauthorised_pct)}`
    ]
  };
  const national = (measure, transform = (v) => v) => {
    const figure = headline.national.byMeasure[measure];
    if (!figure)
      return text(NO_NATIONAL);
    return figure.phase === "primary" ? rate(transform(figure.value)) : text(`${pct(transform(figure.value))} (all schools, for reference)`);
  };
  const rateChange = (key) => (a, b) => diff(gap(a[key], b[key]));
  const pupilRateChange = (countKey, key) => (a, b, where) => where && where.plan.hidden(where.key, countKey) ? withheld(where.plan, where.key, countKey) : min !== null && (a[countKey] > 0 && a[countKey] < min || b[countKey] > 0 && b[countKey] < min) ? { kind: "suppressed", text: WITHHELD_TEXT } : diff(gap(a[key], b[key]));
  const rows = [
    // Attendance and overall absence are complements by definition (both over possible sessions).
    { label: "Attendance", pick: (m) => rate(m.attendance_pct), change: rateChange("attendance_pct"), target: settingRate(target), national: national("overall_absence_pct", (v) => 100 - v) },
    { label: "Overall absence", pick: (m) => rate(m.absence_pct), change: rateChange("absence_pct"), national: national("overall_absence_pct") },
    { label: "Authorised absence", pick: (m) => rate(m.authorised_pct), change: rateChange("authorised_pct"), national: national("authorised_absence_pct") },
    { label: "Unauthorised absence", pick: (m) => rate(m.unauthorised_pct), change: rateChange("unauthorised_pct"), national: national("unauthorised_absence_pct") },
    { label: "Persistent absence (% of pupils)", pick: (m, where) => rateCell(m, "pa_pupils", where ?? null), change: pupilRateChange("pa_pupils", "pa_pct"), national: national("persistent_absence_pct"), figure: "pa_pupils" },
    { label: "Persistently absent pupils", pick: (m, where) => countOrNone(m, () => countCell(m, "pa_pupils", where ?? null)), change: () => text(""), figure: "pa_pupils" },
    { label: "Severe absence (% of pupils)", pick: (m, where) => rateCell(m, "sa_pupils", where ?? null), change: pupilRateChange("sa_pupils", "sa_pct"), national: national("severe_absence_pct"), figure: "sa_pupils" },
    { label: "Pupils on roll with sessions", pick: (m) => countOrNone(m, () => num(m.pupils)), change: () => text("") },
    { label: "Possible sessions", pick: (m) => countOrNone(m, () => num(m.possible_sessions)), change: () => text("") }
  ];
  const table = {
    caption: `Whole school: ${periods.label} and the year to date`,
    columns: [
      { label: "Measure" },
      { label: periods.noun, numeric: true },
      { label: "Same period last year", numeric: true },
      { label: "Change", numeric: true },
      { label: "Year to date", numeric: true },
      { label: "Last year to date", numeric: true },
      { label: "Change", numeric: true },
      { label: "Target", numeric: true },
      { label: "Year to date, aged 5\u201315 (DfE basis)", numeric: true },
      // Headed with the published figures' own period; "for reference" when it is not the school's (likeForLike).
      { label: headline.national.period ? `National (${headline.national.period.words}${headline.national.period.like ? "" : ", for reference"})` : "National", numeric: true }
    ],
    rows: rows.map((row) => {
      const periodSchool = plans ? { plan: plans.period, key: groupKey.school } : null;
      const ytdDfe = plans ? { plan: plans.yearToDate, key: "dfe" } : null;
      const change = row.change;
      const lastOut = (where) => rowOut(where) || row.figure !== void 0 && where !== null && where.plan.hidden(where.key, row.figure);
      const lastCell = (m, where) => rowOut(where) ? withheld(where.plan, where.key, "possible_sessions") : row.pick(m, where ?? void 0);
      const changeCell = (a, b, thisWhere, lastWhere) => lastOut(lastWhere) ? { kind: "suppressed", text: WITHHELD_TEXT } : change(a, b, thisWhere ?? void 0);
      const given = (span) => row.figure === void 0 || headline.paGiven[span].given || headline.paGiven[span].schoolDays === 0;
      const unlessShort = (span, cell2) => given(span) ? cell2() : text(PA_NOT_GIVEN_TEXT);
      const changeUnlessShort = (a, b, cell2) => given(a) && given(b) ? cell2() : text("");
      return [
        text(row.label),
        unlessShort("period", () => row.pick(period, periodSchool)),
        unlessShort("periodLastYear", () => lastCell(periodLastYear, lastPeriodSchool)),
        changeUnlessShort("period", "periodLastYear", () => changeCell(period, periodLastYear, periodSchool, lastPeriodSchool)),
        unlessShort("yearToDate", () => row.pick(yearToDate, ytdSchool)),
        unlessShort("yearToDateLastYear", () => lastCell(yearToDateLastYear, lastYtdSchool)),
        changeUnlessShort("yearToDate", "yearToDateLastYear", () => changeCell(yearToDate, yearToDateLastYear, ytdSchool, lastYtdSchool)),
        row.target ?? text(""),
        // The DfE population's cell is withheld whole where the plan withholds it (the whole
        // roll less it would give the pupils outside it: one Reception child's attendance).
        row.national ? unlessShort("yearToDate", () => rowOut(ytdDfe) ? withheld(ytdDfe.plan, ytdDfe.key, "possible_sessions") : row.pick(headline.yearToDateDfe, ytdDfe)) : text(""),
        row.national ?? text("")
      ];
    }),
    note: `Last year: ${periods.lastYear ? "the same half terms a year earlier" : "the same place in the academic year a year earlier"} (this period ${spanWords(headline.lastYearSpans.period)}; the year to date ${spanWords(headline.lastYearSpans.yearToDate)}). Persistent absence: 10% or more of a pupil's own possible sessions missed; severe: 50% or more.${paWhy(headline)} National figures cover ${POPULATION_WORDS.dfe}; the school is compared on the same basis in the column beside them (the other columns are ${wholeRollWords(headline.yearToDate.pupils - headline.yearToDateDfe.pupils)}). National: ${headline.national.notes.join(" ")}`
  };
  return {
    id: "headline",
    title: "Attendance against target, last year and national",
    sheet: "Headline",
    intro: `This pack covers ${periodLine(periods.label, periods.period)}; the year to date runs from ${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)}. The school's target is ${formatThreshold(target, 1)}.`,
    blocks: [
      {
        kind: "figures",
        items: [attendanceFigure(`Attendance, ${periods.label}`, period, periodLastYear, lastPeriodSchool), attendanceFigure("Attendance, year to date", yearToDate, yearToDateLastYear, lastYtdSchool), paFigure, unauthorisedFigure]
      },
      { kind: "table", table }
    ]
  };
}
function countOrNone(m, cell2) {
  return m.pupils === 0 && m.possible_sessions === 0 ? text(NO_FIGURE) : cell2();
}
function paCountWords(count2, pupils) {
  const of = pupils.toLocaleString("en-GB");
  if (count2.kind === "suppressed")
    return `A number of the ${of} pupils (withheld) missed 10% or more of their sessions`;
  return `${cellWords(count2)} of ${of} pupils missed 10% or more of their sessions`;
}
function cellWords(cell2) {
  switch (cell2.kind) {
    case "count":
      return cell2.value.toLocaleString("en-GB");
    case "pct":
      return cellText(cell2);
    case "suppressed":
    case "text":
    case "tag":
      return cell2.text;
    default:
      return "";
  }
}
var weekLabel = (weekStart) => ukDate(weekStart, "d MMM");
async function weeklyTrendBlocks(connection, periods, settings, min = null) {
  const target = settings.target_attendance_pct;
  const slices = min === null ? null : await governorSlices(connection, { ...periods.yearToDate, filter: {} }, min);
  const withheldWeek = (week) => slices?.withheld(sliceDates("week", week).from, sliceDates("week", week).to) ?? null;
  const [yearWeeks, periodWeeks] = await summariseSessionsByEach(connection, [periods.yearToDate, periods.period], "week");
  const weeks = yearWeeks.map((w) => withheldWeek(w.group) ? { ...w, attendance_pct: null } : w);
  const schoolDays2 = await schoolDaysOf(connection, { from: periods.yearToDate.from, to: periods.yearToDate.to });
  const weeksSpan = schoolDays2.length > 0 ? `${ukDate(schoolDays2[0])} to ${ukDate(schoolDays2.at(-1))}` : `${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)}`;
  const chart = {
    type: "line",
    title: `Weekly attendance, ${weeksSpan}`,
    yLabel: "Attendance (%)",
    categories: weeks.map((w) => weekLabel(w.group)),
    dates: { first: weeks.map((w) => w.group), unit: "week" },
    series: [{ name: "Attendance", values: weeks.map((w) => w.attendance_pct) }],
    target: { value: target, label: `Target ${formatThreshold(target, 1)}` }
  };
  const inPeriod = weeks.filter((w) => w.group >= weekStartOf(periods.period.from) && w.group <= periods.period.to);
  const table = {
    caption: `Week by week, ${periods.label}`,
    // Governors: a week's absence in all, never by kind (analytics/governor-view.ts splitGivenBy).
    columns: [
      { label: "Week beginning" },
      { label: "Attendance", numeric: true },
      ...splitGivenBy(min, "week") ? [{ label: "Authorised absence", numeric: true }, { label: "Unauthorised absence", numeric: true }] : [{ label: "Absence", numeric: true }],
      { label: "Against target" }
    ],
    rows: periodWeeks.map((all) => {
      const withheld2 = withheldWeek(all.group);
      const w = governorSliceFigures(min, "week", all);
      const split = splitGivenBy(min, "week") ? [rate(w.authorised_pct), rate(w.unauthorised_pct)] : [rate(w.absence_pct)];
      if (withheld2)
        return [{ kind: "date", value: w.group }, ...Array(split.length + 2).fill({ kind: "suppressed", text: withheld2 })];
      return [{ kind: "date", value: w.group }, rate(w.attendance_pct), ...split, targetTag(w.attendance_pct, target)];
    }),
    empty: "No school days in this period.",
    note: inPeriod.length > 0 ? "A week that straddles the start or end of the period counts only its days inside the period." : void 0,
    // Some weeks withheld, not all (a half term's, beside another's given): why, under the table.
    ...min !== null ? { withheldWhy: slicesWithheldWords(min, 'Attendance in a week that reads "withheld"', "weeks") } : {}
  };
  const allWithheld = min !== null && weeks.length > 0 && weeks.every((w) => withheldWeek(w.group));
  const tableWithheld = min !== null && table.rows.length > 0 && table.rows.every((row) => row[1].kind === "suppressed");
  const withheldWords = (heading) => ({ kind: "paragraphs", heading, items: [slicesWithheldWords(min, "Attendance week by week", "weeks")] });
  if (allWithheld)
    return [withheldWords(chart.title)];
  return [{ kind: "chart", chart }, tableWithheld ? withheldWords(table.caption) : { kind: "table", table }];
}
function weekStartOf(date) {
  const d = /* @__PURE__ */ new Date(`${date}T00:00:00Z`);
  const dow = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - dow);
  return d.toISOString().slice(0, 10);
}
async function termlyTrendChart(connection, upTo, settings) {
  const first = await firstMarkDate(connection);
  const terms = first && first <= upTo ? await summariseSessionsBy(connection, { from: first, to: upTo }, "term") : [];
  const last = terms.at(-1)?.group;
  const lastEnd = last ? (await cachedOne(connection, `SELECT strftime(max(date), '%Y-%m-%d') AS end FROM school_days WHERE term = $term`, { term: last }))?.end ?? null : null;
  const termWords = (key) => key === last && lastEnd !== null && lastEnd > upTo ? `${formatTermKey(key)} (to ${ukDate(upTo)})` : formatTermKey(key);
  return {
    terms,
    chart: {
      type: "bar",
      title: "Attendance term by term",
      yLabel: "Attendance (%)",
      categories: terms.map((t) => termWords(t.group)),
      series: [{ name: "Attendance", values: terms.map((t) => t.attendance_pct) }],
      target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` }
    }
  };
}
async function firstMarkDate(connection) {
  const years = await academicYearsWithMarks(connection);
  return years.length > 0 ? academicYearBounds(years[years.length - 1]).from : null;
}
async function yearGroupsAndClassesSection(connection, periods, settings, plans) {
  const target = settings.target_attendance_pct;
  const paGiven = (await persistentAbsenceSpan(connection, periods.yearToDate)).given;
  const tableFor = async (by, caption, label) => {
    const periodRows = (await summariseByEach(connection, periods.period)).get(by) ?? [];
    const ytdRows = (await summariseByEach(connection, periods.yearToDate)).get(by) ?? [];
    const groups = [.../* @__PURE__ */ new Set([...ytdRows.map((r) => r.group), ...periodRows.map((r) => r.group)])];
    const find = (rows2, g) => rows2.find((r) => r.group === g);
    const keyOf = (g) => by === "year_group" ? groupKey.year(g) : groupKey.class(g);
    const ytdPlan = plans?.yearToDate ?? null;
    const rowHidden = (g) => Boolean(plans && (plans.yearToDate.rowHidden(keyOf(g)) || plans.period.rowHidden(keyOf(g))));
    const rowText = (g) => {
      const plan = plans.yearToDate.rowHidden(keyOf(g)) ? plans.yearToDate : plans.period;
      return plan.text(keyOf(g), "pupils");
    };
    const rows = groups.map((g) => {
      const p = find(periodRows, g);
      const y = find(ytdRows, g);
      if (rowHidden(g) && isLeaversGroup(g))
        return [text(label(g)), num(y?.pupils ?? 0), ...Array(5).fill({ kind: "suppressed", text: rowText(g) })];
      if (rowHidden(g))
        return [text(label(g)), ...Array(6).fill({ kind: "suppressed", text: rowText(g) })];
      return [
        text(label(g)),
        num(y?.pupils ?? 0),
        rate(p?.attendance_pct ?? null),
        rate(y?.attendance_pct ?? null),
        targetTag(y?.attendance_pct ?? null, target),
        paGiven ? plannedCount(ytdPlan, keyOf(g), "pa_pupils", y?.pa_pupils ?? 0) : text(PA_NOT_GIVEN_TEXT),
        paGiven ? plannedRate(ytdPlan, keyOf(g), "pa_pupils", y?.pa_pct ?? null) : text(PA_NOT_GIVEN_TEXT)
      ];
    });
    const chartGroups = groups.filter((g) => !rowHidden(g));
    const table = {
      caption,
      columns: [
        { label: by === "year_group" ? "Year group" : "Class" },
        { label: "Pupils", numeric: true },
        { label: periods.noun, numeric: true },
        { label: "Year to date", numeric: true },
        { label: "Year to date against target" },
        { label: "PA pupils", numeric: true },
        { label: "PA %", numeric: true }
      ],
      rows,
      empty: "No pupils on roll in this period."
    };
    const chart = {
      type: "bar",
      title: `${caption}: attendance`,
      yLabel: "Attendance (%)",
      categories: chartGroups.map(label),
      series: periodAndYearSeries(
        periods.label,
        chartGroups.map((g) => find(periodRows, g)?.attendance_pct ?? null),
        chartGroups.map((g) => find(ytdRows, g)?.attendance_pct ?? null)
      ),
      target: { value: target, label: `Target ${formatThreshold(target, 1)}` }
    };
    return { table, chart };
  };
  const years = await tableFor("year_group", "Year groups", yearGroupLabel);
  const classes = await tableFor("reg_group", "Classes", classLabel);
  return {
    id: "year-groups",
    title: "Year groups and classes",
    sheet: "Year groups and classes",
    // Governors' figures (plans given: the FGB pack) are read half term by half term
    // (measures.ts governorQuery), with the leavers' row (analytics/leavers.ts); staff's at the period's end.
    intro: plans ? "Each half term's attendance is counted in the year group and class pupils were in at its end (or on their last day, if they left during it); pupils in the year group and class they were in at the end of the period. Over more than one half term, pupils who left before its last half term are counted in a row of their own (\u201CLeft before \u2026\u201D); their attendance stays with the year group and class they were in." : "Pupils are counted in the year group and class they were in at the end of each period (or on their last day, if they left).",
    blocks: [
      { kind: "chart", chart: years.chart },
      { kind: "table", table: years.table },
      { kind: "chart", chart: classes.chart },
      { kind: "table", table: classes.table }
    ]
  };
}
function periodAndYearSeries(periodName, period, yearToDate) {
  const same = period.length === yearToDate.length && period.every((v, i) => v === yearToDate[i]);
  return same ? [{ name: `${periodName} (also the year to date)`, values: period }] : [{ name: periodName, values: period }, { name: "Year to date", values: yearToDate }];
}
var yearGroupLabel = (g) => groupWords(g, yearGroupWords);
var classLabel = (g) => groupWords(g, classWords);
var FOCUS_GROUPS = [
  { by: "sen", value: "E", label: "EHC plan", short: "pupils with an EHC plan", axis: "EHC plan" },
  { by: "sen", value: "K", label: "SEN support", short: "pupils with SEN support", axis: "SEN support" },
  { by: "fsm", value: "Y", label: "Free school meals (FSM)", short: "FSM pupils", axis: "FSM" },
  { by: "eal", value: "Y", label: "English as an additional language (EAL)", short: "EAL pupils", axis: "EAL" },
  { by: "lac", value: "Y", label: "Looked after (LAC)", short: "looked-after children", axis: "Looked after" }
];
var EMPTY_MEASURES = withRates({
  pupils: 0,
  possible_sessions: 0,
  present_sessions: 0,
  aea_sessions: 0,
  authorised_sessions: 0,
  unauthorised_sessions: 0,
  pa_pupils: 0,
  sa_pupils: 0
});
async function compareGroups(connection, span, min, plan = null) {
  const byDimension = /* @__PURE__ */ new Map();
  const result = [];
  for (const focus of FOCUS_GROUPS) {
    if (!byDimension.has(focus.by))
      byDimension.set(focus.by, (await summariseByEach(connection, span)).get(focus.by) ?? []);
    const rows = byDimension.get(focus.by);
    const group = rows.find((r) => r.group === focus.value) ?? { ...EMPTY_MEASURES, group: focus.value };
    const rest = complementOf(rows, focus.value);
    const key = groupKey.group(focus.by, focus.value);
    const restKey = groupKey.rest(focus.by, focus.value);
    const hidden = plan ? plan.rowHidden(key) || plan.rowHidden(restKey) : min !== null && (group.pupils < min || rest.pupils < min);
    result.push({ key, restKey, label: focus.label, short: focus.short, axis: focus.axis, group, rest, hidden });
  }
  return result;
}
async function groupComparisons(connection, periods, min, plans = null) {
  const inPeriod = await compareGroups(connection, periods.period, min, plans?.period ?? null);
  const toDate = await compareGroups(connection, periods.yearToDate, min, plans?.yearToDate ?? null);
  const paGiven = (await persistentAbsenceSpan(connection, periods.yearToDate)).given;
  return inPeriod.map((p, i) => ({
    key: p.key,
    restKey: p.restKey,
    label: p.label,
    short: p.short,
    axis: p.axis,
    period: { group: p.group, rest: p.rest, hidden: p.hidden },
    yearToDate: { group: toDate[i].group, rest: toDate[i].rest, hidden: toDate[i].hidden, paGiven }
  }));
}
function groupsSection(comparisons, periods, settings, min, plans = null) {
  const ytdPlan = plans?.yearToDate ?? null;
  const rows = comparisons.map((c2) => {
    const p = c2.period;
    const y = c2.yearToDate;
    const reasonOf = (plan) => plan && (plan.rowHidden(c2.key) ? plan.text(c2.key, "pupils") : plan.rowHidden(c2.restKey) ? plan.text(c2.restKey, "pupils") : null);
    const periodText = reasonOf(plans?.period);
    const ytdText = reasonOf(plans?.yearToDate);
    const suppressed = (which) => ({ kind: "suppressed", text: (which === "period" ? periodText : ytdText) ?? WITHHELD_TEXT });
    const periodCells = p.hidden ? [suppressed("period"), suppressed("period"), suppressed("period")] : [rate(p.group.attendance_pct), rate(p.rest.attendance_pct), diff(gap(p.group.attendance_pct, p.rest.attendance_pct))];
    const ytdCells = y.hidden ? Array(6).fill(suppressed("ytd")) : [
      num(y.group.pupils),
      rate(y.group.attendance_pct),
      rate(y.rest.attendance_pct),
      diff(gap(y.group.attendance_pct, y.rest.attendance_pct)),
      y.paGiven === false ? text(PA_NOT_GIVEN_TEXT) : ytdPlan ? plannedRate(ytdPlan, c2.key, "pa_pupils", y.group.pa_pct) : pupilRateCell(y.group.pa_pupils, y.group.pa_pct, min),
      y.paGiven === false ? text(PA_NOT_GIVEN_TEXT) : ytdPlan ? plannedRate(ytdPlan, c2.restKey, "pa_pupils", y.rest.pa_pct) : pupilRateCell(y.rest.pa_pupils, y.rest.pa_pct, min)
    ];
    return [text(c2.label), ...ytdCells.slice(0, 1), ...periodCells, ...ytdCells.slice(1)];
  });
  const shown = comparisons.filter((c2) => !c2.yearToDate.hidden && c2.yearToDate.group.pupils > 0);
  const chart = {
    type: "bar",
    title: "Year-to-date attendance of each group and the rest of the school",
    yLabel: "Attendance (%)",
    categories: shown.map((c2) => c2.axis),
    series: [
      { name: "Group", values: shown.map((c2) => c2.yearToDate.group.attendance_pct) },
      { name: "Rest of the school", values: shown.map((c2) => c2.yearToDate.rest.attendance_pct) }
    ],
    target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` }
  };
  return {
    id: "groups",
    title: "Pupil groups",
    sheet: "Groups",
    intro: "Each group is compared with the rest of the school (every pupil not in it). A negative gap means the group attends less. Characteristics are those in force at the end of each period." + (min !== null ? ` Figures for groups of fewer than ${min} pupils are withheld, together with their comparison, so no pupil can be identified.` : ""),
    blocks: [
      { kind: "chart", chart },
      {
        kind: "table",
        table: {
          caption: "Groups against the rest of the school",
          columns: [
            { label: "Group" },
            { label: "Pupils", numeric: true },
            { label: `${periods.noun}`, numeric: true },
            { label: "Rest of school", numeric: true },
            { label: "Gap", numeric: true },
            { label: "Year to date", numeric: true },
            { label: "Rest of school", numeric: true },
            { label: "Gap", numeric: true },
            { label: "PA % (group)", numeric: true },
            { label: "PA % (rest)", numeric: true }
          ],
          rows
        }
      }
    ]
  };
}
async function weekdayMeasures(connection, span) {
  return summariseSessionsBy(connection, span, "weekday");
}
function weekdayBlocks(period, yearToDate, periods, settings, min = null, withheld2 = null) {
  const days = yearToDate.map((d) => d.group);
  const splitGiven = splitGivenBy(min, "weekday");
  const absenceOf2 = (d) => {
    const row = find(yearToDate, d);
    return row ? splitGiven ? row.unauthorised_pct : row.absence_pct : null;
  };
  const find = (rows, g) => rows.find((r) => r.group === g);
  const chart = days.length === 0 ? [] : [
    {
      kind: "chart",
      chart: {
        type: "bar",
        title: "Attendance by day of the week",
        yLabel: "Attendance (%)",
        categories: days,
        series: periodAndYearSeries(
          periods.label,
          days.map((d) => find(period, d)?.attendance_pct ?? null),
          days.map((d) => find(yearToDate, d)?.attendance_pct ?? null)
        ),
        target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` }
      }
    }
  ];
  return [
    ...chart,
    {
      kind: "table",
      table: {
        caption: "Days of the week",
        columns: [
          { label: "Day" },
          { label: periods.noun, numeric: true },
          { label: "Year to date", numeric: true },
          { label: splitGiven ? "Unauthorised absence, year to date" : "Absence, year to date", numeric: true }
        ],
        rows: days.map((d) => [text(d), rate(find(period, d)?.attendance_pct ?? null), rate(find(yearToDate, d)?.attendance_pct ?? null), rate(absenceOf2(d))]),
        // Withheld is not "no school days" (a trial read that over 38 school days).
        empty: withheld2 && min !== null ? slicesWithheldWords(min, "Attendance by day of the week", "weekdays") : "No school days in this period."
      }
    }
  ];
}
function absenceCodeRows(codes, mode) {
  const absences = codes.filter((c2) => c2.category === "authorised" || c2.category === "unauthorised");
  if (mode === "codes")
    return absences.map((c2) => ({ label: `${c2.code} \u2014 ${c2.meaning}`, category: c2.category, sessions: c2.sessions }));
  const families = /* @__PURE__ */ new Map();
  for (const c2 of absences) {
    const label = codeFamilyOf(c2.code, c2.category);
    const entry = families.get(label) ?? { label, category: c2.category, sessions: 0 };
    entry.sessions += c2.sessions;
    families.set(label, entry);
  }
  return [...families.values()].sort((a, b) => b.sessions - a.sessions);
}
async function codeBlocks(connection, periods, mode, min = null) {
  const [periodCodes, ytdCodes] = await sessionsByCodeEach(connection, [periods.period, periods.yearToDate]);
  const over = async (span, codes) => {
    const all = absenceCodeRows(codes, mode);
    const total = all.reduce((t, r) => t + r.sessions, 0);
    if (mode === "codes" || min === null)
      return { rows: all.map((r) => ({ ...r, sessions: r.sessions })), total };
    const reasons = (await governorReasons(connection, span, min)).get("") ?? [];
    return { rows: reasons.map((r) => ({ label: r.label, category: r.category, sessions: r.sessions })), total };
  };
  const { rows: period, total: periodTotal } = await over(periods.period, periodCodes);
  const { rows: ytd, total: ytdTotal } = await over(periods.yearToDate, ytdCodes);
  const labels = [.../* @__PURE__ */ new Set([...ytd.map((r) => r.label), ...period.map((r) => r.label)])];
  const share = (n, total) => total > 0 ? 100 * n / total : null;
  const figures = (row, total) => row && row.sessions === null ? [{ kind: "suppressed", text: WITHHELD_TEXT }, { kind: "suppressed", text: WITHHELD_TEXT }] : [num(row?.sessions ?? 0), rate(share(row?.sessions ?? 0, total))];
  const rows = labels.map((label) => {
    const p = period.find((r) => r.label === label);
    const y = ytd.find((r) => r.label === label);
    const category = (y ?? p).category;
    return [
      text(label),
      { kind: "tag", text: category === "authorised" ? "Authorised" : "Unauthorised", tone: category === "authorised" ? "neutral" : "warn" },
      ...figures(p, periodTotal),
      ...figures(y, ytdTotal)
    ];
  });
  return [
    {
      kind: "table",
      table: {
        caption: mode === "codes" ? "Absence by code" : "Absence by reason",
        columns: [
          { label: mode === "codes" ? "Code" : "Reason" },
          { label: "Type" },
          { label: `${periods.noun}: sessions`, numeric: true },
          { label: "Share of absence", numeric: true },
          { label: "Year to date: sessions", numeric: true },
          { label: "Share of absence", numeric: true }
        ],
        rows,
        empty: "No absence recorded in this period."
      }
    }
  ];
}
async function toDateGroups(connection, yearToDate) {
  const breakdowns = await summariseByEach(connection, yearToDate);
  const years = breakdowns.get("year_group") ?? [];
  const classes = breakdowns.get("reg_group") ?? [];
  return [
    { key: groupKey.school, label: "Whole school", filter: {} },
    // No tab for the leavers of the year so far (analytics/leavers.ts): the tabs give
    // attendance, and the leavers have no sessions of their own (each half term's are in that
    // half term's year group and class); the whole school's tab counts them.
    ...years.filter((y) => !isLeaversGroup(y.group)).map((y) => ({ key: groupKey.year(y.group), label: yearGroupLabel(y.group), filter: { year_group: y.group } })),
    ...classes.filter((c2) => !isLeaversGroup(c2.group)).map((c2) => ({ key: groupKey.class(c2.group), label: classLabel(c2.group), filter: { reg_group: c2.group } }))
  ];
}
async function toDateTabs(connection, periods, plans) {
  const groups = await toDateGroups(connection, periods.yearToDate);
  const plan = plans?.yearToDate ?? null;
  const min = plan ? plan.min : null;
  const suppressedCell = () => ({ kind: "suppressed", text: WITHHELD_TEXT });
  const seriesOf = async (by) => {
    const within = await summariseWithinEach(connection, periods.yearToDate, ["year_group", "reg_group"], by);
    const whole = by ? await summariseBy(connection, periods.yearToDate, by) : [{ group: "", ...await summarise(connection, periods.yearToDate) }];
    const years = within.get("year_group");
    const classes = within.get("reg_group");
    return groups.map((group) => {
      if (group.filter.year_group !== void 0)
        return years.get(group.filter.year_group) ?? [];
      if (group.filter.reg_group !== void 0)
        return classes.get(group.filter.reg_group) ?? [];
      return whole;
    });
  };
  const over = async (by, sheet, caption, firstColumn, label) => {
    const series = await seriesOf(by);
    const slices = [...new Set(series.flatMap((rows2) => rows2.map((r) => r.group)))].sort();
    const withheldIn = plan ? await Promise.all(
      groups.map(async (group) => {
        const query = { ...periods.yearToDate, filter: group.filter };
        if (by === "term") {
          const terms = await governorPeriodsWithheld(connection, query, "term", plan.min);
          return (slice) => terms.get(slice)?.row ?? null;
        }
        const weeks = await governorSlices(connection, query, plan.min);
        return (slice) => weeks.withheld(sliceDates("week", slice).from, sliceDates("week", slice).to);
      })
    ) : null;
    const why = /* @__PURE__ */ new Set();
    const rows = slices.map((slice) => [
      label(slice),
      ...series.map((rows2, i) => {
        const row = rows2.find((r) => r.group === slice);
        if (plan && plan.rowHidden(groups[i].key))
          return why.add("rule"), { kind: "suppressed", text: plan.text(groups[i].key, "pupils") };
        if (!row)
          return rate(null);
        const inPeriod = withheldIn?.[i](slice);
        if (inPeriod)
          return why.add(by === "week" ? "slices" : "rule"), { kind: "suppressed", text: inPeriod };
        return min !== null && row.pupils < min ? (why.add("rule"), suppressedCell()) : rate(row.attendance_pct);
      })
    ]);
    const everyCellBySlices = !why.has("rule") && rows.every((row) => row.slice(1).every((c2) => c2.kind === "suppressed"));
    const withheldWhy = min !== null && why.has("slices") ? [slicesWithheldWords(min, everyCellBySlices ? "Attendance week by week" : 'Attendance in a week that reads "withheld"', "weeks"), ...why.has("rule") ? [withheldRuleSentence(min)] : []].join(" ") : void 0;
    return {
      sheet,
      table: {
        caption,
        columns: [{ label: firstColumn }, ...groups.map((g) => ({ label: g.label, numeric: true }))],
        rows,
        empty: "No school days yet this academic year.",
        note: "Attendance % of possible sessions. Pupils are in the year group and class they were in at the end of the period.",
        ...withheldWhy ? { withheldWhy } : {}
      }
    };
  };
  const weekly = await over("week", "Weekly attendance to date", "Weekly attendance to date", "Week beginning", (g) => ({ kind: "date", value: g }));
  const termly = await over("term", "Termly attendance to date", "Termly attendance to date", "Term", (g) => text(formatTermKey(g)));
  const annualRows = [];
  const annualSeries = await seriesOf();
  const none = withRates({ pupils: 0, possible_sessions: 0, present_sessions: 0, aea_sessions: 0, authorised_sessions: 0, unauthorised_sessions: 0, pa_pupils: 0, sa_pupils: 0 });
  for (const [i, group] of groups.entries()) {
    const m = annualSeries[i][0] ?? none;
    if (plan && plan.rowHidden(group.key)) {
      annualRows.push([text(group.label), ...Array(9).fill({ kind: "suppressed", text: plan.text(group.key, "pupils") })]);
      continue;
    }
    annualRows.push([
      text(group.label),
      num(m.pupils),
      num(m.possible_sessions),
      num(m.present_sessions + m.aea_sessions),
      rate(m.attendance_pct),
      rate(m.authorised_pct),
      rate(m.unauthorised_pct),
      plannedCount(plan, group.key, "pa_pupils", m.pa_pupils),
      plannedRate(plan, group.key, "pa_pupils", m.pa_pct),
      plannedCount(plan, group.key, "sa_pupils", m.sa_pupils)
    ]);
  }
  const annual = {
    sheet: "Annual attendance to date",
    table: {
      caption: `Annual attendance to date (${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)})`,
      columns: [
        { label: "Group" },
        { label: "Pupils", numeric: true },
        { label: "Possible sessions", numeric: true },
        { label: "Sessions attended", numeric: true },
        { label: "Attendance %", numeric: true },
        { label: "Authorised absence %", numeric: true },
        { label: "Unauthorised absence %", numeric: true },
        { label: "PA pupils", numeric: true },
        { label: "PA %", numeric: true },
        { label: "SA pupils", numeric: true }
      ],
      rows: annualRows
    }
  };
  return [weekly, termly, annual];
}

// analytics/due-words.ts
var DUE_BY_UNKNOWN = "not known yet: the school calendar ends before the school days of grace do";

// analytics/packs/slt.ts
var iso = (date) => format16(date, "yyyy-MM-dd");
function sltPeriods(month, today) {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new Error(`a month looks like 2026-03 (got "${month}")`);
  const first = `${month}-01`;
  if (first > today)
    throw new Error(`${monthPackName(month)} has not started yet (today is ${ukDate(today)})`);
  const { to, over } = monthPackSpan(month, today);
  return {
    period: { from: first, to },
    label: `${monthPackName(month)}${over ? "" : ` to ${ukDate(to)}`}`,
    ...over ? {} : { fileKey: `${month}-to-${to}` },
    noun: "This month",
    yearToDate: { from: academicYearBounds(academicYearOf(first)).from, to }
  };
}
async function paMovementSection(connection, periods, current, paGiven, lines) {
  if (!paGiven.given)
    return { id: "pa-movement", title: "Persistent absence: who came in and who left", sheet: "PA movement", intro: paGiven.why ?? "", blocks: [] };
  const previousEnd = iso(addDays6(parseISO16(periods.period.from), -1));
  const hasPrevious = previousEnd >= periods.yearToDate.from && (await persistentAbsenceSpan(connection, { from: periods.yearToDate.from, to: previousEnd })).given;
  const previous = hasPrevious ? await pupilMeasures(connection, { from: periods.yearToDate.from, to: previousEnd }) : [];
  const before = new Map(previous.map((p) => [p.upn, p]));
  const entered = current.filter((p) => p.is_pa && !before.get(p.upn)?.is_pa);
  const left = current.filter((p) => !p.is_pa && before.get(p.upn)?.is_pa);
  const columns = [
    { label: "Pupil" },
    { label: "Class" },
    { label: "Attendance, year to date", numeric: true },
    { label: `At ${hasPrevious ? ukDate(previousEnd) : "the start of the year"}`, numeric: true },
    { label: "Sessions missed", numeric: true },
    { label: SESSION_RUNS_LABEL, numeric: true }
  ];
  const row = (p) => [
    text(pupilListName(p)),
    text(p.reg_group),
    // Beside the 90 % line of persistent absence (and the school's): 90.03 %, not "90.0%", for a pupil who left it.
    rateBesideLines(p.attendance_pct, lines),
    rateBesideLines(before.get(p.upn)?.attendance_pct ?? null, lines),
    num(p.authorised_sessions + p.unauthorised_sessions),
    num(p.absence_spells)
  ];
  const pa = current.filter((p) => p.is_pa).length;
  return {
    id: "pa-movement",
    title: "Persistent absence: who came in and who left",
    sheet: "PA movement",
    intro: hasPrevious ? `Persistent absence year to date at ${ukDate(periods.period.to)} compared with ${ukDate(previousEnd)}. ${pa} ${pa === 1 ? "pupil is" : "pupils are"} persistently absent now.` : `Persistent absence is measured from this month (the year to date before it had fewer than 20 school days), so every persistently absent pupil is new to the list. ${pa} ${pa === 1 ? "pupil is" : "pupils are"} persistently absent.`,
    blocks: [
      { kind: "table", table: { caption: `Entered persistent absence (${entered.length})`, columns, rows: entered.map(row), empty: "No pupil entered persistent absence this month." } },
      { kind: "table", table: { caption: `Left persistent absence (${left.length})`, columns, rows: left.map(row), empty: "No pupil left persistent absence this month." } }
    ]
  };
}
function thresholdsSection(current, settings, periods, standings) {
  const thresholds = settings.attendance_thresholds;
  const { ladder } = ladderPolicyOf(settings);
  const placed = current.map((p) => ({ pupil: p, position: ladderPosition(p, thresholds) })).filter((entry) => entry.position !== null).sort((a, b) => (a.pupil.attendance_pct ?? 0) - (b.pupil.attendance_pct ?? 0));
  const columns = [
    { label: "Pupil" },
    { label: "Class" },
    { label: "Attendance", numeric: true },
    // The year to date's, as the attendance beside it (a penalty notice's window is the step's own, in "The pupil's figures").
    { label: "Unauthorised sessions this year", numeric: true },
    // The pupil's own standing, as on the Casework page and the pupil's page (ladderFor):
    // what the school has recorded and what is due next, with its date (or, after an
    // improvement with nothing due, the next review: the end of the monitoring period running).
    { label: "Stage recorded" },
    { label: "Due by", nowrap: true },
    { label: "Status" }
  ];
  const figuresColumn = { label: "The pupil's figures" };
  const standingOf = (upn) => standings.get(upn) ?? { ...caseworkLadderOf(void 0), next_general: null, next_figures: null };
  const standingCells = (upn) => {
    const standing = standingOf(upn);
    const status = standing.status === "late" ? "Late" : standing.status === "if no improvement" && standing.improvement_by ? `If no improvement by ${ukDate(standing.improvement_by)}` : standing.status === "due" ? "Due" : "";
    return [
      text(standing.stage ? `${standing.stage} (${ukDate(standing.stage_date)})` : "None recorded"),
      standing.due_by ? day(standing.due_by) : standing.status === "due" ? text(DUE_BY_UNKNOWN) : standing.review_by ? text(`Next review ${ukDate(standing.review_by)}`) : text(""),
      text(status)
    ];
  };
  const bands = thresholds.map((threshold, index) => ({ threshold, index, pupils: placed.filter((e) => e.position.index === index) }));
  const waiting = notYetJudgedOnLadder(current, thresholds);
  const stepTables = bands.filter((band) => band.pupils.length > 0).flatMap((band) => {
    const groups = /* @__PURE__ */ new Map();
    for (const entry of band.pupils) {
      const standing = standingOf(entry.pupil.upn);
      const next = standing.next_general ?? standing.next ?? "None due";
      groups.set(next, [...groups.get(next) ?? [], entry]);
    }
    return [
      {
        kind: "paragraphs",
        heading: `${bandRange(thresholds, band.index)} (${band.pupils.length}) \u2014 the policy's step for the band: ${stepWording(band.index, thresholds, ladder.id)}`,
        items: [`${band.pupils.length} ${band.pupils.length === 1 ? "pupil" : "pupils"}, listed under ${groups.size === 1 ? "their next step" : `${groups.size} next steps`}.`]
      },
      ...[...groups].map(([next, pupils]) => {
        const cited = pupils.some(({ pupil }) => standingOf(pupil.upn).next_figures !== null);
        return {
          kind: "table",
          table: {
            caption: `${bandRange(thresholds, band.index)} (${pupils.length} of ${band.pupils.length}) \u2014 next step: ${next}`,
            columns: cited ? [...columns, figuresColumn] : columns,
            rows: pupils.map(({ pupil }) => [
              text(pupilListName(pupil)),
              text(pupil.reg_group),
              // Under the band's top: 95.97 %, not "96.0%", in "90% to under 96%" (trial 31).
              rateBesideLines(pupil.attendance_pct, thresholds),
              num(pupil.unauthorised_sessions),
              ...standingCells(pupil.upn),
              ...cited ? [text(standingOf(pupil.upn).next_figures ?? "")] : []
            ])
          }
        };
      })
    ];
  });
  return {
    id: "thresholds",
    title: "Pupils below the policy's thresholds",
    sheet: "Thresholds",
    intro: `The attendance bands of the school's settings, with each pupil's stage and next step on the ladder of ${policyTitle(settings.policy, { noun: "attendance policy", source: ladder.source })}, at ${thresholds.map((t) => formatThreshold(t, 0)).join(", ")}, applied to each pupil's attendance from ${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)}. A pupil is below a threshold when their attendance is under it (a pupil at exactly ${formatThreshold(thresholds[0], 1)} is not listed). Each pupil appears once, in their lowest band; within it, under their own next step on the ladder (from what the school has recorded), said once over the pupils it is the next step of. ${placed.length} ${plural(placed.length, "pupil")} in all.`,
    blocks: [
      {
        kind: "table",
        table: {
          caption: `Pupils in each band (${placed.length})`,
          columns: [{ label: "Band" }, { label: "Pupils", numeric: true }],
          rows: bands.map((band) => [text(bandRange(thresholds, band.index)), num(band.pupils.length)])
        }
      },
      ...waiting.pupils > 0 ? [
        {
          kind: "paragraphs",
          items: [
            `Not yet judged: ${waiting.pupils} ${waiting.pupils === 1 ? "pupil has" : "pupils have"} fewer than ${PUPIL_JUDGED_MIN_SESSIONS} possible sessions this year (${waiting.below} of them below ${formatThreshold(thresholds[0], 0)}) and ${waiting.pupils === 1 ? "is" : "are"} in no band: ${NOT_YET_JUDGED_WHY}.`
          ]
        }
      ] : [],
      ...stepTables.length > 0 ? stepTables : [{ kind: "paragraphs", items: [`Every pupil's attendance is at or above ${formatThreshold(thresholds[0], 0)} this year.`] }]
    ]
  };
}
async function nCodesSection(connection, periods, settings) {
  const pending = await pendingNCodes(connection, periods.period.to);
  const limit = settings.n_code_limit_school_days;
  const overdue = pending.filter((n) => n.school_days_open > limit).length;
  return {
    id: "n-codes",
    title: "N codes awaiting a reason",
    sheet: "N codes",
    intro: `Absences marked N (no reason yet) still unresolved on ${ukDate(periods.period.to)}. The policy allows ${limit} school days before an N code is recorded as unauthorised: ${overdue} of ${pending.length} are past that limit.`,
    blocks: [
      {
        kind: "table",
        table: {
          caption: `N codes awaiting a reason (${pending.length})`,
          columns: [{ label: "Date" }, { label: "Session" }, { label: "Pupil" }, { label: "School days open", numeric: true }, { label: "Status" }],
          rows: pending.map((n) => [
            day(n.date),
            text(n.session),
            text(pupilListName(n)),
            num(n.school_days_open),
            n.school_days_open > limit ? { kind: "tag", text: "Overdue", tone: "bad" } : { kind: "tag", text: "Within limit", tone: "neutral" }
          ]),
          empty: "No N codes are awaiting a reason."
        }
      }
    ]
  };
}
async function latenessSection(connection, periods) {
  const month = await lateness(connection, periods.period);
  const year = await lateness(connection, periods.yearToDate);
  const monthPupils = await pupilMeasures(connection, periods.period);
  const mostLate = monthPupils.filter((p) => p.late_sessions > 0).sort((a, b) => b.late_sessions - a.late_sessions || a.surname.localeCompare(b.surname)).slice(0, 10);
  return {
    id: "lateness",
    title: "Lateness",
    sheet: "Lateness",
    runOn: true,
    intro: "L: arrived late before the register closed (counts as present). U: arrived after the register closed (unauthorised absence).",
    blocks: [
      {
        kind: "table",
        table: {
          caption: "Late arrivals",
          columns: [{ label: "Measure" }, { label: "This month", numeric: true }, { label: "Year to date", numeric: true }],
          rows: [
            [text("Late before registers closed (L), sessions"), num(month.late_before_close), num(year.late_before_close)],
            [text("Late after registers closed (U), sessions"), num(month.late_after_close), num(year.late_after_close)],
            [text("Pupils late at least once"), num(month.pupils_late), num(year.pupils_late)],
            [text("Minutes late recorded"), num(month.minutes_late), num(year.minutes_late)]
          ]
        }
      },
      {
        kind: "table",
        table: {
          caption: "Pupils most often late this month",
          columns: [{ label: "Pupil" }, { label: "Class" }, { label: "Late sessions (L or U)", numeric: true }, { label: "Attendance this month", numeric: true }],
          rows: mostLate.map((p) => [text(pupilListName(p)), text(p.reg_group), num(p.late_sessions), rate(p.attendance_pct)]),
          empty: "No pupil was late this month."
        }
      }
    ]
  };
}
async function sessionBlocks(connection, periods) {
  if (periods.period.to !== periods.yearToDate.to)
    throw new Error("the month and the year to date end on different days");
  const sessions2 = await sessionAttendance(connection, periods.yearToDate, periods.period.from);
  return {
    caption: "Morning and afternoon",
    columns: [{ label: "Session" }, { label: "This month", numeric: true }, { label: "Year to date", numeric: true }],
    rows: sessions2.map((s) => [text(s.group), rate(s.part), rate(s.yearToDate)]),
    empty: "No sessions in this period."
  };
}
function pupilsTab(current, settings, periods, paGiven, unmarked) {
  const rows = [...current].filter((p) => p.possible_sessions > 0).sort((a, b) => (a.attendance_pct ?? 0) - (b.attendance_pct ?? 0) || a.surname.localeCompare(b.surname));
  return {
    sheet: "Pupils year to date",
    table: {
      caption: `Pupils' attendance, ${ukDate(periods.yearToDate.from)} to ${ukDate(periods.yearToDate.to)} (lowest first)`,
      columns: [
        { label: "Pupil" },
        { label: "UPN" },
        { label: "Year" },
        { label: "Class" },
        { label: "SEN" },
        { label: "FSM" },
        { label: "EAL" },
        { label: "LAC" },
        { label: "Possible sessions", numeric: true },
        { label: "Sessions attended", numeric: true },
        { label: "Attendance %", numeric: true },
        { label: "Authorised sessions", numeric: true },
        { label: "Unauthorised sessions", numeric: true },
        { label: SESSION_RUNS_LABEL, numeric: true },
        { label: "Late sessions", numeric: true },
        { label: "Persistent absence" },
        { label: "Band" },
        // Added last (the other columns keep their places): the rates are of marked sessions only (analytics/unmarked-days.ts).
        { label: "Unmarked school days", numeric: true }
      ],
      rows: rows.map((p) => [
        text(pupilListName(p)),
        text(p.upn),
        text(p.year_group),
        text(p.reg_group),
        text(p.sen),
        text(p.fsm),
        text(p.eal),
        text(p.lac),
        num(p.possible_sessions),
        num(p.present_sessions + p.aea_sessions),
        rateBesideLines(p.attendance_pct, settings.attendance_thresholds),
        num(p.authorised_sessions),
        num(p.unauthorised_sessions),
        num(p.absence_spells),
        num(p.late_sessions),
        // Not judged over a year to date of fewer than 20 school days (analytics/pa-span.ts).
        text(!paGiven ? PA_NOT_GIVEN_TEXT : p.is_sa ? "Severe" : p.is_pa ? "Yes" : "No"),
        text(ladderPosition(p, settings.attendance_thresholds)?.band ?? ""),
        num(unmarked.get(p.upn) ?? 0)
      ]),
      empty: "No pupil had a possible session this year."
    }
  };
}
async function ladderStandings(connection, current, settings, periods) {
  const upns = current.filter((p) => ladderPosition(p, settings.attendance_thresholds) !== null).map((p) => p.upn);
  if (upns.length === 0)
    return /* @__PURE__ */ new Map();
  const standings = await ladderFor(connection, periods.yearToDate.to, ladderPolicyOf(settings), { upns });
  return new Map(
    standings.map((standing) => {
      const shown = caseworkLadderOf(standing);
      const { step, action } = nextStepOf(standing);
      const words = step === null && action === null;
      return [standing.upn, { ...shown, next_general: words ? standing.next_action_general : null, next_figures: words ? standing.next_action_figures : null }];
    })
  );
}
async function buildSltPack(connection, request) {
  return withOneThread(connection, () => withSharedReads(connection, () => sltPackModel(connection, request)));
}
async function sltPackModel(connection, request) {
  const settings = await getSettings(connection);
  const periods = sltPeriods(request.month, request.today);
  await refuseEmptyPackPeriod(connection, periods.period, monthPackName(request.month));
  await ensureInterventionsTable(connection);
  const withTabs = request.toDateTabs !== false;
  const headlineOf = firstRun((c2) => headlineMeasures(c2, periods, request.today));
  const currentOf = firstRun((c2) => pupilMeasures(c2, periods.yearToDate));
  const [standings, tabs, interventionsSection, earlyWarningSection, unmarked, trendBlocks, sessions2, paMovement, headline, current, yearGroups, lateness2, months, weekdaysPeriod, weekdaysYear, codes, nCodes, comparisons, importedNotes] = await inLanes(connection, [
    async (c2) => ladderStandings(c2, await currentOf(c2), settings, periods),
    (c2) => withTabs ? toDateTabs(c2, periods, null) : Promise.resolve(null),
    (c2) => sltInterventionsSection(c2, periods, settings),
    (c2) => sltEarlyWarningSection(c2, periods, settings),
    (c2) => withTabs ? unmarkedDaysByPupil(c2, periods.yearToDate, dueThrough(periods.yearToDate.to)) : Promise.resolve(null),
    (c2) => weeklyTrendBlocks(c2, periods, settings),
    (c2) => sessionBlocks(c2, periods),
    async (c2) => paMovementSection(c2, periods, await currentOf(c2), (await headlineOf(c2)).paGiven.yearToDate, settings.attendance_thresholds),
    headlineOf,
    currentOf,
    (c2) => yearGroupsAndClassesSection(c2, periods, settings, null),
    (c2) => latenessSection(c2, periods),
    // The month chart prints attendance alone: the months' sessions, not their pupils (summariseSessionsBy).
    (c2) => summariseSessionsBy(c2, periods.yearToDate, "month"),
    (c2) => weekdayMeasures(c2, periods.period),
    (c2) => weekdayMeasures(c2, periods.yearToDate),
    (c2) => codeBlocks(c2, periods, "codes"),
    (c2) => nCodesSection(c2, periods, settings),
    (c2) => groupComparisons(c2, periods, null),
    (c2) => marksImportedNotes(c2, periods.period, request.today)
  ]);
  const sections = [
    headlineSection(headline, periods, settings, null),
    {
      id: "trends",
      title: "Trends",
      sheet: "Trends",
      blocks: [
        ...trendBlocks,
        {
          kind: "chart",
          chart: {
            type: "bar",
            title: "Attendance month by month this academic year",
            yLabel: "Attendance (%)",
            categories: months.map((m) => format16(parseISO16(`${m.group}-01`), "MMM yyyy", { locale: enGB6 })),
            dates: { first: months.map((m) => `${m.group}-01`), unit: "month" },
            series: [{ name: "Attendance", values: months.map((m) => m.attendance_pct) }],
            target: { value: settings.target_attendance_pct, label: `Target ${formatThreshold(settings.target_attendance_pct, 1)}` }
          }
        }
      ]
    },
    yearGroups,
    groupsSection(comparisons, periods, settings, null),
    {
      id: "patterns",
      title: "Patterns: days, sessions and codes",
      sheet: "Patterns",
      blocks: [
        ...weekdayBlocks(weekdaysPeriod, weekdaysYear, periods, settings),
        { kind: "table", table: sessions2 },
        ...codes
      ]
    },
    paMovement,
    thresholdsSection(current, settings, periods, standings),
    nCodes,
    lateness2,
    interventionsSection,
    earlyWarningSection
  ];
  return {
    kind: "slt",
    title: "Monthly attendance pack for the senior leadership team",
    schoolName: settings.school_name,
    periodLabel: periods.label,
    period: periods.period,
    yearToDate: periods.yearToDate,
    periodKey: request.month,
    fileKey: periods.fileKey ?? request.month,
    today: request.today,
    generatedAt: request.generatedAt ?? (/* @__PURE__ */ new Date()).toISOString(),
    audience: "Staff only: contains named pupils. Do not share outside the senior leadership team.",
    notes: [
      ...!monthPackSpan(request.month, request.today).over ? [`The month is not over: figures run to ${ukDate(periods.period.to)}.`] : [],
      ...importedNotes,
      ...headline.period.possible_sessions === 0 ? ["There were no school days with register marks in this month."] : [],
      ...codeRegimeNotes(headline)
    ],
    sections,
    toDateTabs: tabs === null || unmarked === null ? null : [...tabs, pupilsTab(current, settings, periods, headline.paGiven.yearToDate.given, unmarked)]
  };
}

// analytics/packs/withheld-notes.ts
var isWithheld = (cell2) => cell2.kind === "suppressed" && cell2.text.startsWith(WITHHELD_TEXT);
function whyWithheld(table, min) {
  return table.rows.some((row) => row.some(isWithheld)) ? table.withheldWhy ?? withheldRuleSentence(min) : null;
}
function withNote(table, why) {
  const { withheldWhy: _said, ...rest } = table;
  if (why === null || table.note?.includes(why))
    return rest;
  return { ...rest, note: table.note ? `${table.note} ${why}` : why };
}
function tableSaysWhyWithheld(table, min) {
  return withNote(table, whyWithheld(table, min));
}
function sectionsSayWhyWithheld(sections, min) {
  return sections.map((section) => {
    const said = /* @__PURE__ */ new Set();
    const once = (why) => why === null || said.has(why) ? null : (said.add(why), why);
    return {
      ...section,
      blocks: section.blocks.flatMap((block) => {
        if (block.kind === "table")
          return [{ kind: "table", table: withNote(block.table, once(whyWithheld(block.table, min))) }];
        if (block.kind !== "figures" || !block.items.some((f) => isWithheld(f.value)))
          return [block];
        const why = once(withheldRuleSentence(min));
        return why === null ? [block] : [block, { kind: "paragraphs", items: [why] }];
      })
    };
  });
}

// analytics/packs/fgb.ts
import { addDays as addDays7, format as format17, parseISO as parseISO17 } from "date-fns";

// analytics/packs/headings.ts
var COMMENTARY_HEADINGS = ["interventions", "successes", "barriers", "next-steps"];
var COMMENTARY_LABELS = {
  interventions: "Interventions",
  successes: "Successes",
  barriers: "Barriers",
  "next-steps": "Next steps"
};
function isCommentaryHeading(value) {
  return COMMENTARY_HEADINGS.includes(value);
}

// analytics/packs/identifiers.ts
var COMMON_WORDS = new Set(
  [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "autumn",
    "spring",
    "summer",
    "winter",
    "term",
    "year",
    "class",
    "school",
    "head",
    "reception",
    "will",
    "hope",
    "grace",
    "faith",
    "joy",
    "rose",
    "lily",
    "daisy",
    "ivy",
    "holly",
    "hazel",
    "amber",
    "ruby",
    "pearl",
    "dawn",
    "eve",
    "young",
    "long",
    "short",
    "green",
    "white",
    "brown",
    "black",
    "gray",
    "grey",
    "little",
    "small",
    "large",
    "best",
    "good",
    "well",
    "hill",
    "wood",
    "woods",
    "field",
    "fields",
    "lane",
    "rivers",
    "marsh",
    "brook",
    "bush",
    "moss",
    "stone",
    "ford",
    "bridge",
    "king",
    "bishop",
    "knight",
    "lord",
    "dean",
    "parsons",
    "cook",
    "baker",
    "butler",
    "carter",
    "mason",
    "porter",
    "turner",
    "walker",
    "chance",
    "love",
    "free",
    "read",
    "reading",
    "early",
    "late",
    "price",
    "cross",
    "north",
    "south",
    "east",
    "west",
    "home",
    "sunny",
    "noble",
    "rich",
    "sharp",
    "strong",
    "swift",
    "wise",
    "frank",
    "bill",
    "mark",
    "pat",
    "sue",
    "jack",
    "art",
    "ray"
  ].map((word) => word.toLowerCase())
);
var escapeRegExp = (text2) => text2.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
function caseBlind(text2) {
  return [...text2].map((ch) => /\s/.test(ch) ? "\\s+" : ch.toLowerCase() !== ch.toUpperCase() ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : escapeRegExp(ch)).join("");
}
var ADULT_TITLE = `(?:${["mr", "mrs", "ms", "miss", "mx", "dr"].map(caseBlind).join("|")})\\.?`;
var FAMILY_WORDS = `(?:${["family", "families", "household", "siblings", "twins", "children", "brothers", "sisters", "parents"].map(caseBlind).join("|")})`;
var RELATIVE_WORDS = `(?:${["mother", "father", "mum", "dad", "parent", "carer", "daughter", "son", "sibling", "brother", "sister"].flatMap((word) => [`${word}s`, word]).map(caseBlind).join("|")})`;

// analytics/packs/commentary.ts
async function ensureCommentaryTable(connection) {
  await ensureTable(connection, "pack_commentary", COMMENTARY_DDL);
}
async function getCommentary(connection, kind, periodKey) {
  await ensureCommentaryTable(connection);
  const rows = await queryRows(
    connection,
    `SELECT heading, body, author, author_role, strftime(saved_at, '%Y-%m-%dT%H:%M:%S') AS saved_at
     FROM pack_commentary
     WHERE pack_kind = $kind AND period_key = $period
     QUALIFY row_number() OVER (PARTITION BY heading ORDER BY entry_id DESC) = 1`,
    { kind, period: periodKey }
  );
  const result = Object.fromEntries(COMMENTARY_HEADINGS.map((h) => [h, null]));
  for (const row of rows) {
    if (isCommentaryHeading(row.heading) && row.body.trim() !== "") {
      result[row.heading] = { body: row.body, author: row.author, role: row.author_role, updatedAt: row.saved_at };
    }
  }
  return result;
}

// analytics/packs/narrative.ts
var MEANINGFUL_CHANGE = 0.5;
var pts = (value) => `${Math.abs(value).toFixed(1)} points`;
var WITHHELD_PUPILS = "a number of pupils (withheld)";
function pupilsWords(n, min, withheld2 = false) {
  if (withheld2 || isSmallCount2(n, min))
    return WITHHELD_PUPILS;
  return n === 1 ? "1 pupil" : `${n} pupils`;
}
function sessionsWords(n, min) {
  if (isSmallCount2(n, min))
    return "a number of absence sessions (withheld)";
  return n === 1 ? "1 absence session" : `${n} absence sessions`;
}
function writeNarrative(f) {
  const successes = [];
  const barriers = [];
  const interventions = [];
  const nextSteps = [];
  const term = f.term.attendance_pct;
  if (term === null) {
    return {
      successes: [],
      barriers: [`There are no register marks for ${f.termLabel} yet, so nothing can be said about it.`],
      interventions: [],
      nextSteps: ["Import the register for this term."]
    };
  }
  const verdict = targetVerdict(term, f.target);
  (verdict.meets ? successes : barriers).push(
    `Attendance in ${f.termLabel} is ${verdict.figure}, ${verdict.status === "at" ? "on" : `${verdict.size} points ${verdict.status}`} the ${formatThreshold(f.target, 1)} target.`
  );
  const lastYear = f.termLastYear.attendance_pct;
  if (lastYear !== null) {
    const change = printedDifference(term, lastYear);
    if (Math.abs(change) >= 0.1) {
      (change > 0 ? successes : barriers).push(
        `Attendance is ${change > 0 ? "up" : "down"} ${pts(change)} on the same weeks last year (${pct(lastYear)}).`
      );
    }
  }
  const halves = f.change;
  const fromTo = halves ? `from ${halves.previousLabel} to ${halves.latestLabel}` : "";
  if (halves && halves.previous.attendance_pct !== null && halves.latest.attendance_pct !== null) {
    const change = printedDifference(halves.latest.attendance_pct, halves.previous.attendance_pct);
    if (Math.abs(change) >= 0.1) {
      (change > 0 ? successes : barriers).push(
        `Attendance ${change > 0 ? "rose" : "fell"} ${pts(change)} ${fromTo} (${pct(halves.previous.attendance_pct)} to ${pct(halves.latest.attendance_pct)}).${halves.pupilsDiffer ? ` ${halves.pupilsDiffer}` : ""}`
      );
    }
  }
  const pa = f.yearToDate;
  const paLast = f.yearToDateLastYear;
  if (pa.pa_pct !== null && paLast.pa_pct !== null && !isSmallCount2(pa.pa_pupils, f.min) && !isSmallCount2(paLast.pa_pupils, f.min) && !f.yearToDateWithheld?.pa) {
    const change = pa.pa_pct - paLast.pa_pct;
    if (Math.abs(change) >= MEANINGFUL_CHANGE) {
      (change < 0 ? successes : barriers).push(
        `Persistent absence ${change < 0 ? "fell" : "rose"} from ${pct(paLast.pa_pct)} to ${pct(pa.pa_pct)} of pupils compared with the same point last year.`
      );
    }
  }
  for (const group of f.groups) {
    const now = group.latest?.attendance_pct ?? null;
    const before = group.previous?.attendance_pct ?? null;
    if (now !== null && before !== null && halves) {
      const change = printedDifference(now, before);
      if (Math.abs(change) >= MEANINGFUL_CHANGE) {
        (change > 0 ? successes : barriers).push(
          `Attendance of ${group.name} ${change > 0 ? "rose" : "fell"} ${pts(change)} ${fromTo} (${pct(before)} to ${pct(now)}).${halves.pupilsDiffer ? " The two half terms are in different academic years, so the pupils differ: this compares the group, not the same children." : ""}`
        );
      }
    }
  }
  const gaps = f.groups.filter((g) => g.rest?.attendance_pct != null && g.current.attendance_pct !== null).map((g) => ({ group: g, gap: printedDifference(g.current.attendance_pct, g.rest.attendance_pct) })).sort((a, b) => a.gap - b.gap);
  const widest = gaps[0];
  if (widest && widest.gap <= -MEANINGFUL_CHANGE) {
    barriers.push(
      `${capitalise(widest.group.name)} attend ${pts(widest.gap)} less than the rest of the school this term (${pct(widest.group.current.attendance_pct)} against ${pct(widest.group.rest.attendance_pct)}).`
    );
    nextSteps.push(`Narrow the attendance gap for ${widest.group.name} (${pts(widest.gap)} below the rest of the school).`);
  }
  for (const { group, gap: gap2 } of gaps.filter((g) => g.gap >= MEANINGFUL_CHANGE)) {
    successes.push(`${capitalise(group.name)} attend ${pts(gap2)} more than the rest of the school this term.`);
  }
  const days = f.weekdays.filter((d) => d.attendance !== null);
  if (days.length >= 2) {
    const sorted = [...days].sort((a, b) => a.attendance - b.attendance);
    const lowest = sorted[0];
    const highest = sorted[sorted.length - 1];
    const spread = printedDifference(highest.attendance, lowest.attendance);
    if (spread >= MEANINGFUL_CHANGE) {
      barriers.push(`${lowest.day} attendance is the lowest weekday at ${pct(lowest.attendance)} (the highest is ${highest.day} at ${pct(highest.attendance)}).`);
      nextSteps.push(`Look into ${lowest.day} absence: attendance on ${lowest.day}s is ${pts(spread)} below ${highest.day}s.`);
    }
  }
  const totalAbsence = f.term.authorised_sessions + f.term.unauthorised_sessions;
  if (totalAbsence > 0 && f.reasons.length > 0) {
    const top = f.reasons[0];
    barriers.push(`${top.label} accounts for ${pct(100 * top.sessions / totalAbsence)} of absence this term.`);
  }
  const unauthorised = f.term.unauthorised_pct;
  const unauthorisedLastYear = f.termLastYear.unauthorised_pct;
  if (unauthorised !== null && unauthorisedLastYear !== null && unauthorised - unauthorisedLastYear >= 0.2) {
    nextSteps.push(`Challenge unauthorised absence, up from ${pct(unauthorisedLastYear)} to ${pct(unauthorised)} of sessions on the same weeks last year.`);
  }
  const yearsBelow = f.yearGroups.filter((y) => y.current.attendance_pct !== null && !meetsTarget(y.current.attendance_pct, f.target)).sort((a, b) => a.current.attendance_pct - b.current.attendance_pct);
  const yearsAtTarget = f.yearGroups.filter((y) => y.current.attendance_pct !== null && meetsTarget(y.current.attendance_pct, f.target));
  if (yearsAtTarget.length > 0) {
    successes.push(`${yearsAtTarget.map((y) => `${y.name} (${targetVerdict(y.current.attendance_pct, f.target).figure})`).join(", ")} ${yearsAtTarget.length === 1 ? "is" : "are"} at or above target this term.`);
  }
  if (yearsBelow.length > 0) {
    const lowest = yearsBelow[0];
    nextSteps.push(`Focus on ${lowest.name}, the year group furthest below target this term at ${targetVerdict(lowest.current.attendance_pct, f.target).figure}.`);
  }
  const onLadder = f.ladder.filter((band) => band.withheld || band.pupils > 0);
  if (onLadder.length === 0) {
    successes.push("No pupil's attendance this year is below the policy's first threshold.");
  } else {
    interventions.push(
      `The attendance policy's ladder applies to ${onLadder.map((band) => {
        const index = f.ladder.indexOf(band);
        const range = bandRange(f.ladder.map((b) => b.threshold), index);
        const count2 = pupilsWords(band.pupils, f.min, band.withheld);
        return `${count2} at ${range.charAt(0).toLowerCase()}${range.slice(1)} (${stepSummary(index, f.policy)})`;
      }).join("; ")}, on attendance this year to date.`
    );
  }
  const paWithheld = Boolean(f.yearToDateWithheld?.pa);
  const saWithheld = Boolean(f.yearToDateWithheld?.sa);
  if (paWithheld || pa.pa_pupils > 0) {
    interventions.push(
      `${capitalise(pupilsWords(pa.pa_pupils, f.min, paWithheld))} ${pa.pa_pupils === 1 && !paWithheld && !isSmallCount2(1, f.min) ? "is" : "are"} persistently absent this year to date${saWithheld || pa.sa_pupils > 0 ? `, of whom ${pupilsWords(pa.sa_pupils, f.min, saWithheld)} severely` : ""}; the policy asks for a named adult and a plan to remove barriers for each.`
    );
    nextSteps.push("Review each persistently absent pupil's support plan at the next attendance meeting.");
  }
  if (f.pendingN.sessions > 0) {
    interventions.push(
      `${capitalise(sessionsWords(f.pendingN.sessions, f.min))} still await${f.pendingN.sessions === 1 && !isSmallCount2(1, f.min) ? "s" : ""} a reason from home (N code); ${f.pendingN.overdue === 0 ? "none is" : isSmallCount2(f.pendingN.overdue, f.min) ? "a number (withheld) are" : f.pendingN.overdue === 1 ? "1 is" : `${f.pendingN.overdue} are`} past the ${f.pendingN.limit}-school-day limit.`
    );
    if (f.pendingN.overdue > 0)
      nextSteps.push("Resolve the overdue N codes: record them as unauthorised or with the reason given.");
  }
  if (nextSteps.length === 0)
    nextSteps.push(`Keep attendance at or above the ${formatThreshold(f.target, 1)} target.`);
  return { successes, barriers, interventions, nextSteps };
}

// analytics/packs/ladder-suppression.ts
var HEADLINE_COST = 1e3;
function ladderSums(thresholds, unjudged = false) {
  const band = (i) => `band:${i}`;
  const belowPa = thresholds.map((t, i) => ({ t, i })).filter(({ t }) => t <= 90).map(({ i }) => band(i));
  const sums = belowPa.length ? [{ total: "pa", parts: unjudged ? [...belowPa, "unjudged:pa"] : belowPa }] : [];
  if (thresholds.length && thresholds[thresholds.length - 1] === 50)
    sums.push({ total: "sa", parts: unjudged ? [band(thresholds.length - 1), "unjudged:sa"] : [band(thresholds.length - 1)] });
  return sums;
}
function fewestMissedBelow(threshold, possible) {
  let m = Math.max(0, Math.ceil(possible - threshold * possible / 100) - 1);
  while (m <= possible && !(100 * (possible - m) < threshold * possible))
    m++;
  return m;
}
function mostMissedAtOrAbove(threshold, possible) {
  return fewestMissedBelow(threshold, possible) - 1;
}
function ladderBounds(thresholds, sessions2) {
  const counted = sessions2.perPupil.filter((p) => p.possible > 0);
  const absent = sessions2.possible - sessions2.attended;
  const missed = counted.reduce((sum, p) => sum + p.missed, 0);
  const uncounted = Math.max(0, absent - missed);
  if (counted.length === 0)
    return { least: thresholds.map(() => Number.POSITIVE_INFINITY), most: thresholds.map(() => 0), otherMost: 0, uncounted };
  const fewest = Math.min(...counted.map((p) => p.possible));
  const most = Math.max(...counted.map((p) => p.possible));
  return {
    least: thresholds.map((t) => fewestMissedBelow(t, fewest)),
    most: thresholds.map((_, i) => i + 1 < thresholds.length ? mostMissedAtOrAbove(thresholds[i + 1], most) : most),
    // A pupil in no band may be one not yet judged (fewer than 40 possible sessions, any
    // attendance): at most 39 missed, or all of their sessions when the fewest is below 40.
    otherMost: Math.max(thresholds.length ? mostMissedAtOrAbove(thresholds[0], most) : most, fewest < PUPIL_JUDGED_MIN_SESSIONS ? Math.min(most, PUPIL_JUDGED_MIN_SESSIONS - 1) : 0),
    uncounted
  };
}
function ladderRules(thresholds, sessions2) {
  const { least, most, otherMost, uncounted } = ladderBounds(thresholds, sessions2);
  const band = (i) => `band:${i}`;
  const left = least.flatMap((l, i) => l > 0 && Number.isFinite(l) ? [{ id: band(i), times: l }] : []);
  const rules = [];
  if (left.length)
    rules.push({ left: [...left, { id: "attended", times: 1 }], right: [{ id: "possible", times: 1 }] });
  const right = [{ id: "attended", times: 1 }, ...most.flatMap((m, i) => m > otherMost ? [{ id: band(i), times: m - otherMost }] : [])];
  if (otherMost > 0)
    right.push({ id: "pupils", times: otherMost });
  rules.push({ left: [{ id: "possible", times: 1 }], right, constant: uncounted });
  return rules;
}
function mostAllowed(cells, sums, linear, min) {
  const known = /* @__PURE__ */ new Map();
  const withheld2 = /* @__PURE__ */ new Map();
  for (const cell2 of cells) {
    if (cell2.id.startsWith("band:") || cell2.unpublished || cell2.unprinted)
      withheld2.set(cell2.id, { lo: 0, hi: Number.POSITIVE_INFINITY });
    else if (isSmallCount(cell2.value, min) && !cell2.public)
      withheld2.set(cell2.id, { lo: 1, hi: min - 1 });
    else
      known.set(cell2.id, cell2.value);
  }
  return new Map([...inferBounds(known, withheld2, sums, [], linear)].map(([id, b]) => [id, b.hi]));
}
function ladderCountCells(bands, thresholds, headline, min, headlineWithheld = { pa: false, sa: false }, sessions2, unjudged) {
  if (min === null)
    return bands.map((n) => num(n));
  const small = (value) => isSmallCount(value, min) ? { lo: 1, hi: min - 1 } : void 0;
  const cells = [
    ...bands.map((value, i) => ({ id: `band:${i}`, value, primary: small(value) })),
    // Never printed, but the headline less the bands gives them: protected like a printed count.
    ...unjudged ? [
      { id: "unjudged:pa", value: unjudged.pa, primary: small(unjudged.pa), unprinted: true },
      { id: "unjudged:sa", value: unjudged.sa, primary: small(unjudged.sa), unprinted: true }
    ] : [],
    { id: "pa", value: headline.pa, primary: small(headline.pa), cost: HEADLINE_COST, unpublished: headlineWithheld.pa && !small(headline.pa) || void 0 },
    { id: "sa", value: headline.sa, primary: small(headline.sa), cost: HEADLINE_COST, unpublished: headlineWithheld.sa && !small(headline.sa) || void 0 }
  ];
  if (sessions2) {
    for (const [id, value] of [["pupils", sessions2.pupils], ["possible", sessions2.possible], ["attended", sessions2.attended]])
      cells.push({ id, value, public: true });
  }
  const linear = sessions2 ? ladderRules(thresholds, sessions2) : [];
  const sums = ladderSums(thresholds, unjudged !== void 0);
  const allowed = mostAllowed(cells, sums, linear, min);
  for (const cell2 of cells) {
    const most = allowed.get(cell2.id);
    if (cell2.id.startsWith("band:") && most !== void 0 && most > 0 && most < min)
      cell2.primary = { lo: 0, hi: min - 1 };
  }
  const hidden = protect(cells, sums, [], sessions2 ? { focused: true, linear } : {});
  return bands.map((value, i) => {
    const why = hidden.get(`band:${i}`);
    if (why)
      return { kind: "suppressed", text: WITHHELD_TEXT };
    return num(value);
  });
}

// analytics/packs/fgb.ts
function termNominalSpan(term) {
  const match = /^(autumn|spring|summer)-(\d{4})$/.exec(term);
  if (!match)
    return null;
  const [from, to] = { autumn: ["09-01", "12-31"], spring: ["01-01", "04-30"], summer: ["04-01", "07-31"] }[match[1]];
  return { from: `${match[2]}-${from}`, to: `${match[2]}-${to}` };
}
async function fgbPeriods(connection, term, today) {
  const bounds = await termBounds(connection, term);
  if (!bounds) {
    const nominal = termNominalSpan(term);
    if (nominal !== null && nominal.from > today)
      throw new Error(`${formatTermKey(term)} has not started yet (today is ${ukDate(today)}).`);
    const facts = await packPeriodFacts(connection);
    if (nominal !== null && (facts.first === null || nominal.to < facts.first))
      throw new Error(packPeriodRefusal(facts, nominal, formatTermKey(term)));
    throw new Error(`There are no school days for ${formatTermKey(term)}: import the school calendar for that term.`);
  }
  if (bounds.from > today)
    throw new Error(`${formatTermKey(term)} has not started yet (it starts ${ukDate(bounds.from)}).`);
  await refuseEmptyPackPeriod(connection, termPackSpan(bounds, today), formatTermKey(term));
  const halfTerms = await halfTermsOf(connection);
  const ofTerm = halfTerms.filter((h) => h.term === term);
  const ended = endedHalfTerms(ofTerm, today);
  if (ended.length === 0) {
    throw new Error(`No half term of ${formatTermKey(term)} has ended yet (the first ends ${ukDate(ofTerm[0]?.to ?? bounds.to)}): the governors' pack covers whole half terms that have ended.`);
  }
  const to = ended.at(-1).to;
  const over = to >= bounds.to;
  const coverWords = over ? "" : ` to the end of ${halfTermShort(ended.at(-1).key)}`;
  const period = governorQuery({ from: bounds.from, to });
  const yearToDate = governorQuery({ from: academicYearBounds(academicYearOf(bounds.from)).from, to });
  const lastPeriod = governorLastYear(halfTerms, period);
  const lastYearToDate = governorLastYear(halfTerms, yearToDate);
  return {
    period,
    label: `${formatTermKey(term)}${coverWords}`,
    noun: "This term",
    fileKey: over ? term : `${term}-to-${ended.at(-1).key.split("-").slice(0, 2).join("-")}`,
    yearToDate,
    // Without last year's calendar, the same dates a year earlier (said in the headline's
    // note). The pack reads only the whole school's figures for last year, withheld as the
    // plans of last year's spans withhold them (PackSuppression.lastYear).
    ...lastPeriod && lastYearToDate ? { lastYear: { period: governorQuery(lastPeriod), yearToDate: governorQuery(lastYearToDate) } } : {}
  };
}
function commentarySections(make, commentary) {
  return COMMENTARY_HEADINGS.map((heading, i) => {
    const { intro, blocks } = make(heading);
    return {
      id: heading,
      title: COMMENTARY_LABELS[heading],
      sheet: COMMENTARY_LABELS[heading],
      runOn: i > 0,
      intro,
      blocks: [...blocks, { kind: "commentary", heading: "Headteacher's commentary", entry: commentary[heading] }]
    };
  });
}
var termNotOverNote = (periods) => `The term is not over: figures run to ${ukDate(periods.period.to)}, the end of its last half term that has ended (governors' figures cover whole half terms).`;
function schoolWithheldText(span) {
  const which = span === "term" ? "this term" : "the year to date";
  return `The school's figures for ${which} are withheld from governors: published beside the other figures governors read, they would let a reader work out small groups' or one pupil's attendance. The Overview withholds them for ${which} too. The headteacher's commentary follows.`;
}
async function schoolWithheldPack(connection, request, periods, schoolName, min, notes, span) {
  const reason = schoolWithheldText(span);
  const commentary = await getCommentary(connection, "fgb", request.term);
  const sections = [
    { id: "headline", title: "Attendance against target, last year and national", sheet: "Headline", blocks: [{ kind: "paragraphs", items: [reason] }] },
    ...commentarySections(() => ({ blocks: [] }), commentary)
  ];
  return fgbModel(request, periods, { schoolName, min, notes: [...notes, reason], sections, toDateTabs: request.toDateTabs === false ? null : [] });
}
function fgbModel(request, periods, parts) {
  return {
    kind: "fgb",
    title: "Termly attendance report to the governing board",
    schoolName: parts.schoolName,
    periodLabel: periods.label,
    period: periods.period,
    yearToDate: periods.yearToDate,
    periodKey: request.term,
    fileKey: periods.fileKey ?? request.term,
    today: request.today,
    generatedAt: request.generatedAt ?? (/* @__PURE__ */ new Date()).toISOString(),
    audience: `For governors. No pupil is named. ${capitalise(withheldRuleWords(parts.min))}.`,
    notes: parts.notes,
    // Each table with a withheld figure says why under itself, on its own tab and PDF section.
    sections: sectionsSayWhyWithheld(parts.sections, parts.min),
    toDateTabs: parts.toDateTabs?.map((tab) => ({ ...tab, table: tableSaysWhyWithheld(tab.table, parts.min) })) ?? null
  };
}
async function ladderCounts(connection, periods, thresholds) {
  const pupils = await pupilMeasures(connection, { from: periods.yearToDate.from, to: periods.yearToDate.to });
  const positions = pupils.map((p) => ladderPosition(p, thresholds));
  const bands = thresholds.map((threshold, i) => ({ threshold, pupils: positions.filter((p) => p?.index === i).length }));
  const waiting = pupils.filter((p) => p.possible_sessions > 0 && !pupilJudged(p.possible_sessions));
  const unjudged = { pa: waiting.filter((p) => p.is_pa).length, sa: waiting.filter((p) => p.is_sa).length, pupils: waiting.length };
  const perPupil = pupils.map((p, i) => ({
    possible: p.possible_sessions,
    missed: p.possible_sessions - p.present_sessions - p.aea_sessions,
    band: positions[i]?.index ?? null
  }));
  return { bands, perPupil, unjudged };
}
async function buildFgbPack(connection, request) {
  return withOneThread(connection, () => withSharedReads(connection, () => fgbPackModel(connection, request)));
}
async function fgbPackModel(connection, request) {
  const settings = await getSettings(connection);
  const min = settings.small_group_min;
  const periods = await fgbPeriods(connection, request.term, request.today);
  const termNotOver = periods.period.to < (await termBounds(connection, request.term)).to;
  const headline = await headlineMeasures(connection, periods);
  const plans = await packSuppression(connection, periods, min);
  if (plans.period.rowHidden(groupKey.school) || plans.yearToDate.rowHidden(groupKey.school)) {
    const span = plans.period.rowHidden(groupKey.school) ? "term" : "year to date";
    return schoolWithheldPack(connection, request, periods, settings.school_name, min, [...termNotOver ? [termNotOverNote(periods)] : [], ...await marksImportedNotes(connection, periods.period, request.today)], span);
  }
  const comparisons = await groupComparisons(connection, periods, min, plans);
  const halves = lastTwoEndedHalfTerms(await halfTermsOf(connection), format17(addDays7(parseISO17(periods.period.to), 1), "yyyy-MM-dd"));
  const halfFigures = async (half) => {
    const span = governorQuery({ from: half.from, to: half.to });
    const plan = await governorSpanPlan(connection, span, min);
    const summary = await summarise(connection, span);
    const schoolOut = plan.rowHidden(groupKey.school) || plan.hidden(groupKey.school, "possible_sessions") || plan.hidden(groupKey.school, "attended_sessions");
    return { half, school: schoolOut ? { ...summary, attendance_pct: null } : summary, groups: await compareGroups(connection, span, min, plan) };
  };
  const [previousHalf, latestHalf] = halves.previous && halves.latest ? [await halfFigures(halves.previous), await halfFigures(halves.latest)] : [null, null];
  const groupIn = (figures, key) => {
    const group = figures?.groups.find((g) => g.key === key);
    return group && !group.hidden && group.group.pupils > 0 ? group.group : null;
  };
  const schoolSlices = await governorSlices(connection, { ...periods.yearToDate, filter: {} }, min);
  const weekdaysShown = [periods.period, periods.yearToDate].filter((span) => !schoolSlices.withheld(span.from, span.to));
  const weekdaysRead = await summariseSessionsByEach(connection, weekdaysShown, "weekday");
  const weekdaysOver = (span) => weekdaysShown.includes(span) ? weekdaysRead[weekdaysShown.indexOf(span)] : [];
  const weekdaysTerm = weekdaysOver(periods.period);
  const weekdaysYear = weekdaysOver(periods.yearToDate);
  const reasons = ((await governorReasons(connection, periods.period, min)).get("") ?? []).flatMap((r) => r.sessions === null ? [] : [{ label: r.label, sessions: r.sessions }]);
  const { bands: ladderBands, perPupil, unjudged } = await ladderCounts(connection, periods, settings.attendance_thresholds);
  const ytd = headline.yearToDate;
  const ladderCells = ladderCountCells(
    ladderBands.map((band) => band.pupils),
    settings.attendance_thresholds,
    { pa: ytd.pa_pupils, sa: ytd.sa_pupils },
    min,
    { pa: plans.yearToDate.hidden(groupKey.school, "pa_pupils"), sa: plans.yearToDate.hidden(groupKey.school, "sa_pupils") },
    { pupils: ytd.pupils, possible: ytd.possible_sessions, attended: ytd.present_sessions + ytd.aea_sessions, perPupil },
    // With none not yet judged the bands add up to the headline exactly, as a reader then reads them.
    unjudged.pupils > 0 ? { pa: unjudged.pa, sa: unjudged.sa } : void 0
  );
  const ladder = ladderBands.map((band, i) => ({ ...band, withheld: ladderCells[i].kind === "suppressed" }));
  const pending = await pendingNCodes(connection, periods.period.to);
  const trend = await termlyTrendChart(connection, periods.period.to, settings);
  const yearRows2 = (await summariseByEach(connection, periods.period)).get("year_group") ?? [];
  const yearHidden = (g) => plans.period.rowHidden(groupKey.year(g)) || plans.yearToDate.rowHidden(groupKey.year(g));
  const yearGroups = yearRows2.filter((y) => !yearHidden(y.group) && !isLeaversGroup(y.group)).map((y) => ({ name: yearGroupLabel(y.group), current: y, previous: null, latest: null, rest: null }));
  const narrative = writeNarrative({
    termLabel: periods.label,
    change: previousHalf && latestHalf && previousHalf.school.possible_sessions > 0 ? {
      previousLabel: formatTermKey(previousHalf.half.key),
      latestLabel: formatTermKey(latestHalf.half.key),
      previous: previousHalf.school,
      latest: latestHalf.school,
      pupilsDiffer: academicYearOf(previousHalf.half.to) === academicYearOf(latestHalf.half.from) ? null : changePopulationWords(
        { ...previousHalf.half, label: formatTermKey(previousHalf.half.key) },
        { ...latestHalf.half, label: formatTermKey(latestHalf.half.key) },
        {}
      ).words
    } : null,
    target: settings.target_attendance_pct,
    policy: ladderPolicyOf(settings).ladder.id,
    min,
    term: headline.period,
    // Last year's figures as its spans' plans give them (PackSuppression.lastYear): none where withheld.
    termLastYear: plans.lastYear?.period.rowHidden(groupKey.school) ? { ...headline.periodLastYear, attendance_pct: null, unauthorised_pct: null } : headline.periodLastYear,
    yearToDate: headline.yearToDate,
    yearToDateLastYear: plans.lastYear?.yearToDate.hidden(groupKey.school, "pa_pupils") ? { ...headline.yearToDateLastYear, pa_pct: null } : headline.yearToDateLastYear,
    yearToDateWithheld: { pa: plans.yearToDate.hidden(groupKey.school, "pa_pupils"), sa: plans.yearToDate.hidden(groupKey.school, "sa_pupils") },
    groups: comparisons.filter((c2) => !c2.period.hidden && c2.period.group.pupils > 0).map((c2) => ({
      name: c2.short,
      current: c2.period.group,
      previous: groupIn(previousHalf, c2.key),
      latest: groupIn(latestHalf, c2.key),
      rest: c2.period.rest
    })),
    yearGroups,
    weekdays: weekdaysTerm.map((d) => ({ day: d.group, attendance: d.attendance_pct })),
    reasons,
    ladder,
    pendingN: {
      sessions: pending.length,
      overdue: pending.filter((n) => n.school_days_open > settings.n_code_limit_school_days).length,
      limit: settings.n_code_limit_school_days
    }
  });
  const commentary = await getCommentary(connection, "fgb", request.term);
  const narrativeFor = {
    interventions: "interventions",
    successes: "successes",
    barriers: "barriers",
    "next-steps": "nextSteps"
  };
  const ladderTable = {
    kind: "table",
    table: {
      caption: "Pupils on the attendance policy's ladder, year to date (each pupil counted once, in their lowest band)",
      columns: [{ label: "Band" }, { label: "Pupils", numeric: true }],
      rows: ladder.map((_band, i) => [text(bandRange(settings.attendance_thresholds, i)), ladderCells[i]])
    }
  };
  const ladderWaitingNote = {
    kind: "paragraphs",
    items: [`Some pupils are in no band yet: ${NOT_YET_JUDGED_WHY}, so the bands below 90% may add up to fewer than the persistently absent pupils above.`]
  };
  const interventionCounts = await fgbInterventionCounts(connection, periods, min);
  const sections = [
    headlineSection(headline, periods, settings, min, plans),
    {
      id: "trends",
      title: "Trends",
      sheet: "Trends",
      intro: "How attendance has moved week by week this year, and term by term over the years on record.",
      // Both charts first (they share a page), then the week-by-week table.
      // (Every week withheld: one sentence in place of the weekly chart and table.)
      blocks: await weeklyTrendBlocks(connection, periods, settings, min).then(([weekly, ...rest]) => [weekly, { kind: "chart", chart: trend.chart }, ...rest])
    },
    await yearGroupsAndClassesSection(connection, periods, settings, plans),
    groupsSection(comparisons, periods, settings, min, plans),
    {
      id: "patterns",
      title: "Patterns: days of the week and reasons for absence",
      sheet: "Patterns",
      intro: "Rarely used and sensitive codes (exclusions, part-time timetables, leave for performances and the like) are combined so no pupil can be identified.",
      blocks: [...weekdayBlocks(weekdaysTerm, weekdaysYear, periods, settings, min, schoolSlices.withheld(periods.yearToDate.from, periods.yearToDate.to)), ...await codeBlocks(connection, periods, "families", min)]
    },
    ...commentarySections(
      (heading) => ({
        intro: heading === "interventions" ? `Counts of fewer than ${min} interventions in any half term, and counts from which one could be worked out, read "withheld".` : void 0,
        blocks: [
          { kind: "paragraphs", heading: "From the data", items: narrative[narrativeFor[heading]] },
          ...heading === "interventions" ? [ladderTable, ...unjudged.pupils > 0 ? [ladderWaitingNote] : [], interventionCounts] : []
        ]
      }),
      commentary
    )
  ];
  const notes = [
    ...termNotOver ? [termNotOverNote(periods)] : [],
    ...await marksImportedNotes(connection, periods.period, request.today),
    ...headline.period.possible_sessions === 0 ? ["There are no register marks for this term yet."] : [],
    ...codeRegimeNotes(headline)
  ];
  return fgbModel(request, periods, { schoolName: settings.school_name, min, notes, sections, toDateTabs: request.toDateTabs === false ? null : await toDateTabs(connection, periods, plans) });
}

// analytics/render/pdf.ts
import fs10 from "node:fs";

// analytics/render/shutdown.ts
var closers = /* @__PURE__ */ new Set();
function onShutdown(close) {
  closers.add(close);
}

// analytics/render/pdf.ts
var CHROMIUM_PATH = process.env.ROLLCALL_CHROMIUM ?? "/usr/bin/chromium";
var HEADLESS_SHELL_PATH = "/usr/bin/chromium-headless-shell";
function printerPath() {
  if (process.env.ROLLCALL_CHROMIUM)
    return process.env.ROLLCALL_CHROMIUM;
  return fs10.existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : CHROMIUM_PATH;
}
var PLAYWRIGHT_DISABLED_FEATURES = [
  "AvoidUnnecessaryBeforeUnloadCheckSync",
  "DestroyProfileOnBrowserClose",
  "HttpsUpgrades",
  "HttpsFirstBalancedModeAutoEnable",
  "LensOverlay",
  "MediaRouter",
  "PaintHolding",
  "ThirdPartyStoragePartitioning",
  "AvoidCorsURLLoaderRestartOnRedirect",
  "TcpPortRandomizationWin",
  "OptimizationHints",
  "NetworkTimeServiceQuerying",
  "AimEnabled",
  "PreconnectToSearch",
  "msForceBrowserSignIn",
  "msEdgeUpdateLaunchServicesPreferredVersion"
];
var NO_ADDRESS_BAR_POPUP = ["WebUIOmniboxPopup", "WebUIOmniboxAimPopup"];
var CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...NO_ADDRESS_BAR_POPUP].join(",")}`
];
var PrinterMissingError = class extends Error {
  constructor(path6) {
    super(
      `PDFs are printed with Chromium, which is not installed here (looked for ${path6}): install Debian's chromium-headless-shell package (as root: apt-get install -y chromium-headless-shell fonts-dejavu-core) or set ROLLCALL_CHROMIUM to its path, then ask again. Pages, workbooks and CSV files do not need it.`
    );
    this.path = path6;
    this.name = "PrinterMissingError";
  }
};
var PrintAbandonedError = class extends Error {
  constructor() {
    super("the print was abandoned: the server is stopping");
    this.name = "PrintAbandonedError";
  }
};
async function launchChromium(executable = CHROMIUM_PATH, { handleSignals = true } = {}) {
  if (!fs10.existsSync(executable))
    throw new PrinterMissingError(executable);
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: executable, args: CHROMIUM_ARGS, headless: true, handleSIGINT: handleSignals, handleSIGTERM: handleSignals, handleSIGHUP: handleSignals });
}
var PDF_CONCURRENCY = positiveInteger(process.env.ROLLCALL_PDF_CONCURRENCY, 2);
var PDF_IDLE_MS = positiveInteger(process.env.ROLLCALL_PDF_IDLE_MS, 6e4);
function positiveInteger(text2, fallback) {
  const value = Number(text2);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
var PrintQueue = class {
  constructor(limit, idleMs) {
    this.limit = limit;
    this.idleMs = idleMs;
  }
  browser = null;
  active = 0;
  waiting = [];
  idleTimer = null;
  spare = null;
  /** Set by `abandon` (the process is stopping): no print begins, and one under way fails as PrintAbandonedError. */
  abandoned = false;
  /** Whether the owner of the process stops the browser itself (`ownSignals`): launched without Playwright's signal handlers. */
  signalsOwned = false;
  /** Counters for tests and the benchmark: browsers started, most prints at once, prints given a page made ready beforehand. */
  stats = { launches: 0, peakActive: 0, printed: 0, spareUsed: 0 };
  async run(job) {
    await this.acquire();
    let print = null;
    try {
      if (this.abandoned)
        throw new PrintAbandonedError();
      print = await this.printPage(await this.browserNow());
      return await job(print.page);
    } catch (error) {
      throw this.abandoned ? new PrintAbandonedError() : error;
    } finally {
      if (print)
        await print.context.close().catch(() => void 0);
      this.release();
    }
  }
  /**
   * Gives up every print, under way or waiting, and closes the browser (the server is
   * stopping): each fails as PrintAbandonedError, and none begins after. Resolves once the
   * browser is closed; gives how many prints were under way or waiting.
   */
  async abandon() {
    this.abandoned = true;
    const given = this.active + this.waiting.length;
    await this.close();
    return given;
  }
  /** Closes the shared browser now (the CLI calls this before it exits). */
  async close() {
    this.clearIdle();
    const browser = this.browser;
    this.browser = null;
    this.spare = null;
    if (browser)
      await browser.then((b) => b.close()).catch(() => void 0);
  }
  /** The spare page when it is ready on this browser, else a new one; then the next spare is begun. */
  async printPage(browser) {
    const pending = this.spare;
    this.spare = null;
    const spare = pending ? await pending : null;
    let print;
    if (spare && spare.browser === browser && browser.isConnected() && !spare.page.isClosed()) {
      this.stats.spareUsed += 1;
      print = spare;
    } else {
      if (spare)
        await spare.context.close().catch(() => void 0);
      print = await newPrintPage(browser);
    }
    this.spare ??= newPrintPage(browser).catch(() => null);
    return print;
  }
  acquire() {
    this.clearIdle();
    if (this.active < this.limit) {
      this.active += 1;
      this.stats.peakActive = Math.max(this.stats.peakActive, this.active);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release() {
    this.stats.printed += 1;
    const next = this.waiting.shift();
    if (next) {
      next();
      return;
    }
    this.active -= 1;
    if (this.active === 0) {
      this.idleTimer = setTimeout(() => void this.close(), this.idleMs);
      this.idleTimer.unref();
    }
  }
  clearIdle() {
    if (this.idleTimer)
      clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
  async browserNow() {
    if (this.browser) {
      const current = await this.browser.catch(() => null);
      if (current?.isConnected())
        return current;
      this.browser = null;
    }
    if (this.abandoned)
      throw new PrintAbandonedError();
    const starting = launchChromium(printerPath(), { handleSignals: !this.signalsOwned });
    this.browser = starting;
    this.stats.launches += 1;
    const browser = await starting.catch((error) => {
      this.browser = null;
      throw error;
    });
    browser.on("disconnected", () => {
      if (this.browser === starting)
        this.browser = null;
    });
    return browser;
  }
};
async function newPrintPage(browser) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.emulateMedia({ media: "print" });
    return { browser, context, page };
  } catch (error) {
    await context.close().catch(() => void 0);
    throw error;
  }
}
var PRINT_QUEUE = Symbol.for("rollcall.analytics.render.printQueue.v1");
var printQueue = globalThis[PRINT_QUEUE] ??= new PrintQueue(PDF_CONCURRENCY, PDF_IDLE_MS);
onShutdown(() => printQueue.close());

// analytics/packs/pdf.ts
var KEEP_WHOLE_SHARE = 1 / 3;
var KEEP_PAIR_SHARE = 3 / 4;

// analytics/packs/files.ts
var PACK_FORMATS = ["pdf", "xlsx", "html"];
var PACK_FORMAT_WORDS = listWords(PACK_FORMATS, "or");
async function buildPack(connection, kind, period, today, format18) {
  const toDateTabs2 = format18 === void 0 || format18 === "xlsx";
  return kind === "slt" ? buildSltPack(connection, { month: period, today, toDateTabs: toDateTabs2 }) : buildFgbPack(connection, { term: period, today, toDateTabs: toDateTabs2 });
}

// scripts/zz-fgb-first.ts
var db = "/tmp/p50/big.duckdb";
if (!fs11.existsSync(db)) {
  await buildDemo(db, { pupils: 4500, years: 1, today: "2026-07-31" });
  await closeAllInstances();
}
var runs = Number(process.argv[2] ?? 3);
for (let i = 0; i < runs; i++) {
  forgetKeptPlans();
  const t = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const model = await withConnection(db, (c3) => buildPack(c3, "fgb", "summer-2026", "2026-07-31", "pdf"));
  const c2 = process.cpuUsage(cpu);
  console.log(`first build figures ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(0)} ms, cpu ${((c2.user + c2.system) / 1e3).toFixed(0)} ms`);
  if (i === 0 && process.env.DIGEST)
    fs11.writeFileSync(process.env.DIGEST, JSON.stringify(model));
}
await closeAllInstances();
