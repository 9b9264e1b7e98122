/**
 * A count's noun, singular for 1 and plural otherwise, for every page, pack, export and CLI
 * line that says a count ("1 entry", "2 entries"; a trial read "(1 entries)" on Casework).
 * `count`: the number as counted (not rounded; null, a figure not given, takes the plural); `many`: the plural where it is not `one` + "s".
 */
export function plural(count: number | null, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

