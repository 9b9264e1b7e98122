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

export function isCommentaryHeading(value: string): value is CommentaryHeading {
  return (COMMENTARY_HEADINGS as readonly string[]).includes(value);
}
