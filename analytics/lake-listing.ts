/**
 * One look at a trust lake's folders per request (issue 11: the Trust page after a school's
 * export). The page's version (app/lib/page-version.server.ts: the state of each school's
 * files), the years it offers and the roll-up's own states and views (analytics/lake.ts,
 * analytics/trust.ts) all read the same folders; each had listed and statted the lake's ≈ 400
 * files of the roll-up's tables itself, three times a request at 40 schools (≈ 10 ms of CPU
 * each, a quarter of the page's CPU after an export). Inside `withLakeListings` (the page
 * cache runs each request and each page it makes ahead in one: scripts/page-cache.js
 * `requestScope`) every look at a lake is the first one's: each folder read and each file
 * statted once. Outside one, every `lakeListing` call looks afresh, as before.
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
   * ("school=100001" → absolute paths, sorted): one recursive read of the table's folder.
   * Files lying directly in the table's folder are in no school's and not given. Empty for a
   * missing folder.
   */
  tableFiles(table: string): ReadonlyMap<string, readonly string[]>;
  /** The size and modification time of a file listed (tableFiles). */
  stat(file: string): LakeFileStat;
}

function readListing(root: string): LakeListing {
  const names = new Map<string, string[]>();
  const tables = new Map<string, Map<string, string[]>>();
  const stats = new Map<string, LakeFileStat>();
  return {
    root,
    names(relative) {
      let found = names.get(relative);
      if (!found) {
        const folder = path.join(root, relative);
        found = fs.existsSync(folder) ? fs.readdirSync(folder).sort() : [];
        names.set(relative, found);
      }
      return found;
    },
    tableFiles(table) {
      let found = tables.get(table);
      if (!found) {
        found = new Map();
        const folder = path.join(root, table);
        const files = fs.existsSync(folder) ? fs.readdirSync(folder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith(".parquet")) : [];
        for (const entry of files) {
          const file = path.join(entry.parentPath, entry.name);
          const [under, ...rest] = path.relative(folder, file).split(path.sep);
          if (rest.length === 0) continue;
          const own = found.get(under);
          if (own) own.push(file);
          else found.set(under, [file]);
        }
        for (const own of found.values()) own.sort();
        tables.set(table, found);
      }
      return found;
    },
    stat(file) {
      let found = stats.get(file);
      if (!found) {
        const stat = fs.statSync(file, { bigint: true });
        found = { size: stat.size, mtimeNs: stat.mtimeNs };
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
