/**
 * Reads from the catalog everything a statement will execute, as PostgreSQL
 * resolves it, before EXPLAIN ANALYZE runs it (the verdict is
 * src/core/sql/effects.ts).
 *
 * In one transaction that is always rolled back:
 *  1. for a statement with `$n`, `PREPARE` gives the parameter types the
 *     server infers (and is deallocated at once);
 *  2. the statement becomes the body of a temporary SQL function
 *     (`BEGIN ATOMIC`), which PostgreSQL parses and analyses exactly as it
 *     would run it: overloads, operators, casts and domains resolved, views
 *     referenced by OID. Nothing is executed and nothing is planned;
 *  3. the function's stored tree (`prosqlbody`) is read for the OIDs of
 *     functions, operators, types and relations, and those are followed
 *     through the catalog: views to their rules, tables with row security to
 *     their policies, domains to their CHECK constraints, operators to their
 *     functions, aggregates to their support functions, user functions to
 *     their bodies (a SQL-standard body as a tree, any other SQL or PL/pgSQL
 *     body by the names it mentions), and, for the tables a statement writes,
 *     column defaults, CHECK constraints, index expressions, triggers, rules,
 *     partitions and the tables its foreign keys cascade to.
 *
 * An event trigger that would fire on the temporary function is judged first
 * (by the same reading); if it may do something a rollback cannot undo, the
 * probe is not made. Where it cannot be made (that, a standby, no right to
 * create temporary objects), `readEffectsByName` reads the statement by the
 * names it uses instead, with catalog reads only.
 *
 * Every statement goes by the extended protocol (one statement per call),
 * and every value is a parameter.
 */
import { randomBytes } from 'node:crypto';
import { objectsInTree } from '../core/sql/nodeTree';
import { namesInBody } from '../core/sql/bodyNames';
import type { QualifiedName, StatementNames } from '../core/sql/statementNames';
import { judgeEffects, type EffectFacts, type ForeignTableFact, type FunctionFact, type FunctionRules, type Volatility } from '../core/sql/effects';
import { DbError, type Tx } from './types';

/** PostgreSQL's FirstNormalObjectId: objects below it come with the server. */
const FIRST_NORMAL_OID = 16384;
/** The reading stops (and says so) beyond these, rather than run long on a huge schema. */
const MAX_ROUNDS = 40;
const MAX_OBJECTS = 4000;
const MAX_BODY_NAMES = 400;

export interface ProbeTarget {
  /** The one statement, as the user wrote it. */
  readonly text: string;
  /** The raw statement type (libpg-query): the probe takes what PREPARE takes. */
  readonly type: string;
  /**
   * Read the parameter types (and the statement's own errors) by PREPARE
   * first: needed when the statement has `$n`, and to tell the statement's
   * error from the probe's; three round trips a statement without `$n`
   * saves.
   */
  readonly viaPrepare: boolean;
}

/** Statement types PREPARE accepts, hence the probe. */
const probeable = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

interface Reached {
  readonly via: string;
  /** Reached through something other than a written table's column default. */
  nonDefault: boolean;
  /**
   * Reached from the body of an IMMUTABLE or STABLE user function, which the
   * planner may run while planning (constant folding, estimates): even plain
   * EXPLAIN can execute it.
   */
  planTime?: boolean;
}

type Kind = 'fn' | 'op' | 'type' | 'rel';

export type ProbeOutcome =
  | { readonly ok: true; readonly facts: EffectFacts }
  /** `again`: the statement failed as a function body without PREPARE first; reading it by PREPARE says whether the error is its own. */
  | { readonly ok: false; readonly limit: string; readonly again?: boolean };

/** Characters before the statement in the text PREPARE gets, for mapping the server's error positions. */
export const PREPARE_PREFIX_LENGTH = 'PREPARE pgi_probe_000000000000 AS '.length;

/**
 * The facts for one statement, or why they could not be read. Throws the
 * server's error when the statement itself is wrong (PREPARE fails): EXPLAIN
 * would fail alike, and nothing ran. `dirty(true)` says the session may hold
 * something of the probe (its prepared statement) and `dirty(false)` that it
 * no longer does; a session left dirty is discarded by the caller.
 */
export async function readStatementEffects(tx: Tx, target: ProbeTarget, rules: FunctionRules, dirty: (holds: boolean) => void): Promise<ProbeOutcome> {
  if (!probeable.has(target.type)) {
    const words = target.type.replace(/Stmt$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
    return { ok: false, limit: `PG Insight reads what SELECT, INSERT, UPDATE, DELETE and MERGE execute, and this is ${words}` };
  }
  const name = `pgi_probe_${randomBytes(6).toString('hex')}`;
  try {
    const blocker = await eventTriggerBlocker(tx, rules);
    if (blocker) return { ok: false, limit: blocker };
  } catch (e) {
    if (isInterruption(e)) throw e;
    return { ok: false, limit: `the catalog could not be read (${messageOf(e)})` };
  }
  let types: string[] = [];
  if (target.viaPrepare) {
    // From here the session may hold the prepared statement until DEALLOCATE.
    dirty(true);
    // A failure here is the statement's own error (syntax, unknown table): it propagates.
    await tx.query(`PREPARE ${name} AS ${target.text}`, []);
    try {
      const { rows: prepared } = await tx.query<{ types: string[] | null }>(
        `SELECT ARRAY(SELECT pg_catalog.format_type(t, NULL) FROM unnest(s.parameter_types) WITH ORDINALITY AS u(t, n) ORDER BY n) AS types
           FROM pg_catalog.pg_prepared_statements s WHERE s.name = $1`,
        [name],
      );
      await tx.query(`DEALLOCATE ${name}`, []);
      dirty(false);
      types = prepared[0]?.types ?? [];
    } catch (e) {
      if (isInterruption(e)) throw e;
      return { ok: false, limit: `the parameters' types could not be read (${messageOf(e)})` };
    }
  }
  try {
    // A line break ends a trailing "--" comment before the closing words.
    await tx.query(`CREATE FUNCTION pg_temp.${name}(${types.join(', ')}) RETURNS void LANGUAGE sql BEGIN ATOMIC\n${target.text}\n; END`, []);
  } catch (e) {
    if (isInterruption(e)) throw e;
    // Without PREPARE first, this may be the statement's own error: the caller asks again by PREPARE, which tells.
    if (!target.viaPrepare) return { ok: false, limit: messageOf(e), again: true };
    return { ok: false, limit: `what the statement executes could not be read (${messageOf(e)})` };
  }
  try {
    const { rows } = await tx.query<{ tree: string | null }>(
      'SELECT p.prosqlbody::text AS tree FROM pg_catalog.pg_proc p WHERE p.proname = $1 AND p.pronamespace = pg_catalog.pg_my_temp_schema()',
      [name],
    );
    const tree = rows[0]?.tree;
    if (!tree) return { ok: false, limit: 'the server kept no analysed body for the statement' };
    const reader = new EffectReader(tx);
    reader.addTree(tree, { via: '', nonDefault: true }, false);
    await reader.follow();
    return { ok: true, facts: reader.facts() };
  } catch (e) {
    if (isInterruption(e)) throw e;
    return { ok: false, limit: `what the statement executes could not be read (${messageOf(e)})` };
  }
}

/**
 * The facts read by name, when the statement cannot be made a temporary
 * function (a standby, no right to create temporary objects, an event
 * trigger that must not run, CREATE TABLE AS): every function, operator,
 * type and relation of each name the statement uses, in any schema where it
 * is not qualified, the functions of every cast to a type it names, and of
 * every implicit or assignment cast that involves a user type or function
 * (PostgreSQL may apply one unseen), then followed as the
 * probe's are. Only catalog reads: it runs in a READ ONLY transaction.
 * Wider than what PostgreSQL would resolve, never narrower, except for the
 * output functions of user types of the columns read, which a name does not
 * show.
 */
/** What the statement's text says it does, for the reading by name (which has no tree to say it). */
export interface StatementFromText {
  readonly modifies: boolean;
  readonly locks: boolean;
  /** It inserts rows (INSERT, MERGE, or either in a WITH clause). */
  readonly inserts: boolean;
}

export async function readEffectsByName(tx: Tx, names: StatementNames, fromText: StatementFromText): Promise<EffectFacts> {
  const list = (qs: readonly QualifiedName[]) => [qs.map((q) => q.schema), qs.map((q) => q.name)];
  const [fnSchemas, fnNames] = list(names.functions);
  const [typeSchemas, typeNames] = list(names.types);
  const [relSchemas, relNames] = list(names.relations);
  const { rows } = await tx.query<{ kind: Kind; oid: number }>(
    `WITH wanted_fn(s, n) AS (SELECT * FROM unnest($1::text[], $2::text[])),
          wanted_type(s, n) AS (SELECT * FROM unnest($4::text[], $5::text[])),
          wanted_rel(s, n) AS (SELECT * FROM unnest($6::text[], $7::text[]))
     SELECT 'fn' AS kind, p.oid::int8 AS oid FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
       JOIN wanted_fn w ON w.n = p.proname AND (w.s = '' OR w.s = n.nspname)
     UNION ALL
     SELECT 'op', o.oid::int8 FROM pg_catalog.pg_operator o WHERE o.oprname = ANY ($3::text[]) AND o.oid >= ${FIRST_NORMAL_OID}
     UNION ALL
     SELECT 'type', t.oid::int8 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
       JOIN wanted_type w ON w.n = t.typname AND (w.s = '' OR w.s = n.nspname) WHERE t.oid >= ${FIRST_NORMAL_OID}
     UNION ALL
     SELECT 'rel', c.oid::int8 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       JOIN wanted_rel w ON w.n = c.relname AND (w.s = '' OR w.s = n.nspname)
     UNION ALL
     SELECT 'fn', k.castfunc::int8 FROM pg_catalog.pg_cast k
      WHERE k.castfunc <> 0 AND (k.castfunc >= ${FIRST_NORMAL_OID} OR k.castsource >= ${FIRST_NORMAL_OID} OR k.casttarget >= ${FIRST_NORMAL_OID})
        AND (k.castcontext IN ('i', 'a') OR k.casttarget IN (SELECT t.oid FROM pg_catalog.pg_type t JOIN wanted_type w ON w.n = t.typname))`,
    [fnSchemas, fnNames, [...names.operators], typeSchemas, typeNames, relSchemas, relNames],
  );
  const reader = new EffectReader(tx);
  reader.fromText(fromText);
  for (const r of rows) reader.add(r.kind, Number(r.oid), { via: '', nonDefault: true });
  // The statement's own relations: a writing statement's tables are read as written (defaults, triggers, ...).
  if (fromText.modifies) for (const r of rows) if (r.kind === 'rel') reader.target(Number(r.oid));
  await reader.follow();
  return reader.facts();
}

/**
 * An event trigger that fires on CREATE FUNCTION would run on the probe: its
 * function is read first, and the probe is not made when it may do
 * something a rollback cannot undo, or something that cannot be read.
 */
async function eventTriggerBlocker(tx: Tx, rules: FunctionRules): Promise<string | undefined> {
  const { rows } = await tx.query<{ name: string; fn: number }>(
    `SELECT pg_catalog.quote_ident(e.evtname) AS name, e.evtfoid::int8 AS fn FROM pg_catalog.pg_event_trigger e
      WHERE e.evtenabled <> 'D' AND e.evtevent IN ('ddl_command_start', 'ddl_command_end')
        AND (e.evttags IS NULL OR 'CREATE FUNCTION' = ANY (e.evttags))`,
    [],
  );
  if (rows.length === 0) return undefined;
  const reader = new EffectReader(tx);
  for (const r of rows) reader.add('fn', Number(r.fn), { via: `event trigger ${r.name}`, nonDefault: true });
  await reader.follow();
  const facts = reader.facts();
  const unreadable = facts.functions.some((f) => !f.builtin && f.extension === undefined && (f.body === 'none' || f.dynamic));
  if (facts.incomplete || unreadable || judgeEffects(facts, rules).verdict === 'refuse') {
    return `event trigger ${rows.map((r) => r.name).join(', ')} would run while PG Insight reads the statement, and it may do what a rollback cannot undo`;
  }
  return undefined;
}

/** A cancel, a timeout or a lost connection ends the probe as it ends any statement. */
function isInterruption(e: unknown): boolean {
  if (e instanceof DbError) return true;
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code !== 'string' || code === '57014' || code.startsWith('57P') || code.startsWith('08');
}

class EffectReader {
  private readonly seen = new Map<string, Reached>();
  private pending: Record<Kind, Map<number, Reached>> = { fn: new Map(), op: new Map(), type: new Map(), rel: new Map() };
  /** Names read from text bodies, to be looked up with the next round. */
  private pendingNames = new Map<string, { reached: Reached; volatile: boolean }>();
  private readonly targets = new Set<number>();
  /** Written tables whose defaults, triggers, ... were read (a table can be seen as read first). */
  private readonly readAsWritten = new Set<number>();
  private readonly trees: Array<{ text: string; reached: Reached; writes: boolean }> = [];
  private readonly functions: FunctionFact[] = [];
  private readonly functionIndex = new Map<number, number>();
  private readonly foreign: ForeignTableFact[] = [];
  private readonly sequences = new Set<string>();
  private modifies = false;
  private locks = false;
  private inserts = false;
  private incomplete: string | undefined;

  constructor(private readonly tx: Tx) {}

  facts(): EffectFacts {
    return {
      functions: this.functions,
      foreignTables: this.foreign,
      sequences: this.inserts ? [...this.sequences] : [],
      modifies: this.modifies,
      locks: this.locks,
      ...(this.incomplete ? { incomplete: this.incomplete } : {}),
    };
  }

  /** What the statement's text says it does, when there is no tree to say it. */
  fromText(facts: StatementFromText): void {
    this.modifies = facts.modifies;
    this.locks = facts.locks;
    // Only an INSERT (or MERGE) takes values of the identity sequences of the tables it writes.
    this.inserts = facts.inserts;
  }

  /** A relation the statement writes. */
  target(oid: number): void {
    this.targets.add(oid);
  }

  add(kind: Kind, oid: number, reached: Reached): void {
    if (!Number.isSafeInteger(oid) || oid <= 0) return;
    // Seen once per planning mode: what the planner may run is followed on its own.
    const key = `${kind}:${oid}:${reached.planTime === true}`;
    const before = this.seen.get(key);
    if (before) {
      if (reached.nonDefault && !before.nonDefault) {
        before.nonDefault = true;
        if (kind === 'fn') this.markNonDefault(oid);
      }
      return;
    }
    if (this.seen.size >= MAX_OBJECTS) {
      this.incomplete ??= `more than ${MAX_OBJECTS} objects`;
      return;
    }
    this.seen.set(key, { ...reached });
    this.pending[kind].set(oid, reached);
  }

  addTree(text: string, reached: Reached, writes: boolean): void {
    this.trees.push({ text, reached, writes });
  }

  /**
   * Follows everything pending, one round trip per level: the operators,
   * types, relations and functions found so far, and the names read from
   * text bodies, are read together in one statement.
   */
  async follow(): Promise<void> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      this.readTrees();
      const batch = this.pending;
      const names = this.pendingNames;
      if (Object.values(batch).every((m) => m.size === 0) && names.size === 0) return;
      this.pending = { fn: new Map(), op: new Map(), type: new Map(), rel: new Map() };
      this.pendingNames = new Map();
      const params: unknown[] = [];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      const part = (kind: string, work: boolean, sql: () => string) => `${work ? `(SELECT json_agg(x) FROM (${sql()}) x)` : 'NULL::json'} AS ${kind}`;
      const rels = [...batch.rel.keys()];
      const text = `SELECT ${[
        part('op', batch.op.size > 0, () => operatorsSql(param([...batch.op.keys()]))),
        part('type', batch.type.size > 0, () => typesSql(param([...batch.type.keys()]))),
        part('rel', rels.length > 0, () => {
          const written = rels.filter((o) => this.targets.has(o));
          // Planning the written tables' part costs about a millisecond; a statement that only reads skips it.
          return written.length > 0 ? relationsSql(param(rels), param(written)) : readRelationsSql(param(rels));
        }),
        part('fn', batch.fn.size > 0, () => functionsSql(param([...batch.fn.keys()]))),
        part('named', names.size > 0, () => namesSql(param([...names.keys()]))),
      ].join(',\n       ')}`;
      const { rows } = await this.tx.query<{ op: OperatorRow[] | null; type: TypeRow[] | null; rel: RelationRow[] | null; fn: FunctionRow[] | null; named: NamedRow[] | null }>(text, params);
      const found = rows[0];
      this.applyOperators(found?.op ?? [], batch.op);
      this.applyTypes(found?.type ?? [], batch.type);
      this.applyRelations(found?.rel ?? [], batch.rel);
      this.applyFunctions(found?.fn ?? [], batch.fn);
      this.applyNames(found?.named ?? [], names);
    }
    this.incomplete ??= `more than ${MAX_ROUNDS} levels of nesting`;
  }

  private readTrees(): void {
    const trees = this.trees.splice(0);
    for (const { text, reached, writes } of trees) {
      const found = objectsInTree(text);
      const writing = writes || found.modifies;
      if (reached.via === '') {
        this.modifies ||= found.modifies;
        this.locks ||= found.locks;
      }
      if (/:commandType\s+[35]\b/.test(text)) this.inserts = true;
      for (const oid of found.functions) this.add('fn', oid, reached);
      // A built-in operator's functions are built-in and none is VOLATILE (checked on 15 to 18); user operators are followed.
      for (const oid of found.operators) if (oid >= FIRST_NORMAL_OID) this.add('op', oid, reached);
      for (const oid of found.types) if (oid >= FIRST_NORMAL_OID) this.add('type', oid, reached);
      for (const oid of found.relations) {
        if (writing) this.targets.add(oid);
        this.add('rel', oid, reached);
        // A table first seen as read and then as written is read again for what writing it runs.
        if (writing && !this.readAsWritten.has(oid) && !this.pending.rel.has(oid)) this.pending.rel.set(oid, reached);
      }
    }
  }

  private applyOperators(rows: readonly OperatorRow[], batch: Map<number, Reached>): void {
    for (const r of rows) {
      const reached = batch.get(Number(r.oid));
      if (!reached) continue;
      const via = hop(`through operator ${r.name}`, reached);
      for (const f of [r.code, r.rest, r.joinsel]) this.add('fn', Number(f), via);
    }
  }

  private applyTypes(rows: readonly TypeRow[], batch: Map<number, Reached>): void {
    for (const r of rows) {
      const reached = batch.get(Number(r.oid));
      if (!reached) continue;
      const via = hop(`through type ${r.name}`, reached);
      for (const f of r.fns) this.add('fn', Number(f), via);
      if (Number(r.base) >= FIRST_NORMAL_OID) this.add('type', Number(r.base), via);
      for (const check of r.checks ?? []) this.addTree(check, hop(`through a CHECK of domain ${r.name}`, reached), false);
      if (r.dflt) this.addTree(r.dflt, hop(`through the default of domain ${r.name}`, reached), false);
    }
  }

  private applyRelations(rows: readonly RelationRow[], batch: Map<number, Reached>): void {
    for (const r of rows) {
      const oid = Number(r.oid);
      const reached = batch.get(oid);
      if (!reached) continue;
      const written = this.targets.has(oid);
      if (written) this.readAsWritten.add(oid);
      if (r.kind === 'f') {
        if (!this.foreign.some((t) => t.name === r.name && t.written === written)) this.foreign.push({ name: r.name, written, via: reached.via });
      }
      if (r.view) this.addTree(r.view, hop(`through view ${r.name}`, reached), written);
      for (const p of r.policies ?? []) this.addTree(p, hop(`through a row security policy of ${r.name}`, reached), false);
      if (!written) continue;
      const writeVia = (what: string): Reached => ({ ...hop(`${what} ${r.name}`, reached), nonDefault: true });
      for (const d of r.defaults ?? []) this.addTree(d, { ...hop(`through a column default of ${r.name}`, reached), nonDefault: false }, false);
      for (const c of r.checks ?? []) this.addTree(c, writeVia('through a CHECK constraint of'), false);
      for (const i of r.index_exprs ?? []) this.addTree(i, writeVia('through an index expression of'), false);
      for (const t of r.triggers ?? []) {
        const [name, fn] = [t.split(':').slice(1).join(':'), Number(t.split(':')[0])];
        this.add('fn', fn, writeVia(`through trigger ${name} on`));
      }
      for (const q of r.trigger_quals ?? []) this.addTree(q, writeVia('through a trigger condition on'), false);
      // A rule's actions write the tables they name.
      for (const a of r.rules ?? []) this.addTree(a, writeVia('through a rule on'), true);
      for (const seq of r.sequences ?? []) this.sequences.add(seq);
      // Columns of user types: a domain's CHECK and default run on the written value.
      for (const t of r.column_types ?? []) this.add('type', Number(t), writeVia('through a column type of'));
      for (const child of r.dependents ?? []) {
        this.targets.add(Number(child));
        this.add('rel', Number(child), writeVia('through a partition, child or cascading foreign key of'));
      }
    }
  }

  private applyFunctions(rows: readonly FunctionRow[], batch: Map<number, Reached>): void {
    for (const r of rows) {
      const oid = Number(r.oid);
      const reached = batch.get(oid);
      if (!reached) continue;
      const builtin = oid < FIRST_NORMAL_OID;
      const textBody = r.src !== null && !builtin && r.extension === null;
      const read = textBody ? namesInBody(r.src ?? '') : undefined;
      const fact: FunctionFact = {
        signature: r.signature,
        name: r.name,
        volatility: r.volatility as Volatility,
        language: r.language,
        builtin,
        ...(r.extension !== null ? { extension: r.extension } : {}),
        body: r.tree !== null ? 'tree' : read ? 'text' : 'none',
        dynamic: read?.dynamic ?? false,
        via: reached.via,
        fromDefault: !reached.nonDefault,
        planTime: reached.planTime === true,
      };
      this.functionIndex.set(oid, this.functions.length);
      this.functions.push(fact);
      // What a body calls is its own call, not the column default's: a default may take a sequence value, a body may not.
      const inside: Reached = { ...hop(`from the body of ${r.signature}`, reached), nonDefault: true, planTime: reached.planTime === true || r.volatility !== 'v' };
      for (const f of r.support ?? []) this.add('fn', Number(f), reached);
      if (builtin || r.extension !== null) continue;
      if (r.tree !== null) this.addTree(r.tree, inside, r.volatility === 'v');
      if (!read) continue;
      if (read.names.length > MAX_BODY_NAMES) this.incomplete ??= `the body of ${r.signature} names more than ${MAX_BODY_NAMES} things`;
      for (const name of read.names.slice(0, MAX_BODY_NAMES)) {
        if (!this.pendingNames.has(name)) this.pendingNames.set(name, { reached: inside, volatile: r.volatility === 'v' });
        else if (r.volatility === 'v') this.pendingNames.set(name, { reached: inside, volatile: true });
      }
    }
  }

  /** What a text body may call or write, by name: every function and table of that name, in any schema. */
  private applyNames(rows: readonly NamedRow[], names: Map<string, { reached: Reached; volatile: boolean }>): void {
    for (const r of rows) {
      const from = names.get(r.name);
      if (!from) continue;
      const oid = Number(r.oid);
      // A VOLATILE body may write any table it names; its triggers and defaults are then read too.
      if (r.kind === 'rel' && from.volatile) this.targets.add(oid);
      this.add(r.kind, oid, from.reached);
    }
  }

  private markNonDefault(oid: number): void {
    const at = this.functionIndex.get(oid);
    const fact = at === undefined ? undefined : this.functions[at];
    if (fact && at !== undefined) this.functions[at] = { ...fact, fromDefault: false };
  }
}

function hop(step: string, from: Reached): Reached {
  const via = from.via ? `${step}, ${from.via}` : step;
  return { via: via.length > 400 ? `${via.slice(0, 397)}...` : via, nonDefault: from.nonDefault, ...(from.planTime ? { planTime: true } : {}) };
}

function messageOf(e: unknown): string {
  if (e instanceof DbError) return e.message;
  return e instanceof Error ? e.message : String(e);
}

type OperatorRow = { oid: number; name: string; code: number; rest: number; joinsel: number };
type TypeRow = { oid: number; name: string; base: number; fns: number[]; checks: string[] | null; dflt: string | null };
type NamedRow = { kind: 'fn' | 'rel'; name: string; oid: number };
type RelationRow = {
  oid: number;
  name: string;
  kind: string;
  view: string | null;
  policies: string[] | null;
  defaults: string[] | null;
  checks: string[] | null;
  index_exprs: string[] | null;
  triggers: string[] | null;
  trigger_quals: string[] | null;
  rules: string[] | null;
  sequences: string[] | null;
  column_types: number[] | null;
  dependents: number[] | null;
};
type FunctionRow = {
  oid: number;
  signature: string;
  name: string;
  volatility: string;
  language: string;
  extension: string | null;
  tree: string | null;
  src: string | null;
  support: number[] | null;
};

const operatorsSql = (oids: string) => `
SELECT o.oid::int8 AS oid, pg_catalog.quote_ident(n.nspname) || '.' || o.oid::regoperator::text AS name,
       o.oprcode::oid::int8 AS code, o.oprrest::oid::int8 AS rest, o.oprjoin::oid::int8 AS joinsel
  FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace WHERE o.oid = ANY (${oids}::oid[])`;

const typesSql = (oids: string) => `
SELECT t.oid::int8 AS oid, pg_catalog.quote_ident(tn.nspname) || '.' || pg_catalog.quote_ident(t.typname) AS name, t.typbasetype::int8 AS base,
       ARRAY[t.typinput::oid, t.typoutput::oid, t.typreceive::oid, t.typsend::oid, t.typmodin::oid, t.typmodout::oid,
             COALESCE(r.rngsubdiff::oid, 0), COALESCE(r.rngcanonical::oid, 0)]::int8[] AS fns,
       (SELECT array_agg(c.conbin::text) FROM pg_catalog.pg_constraint c WHERE c.contypid = t.oid AND c.conbin IS NOT NULL) AS checks,
       t.typdefaultbin::text AS dflt
  FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace LEFT JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid
 WHERE t.oid = ANY (${oids}::oid[])`;

const namesSql = (names: string) => `
SELECT 'fn' AS kind, p.proname::text AS name, p.oid::int8 AS oid FROM pg_catalog.pg_proc p WHERE p.proname = ANY (${names}::text[])
UNION ALL
SELECT 'rel', c.relname::text, c.oid::int8 FROM pg_catalog.pg_class c WHERE c.relname = ANY (${names}::text[]) AND c.relkind IN ('r', 'p', 'v', 'f')`;

/** Relations only read: their kind, view definition and row security policies. */
const readRelationsSql = (oids: string) => `
SELECT c.oid::int8 AS oid, pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS name, c.relkind::text AS kind,
       (SELECT r.ev_action::text FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') AS view,
       CASE WHEN c.relrowsecurity THEN
         (SELECT array_agg(COALESCE(p.polqual::text, '') || ' ' || COALESCE(p.polwithcheck::text, '')) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)
       END AS policies
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
 WHERE c.oid = ANY (${oids}::oid[])`;

/** `oids`: relations to read; `written`: those of them the statement writes (their defaults, triggers, ... are read too). */
const relationsSql = (oids: string, written: string) => `
SELECT c.oid::int8 AS oid, pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(c.relname) AS name, c.relkind::text AS kind,
       (SELECT r.ev_action::text FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename = '_RETURN') AS view,
       CASE WHEN c.relrowsecurity THEN
         (SELECT array_agg(COALESCE(p.polqual::text, '') || ' ' || COALESCE(p.polwithcheck::text, '')) FROM pg_catalog.pg_policy p WHERE p.polrelid = c.oid)
       END AS policies,
       w.defaults, w.checks, w.index_exprs, w.triggers, w.trigger_quals, w.rules, w.sequences, w.column_types, w.dependents
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
  LEFT JOIN LATERAL (
    SELECT
      (SELECT array_agg(d.adbin::text) FROM pg_catalog.pg_attrdef d WHERE d.adrelid = c.oid) AS defaults,
      (SELECT array_agg(k.conbin::text) FROM pg_catalog.pg_constraint k WHERE k.conrelid = c.oid AND k.conbin IS NOT NULL) AS checks,
      (SELECT array_agg(COALESCE(i.indexprs::text, '') || ' ' || COALESCE(i.indpred::text, '')) FROM pg_catalog.pg_index i
        WHERE i.indrelid = c.oid AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)) AS index_exprs,
      (SELECT array_agg(t.tgfoid::int8 || ':' || pg_catalog.quote_ident(t.tgname)) FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D') AS triggers,
      (SELECT array_agg(t.tgqual::text) FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND t.tgenabled <> 'D' AND t.tgqual IS NOT NULL) AS trigger_quals,
      (SELECT array_agg(r.ev_action::text || ' ' || COALESCE(r.ev_qual::text, '')) FROM pg_catalog.pg_rewrite r
        WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN' AND r.ev_enabled <> 'D') AS rules,
      (SELECT array_agg(pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname)) FROM pg_catalog.pg_depend d
          JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S' JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
        WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = c.oid AND d.deptype = 'i') AS sequences,
      (SELECT array_agg(DISTINCT a.atttypid::int8) FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.atttypid >= ${FIRST_NORMAL_OID}) AS column_types,
      (SELECT array_agg(x.oid) FROM (
         SELECT i.inhrelid::int8 AS oid FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid
         UNION
         SELECT f.conrelid::int8 FROM pg_catalog.pg_constraint f
          WHERE f.contype = 'f' AND f.confrelid = c.oid AND (f.confdeltype IN ('c', 'n', 'd') OR f.confupdtype IN ('c', 'n', 'd'))
       ) x) AS dependents
     WHERE c.oid = ANY (${written}::oid[])
  ) w ON true
 WHERE c.oid = ANY (${oids}::oid[])`;

/** Built-in aggregates' support functions are built-in and none is VOLATILE (checked on 15 to 18): only user aggregates are followed. */
const functionsSql = (oids: string) => `
SELECT p.oid::int8 AS oid,
       pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS signature, p.proname AS name, p.provolatile::text AS volatility,
       l.lanname AS language,
       (SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
         WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e' LIMIT 1) AS extension,
       p.prosqlbody::text AS tree,
       CASE WHEN l.lanname IN ('sql', 'plpgsql') THEN p.prosrc END AS src,
       (SELECT ARRAY[a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid, a.aggserialfn::oid, a.aggdeserialfn::oid,
                     a.aggmtransfn::oid, a.aggminvtransfn::oid, a.aggmfinalfn::oid]::int8[]
          FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid AND p.oid >= ${FIRST_NORMAL_OID}) AS support
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE p.oid = ANY (${oids}::oid[])`;
