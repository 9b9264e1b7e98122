/**
 * One pupil: who they are and how their characteristics changed, their measures for the
 * period and for each academic year, their register as a calendar, attendance over time,
 * the codes they were given and every amendment to their marks. For casework and meetings
 * with families; governors never see this page's names in their packs.
 */
import { londonDateTime } from "../../analytics/time.ts";
import { policyTitle } from "../../analytics/casework/policy-title.ts";
import { notYetJudged, pupilAbsenceVerdict, type PupilAbsenceVerdict } from "../../analytics/judged-span.ts";
import { countsOf } from "~/lib/csv";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { differenceInCalendarDays, parseISO } from "date-fns";
import { CATEGORY_LABELS, type Category } from "../../analytics/codes.ts";
import { ChartFigure } from "~/components/ChartFigure";
import { CHART_COLOURS, PctLineChart } from "~/components/Charts";
import { PeriodPicker } from "~/components/PeriodPicker";
import { PupilInterventions, type InterventionFormResult } from "~/components/PupilInterventions";
import { RegisterCalendar } from "~/components/RegisterCalendar";
import { TargetMet } from "~/components/PointsGap";
import { RouteError } from "~/components/RouteError";
import { AmendedMarkCells } from "~/components/MarkCode";
import {
  InterventionError,
  interventionEffects,
  earlierActionWords,
  effectWindowWords,
  interventionLabels,
  ladderDueRule,
  typesOffered,
  typesRecording,
  ladderFor,
  nextStepOf,
  ladderPolicyOf,
  pupilInterventions,
  recordIntervention,
  leaveOfAbsenceCheck,
  closuresBetween,
  pupilOverTime,
  persistentAbsenceSpan,
  pupilRecord,
  schoolDaysBetween,
  sessionsByCode,
  summarise,
  summariseBy,
} from "~/lib/analytics.server";
import { auditView, clientAddress } from "~/lib/audit.server";
import { withDb } from "~/lib/db.server";
import { describeFilterValue, filtersToSearch } from "~/lib/filters";
import { formatCount, formatCountOf, formatDate, formatPct, formatPctBesideLines, periodInSentence } from "~/lib/format";
import { filterOptions, resolveView } from "~/lib/view.server";
import { requireRole } from "~/lib/auth.server";
import { useCan } from "~/lib/use-user";
import { roleLabel } from "~/lib/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.identity.forename} ${data.identity.surname} — Pupils — Rollcall` : "Pupil — Rollcall" },
];

/** Over about three months a month is the readable grain; shorter periods go by week. */
const MONTHLY_FROM_DAYS = 84;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context });
  const upn = params.upn ?? "";
  // At the database's own thread count, not DuckDB's one-thread hold (analytics/db.ts
  // withOneThread; session 39 took it for this page): the hold's `SET threads = 1`, and the
  // `SET threads = 2` the next page's connection gives back, make DuckDB stop and start its
  // worker, which in the server cost 27–33 ms of CPU and 31–60 ms of the page's wait (10 ms of
  // CPU to give back) once other pages had run, a round trip awaited before any read began.
  // Made afresh, alternated in process (load 9–10, 5 × 10 pupils): a pupil's page and the page
  // after it 148 → 120 ms of CPU; pupils' pages one after another, with no count to set,
  // 119 → 94 ms: the page's statements run side by side, each on a connection of its own, and
  // the second thread has their tasks to run (issue 11, item 4: the page made afresh under 50 readers).
  return withDb(async (connection) => {
    const view = await resolveView(connection, request);
    const period = view.period;
    const query = { from: period.from, to: period.to, filter: { upn } };
    // The page's reads depend on nothing but the pupil, the period and the settings read above,
    // so they run at once, each group on a connection of its own (issue 11, item 5: a pupil's
    // page asked 13 queries one after another, 120–280 ms before anything was kept; DuckDB
    // answers them side by side). Every one is a cached read: a page made again asks none.
    // Those that need only the UPN and the period begin with the pupil's record, not after it:
    // each await one after another had been a wait behind other readers' work on the server's
    // one thread (issue 11, item 4: the page made afresh under 50 readers took 630 ms, alone 130).
    const early = [
      filterOptions(connection, view),
      withDb((c) => summarise(c, query)),
      withDb((c) => sessionsByCode(c, query)),
      // Interventions, their effect and the pupil's standing on the school's escalation ladder.
      // Effects are measured for entries in force only, so a pupil with none (most pupils) has
      // none to read: 15–30 ms of a cold page's CPU otherwise (issue 11, item 4).
      withDb(async (c) => {
        const entries = await pupilInterventions(c, upn);
        return [entries, entries.some((e) => e.in_force) ? await interventionEffects(c, { from: "1900-01-01", to: view.today, asOf: view.today, upn }) : []] as const;
      }),
      withDb((c) => persistentAbsenceSpan(c, period, period.label)),
    ] as const;
    const record = await pupilRecord(connection, upn, period).catch(async (error: unknown) => {
      await Promise.allSettled(early);
      throw error;
    });
    if (!record) {
      // Nothing of an unknown pupil's is shown: the reads begun above are let finish first.
      await Promise.allSettled(early);
      throw new Response(`There is no pupil with UPN “${upn}” in the register.`, { status: 404, statusText: "Pupil not found" });
    }
    // Every view of a pupil's page is recorded (issue 9: access to pupil data is audited),
    // written before the loader returns, so before any of the page is sent; meanwhile the rest
    // is read. A page made once for every reader of a role (scripts/page-cache.js) holds its
    // entry back: the page cache records it for each reader it sends the page to.
    const recorded = auditView(request, context, { action: "pupil_view", target: upn, detail: `${period.from} to ${period.to}` });
    const lastDay = record.identity.leaving_date && record.identity.leaving_date < view.today ? record.identity.leaving_date : view.today;
    const grain: "month" | "week" = differenceInCalendarDays(parseISO(period.to), parseISO(period.from)) >= MONTHLY_FROM_DAYS ? "month" : "week";
    // By month: how many of each month's school days the figure covers (the period's or the
    // pupil's time on roll may start or end inside a month), so a month of one day is shown
    // as the part it is, not as a month's attendance.
    const rollFrom = record.identity.admission_date > period.from ? record.identity.admission_date : period.from;
    const rollTo = record.identity.leaving_date && record.identity.leaving_date < period.to ? record.identity.leaving_date : period.to;
    // The school days this pupil was on roll: a day among them without a mark is a register gap.
    const onRoll = (day: string) => day >= record.identity.admission_date && (!record.identity.leaving_date || day <= record.identity.leaving_date);
    const policy = ladderPolicyOf(view.settings);
    const onRollToday = record.identity.admission_date <= view.today && (!record.identity.leaving_date || record.identity.leaving_date >= view.today);
    const [[options, measures, codes, [interventions, effects], paSpan], years, overTime, [expectedDays, closures, leave], standing] = await Promise.all([
      Promise.all(early),
      // Every academic year of the pupil's time on roll, up to today.
      record.identity.admission_date <= lastDay
        ? withDb((c) => summariseBy(c, { from: record.identity.admission_date, to: lastDay, filter: { upn } }, "academic_year"))
        : Promise.resolve([]),
      // Every month (week) of the pupil's time on roll up to the register's last marked day, a
      // row each, marked or not: a month with no marks of theirs is said, not left out.
      withDb(async (c) => pupilOverTime(c, { upn, roll: { from: rollFrom, to: rollTo }, grain, due: view.due, figures: await summariseBy(c, query, grain) })),
      withDb(async (c) => [
        (await schoolDaysBetween(c, period)).filter(onRoll),
        await closuresBetween(c, period),
        // Ludlow's leave-of-absence rule, on this academic year to today: for a pupil on roll
        // today (a leaver asks for no leave; a trial read "may be considered" for one who left in 2025).
        onRollToday ? await leaveOfAbsenceCheck(c, { upn, asOf: view.today, spells: record.characteristics }) : null,
      ] as const),
      onRollToday ? withDb(async (c) => (await ladderFor(c, view.today, policy, { upn }))[0] ?? null) : Promise.resolve(null),
      recorded,
    ]);
    // Persistent and severe absence, as every page gives them (analytics/judged-span.ts): not
    // given over a period of fewer than 20 school days for the whole school (pa-span.ts; a
    // trial's one-week period read "Severe absence" for 4 missed of 10), and a pupil not yet
    // judged on fewer than 40 possible sessions of their own (a new pupil off ill one of her
    // first three days read "Persistent absence"). Each academic year: the pupil's sessions
    // alone decide, since 40 of them fill at least 20 school days.
    const sessionsWhere = onRollToday && period.to >= view.today ? "so far" : "in this period";
    const absence: PupilAbsenceVerdict = pupilAbsenceVerdict(measures, paSpan, sessionsWhere);

    return {
      filters: view.filters,
      today: view.today,
      interventions,
      interventionLabels: interventionLabels(view.settings.policy),
      interventionTypes: typesOffered(view.settings.policy.ladder),
      recordedBy: typesRecording(view.settings.policy.ladder),
      effects: effects.map((e) => ({ id: e.id, before_pct: e.before_pct, after_pct: e.after_pct, change_points: e.change_points, pending: e.pending, windows: effectWindowWords(e, formatDate), earlier: e.earlier ? earlierActionWords(e.earlier, formatDate, e.before_to) : null })),
      standing: standing
        ? // The one next step, as the casework lists, their CSV and the SLT pack show it (nextStepOf).
          (({ step, action, words, also }) => ({ policy: policyTitle(view.settings.policy, { the: false, noun: "", source: policy.ladder.source }), stage: standing.stage, improved_after: standing.improved_after, next: step, also, next_action: words, action_due: action, review_by: standing.review_by, dueRule: ladderDueRule(policy.ladder, view.settings.policy.preset_chosen) }))(nextStepOf(standing))
        : null,
      period: { label: period.label, from: period.from, to: period.to },
      notice: view.notice,
      registerNotice: view.registerNotice,
      options,
      target: view.settings.target_attendance_pct,
      // The school's attendance lines: a rate under one never printed as on it (formatPctBesideLines).
      lines: view.settings.attendance_thresholds,
      identity: record.identity,
      characteristics: record.characteristics,
      measures,
      absence,
      years: years.map((year) => ({ ...year, absence: pupilAbsenceVerdict(year, { given: true, why: null }, `in ${year.group}`) })),
      grain,
      // The counts behind each rate, for the CSV's numerator and denominator (app/lib/csv.ts);
      // a month read in part says so in `part.words` (analytics/pupil.ts pupilOverTime).
      overTime: overTime.rows,
      // School days on roll in the period, up to the register's last marked day, with a session of the pupil's unmarked.
      unmarkedDays: overTime.unmarkedDays,
      codes,
      marks: record.marks.map(({ date, session, code, category }) => ({ date, session, code, category })),
      expectedDays,
      // The last session whose register has closed: a later unmarked one is drawn as not yet due, not a gap.
      due: view.due,
      closures,
      amendments: record.amendments,
      leave,
    };
  });
}

/** Records an intervention (or a correction) for this pupil; the form's problems come back to it. */
export async function action({ request, params, context }: ActionFunctionArgs): Promise<InterventionFormResult> {
  // Who recorded it is the signed-in user, never a name typed into the form.
  const user = await requireRole(request, "record_interventions", { context });
  const upn = params.upn ?? "";
  const form = await request.formData();
  const text = (key: string) => String(form.get(key) ?? "");
  const corrects = text("corrects");
  try {
    const id = await withDb(async (connection) => {
      const view = await resolveView(connection, request);
      return recordIntervention(connection, {
        upn,
        type: text("type"),
        date: text("date"),
        note: text("note"),
        by: user.name,
        role: user.role,
        corrects: corrects ? Number(corrects) : null,
        withdraw: text("withdraw") === "yes",
        today: view.today,
        // Recorded, corrected or withdrawn: on the audit trail in the same transaction.
        audit: { actor: { email: user.email, name: user.name }, ip: clientAddress(context) },
      });
    });
    return { ok: true, message: `Recorded as entry ${id}.` };
  } catch (error) {
    if (error instanceof InterventionError) return { ok: false, field: error.field, message: error.sentence };
    throw error;
  }
}

/** A pupil's persistent and severe absence as a tag (PupilAbsenceVerdict); the reason, where there is one, is said beside it. */
function AbsenceTag({ verdict }: { verdict: PupilAbsenceVerdict }) {
  switch (verdict.kind) {
    case "severe":
      return <span className="tag tag--red">Severe absence</span>;
    case "persistent":
      return <span className="tag tag--orange">Persistent absence</span>;
    case "neither":
      return <span className="tag tag--green">Not persistently absent</span>;
    case "not_given":
      return <span className="tag tag--grey">Not given</span>;
    case "not_judged":
      return <span className="tag tag--grey">{notYetJudged(undefined, true)}</span>;
  }
}

function yesNo(value: string): string {
  return value === "Y" ? "Yes" : value === "N" ? "No" : value;
}

export default function PupilPage() {
  const data = useLoaderData<typeof loader>();
  const canRecord = useCan("record_interventions");
  const result = useActionData<typeof action>();
  const { identity, measures, period, filters } = data;
  const current = data.characteristics[data.characteristics.length - 1];
  const name = `${identity.forename} ${identity.surname}`;
  // A month the figure covers only part of is marked (*) on the chart and said under it.
  const parts = new Map(data.overTime.filter((row) => row.part).map((row) => [row.group, row.part!]));
  const monthLabel = (value: string) => formatDate(`${value}-01`, "MMM yyyy");
  const timeLabel = (value: string) => `${data.grain === "month" ? monthLabel(value) : formatDate(value, "d MMM")}${parts.has(value) ? "*" : ""}`;
  // A part's words ("11 of its 21 school days; 12 of 42 sessions marked; …") come from
  // analytics/pupil.ts: "Whole month" only for a month on roll and marked every school day.
  const unit = data.grain === "month" ? "month" : "week";
  const covers = (part: (typeof data.overTime)[number]["part"]) =>
    part ? (part.covered < part.schoolDays ? `Part ${unit}: ${part.words}` : part.words) : `Whole ${unit}`;
  // By week the column is shown only when a week has unmarked days (weeks were never cut before).
  const coversColumn = data.grain === "month" || parts.size > 0;
  return (
    <>
      <p className="no-print">
        <Link to={`/pupils?${filtersToSearch(filters).toString()}`}>← All pupils</Link>
      </p>
      <h1>{name}</h1>
      <p className="lede">
        UPN <span className="pupil-table__upn">{identity.upn}</span>
        {current ? ` · ${describeFilterValue("year_group", current.year_group)}, class ${current.reg_group}` : ""} · on roll from{" "}
        {formatDate(identity.admission_date)}
        {identity.leaving_date ? ` to ${formatDate(identity.leaving_date)}` : ""}
      </p>
      <PeriodPicker filters={filters} options={data.options} periodOnly />

      <h2>{period.label}</h2>
      {measures.possible_sessions === 0 ? (
        <div className="notice notice--warning" data-testid="no-marks">
          <p>
            {name} has no counted register marks in this period ({formatDate(period.from)} to {formatDate(period.to)}), so there is no attendance
            figure. {data.marks.length > 0 ? "Their only marks are codes not counted in possible sessions." : "Choose another period, or check the register for gaps."}
          </p>
        </div>
      ) : (
        <div className="tiles" data-testid="pupil-measures">
          <section className="tile">
            <p className="tile__label">Attendance</p>
            <p className="tile__value">{formatPctBesideLines(measures.attendance_pct, data.lines)}</p>
            <p className="tile__detail">
              {formatCount(measures.present_sessions + measures.aea_sessions)} of {formatCount(measures.possible_sessions)} possible sessions
            </p>
            {data.unmarkedDays > 0 ? (
              // Of the marked sessions only: a register imported for September and October read
              // "100.0 %, 72 of 72" for a pupil on roll and unmarked all November (a trial).
              <p className="tile__detail" data-testid="pupil-unmarked">
                Of marked sessions only: {formatCountOf(data.unmarkedDays, "school day")} on roll unmarked — see <Link to="/quality">Register checks</Link>
              </p>
            ) : null}
            <p className="tile__detail">
              <TargetMet value={measures.attendance_pct} target={data.target} />
            </p>
          </section>
          <section className="tile">
            <p className="tile__label">Absence</p>
            <p className="tile__value">{formatPct(measures.absence_pct)}</p>
            <p className="tile__detail">
              Authorised {formatPct(measures.authorised_pct)} ({formatCountOf(measures.authorised_sessions, "session")})
            </p>
            <p className="tile__detail">
              Unauthorised {formatPct(measures.unauthorised_pct)} ({formatCountOf(measures.unauthorised_sessions, "session")})
            </p>
          </section>
          <section className="tile" data-testid="pupil-absence">
            <p className="tile__label">Persistent absence</p>
            <p className="tile__value">
              <AbsenceTag verdict={data.absence} />
            </p>
            {data.absence.why ? (
              <p className="tile__detail" data-testid="pupil-absence-why">
                {data.absence.why}
              </p>
            ) : null}
            <p className="tile__detail">Persistent at 10% of possible sessions missed, severe at 50%.</p>
          </section>
        </div>
      )}

      <h2>Register</h2>
      <p className="hint">Each day shows the morning (AM) and afternoon (PM) marks. Hover over a code for its meaning; the Codes table below lists every code used.</p>
      <RegisterCalendar from={period.from} to={period.to} marks={data.marks} expectedDays={data.expectedDays} due={data.due} closures={data.closures} amendments={data.amendments} />

      <div className="grid-2">
        <div>
          <h2>Attendance over time</h2>
          <ChartFigure
            title={`Attendance by ${data.grain}, ${periodInSentence(period.label)}`}
            rows={data.overTime.map((row) => ({
              when: row.group,
              attendance_pct: row.attendance_pct,
              ...countsOf("", row),
              ...(coversColumn ? { covers: covers(row.part) } : {}),
            }))}
            columns={[
              { key: "when", label: data.grain === "month" ? "Month" : "Week beginning", format: data.grain === "week" ? "date" : "text" },
              { key: "attendance_pct", label: "Attendance", format: "pct" },
              { key: "possible_sessions", label: "Possible sessions", format: "count" },
              ...(coversColumn ? [{ key: "covers", label: "School days covered", format: "text" as const }] : []),
            ]}
            filename={`pupil-${identity.upn}-attendance-by-${data.grain}`}
          >
            <PctLineChart
              // A part month is a hollow point of its own, not on the line of whole months; the key
              // says "not a whole month", which also covers a month on roll with some or no marks
              // (trial22b: "Part month (*)" for a whole month on roll without a mark).
              rows={data.overTime.map((row) => ({ when: row.group, attendance_pct: row.part ? null : row.attendance_pct, part_pct: row.part ? row.attendance_pct : null }))}
              xKey="when"
              series={[
                { key: "attendance_pct", label: "Attendance", colour: CHART_COLOURS.attendance },
                ...(parts.size > 0 ? [{ key: "part_pct", label: `Not a whole ${data.grain === "month" ? "month" : "week"} (*)`, colour: CHART_COLOURS.attendance, pointsOnly: true }] : []),
              ]}
              target={data.target}
              height={260}
              xTickFormatter={timeLabel}
            />
            {parts.size > 0 ? (
              <p className="hint" data-testid="part-months">
                {/* Each month's (week's) own case and what its figure is (analytics/pupil.ts partNote). */}
                * {[...parts].map(([when, part]) => `${data.grain === "month" ? monthLabel(when) : `Week of ${formatDate(when, "d MMM")}`} ${part.note}`).join("; ")}.
                {[...parts.values()].some((part) => part.marked) ? " Unmarked days are listed on Register checks." : ""}
              </p>
            ) : null}
          </ChartFigure>
        </div>
        <div>
          <h2>Codes</h2>
          {data.codes.length === 0 ? (
            <p>No marks in this period.</p>
          ) : (
            <table className="data" data-testid="pupil-codes">
              <caption className="visually-hidden">Sessions by code in the period</caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Meaning</th>
                  <th scope="col">Category</th>
                  <th scope="col" className="num">Sessions</th>
                </tr>
              </thead>
              <tbody>
                {data.codes.map((code) => (
                  <tr key={code.code}>
                    <td>
                      <span className={`register-mark register-mark--${code.category}`}>{code.code}</span>
                    </td>
                    <td>{code.meaning}</td>
                    <td>{CATEGORY_LABELS[code.category as Category] ?? code.category}</td>
                    <td className="num">{formatCount(code.sessions)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>

      {data.leave ? (
        <section className="panel" data-testid="leave-check" aria-labelledby="leave-heading">
          <h2 id="leave-heading">Leave-of-absence request</h2>
          {data.leave.verdict === "incomplete" ? (
            <>
              <p data-testid="leave-incomplete">
                <span className="tag tag--grey">Cannot be judged yet</span> The policy judges the whole record, and the register for{" "}
                {data.leave.academicYear} to {formatDate(data.leave.to)} is not complete:
              </p>
              <ul>
                {data.leave.unmarked_days > 0 ? (
                  <li>
                    {formatCountOf(data.leave.unmarked_days, "school day")} of {identity.forename}&apos;s {data.leave.unmarked_days === 1 ? "has" : "have"} no marks
                    (Register checks lists them)
                  </li>
                ) : null}
                {data.leave.marks_imported ? <li>{data.leave.marks_imported}</li> : null}
              </ul>
              <p>
                Once they are marked the request can be judged. On the marked days so far:{" "}
                {data.leave.reasons.length > 0 ? data.leave.reasons.join("; ") : data.leave.authorised_pct === null ? "no sessions recorded" : `no unauthorised absence and authorised absence of ${formatPct(data.leave.authorised_pct)}`}.
              </p>
            </>
          ) : data.leave.may_be_considered ? (
            <p>
              <span className="tag tag--green">May be considered</span>{" "}
              {data.leave.authorised_pct === null
                ? `No sessions recorded in ${data.leave.academicYear} to ${formatDate(data.leave.to)}, so no absence.`
                : `No unauthorised absence and authorised absence of ${formatPct(data.leave.authorised_pct)} in ${data.leave.academicYear} to ${formatDate(data.leave.to)}.`}
            </p>
          ) : (
            <>
              <p>
                <span className="tag tag--red">Would be refused</span> under the policy, in {data.leave.academicYear} to {formatDate(data.leave.to)}:
              </p>
              <ul>
                {data.leave.reasons.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
              {data.leave.unmarked_days > 0 || data.leave.marks_imported ? (
                <p className="hint" data-testid="leave-refused-incomplete">
                  The register is not complete (
                  {[
                    data.leave.unmarked_days > 0 ? `${formatCountOf(data.leave.unmarked_days, "school day")} of ${identity.forename}'s without marks` : null,
                    data.leave.marks_imported,
                  ]
                    .filter(Boolean)
                    .join("; ")}
                  ), but no further marks can take unauthorised absence away.
                </p>
              ) : null}
            </>
          )}
          {data.leave.assessment ? (
            <p data-testid="leave-assessment">
              <strong>Check the dates asked for:</strong> the policy also refuses leave immediately before and during statutory
              assessment periods. {data.leave.assessment} (the Standards and Testing Agency sets the dates each year).
            </p>
          ) : null}
          <p className="hint">
            The policy refuses a request where the pupil has any unauthorised absence, or authorised absence above 10%, this
            academic year, and immediately before and during statutory assessment periods. Rollcall judges a request only on a
            complete register: a day without marks may hold unauthorised absence.
          </p>
        </section>
      ) : null}

      <PupilInterventions
        name={identity.forename}
        today={data.today}
        admitted={identity.admission_date}
        left={identity.leaving_date ?? null}
        entries={data.interventions}
        effects={data.effects}
        standing={data.standing}
        result={result}
        canRecord={canRecord}
        labels={data.interventionLabels}
        types={data.interventionTypes}
        recordedBy={data.recordedBy}
      />

      <h2>Each academic year</h2>
      {data.years.length === 0 ? (
        <p>No marks in any academic year yet.</p>
      ) : (
        <table className="data" data-testid="pupil-years">
          <caption className="visually-hidden">Measures for each academic year on roll, to date</caption>
          <thead>
            <tr>
              <th scope="col">Academic year</th>
              <th scope="col" className="num">Possible sessions</th>
              <th scope="col" className="num">Attendance</th>
              <th scope="col" className="num">Authorised absence</th>
              <th scope="col" className="num">Unauthorised absence</th>
              <th scope="col">Flag</th>
            </tr>
          </thead>
          <tbody>
            {data.years.map((year) => (
              <tr key={year.group}>
                <th scope="row">{year.group}</th>
                <td className="num">{formatCount(year.possible_sessions)}</td>
                <td className="num">{formatPctBesideLines(year.attendance_pct, data.lines)}</td>
                <td className="num">{formatPct(year.authorised_pct)}</td>
                <td className="num">{formatPct(year.unauthorised_pct)}</td>
                <td>
                  {year.absence.kind === "not_judged" ? (
                    <span title={year.absence.why}>{notYetJudged(year.possible_sessions, true)}</span>
                  ) : year.absence.kind === "neither" ? null : (
                    <AbsenceTag verdict={year.absence} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Characteristics over time</h2>
      <dl className="pupil-identity">
        <dt>Date of birth</dt>
        <dd>{formatDate(identity.dob)}</dd>
        <dt>Sex</dt>
        <dd>{identity.sex === "F" ? "Female" : identity.sex === "M" ? "Male" : identity.sex}</dd>
        <dt>Ethnicity</dt>
        <dd>
          <abbr title={`DfE code ${identity.ethnicity}`} data-testid="pupil-ethnicity">
            {describeFilterValue("ethnicity", identity.ethnicity)}
          </abbr>
        </dd>
      </dl>
      <table className="data" data-testid="pupil-characteristics">
        <caption className="visually-hidden">Characteristics, each with the dates it applied</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Year</th>
            <th scope="col">Class</th>
            <th scope="col">SEN</th>
            <th scope="col">FSM</th>
            <th scope="col">EAL</th>
            <th scope="col">Looked after</th>
          </tr>
        </thead>
        <tbody>
          {data.characteristics.map((spell) => (
            <tr key={spell.valid_from}>
              <td>{formatDate(spell.valid_from)}</td>
              <td>{spell.valid_to ? formatDate(spell.valid_to) : "Now"}</td>
              <td>{spell.year_group}</td>
              <td>{spell.reg_group}</td>
              <td>{describeFilterValue("sen", spell.sen)}</td>
              <td>{yesNo(spell.fsm)}</td>
              <td>{yesNo(spell.eal)}</td>
              <td>{yesNo(spell.lac)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Amendments</h2>
      {data.amendments.length === 0 ? (
        <p data-testid="no-amendments">No stored mark of {identity.forename}'s has been changed.</p>
      ) : (
        <table className="data" data-testid="pupil-amendments">
          <caption className="visually-hidden">Changes to stored marks, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Session</th>
              <th scope="col">Was</th>
              <th scope="col">Now</th>
              <th scope="col">Reason</th>
              <th scope="col">Changed</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {data.amendments.map((amendment, index) => (
              <tr key={`${amendment.date}-${amendment.session}-${index}`}>
                <td>
                  {formatDate(amendment.date, "EEE d MMM yyyy")} {amendment.session}
                </td>
                <AmendedMarkCells words={amendment} codes={{ before: amendment.original_code, after: amendment.new_code }} />
                <td>{amendment.reason}</td>
                <td>{londonDateTime(amendment.amended_at)}</td>
                <td>
                  {amendment.amended_by} ({roleLabel(amendment.amended_by_role)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="This pupil could not be shown" />;
}
