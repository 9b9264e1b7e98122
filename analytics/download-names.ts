/**
 * Every download's file name, made from what decides its content, so two downloads of
 * different content never get one name (and one overwrite the other in a Downloads folder).
 * A fresh-clone trial saved the head's benchmark report and a governor's — which withholds
 * small counts — both as `benchmark-report-2025-26.pdf`.
 *
 * A name is its parts joined by "_": the base ("groups-sen", "benchmark-report"), then the
 * period ("2025-09-01-to-2025-12-19"), then each option or filter that changes the content as
 * `name-value` ("year-group-5", "area-e10000017"), in the order given, then the audience where
 * staff and governors can both download it and the governors' version withholds figures
 * ("staff" or "governors"). Each part is lower case letters, digits and "-" only (anything
 * else becomes "-"), at most 40 characters; a part with nothing left is dropped. Pure and
 * client-safe (chart CSVs are named in the browser: app/lib/download-name.ts).
 */

/** Who a download that staff and governors both get was made for: the governors' withholds small counts. */
export type DownloadAudience = "staff" | "governors";

export interface DownloadNameParts {
  /** What the file is: "benchmark-report", "groups-sen", "pupils". */
  base: string;
  /** The period the figures cover, ISO dates; or a key ("2025-26", "autumn-2026"). */
  period?: { from: string; to: string } | string | null;
  /** Options and filters that change the content, as [name, value]; empty or null values are left out. */
  options?: ReadonlyArray<readonly [string, string | null | undefined]>;
  /** Given only for a file both staff and governors download. */
  audience?: DownloadAudience;
  /** The extension without its dot: "csv", "pdf", "xlsx". */
  ext: string;
}

const MAX_PART = 40;

/** One part of a file name: lower-case letters and digits joined by single hyphens, at most MAX_PART (40) characters. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_PART)
    .replace(/-+$/, "");
}

/** "groups-sen_2025-09-01-to-2025-12-19_year-group-5_governors.csv": see the module's comment. */
export function downloadFileName(parts: DownloadNameParts): string {
  const period = parts.period == null ? "" : typeof parts.period === "string" ? parts.period : `${parts.period.from}-to-${parts.period.to}`;
  const options = (parts.options ?? []).filter(([, value]) => value !== null && value !== undefined && value !== "").map(([name, value]) => `${name}-${value}`);
  const name = [parts.base, period, ...options, parts.audience ?? ""].map(slug).filter(Boolean).join("_");
  return `${name}.${slug(parts.ext)}`;
}
