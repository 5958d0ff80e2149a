/**
 * Decides whether one parsed statement may run under EXPLAIN ANALYZE, which
 * executes it for real:
 *  - 'read': no side effects; runs in a READ ONLY transaction.
 *  - 'write': every effect is undone by ROLLBACK; runs, after confirmation,
 *    in a transaction that is always rolled back.
 *  - 'refuse': cannot run inside a transaction, or a rollback would not undo
 *    its effects (other sessions, files, sequences, the server itself).
 *
 * The judgement is conservative: any function not known to be side-effect
 * free makes a statement 'write', so that it only ever runs rolled back.
 */
import type { StatementSafety } from '../../db/types';
import type { EffectVerdict, FunctionRules } from './effects';
import { isHarmlessVolatile, judgeFunction, refusalOf } from './functions';
import type { StatementNode } from './parser';

type Obj = Record<string, unknown>;

const rollbackNote = 'with ANALYZE it runs inside a transaction that is always rolled back';

/** Statement types refused outright, with why. */
const refusedTypes: Record<string, string> = {
  CreatedbStmt: 'CREATE DATABASE cannot run inside a transaction.',
  DropdbStmt: 'DROP DATABASE cannot run inside a transaction.',
  AlterDatabaseStmt: 'ALTER DATABASE changes the whole database, and some of its forms cannot run inside a transaction.',
  CreateTableSpaceStmt: 'CREATE TABLESPACE cannot run inside a transaction and writes to the server\'s disk.',
  DropTableSpaceStmt: 'DROP TABLESPACE cannot run inside a transaction.',
  AlterSystemStmt: 'ALTER SYSTEM writes the server configuration file, which a rollback does not undo.',
  NotifyStmt: 'NOTIFY signals other sessions; PG Insight does not send notifications.',
  ListenStmt: 'LISTEN changes the state of a pooled session.',
  UnlistenStmt: 'UNLISTEN changes the state of a pooled session.',
  DiscardStmt: 'DISCARD resets session state and cannot run inside a transaction.',
  CheckPointStmt: 'CHECKPOINT acts on the whole server and is not undone by a rollback.',
  VariableSetStmt: 'SET changes a session setting of a pooled connection.',
  LoadStmt: 'LOAD loads a library into a pooled session.',
  PrepareStmt: 'PREPARE leaves a prepared statement in a pooled session.',
  ExecuteStmt: 'EXECUTE runs a prepared statement of the session, which PG Insight cannot inspect.',
  DeallocateStmt: 'DEALLOCATE changes the state of a pooled session.',
  CreateSubscriptionStmt: 'CREATE SUBSCRIPTION creates a replication slot on another server, which a rollback does not undo.',
  AlterSubscriptionStmt: 'ALTER SUBSCRIPTION acts on another server and some forms cannot run inside a transaction.',
  DropSubscriptionStmt: 'DROP SUBSCRIPTION drops a replication slot on another server, which a rollback does not undo.',
  ExplainStmt: 'The text is already an EXPLAIN; give the statement itself.',
  FetchStmt: 'FETCH and MOVE need a cursor of the session.',
  ClosePortalStmt: 'CLOSE needs a cursor of the session.',
};

/** Statement types that only change data or schema, all undone by ROLLBACK. */
const dataChanges = new Set(['InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export function classifyStatement(type: string, node: StatementNode): StatementSafety {
  const body = (node[type] ?? {}) as Obj;
  const statementType = statementLabel(type, body);
  const refuse = (reason: string): StatementSafety => ({ statementType, verdict: 'refuse', reason });
  const write = (reason: string): StatementSafety => ({ statementType, verdict: 'write', reason });

  const refusedReason = refusedTypes[type] ?? refusedForm(type, body);
  if (refusedReason) return refuse(refusedReason);

  const found = scan(body);
  if (found.refusedFunction) return refuse(found.refusedFunction);

  if (type === 'DeclareCursorStmt' && isObj(body.query)) {
    const inner = Object.keys(body.query)[0] ?? '';
    return { ...classifyStatement(inner, body.query), statementType };
  }
  if (dataChanges.has(type)) {
    const sequences = type === 'InsertStmt' || type === 'MergeStmt' ? ' (sequence values taken by column defaults are not given back)' : '';
    return write(`${statementType} changes rows; ${rollbackNote}${sequences}.`);
  }
  if (type === 'CopyStmt') {
    if (body.is_from) return write(`COPY FROM changes rows; ${rollbackNote}.`);
  } else if (type === 'VariableShowStmt') {
    return { statementType, verdict: 'read' };
  } else if (type !== 'SelectStmt') {
    return write(`${statementType} changes the schema or the database state; ${rollbackNote}.`);
  }

  if (body.intoClause || found.into) return write(`SELECT INTO creates a table; ${rollbackNote}.`);
  if (found.modifyingCte) return write(`A data-changing WITH clause (${found.modifyingCte}) changes rows; ${rollbackNote}.`);
  if (found.locking) return write(`SELECT ... FOR UPDATE/SHARE locks rows; ${rollbackNote}.`);
  if (found.unknownFunction) {
    return { ...write(`The statement calls ${found.unknownFunction}(), which is not known to be free of side effects; ${rollbackNote}.`), namesOnly: true };
  }
  return { statementType, verdict: 'read' };
}

/** The function knowledge the catalog verdict (effects.ts) applies. */
export const functionRules: FunctionRules = { refusalOf, isHarmlessVolatile };

/**
 * Joins the verdict from the statement's text with the verdict from what the
 * catalog says it executes: the stricter wins, except that a function the
 * text could only judge by name is cleared (or caught) by the catalog.
 */
export function combineSafety(fromText: StatementSafety, catalog: EffectVerdict): StatementSafety {
  const { statementType } = fromText;
  const findings = catalog.findings;
  const kept = catalog.kept;
  if (fromText.verdict === 'refuse') return fromText;
  if (catalog.verdict === 'refuse') {
    return { statementType, verdict: 'refuse', reason: `it ${findings.join('; ')}.`, findings, kept };
  }
  const textWrites = fromText.verdict === 'write' && fromText.namesOnly !== true;
  if (catalog.verdict === 'read' && !textWrites) return { statementType, verdict: 'read' };
  const first = findings[0];
  const reason = textWrites
    ? fromText.reason
    : `The statement ${first ?? 'may change something'}; ${rollbackNote}.`;
  return { statementType, verdict: 'write', ...(reason ? { reason } : {}), findings, kept };
}

/** Forms of otherwise transactional statements that cannot run in a transaction. */
function refusedForm(type: string, body: Obj): string | undefined {
  switch (type) {
    case 'VacuumStmt':
      return body.is_vacuumcmd
        ? 'VACUUM cannot run inside a transaction.'
        : 'ANALYZE updates planner statistics in place, which a rollback does not fully undo.';
    case 'IndexStmt':
      return body.concurrent ? 'CREATE INDEX CONCURRENTLY cannot run inside a transaction.' : undefined;
    case 'DropStmt':
      return body.concurrent ? 'DROP INDEX CONCURRENTLY cannot run inside a transaction.' : undefined;
    case 'ReindexStmt': {
      const concurrently = asArray(body.params).some((p) => isObj(p) && isObj(p.DefElem) && p.DefElem.defname === 'concurrently');
      if (concurrently) return 'REINDEX CONCURRENTLY cannot run inside a transaction.';
      if (body.kind === 'REINDEX_OBJECT_DATABASE' || body.kind === 'REINDEX_OBJECT_SYSTEM') {
        return 'REINDEX DATABASE and REINDEX SYSTEM cannot run inside a transaction.';
      }
      return undefined;
    }
    case 'ClusterStmt':
      return body.relation ? undefined : 'CLUSTER without a table cannot run inside a transaction.';
    case 'CopyStmt':
      if (body.is_program) return 'COPY ... PROGRAM runs a program on the database server.';
      if (typeof body.filename === 'string') return 'COPY to or from a server file touches the database server\'s disk.';
      return undefined;
    case 'TransactionStmt': {
      const kind = str(body.kind);
      if (/PREPARE/.test(kind)) return 'Prepared transactions outlive the session and are not undone by a rollback.';
      return 'Transaction control would end the transaction PG Insight runs the statement in.';
    }
    default:
      return undefined;
  }
}

interface Findings {
  refusedFunction?: string;
  unknownFunction?: string;
  modifyingCte?: string;
  locking: boolean;
  into?: boolean;
}

/** Walks the raw parse tree for function calls, nested data changes and row locks. */
function scan(root: Obj): Findings {
  const found: Findings = { locking: false };
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!isObj(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'FuncCall' && isObj(child)) {
        const parts = asArray(child.funcname).map((n) => (isObj(n) && isObj(n.String) ? str(n.String.sval) : ''));
        const verdict = judgeFunction(parts);
        const name = parts.join('.');
        if (verdict.kind === 'refuse') found.refusedFunction ??= verdict.reason;
        else if (verdict.kind === 'unknown') found.unknownFunction ??= name;
      } else if (dataChanges.has(key)) {
        found.modifyingCte ??= key.replace('Stmt', '').toUpperCase();
      } else if (key === 'lockingClause' && asArray(child).length > 0) {
        found.locking = true;
      } else if (key === 'intoClause' && isObj(child)) {
        // SELECT INTO anywhere (PostgreSQL refuses it inside a CTE, but the text is judged before the server sees it).
        found.into = true;
      }
      visit(child);
    }
  };
  visit(root);
  return found;
}

/** A human name for the statement type, e.g. "CREATE TABLE", "DROP INDEX". */
export function statementLabel(type: string, body: Obj): string {
  switch (type) {
    case 'SelectStmt':
      if (body.intoClause) return 'SELECT INTO';
      return asArray(body.valuesLists).length > 0 && !body.targetList ? 'VALUES' : 'SELECT';
    case 'CreateStmt':
      return 'CREATE TABLE';
    case 'CreateTableAsStmt':
      return body.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'IndexStmt':
      return body.concurrent ? 'CREATE INDEX CONCURRENTLY' : 'CREATE INDEX';
    case 'DropStmt':
      return `DROP ${objectWord(body.removeType)}${body.concurrent ? ' CONCURRENTLY' : ''}`;
    case 'AlterTableStmt':
      return `ALTER ${objectWord(body.objtype)}`;
    case 'VacuumStmt':
      return body.is_vacuumcmd ? 'VACUUM' : 'ANALYZE';
    case 'VariableSetStmt':
      return body.kind === 'VAR_RESET' || body.kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
    case 'VariableShowStmt':
      return 'SHOW';
    case 'TransactionStmt':
      return transactionWords[str(body.kind)] ?? (str(body.kind) || 'TRANS_STMT_BEGIN').replace('TRANS_STMT_', '').replace(/_/g, ' ');
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'CheckPointStmt':
      return 'CHECKPOINT';
    case 'DoStmt':
      return 'DO';
    case 'RefreshMatViewStmt':
      return 'REFRESH MATERIALIZED VIEW';
    case 'DeclareCursorStmt':
      return 'DECLARE';
    case 'FetchStmt':
      return 'FETCH';
    default:
      // "CreateFunctionStmt" -> "CREATE FUNCTION", "AlterSystemStmt" -> "ALTER SYSTEM".
      return type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
  }
}

const transactionWords: Record<string, string> = {
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
};

function objectWord(objtype: unknown): string {
  return (str(objtype) || 'OBJECT_TABLE').replace('OBJECT_', '').replace(/_/g, ' ');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
