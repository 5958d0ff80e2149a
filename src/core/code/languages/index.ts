/** The adapter for each supported language, and which language a file is in. */
import type { CodeLanguage } from '../types';
import type { LanguageAdapter } from './adapter';
import { goAdapter } from './go';
import { javascriptAdapter } from './javascript';
import { pythonAdapter } from './python';
import { rubyAdapter } from './ruby';
import { tsxAdapter } from './tsx';
import { typescriptAdapter } from './typescript';

export const ADAPTERS: Readonly<Record<CodeLanguage, LanguageAdapter>> = {
  typescript: typescriptAdapter,
  tsx: tsxAdapter,
  javascript: javascriptAdapter,
  python: pythonAdapter,
  go: goAdapter,
  ruby: rubyAdapter,
};

const BY_EXTENSION: Readonly<Record<string, CodeLanguage>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'tsx',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyi: 'python',
  go: 'go',
  rb: 'ruby', rake: 'ruby',
};

/** VS Code language ids that differ from ours. */
const BY_LANGUAGE_ID: Readonly<Record<string, CodeLanguage>> = {
  typescript: 'typescript', typescriptreact: 'tsx', javascript: 'javascript', javascriptreact: 'javascript',
  python: 'python', go: 'go', ruby: 'ruby',
};

/** The language of `path` by extension (`.d.ts` declaration files hold no code to analyse). */
export function languageForPath(path: string): CodeLanguage | undefined {
  if (path.endsWith('.d.ts')) return undefined;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  // Own keys only: a file named `x.constructor` must not find Object's constructor.
  return ext && Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

export function languageForEditorId(languageId: string): CodeLanguage | undefined {
  return Object.hasOwn(BY_LANGUAGE_ID, languageId) ? BY_LANGUAGE_ID[languageId] : undefined;
}
