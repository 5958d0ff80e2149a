/**
 * What an ORM read call will look like on the server, when that can be
 * told from the code alone: the table its model maps to and the columns its
 * static filter keys compare. `prisma.user.findUnique({ where: { email } })`
 * becomes `SELECT … FROM "User" WHERE "User"."email" = $1 AND $2 = $3 LIMIT …`
 * and matches a statement of that shape (statementShape.ts). Only reads are
 * predicted, and only when every key's comparison is predictable: Django's
 * `iexact` (UPPER on both sides), a filter across a relation (a join) and
 * the like give no prediction rather than a wrong one.
 */
import type { EntityMapping } from '../schema/model';
import type { OrmFilter } from '../code/ormFilters';
import { pluralize, snakeCase } from '../sqlrules/orm';
import type { FilterClass, ReadShape } from './statementShape';

export interface PredictedRead {
  /** Table names the model may map to, lower case. */
  readonly tables: readonly string[];
  /** Django without a known app label: any table ending in `_<model>`. */
  readonly tableSuffix?: string;
  /** Per filter key: the column names it may be (lower case), and how it compares. */
  readonly filters: readonly { readonly columns: readonly string[]; readonly kind: FilterClass }[];
}

/** The call that carries the filter fact: its API id and its short source form (`prisma.user.findMany(…)`). */
export interface CallOfFilter {
  readonly api: string;
  readonly label: string;
}

const PRISMA_READS = new Set(['findUnique', 'findUniqueOrThrow', 'findFirst', 'findFirstOrThrow', 'findMany']);
/** Calls in a chain that make the SQL something else than a plain filtered read (writes, aggregates, joins). */
const NOT_A_PLAIN_READ: Readonly<Record<string, RegExp>> = {
  django: /\.(a?update|a?delete|a?count|a?aggregate|a?exists|a?create|a?get_or_create|a?update_or_create|bulk_\w+|annotate|select_related|prefetch_related|distinct|union|exclude|extra|raw)\(/,
  rails: /\.(update_all|delete_all|destroy_all|count|sum|average|minimum|maximum|exists\?|joins|left_joins|left_outer_joins|includes|eager_load|preload|group|distinct|create\w*|find_or_create_by!?|find_or_initialize_by|or|not)\b/,
  table: /\.(update|del|delete|insert|upsert|count\w*|sum|avg|min|max|\w*[jJ]oin|updateTable|deleteFrom|insertInto|groupBy|distinct\w*|union\w*|orWhere\w*|whereNot\w*|whereRaw)\(/,
};
const DJANGO_EQ = new Set(['exact', 'in']);
const DJANGO_OTHER = new Set(['gt', 'gte', 'lt', 'lte', 'range', 'contains', 'startswith', 'endswith', 'isnull', 'regex']);

/** The predicted read of an ORM call, or null when its SQL shape is not predictable. */
export function predictRead(fact: OrmFilter, call: CallOfFilter, entities: readonly EntityMapping[]): PredictedRead | null {
  if (fact.filters.length === 0) return null;
  switch (fact.framework) {
    case 'prisma': {
      const method = /\.(\w+)\(…\)$/.exec(call.label)?.[1] ?? '';
      if (call.api !== 'prisma.model' || !PRISMA_READS.has(method)) return null;
      const entity = entities.find((e) => e.framework === 'prisma' && e.model.toLowerCase() === fact.model.toLowerCase());
      const filters = fact.filters.map((k) => {
        const column = (entity?.fields.get(k.field) ?? k.field).toLowerCase();
        const eq = (k.lookup === undefined || k.lookup === 'equals' || k.lookup === 'in') && !k.insensitive;
        return key([column], eq);
      });
      return { tables: [(entity?.table ?? fact.model).toLowerCase()], filters };
    }
    case 'django': {
      if (!call.api.startsWith('django.queryset') || NOT_A_PLAIN_READ.django?.test(call.label)) return null;
      const filters: KeyShape[] = [];
      for (const k of fact.filters) {
        const f = djangoFilter(k.field);
        if (!f) return null;
        filters.push(f);
      }
      const model = fact.model.toLowerCase();
      return fact.appLabel ? { tables: [`${fact.appLabel.toLowerCase()}_${model}`], filters } : { tables: [], tableSuffix: `_${model}`, filters };
    }
    case 'rails': {
      if (!call.api.startsWith('activerecord.relation') || NOT_A_PLAIN_READ.rails?.test(call.label)) return null;
      const filters = fact.filters.map((k) => key([k.field.toLowerCase(), `${k.field.toLowerCase()}_id`], true));
      return { tables: [pluralize(snakeCase(fact.model.split('::').pop() ?? fact.model))], filters };
    }
    case 'table': {
      if (NOT_A_PLAIN_READ.table?.test(call.label)) return null;
      const filters = fact.filters.map((k) => key([k.field.toLowerCase()], k.lookup === undefined || k.lookup === 'in'));
      return { tables: [(fact.model.split('.').pop() ?? fact.model).toLowerCase()], filters };
    }
  }
}

type KeyShape = PredictedRead['filters'][number];

function key(columns: readonly string[], eq: boolean): KeyShape {
  return { columns, kind: eq ? 'eq' : 'other' };
}

/** `email`, `author_id`, `author` (its `_id` column), `pk`, `price__gte`; null across relations or for case-insensitive lookups. */
function djangoFilter(name: string): KeyShape | null {
  const parts = name.toLowerCase().split('__');
  let lookup = 'exact';
  const last = parts[parts.length - 1] ?? '';
  if (parts.length > 1 && (DJANGO_EQ.has(last) || DJANGO_OTHER.has(last) || /^i[a-z]+$|^(date|year|month|day|week_day|search)$/.test(last))) {
    lookup = last;
    parts.pop();
  }
  if (!DJANGO_EQ.has(lookup) && !DJANGO_OTHER.has(lookup)) return null;
  let field = parts.join('__');
  if (parts.length === 2 && (parts[1] === 'id' || parts[1] === 'pk')) field = `${parts[0] ?? ''}_id`;
  else if (parts.length > 1) return null;
  return key(field === 'pk' ? ['id'] : [field, `${field}_id`], DJANGO_EQ.has(lookup));
}

/** True when a statement of `shape` is what the predicted call sends. */
export function matchesPrediction(shape: ReadShape, predicted: PredictedRead): boolean {
  const table = shape.table.toLowerCase();
  const tableOk = predicted.tables.includes(table) || (predicted.tableSuffix !== undefined && table.endsWith(predicted.tableSuffix));
  if (!tableOk || shape.filters.length !== predicted.filters.length) return false;
  const used = new Set<string>();
  for (const f of predicted.filters) {
    const hit = shape.filters.find(([column, kind]) => !used.has(column) && kind === f.kind && f.columns.includes(column));
    if (!hit) return false;
    used.add(hit[0]);
  }
  return true;
}
