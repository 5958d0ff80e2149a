import assert from 'node:assert/strict';
import { objectsInTree } from '../../../src/core/sql/nodeTree';
import { namesInBody } from '../../../src/core/sql/bodyNames';
import { judgeEffects, planTimeRefusals, type EffectFacts, type FunctionFact } from '../../../src/core/sql/effects';
import { combineSafety, functionRules } from '../../../src/core/sql/safety';
import { confirmationText } from '../../../src/explain/confirmation';
import { loadSqlParser, parseSql } from '../../../src/core/sql/parser';
import { namesInStatement } from '../../../src/core/sql/statementNames';

/** A stored tree as PostgreSQL 18 writes it (abridged): a view, an operator, a window function, a domain cast, a row lock. */
const TREE =
  '({QUERY :commandType 1 :querySource 0 :resultRelation 0 :rtable ({RANGETBLENTRY :alias <> :eref {ALIAS :aliasname v_orders :colnames ("id" "x")} ' +
  ':rtekind 0 :relid 16399 :inh true :relkind v}) :rteperminfos ({RTEPERMISSIONINFO :relid 16399 :requiredPerms 2}) ' +
  ':jointree {FROMEXPR :quals {OPEXPR :opno 16398 :opfuncid 16397 :opresulttype 16 :args ({VAR :varno 1 :vartype 23 :varreturningtype 0} ' +
  '{PARAM :paramkind 0 :paramid 1 :paramtype 23})}} :targetList ({TARGETENTRY :expr {WINDOWFUNC :winfnoid 2803 :wintype 20}} ' +
  '{TARGETENTRY :expr {COERCETODOMAIN :arg {CONST :consttype 23 :constvalue 4 [ 5 0 0 0 0 0 0 0 ]} :resulttype 16410}} ' +
  '{TARGETENTRY :expr {ROWCOMPAREEXPR :cmptype 1 :opnos (o 97 16500) :opfamilies (o 1976 1976)}}) :rowMarks ({ROWMARKCLAUSE :rti 1})' +
  ' {TABLESAMPLECLAUSE :tsmhandler 16600 :args <>})';

describe('sql: objects read from a stored tree', () => {
  const found = objectsInTree(TREE);
  it('finds functions, operators, types and relations by their fields', () => {
    assert.deepEqual([...found.functions].sort(), [16397, 16600, 2803], 'a user TABLESAMPLE method too');
    assert.deepEqual([...found.operators].sort(), [16398, 16500, 97]);
    assert.ok(found.types.has(16410), 'the domain a constant is coerced to');
    assert.ok(found.types.has(23) && found.types.has(20) && found.types.has(16));
    assert.ok(!found.types.has(0), 'InvalidOid is no object');
    assert.deepEqual([...found.relations], [16399]);
  });
  it('tells reads from writes and locks', () => {
    assert.equal(found.modifies, false);
    assert.equal(found.locks, true);
    assert.equal(objectsInTree('({QUERY :commandType 3 :resultRelation 1})').modifies, true);
    assert.equal(objectsInTree('({QUERY :commandType 5 :resultRelation 1})').modifies, true, 'MERGE');
    assert.equal(objectsInTree('({QUERY :commandType 1 :rowMarks <>})').locks, false);
  });
  it('an empty or foreign text yields nothing', () => {
    const none = objectsInTree('');
    assert.equal(none.functions.size + none.operators.size + none.types.size + none.relations.size, 0);
  });
});

describe('sql: names a text body may call', () => {
  it('reads words, also inside strings that EXECUTE runs', () => {
    const body = namesInBody(`DECLARE r bigint; BEGIN EXECUTE 'SELECT nextval(''counter'')' INTO r; PERFORM "Audit"(1); RETURN r; END`);
    assert.ok(body.names.includes('nextval'));
    assert.ok(body.names.includes('counter'));
    assert.ok(body.names.includes('Audit'), 'a quoted name keeps its case');
    assert.ok(!body.names.includes('begin') && !body.names.includes('return'), 'keywords are left out');
    assert.equal(body.dynamic, true);
  });
  it('a body without EXECUTE is not dynamic', () => {
    assert.equal(namesInBody('SELECT $1 + 1').dynamic, false);
  });
});

const fn = (over: Partial<FunctionFact>): FunctionFact => ({
  signature: 'pg_catalog.lower(text)',
  name: 'lower',
  volatility: 'i',
  language: 'internal',
  builtin: true,
  body: 'none',
  dynamic: false,
  via: '',
  fromDefault: false,
  planTime: false,
  ...over,
});
const facts = (over: Partial<EffectFacts>): EffectFacts => ({ functions: [], foreignTables: [], sequences: [], modifies: false, locks: false, ...over });

describe('sql: the verdict from what the catalog showed', () => {
  it('built-in IMMUTABLE and STABLE functions, and harmless VOLATILE ones, read', () => {
    const v = judgeEffects(facts({ functions: [fn({}), fn({ name: 'now', volatility: 's' }), fn({ name: 'random', volatility: 'v' })] }), functionRules);
    assert.equal(v.verdict, 'read');
  });
  it('a VOLATILE user function writes, named with the path that reached it', () => {
    const v = judgeEffects(facts({ functions: [fn({ signature: 'public.audit_log()', name: 'audit_log', builtin: false, language: 'plpgsql', volatility: 'v', body: 'text', via: 'through view public.v_orders' })] }), functionRules);
    assert.equal(v.verdict, 'write');
    assert.match(v.findings[0] ?? '', /calls public\.audit_log\(\) through view public\.v_orders, a VOLATILE user function/);
  });
  it('a user function whose body cannot be read may write, whatever it declares', () => {
    const v = judgeEffects(facts({ functions: [fn({ signature: 'public.f()', name: 'f', builtin: false, language: 'plpython3u', volatility: 'i' })] }), functionRules);
    assert.equal(v.verdict, 'write');
    assert.match(v.findings[0] ?? '', /plpython3u, whose body PG Insight cannot read/);
  });
  it('a STABLE user function with a readable body reads; with EXECUTE it may write', () => {
    const calm = fn({ signature: 'public.calm(integer)', name: 'calm', builtin: false, language: 'sql', volatility: 's', body: 'text' });
    assert.equal(judgeEffects(facts({ functions: [calm] }), functionRules).verdict, 'read');
    assert.equal(judgeEffects(facts({ functions: [{ ...calm, dynamic: true }] }), functionRules).verdict, 'write');
  });
  it('a refused built-in anywhere refuses, also behind a user name', () => {
    const v = judgeEffects(facts({ functions: [fn({ signature: 'pg_catalog.nextval(regclass)', name: 'nextval', volatility: 'v', via: 'from the body of public.json_evil()' })] }), functionRules);
    assert.equal(v.verdict, 'refuse');
    assert.match(v.findings[0] ?? '', /nextval\(regclass\) from the body of public\.json_evil\(\), which advances a sequence/);
  });
  it('a user function named like a refused built-in is judged as a user function, not by its name', () => {
    const v = judgeEffects(facts({ functions: [fn({ signature: 'public.nextval(text)', name: 'nextval', builtin: false, language: 'sql', volatility: 's', body: 'text' })] }), functionRules);
    assert.equal(v.verdict, 'read');
  });
  it("a serial column's default takes a sequence value: a write that says so, not a refusal", () => {
    const v = judgeEffects(facts({ modifies: true, functions: [fn({ signature: 'pg_catalog.nextval(regclass)', name: 'nextval', volatility: 'v', via: 'through a column default of public.orders', fromDefault: true })] }), functionRules);
    assert.equal(v.verdict, 'write');
    assert.deepEqual(v.kept, ['values taken from a sequence through a column default of public.orders (a rollback does not give them back)']);
  });
  it('foreign tables: read is a write, written is refused', () => {
    assert.equal(judgeEffects(facts({ foreignTables: [{ name: 'public.remote', written: false, via: '' }] }), functionRules).verdict, 'write');
    assert.equal(judgeEffects(facts({ foreignTables: [{ name: 'public.remote', written: true, via: '' }] }), functionRules).verdict, 'refuse');
  });
  it('what could not be followed counts as writing', () => {
    const v = judgeEffects(facts({ incomplete: 'more than 40 levels of nesting' }), functionRules);
    assert.equal(v.verdict, 'write');
    assert.match(v.findings[0] ?? '', /40 levels/);
  });
  it('overloads named in a body are said once per name and path; long lists are counted', () => {
    const many = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => fn({ signature: `public.${n}()`, name: n, builtin: false, language: 'plpgsql', volatility: 'v', body: 'text' }));
    const twice = [fn({ signature: 'public.dblink_exec(text)', name: 'dblink_exec', builtin: false, extension: 'dblink', volatility: 'v' }), fn({ signature: 'public.dblink_exec(text, text)', name: 'dblink_exec', builtin: false, extension: 'dblink', volatility: 'v' })];
    assert.equal(judgeEffects(facts({ functions: twice }), functionRules).findings.length, 1);
    const v = judgeEffects(facts({ functions: many }), functionRules);
    assert.equal(v.findings.length, 5);
    assert.equal(v.findings.at(-1), 'and 2 more');
  });
});

describe('sql: what even plain EXPLAIN may run', () => {
  it('a refused function behind an IMMUTABLE or STABLE user function is run by the planner', () => {
    const lying = fn({ signature: 'pg_catalog.nextval(regclass)', name: 'nextval', volatility: 'v', via: 'from the body of public.imm_bump(integer)', planTime: true });
    assert.match(planTimeRefusals(facts({ functions: [lying] }), functionRules)[0] ?? '', /nextval\(regclass\) from the body of public\.imm_bump/);
  });
  it('a refused function called directly or from a VOLATILE body is not planned, only run', () => {
    const direct = fn({ signature: 'pg_catalog.nextval(regclass)', name: 'nextval', volatility: 'v' });
    assert.deepEqual(planTimeRefusals(facts({ functions: [direct] }), functionRules), []);
  });
});

describe('sql: the text verdict joined with the catalog verdict', () => {
  const select = { statementType: 'SELECT', verdict: 'write' as const, reason: 'The statement calls calm(), which is not known to be free of side effects; x.', namesOnly: true };
  it('the catalog clears a function the text only knew by name', () => {
    assert.equal(combineSafety(select, { verdict: 'read', findings: [], kept: [] }).verdict, 'read');
  });
  it('a data change stays a write even when the catalog saw nothing else', () => {
    const del = { statementType: 'DELETE', verdict: 'write' as const, reason: 'DELETE changes rows.' };
    const joined = combineSafety(del, { verdict: 'read', findings: [], kept: [] });
    assert.equal(joined.verdict, 'write');
    assert.equal(joined.reason, 'DELETE changes rows.');
  });
  it('the catalog can refuse what the text let through', () => {
    const joined = combineSafety({ statementType: 'SELECT', verdict: 'read' }, { verdict: 'refuse', findings: ['calls pg_catalog.pg_terminate_backend(integer, bigint) through view public.v, which signals another server process'], kept: [] });
    assert.equal(joined.verdict, 'refuse');
    assert.match(joined.reason ?? '', /^it calls pg_catalog\.pg_terminate_backend/);
  });
});

describe('explain: the question before a writing run', () => {
  it('names what the catalog found and what the rollback keeps', () => {
    const t = confirmationText({
      statementType: 'INSERT',
      verdict: 'write',
      reason: 'INSERT changes rows; with ANALYZE it runs inside a transaction that is always rolled back.',
      findings: ['calls public.audit() through trigger t on public.orders, a VOLATILE user function'],
      kept: ['values taken from a sequence through a column default of public.orders (a rollback does not give them back)'],
    });
    assert.match(t.message, /runs this INSERT for real/);
    assert.match(t.detail, /• calls public\.audit\(\) through trigger t on public\.orders/);
    assert.match(t.detail, /Not undone by the rollback:\n• values taken from a sequence/);
    assert.doesNotMatch(t.detail, /undoes its changes/, 'it does not promise that nothing is kept');
  });
  it('without kept effects it says the rollback undoes the changes', () => {
    const t = confirmationText({ statementType: 'DELETE', verdict: 'write', reason: 'DELETE changes rows.' });
    assert.match(t.detail, /The rollback undoes its changes/);
  });
});

describe('sql: the names a statement uses, for reading it by name', () => {
  before(() => loadSqlParser());
  const names = (sql: string) => {
    const parsed = parseSql(sql);
    assert.ok(parsed.ok && parsed.statements[0]);
    return namesInStatement(parsed.statements[0].node);
  };
  it('finds functions, casts, relations and operators, also in typed fields the parser does not wrap', () => {
    const n = names("INSERT INTO app.orders (id) SELECT lower(x)::my_domain FROM v_orders o WHERE o.a === 2 AND o.b BETWEEN 1 AND 3 AND o.c IN (SELECT pg_catalog.nextval('s'))");
    assert.deepEqual(n.functions.map((f) => `${f.schema}.${f.name}`).sort(), ['.lower', 'pg_catalog.nextval']);
    assert.deepEqual(n.types.map((t) => t.name), ['my_domain']);
    assert.deepEqual(n.relations.map((r) => `${r.schema}.${r.name}`).sort(), ['.v_orders', 'app.orders']);
    assert.ok(n.operators.includes('==='));
    assert.ok(n.operators.includes('>=') && n.operators.includes('<='), 'BETWEEN and sorting compare without spelling an operator');
  });
});
