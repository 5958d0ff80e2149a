/**
 * Whether pg_stat_statements can be used, and if not, exactly why and what
 * fixes it. The database layer gathers the facts (availability.ts in
 * src/db/stats); the judgement and the wording live here so every case can
 * be tested without a server. There are three independent conditions:
 *
 * - the extension must be created in the connected database (CREATE
 *   EXTENSION; its view lives in one database and reports on all of them);
 * - its library must be loaded when the server starts
 *   (shared_preload_libraries; changing it needs a restart);
 * - to see other roles' statements, the role needs pg_read_all_stats (or
 *   superuser); otherwise they read "<insufficient privilege>".
 */
import { quoteIdent, quoteLiteral } from '../health/ident';

export interface AvailabilityFacts {
  readonly versionNum: number;
  readonly database: string;
  readonly user: string;
  readonly superuser: boolean;
  /** pg_available_extensions.default_version; null: the server has no files for the extension. */
  readonly availableVersion: string | null;
  /** pg_extension.extversion in the connected database; null: not created there. */
  readonly installedVersion: string | null;
  readonly schema: string | null;
  /** shared_preload_libraries, when the role may read it (superuser or pg_read_all_settings). */
  readonly preloadLibraries: string | null;
  /** Reading the view worked (true), failed because the library is not loaded (false), or was not tried. */
  readonly loaded: boolean | null;
  /** Superuser or member of pg_read_all_stats. */
  readonly canReadAll: boolean;
  /** Entries shown as "<insufficient privilege>" to this role. */
  readonly hiddenEntries: number;
  readonly totalEntries: number;
  /** EXECUTE on pg_stat_statements_reset. */
  readonly canReset: boolean;
}

export type AvailabilityStatus = 'ready' | 'limited' | 'not-installed' | 'not-preloaded' | 'not-available';

/** One thing to do; `run` is the exact statement or setting, ready to copy. */
export interface FixStep {
  readonly say: string;
  readonly run?: string;
}

export interface Availability {
  readonly status: AvailabilityStatus;
  /** Statements can be read ('ready' or 'limited'). */
  readonly usable: boolean;
  readonly title: string;
  readonly message: string;
  readonly fix: readonly FixStep[];
  readonly facts: AvailabilityFacts;
}

const EXTENSION = 'pg_stat_statements';

export function judgeAvailability(f: AvailabilityFacts): Availability {
  const major = Math.floor(f.versionNum / 10000);
  const preloaded = f.loaded ?? listsLibrary(f.preloadLibraries);
  const make = (status: AvailabilityStatus, title: string, message: string, fix: FixStep[]): Availability => ({
    status,
    usable: status === 'ready' || status === 'limited',
    title,
    message,
    fix,
    facts: f,
  });

  if (f.installedVersion === null && f.availableVersion === null) {
    return make(
      'not-available',
      'pg_stat_statements is not installed on the server',
      `The server has no pg_stat_statements: the extension comes with PostgreSQL's contrib modules, and they are not installed on this PostgreSQL ${major} server.`,
      [
        { say: `Install the contrib modules for PostgreSQL ${major} on the server (Debian and Ubuntu: the postgresql-${major} package includes them; Red Hat family: postgresql${major}-contrib).` },
        ...preloadSteps(f, preloaded),
        createStep(f),
      ],
    );
  }
  if (f.installedVersion === null) {
    const alsoPreload = preloaded === true ? '' : preloaded === false ? ' It is not in shared_preload_libraries either, which needs a server restart.' : ' It must also be listed in shared_preload_libraries (this role cannot see that setting).';
    return make(
      'not-installed',
      `pg_stat_statements is not created in database "${f.database}"`,
      `The server has pg_stat_statements ${f.availableVersion ?? ''}, but CREATE EXTENSION was not run in database "${f.database}".${alsoPreload}`.replace(/ {2,}/g, ' '),
      [...preloadSteps(f, preloaded), createStep(f)],
    );
  }
  if (preloaded === false) {
    return make(
      'not-preloaded',
      'pg_stat_statements is not loaded by the server',
      `pg_stat_statements ${f.installedVersion} is created in database "${f.database}", but the server did not load its library at start: it must be listed in shared_preload_libraries, and the server restarted.`,
      preloadSteps(f, false),
    );
  }
  if (!f.canReadAll) {
    const hidden = f.hiddenEntries === 0 ? 'None of them is hidden now, but statements of other roles will be.' : `${f.hiddenEntries} of ${f.totalEntries} statements belong to other roles and show as <insufficient privilege>.`;
    return make(
      'limited',
      'Only your own statements are visible',
      `Role "${f.user}" sees the text of its own statements only. ${hidden} Reading all of them needs pg_read_all_stats (or superuser).`,
      [{ say: 'As a superuser (or a role that may grant it), run:', run: `GRANT pg_read_all_stats TO ${quoteIdent(f.user)};` }],
    );
  }
  return make('ready', 'pg_stat_statements is ready', `pg_stat_statements ${f.installedVersion} in schema "${f.schema ?? 'public'}".`, []);
}

/** True / false when the setting is known, null when the role could not read it. */
export function listsLibrary(setting: string | null): boolean | null {
  if (setting === null) return null;
  return libraries(setting).some((l) => l.replace(/^\$libdir\//, '') === EXTENSION);
}

function libraries(setting: string): string[] {
  return setting
    .split(',')
    .map((l) => l.trim().replace(/^"(.*)"$/, '$1'))
    .filter((l) => l.length > 0);
}

function preloadSteps(f: AvailabilityFacts, preloaded: boolean | null): FixStep[] {
  if (preloaded === true) return [];
  const restart = { say: 'Restart the PostgreSQL server (a reload is not enough for shared_preload_libraries).' };
  if (f.preloadLibraries === null) {
    return [
      { say: 'Add pg_stat_statements to shared_preload_libraries in postgresql.conf (or your provider\'s parameter settings), keeping any libraries already listed there:', run: "shared_preload_libraries = 'pg_stat_statements'" },
      restart,
    ];
  }
  const wanted = [...libraries(f.preloadLibraries), EXTENSION];
  return [
    { say: 'As a superuser, add it to the libraries loaded at start (the ones already listed stay):', run: `ALTER SYSTEM SET shared_preload_libraries = ${wanted.map(quoteLiteral).join(', ')};` },
    restart,
  ];
}

function createStep(f: AvailabilityFacts): FixStep {
  return { say: `As a superuser, connected to database "${f.database}", run:`, run: `CREATE EXTENSION ${EXTENSION};` };
}
