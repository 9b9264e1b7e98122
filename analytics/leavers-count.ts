/**
 * How a staff breakdown's counts of pupils relate to the governors' (trial leftover, session
 * 16): staff pages count every pupil in the year group and class they were in at the end of
 * the period, or on their last day if they left (period-end membership); governors' pages and
 * the FGB pack count a pupil who left before the span's last half term in a row of their own,
 * "Left before Spring 2" (half-term membership, analytics/leavers.ts). So over a term a
 * year group reads more pupils to a head than to a governor, by its leavers. This gives, per
 * group of the staff breakdown, how many of its pupils are such leavers — the difference
 * between the two counts — so the staff page can say why they differ.
 *
 * Server-only (reads the database through analytics/measures.ts).
 */
import type { Connection, Row } from "./db.ts";
import { cachedOne } from "./db.ts";
import { governorQuery, summariseBy, type GroupMeasures, type MeasureQuery, type PupilDimension } from "./measures.ts";
import { isLeaversGroup, leaversGroup, leaversLabel } from "./leavers.ts";

export interface LeaversInGroups {
  /** "Left before Spring 2": the governors' row these pupils are counted in. */
  label: string;
  /** Pupils of the staff breakdown who left before the span's last half term (the sum of `byGroup`). */
  total: number;
  /** Per group of the staff breakdown (its `group` value): its pupils who are such leavers; groups with none are absent. */
  byGroup: Map<string, number>;
}

/**
 * The leavers among each group of `staffRows` (summariseBy(connection, query, by) under the
 * period-end membership — the staff page's rows, passed in so they are read once): each
 * group's count less its count under the governors' half-term membership. Null when the
 * span is within one half term (the two memberships are then the same: no one left before
 * its last half term) or no group differs. Throws what summariseBy throws, and if a group
 * would count fewer pupils to staff than to governors (the two memberships disagreeing
 * otherwise than by leavers).
 */
export async function leaversInGroups(connection: Connection, query: MeasureQuery, by: PupilDimension, staffRows: readonly GroupMeasures[]): Promise<LeaversInGroups | null> {
  if (query.membership === "half-term") throw new Error("leaversInGroups compares a staff (period-end) breakdown with the governors'");
  const governorRows = await summariseBy(connection, governorQuery(query), by);
  const governorPupils = new Map(governorRows.filter((row) => !isLeaversGroup(row.group)).map((row) => [row.group, row.pupils]));
  const byGroup = new Map<string, number>();
  for (const row of staffRows) {
    const difference = row.pupils - (governorPupils.get(row.group) ?? 0);
    if (difference < 0) throw new Error(`${by} ${row.group}: ${row.pupils} pupils to staff, ${governorPupils.get(row.group)} to governors`);
    if (difference > 0) byGroup.set(row.group, difference);
  }
  if (byGroup.size === 0) return null;
  const total = [...byGroup.values()].reduce((a, b) => a + b, 0);
  const leaversRow = governorRows.find((row) => isLeaversGroup(row.group));
  // With a pupil filter the governors' leavers' row is not chosen (leavers.ts): name the span's last half term.
  const last = await cachedOne<Row & { half_term: string }>(
    connection,
    "SELECT half_term FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE ORDER BY date DESC LIMIT 1",
    { from: query.from, to: query.to },
  );
  const label = leaversLabel(leaversRow?.group ?? leaversGroup(String(last?.half_term ?? "")));
  return { label, total, byGroup };
}

/**
 * Whether a governor's figures for the pupils `query.filter` chooses count its leavers apart:
 * under half-term membership (analytics/leavers.ts), over a span with school days in more than
 * one half term, a pupil with no marks in its last half term is counted — pupils, persistently
 * and severely absent — in the school's leavers' row, not in their year group, class or
 * characteristic's group, while their sessions stay in it. The whole school (no filter) counts
 * them. Returns the leavers' row's words ("Left before Summer 2") when the filter's counts of
 * pupils leave them out, so that a page says whom its "N of M pupils" counts (trial19: a
 * governor's girls read "13 of the 117 pupils … (leavers included)" beside sessions that
 * included the 2 who left, where staff read 14 of 119); null otherwise. Throws what the
 * database throws.
 */
export async function leaversCountedApart(connection: Connection, query: MeasureQuery): Promise<string | null> {
  if (!Object.values(query.filter ?? {}).some(Boolean)) return null;
  const row = await cachedOne<Row & { halves: number; last: string | null }>(
    connection,
    "SELECT count(DISTINCT half_term)::INTEGER AS halves, arg_max(half_term, date) AS last FROM school_days WHERE date BETWEEN $from::DATE AND $to::DATE",
    { from: query.from, to: query.to },
  );
  return Number(row?.halves ?? 0) > 1 && row?.last ? leaversLabel(leaversGroup(String(row.last))) : null;
}
