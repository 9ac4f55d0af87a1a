import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../src/app.factory';
import { MetricsServer } from '../../src/modules/metrics/metrics.server';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestInfra, infraMode, type TestInfra, type TestInfraMode } from './infra';
import { freePort, type ServerProcess, spawnServer, waitUntilReady } from './server-process';

export const TEST_SECRETS = {
  JWT_ACCESS_SECRET: 'test-access-secret-0123456789abcdef0123456789',
  JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789abcdef012345678',
  VAPID_PUBLIC_KEY: 'BJ2reQ-RfGL7yh5u6rWQ0IpSqXKTeDUeF8Br_i6UT0leqPs4NzPSeFzF5iMTStUKJriYBD0yxGdwxeL_nOnlPLY',
  VAPID_PRIVATE_KEY: 'm96cZMLSIOq130h-waW1nxzXDcTAPXGmNq9XL0qZDHc',
};

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  infra: TestInfra;
  baseUrl: string;
  /** Where /metrics answers: only when the test set METRICS_PORT (default here: off). */
  metricsUrl: string | null;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/** A whole server on a free port against fresh infrastructure; `env` overrides any variable. */
export async function startTestApp(env: Record<string, string> = {}, mode: TestInfraMode = infraMode(), sharedInfra?: TestInfra): Promise<TestApp> {
  const infra = sharedInfra ?? (await createTestInfra(mode));
  // METRICS_PORT=0: many test apps run at once and cannot share the default metrics port.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PORT: '0', METRICS_PORT: '0', HOST: '127.0.0.1', ...TEST_SECRETS, ...infra.env, ...env });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const metricsPort = app.get(MetricsServer).port;
  return {
    app,
    config,
    infra,
    baseUrl,
    metricsUrl: metricsPort === null ? null : `http://127.0.0.1:${metricsPort}`,
    http: () => request(baseUrl),
    close: async () => {
      await app.close();
      if (!sharedInfra) await infra.dispose();
    },
  };
}

/** Several nodes of one deployment: same database, same Redis (and key prefix). PostgreSQL mode only. */
export async function startTestCluster(nodes: number, env: Record<string, string> = {}) {
  const infra = await createTestInfra('postgres');
  const apps: TestApp[] = [];
  for (let i = 0; i < nodes; i++) apps.push(await startTestApp(env, 'postgres', infra));
  return {
    nodes: apps,
    infra,
    close: async () => {
      for (const node of apps) await node.close();
      await infra.dispose();
    },
  };
}

/**
 * One app for the enclosing describe block: started before its tests (after any hook registered
 * earlier), closed after them. `env` may be a function for values known only then (a free port).
 */
export function useTestApp(env: Record<string, string> | (() => Promise<Record<string, string>>) = {}): TestApp {
  let started: TestApp | undefined;
  beforeAll(async () => {
    started = await startTestApp(typeof env === 'function' ? await env() : env);
  });
  afterAll(() => started?.close());
  const app = () => {
    if (!started) throw new Error('The app has not started yet (use it inside tests or hooks).');
    return started;
  };
  return {
    get app() {
      return app().app;
    },
    get config() {
      return app().config;
    },
    get infra() {
      return app().infra;
    },
    get baseUrl() {
      return app().baseUrl;
    },
    get metricsUrl() {
      return app().metricsUrl;
    },
    http: () => app().http(),
    close: () => app().close(),
  };
}

/** A stand-in for the built web app (index.html and app.js) in a folder removed after the block; for WEB_DIST. */
export function useFakeWebDist(indexHtml = '<!doctype html><title>Chat</title><div id="root"></div>'): string {
  const dir = mkdtempSync(join(tmpdir(), 'chat-web-'));
  writeFileSync(join(dir, 'index.html'), indexHtml);
  writeFileSync(join(dir, 'app.js'), 'console.log("app")');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * `count` built server processes in production mode on one fresh deployment (PostgreSQL + Redis)
 * for the enclosing block, killed and dropped after it. `nodes` fills in before the tests run.
 */
export function useProductionNodes(count: number, env: Record<string, string> = {}): { readonly nodes: ServerProcess[]; readonly infra: TestInfra } {
  const nodes: ServerProcess[] = [];
  let infra: TestInfra | undefined;
  beforeAll(async () => {
    infra = await createTestInfra('postgres');
    const nodeEnv = { ...infra.env, ...TEST_SECRETS, NODE_ENV: 'production', ...env };
    for (let i = 0; i < count; i++) nodes.push(spawnServer(nodeEnv, await freePort()));
    await Promise.all(nodes.map((n) => waitUntilReady(n)));
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
    await infra?.dispose();
  });
  return {
    nodes,
    get infra() {
      if (!infra) throw new Error('The nodes have not started yet (use them inside tests or hooks).');
      return infra;
    },
  };
}
