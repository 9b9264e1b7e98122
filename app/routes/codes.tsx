/**
 * Codes: which absence codes the register uses and how that changes over time — stacked
 * absence codes per week, month or half term; sessions by category; and every code used
 * with its meaning, category, sessions and share of all absence.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useNavigate } from "@remix-run/react";
import { CATEGORY_LABELS, describeCode, type Category } from "../../analytics/codes.ts";
import { ChartFigure } from "~/components/ChartFigure";
import { CHART_COLOURS, SERIES_COLOURS, StackedBarChart } from "~/components/Charts";
import { GrainLinks } from "~/components/GrainLinks";
import { NoMarks } from "~/components/NoMarks";
import { PeriodPicker } from "~/components/PeriodPicker";
import { RouteError } from "~/components/RouteError";
import { cutGroupsWords, groupsCutByPeriod, governorSpanWithheld, governorReasons, codeFamilyOf, governorBreakdownWithheld, governorBreakdownRows, governorSliceFigures, splitGivenBy, reasonsGivenFor, sessionsByCode, sessionsByCodeOver, summarise, summariseBy, type ReasonFigure } from "~/lib/analytics.server";
import { can } from "~/lib/permissions";
import { WithheldNotice } from "~/components/WithheldNotice";
import { WITHHELD_COLUMN, absenceWithheldBecause, withheldWords } from "~/lib/withheld";
import { withDb } from "~/lib/db.server";
import { codesFootnote } from "~/lib/codes-footnote";
import { drillDownHref } from "~/lib/filters";
import { formatCount, formatPct, periodInSentence } from "~/lib/format";
import { GRAIN_LABELS, describeGroup, readGrain, withGrainNotice } from "~/lib/grain";
import { filterOptions, resolveView } from "~/lib/view.server";
import { requireRole } from "~/lib/auth.server";
import { PupilsLink } from "~/components/PupilsLink";
import { useMayDrill } from "~/components/PupilsLink";

export const meta: MetaFunction = () => [{ title: "Codes — Rollcall" }];

const CODE_GRAINS = ["week", "month", "half_term"] as const;
const ABSENCE_CATEGORIES = new Set(["authorised", "unauthorised"]);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "view_aggregates", { context });
  // Governors: one filter at a time on a page of figures by period (analytics/governor-lattice.ts).
  const governorPage = can(user.role, "view_pupils") ? {} : { governorPage: "periods" as const };
  return withDb(async (c) => {
    const view = await resolveView(c, request, { ...governorPage, reads: ["by"] });
    const options = await filterOptions(c, view);
    const by = new URL(request.url).searchParams.get("by");
    const grain = readGrain(by, CODE_GRAINS, "week");
    const notice = withGrainNotice(view.notice, new URL(request.url).searchParams, CODE_GRAINS, "week");
    // Governors: the chosen pupils' figures over the period, and each week, month or half term,
    // go when the plan withholds them (analytics/governor-view.ts); nothing withheld is sent.
    const min = can(user.role, "view_pupils") ? null : view.settings.small_group_min;
    const { spanWithheld, absenceWithheld } = await governorSpanWithheld(c, view.query, min);
    // Every figure here is absence in sessions over the period (by code, and by week …): where
    // the period's pupils absent at least once are withheld (as on the Overview), it goes too:
    // "I: 1 session" for a class on one day is 1 pupil (docs/DEFINITIONS.md).
    if (spanWithheld || absenceWithheld) {
      return { filters: view.filters, options, period: view.period, notice, registerNotice: view.registerNotice, governorRule: view.governorRule, governorPeriods: view.governorPeriods, grain, cutWords: null as string | null, noMarks: false, spanWithheld, absenceWithheld, families: true, reasonsOverTime: false, reasonsGiven: false, splitGiven: false, absenceSessions: 0, codes: [], absenceOverTime: [], categoriesOverTime: [], reasonsWithheld: [] as string[], smallGroupMin: min };
    }
    // Governors: weeks and months as slices of the period, half terms as periods of their own
    // (analytics/governor-view.ts governorBreakdownWithheld).
    const periodWithheld = min === null ? null : await governorBreakdownWithheld(c, view.query, grain, min);
    const shownPeriod = (group: string) => !periodWithheld?.get(group)?.row;
    const totals = await summarise(c, view.query);
    const absenceSessions = totals.authorised_sessions + totals.unauthorised_sessions;
    // Governors read absence by reason, as in their pack: rarely used and sensitive codes
    // (part-time timetable, exclusion …) combined, so that no pupil's circumstances can be read
    // off a row of a class or group; codes that are not absence are not listed to them.
    const families = min !== null;
    const byCode = await sessionsByCode(c, view.query);
    // Governors: a year group's, class's or pupil group's reasons are not given, only its
    // absence by category (analytics/governor-view.ts reasonsGivenFor).
    const reasonsGiven = reasonsGivenFor(min, view.query.filter);
    const absenceRows = byCode.filter((code) => ABSENCE_CATEGORIES.has(code.category)).map((code) => ({ ...code, group: "" }));
    // Governors' reasons for the whole school: a reason had by 1 to min − 1 pupils is withheld,
    // and so is any other that would give it away (analytics/governor-reasons.ts), here and
    // half term by half term (the same plan).
    const reasons = families && reasonsGiven ? await governorReasons(c, view.query, min) : null;
    const fromReasons = (group: string, rows: ReasonFigure[]) =>
      rows.map((r) => ({ group, code: familyKey(r.label), category: r.category, meaning: r.label, sessions: r.sessions, withheld: r.withheld }));
    const shown: Array<{ code: string; category: string; meaning: string; sessions: number | null; withheld?: string | null }> = !families
      ? byCode
      : reasons
        ? fromReasons("", reasons.get("") ?? [])
        : combineFamilies(absenceRows, (_code, category) => `${CATEGORY_LABELS[category as Category] ?? category} (reasons not given for a group)`);
    const codes = shown.map((code) => ({
      code: code.code,
      category: code.category,
      meaning: code.meaning,
      sessions: code.sessions,
      withheld: code.withheld ?? null,
      // The share of all absence this code accounts for; only absence codes have one.
      share_of_absence_pct: code.sessions !== null && ABSENCE_CATEGORIES.has(code.category) && absenceSessions > 0 ? (100 * code.sessions) / absenceSessions : null,
    }));
    // Governors: reasons by week or month are not given (analytics/governor-view.ts splitGivenBy).
    const reasonsOverTime = splitGivenBy(min, grain) && reasonsGiven;
    const overTime = reasonsOverTime && !reasons ? (await sessionsByCodeOver(c, view.query, grain)).filter((row) => ABSENCE_CATEGORIES.has(row.category) && shownPeriod(row.group)) : [];
    const absenceOverTime: Array<{ group: string; code: string; sessions: number | null }> =
      reasons && reasonsOverTime ? [...reasons].filter(([group]) => group !== "" && shownPeriod(group)).flatMap(([group, rows]) => fromReasons(group, rows)) : families ? combineFamilies(overTime) : overTime;
    const reasonsWithheld = codes.filter((code) => code.withheld).map((code) => code.meaning);
    // Governors: a week's or month's absence by kind is not given either, only its total
    // (analytics/governor-view.ts governorSliceFigures).
    const splitGiven = splitGivenBy(min, grain);
    const mine = (await summariseBy(c, view.query, grain)).filter((group) => group.possible_sessions > 0);
    // Governors: a week, month or half term with none of these pupils reads as one with a few
    // where that one's would be withheld (governorBreakdownRows), not left out.
    const categoriesOverTime = (periodWithheld ? await governorBreakdownRows(c, view.query, grain, mine, (group) => !shownPeriod(group)) : mine)
      .map((all) => {
        const withheld = periodWithheld?.get(all.group)?.row ?? null;
        const group = governorSliceFigures(min, grain, all);
        return {
          group: group.group,
          withheld,
          // Governors: AEA is not given on its own, in any slice or half term (attendedOnly in
          // analytics/governor-view.ts): "2" AEA sessions in a week was one pupil's two K marks.
          aea_sessions: withheld || min !== null ? null : group.aea_sessions,
          absence_sessions: withheld ? null : group.absence_sessions,
          authorised_sessions: withheld ? null : group.authorised_sessions,
          unauthorised_sessions: withheld ? null : group.unauthorised_sessions,
        };
      });
    // A week, month or half term the period cuts short draws a shorter bar for that alone: said
    // under the charts (analytics/cut-groups.ts), for the groups they draw.
    const drawn = new Set(categoriesOverTime.map((row) => row.group));
    const cuts = (await groupsCutByPeriod(c, view.query, grain)).filter((cut) => drawn.has(cut.group));
    return {
      filters: view.filters,
      options,
      period: view.period,
      notice, registerNotice: view.registerNotice, governorRule: view.governorRule, governorPeriods: view.governorPeriods,
      grain,
      cutWords: cutGroupsWords(cuts, grain),
      // No marks at all for these pupils in the period. Not "no codes listed": a governor's list
      // is absence only, so a group with marks and no absence read "There are no register marks".
      noMarks: totals.possible_sessions === 0 && byCode.length === 0,
      spanWithheld: null as string | null,
      absenceWithheld: null as string | null,
      families,
      reasonsOverTime,
      reasonsGiven,
      splitGiven,
      absenceSessions,
      codes,
      absenceOverTime,
      categoriesOverTime,
      reasonsWithheld,
      smallGroupMin: min,
    };
  });
}

/**
 * Rows of sessions by code (per period group, "" for the whole span) combined into the
 * governors' families (codeFamilyOf: the FGB pack's). A family's `code` is a key made from its
 * name, its `meaning` the name.
 */
/** A governor's family's key, made from its name (its `code` on the page). */
const familyKey = (meaning: string) => `family-${meaning.replace(/[^A-Za-z]+/g, "-").toLowerCase()}`;

function combineFamilies<R extends { group: string; code: string; category: string; meaning?: string; sessions: number }>(rows: R[], nameOf: (code: string, category: string) => string = codeFamilyOf): R[] {
  const combined = new Map<string, R>();
  for (const row of rows) {
    const meaning = nameOf(row.code, row.category);
    const code = familyKey(meaning);
    const key = `${row.group}|${code}`;
    const entry: R = combined.get(key) ?? { ...row, code, meaning, sessions: 0 };
    entry.sessions += row.sessions;
    combined.set(key, entry);
  }
  // Periods keep their order (first seen); within one, most sessions first.
  const periodOrder = new Map<string, number>();
  for (const row of rows) if (!periodOrder.has(row.group)) periodOrder.set(row.group, periodOrder.size);
  return [...combined.values()].sort((a, b) => periodOrder.get(a.group)! - periodOrder.get(b.group)! || b.sessions - a.sessions);
}

const CATEGORY_TAGS: Record<string, string> = {
  present: "tag--green",
  aea: "tag--blue",
  authorised: "tag--orange",
  unauthorised: "tag--red",
  not_counted: "tag--grey",
};

export default function Codes() {
  const data = useLoaderData<typeof loader>();
  const { grain, period } = data;
  const grainWord = GRAIN_LABELS[grain].toLowerCase();
  const cutSentence = data.cutWords ? ` ${data.cutWords}` : "";
  const navigate = useNavigate();
  // A bar opens the pupils of that week, month or half term, and the codes table has a link per
  // code — for roles that may see pupils; governors get neither (nor words offering them).
  const mayDrill = useMayDrill();
  const meaningHeading = !data.families ? "Meaning" : data.reasonsGiven ? "Reason" : "Absence";
  const openPupils = (group: string) => (mayDrill ? navigate(drillDownHref(data.filters, { by: grain, value: group })) : undefined);

  // One row per period with a column per absence code: the stacked bars' layout. The
  // absence codes are ordered by how much absence each accounts for overall.
  const absenceCodes = data.codes.filter((code) => ABSENCE_CATEGORIES.has(code.category)).map((code) => code.code);
  // Every period with marks has a row, a withheld one too: it says "withheld", not nothing.
  const stacked = new Map<string, Record<string, string | number | null>>();
  for (const period of data.categoriesOverTime) {
    stacked.set(period.group, { group: period.group, label: describeGroup(grain, period.group), tick: describeGroup(grain, period.group, true), withheld: period.withheld });
  }
  for (const row of data.absenceOverTime) {
    const wide = stacked.get(row.group) ?? { group: row.group, label: describeGroup(grain, row.group), tick: describeGroup(grain, row.group, true), withheld: null };
    wide[row.code] = row.sessions;
    stacked.set(row.group, wide);
  }
  // In the periods' order (categoriesOverTime comes in date order from the measures).
  const stackedRows = [...stacked.values()];
  // A series' name: a governor's family by its name, a code by its code and meaning.
  const seriesName = (code: string, withMeaning: boolean) =>
    data.families ? (data.codes.find((row) => row.code === code)?.meaning ?? code) : withMeaning ? `${code} ${describeCode(code)?.meaning ?? ""}`.trim() : code;
  // A reason withheld in a half term stays null ("—"), not 0.
  for (const row of stackedRows) for (const code of absenceCodes) if (!row.withheld && !(code in row)) row[code] = 0;
  // The table and its CSV name each week with its year ("w/c 31 Aug 2026": trial 54's CSV read
  // "w/c 31 Aug" in a file spanning years); the chart's axis, short of room, without (`tick`).
  const categoryRows = data.categoriesOverTime.map((row) => ({ ...row, label: describeGroup(grain, row.group), tick: describeGroup(grain, row.group, true) }));

  return (
    <>
      <h1>Attendance codes</h1>
      <PeriodPicker filters={data.filters} options={data.options} period={period} />
      {data.spanWithheld ? (
        <WithheldNotice reason={data.spanWithheld} filters={data.filters} min={data.smallGroupMin} />
      ) : data.absenceWithheld ? (
        <WithheldNotice what="absence in this period, by code and over time," reason={absenceWithheldBecause(data.absenceWithheld)} filters={data.filters} min={data.smallGroupMin} />
      ) : data.noMarks ? (
        <NoMarks period={period} storeIsEmpty={data.options.academicYears.length === 0} filters={data.filters} />
      ) : (
        <>
          <GrainLinks
            param="by"
            current={grain}
            label="Show by"
            choices={CODE_GRAINS.map((value) => ({ value, label: GRAIN_LABELS[value] }))}
          />
          {!data.reasonsGiven ? (
            <p className="hint" data-testid="reasons-not-given">
              Absence by reason is not given to governors for a year group, class or pupil group: its reasons are a handful of pupils
              each, who could be named, and they are the whole school&apos;s less the other groups&apos;. The whole school&apos;s are given;
              these pupils&apos; absence follows.
            </p>
          ) : !data.reasonsOverTime ? (
            <p className="hint" data-testid="reasons-not-given">
              Absence by reason is not given to governors {grainWord} by {grainWord}: a reason&apos;s sessions in one {grainWord} are
              nearly always a handful of pupils, who could be named. It is given for the whole period below, and half term by half
              term (show by half term); each {grainWord}&apos;s absence in all follows.
            </p>
          ) : (
          <ChartFigure
            title={`Absence sessions by ${data.families ? "reason" : "code"}, each ${grainWord}`}
            description={`Sessions of authorised and unauthorised absence, stacked by ${data.families ? "reason (rarely used and sensitive codes combined, as in the governors' pack)" : "the code recorded"}. ${formatCount(data.absenceSessions)} absence sessions in all.${cutSentence}`}
            rows={stackedRows}
            columns={[
              { key: "label", label: GRAIN_LABELS[grain] },
              ...absenceCodes.map((code) => ({ key: code, label: seriesName(code, false), format: "count" as const })),
              WITHHELD_COLUMN,
            ]}
            filename={`absence-codes-by-${grain}`}
          >
            <StackedBarChart
              rows={stackedRows}
              xKey="tick"
              selectKey="group"
              onSelect={openPupils}
              yLabel="Sessions"
              series={absenceCodes.map((code, index) => ({
                key: code,
                label: seriesName(code, true),
                colour: SERIES_COLOURS[index % SERIES_COLOURS.length],
              }))}
              height={380}
            />
          </ChartFigure>
          )}
          <ChartFigure
            title={data.families ? `Absence sessions, each ${grainWord}` : `Sessions by category, each ${grainWord}`}
            description={
              (!data.families
                ? "Approved educational activity counts as attending; authorised and unauthorised absence make up the absence rate."
                : data.splitGiven
                  ? "Authorised and unauthorised absence make up the absence rate. Approved educational activity (off-site provision, visits) counts as attending and is not given to governors on its own: it is a handful of pupils."
                  : `Governors are given each ${grainWord}'s absence in all, not split into authorised and unauthorised, nor approved educational activity on its own: a day's absence of one kind, or a week's off-site provision, is nearly always one or two pupils.`) + cutSentence
            }
            rows={categoryRows}
            columns={[
              { key: "label", label: GRAIN_LABELS[grain] },
              ...(data.families ? [] : [{ key: "aea_sessions", label: "Approved educational activity", format: "count" as const }]),
              ...(data.splitGiven
                ? [
                    { key: "authorised_sessions", label: "Authorised absence", format: "count" as const },
                    { key: "unauthorised_sessions", label: "Unauthorised absence", format: "count" as const },
                  ]
                : [{ key: "absence_sessions", label: "Absence", format: "count" as const }]),
              WITHHELD_COLUMN,
            ]}
            filename={`code-categories-by-${grain}`}
          >
            <StackedBarChart
              rows={categoryRows}
              xKey="tick"
              selectKey="group"
              onSelect={openPupils}
              yLabel="Sessions"
              series={[
                ...(data.families ? [] : [{ key: "aea_sessions", label: "Approved educational activity", colour: CHART_COLOURS.aea }]),
                ...(data.splitGiven
                  ? [
                      { key: "authorised_sessions", label: "Authorised absence", colour: CHART_COLOURS.authorised },
                      { key: "unauthorised_sessions", label: "Unauthorised absence", colour: CHART_COLOURS.unauthorised },
                    ]
                  : [{ key: "absence_sessions", label: "Absence", colour: CHART_COLOURS.unauthorised }]),
              ]}
            />
          </ChartFigure>

          {/* A card per code on a phone (app.css data--cards): its meaning is a sentence. */}
          <table className="data data--cards" data-testid="codes-table">
            <caption>{!data.families ? "Every code used" : data.reasonsGiven ? "Absence by reason" : "Absence by category"}, {periodInSentence(period.label)}</caption>
            <thead>
              <tr>
                {data.families ? null : <th scope="col">Code</th>}
                <th scope="col">{meaningHeading}</th>
                <th scope="col">Category</th>
                <th scope="col" className="num">
                  Sessions
                </th>
                <th scope="col" className="num">
                  Share of absence
                </th>
                {mayDrill ? <th scope="col">Pupils</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.codes.length === 0 ? (
                <tr>
                  <td colSpan={4 + (data.families ? 0 : 1) + (mayDrill ? 1 : 0)} data-testid="no-absence">
                    No absence is recorded for these pupils in {periodInSentence(period.label)}.
                  </td>
                </tr>
              ) : null}
              {data.codes.map((code) => {
                const meaning = describeCode(code.code)?.meaning ?? code.meaning;
                return (
                  <tr key={code.code}>
                    {data.families ? null : (
                      <td>
                        <abbr className="code" title={meaning}>
                          {code.code}
                        </abbr>
                      </td>
                    )}
                    <td title={meaning} data-label={data.families ? undefined : meaningHeading}>{code.meaning}</td>
                    <td data-label="Category">
                      <span className={`tag ${CATEGORY_TAGS[code.category] ?? "tag--grey"}`}>
                        {CATEGORY_LABELS[code.category as Category] ?? code.category}
                      </span>
                    </td>
                    {code.withheld || code.sessions === null ? (
                      <td className="num suppressed" data-testid="withheld" data-label="Sessions">{withheldWords(code.withheld ?? "withheld")}</td>
                    ) : (
                      <td className="num" data-label="Sessions">{formatCount(code.sessions)}</td>
                    )}
                    {/* A withheld reason's share is withheld too, in words (trial20b read "—" beside "withheld"). */}
                    {code.withheld || code.sessions === null ? (
                      <td className="num suppressed" data-testid="withheld-share" data-label="Share of absence">{withheldWords(code.withheld ?? "withheld")}</td>
                    ) : (
                      <td className="num" data-label="Share of absence" title={code.share_of_absence_pct === null ? "Not an absence code: no share of absence" : undefined}>
                        {code.share_of_absence_pct === null ? "—" : formatPct(code.share_of_absence_pct)}
                      </td>
                    )}
                    {mayDrill ? (
                      <td>
                        <PupilsLink to={drillDownHref(data.filters, { by: "code", value: code.code })} aria-label={`Pupils with code ${code.code}: ${code.meaning}`}>
                          Pupils with {code.code}
                        </PupilsLink>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="hint" data-testid="codes-footnote">
            {codesFootnote(data)}
          </p>
        </>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="The codes could not be shown" />;
}
