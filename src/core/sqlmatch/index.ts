/**
 * Matching pg_stat_statements entries to the code that issues them:
 * fingerprints for SQL written in code, predicted read shapes for ORM
 * calls, and the CodeLens wording.
 */
export { codeSqlFingerprint, dollarPlaceholders, statementFingerprint } from './fingerprint';
export { readShapeOf, type FilterClass, type ReadShape } from './statementShape';
export { matchesPrediction, predictRead, type CallOfFilter, type PredictedRead } from './ormShape';
export {
  fileCandidates, looksOrmGenerated, matchesInFile, positionAt, sqlFileCandidates, statementIdentity,
  type FileCandidates, type MatchConfidence, type SiteCandidate, type SiteMatch, type StatementIdentity, type SummaryFacts,
} from './siteMatch';
export { duration, lensTitle, sumFigures, type StatementFigures } from './lensTitle';
