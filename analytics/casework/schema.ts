/**
 * DDL for the settings' change log (who changed which setting, when, from what to what).
 * No imports, so analytics/schema.ts can include it without an import cycle; IF NOT EXISTS,
 * because analytics/settings.ts also runs it on first use for database files made earlier.
 */
export const SETTINGS_CHANGES_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS settings_change_seq START 1`,
  `CREATE TABLE IF NOT EXISTS settings_changes (
     change_id INTEGER NOT NULL DEFAULT nextval('settings_change_seq'),
     save_id VARCHAR NOT NULL,
     key VARCHAR NOT NULL,
     old_value VARCHAR,
     new_value VARCHAR NOT NULL,
     changed_at TIMESTAMP NOT NULL,
     changed_by VARCHAR NOT NULL,
     changed_by_role VARCHAR NOT NULL)`,
];
