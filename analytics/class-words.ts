/**
 * A class (registration group) in words, as every page, pack and picker writes it. Pure and
 * client-safe.
 */

/**
 * The class a pupil is recorded in when no file gave one: a CTF carries no class (its pupils
 * wait for a pupils file), and a pupil's years before the pupils file's are given no class
 * (analytics/import/pupils.ts). A stored value, filtered on as any class is: `reg_group=Not assigned`
 * lists exactly those pupils.
 */
export const NOT_ASSIGNED = "Not assigned";

/**
 * "Class 5A"; NOT_ASSIGNED as "Not assigned to a class". Pickers had offered "Class Not assigned"
 * as if it were a class of the school (trial 26): it is pupils with no class given.
 */
export function classWords(value: string): string {
  return value === NOT_ASSIGNED ? "Not assigned to a class" : `Class ${value}`;
}
