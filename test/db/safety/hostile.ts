/**
 * A hostile database for the safety probes: objects whose names look
 * harmless but that write, advance sequences, signal other backends, reset
 * statistics or talk to other databases, hidden in every place PostgreSQL
 * executes code from: views, user functions (SQL-standard, SQL string and
 * PL/pgSQL bodies), shadowing overloads of built-ins, operators, casts,
 * domains (CHECK and DEFAULT), column defaults, generated columns, CHECK
 * constraints, index expressions, triggers, rules, row security policies,
 * partitions, cascading foreign keys and aggregates.
 *
 * Every effect leaves a trace the probes read: a row in `trace`, a sequence
 * value of `counter`, an advisory lock, a backend gone, statistics reset.
 */

/** Objects every server can create. */
export const HOSTILE_SQL = `
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
CREATE TABLE items (id int PRIMARY KEY, name text);
INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 50) g;
CREATE TABLE trace (what text);
CREATE TABLE orders (id serial PRIMARY KEY, amount int);
CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY, v text);
CREATE SEQUENCE counter;

-- writers and sequence takers behind innocent names
CREATE FUNCTION json_evil() RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO trace VALUES ('json_evil'); RETURN 1; END $$;
CREATE FUNCTION array_bump() RETURNS bigint LANGUAGE sql AS $$ SELECT nextval('counter') $$;
CREATE FUNCTION atomic_bump() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT nextval('counter'); END;
CREATE FUNCTION stable_bump() RETURNS bigint LANGUAGE plpgsql STABLE AS $$ BEGIN RETURN nextval('counter'); END $$;
CREATE FUNCTION imm_bump(int) RETURNS int LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM nextval('counter'); RETURN $1; END $$;
CREATE FUNCTION deep_bump() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT array_bump() $$;
CREATE FUNCTION dyn() RETURNS int LANGUAGE plpgsql STABLE AS $$ DECLARE r int; BEGIN EXECUTE 'SELECT 1' INTO r; RETURN r; END $$;
CREATE FUNCTION dyn_hidden() RETURNS bigint LANGUAGE plpgsql AS $$ DECLARE r bigint; BEGIN EXECUTE 'SELECT next' || 'val(''counter'')' INTO r; RETURN r; END $$;
CREATE FUNCTION dyn_named() RETURNS bigint LANGUAGE plpgsql AS $$ DECLARE r bigint; BEGIN EXECUTE 'SELECT nextval(''counter'')' INTO r; RETURN r; END $$;
CREATE FUNCTION lock_it() RETURNS text LANGUAGE sql AS $$ SELECT pg_advisory_lock(4242)::text $$;
CREATE FUNCTION killer() RETURNS bool LANGUAGE sql AS $$ SELECT bool_or(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pgi-victim' $$;
CREATE FUNCTION calm(int) RETURNS int LANGUAGE sql STABLE AS 'SELECT $1 + 1';
CREATE FUNCTION atomic_calm(int) RETURNS int LANGUAGE sql IMMUTABLE BEGIN ATOMIC SELECT $1 * 2; END;

-- a public overload of a built-in, an operator, a cast
CREATE FUNCTION public.lower(int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN INSERT INTO trace VALUES ('lower'); RETURN 'x'; END $$;
CREATE FUNCTION op_write(int, int) RETURNS bool LANGUAGE plpgsql AS $$ BEGIN INSERT INTO trace VALUES ('op'); RETURN $1 = $2; END $$;
CREATE OPERATOR === (leftarg = int, rightarg = int, function = op_write);
CREATE FUNCTION op_bump(int, int) RETURNS bool LANGUAGE sql AS $$ SELECT nextval('counter') > 0 $$;
CREATE OPERATOR ~~~ (leftarg = int, rightarg = int, function = op_bump);
CREATE TYPE castt AS (v int);
CREATE FUNCTION to_castt(int) RETURNS castt LANGUAGE plpgsql AS $$ BEGIN INSERT INTO trace VALUES ('cast'); RETURN ROW($1)::castt; END $$;
CREATE CAST (int AS castt) WITH FUNCTION to_castt(int);

-- domains
CREATE DOMAIN checked_int AS int CHECK (json_evil() > 0);
CREATE DOMAIN bump_int AS int CHECK (stable_bump() > 0);
CREATE DOMAIN default_bump AS bigint DEFAULT stable_bump();
CREATE TABLE dom_default (id int, v default_bump);

-- views
CREATE VIEW v_calm AS SELECT id, upper(name) AS name FROM items;
CREATE VIEW v_evil AS SELECT id, json_evil() AS x FROM items;
CREATE VIEW v_nested AS SELECT * FROM v_evil;
CREATE VIEW v_kill AS SELECT killer() AS k;
CREATE VIEW v_kill2 AS SELECT pg_terminate_backend(pid) AS k FROM pg_stat_activity WHERE application_name = 'pgi-victim';
CREATE VIEW v_nested_kill AS SELECT * FROM v_kill2;
CREATE VIEW v_reset AS SELECT pg_stat_statements_reset() IS NULL AS r;
CREATE VIEW v_lock AS SELECT pg_advisory_lock(77) IS NULL AS l;

-- row security
CREATE TABLE secret (id int);
INSERT INTO secret VALUES (1);
ALTER TABLE secret ENABLE ROW LEVEL SECURITY;
ALTER TABLE secret FORCE ROW LEVEL SECURITY;
CREATE POLICY p ON secret USING (stable_bump() > 0);

-- what writing a table runs
CREATE FUNCTION trace_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO trace VALUES (TG_TABLE_NAME); RETURN NEW; END $$;
CREATE FUNCTION bump_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM nextval('counter'); RETURN NEW; END $$;
CREATE TABLE with_trigger (id int);
CREATE TRIGGER t BEFORE INSERT ON with_trigger FOR EACH ROW EXECUTE FUNCTION trace_trigger();
CREATE TABLE trig_bump (id int);
CREATE TRIGGER t BEFORE INSERT ON trig_bump FOR EACH ROW EXECUTE FUNCTION bump_trigger();
CREATE TABLE with_default (id int, v bigint DEFAULT array_bump());
CREATE TABLE idx_t (id int);
CREATE INDEX ON idx_t (imm_bump(id));
CREATE TABLE gen (a int, b int GENERATED ALWAYS AS (imm_bump(a)) STORED);
CREATE TABLE chk (id int CHECK (json_evil() > 0));
CREATE TABLE ruled (id int);
CREATE RULE r AS ON INSERT TO ruled DO ALSO INSERT INTO trace VALUES ('rule');
CREATE TABLE ruled_bump (id int);
CREATE RULE r AS ON INSERT TO ruled_bump DO ALSO SELECT nextval('counter');
CREATE TABLE parent (id int PRIMARY KEY);
INSERT INTO parent VALUES (1), (2);
CREATE TABLE child (id int, parent_id int REFERENCES parent ON DELETE CASCADE);
INSERT INTO child VALUES (1, 1);
CREATE TRIGGER t BEFORE DELETE ON child FOR EACH ROW EXECUTE FUNCTION bump_trigger();
CREATE TABLE parted (id int) PARTITION BY RANGE (id);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (100);
CREATE TRIGGER t BEFORE INSERT ON parted_1 FOR EACH ROW EXECUTE FUNCTION bump_trigger();

-- aggregates
CREATE FUNCTION evil_sfunc(int, int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN INSERT INTO trace VALUES ('agg'); RETURN coalesce($1, 0) + $2; END $$;
CREATE AGGREGATE evil_sum(int) (sfunc = evil_sfunc, stype = int);
CREATE FUNCTION bump_sfunc(int, int) RETURNS int LANGUAGE sql IMMUTABLE AS $$ SELECT (coalesce($1, 0) + $2 + nextval('counter') * 0)::int $$;
CREATE AGGREGATE bump_sum(int) (sfunc = bump_sfunc, stype = int);
`;

/** Objects that need dblink (contrib), created when the server has it. */
export const DBLINK_SQL = `
CREATE EXTENSION dblink;
CREATE FUNCTION remote_delete() RETURNS text LANGUAGE sql AS $$ SELECT dblink_exec('dbname=' || current_database(), 'DELETE FROM items WHERE id = 1') $$;
CREATE FUNCTION dblink_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM dblink_exec('dbname=' || current_database(), 'DELETE FROM items WHERE id = 2'); RETURN NEW; END $$;
CREATE TABLE trig_dblink (id int);
CREATE TRIGGER t BEFORE INSERT ON trig_dblink FOR EACH ROW EXECUTE FUNCTION dblink_trigger();
`;

export type Verdict = 'read' | 'write' | 'refuse';

export interface Probe {
  readonly sql: string;
  readonly verdict: Verdict;
  /** What the reason or the confirmation must name. */
  readonly names?: RegExp;
  readonly params?: readonly unknown[];
  /** Runs only where dblink exists. */
  readonly dblink?: boolean;
  /** Effects that stay after the rollback, named in the confirmation. */
  readonly kept?: RegExp;
  /**
   * A documented limit: SQL a function builds at run time cannot be read, so
   * the statement is asked about as writing; the probe checks the question
   * says so and declines (run, it would take a sequence value).
   */
  readonly decline?: boolean;
}

export const PROBES: readonly Probe[] = [
  // reads: no question, READ ONLY
  { sql: 'SELECT 1', verdict: 'read' },
  { sql: 'SELECT * FROM items WHERE id = 3', verdict: 'read' },
  { sql: 'SELECT count(*) FROM items', verdict: 'read' },
  { sql: 'SELECT lower(name), upper(name) FROM items', verdict: 'read' },
  { sql: "SELECT pg_catalog.lower('A')", verdict: 'read' },
  { sql: "SELECT lower('A')", verdict: 'read' },
  { sql: 'SELECT * FROM v_calm', verdict: 'read' },
  { sql: 'SELECT now(), random(), clock_timestamp()', verdict: 'read' },
  { sql: 'SELECT gen_random_uuid()', verdict: 'read' },
  { sql: 'SELECT calm(1)', verdict: 'read' },
  { sql: 'SELECT atomic_calm(2)', verdict: 'read' },
  { sql: "SELECT 'a; DELETE FROM items' AS s", verdict: 'read' },
  { sql: 'SELECT id FROM items ORDER BY name LIMIT 5', verdict: 'read' },
  { sql: 'WITH t AS (SELECT id FROM items) SELECT count(*) FROM t', verdict: 'read' },
  { sql: "SELECT '{1,2}'::int[] @> ARRAY[1], 1 = 1", verdict: 'read' },
  { sql: "SELECT pg_relation_size('items')", verdict: 'read' },
  { sql: "SELECT has_table_privilege('items', 'SELECT')", verdict: 'read' },
  { sql: 'SELECT * FROM items i JOIN items j USING (id) WHERE i.id = $1', verdict: 'read', params: ['3'] },
  { sql: "SELECT '\\' AS a, '; DELETE FROM items; --' AS b", verdict: 'read' },
  { sql: 'SELECT pg_sleep(0)', verdict: 'read' },
  { sql: 'SELECT sum(id) OVER (ORDER BY id) FROM items', verdict: 'read' },
  // writes: asked, rolled back, nothing kept
  { sql: 'SELECT json_evil()', verdict: 'write', names: /public\.json_evil\(\), a VOLATILE user function/ },
  { sql: 'SELECT lower(5)', verdict: 'write', names: /public\.lower\(integer\)/ },
  { sql: 'SELECT 1 === 2', verdict: 'write', names: /public\.op_write\(integer, integer\), a VOLATILE user function/ },
  { sql: 'SELECT 1::castt', verdict: 'write', names: /public\.to_castt\(integer\)/ },
  { sql: 'SELECT 5::checked_int', verdict: 'write', names: /json_evil.*CHECK of domain public\.checked_int/ },
  { sql: 'SELECT * FROM v_evil', verdict: 'write', names: /json_evil\(\) through view public\.v_evil/ },
  { sql: 'SELECT * FROM v_nested', verdict: 'write', names: /through view public\.v_evil, through view public\.v_nested/ },
  { sql: 'SELECT * FROM json_evil()', verdict: 'write', names: /json_evil/ },
  { sql: 'SELECT dyn()', verdict: 'write', names: /runs SQL it builds at run time/ },
  { sql: 'SELECT dyn_hidden()', verdict: 'write', names: /public\.dyn_hidden\(\), a VOLATILE user function that runs SQL it builds at run time/, decline: true },
  { sql: 'SELECT evil_sum(id) FROM items', verdict: 'write', names: /public\.evil_sfunc\(integer, integer\)/ },
  { sql: 'SELECT json_evil() FROM items WHERE id = $1', verdict: 'write', params: ['4'], names: /json_evil/ },
  { sql: 'DELETE FROM items WHERE id = 1', verdict: 'write' },
  { sql: "UPDATE items SET name = 'z' WHERE id = 2", verdict: 'write' },
  { sql: "INSERT INTO items VALUES (1000, 'x')", verdict: 'write' },
  { sql: 'INSERT INTO with_trigger VALUES (1)', verdict: 'write', names: /trace_trigger\(\).*through trigger t on public\.with_trigger/ },
  { sql: 'INSERT INTO ruled VALUES (1)', verdict: 'write' },
  { sql: 'INSERT INTO chk VALUES (1)', verdict: 'write', names: /json_evil.*CHECK constraint of public\.chk/ },
  { sql: 'SELECT * FROM items FOR UPDATE', verdict: 'write' },
  { sql: 'WITH d AS (DELETE FROM items WHERE id = 5 RETURNING *) SELECT count(*) FROM d', verdict: 'write' },
  { sql: 'INSERT INTO orders (amount) VALUES (1)', verdict: 'write', kept: /sequence through a column default of public\.orders/ },
  { sql: "INSERT INTO ident (v) VALUES ('x')", verdict: 'write', kept: /identity sequence public\.ident_id_seq/ },
  { sql: "MERGE INTO items t USING (SELECT 3 AS id) s ON t.id = s.id WHEN MATCHED THEN UPDATE SET name = 'm'", verdict: 'write' },
  { sql: 'SELECT pg_advisory_xact_lock(5)', verdict: 'write', names: /pg_advisory_xact_lock/ },
  { sql: 'SELECT lo_create(0)', verdict: 'write', names: /lo_create/ },
  // refused before they run, wherever the effect hides
  { sql: "SELECT nextval('counter')", verdict: 'refuse', names: /nextval/ },
  { sql: 'SELECT array_bump()', verdict: 'refuse', names: /nextval.*from the body of public\.array_bump\(\)/ },
  { sql: 'SELECT atomic_bump()', verdict: 'refuse', names: /nextval.*from the body of public\.atomic_bump\(\)/ },
  { sql: 'SELECT stable_bump()', verdict: 'refuse', names: /nextval.*public\.stable_bump\(\)/ },
  { sql: 'SELECT deep_bump()', verdict: 'refuse', names: /nextval.*array_bump.*deep_bump/ },
  { sql: 'SELECT * FROM v_kill', verdict: 'refuse', names: /pg_terminate_backend.*killer.*through view public\.v_kill/ },
  { sql: 'SELECT * FROM v_kill2', verdict: 'refuse', names: /pg_terminate_backend.*through view public\.v_kill2/ },
  { sql: 'SELECT * FROM v_nested_kill', verdict: 'refuse', names: /pg_terminate_backend/ },
  { sql: 'SELECT * FROM v_reset', verdict: 'refuse', names: /pg_stat_statements_reset/ },
  { sql: 'SELECT * FROM v_lock', verdict: 'refuse', names: /pg_advisory_lock/ },
  { sql: 'SELECT lock_it()', verdict: 'refuse', names: /pg_advisory_lock.*lock_it/ },
  { sql: 'SELECT 1 ~~~ 2', verdict: 'refuse', names: /nextval.*from the body of public\.op_bump\(integer, integer\)/ },
  { sql: 'SELECT 5::bump_int', verdict: 'refuse', names: /nextval.*domain public\.bump_int/ },
  { sql: 'SELECT * FROM secret', verdict: 'refuse', names: /nextval.*row security policy of public\.secret/ },
  { sql: 'INSERT INTO with_default (id) VALUES (1)', verdict: 'refuse', names: /nextval.*array_bump.*column default of public\.with_default/ },
  { sql: 'INSERT INTO trig_bump VALUES (1)', verdict: 'refuse', names: /nextval.*bump_trigger.*trigger t on public\.trig_bump/ },
  { sql: 'INSERT INTO idx_t VALUES (1)', verdict: 'refuse', names: /nextval.*imm_bump.*index expression of public\.idx_t/ },
  { sql: 'INSERT INTO gen (a) VALUES (1)', verdict: 'refuse', names: /nextval.*imm_bump/ },
  { sql: 'DELETE FROM parent WHERE id = 1', verdict: 'refuse', names: /nextval.*bump_trigger.*public\.child/ },
  { sql: 'INSERT INTO parted VALUES (1)', verdict: 'refuse', names: /nextval.*bump_trigger.*public\.parted_1/ },
  { sql: 'INSERT INTO ruled_bump VALUES (1)', verdict: 'refuse', names: /nextval.*rule on public\.ruled_bump/ },
  { sql: 'SELECT dyn_named()', verdict: 'refuse', names: /nextval.*dyn_named/ },
  { sql: 'INSERT INTO dom_default (id) VALUES (1)', verdict: 'refuse', names: /nextval.*stable_bump.*default_bump/ },
  { sql: 'SELECT bump_sum(id) FROM items', verdict: 'refuse', names: /nextval.*bump_sfunc/ },
  { sql: "SELECT dblink_exec('dbname=postgres', 'SELECT 1')", verdict: 'refuse', names: /dblink/ },
  { sql: 'SELECT pg_stat_reset()', verdict: 'refuse', names: /resets statistics/ },
  { sql: "SELECT pg_logical_emit_message(false, 'x', 'y')", verdict: 'refuse', names: /write-ahead log/ },
  { sql: "SELECT lo_import('/etc/hostname')", verdict: 'refuse', names: /file/ },
  { sql: "SELECT set_config('work_mem', '1GB', false)", verdict: 'refuse', names: /setting/ },
  { sql: 'SELECT 1; DELETE FROM items', verdict: 'refuse', names: /2 statements/ },
  { sql: 'SELECT remote_delete()', verdict: 'refuse', dblink: true, names: /dblink_exec.*remote_delete/ },
  { sql: 'INSERT INTO trig_dblink VALUES (1)', verdict: 'refuse', dblink: true, names: /dblink_exec.*dblink_trigger.*trigger t on public\.trig_dblink/ },
];
