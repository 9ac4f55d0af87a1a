import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import YAML from 'yaml';

/** The repository root, and the deployment files the tests read. */
export const REPO_ROOT = resolve(__dirname, '../../../../..');
export const repoPath = (...parts: string[]) => join(REPO_ROOT, ...parts);
export const DEPLOY = {
  compose: repoPath('docker-compose.yml'),
  dockerfile: repoPath('Dockerfile'),
  dockerignore: repoPath('.dockerignore'),
  nginxConf: repoPath('deploy/nginx/nginx.conf'),
  prometheusConfig: repoPath('deploy/prometheus/prometheus.yml'),
  prometheusAlerts: repoPath('deploy/prometheus/alerts.yml'),
  prometheusAlertTests: repoPath('deploy/prometheus/alerts.test.yml'),
  grafanaDatasource: repoPath('deploy/grafana/provisioning/datasources/prometheus.yml'),
  grafanaDashboardProvider: repoPath('deploy/grafana/provisioning/dashboards/chat.yml'),
  grafanaAlerts: repoPath('deploy/grafana/provisioning/alerting/chat-alerts.yml'),
  grafanaDashboard: repoPath('deploy/grafana/dashboards/chat.json'),
  entrypoint: repoPath('deploy/app/docker-entrypoint.sh'),
  generateSecrets: repoPath('deploy/generate-secrets.sh'),
  metricsService: repoPath('apps/server/src/modules/metrics/metrics.service.ts'),
};

/** A parsed YAML or JSON file: the tests assert its shape field by field, so it is read untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Document = any;

export const readText = (path: string) => readFileSync(path, 'utf8');
/** YAML with `<<: *anchor` merge keys resolved, as docker compose reads it. */
export const readYaml = <T = Document>(path: string): T => YAML.parse(readText(path), { merge: true }) as T;

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: SpawnSyncOptions = {}): RunResult {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, ...options });
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? '') };
}

/**
 * The path of a system tool the deployment tests need, or an error that says which Debian package
 * provides it (CI installs them in .ci/run).
 */
export function requireTool(name: string, debianPackage: string, candidates: string[] = []): string {
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = String(found.stdout ?? '').trim();
  if (found.status === 0 && path) return path;
  throw new Error(`${name} is not installed: the deployment tests need it (apt-get install ${debianPackage})`);
}

/** `${NAME:-default}` and `${NAME}` as compose interpolates them, from `vars` (the environment by default). */
export function interpolate(value: string, vars: Record<string, string | undefined> = process.env): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, name: string, fallback?: string) => vars[name] || fallback || '');
}

/** Every chat_* metric name a PromQL expression refers to, histogram suffixes removed. */
export function metricNamesIn(expr: string): string[] {
  const names = new Set<string>();
  for (const [name] of expr.matchAll(/\bchat_[a-z0-9_]+\b/g)) names.add(name);
  return [...names];
}

export const baseMetricName = (name: string, histograms: Set<string>) => {
  const base = name.replace(/_(bucket|sum|count)$/, '');
  return histograms.has(base) ? base : name;
};

/** Metric names declared in metrics.service.ts, and which of them are histograms. */
export function declaredMetrics(): { names: Set<string>; histograms: Set<string>; defaultPrefix: string | undefined } {
  const source = readText(DEPLOY.metricsService);
  const names = new Set<string>();
  const histograms = new Set<string>();
  for (const match of source.matchAll(/new (Histogram|Counter|Gauge)\(\{\s*name: '([a-z0-9_]+)'/g)) {
    names.add(match[2]);
    if (match[1] === 'Histogram') histograms.add(match[2]);
  }
  const defaultPrefix = /collectDefaultMetrics\(\{[^}]*prefix: '([a-z_]+)'/.exec(source)?.[1];
  return { names, histograms, defaultPrefix };
}

/** `# TYPE name kind` lines of a Prometheus text exposition. */
export function exposedMetrics(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(match[1], match[2]);
  return types;
}

/** The value of an unlabelled sample, e.g. chat_sockets_connected. */
export function sampleValue(text: string, name: string): number | undefined {
  const match = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  return match ? Number(match[1]) : undefined;
}
