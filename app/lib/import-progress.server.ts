/**
 * Progress of web imports (issue 10, "Progress for large files on the Import page"). The
 * page names each import with a random token in the form's address (`/import?progress=…`),
 * so the action knows it before it reads the upload; the action records each stage (the
 * upload received, each file read and checked, the commit) and the page asks
 * `/import/progress?token=…` every half second while it waits. Kept in this process's
 * memory for ten minutes: progress is for the person watching, not a record (the import
 * history and the audit trail are the record).
 */

/** A token the page made: letters, digits and dashes, 16 to 64 characters. */
export const PROGRESS_TOKEN = /^[A-Za-z0-9-]{16,64}$/;
const KEEP_MS = 10 * 60_000;

export interface ImportProgress {
  /** The stages so far, oldest first, each with when it began (ISO). */
  stages: Array<{ at: string; message: string }>;
  /** True once the import finished, imported or refused. */
  done: boolean;
}

interface Entry extends ImportProgress {
  userId: number;
  updated: number;
}

const entries = new Map<string, Entry>();

function sweep(now: number): void {
  for (const [token, entry] of entries) if (now - entry.updated > KEEP_MS) entries.delete(token);
}

/** Starts (or restarts) the progress of the import named `token`, for the signed-in user. Ignores a malformed token. */
export function startProgress(token: string | null, userId: number): void {
  if (!token || !PROGRESS_TOKEN.test(token)) return;
  const now = Date.now();
  sweep(now);
  entries.set(token, { userId, stages: [], done: false, updated: now });
}

/** Records a stage of the import named `token` (nothing when it was not started). */
export function reportProgress(token: string | null, message: string): void {
  const entry = token ? entries.get(token) : undefined;
  if (!entry) return;
  entry.updated = Date.now();
  entry.stages.push({ at: new Date(entry.updated).toISOString(), message });
}

/** Marks the import named `token` finished. */
export function finishProgress(token: string | null, message: string): void {
  reportProgress(token, message);
  const entry = token ? entries.get(token) : undefined;
  if (entry) entry.done = true;
}

/** The progress of the import named `token`, if it is this user's; else undefined. */
export function readProgress(token: string, userId: number): ImportProgress | undefined {
  const entry = entries.get(token);
  if (!entry || entry.userId !== userId) return undefined;
  return { stages: entry.stages.map((s) => ({ ...s })), done: entry.done };
}
