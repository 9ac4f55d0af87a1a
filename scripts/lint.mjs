import { bin, run } from './lib/run.mjs';

/**
 * The linter (type-aware rules and the import boundaries, eslint.config.mjs) and the formatter's check.
 * `--fix` applies both instead: the formatter rewrites, then the linter fixes what it can.
 */
const fix = process.argv.includes('--fix');
const steps = fix
  ? [
      ['prettier', ['--write', '--log-level', 'warn', '.']],
      ['eslint', ['--fix', '.']],
    ]
  : [
      ['eslint', ['--max-warnings', '0', '.']],
      ['prettier', ['--check', '--log-level', 'warn', '.']],
    ];
for (const [tool, args] of steps) {
  console.log(`> ${tool} ${args[0]}`);
  await run(bin(tool), args).catch(() => {
    console.error(fix ? `${tool} could not fix everything: see above.` : `${tool} found problems (bun run format fixes what the formatter owns).`);
    process.exit(1);
  });
}
