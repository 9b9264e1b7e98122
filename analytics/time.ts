/**
 * Times as a school reads them: in Europe/London (GMT or BST), never UTC. Stored timestamps
 * (imports, amendments, commentary saves, pack generation) are UTC; this is the one place
 * that turns them into wall-clock time. Client-safe (no Node APIs), so pages use it too.
 */

/** A stored UTC timestamp ("2026-11-23 14:05:00", "2026-11-23T14:05", or with Z) as a Date. */
export function parseUtc(timestamp: string): Date {
  const text = timestamp.trim().replace(" ", "T");
  return new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
}

/** "23 November 2026, 14:05" in Europe/London; the input unchanged if it is not a time. */
export function londonDateTime(timestamp: string): string {
  const date = parseUtc(timestamp);
  if (Number.isNaN(date.getTime())) return timestamp;
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/London",
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(date);
}
