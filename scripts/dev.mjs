import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { build } from './build.mjs';
import { bin, root } from './lib/run.mjs';

/**
 * Server with reload (tsc --watch rebuilding dist, node --watch restarting it) and Vite with HMR,
 * proxying /api and /socket.io to the server. Open http://localhost:5173.
 */
await build(['shared', 'db', 'server']);
const apiPort = process.env.PORT ?? '3000';
const children = [
  spawn(bin('tsc'), ['-p', 'packages/shared/tsconfig.build.json', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: 'inherit' }),
  spawn(bin('tsc'), ['-p', 'apps/server/tsconfig.build.json', '--watch', '--preserveWatchOutput'], { cwd: root, stdio: 'inherit' }),
  spawn(process.execPath, ['--enable-source-maps', '--watch-path=apps/server/dist', '--watch-path=packages/shared/dist', 'apps/server/dist/main.js'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: apiPort },
  }),
  spawn(bin('vite'), ['--port', '5173'], { cwd: join(root, 'apps/web'), stdio: 'inherit', env: { ...process.env, API_PORT: apiPort } }),
];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
