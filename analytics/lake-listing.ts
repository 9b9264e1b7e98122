/**
 * One look at a trust lake's folders per request (issue 11: the Trust page after a school's
 * export). The page's version (app/lib/page-version.server.ts: the state of each school's
 * files), the years it offers and the roll-up's own states and views (analytics/lake.ts,
 * analytics/trust.ts) all read the same folders; each had listed and statted the lake's ≈ 400
 * files of the roll-up's tables itself, three times a request at 40 schools (≈ 10 ms of CPU
 * each, a quarter of the page's CPU after an export). Inside `withLakeListings` (the page
 * cache runs each request for the Trust page, and each made ahead, in one:
 * app/lib/page-version.server.ts pageScope) every look at a lake is the first one's: each folder read and each file
 * statted once. Outside one, every `lakeListing` call looks afresh, as before. Across
 * requests, a folder's entries are kept while its modification time stays (keptFolders): a
 * school's export makes its folders anew, and every file is statted afresh each request.
 *
 * A listing is what the folders held when it was made: files written later are not in it. So
 * it lives only while the request that made it runs (a timer or count begun in a request and
 * outliving it looks afresh), and what is counted from it is kept per the state it gives
 * (analytics/trust.ts), never a newer one: a file changed meanwhile is seen by the next request.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";

/** A Parquet file's size (bytes) and modification time (ns since the epoch), as fs.statSync gives them. */
export interface LakeFileStat {
  size: bigint;
  mtimeNs: bigint;
}

/**
 * A lake's folders as read once: `root` absolute; every answer is read from the file system on
 * its first asking and the same thereafter.
 */
export interface LakeListing {
  root: string;
  /** The names in the folder `relative` to the root (e.g. "pupils"), sorted; [] when it does not exist. */
  names(relative: string): string[];
  /**
   * The `.parquet` files under `table`'s folder by the folder directly under it they lie in
   * ("school=100001" → paths relative to that folder, "academic_year=2025-26/data_0.parquet",
   * sorted): each folder of the table looked into once (keptFolders). Files lying directly in
   * the table's folder are in no school's and not given. Empty for a missing folder.
   */
  tableFiles(table: string): ReadonlyMap<string, readonly string[]>;
  /** The absolute path of a file tableFiles gave: `table`, the folder under it, the path relative to that. */
  pathOf(table: string, folder: string, file: string): string;
  /**
   * The size and modification time of a file (absolute path) tableFiles gave; size and time -1
   * for one removed since it was listed (its read fails: analytics/trust.ts reads the lake again).
   */
  stat(file: string): LakeFileStat;
}

/** A file's stat once it is gone (LakeListing.stat). */
const GONE: LakeFileStat = { size: -1n, mtimeNs: -1n };

/** An entry of a folder: its name and whether it is a folder or a file (neither: a link, a device). */
interface FolderEntry {
  name: string;
  folder: boolean;
  file: boolean;
}

/**
 * Folders' entries as last read, by absolute path, with the folder's modification time then:
 * a folder's entries change only with its time (an entry made, removed or renamed in it), so
 * while the time stays they are taken from here, for one stat of the folder rather than a read
 * of it (a request at 40 schools looks into ≈ 490 folders: reading them had cost ≈ 9 ms of its
 * CPU, statting them ≈ 3). Only folders whose time is KEPT_SETTLED_NS behind the clock are
 * kept: the file system's clock ticks coarsely, so an entry made within the tick of the
 * folder's last change could leave its time as it was. Past KEPT_FOLDERS_LIMIT, all are forgotten.
 */
const keptFolders = new Map<string, { mtimeNs: bigint; entries: readonly FolderEntry[] }>();
const KEPT_FOLDERS_LIMIT = 20_000;
const KEPT_SETTLED_NS = 2_000_000_000n;

/** Whether `error` is the file system's "no such file or folder". */
const missing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === "ENOENT";

/**
 * The entries of `folder` (absolute), as kept (keptFolders) while its time stays; none for a
 * folder that does not exist, or no longer does (an export removing a year it no longer has,
 * between the look at its parent and this one: analytics/lake.ts putInPlace).
 */
function folderEntries(folder: string): readonly FolderEntry[] {
  let mtimeNs: bigint;
  let entries: FolderEntry[];
  try {
    mtimeNs = fs.statSync(folder, { bigint: true }).mtimeNs;
    const kept = keptFolders.get(folder);
    if (kept && kept.mtimeNs === mtimeNs) return kept.entries;
    entries = fs.readdirSync(folder, { withFileTypes: true }).map((e) => ({ name: e.name, folder: e.isDirectory(), file: e.isFile() }));
  } catch (error) {
    if (!missing(error)) throw error;
    keptFolders.delete(folder);
    return [];
  }
  if (BigInt(Date.now()) * 1_000_000n - mtimeNs > KEPT_SETTLED_NS) {
    if (keptFolders.size >= KEPT_FOLDERS_LIMIT) keptFolders.clear();
    keptFolders.set(folder, { mtimeNs, entries });
  } else {
    keptFolders.delete(folder);
  }
  return entries;
}

/**
 * The `.parquet` files at any depth under `folder`, relative to it (`prefix` before each), as
 * fs.readdirSync's recursive walk finds them: paths made by joining names (path.join and
 * path.relative over ≈ 400 files had cost ≈ 8 ms of a request's CPU at 40 schools).
 */
function parquetFilesIn(entriesOf: (folder: string) => readonly FolderEntry[], folder: string, prefix: string, into: string[]): string[] {
  for (const entry of entriesOf(folder)) {
    if (entry.folder) parquetFilesIn(entriesOf, folder + path.sep + entry.name, prefix + entry.name + path.sep, into);
    else if (entry.file && entry.name.endsWith(".parquet")) into.push(prefix + entry.name);
  }
  return into;
}

function readListing(root: string): LakeListing {
  const names = new Map<string, string[]>();
  // Each folder looked into once a listing (a table's `pupils` folder is the schools' list too).
  const looked = new Map<string, readonly FolderEntry[]>();
  const entriesOf = (folder: string) => {
    let entries = looked.get(folder);
    if (!entries) {
      entries = folderEntries(folder);
      looked.set(folder, entries);
    }
    return entries;
  };
  const tables = new Map<string, Map<string, string[]>>();
  const stats = new Map<string, LakeFileStat>();
  // The root with one separator after it (path.resolve leaves one only on "/").
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  return {
    root,
    names(relative) {
      let found = names.get(relative);
      if (!found) {
        const folder = path.join(root, relative);
        found = fs.existsSync(folder) ? entriesOf(folder).map((e) => e.name).sort() : [];
        names.set(relative, found);
      }
      return found;
    },
    tableFiles(table) {
      let found = tables.get(table);
      if (!found) {
        found = new Map();
        const folder = base + table;
        if (fs.existsSync(folder)) {
          for (const entry of entriesOf(folder)) {
            if (!entry.folder) continue;
            const files = parquetFilesIn(entriesOf, folder + path.sep + entry.name, "", []);
            if (files.length > 0) found.set(entry.name, files.sort());
          }
        }
        tables.set(table, found);
      }
      return found;
    },
    pathOf(table, folder, file) {
      return base + table + path.sep + folder + path.sep + file;
    },
    stat(file) {
      let found = stats.get(file);
      if (!found) {
        try {
          const stat = fs.statSync(file, { bigint: true });
          found = { size: stat.size, mtimeNs: stat.mtimeNs };
        } catch (error) {
          if (!missing(error)) throw error;
          found = GONE;
        }
        stats.set(file, found);
      }
      return found;
    },
  };
}

/** A request's listings, by lake root, while it runs (`open`). */
interface Scope {
  listings: Map<string, LakeListing>;
  open: boolean;
}

const scopes = new AsyncLocalStorage<Scope>();

/**
 * The lake at `dir` as listed once for the request running (withLakeListings), or, outside
 * one, a listing of its own (each call looks afresh). Never throws: the folders are read when asked.
 */
export function lakeListing(dir: string): LakeListing {
  const root = path.resolve(dir);
  const scope = scopes.getStore();
  if (!scope?.open) return readListing(root);
  let listing = scope.listings.get(root);
  if (!listing) {
    listing = readListing(root);
    scope.listings.set(root, listing);
  }
  return listing;
}

/** The lake at `dir` listed afresh, whatever request runs (its listing untouched). Never throws. */
export function freshLakeListing(dir: string): LakeListing {
  return readListing(path.resolve(dir));
}

/**
 * The lake at `dir` listed afresh: within a request's listings (withLakeListings) the new one
 * takes the old one's place, so that what the request reads after it (a read tried again once
 * the files changed under it: analytics/trust.ts) sees the files as they are now. Never throws.
 */
export function relistLake(dir: string): LakeListing {
  const root = path.resolve(dir);
  const listing = freshLakeListing(root);
  const scope = scopes.getStore();
  if (scope?.open) scope.listings.set(root, listing);
  return listing;
}

/**
 * `work` in one listing of the lake (withLakeListings) when this process reads a trust's lake
 * (ROLLCALL_TRUST_LAKE); else as it is, since nothing is listed without one: the Trust page of
 * a school's own server had opened the scope all the same, and once its AsyncLocalStorage has
 * run, every promise of the process pays its hooks (≈ 75 ns an await, Node 20: 56 of 513 ms
 * the server's one thread was sampled busy under the load bench's 50 readers, who open the
 * Trust page with the rest). Returns (or rejects with) what `work` does.
 */
export function lakeScoped<T>(work: () => Promise<T>): Promise<T> {
  return process.env.ROLLCALL_TRUST_LAKE ? withLakeListings(work) : work();
}

/**
 * Runs `work` (one request, or one page made) with every lakeListing of a lake within it, and
 * within what it awaits, the same; inside another such run, `work` shares that run's listings.
 * The listings are let go when `work` settles: anything still running from it looks afresh.
 * Returns (or rejects with) what `work` does.
 */
export async function withLakeListings<T>(work: () => Promise<T>): Promise<T> {
  if (scopes.getStore()?.open) return work();
  const scope: Scope = { listings: new Map(), open: true };
  try {
    return await scopes.run(scope, work);
  } finally {
    scope.open = false;
    scope.listings.clear();
  }
}
