/**
 * Early warning: who is heading for persistent absence before they cross the 10 % line —
 * the year-end forecast (with its method in words), the 5 % absence bands, pupils trending
 * down and spells of absence. As of today (or an earlier day the address asks for, `asOf`), over
 * the academic year to that day. Staff only.
 */
import { pupilListName } from "../../analytics/pupil-name.ts";
import { plural } from "../../analytics/plural.ts";
import { auditListView } from "~/lib/audit.server";
import { requireRole } from "~/lib/auth.server";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { RouteError } from "~/components/RouteError";
import {
  BAND_MIN_POSSIBLE_SESSIONS,
  FORECAST_METHOD,
  absenceBands,
  bandPopulationWords,
  forecastPopulationWords,
  absenceSpells,
  forecastYearEnd,
  trendingDown,
  TRENDING_CHANGE_WORDS,
  registerStarts,
} from "~/lib/analytics.server";
import { withDb } from "~/lib/db.server";
import { formatCount, formatDate, formatPct, formatPctBesideLines, formatPoints } from "~/lib/format";
import { resolveView } from "~/lib/view.server";
import { asOfNotUsedWords, notUsedWords, readAsOf, repeatedWords, unreadWords } from "~/lib/filters";
import { TargetMet } from "~/components/PointsGap";
import { DAY_SPELLS_LABEL } from "../../analytics/absence-run-words.ts";

export const meta: MetaFunction = () => [{ title: "Early warning — Rollcall" }];

/** Rows shown per list; the SLT pack's workbook carries them all. */
const LIST_ROWS = 40;

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireRole(request, "view_pupils", { context });
  return withDb(async (connection) => {
    const view = await resolveView(connection, request);
    const search = new URL(request.url).searchParams;
    // As of today unless the address asks for an earlier day, read as Casework reads it: a date
    // after today, or one that is no date, is said (it had been ignored without a word: trial 26).
    // A date before the register's first marks is said too, and the page is as of today (it
    // gave a verdict with no figure: trial 26).
    const read = readAsOf(search, view.today, await registerStarts(connection));
    const { asOf, unread } = read;
    const forecast = await forecastYearEnd(connection, asOf);
    const bands = await absenceBands(connection, asOf);
    const trending = await trendingDown(connection, asOf);
    const spells = await absenceSpells(connection, asOf);
    await auditListView(request, context, `Early warning as of ${asOf}`);
    const newlyProjected = forecast.pupils.filter((p) => p.projected_pa && !p.pa_now).sort((a, b) => a.projected_pct - b.projected_pct);
    return {
      asOf,
      // The page reads no period or filter: one typed into the address is said to be unused.
      notice:
        [
          asOfNotUsedWords(read, "the page"),
          unread ? `Not understood in the address: ${unreadWords([unread])}. Showing the page as of today, ${formatDate(asOf)}.` : null,
          repeatedWords(search, ["asOf"]),
          notUsedWords(search, "the whole school's academic year as of a day (today unless asOf is given), with no period or pupil filter"),
        ]
          .filter(Boolean)
          .join(" ") || null,
      target: view.settings.target_attendance_pct,
      // The school's attendance lines: a pupil's rate under one never printed as on it (formatPctBesideLines).
      lines: view.settings.attendance_thresholds,
      method: FORECAST_METHOD,
      forecast: {
        projected_pct: forecast.projected_pct,
        ytd_pct: forecast.ytd_pct,
        projected_pa_pupils: forecast.projected_pa_pupils,
        pa_pupils_now: forecast.pa_pupils_now,
        paNowNotGiven: forecast.pa_now_not_given,
        pupils: forecast.pupils.length,
        // Who the forecast counts (on roll today) and who it leaves out (leavers), in words.
        population: forecastPopulationWords(forecast),
        left_pa_pupils: forecast.left_pa_pupils,
        remaining_school_days: forecast.remaining_school_days,
        year_end: forecast.year_end,
        newly: newlyProjected.slice(0, LIST_ROWS).map((p) => ({ upn: p.upn, name: pupilListName(p), reg_group: p.reg_group, ytd_pct: p.ytd_pct, recent_pct: p.recent_pct, projected_pct: p.projected_pct })),
        newlyCount: newlyProjected.length,
        // Persistently absent now but projected below 10 % absence by the year's end: with
        // the newly projected, they reconcile the two counts on the page.
        recoveringCount: forecast.pupils.filter((p) => p.pa_now && !p.projected_pa).length,
      },
      bands: bands.bands,
      bandedPupils: bands.pupils.length,
      bandPopulation: bandPopulationWords(bands.pupils.length),
      // Sent with the data: the constant lives in server-only code, undefined in the browser.
      bandMinPossibleSessions: BAND_MIN_POSSIBLE_SESSIONS,
      trending: trending.slice(0, LIST_ROWS).map((t) => ({ ...t, name: pupilListName(t) })),
      trendingCount: trending.length,
      trendingChangeWords: TRENDING_CHANGE_WORDS,
      spells: spells.slice(0, LIST_ROWS).map((s) => ({ ...s, name: pupilListName(s) })),
      spellsCount: spells.length,
    };
  });
}

function PupilLink({ upn, name }: { upn: string; name: string }) {
  return <Link to={`/pupils/${encodeURIComponent(upn)}`}>{name}</Link>;
}

export default function EarlyWarningPage() {
  const data = useLoaderData<typeof loader>();
  const f = data.forecast;
  const maxBand = Math.max(1, ...data.bands.map((b) => b.pupils));
  return (
    <>
      <h1>Early warning</h1>
      <p className="lede">Who is heading for persistent absence, before they cross the 10% line. Academic year to {formatDate(data.asOf)}.</p>
      {data.notice ? (
        <p className="notice notice--warning" role="status" data-testid="address-notice">
          {data.notice}
        </p>
      ) : null}

      <h2>Year-end forecast</h2>
      <div className="tiles" data-testid="forecast">
        <section className="tile">
          <p className="tile__label">Projected year-end attendance</p>
          <p className="tile__value">{formatPct(f.projected_pct)}</p>
          <p className="tile__detail">
            <TargetMet value={f.projected_pct} target={data.target} />
          </p>
          <p className="tile__detail">So far this year {formatPct(f.ytd_pct)}; {formatCount(f.remaining_school_days)} school days to {formatDate(f.year_end)}.</p>
        </section>
        <section className="tile">
          <p className="tile__label">Projected persistently absent at year end</p>
          <p className="tile__value">{formatCount(f.projected_pa_pupils)}</p>
          <p className="tile__detail">
            of the <span data-testid="forecast-population">{f.population}</span>
            {f.paNowNotGiven ? (
              // Persistent absence so far over fewer than 20 school days: not given (analytics/pa-span.ts).
              <span data-testid="forecast-pa-not-given">. {f.paNowNotGiven}</span>
            ) : (
              <>
                ; {formatCount(f.pa_pupils_now)} of them are persistently absent so far; {formatCount(f.newlyCount)} more are projected to be, and{" "}
                {formatCount(f.recoveringCount)} of those absent so far are projected to recover.
              </>
            )}
            {f.left_pa_pupils > 0 ? ` Of those who have left, ${formatCount(f.left_pa_pupils)} were persistently absent this year: the Overview's count includes them.` : ""}
          </p>
        </section>
      </div>
      <p className="hint" data-testid="forecast-method">
        <strong>How the forecast works.</strong> {data.method} How well this method did on the demo school's earlier years, half term by half term, is in Rollcall's documentation (the forecast's back-test).
      </p>
      {f.newly.length > 0 ? (
        <table className="data" data-testid="forecast-newly">
          <caption>Not persistently absent yet, but projected to be by the end of the year</caption>
          <thead>
            <tr>
              <th scope="col">Pupil</th>
              <th scope="col">Class</th>
              <th scope="col" className="num">So far</th>
              <th scope="col" className="num">Latest 6 school weeks</th>
              <th scope="col" className="num">Projected</th>
            </tr>
          </thead>
          <tbody>
            {f.newly.map((p) => (
              <tr key={p.upn}>
                <td><PupilLink upn={p.upn} name={p.name} /></td>
                <td>{p.reg_group}</td>
                <td className="num">{formatPctBesideLines(p.ytd_pct, data.lines)}</td>
                <td className="num">{formatPctBesideLines(p.recent_pct, data.lines)}</td>
                <td className="num">{formatPctBesideLines(p.projected_pct, data.lines)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>Absence bands</h2>
      <table className="data" data-testid="absence-bands">
        <caption className="visually-hidden">Pupils in each 5% band of absence this year</caption>
        <thead>
          <tr>
            <th scope="col">Absence</th>
            <th scope="col" className="num">Pupils</th>
            <th scope="col">
              <span className="visually-hidden">Bar</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {data.bands.map((band) => (
            <tr key={band.label}>
              <th scope="row">{band.label}</th>
              <td className="num">{formatCount(band.pupils)}</td>
              <td style={{ width: "50%" }}>
                <span className="band-bar" style={{ display: "inline-block", height: 12, background: band.from_pct >= 10 ? "#d4351c" : band.from_pct >= 5 ? "#f47738" : "#00703c", width: `${(100 * band.pupils) / maxBand}%` }} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Bands of absence this academic year, as the DfE publishes them, over the <span data-testid="band-population">{data.bandPopulation}</span>{" "}
        (the forecast above counts pupils on roll today only). A band holds pupils at or above its lower edge and below its upper edge: a pupil at
        exactly 10% is in 10–15%. The 5–10% band is the early warning: one bad week from persistent absence.
      </p>

      <h2>Below their year to date ({formatCount(data.trendingCount)})</h2>
      {data.trending.length === 0 ? (
        <p>No pupil's latest 4 school weeks are 5 points or more below their year to date.</p>
      ) : (
        <table className="data" data-testid="trending-down">
          <caption className="visually-hidden">Pupils whose latest 4 school weeks are at least 5 points below their year to date</caption>
          <thead>
            <tr>
              <th scope="col">Pupil</th>
              <th scope="col">Class</th>
              <th scope="col" className="num">Year to date</th>
              <th scope="col" className="num">Latest 4 school weeks</th>
              <th scope="col" className="num">Change</th>
            </tr>
          </thead>
          <tbody>
            {data.trending.map((t) => (
              <tr key={t.upn}>
                <td><PupilLink upn={t.upn} name={t.name} /></td>
                <td>{t.reg_group}</td>
                <td className="num">{formatPctBesideLines(t.ytd_pct, data.lines)}</td>
                <td className="num">{formatPctBesideLines(t.recent_pct, data.lines)}</td>
                <td className="num">{formatPoints(t.change_points)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.trending.length > 0 ? (
        <p className="hint" data-testid="trending-change-words">
          {data.trendingChangeWords}
        </p>
      ) : null}

      <h2>{DAY_SPELLS_LABEL}: whole school days ({formatCount(data.spellsCount)} {plural(data.spellsCount, "pupil")} with at least one)</h2>
      <p className="hint">
        A spell is a run of consecutive days absent (both sessions), consecutive by the school calendar: a weekend, holiday or closure does
        not end it; a half day absent is no spell. (The Pupils list counts something else, runs of absent sessions, so its figure can be higher.) Many separate spells are a strong predictor of persistent absence. Most spells first.
      </p>
      {data.spells.length === 0 ? (
        <p>No pupil has missed a whole day this year.</p>
      ) : (
        <table className="data" data-testid="absence-spells">
          <thead>
            <tr>
              <th scope="col">Pupil</th>
              <th scope="col">Class</th>
              <th scope="col" className="num">Spells</th>
              <th scope="col" className="num">Days absent</th>
              <th scope="col" className="num">Longest spell (days)</th>
            </tr>
          </thead>
          <tbody>
            {data.spells.map((s) => (
              <tr key={s.upn}>
                <td><PupilLink upn={s.upn} name={s.name} /></td>
                <td>{s.reg_group}</td>
                <td className="num">{formatCount(s.spells)}</td>
                <td className="num">{formatCount(s.days_absent)}</td>
                <td className="num">{formatCount(s.longest_spell_days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Early warning could not be shown" />;
}
