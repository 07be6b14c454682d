export * from './client.ts';
export { DataDirInUseError } from './data-dir-lock.ts';
export { preparedQuery } from './prepared.ts';
export { ReadCache } from './read-cache.ts';
export * as schema from './schema/index.ts';
export * from './schema/index.ts';
