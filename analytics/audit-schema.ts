/**
 * The audit trail's DDL, with no imports so analytics/schema.ts can include it in a new
 * database's schema. IF NOT EXISTS: analytics/audit.ts also runs it on first use, so
 * database files made before the audit trail existed get the table too.
 *
 * Append-only by construction of the code: no statement in Rollcall updates or deletes a
 * row of audit_log (test/audit.test.ts searches the sources to keep it so). Retention
 * (analytics/retention.ts) removes register rows, never audit rows.
 */
export const AUDIT_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS audit_log_seq START 1`,
  `CREATE TABLE IF NOT EXISTS audit_log (
     id BIGINT NOT NULL DEFAULT nextval('audit_log_seq'),
     occurred_at TIMESTAMP NOT NULL,
     actor VARCHAR NOT NULL,
     actor_name VARCHAR,
     role VARCHAR NOT NULL,
     action VARCHAR NOT NULL,
     target VARCHAR,
     detail VARCHAR,
     ip VARCHAR)`,
];
