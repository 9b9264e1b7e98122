/**
 * protect's last runs (issue 11) on tables as the governors' are planned: a run on the same
 * table with other figures known to every reader is given the last run's figures or taken up
 * from one of its rounds (analytics/suppression.ts lastRuns, resumeAt), and one with other rows
 * forced is planned on the rules compiled for the last. Every plan must be the plan made with
 * nothing kept: random schools of pupils (years, classes, a characteristic and the rest of the
 * school), planned with planSuppression as analytics/governor-lattice.ts plans (focused,
 * secondaryWidth, stuck figures, each group's sessions bounding its PA and SA counts, so the
 * figures derived from others and the rules apart are planned too, which the hand-built tables
 * of suppression-last-runs have not), again and again with forced rows and known figures
 * changed, each plan compared with one made afresh (forgetProtectRuns). Fails when a run is
 * taken up one round too late.
 */
import { describe, expect, it } from "vitest";
import { forgetProtectRuns, planSuppression, SUPPRESSED_FIGURES, type AbsenceBounds, type GroupCounts, type GroupSum } from "../analytics/suppression.ts";

const MIN = 5;
const SESSIONS = 40;

// A small generator of its own (mulberry32), so that every run of the test plans the same schools.
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

interface Pupil {
  year: number;
  klass: string;
  focus: boolean;
  missed: number;
}

/** A group's counts from its pupils, with what its absent sessions say of its PA and SA counts (AbsenceBounds). */
function counts(key: string, pupils: Pupil[]): GroupCounts {
  const pa = pupils.filter((p) => p.missed * 10 >= SESSIONS);
  const sa = pupils.filter((p) => p.missed * 2 >= SESSIONS);
  const most = (list: Pupil[]) => list.reduce((m, p) => Math.max(m, p.missed), 0);
  const least = (list: Pupil[]) => list.reduce((m, p) => Math.min(m, p.missed), Number.POSITIVE_INFINITY);
  const absence: AbsenceBounds = {
    pa_least: least(pa),
    pa_most: most(pa),
    pa_other_most: most(pupils.filter((p) => !pa.includes(p))),
    sa_least: least(sa),
    sa_most: most(sa),
    sa_other_most: most(pupils.filter((p) => !sa.includes(p))),
    uncounted_absent: 0,
  };
  const missed = pupils.reduce((s, p) => s + p.missed, 0);
  return { key, pupils: pupils.length, possible_sessions: SESSIONS * pupils.length, attended_sessions: SESSIONS * pupils.length - missed, pa_pupils: pa.length, sa_pupils: sa.length, absence };
}

/** How many sessions a pupil missed: most a little, some enough to be persistently or severely absent. */
function missedSessions(next: () => number): number {
  const r = next();
  return r < 0.6 ? Math.floor(next() * 4) : r < 0.9 ? 4 + Math.floor(next() * 16) : 20 + Math.floor(next() * 21);
}

function school(next: () => number): { groups: GroupCounts[]; sums: GroupSum[]; pupils: Pupil[] } {
  const pupils: Pupil[] = [];
  const years = 2 + Math.floor(next() * 3);
  for (let y = 0; y < years; y++) {
    const classes = 1 + Math.floor(next() * 3);
    for (let c = 0; c < classes; c++) {
      const size = 2 + Math.floor(next() * 14);
      for (let i = 0; i < size; i++) {
        pupils.push({ year: y, klass: `${y}${String.fromCharCode(65 + c)}`, focus: next() < 0.15, missed: missedSessions(next) });
      }
    }
  }
  return { ...tables(pupils), pupils };
}

/** The school's groups and sums: the same keys in the same order for the same pupils, whatever sessions they missed. */
function tables(pupils: Pupil[]): { groups: GroupCounts[]; sums: GroupSum[] } {
  const years = Math.max(...pupils.map((p) => p.year)) + 1;
  const groups: GroupCounts[] = [counts("school", pupils)];
  const sums: GroupSum[] = [];
  const yearKeys: string[] = [];
  for (let y = 0; y < years; y++) {
    const inYear = pupils.filter((p) => p.year === y);
    const classKeys = [...new Set(inYear.map((p) => p.klass))].map((k) => `class:${k}`);
    for (const key of classKeys) groups.push(counts(key, inYear.filter((p) => `class:${p.klass}` === key)));
    groups.push(counts(`year:${y}`, inYear));
    sums.push({ total: `year:${y}`, parts: classKeys });
    yearKeys.push(`year:${y}`);
  }
  sums.push({ total: "school", parts: yearKeys });
  groups.push(counts("focus", pupils.filter((p) => p.focus)), counts("rest:focus", pupils.filter((p) => !p.focus)));
  sums.push({ total: "school", parts: ["focus", "rest:focus"] });
  return { groups, sums };
}

const cost = (key: string) => (key === "school" ? 1_000_000 : key.startsWith("year:") ? 1_000 : key === "focus" || key === "rest:focus" ? 100 : 1);

/** The plan's every decision, with the figures no withholding protected. */
function plan(groups: GroupCounts[], sums: GroupSum[], forced: Set<string>, known: Set<string>) {
  const stuck = new Set<string>();
  const p = planSuppression(groups, sums, MIN, {
    focused: true,
    secondaryWidth: MIN - 1,
    stuck,
    costOf: cost,
    forced: (key) => forced.has(key),
    isPublic: (key, figure) => known.has(`${key}|${figure}`),
  });
  return { reasons: groups.map((g) => SUPPRESSED_FIGURES.map((f) => `${g.key}|${f}=${p.reason?.(g.key, f) ?? "-"}`).join(" ")), stuck: [...stuck] };
}

describe("governors' tables planned again", () => {
  it("are planned as afresh, with rows forced and figures known changed from run to run", () => {
    const next = random(41);
    let compared = 0;
    for (let trial = 0; trial < 60; trial++) {
      const { groups, sums } = school(next);
      forgetProtectRuns();
      const forced = new Set<string>();
      const known = new Set<string>();
      for (let again = 0; again < 6; again++) {
        // The next run on the same cells and rules: a row forced or no longer, a figure known to
        // every reader or no longer (never the whole school's row: forcedRows forces no such row).
        for (const g of groups) if (g.key !== "school" && next() < 0.12) (forced.has(g.key) ? forced.delete(g.key) : forced.add(g.key));
        for (const g of groups) for (const f of ["pupils", "pa_pupils"]) if (next() < 0.05) (known.has(`${g.key}|${f}`) ? known.delete(`${g.key}|${f}`) : known.add(`${g.key}|${f}`));
        const kept = plan(groups, sums, forced, known);
        forgetProtectRuns();
        const afresh = plan(groups, sums, forced, known);
        expect(kept).toEqual(afresh);
        compared++;
        // The next run is planned after a run made with nothing kept: make one on these inputs first.
        plan(groups, sums, forced, known);
      }
    }
    expect(compared).toBe(360);
  });

  it("are planned as afresh where the half terms' tables share their cells and sums but not their sessions", () => {
    // A governor's half terms: the same pupils and groups (so the same cells, sums and at-most
    // rules, whose compiled part one half term's run shares with the next: SharedBase), other
    // sessions missed (other figures, and other linear rules: absenceRules), planned in turn
    // round after round as forcedRows does, with rows forced.
    const next = random(42);
    let compared = 0;
    for (let trial = 0; trial < 30; trial++) {
      const { pupils } = school(next);
      const halves = [0, 1, 2].map(() => tables(pupils.map((p) => ({ ...p, missed: missedSessions(next) }))));
      forgetProtectRuns();
      const forced = halves.map(() => new Set<string>());
      for (let round = 0; round < 3; round++) {
        halves.forEach(({ groups, sums }, h) => {
          for (const g of groups) if (g.key !== "school" && next() < 0.1) forced[h].add(g.key);
          const kept = plan(groups, sums, forced[h], new Set());
          forgetProtectRuns();
          const afresh = plan(groups, sums, forced[h], new Set());
          expect(kept).toEqual(afresh);
          compared++;
        });
        // The kept runs are those of the half terms before: plan them again on nothing kept but
        // each other's (as a first build plans them one after another).
        forgetProtectRuns();
        for (const [h, { groups, sums }] of halves.entries()) plan(groups, sums, forced[h], new Set());
      }
    }
    expect(compared).toBe(270);
  });
});
