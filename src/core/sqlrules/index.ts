/**
 * The SQL rules of the code diagnostics: `missing-index`,
 * `non-sargable-predicate` and `sql-syntax`, for SQL text found in code or
 * in `.sql` files, and `missing-index` for ORM calls with static filters.
 */
export { checkSql, checkSqlFile, checkSummarySql, SQL_RULE_IDS, type SqlCheckOptions, type SqlRuleId } from './check';
export { checkOrmFilters, type OrmFieldKey, type OrmFilterFact, type OrmFramework } from './orm';
export { sourceFromFile, sourceFromSqlText, type SqlSource } from './source';
export { DEFAULT_ROW_THRESHOLD, type Severity, type SqlFinding, type SqlRuleOptions } from './finding';
