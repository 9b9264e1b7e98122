/**
 * DDL for sign-in: staff and governor accounts, their signed-in sessions, and failed sign-in
 * attempts (for the lockout). No imports, so analytics/schema.ts can include it in a new
 * database; IF NOT EXISTS because analytics/users/store.ts also runs it on first use, for
 * database files made before sign-in existed.
 *
 * Passwords are never stored: `password_hash` holds scrypt's output with its salt and cost
 * parameters (analytics/users/password.ts).
 */
export const USERS_DDL = [
  `CREATE SEQUENCE IF NOT EXISTS user_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS users (
     user_id INTEGER PRIMARY KEY DEFAULT nextval('user_id_seq'),
     email VARCHAR NOT NULL UNIQUE,
     name VARCHAR NOT NULL,
     role VARCHAR NOT NULL,
     password_hash VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL,
     password_changed_at TIMESTAMP NOT NULL,
     disabled_at TIMESTAMP,
     must_change_password BOOLEAN DEFAULT false)`,
  // One row per sign-in. The cookie carries only session_id (signed); idle expiry is decided
  // here from last_seen_at, so a copied cookie dies with its session whatever its maxAge says.
  `CREATE TABLE IF NOT EXISTS user_sessions (
     session_id VARCHAR PRIMARY KEY,
     user_id INTEGER NOT NULL,
     csrf_token VARCHAR NOT NULL,
     created_at TIMESTAMP NOT NULL,
     last_seen_at TIMESTAMP NOT NULL,
     ended_at TIMESTAMP)`,
  `CREATE TABLE IF NOT EXISTS sign_in_failures (
     email VARCHAR NOT NULL,
     address VARCHAR NOT NULL,
     failed_at TIMESTAMP NOT NULL)`,
];

/**
 * Brings a `users` table made before accounts could be told to change their password to it
 * (analytics/schema.ts ensureSchema runs it on opening such a file): every existing account
 * reads false, as none was marked then. Nullable, as DuckDB adds no NOT NULL column in place;
 * the store reads it as coalesce(…, false).
 */
export const USERS_MUST_CHANGE_COLUMN = `ALTER TABLE users ADD COLUMN IF NOT EXISTS must_change_password BOOLEAN DEFAULT false`;
