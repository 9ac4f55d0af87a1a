import { build } from './build.mjs';
import { bin, run } from './lib/run.mjs';

/** Type-checks every workspace, tests included; the apps check against the built shared and db types. */
await build(['shared', 'db']);
for (const project of ['packages/shared', 'packages/db', 'apps/server', 'apps/server/test', 'apps/web']) {
  console.log(`> typecheck ${project}`);
  await run(bin('tsc'), ['-p', `${project}/tsconfig.json`, '--noEmit']);
}
