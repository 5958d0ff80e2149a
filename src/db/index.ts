/**
 * The database layer's entry point: other layers create a Database here and
 * use only the types of ./types.
 */
export { createDatabase, APPLICATION_NAME } from './database';
export * from './types';
