/**
 * The verdict on what a statement will execute, from the facts the catalog
 * gave (src/db/statementEffects.ts reads them): every function PostgreSQL
 * resolved for it, through operators, casts, domains, views, policies,
 * column defaults, constraints, triggers and rules, each with the path that
 * reached it.
 *
 *  - 'refuse': something it executes has effects a rollback cannot undo
 *    (sequences, dblink, signals to other backends, statistics resets, files,
 *    session advisory locks), or it writes a foreign table.
 *  - 'write': it changes rows, locks rows, or executes something not known
 *    to be free of side effects (a VOLATILE function, a function whose body
 *    PG Insight cannot read, a foreign table); it runs only rolled back,
 *    after confirmation, never on production or read-only connections.
 *  - 'read': everything it executes is a built-in or extension function that
 *    is IMMUTABLE or STABLE (or known to be harmless), or a user function
 *    that is IMMUTABLE or STABLE whose body was read and holds nothing else.
 */

export type Volatility = 'i' | 's' | 'v';

export interface FunctionFact {
  /** e.g. `public.audit_log()`, `pg_catalog.lower(text)`. */
  readonly signature: string;
  readonly name: string;
  readonly volatility: Volatility;
  /** Language name: internal, c, sql, plpgsql, plpython3u, ... */
  readonly language: string;
  /** Part of PostgreSQL itself (OID below 16384). */
  readonly builtin: boolean;
  /** The extension the function belongs to, if any. */
  readonly extension?: string;
  /** How PG Insight saw the body: 'tree' (SQL-standard body, followed), 'text' (names read from it), 'none'. */
  readonly body: 'tree' | 'text' | 'none';
  /** The text body runs SQL it builds at run time (EXECUTE). */
  readonly dynamic: boolean;
  /** How the statement reaches it, e.g. "through view public.v_orders". Empty when called directly. */
  readonly via: string;
  /** Reached only through a column default or identity of a table the statement writes. */
  readonly fromDefault: boolean;
  /** Reached from the body of an IMMUTABLE or STABLE user function: the planner may run it, even for plain EXPLAIN. */
  readonly planTime: boolean;
}

export interface ForeignTableFact {
  readonly name: string;
  readonly written: boolean;
  readonly via: string;
}

export interface EffectFacts {
  readonly functions: readonly FunctionFact[];
  readonly foreignTables: readonly ForeignTableFact[];
  /** Sequences of identity columns of the written tables, qualified (serial columns show as defaults calling nextval). */
  readonly sequences: readonly string[];
  /** Some rows or locks are changed (a data-changing query, FOR UPDATE). */
  readonly modifies: boolean;
  readonly locks: boolean;
  /** Why the reading stopped before it saw everything, if it did. */
  readonly incomplete?: string;
}

export interface EffectVerdict {
  readonly verdict: 'read' | 'write' | 'refuse';
  /** Sentences naming what was found, most serious first. */
  readonly findings: readonly string[];
  /** Effects that stay after the rollback, for the confirmation (e.g. sequence values taken). */
  readonly kept: readonly string[];
}

export interface FunctionRules {
  /** Why a function may never run under ANALYZE, by name, or undefined. */
  refusalOf(name: string): string | undefined;
  /** VOLATILE only because its result varies. */
  isHarmlessVolatile(name: string): boolean;
}

const volatilityWord: Record<Volatility, string> = { i: 'IMMUTABLE', s: 'STABLE', v: 'VOLATILE' };

/** At most this many findings are spelled out; the rest are counted. */
const SHOWN = 4;

export function judgeEffects(facts: EffectFacts, rules: FunctionRules): EffectVerdict {
  const refusals: string[] = [];
  const writes: string[] = [];
  const kept: string[] = [];
  const where = (via: string) => (via ? ` ${via}` : '');
  // Overloads named in a body are all looked up; one line per name and path says enough.
  const said = new Set<string>();

  for (const f of facts.functions) {
    const key = `${f.signature.replace(/\(.*$/, '')}|${f.via}`;
    if (said.has(key)) continue;
    const refusal = f.builtin || f.extension !== undefined ? rules.refusalOf(f.name) : undefined;
    if (refusal) {
      if (f.fromDefault && f.builtin && f.name === 'nextval') {
        // A serial column's default: the value is taken for good, which the confirmation says.
        kept.push(`values taken from a sequence${where(f.via)} (a rollback does not give them back)`);
        said.add(key);
        continue;
      }
      refusals.push(`calls ${f.signature}${where(f.via)}, which ${refusal}`);
      said.add(key);
      continue;
    }
    const concern = functionConcern(f, rules);
    if (concern) {
      writes.push(`calls ${f.signature}${where(f.via)}, ${concern}`);
      said.add(key);
    }
  }
  for (const t of facts.foreignTables) {
    if (t.written) refusals.push(`writes foreign table ${t.name}${where(t.via)}, on another server that this rollback does not reach`);
    else writes.push(`reads foreign table ${t.name}${where(t.via)} through its foreign-data wrapper, which runs on another server`);
  }
  for (const s of facts.sequences) kept.push(`values taken from identity sequence ${s} (a rollback does not give them back)`);
  if (facts.incomplete) writes.push(`could not be followed to the end (${facts.incomplete})`);

  const keptOnce = [...new Set(kept)];
  if (refusals.length > 0) return { verdict: 'refuse', findings: summarize(refusals), kept: keptOnce };
  if (writes.length > 0 || facts.modifies || facts.locks || keptOnce.length > 0) return { verdict: 'write', findings: summarize(writes), kept: keptOnce };
  return { verdict: 'read', findings: [], kept };
}

/** Why calling the function may change something, or undefined when it cannot. */
function functionConcern(f: FunctionFact, rules: FunctionRules): string | undefined {
  const volatility = volatilityWord[f.volatility];
  if (f.builtin || f.extension !== undefined) {
    if (f.volatility !== 'v' || rules.isHarmlessVolatile(f.name)) return undefined;
    return f.builtin ? `a ${volatility} built-in function` : `a ${volatility} function of extension ${f.extension ?? ''}`;
  }
  if (f.body === 'none') return `a user function written in ${f.language}, whose body PG Insight cannot read (${volatility})`;
  if (f.dynamic) return `a ${volatility} user function that runs SQL it builds at run time (EXECUTE)`;
  if (f.volatility === 'v') return `a ${volatility} user function`;
  return undefined;
}

function summarize(lines: readonly string[]): string[] {
  const unique = [...new Set(lines)];
  if (unique.length <= SHOWN) return unique;
  return [...unique.slice(0, SHOWN), `and ${unique.length - SHOWN} more`];
}

/**
 * Effects a rollback cannot undo that even plain EXPLAIN may cause: the
 * planner evaluates IMMUTABLE functions with constant arguments, and STABLE
 * ones for its estimates, so a user function that claims either and reaches
 * a refused function acts while the statement is only planned.
 */
export function planTimeRefusals(facts: EffectFacts, rules: FunctionRules): string[] {
  const out = new Set<string>();
  for (const f of facts.functions) {
    if (!f.planTime || !(f.builtin || f.extension !== undefined)) continue;
    const refusal = rules.refusalOf(f.name);
    if (refusal) out.add(`calls ${f.signature}${f.via ? ` ${f.via}` : ''}, which ${refusal}`);
  }
  return summarize([...out]);
}
