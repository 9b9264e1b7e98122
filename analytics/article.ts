/**
 * "a" or "an" before a word built into a sentence ("an academic year", "a half term", "an EAL
 * status"), by the sound of its first letter: a vowel letter, or an initialism read with a
 * vowel sound (F, H, L, M, N, R, S, X: "an FSM", "an SEN"). Words starting "u" read "you"
 * ("a UPN", "a unit") and "one" take "a". Pure; used by pages and analytics alike.
 */
export function withArticle(word: string): string {
  return `${articleFor(word)} ${word}`;
}

export function articleFor(word: string): "a" | "an" {
  const first = word.trim().split(/\s+/)[0] ?? "";
  if (/^[A-Z]{2,}/.test(first)) return /^[AEFHILMNORSX]/.test(first) ? "an" : "a";
  if (/^(u[bcdfgklmnprst][aeiou]|uni|use|usu|one|eu)/i.test(first)) return "a";
  return /^[aeiou]/i.test(first) ? "an" : "a";
}
