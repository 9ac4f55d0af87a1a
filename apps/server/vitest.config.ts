import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// SWC compiles the Nest sources with decorator metadata, which esbuild cannot emit.
const plugins = [swc.vite({ module: { type: 'es6' } })];
const resolve = { conditions: ['source'] };

export default defineConfig({
  plugins,
  resolve,
  test: {
    projects: [
      {
        plugins,
        resolve,
        test: { name: 'unit', include: ['src/**/*.spec.ts'], environment: 'node' },
      },
      {
        plugins,
        resolve,
        test: {
          name: 'postgres',
          include: ['test/**/*.e2e-spec.ts'],
          env: { TEST_INFRA: 'postgres' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        plugins,
        resolve,
        test: {
          name: 'embedded',
          // The whole HTTP suite runs once more with PGlite and the in-process adapters.
          include: ['test/**/*.e2e-spec.ts'],
          exclude: ['test/**/*.postgres.e2e-spec.ts'],
          env: { TEST_INFRA: 'embedded' },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
