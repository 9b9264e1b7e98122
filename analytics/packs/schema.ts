/**
 * The commentary table's DDL, with no imports so that analytics/schema.ts can include it in a
 * new database's schema without an import cycle. IF NOT EXISTS: commentary.ts also runs it on
 * first use, so database files made before packs existed get the table too.
 */
export const COMMENTARY_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS pack_commentary_seq START 1`,
  `CREATE TABLE IF NOT EXISTS pack_commentary (
     entry_id INTEGER NOT NULL DEFAULT nextval('pack_commentary_seq'),
     pack_kind VARCHAR NOT NULL,
     period_key VARCHAR NOT NULL,
     heading VARCHAR NOT NULL,
     body VARCHAR NOT NULL,
     author VARCHAR NOT NULL,
     author_role VARCHAR NOT NULL,
     saved_at TIMESTAMP NOT NULL)`,
];
