import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = (name) => join(root, 'node_modules/.bin', name);

/** Runs a command with inherited output; rejects with its exit code. */
export function run(command, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    child.once('error', fail);
    child.once('exit', (code, signal) =>
      code === 0 ? done() : fail(Object.assign(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`), { code })),
    );
  });
}

/** bun from PATH, else the one published on the npm registry (fetched once by npx). */
export function bunCommand() {
  const local = spawnSync('bun', ['--version'], { stdio: 'ignore' });
  if (local.status === 0) return ['bun'];
  return ['npx', '--yes', 'bun@1'];
}

const STAMP = join(root, 'node_modules/.install-stamp');

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export async function ensureInstalled() {
  const lock = join(root, 'bun.lock');
  const fresh = existsSync(STAMP) && readFileSync(STAMP, 'utf8') === String(statSync(lock).mtimeMs);
  if (fresh) return;
  const [cmd, ...pre] = bunCommand();
  console.log('> installing dependencies');
  await run(cmd, [...pre, 'install', '--frozen-lockfile']);
  writeFileSync(STAMP, String(statSync(lock).mtimeMs));
}
