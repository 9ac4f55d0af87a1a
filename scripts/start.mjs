import { join } from 'node:path';
import { build, buildIsStale } from './build.mjs';
import { ensureInstalled, root, run } from './lib/run.mjs';

/** Installs if needed, builds if there is no (current) build, then runs the product in the foreground. */
await ensureInstalled();
if (buildIsStale()) await build();
const server = run(process.execPath, ['--enable-source-maps', join(root, 'apps/server/dist/main.js')]);
server.catch((error) => process.exit(typeof error.code === 'number' ? error.code : 1));
