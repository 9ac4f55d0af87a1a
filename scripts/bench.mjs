import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from './build.mjs';
import { bunCommand, root, run } from './lib/run.mjs';

/**
 * Benchmarks: builds the product, then runs every bench/<name>.bench.mjs (with node) or
 * bench/<name>.bench.ts (with bun), one after the other.
 *
 *   node scripts/bench.mjs                 all of them
 *   node scripts/bench.mjs conversations   the ones whose name starts with "conversations"
 */
const BENCH_DIR = join(root, 'bench');
const PATTERN = /^(.+)\.bench\.(mjs|ts)$/;

const all = (existsSync(BENCH_DIR) ? readdirSync(BENCH_DIR) : [])
  .map((file) => ({ file, match: PATTERN.exec(file) }))
  .filter(({ match }) => match)
  .map(({ file, match }) => ({ name: match[1], file: join(BENCH_DIR, file), kind: match[2] }))
  .sort((a, b) => a.name.localeCompare(b.name));

const wanted = process.argv.slice(2);
const selected = wanted.length === 0 ? all : all.filter((bench) => wanted.some((w) => bench.name === w || bench.name.startsWith(w)));
if (selected.length === 0) {
  console.error(`No benchmark matches ${wanted.join(', ')}. Available: ${all.map((b) => b.name).join(', ') || 'none'}`);
  process.exit(1);
}

await build().catch((error) => {
  console.error(error.message);
  process.exit(1);
});

const failed = [];
for (const bench of selected) {
  console.log(`\n> benchmark ${bench.name}`);
  const [command, ...pre] = bench.kind === 'ts' ? bunCommand() : [process.execPath];
  try {
    await run(command, [...pre, bench.file]);
  } catch {
    failed.push(bench.name);
  }
}

console.log('');
console.log(failed.length > 0 ? `Benchmarks missing their target: ${failed.join(', ')}` : `${selected.length} benchmark(s) met their target`);
process.exit(failed.length > 0 ? 1 : 0);
