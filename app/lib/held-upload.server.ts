/**
 * The files of an Import page preview, kept for its confirmation (fresh-clone trial 50). With
 * JavaScript the page keeps the chosen files in its inputs and sends them again with "Import
 * these files"; without it the preview is a new page whose file inputs are empty, so the
 * confirmation arrived with no file. The action keeps a copy of the previewed files under a
 * random token bound to the signed-in session, and the confirm form posts the token.
 *
 * Bounded: one preview per session (a new preview replaces the session's last), at most
 * MAX_HELD previews in all (the oldest dropped first), each for KEEP_MS, each no larger than
 * one upload (the upload limit, app/lib/upload.server.ts). Kept in this process's memory and a
 * temporary folder: a preview is for the person about to confirm it, not a record. Its files
 * (pupils' names and marks) are removed when its time is up, by a timer, whether or not anyone
 * imports again, and when its session signs out (releaseSessionUploads; review 50: they stayed
 * on disk until the next preview, however long, and after sign-out).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { HOLD_MINUTES, UPLOAD_KINDS, type UploadKind } from "./upload-kinds.ts";

const KEEP_MS = HOLD_MINUTES * 60_000;
/** Previews kept at once, across every session (each at most one upload's size). */
const MAX_HELD = 8;
/** The token the page posts back: a UUID. */
const HOLD_TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Held {
  sessionId: string;
  dir: string;
  files: Partial<Record<UploadKind, string>>;
  at: number;
  /** Removes it KEEP_MS after it was last shown (unref'd: never keeps the process alive). */
  timer: NodeJS.Timeout;
}

const held = new Map<string, Held>();

/**
 * This process's folder for kept previews, made when first needed and removed when the process
 * exits (scripts/server.js exits on SIGTERM, SIGINT and SIGHUP), so none is left in the
 * temporary folder after the server stops, whatever was still kept; or by releaseAllUploads, for
 * a process that ends without an "exit" event (a vitest worker: review 50 found a folder left in
 * /tmp by each run of a test that previews through the Import page's action).
 */
let root: string | undefined;
let removedOnExit = false;
function heldRoot(): string {
  if (root === undefined) {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "rollcall-held-"));
    if (!removedOnExit) {
      removedOnExit = true;
      process.once("exit", () => {
        if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
      });
    }
  }
  return root;
}

function drop(token: string): void {
  const entry = held.get(token);
  if (!entry) return;
  held.delete(token);
  clearTimeout(entry.timer);
  fs.rmSync(entry.dir, { recursive: true, force: true });
}

/** A timer that drops `token` once its time is up (the lazy sweep below answers a caller's own clock). */
function expiry(token: string): NodeJS.Timeout {
  return setTimeout(() => drop(token), KEEP_MS).unref();
}

function sweep(now: number): void {
  for (const [token, entry] of held) if (now - entry.at > KEEP_MS) drop(token);
}

/** Drops the oldest previews until one more can be kept (MAX_HELD). */
function makeRoom(): void {
  while (held.size >= MAX_HELD) drop(held.keys().next().value as string);
}

/** The preview kept under `token` if the token is well formed, it is `sessionId`'s and its time is not up (expired ones swept first); else undefined. */
function ownPreview(token: string, sessionId: string, now: number): Held | undefined {
  sweep(now);
  const entry = HOLD_TOKEN.test(token) ? held.get(token) : undefined;
  return entry && entry.sessionId === sessionId ? entry : undefined;
}

/**
 * Keeps a copy of `files` (by kind, paths on disk, each keeping its own name: the preview's
 * fingerprint covers the names) for the session `sessionId`, replacing that session's
 * previous preview. Returns the token the confirm form posts.
 */
export function holdUpload(sessionId: string, files: Partial<Record<UploadKind, string>>, now = Date.now()): string {
  sweep(now);
  for (const [token, entry] of held) if (entry.sessionId === sessionId) drop(token);
  makeRoom();
  const dir = fs.mkdtempSync(path.join(heldRoot(), "preview-"));
  const copies: Partial<Record<UploadKind, string>> = {};
  try {
    for (const kind of UPLOAD_KINDS) {
      const file = files[kind];
      if (!file) continue;
      // Each kind in its own folder, as the upload wrote them: two files of one name cannot collide.
      fs.mkdirSync(path.join(dir, kind));
      copies[kind] = path.join(dir, kind, path.basename(file));
      fs.copyFileSync(file, copies[kind]);
    }
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const token = crypto.randomUUID();
  held.set(token, { sessionId, dir, files: copies, at: now, timer: expiry(token) });
  return token;
}

/**
 * The files kept under `token`, by kind, if it is this session's and not yet expired (its
 * time starts again: the preview was shown again); else undefined. They stay kept: a
 * confirmation takes them instead (takeUpload).
 */
export function heldUpload(token: string, sessionId: string, now = Date.now()): Partial<Record<UploadKind, string>> | undefined {
  const entry = ownPreview(token, sessionId, now);
  if (!entry) return undefined;
  entry.at = now;
  clearTimeout(entry.timer);
  entry.timer = expiry(token);
  return { ...entry.files };
}

/** Files taken from the kept previews for one confirmation (takeUpload): the request's own until it gives them back or removes them. */
export interface TakenUpload {
  token: string;
  sessionId: string;
  dir: string;
  files: Partial<Record<UploadKind, string>>;
}

/**
 * Takes the files kept under `token` for the confirmation being made, if it is this session's
 * and not yet expired; else undefined. They are no longer kept while it runs, so a second
 * confirmation sent at once (a double click without JavaScript) finds nothing, rather than the
 * files this one imports and then removes (review 50: it was "refused" with an IO error naming
 * the server's temporary folder, and audited as a refusal, after the first had imported them).
 * The caller keeps them again (keepAgain) when it only previews them again, else drops them (dropTaken).
 */
export function takeUpload(token: string, sessionId: string, now = Date.now()): TakenUpload | undefined {
  const entry = ownPreview(token, sessionId, now);
  if (!entry) return undefined;
  held.delete(token);
  clearTimeout(entry.timer);
  return { token, sessionId, dir: entry.dir, files: { ...entry.files } };
}

/** Keeps `taken` again under its own token, for another KEEP_MS (previewed again: options changed); returns the token. */
export function keepAgain(taken: TakenUpload, now = Date.now()): string {
  makeRoom();
  held.set(taken.token, { sessionId: taken.sessionId, dir: taken.dir, files: taken.files, at: now, timer: expiry(taken.token) });
  return taken.token;
}

/** Removes the files of `taken` (imported, refused, or the request failed): nothing is left to confirm. */
export function dropTaken(taken: TakenUpload): void {
  if (!held.has(taken.token)) fs.rmSync(taken.dir, { recursive: true, force: true });
}

/** Removes the files kept under `token` if it is this session's (once imported, or refused: nothing is left to confirm). */
export function releaseUpload(token: string, sessionId: string): void {
  if (held.get(token)?.sessionId === sessionId) drop(token);
}

/** Removes every preview kept for the session `sessionId` (it signed out: app/lib/auth.server.ts endUserSession). */
export function releaseSessionUploads(sessionId: string): void {
  for (const [token, entry] of held) if (entry.sessionId === sessionId) drop(token);
}

/** Removes every kept preview and this process's folder of them (made again when next needed): for a test's afterAll. */
export function releaseAllUploads(): void {
  for (const token of [...held.keys()]) drop(token);
  if (root !== undefined) fs.rmSync(root, { recursive: true, force: true });
  root = undefined;
}
