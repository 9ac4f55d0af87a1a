export * from './client.mjs';
export * from './infra.mjs';
export * from './server-process.mjs';
