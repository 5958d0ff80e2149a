/**
 * Code that opens or names a SQLite or MySQL database. Applications that
 * support several databases send each its own SQL; what PostgreSQL's grammar
 * says about SQL written for SQLite is beside the point, so the SQL texts
 * found in such code are marked (`SqlText.otherDatabase`).
 */
const OTHER_DRIVER = /(["'`])(?:sqlite3?|mysql|mariadb|mssql|sqlserver)\1|\bsqlite3\.connect\(|\b(?:better-sqlite3|mysql2?)\b(?=["'`])/i;

/**
 * Code that opens or names a SQLite or MySQL database (`sql.Open("sqlite", dsn)`,
 * `sqlite3.connect(path)`, `require('mysql2')`): the SQL it sends is written
 * for that database. Read over the function that sends the SQL.
 */
export function namesOtherDriver(code: string): boolean {
  return OTHER_DRIVER.test(code);
}
