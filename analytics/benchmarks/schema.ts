/**
 * The benchmark tables' DDL, with no imports so that analytics/schema.ts can include it in a
 * new database's schema without an import cycle. IF NOT EXISTS: also run on first use, so
 * database files made before these tables existed get them too.
 */
const STATEMENTS = [
  `CREATE SEQUENCE IF NOT EXISTS benchmark_import_id_seq START 1`,
  `CREATE TABLE IF NOT EXISTS benchmark_imports (
     import_id INTEGER PRIMARY KEY,
     file_name VARCHAR NOT NULL,
     sha256 VARCHAR NOT NULL,
     rows_read INTEGER NOT NULL,
     figures_inserted INTEGER NOT NULL,
     imported_at TIMESTAMP NOT NULL,
     imported_by VARCHAR NOT NULL,
     imported_by_role VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS benchmark_figures (
     figure_id VARCHAR PRIMARY KEY,
     origin VARCHAR NOT NULL,
     publication VARCHAR NOT NULL,
     academic_year VARCHAR NOT NULL,
     period VARCHAR NOT NULL,
     period_end DATE,
     phase VARCHAR NOT NULL,
     geographic_level VARCHAR NOT NULL,
     area_code VARCHAR NOT NULL,
     area_name VARCHAR NOT NULL,
     region_code VARCHAR,
     group_type VARCHAR NOT NULL,
     group_name VARCHAR NOT NULL,
     measure VARCHAR NOT NULL,
     value DOUBLE,
     value_text VARCHAR NOT NULL,
     release VARCHAR NOT NULL,
     source_url VARCHAR NOT NULL,
     excerpt VARCHAR NOT NULL,
     source_file VARCHAR NOT NULL,
     source_line INTEGER NOT NULL)`,
];

export function benchmarkSchemaStatements(): string[] {
  return [...STATEMENTS];
}
