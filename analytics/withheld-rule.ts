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
 * so are figures from which one could be worked out by subtraction or from the sessions missed
 * beside them (…), so a year group's count can be withheld though its classes' are too; both read
 * "withheld", so neither can be told from the other" — lower case, no full stop, for the caller's
 * sentence.
 * `min`: the school's small-group minimum (Settings), 2 or more.
 */
export function withheldRuleWords(min: number): string {
  return (
    `figures for groups of fewer than ${min} pupils and counts of 1 to ${min - 1} pupils are withheld ` +
    // "Only where …": a 0 is withheld like any figure to protect another (trial 54 read a 0 as
    // "withheld" beside "a count of 0 is shown"); docs/DEFINITIONS.md says it so.
    `(a count of 0 names no one and is shown, withheld only where it would let another figure be worked out; the count of pupils who left before a period's last half term is shown too, as it is the period's pupils less that half term's, both printed; ` +
    `a group with no pupils in the period reads as withheld too, so that none and a few cannot be told apart), ` +
    // The sessions too (trial 54: "a year group's total with both its classes withheld reveals
    // neither", yet Year 6's count, published, would be all White British, its other pupils
    // having missed 7 sessions between them, and so give a Pakistani pupil's 0).
    `and so are figures from which one could be worked out by subtraction or from the sessions missed beside them ` +
    `(pupils who missed fewer sessions between them than one persistently absent pupil would include none), ` +
    `so a year group's count can be withheld though its classes' are too; both read "withheld", so neither can be told from the other`
  );
}

/**
 * withheldRuleWords as the sentence every page's footnote prints ("For governors, figures for
 * groups of fewer than 5 pupils … told from the other."), and the FGB pack beside each table
 * of its that has a withheld figure, so a tab or section says why on itself. `min`: as above.
 */
export function withheldRuleSentence(min: number): string {
  return `For governors, ${withheldRuleWords(min)}.`;
}

/**
 * Why a governor is given none of a period's slices — its weeks, weekdays, months or days —
 * said the same way by the Overview's week-by-week notice and the FGB pack's weekly chart and
 * weekday table, where the chart or table would be (a chart of empty points read "No figures to
 * chart for this period": trial19, the FGB pack of Autumn 2026). The rule is
 * analytics/governor-lattice.ts governorSlicePlans: within a half term, a unit's slices are
 * all withheld where a day had 1 to `min` − 1 of its pupils absent (the slices add up to the
 * days, so would give that day back) or where a figure of the half term itself is withheld.
 * `what`: the figures, capitalised ("Attendance week by week over Autumn 2026"); `slices`: their
 * plural ("weeks"). A whole sentence with its full stop. `min`: the school's small-group
 * minimum (Settings), 2 or more.
 */
export function slicesWithheldWords(min: number, what: string, slices: string): string {
  return (
    `${what} is withheld for governors: in a half term of this period a day had 1 to ${min - 1} pupils absent, ` +
    `and its ${slices} would let that day's figures be worked out (they add up to the days), ` +
    `or a figure of the half term itself is withheld. The figures for the period as a whole are given.`
  );
}

/**
 * Why a governor is given none of a period's days, weekdays or sessions (the Patterns page,
 * where they are the whole page): said as slicesWithheldWords says weeks', with where the
 * period's own figures are (review 54: "The figures for the period as a whole are given" on a
 * page that gives none). `whose`: "" for the whole school, else the owner ("These pupils'");
 * `period`: the period in a sentence ("over Autumn 2026"). A whole sentence with its full stop.
 */
export function daysWithheldWords(min: number, whose: string, period: string): string {
  const what = whose ? `${whose} attendance` : "Attendance";
  return (
    `${what} by day of the week, by session and day by day ${period} is withheld for governors: in a half term of this period a day had 1 to ${min - 1} pupils absent, ` +
    `which its figures would give away (the weekdays and the sessions add up to the days), or a figure of the half term itself is withheld. ` +
    `The period's figures as a whole are on the Overview.`
  );
}

/**
 * Why the WHOLE school's figures are withheld for governors, where no filter is set and so no
 * broader one exists (trial 50: a 12-pupil school told a governor to "choose a broader filter"
 * with every filter on "All"): the rule that withheld them, lower case, no full stop, for the
 * caller's sentence ("…are withheld for governors: " + this). The plan withholds the school's row
 * (analytics/governor-lattice.ts) when the school is a group under the minimum, when one of its
 * counts is 1 to `min` − 1, or when one could be worked out from the other figures governors read.
 * `min`: the school's small-group minimum (Settings), 2 or more.
 */
export function wholeSchoolWithheldBecause(min: number): string {
  return (
    `the school has fewer than ${min} pupils, or a count among its figures (such as the pupils absent or persistently absent) is 1 to ${min - 1}, ` +
    `or one could be worked out from the other figures governors read (${min} pupils is the school's small-group minimum)`
  );
}

/**
 * What can be done where the whole school's figures are withheld: whole sentences with their
 * full stops, said by every page's notice and the FGB pack alike (each then points to
 * /definitions: a page by its link, the pack in words). The minimum is the administrator's
 * "Smallest group to report" in Settings (app/routes/settings.tsx; 3 to 50). `min`: as above.
 */
export function wholeSchoolWithheldAdvice(min: number): string {
  return `This is the whole school, so no broader filter would show them. The minimum of ${min} is set by the school's administrator as "Smallest group to report" in Settings (at least 3).`;
}
