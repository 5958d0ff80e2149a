/**
 * The database APIs PG Insight recognises in application code, as data.
 * Each entry says how to spot a call (a method on a receiver that looks like
 * a client, a builder chain, a tagged template), where its SQL is, whether it
 * fetches many keys at once (batch), and how to batch it in that library.
 * The matcher (`queryMatcher.ts`) interprets these patterns; rules and
 * quick fixes read `library` and `batchHint`. Entries are tried in order, so
 * more specific ones come first.
 */
import type { CodeLanguage, QueryEffect } from './types';

const ES: readonly CodeLanguage[] = ['typescript', 'tsx', 'javascript'];
const PY: readonly CodeLanguage[] = ['python'];
const GO: readonly CodeLanguage[] = ['go'];
const RB: readonly CodeLanguage[] = ['ruby'];

/** Receivers that hold a connection, pool or transaction in most code bases. */
const SQL_CLIENT = /(^|[._@])(client|pool|db|pg|pgClient|pgPool|conn|connection|tx|trx|database|transaction|querier|dataSource|queryRunner|sql)$/i;
const JS_DB = /(^|[._])(db|tx|trx|database|drizzle|kysely|conn)$/i;

export type CallPattern =
  /**
   * A call of one of `methods`. `receiver` must match the name just before it
   * (the previous link or the chain base); with `modelHop`, one property (the
   * model, as in `prisma.user.findMany`) sits in between. `sqlEvidence`
   * accepts any receiver when the SQL argument is a literal that reads as SQL.
   */
  | {
      readonly type: 'method';
      readonly methods: readonly string[];
      readonly receiver?: RegExp;
      readonly modelHop?: boolean;
      /** The receiver is a class (capitalised), e.g. `User.findAll()`; `except` lists well-known non-model classes. */
      readonly constantReceiver?: { readonly except: RegExp };
      readonly sqlEvidence?: boolean;
      /** The SQL argument must be a tagged template or a `sql`-like helper call (slonik). */
      readonly taggedSql?: boolean;
      /** The receiver chain must contain one of these calls earlier (`getRepository(User).find`). */
      readonly after?: readonly string[];
      /**
       * The receiver is a record a model query returned: a loop variable over `User.findAll(…)`
       * (the class must then be a workspace model).
       */
      readonly record?: boolean;
    }
  /** A tagged template that runs by itself: postgres.js sql`…`. */
  | { readonly type: 'tag'; readonly tag: RegExp }
  /**
   * A builder chain: starts at a base (or a direct call) named like `root`, contains a
   * link from `contains`, and — when `terminals` is given — ends its evaluation with one
   * of them; otherwise the whole awaited chain is the query.
   */
  | {
      readonly type: 'chain';
      readonly root: RegExp;
      /** The chain starts with a direct call of the root (`knex('users')`). */
      readonly rootCall?: boolean;
      readonly contains?: readonly string[];
      readonly terminals?: readonly string[];
      /** A property link the chain must go through, e.g. Django's `objects`. */
      readonly via?: RegExp;
      /** Only links from this set may follow the root, for lazy collections. */
      readonly onlyLinks?: ReadonlySet<string>;
      /** Base must be capitalised (a model class) unless it matches `except`. */
      readonly constantRoot?: { readonly except: RegExp };
      /** The root is also recognised by its declared type (`s *xorm.Session`), whatever its name. */
      readonly rootType?: RegExp;
    };

export interface QueryApi {
  readonly id: string;
  readonly library: string;
  readonly languages: readonly CodeLanguage[];
  readonly pattern: CallPattern;
  readonly kind: 'raw-sql' | 'orm';
  /** Argument holding the SQL (raw-sql); `skipContext` skips a leading `ctx` (Go). */
  readonly sql?: { readonly arg: number; readonly skipContext?: boolean };
  /** Placeholder style of the SQL; `any` lets the normaliser recognise every style. */
  readonly placeholders?: 'dollar' | 'question' | 'pyformat' | 'any';
  /** Batch when always a bulk API, for bulk `methods`, or when a marker matches the call's SQL or arguments. */
  readonly batch?: { readonly always?: boolean; readonly methods?: readonly string[]; readonly markers?: readonly RegExp[] };
  /** `lazy`: builds a query without running it (Django QuerySet, ActiveRecord relation); iteration runs it. */
  readonly effect?: QueryEffect | 'lazy';
  /** Not this API when the first argument matches (GraphQL `client.query({ query })`, `session.get(url)`). */
  readonly unlessFirstArg?: RegExp;
  /** Only this API when the call's arguments match: `save(update_fields=[…])` is Django's alone. */
  readonly onlyIfArgs?: RegExp;
  /**
   * The receiver is a class that must be shown to be an ORM model by the workspace (its class
   * declarations), or the call is no query: a PascalCase name alone proves nothing (`MathBN.sum`).
   */
  readonly requiresModel?: boolean;
  /**
   * A chain whose first link is not one of these (`Spree.deprecator.behavior.first`, a custom scope)
   * counts only when its root class is a model of the workspace.
   */
  readonly requiresModelUnless?: ReadonlySet<string>;
  /** Passed to another call or interpolated, the call only builds part of a statement that runs later. */
  readonly fragmentAsArgument?: boolean;
  /** How to fetch many keys in one round trip with this library. */
  readonly batchHint: string;
  /** How to write many rows in one statement with this library, when the call writes (INSERT, UPDATE, create, save…). */
  readonly writeBatchHint?: string;
}

/** SQL that fetches a list of keys in one statement. */
export const SQL_BATCH_MARKERS: readonly RegExp[] = [
  // A bounded write: `DELETE … WHERE id IN (SELECT … LIMIT n)`, `UPDATE … LIMIT n`: up to n rows a round.
  /^\s*(delete|update)\b[\s\S]*\blimit\s+(\$\d+|\?|%s|:\w+|\d+)/i,
  /=\s*ANY\s*\(/i,
  /\bIN\s*\(\s*(\$\d+|\?|%s|:\w+|%\(\w+\)s|:\.\.\.\w+)\s*\)/i,
  /\bIN\s+(\$\d+|\?|%s|:\w+|%\(\w+\)s)(?!\w)/i,
  // `"… WHERE id IN " + clause`: the list is appended at run time.
  /\bIN\s*$/i,
  /\bunnest\s*\(/i,
  /\bVALUES\s*%s/i,
  /\bjson_to_recordset\s*\(|\bjsonb_to_recordset\s*\(/i,
];

const JS_NON_MODELS = /^(Object|Math|Array|Promise|JSON|Date|Number|String|Reflect|Map|Set|WeakMap|Intl|Buffer|URL|Error|Symbol|BigInt|React|Vue|Joi|z|R|Atomics|Proxy|Intl|Response|Request|Headers|FormData|Blob|File)$/;
const RUBY_NON_MODELS = /^(Action\w+|Active(Support|Model|Job|Storage)|Rack|Net|Concurrent)::|^(File|Dir|IO|Time|Date|DateTime|JSON|YAML|CSV|ERB|URI|ENV|Hash|Array|Set|Struct|OpenStruct|Integer|Float|String|Kernel|Math|Rails|Redis|Sidekiq|Logger|Digest|SecureRandom|Base64|Thread|Process|Pathname|Net::HTTP|Faraday|HTTParty|Stripe|ActiveSupport|I18n)$/;
const DJANGO_EVAL = [
  'get', 'first', 'last', 'count', 'exists', 'aggregate', 'latest', 'earliest', 'create', 'get_or_create',
  'update_or_create', 'update', 'delete', 'in_bulk', 'bulk_create', 'bulk_update', 'contains', 'explain', 'iterator',
  'aget', 'afirst', 'alast', 'acount', 'aexists', 'aaggregate', 'acreate', 'aget_or_create', 'aupdate_or_create',
  'aupdate', 'adelete', 'ain_bulk', 'abulk_create', 'abulk_update', 'aiterator',
];
const DJANGO_LAZY = new Set([
  'objects', 'all', 'filter', 'exclude', 'order_by', 'select_related', 'prefetch_related', 'values', 'values_list',
  'annotate', 'distinct', 'only', 'defer', 'using', 'reverse', 'select_for_update', 'alias', 'extra', 'none',
]);
const RAILS_EVAL = [
  'find', 'find_by', 'find_by!', 'find_or_create_by', 'find_or_create_by!', 'find_or_initialize_by', 'find_sole_by',
  'first', 'first!', 'last', 'last!', 'take', 'take!', 'sole', 'count', 'sum', 'average', 'minimum', 'maximum',
  'calculate', 'pluck', 'pick', 'ids', 'exists?', 'any?', 'none?', 'many?', 'empty?', 'create', 'create!', 'update',
  'update!', 'update_all', 'delete_all', 'destroy_all', 'delete', 'destroy', 'insert', 'insert!', 'insert_all',
  'insert_all!', 'upsert', 'upsert_all', 'to_a', 'load', 'increment_counter', 'decrement_counter', 'update_counters',
  // Enumerable methods run the relation's query before iterating.
  'each', 'map', 'collect', 'flat_map', 'filter_map', 'each_with_index', 'each_with_object', 'find_each', 'find_in_batches',
  'in_batches', 'index_by', 'group_by', 'to_h', 'index_with',
];
const RAILS_LAZY = new Set([
  'all', 'where', 'order', 'includes', 'preload', 'eager_load', 'joins', 'left_joins', 'left_outer_joins', 'limit',
  'offset', 'select', 'group', 'having', 'distinct', 'not', 'references', 'reorder', 'unscoped', 'rewhere', 'or',
  'readonly', 'lock', 'none', 'merge', 'extending', 'from', 'unscope', 'strict_loading',
]);

export const QUERY_APIS: readonly QueryApi[] = [
  // ---- JavaScript / TypeScript ------------------------------------------------------------
  {
    id: 'prisma.raw', library: 'Prisma', languages: ES, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe'] },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one `$queryRaw` with `WHERE id = ANY(${ids})`',
    writeBatchHint: 'one `$executeRaw` of `INSERT … SELECT * FROM unnest(${ids}::int[], ${names}::text[])`, one array per column',
  },
  {
    id: 'drizzle.relational', library: 'Drizzle', languages: ES, kind: 'orm',
    pattern: { type: 'chain', root: JS_DB, contains: ['findMany', 'findFirst'], via: /^query$/ },
    batch: { markers: [/\binArray\s*\(/] },
    batchHint: '`db.query.<table>.findMany({ where: inArray(table.id, ids) })` or `with: { … }` to load relations',
  },
  {
    id: 'prisma.model', library: 'Prisma', languages: ES, kind: 'orm',
    pattern: {
      type: 'method', modelHop: true,
      methods: ['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany', 'createMany', 'createManyAndReturn', 'updateMany', 'updateManyAndReturn', 'deleteMany', 'upsert', 'aggregate', 'groupBy'],
    },
    batch: { methods: ['createMany', 'createManyAndReturn', 'updateMany', 'updateManyAndReturn', 'deleteMany'], markers: [/\bin\s*:/] },
    batchHint: '`findMany({ where: { id: { in: ids } } })`, or `include` the relation in the outer query',
    writeBatchHint: '`createMany({ data: rows })`, or `updateMany`/`deleteMany` with `where: { id: { in: ids } }`',
  },
  {
    id: 'prisma.model-write', library: 'Prisma', languages: ES, kind: 'orm',
    pattern: { type: 'method', modelHop: true, methods: ['create', 'update', 'delete', 'count'], receiver: /(^|[._])(prisma|prismaClient|db|client|tx|database)$/i },
    batchHint: '`createMany` / `updateMany`, or `findMany` with `in`',
    writeBatchHint: '`createMany({ data: rows })`, or `updateMany`/`deleteMany` with `where: { id: { in: ids } }`',
  },
  {
    id: 'typeorm.query-builder', library: 'TypeORM', languages: ES, kind: 'orm',
    pattern: {
      type: 'chain', root: /.*/, contains: ['createQueryBuilder'],
      terminals: ['getMany', 'getOne', 'getOneOrFail', 'getRawMany', 'getRawOne', 'getCount', 'getManyAndCount', 'getExists', 'execute', 'stream', 'getRawAndEntities'],
    },
    placeholders: 'any', batch: { markers: [...SQL_BATCH_MARKERS, /\bIn\s*\(/] },
    batchHint: '`.where("x.id IN (:...ids)", { ids })` or a join in the outer query',
    writeBatchHint: '`.insert().values(rows)` with all rows, or `.update().whereInIds(ids)`',
  },
  {
    id: 'typeorm.repository-of', library: 'TypeORM / MikroORM', languages: ES, kind: 'orm',
    pattern: {
      type: 'method', after: ['getRepository', 'getCustomRepository', 'getTreeRepository', 'withRepository'],
      methods: ['find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAll', 'count', 'countBy', 'exist', 'exists', 'existsBy', 'save', 'insert', 'update', 'upsert', 'delete', 'remove'],
    },
    batch: { markers: [/\bIn\s*\(/, /\$in\s*:/, /^\s*\[/] },
    batchHint: '`findBy({ id: In(ids) })`',
    writeBatchHint: '`repository.insert(rows)` or `save(entities)` with the whole array (one transaction, chunked by `chunk`)',
  },  {
    id: 'typeorm.repository', library: 'TypeORM / MikroORM', languages: ES, kind: 'orm',
    pattern: {
      type: 'method', receiver: /(repo|repository)$/i,
      methods: ['find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'findAndCountBy', 'findAll', 'findByIds', 'count', 'countBy', 'exist', 'exists', 'existsBy', 'save', 'insert', 'update', 'upsert', 'delete', 'remove', 'softDelete', 'softRemove', 'restore', 'recover', 'increment', 'decrement', 'sum', 'average', 'minimum', 'maximum', 'preload', 'nativeInsert', 'nativeUpdate', 'nativeDelete'],
    },
    batch: { methods: ['findByIds'], markers: [/\bIn\s*\(/, /\$in\s*:/, /^\s*\[/] },
    batchHint: '`findBy({ id: In(ids) })`, or load the relation with `relations`/`populate` in the outer query',
    writeBatchHint: '`repository.insert(rows)` or `save(entities)` with the whole array (one transaction, chunked by `chunk`)',
  },

  {
    id: 'typeorm.entity-manager', library: 'TypeORM', languages: ES, kind: 'orm',
    pattern: {
      type: 'method', receiver: /(^|[._])(manager|entityManager|transactionalEntityManager|tem)$/i,
      methods: ['find', 'findBy', 'findOne', 'findOneBy', 'findOneOrFail', 'findOneByOrFail', 'findAndCount', 'count', 'countBy', 'exists', 'existsBy', 'save', 'insert', 'update', 'upsert', 'delete', 'remove', 'increment', 'decrement', 'query'],
    },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: [/\bIn\s*\(/, ...SQL_BATCH_MARKERS] },
    batchHint: '`manager.findBy(Entity, { id: In(ids) })`',
    writeBatchHint: '`manager.insert(Entity, rows)` or `manager.save(entities)` with the whole array',
  },
  {
    id: 'mikro-orm.entity-manager', library: 'MikroORM', languages: ES, kind: 'orm',
    pattern: {
      type: 'method', receiver: /(^|[._])(em|orm\.em|fork)$/,
      methods: ['find', 'findOne', 'findOneOrFail', 'findAll', 'findAndCount', 'count', 'populate', 'refresh', 'nativeInsert', 'nativeUpdate', 'nativeDelete', 'insert', 'insertMany', 'upsert', 'upsertMany', 'persistAndFlush', 'execute'],
    },
    sql: { arg: 0 }, placeholders: 'question',
    batch: { methods: ['insertMany', 'upsertMany'], markers: [/\$in\s*:/, ...SQL_BATCH_MARKERS] },
    batchHint: '`em.find(Entity, { id: { $in: ids } })` or `populate` in the outer query',
    writeBatchHint: '`em.persist(entity)` in the loop and one `em.flush()` after it (MikroORM batches the inserts)',
  },
  {
    id: 'sequelize.query', library: 'Sequelize', languages: ES, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['query'], receiver: /sequelize$/i },
    sql: { arg: 0 }, placeholders: 'any', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `IN (:ids)` and `replacements: { ids }`',
    writeBatchHint: 'one `INSERT … VALUES` with all rows through `replacements`, or `Model.bulkCreate(rows)`',
  },
  {
    id: 'model.statics', library: 'Sequelize / TypeORM Active Record', languages: ES, kind: 'orm', requiresModel: true,
    pattern: {
      type: 'method', constantReceiver: { except: JS_NON_MODELS },
      methods: ['findAll', 'findOne', 'findByPk', 'findAndCountAll', 'findOrCreate', 'findCreateFind', 'bulkCreate', 'destroy', 'upsert', 'findBy', 'findOneBy', 'findOneByOrFail', 'countBy', 'find', 'count', 'max', 'min', 'sum', 'create', 'update', 'increment', 'decrement'],
    },
    batch: { methods: ['bulkCreate'], markers: [/Op\.in\b/, /\bIn\s*\(/] },
    batchHint: '`findAll({ where: { id: ids } })` (an array becomes `IN`), or `include` the association in the outer query',
    writeBatchHint: '`bulkCreate(rows)` (with `updateOnDuplicate` for upserts), or `update(values, { where: { id: ids } })` / `destroy({ where: { id: ids } })`',
  },
  {
    // A record of a Sequelize model (or a TypeORM BaseEntity) saved, reloaded or deleted on its own:
    // one statement per record. Only a record that comes from the model's own query counts.
    id: 'model.instance', library: 'Sequelize / TypeORM Active Record', languages: ES, kind: 'orm', requiresModel: true,
    pattern: {
      type: 'method', record: true,
      methods: ['save', 'reload', 'destroy', 'update', 'increment', 'decrement', 'restore', 'remove', 'softRemove', 'recover', '$get', '$count', '$add', '$set', '$remove', '$has', '$create'],
    },
    batchHint: 'one `findAll({ where: { id: ids }, include: [...] })` for all records',
    writeBatchHint: '`Model.update(values, { where: { id: ids } })`, `Model.destroy({ where: { id: ids } })` or `bulkCreate(rows, { updateOnDuplicate: [...] })` once for all records',
  },
  {
    id: 'slonik', library: 'Slonik', languages: ES, kind: 'raw-sql',
    pattern: {
      type: 'method', receiver: SQL_CLIENT, taggedSql: true,
      methods: ['one', 'many', 'maybeOne', 'any', 'anyFirst', 'oneFirst', 'manyFirst', 'maybeOneFirst', 'exists', 'query', 'copyFromBinary'],
    },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: [...SQL_BATCH_MARKERS, /sql\.(array|unnest)\s*\(/] },
    batchHint: 'one query with `= ANY(${sql.array(ids, "int4")})`',
    writeBatchHint: 'one `INSERT … SELECT * FROM ${sql.unnest(rows, ["int4", "text"])}`',
  },
  {
    id: 'node-postgres.query', library: 'node-postgres', languages: ES, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['query'], receiver: SQL_CLIENT, sqlEvidence: true },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: SQL_BATCH_MARKERS },
    // Apollo/urql clients also have `client.query({ query: gql… })`; node-postgres config objects use `text`.
    unlessFirstArg: /^\{[\s\S]*\bquery\s*:|^(gql|graphql)\b/,
    batchHint: 'one query with `WHERE id = ANY($1)` and the array of ids as the parameter',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest($1::int[], $2::text[])` (or `UPDATE … FROM unnest(…)`) with one array parameter per column',
  },
  {
    id: 'postgres.unsafe', library: 'postgres.js', languages: ES, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['unsafe'], receiver: /^(sql|tx|t|db|psql)$/ },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `= ANY(${ids})`',
    writeBatchHint: 'one insert of all rows: sql`insert into t ${sql(rows)}`',
  },
  {
    id: 'kysely', library: 'Kysely', languages: ES, kind: 'orm',
    pattern: {
      type: 'chain', root: /.*/, contains: ['selectFrom', 'insertInto', 'updateTable', 'deleteFrom', 'replaceInto', 'mergeInto'],
      terminals: ['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream'],
    },
    batch: { markers: [/,\s*['"]in['"]\s*,/, /\.values\(\s*\[/] },
    batchHint: '`.where("id", "in", ids)` in one query',
    writeBatchHint: '`.insertInto(t).values(rows)` with the whole array',
  },
  {
    id: 'kysely.raw', library: 'Kysely', languages: ES, kind: 'raw-sql',
    pattern: { type: 'chain', root: /^sql$/, contains: ['sql'], terminals: ['execute'] },
    placeholders: 'dollar', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `= ANY(${ids})`',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest(${ids}::int[], ${names}::text[])`',
  },
  {
    id: 'drizzle.execute', library: 'Drizzle', languages: ES, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['execute'], receiver: JS_DB },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `= ANY(${ids})`',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest(…)` with one array per column',
  },
  {
    id: 'drizzle.builder', library: 'Drizzle', languages: ES, kind: 'orm',
    pattern: { type: 'chain', root: JS_DB, contains: ['select', 'selectDistinct', 'selectDistinctOn', 'insert', 'update', 'delete'] },
    batch: { markers: [/\binArray\s*\(/, /\.values\(\s*\[/] },
    batchHint: '`db.select().from(t).where(inArray(t.id, ids))`',
    writeBatchHint: '`db.insert(t).values(rows)` with the whole array, or `db.update(t).set(…).where(inArray(t.id, ids))`',
  },
  {
    // `knex.raw('?', [x])` passed to another call (`.where(col, '=', knex.raw(…))`) is a fragment.
    id: 'knex.raw', library: 'Knex', languages: ES, kind: 'raw-sql', fragmentAsArgument: true,
    pattern: { type: 'method', methods: ['raw'], receiver: /(^|[._])(knex|db|trx|k|database)$/ },
    sql: { arg: 0 }, placeholders: 'question', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `= ANY(?)` and the array of ids',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest(?::int[], ?::text[])` with one array per column',
  },
  {
    id: 'knex.builder', library: 'Knex', languages: ES, kind: 'orm',
    // Also a client known by its declared type (`conn: Knex`, `transaction: Knex.Transaction`),
    // whatever its name. Source: the knex typings (`Knex`, `Knex.Transaction` are callable).
    pattern: { type: 'chain', root: /^(knex|db|trx|k|database|tx)$/, rootCall: true, rootType: /^(Knex|Knex\.Transaction|Transaction)$/ },
    batch: { markers: [/\bwhereIn\s*\(/, /\.insert\(\s*\[/, ...SQL_BATCH_MARKERS] },
    batchHint: '`knex("t").whereIn("id", ids)`',
    writeBatchHint: '`knex("t").insert(rows)` with the whole array (or `batchInsert` for very many rows), or `.whereIn("id", ids).update(…)`',
  },
  {
    id: 'knex.builder-from', library: 'Knex', languages: ES, kind: 'orm',
    pattern: { type: 'chain', root: /^(knex|trx)$/, contains: ['select', 'from', 'table', 'insert', 'update', 'del', 'delete', 'first', 'into', 'withSchema', 'count'] },
    batch: { markers: [/\bwhereIn\s*\(/] },
    batchHint: '`knex("t").whereIn("id", ids)`',
    writeBatchHint: '`knex("t").insert(rows)` with the whole array, or `.whereIn("id", ids).update(…)`',
  },
  {
    id: 'postgres.tag', library: 'postgres.js', languages: ES, kind: 'raw-sql',
    pattern: { type: 'tag', tag: /^(sql|tx|t|psql)$/ },
    placeholders: 'dollar', batch: { markers: [...SQL_BATCH_MARKERS, /\bin\s+\$\d+/i] },
    batchHint: 'one query: sql`… where id in ${sql(ids)}` or `= ANY(${ids})`',
    writeBatchHint: 'one insert of all rows: sql`insert into t ${sql(rows)}` (a list of objects becomes one multi-row INSERT)',
  },

  // ---- Python -------------------------------------------------------------------------------
  {
    id: 'sqlalchemy.session', library: 'SQLAlchemy', languages: PY, kind: 'orm',
    pattern: { type: 'method', receiver: /(^|[._])(session|sess|db_session|dbsession|async_session|db)$/i, methods: ['execute', 'scalars', 'scalar', 'stream', 'stream_scalars'] },
    sql: { arg: 0 }, placeholders: 'any', batch: { markers: [/\.in_\s*\(/, /\bexpanding\s*=\s*True/, ...SQL_BATCH_MARKERS] },
    // requests.Session().get(url) and friends take a URL, not SQL.
    unlessFirstArg: /^[rfbu]*['"](https?:|\/)|url/i,
    batchHint: '`select(User).where(User.id.in_(ids))`, or `selectinload`/`joinedload` in the outer query',
    writeBatchHint: '`session.execute(insert(T), rows)` with the list of dicts (one executemany), or `update(T).where(T.id.in_(ids))`',
  },
  {
    id: 'sqlalchemy.session-get', library: 'SQLAlchemy', languages: PY, kind: 'orm',
    pattern: { type: 'method', receiver: /(^|[._])(session|sess|db_session|dbsession|async_session|db)$/i, methods: ['get', 'merge', 'refresh'] },
    // `session.get(Model, key)` names a mapped class first; HTTP sessions take a URL.
    unlessFirstArg: /^(?![A-Z])/,
    batchHint: '`select(Order).where(Order.id.in_(ids))`',
    writeBatchHint: '`session.execute(insert(T), rows)` with the list of dicts, or `update(T).where(T.id.in_(ids))`',
  },
  {
    id: 'sqlalchemy.query', library: 'SQLAlchemy', languages: PY, kind: 'orm',
    pattern: { type: 'chain', root: /(^|[._])(session|sess|db_session|dbsession|db)$/i, contains: ['query'], terminals: ['all', 'first', 'one', 'one_or_none', 'scalar', 'count', 'get', 'delete', 'update', 'exists'] },
    batch: { markers: [/\.in_\s*\(/] },
    batchHint: '`session.query(X).filter(X.id.in_(ids))`, or `selectinload`/`joinedload` in the outer query',
    writeBatchHint: '`session.execute(insert(T), rows)`, or `query(T).filter(T.id.in_(ids)).update(…)`',
  },
  {
    id: 'dbapi.executemany', library: 'DB-API (psycopg, sqlite3, asyncpg)', languages: PY, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['executemany', 'copy', 'copy_expert', 'copy_from', 'copy_records_to_table', 'copy_to_table'] },
    sql: { arg: 0 }, placeholders: 'any', batch: { always: true },
    batchHint: 'already a bulk API',
  },
  {
    id: 'psycopg.extras', library: 'psycopg2', languages: PY, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['execute_values', 'execute_batch'] },
    sql: { arg: 1 }, placeholders: 'pyformat', batch: { always: true },
    batchHint: 'already a bulk API',
  },
  {
    id: 'asyncpg.fetch', library: 'asyncpg', languages: PY, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['fetch', 'fetchrow', 'fetchval'], receiver: /(^|[._])(conn|connection|con|pool|db|tx|transaction)$/i, sqlEvidence: true },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `WHERE id = ANY($1::int[])`',
    writeBatchHint: '`executemany(sql, rows)`, or `copy_records_to_table` for many rows',
  },
  {
    id: 'dbapi.execute', library: 'DB-API (psycopg, sqlite3, asyncpg)', languages: PY, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['execute'], receiver: /(^|[._])(cur|cursor|c|conn|connection|con|db|pool|tx|transaction|engine)$/i, sqlEvidence: true },
    sql: { arg: 0 }, placeholders: 'any', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `WHERE id = ANY(%s)` and a list parameter, or `executemany` for writes',
    writeBatchHint: '`executemany(sql, rows)` (psycopg 3 pipelines it), or `execute_values` in psycopg2',
  },
  {
    // postgres.py (`from postgres import Postgres`): `db.one(sql)`, `db.all(sql)`, `db.run(sql)`. The
    // names are common, so the SQL must be written right there. Source: postgres.py's Postgres class.
    id: 'postgres-py', library: 'postgres.py', languages: PY, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['one', 'all', 'run'], receiver: /(^|[._])(db|database|postgres)$/i },
    onlyIfArgs: /^\s*[rbu]*("""|'''|"|')\s*(select|insert|update|delete|with)\b/i,
    sql: { arg: 0 }, placeholders: 'any', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `WHERE id = ANY(%(ids)s)` and a list parameter',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest(%(a)s, %(b)s)` with one list per column',
  },
  {
    id: 'pandas.read-sql', library: 'pandas', languages: PY, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['read_sql', 'read_sql_query'], receiver: /^(pd|pandas)$/ },
    sql: { arg: 0 }, placeholders: 'any', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one `read_sql` with `WHERE region = ANY(%s)` and a list parameter, then group the frame',
  },
  {
    id: 'dbapi.fetch', library: 'DB-API (psycopg, sqlite3)', languages: PY, kind: 'raw-sql', effect: 'fetch',
    pattern: { type: 'method', methods: ['fetchone', 'fetchall', 'fetchmany'], receiver: /(^|[._])(cur|cursor|c)$/i },
    batchHint: 'fetch the rows of one batched query',
  },
  {
    // A model instance written or reloaded: `save(update_fields=[…])` and `refresh_from_db()` exist only
    // on Django models (a bare `save()` could be anything's, and is left alone).
    id: 'django.instance-save', library: 'Django ORM', languages: PY, kind: 'orm',
    pattern: { type: 'method', methods: ['save', 'asave'] },
    onlyIfArgs: /\bupdate_fields\s*=/,
    batchHint: 'load the rows once with `in_bulk(ids)` or the outer queryset',
    writeBatchHint: '`Model.objects.bulk_update(objs, ["field"])` once after the loop',
  },
  {
    id: 'django.instance-reload', library: 'Django ORM', languages: PY, kind: 'orm',
    pattern: { type: 'method', methods: ['refresh_from_db', 'arefresh_from_db'] },
    batchHint: 'load the rows once with `in_bulk(ids)` or the outer queryset',
  },
  {
    id: 'django.related-manager', library: 'Django ORM', languages: PY, kind: 'orm',
    pattern: { type: 'chain', root: /.*/, via: /_set$/, terminals: DJANGO_EVAL },
    batch: { markers: [/__in\s*=/] },
    batchHint: '`prefetch_related("…_set")` on the outer queryset',
    writeBatchHint: '`bulk_create(objs)`, or `add(*objs)` in one call',
  },
  {
    id: 'django.queryset', library: 'Django ORM', languages: PY, kind: 'orm',
    pattern: { type: 'chain', root: /^[A-Z]\w*$/, via: /^objects$/, terminals: DJANGO_EVAL },
    batch: { methods: ['in_bulk', 'bulk_create', 'bulk_update', 'ain_bulk', 'abulk_create', 'abulk_update'], markers: [/__in\s*=/] },
    batchHint: '`filter(id__in=ids)` once, or `select_related`/`prefetch_related` on the outer queryset',
    writeBatchHint: '`bulk_create(objs)` / `bulk_update(objs, fields)`, or `filter(id__in=ids).update(…)`',
  },
  {
    id: 'django.queryset-lazy', library: 'Django ORM', languages: PY, kind: 'orm', effect: 'lazy',
    pattern: { type: 'chain', root: /^[A-Z]\w*$/, via: /^objects$/, onlyLinks: DJANGO_LAZY },
    batch: { markers: [/__in\s*=/] },
    batchHint: '`filter(id__in=ids)` once, or `prefetch_related` on the outer queryset',
    writeBatchHint: '`bulk_create(objs)` / `bulk_update(objs, fields)`, or `filter(id__in=ids).update(…)`',
  },
  {
    id: 'django.related-manager-lazy', library: 'Django ORM', languages: PY, kind: 'orm', effect: 'lazy',
    pattern: { type: 'chain', root: /.*/, via: /_set$/, onlyLinks: DJANGO_LAZY },
    batchHint: '`prefetch_related("…_set")` on the outer queryset',
    writeBatchHint: '`bulk_create(objs)`, or `add(*objs)` in one call',
  },

  // ---- Go -----------------------------------------------------------------------------------
  {
    id: 'pgx.batch', library: 'pgx', languages: GO, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['SendBatch', 'CopyFrom'], receiver: /(db|tx|conn|pool)$/i },
    batch: { always: true }, batchHint: 'already a bulk API',
  },
  {
    id: 'sqlx.get-select', library: 'sqlx', languages: GO, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['Get', 'Select'], receiver: /(db|tx|conn|pool|database|dbx|sqlx)$/i },
    sql: { arg: 1 }, placeholders: 'any', batch: { markers: [...SQL_BATCH_MARKERS, /sqlx\.In\s*\(/, /pq\.Array\s*\(/] },
    batchHint: '`sqlx.In("… WHERE id IN (?)", ids)` then `db.Rebind`, or `= ANY($1)` with `pq.Array(ids)`',
    writeBatchHint: 'one multi-row INSERT (`NamedExec` with a slice of structs), or `pgx.CopyFrom`',
  },
  {
    id: 'sqlx.context', library: 'sqlx', languages: GO, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['GetContext', 'SelectContext'], receiver: /(db|tx|conn|pool|database|dbx|sqlx)$/i },
    sql: { arg: 2 }, placeholders: 'any', batch: { markers: [...SQL_BATCH_MARKERS, /pq\.Array\s*\(/] },
    batchHint: '`sqlx.In("… WHERE id IN (?)", ids)` then `db.Rebind`, or `= ANY($1)` with `pq.Array(ids)`',
    writeBatchHint: 'one multi-row INSERT (`NamedExecContext` with a slice of structs), or `pgx.CopyFrom`',
  },
  {
    id: 'sqlx.named', library: 'sqlx', languages: GO, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['NamedExec', 'NamedQuery', 'MustExec', 'Queryx', 'QueryRowx', 'NamedExecContext', 'NamedQueryContext', 'MustExecContext', 'QueryxContext', 'QueryRowxContext'], receiver: /(db|tx|conn|pool|database|dbx|sqlx)$/i },
    sql: { arg: 0, skipContext: true }, placeholders: 'any', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `= ANY($1)`',
    writeBatchHint: '`NamedExec` with the whole slice of structs (one multi-row INSERT)',
  },

  {
    id: 'database-sql.context', library: 'database/sql / pgx', languages: GO, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['QueryContext', 'QueryRowContext', 'ExecContext'], receiver: /(db|tx|conn|pool|stmt|database|querier|sqlDB|q)$/i, sqlEvidence: true },
    sql: { arg: 1 }, placeholders: 'any', batch: { markers: [...SQL_BATCH_MARKERS, /pq\.Array\s*\(/] },
    batchHint: 'one query with `WHERE id = ANY($1)` and `pq.Array(ids)` (pgx takes the slice directly)',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest($1::int[], $2::text[])` with one slice per column, or `pgx.CopyFrom` / a `pgx.Batch`',
  },
  {
    id: 'database-sql', library: 'database/sql / pgx', languages: GO, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['Query', 'QueryRow', 'Exec'], receiver: /(db|tx|conn|pool|stmt|database|querier|sqlDB|q)$/i, sqlEvidence: true },
    sql: { arg: 0, skipContext: true }, placeholders: 'any', batch: { markers: [...SQL_BATCH_MARKERS, /pq\.Array\s*\(/] },
    batchHint: 'one query with `WHERE id = ANY($1)` and `pq.Array(ids)` (pgx takes the slice directly)',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest($1::int[], $2::text[])` with one slice per column, or `pgx.CopyFrom` / a `pgx.Batch`',
  },

  {
    id: 'gorm.raw', library: 'GORM', languages: GO, kind: 'raw-sql',
    pattern: { type: 'chain', root: /(db|tx|gorm|orm)$/i, contains: ['Raw'], terminals: ['Scan', 'Rows', 'Row', 'Find', 'First', 'Take', 'Pluck'] },
    placeholders: 'question', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: '`db.Raw("… WHERE id IN ?", ids)`',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest(?, ?)`, or `db.CreateInBatches(rows, 500)`',
  },
  {
    id: 'gorm.chain', library: 'GORM', languages: GO, kind: 'orm',
    pattern: {
      type: 'chain', root: /(db|tx|gorm|orm)$/i,
      terminals: ['First', 'Find', 'Take', 'Last', 'Scan', 'Count', 'Pluck', 'Create', 'Save', 'Updates', 'Update', 'UpdateColumn', 'UpdateColumns', 'Delete', 'FirstOrCreate', 'FirstOrInit', 'CreateInBatches', 'FindInBatches'],
    },
    placeholders: 'question', batch: { methods: ['CreateInBatches', 'FindInBatches'], markers: [/\bIN\s*\(?\s*\?/i, /\[\]\w+\{/] },
    batchHint: '`db.Where("id IN ?", ids).Find(&rows)`, or `Preload` the association in the outer query',
    writeBatchHint: '`db.Create(&rows)` with the whole slice (or `CreateInBatches`), or `db.Model(&T{}).Where("id IN ?", ids).Updates(…)`',
  },

  {
    // xorm: recognised by the declared type of the session or engine (`s *xorm.Session`), since
    // code bases name it `s`, `sess` or `x`. Source: xorm.io/xorm Session and Engine methods.
    id: 'xorm.session', library: 'xorm', languages: GO, kind: 'orm',
    pattern: {
      type: 'chain', root: /^(xormEngine|xormSession)$/, rootType: /^xorm\.(Session|Engine|EngineGroup|Interface)$/,
      terminals: ['Get', 'Find', 'Exist', 'Count', 'Insert', 'InsertOne', 'InsertMulti', 'Update', 'Delete', 'Iterate', 'Rows', 'Sum', 'Sums', 'SumInt', 'SumsInt', 'FindAndCount', 'Exec', 'Query', 'QueryString', 'QueryInterface'],
    },
    placeholders: 'question', batch: { methods: ['InsertMulti'], markers: [/(^|\s)In\(/, /\bIN\s*\(\s*\?/i, /builder\.In\(/] },
    batchHint: '`s.In("id", ids).Find(&rows)` (one `WHERE id IN (…)`)',
    writeBatchHint: '`s.Insert(&rows)` with the whole slice (one multi-row INSERT), or `s.In("id", ids).Update(…)` / `Delete(…)`',
  },

  // ---- Ruby ---------------------------------------------------------------------------------
  {
    id: 'activerecord.find-by-sql', library: 'ActiveRecord', languages: RB, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['find_by_sql', 'count_by_sql'], constantReceiver: { except: RUBY_NON_MODELS } },
    sql: { arg: 0 }, placeholders: 'any', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `WHERE id IN (?)`',
    writeBatchHint: 'one multi-row INSERT, or `insert_all(rows)`',
  },
  {
    id: 'activerecord.connection', library: 'ActiveRecord', languages: RB, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['exec_query', 'execute', 'select_all', 'select_one', 'select_value', 'select_values', 'select_rows', 'exec_update', 'exec_delete', 'exec_insert'], receiver: /(^|[._@])(connection|conn|db)$/ },
    sql: { arg: 0 }, placeholders: 'any', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `WHERE id = ANY($1)` or `IN (…)`',
    writeBatchHint: 'one multi-row INSERT, or `Model.insert_all(rows)` / `upsert_all(rows)`',
  },
  {
    id: 'pg-gem', library: 'pg (Ruby)', languages: RB, kind: 'raw-sql',
    pattern: { type: 'method', methods: ['exec', 'exec_params', 'async_exec', 'async_exec_params', 'query'], receiver: /(^|[._@])(conn|connection|pg|db|client)$/ },
    sql: { arg: 0 }, placeholders: 'dollar', batch: { markers: SQL_BATCH_MARKERS },
    batchHint: 'one query with `WHERE id = ANY($1)`',
    writeBatchHint: 'one `INSERT … SELECT * FROM unnest($1::int[], $2::text[])`, or `copy_data`',
  },
  {
    id: 'activerecord.relation', library: 'ActiveRecord', languages: RB, kind: 'orm', requiresModelUnless: new Set([...RAILS_EVAL, ...RAILS_LAZY]),
    pattern: { type: 'chain', root: /^[A-Z][\w:]*$/, constantRoot: { except: RUBY_NON_MODELS }, terminals: RAILS_EVAL },
    placeholders: 'question',
    // A hash condition given an array is an `IN` list: `where(id: ids)`, `where(value: code_set.to_a)`,
    // `where(id: positions.keys)`.
    batch: { methods: ['insert_all', 'insert_all!', 'upsert_all'], markers: [/\b\w*ids\b/, /:\s*\[[^\]]*,/, /\bIN\s*\(\s*\?\s*\)/i, /\.(pluck|map|collect)\b/, /:\s*[\w.@]+\.(to_a|uniq|compact|keys|values|flatten)\b/] },
    batchHint: '`where(id: ids)` once, or `includes`/`preload` the association in the outer query',
    writeBatchHint: '`insert_all(rows)` / `upsert_all(rows)`, or `where(id: ids).update_all(…)` / `delete_all`',
  },
  {
    id: 'activerecord.relation-lazy', library: 'ActiveRecord', languages: RB, kind: 'orm', effect: 'lazy',
    pattern: { type: 'chain', root: /^[A-Z][\w:]*$/, constantRoot: { except: RUBY_NON_MODELS }, onlyLinks: RAILS_LAZY },
    batch: { markers: [/\b\w*ids\b/, /:\s*\[[^\]]*,/] },
    batchHint: '`where(id: ids)` once, or `includes` the association in the outer query',
    writeBatchHint: '`insert_all(rows)` / `upsert_all(rows)`, or `where(id: ids).update_all(…)`',
  },
];

/** Entries for one language, in table order. */
export function apisFor(language: CodeLanguage): readonly QueryApi[] {
  return QUERY_APIS.filter((a) => a.languages.includes(language));
}
