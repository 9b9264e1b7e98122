/**
 * The interventions table's DDL, with no imports so analytics/schema.ts can include it in a
 * new database's schema. IF NOT EXISTS: store.ts also runs it on first use, so database
 * files made before interventions existed get the table too.
 *
 * Kept like amendments: rows are only ever inserted. A correction is a new row whose
 * `corrects` names the entry it replaces (or, with `withdrawn`, says the entry was recorded
 * in error); the entry in force is the latest of each chain.
 */
export const INTERVENTIONS_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS intervention_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS interventions (
     intervention_id INTEGER NOT NULL DEFAULT nextval('intervention_id_seq'),
     upn VARCHAR NOT NULL,
     type VARCHAR NOT NULL,
     date DATE NOT NULL,
     note VARCHAR NOT NULL,
     recorded_at TIMESTAMP NOT NULL,
     recorded_by VARCHAR NOT NULL,
     recorded_by_role VARCHAR NOT NULL,
     corrects INTEGER,
     withdrawn BOOLEAN NOT NULL DEFAULT false,
     label VARCHAR)`,
];

/**
 * `label`: the type's words as the school read them when the entry was recorded, its own
 * thresholds in them ("Letter: attendance below 95.5 %"), so a threshold changed later does
 * not rewrite what a letter already sent said. Files made before it have the column added on
 * opening (analytics/schema.ts); their entries have none, and were recorded under the closed
 * list's words (LEGACY_LABEL_NUMBERS in analytics/casework/interventions-list.ts).
 */
export const INTERVENTIONS_LABEL_COLUMN = `ALTER TABLE interventions ADD COLUMN IF NOT EXISTS label VARCHAR`;
