/** TSX (`.tsx`): the ECMAScript adapter over the TSX grammar, so `{items.map(…)}` in JSX is a loop too. */
import { ecmascriptAdapter } from './ecmascript';

export const tsxAdapter = ecmascriptAdapter('tsx');
