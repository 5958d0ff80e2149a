/** JavaScript with JSX (`.js`, `.jsx`, `.mjs`, `.cjs`): the tree-sitter JavaScript grammar parses JSX as well. */
import { ecmascriptAdapter } from './ecmascript';

export const javascriptAdapter = ecmascriptAdapter('javascript');
