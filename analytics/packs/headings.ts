/**
 * The commentary headings of the governors' pack (the policy's "interventions, successes,
 * barriers and … next steps"). Pure and DB-free, so the commentary form in the browser
 * bundle may import it.
 */
export const COMMENTARY_HEADINGS = ["interventions", "successes", "barriers", "next-steps"] as const;
export type CommentaryHeading = (typeof COMMENTARY_HEADINGS)[number];

export const COMMENTARY_LABELS: Record<CommentaryHeading, string> = {
  interventions: "Interventions",
  successes: "Successes",
  barriers: "Barriers",
  "next-steps": "Next steps",
};

export const MAX_COMMENTARY_LENGTH = 4000;

/**
 * How governors' commentary may name people, in a sentence (the rule is in
 * analytics/packs/identifiers.ts): said beside the commentary form and at the end of every
 * refusal.
 */
export const STAFF_NAMING_RULE =
  "Name a member of staff by their role (“the attendance lead”), or by title and surname (“Mrs Price”) only where no pupil has that surname. Never name a pupil or their family: not by forename and surname, by a surname or forename alone, as “the Price family”, “Mrs Nowak” or “Nowak's mum” where a pupil is called Nowak, or by UPN. The check cannot tell a member of staff from a pupil's parent who share a surname, so it refuses both.";

export function isCommentaryHeading(value: string): value is CommentaryHeading {
  return (COMMENTARY_HEADINGS as readonly string[]).includes(value);
}
