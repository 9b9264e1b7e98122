/**
 * Times as a school reads them: in Europe/London, with the zone shown (GMT in winter, BST in
 * summer), never UTC. Stored timestamps (imports, amendments, interventions, settings changes,
 * audit rows, commentary saves, pack generation) are UTC; this is the one place that turns
 * them into wall-clock time, for every page, CSV, workbook and pack. Client-safe (no Node
 * APIs), so pages use it too.
 */

/** A stored UTC timestamp ("2026-11-23 14:05:00", "2026-11-23T14:05", or with Z) as a Date. */
export function parseUtc(timestamp: string): Date {
  const text = timestamp.trim().replace(" ", "T");
  return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
}

const LONDON = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
});

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * The London wall-clock parts of an instant: year, month, day, hour, minute, second (two
 * digits, month and day too) and zone, "GMT" or "BST" (some ICU builds say "GMT+1" for BST).
 */
export function londonParts(at: Date): { year: string; month: string; day: string; hour: string; minute: string; second: string; zone: "GMT" | "BST" } {
  const p: Record<string, string> = {};
  for (const part of LONDON.formatToParts(at)) p[part.type] = part.value;
  const zone = p.timeZoneName === "BST" || p.timeZoneName === "GMT+1" ? "BST" : "GMT";
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second, zone };
}

const asDate = (at: Date | string): Date => (typeof at === "string" ? parseUtc(at) : at);

/**
 * "23 November 2026, 14:05 GMT" (or "1 July 2026, 15:05 BST") for a stored UTC timestamp or
 * an instant: what pages and packs print. The input unchanged if it is not a time.
 */
export function londonDateTime(timestamp: Date | string): string {
  const date = asDate(timestamp);
  if (Number.isNaN(date.getTime())) return String(timestamp);
  const p = londonParts(date);
  return `${Number(p.day)} ${MONTHS[Number(p.month) - 1]} ${p.year}, ${p.hour}:${p.minute} ${p.zone}`;
}

/** The London calendar day (ISO, YYYY-MM-DD) of a stored UTC timestamp or an instant: the school's day it happened on. */
export function londonIsoDate(timestamp: Date | string): string {
  const p = londonParts(asDate(timestamp));
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * "2026-07-01 15:04:05 BST": the same London time for CSV files and workbooks, where a
 * sortable form reads better. The input unchanged if it is not a time.
 */
export function londonStamp(timestamp: Date | string): string {
  const date = asDate(timestamp);
  if (Number.isNaN(date.getTime())) return String(timestamp);
  const p = londonParts(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second} ${p.zone}`;
}
