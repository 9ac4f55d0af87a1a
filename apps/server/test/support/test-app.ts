import type { AddressInfo } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { MetricsServer } from '../../src/modules/metrics/metrics.server';
import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { createTestInfra, infraMode, type TestInfra, type TestInfraMode } from './infra';

export const TEST_SECRETS = {
  JWT_ACCESS_SECRET: 'test-access-secret-0123456789abcdef0123456789',
  JWT_REFRESH_SECRET: 'test-refresh-secret-0123456789abcdef012345678',
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
export async function startTestApp(
  env: Record<string, string> = {},
  mode: TestInfraMode = infraMode(),
  sharedInfra?: TestInfra,
): Promise<TestApp> {
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
