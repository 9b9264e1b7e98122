/**
 * The governors' small-count rule in words, said the same way by every page's footnote, the
 * FGB pack and the head's report as a governor reads it (analytics/suppression.ts applies it).
 * The leavers' row is the one count of pupils printed whatever it is: it is the period's pupils
 * less its last half term's, and both are printed (analytics/governor-lattice.ts
 * isLeaversPublic), so withholding it would hide nothing; the rule says so rather than let a
 * "1" beside it read as a breach (trial18a: "Left before Autumn 2 … 1" against "counts of 1 to
 * 4 pupils are withheld").
 */

/**
 * "figures for groups of fewer than 5 pupils and counts of 1 to 4 pupils are withheld (…; a group
 * with no pupils in the period reads as withheld too, so that none and a few cannot be told apart), and
 * so are figures from which one could be worked out by subtraction; both read "withheld", so
 * neither can be told from the other" — lower case, no full stop, for the caller's sentence.
 * `min`: the school's small-group minimum (Settings), 2 or more.
 */
export function withheldRuleWords(min: number): string {
  return (
    `figures for groups of fewer than ${min} pupils and counts of 1 to ${min - 1} pupils are withheld ` +
    `(a count of 0 is shown: it names no one; so is the count of pupils who left before a period's last half term, which is the period's pupils less that half term's, both printed; ` +
    `a group with no pupils in the period reads as withheld too, so that none and a few cannot be told apart), ` +
    `and so are figures from which one could be worked out by subtraction; both read "withheld", so neither can be told from the other`
  );
}
