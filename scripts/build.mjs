import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, ensureInstalled, root, run } from './lib/run.mjs';

/** Build order follows the dependency arrows: shared and db first, then the apps that use them. */
const STEPS = {
  shared: () => run(bin('tsc'), ['-p', 'packages/shared/tsconfig.build.json']),
  db: () => run(bin('tsc'), ['-p', 'packages/db/tsconfig.build.json']),
  server: () => run(bin('tsc'), ['-p', 'apps/server/tsconfig.build.json']),
  web: () => run(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: join(root, 'apps/web') }),
};

const SOURCES = ['packages/shared/src', 'packages/db/src', 'packages/db/drizzle', 'apps/server/src', 'apps/web/src', 'apps/web/index.html'];
const STAMP = join(root, 'apps/server/dist/.build-stamp');

function newestSourceMtime() {
  let newest = 0;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const source of SOURCES) if (existsSync(join(root, source))) visit(join(root, source));
  return newest;
}

/** True when there is no build or a source changed since the last one. */
export function buildIsStale() {
  if (!existsSync(STAMP) || !existsSync(join(root, 'apps/web/dist/index.html'))) return true;
  return newestSourceMtime() > statSync(STAMP).mtimeMs;
}

export async function build(only = Object.keys(STEPS)) {
  await ensureInstalled();
  for (const name of only) {
    console.log(`> building ${name}`);
    await STEPS[name]();
  }
  if (only.length === Object.keys(STEPS).length) writeFileSync(STAMP, new Date().toISOString());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2);
  build(only.length > 0 ? only : undefined).catch((error) => {
    console.error(error.message);
    process.exit(1);
  });
}
