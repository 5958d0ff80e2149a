/**
 * PG Insight: Refresh Schema — reads the schema again (the live catalog when
 * connected, else the workspace's migrations or schema.prisma) and re-checks
 * the open files against it.
 */
import type { Ctx } from '../context';
import { diagnosticsProvider } from '../diagnostics';

export function refreshSchema(ctx: Ctx) {
  return async (): Promise<{ tables: number; source: string } | undefined> => {
    const schema = await diagnosticsProvider(ctx).schema.refresh();
    const where = schema ? (schema.source === 'catalog' ? 'the database' : schema.source === 'prisma' ? 'schema.prisma' : 'the migrations') : undefined;
    void ctx.notify.info(schema ? `Schema refreshed from ${where}: ${schema.tables.length} tables.` : 'No schema found: connect to a database, or add migrations or a schema.prisma.');
    return schema ? { tables: schema.tables.length, source: schema.source } : undefined;
  };
}
