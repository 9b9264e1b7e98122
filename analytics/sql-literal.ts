/**
 * SQL literals for the few statements DuckDB cannot prepare with bound parameters (ATTACH and
 * its path, COPY … TO a path, CREATE TYPE … AS ENUM, the CREATE VIEW of the code catalogue). Every other SQL value is a bound
 * parameter (the project's rule); these take only paths, validated URNs and the code
 * catalogue's codes, never free text from a form.
 */

/** A string literal: single quotes, each inner quote doubled. */
export const sqlString = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** An identifier (a table or schema name read from a file's own catalogue): double quotes, each inner one doubled. */
export const sqlName = (text: string) => `"${text.replace(/"/g, '""')}"`;
