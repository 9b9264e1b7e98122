/**
 * A list as a sentence gives it: "a", "a and b", "a, b and c" (or with "or"). Pure and
 * client-safe: messages, notices and refusals all join their lists this one way.
 */
export function listWords(items: readonly string[], last: "and" | "or" = "and"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${last} ${items[items.length - 1]}`;
}
