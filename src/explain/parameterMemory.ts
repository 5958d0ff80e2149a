/**
 * The parameter values last used for each statement (by fingerprint), in
 * workspace storage, so that explaining a statement again offers them.
 */
import type { HistoryStorage } from './history';

export type ParameterValues = readonly (string | null)[];

const KEY = 'pgInsight.explain.parameters';
/** Statements whose values are remembered; the oldest are forgotten first. */
const REMEMBERED = 100;

/** The values last used per statement fingerprint, in workspace storage. */
export class ParameterMemory {
  constructor(private readonly storage: HistoryStorage) {}

  get(fingerprint: string): ParameterValues | undefined {
    return this.all().find(([f]) => f === fingerprint)?.[1];
  }

  async remember(fingerprint: string, values: ParameterValues): Promise<void> {
    const rest = this.all().filter(([f]) => f !== fingerprint);
    await this.storage.update(KEY, [[fingerprint, values], ...rest].slice(0, REMEMBERED));
  }

  private all(): Array<[string, ParameterValues]> {
    const v = this.storage.get<unknown>(KEY);
    return Array.isArray(v) ? (v.filter((e) => Array.isArray(e) && typeof e[0] === 'string' && Array.isArray(e[1])) as Array<[string, ParameterValues]>) : [];
  }
}
