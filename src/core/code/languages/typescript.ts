/** TypeScript (`.ts`, `.mts`, `.cts`): the ECMAScript adapter over the TypeScript grammar. */
import { ecmascriptAdapter } from './ecmascript';

export const typescriptAdapter = ecmascriptAdapter('typescript');
