import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY, readText, requireTool, run } from './files';

export interface NginxLayout {
  /** Folder for the rendered config, pid file, temp files. */
  dir: string;
  httpPort: number;
  httpsPort: number;
  /** Ports of the app nodes on 127.0.0.1, in the order of app1, app2, ... in the config. */
  appPorts: number[];
  certFile: string;
  keyFile: string;
}

export const nginxBinary = () => requireTool('nginx', 'nginx', ['/usr/sbin/nginx']);

/**
 * deploy/nginx/nginx.conf with only the machine-specific lines changed: listen addresses, the app
 * nodes' addresses (127.0.0.1:<port> instead of appN:3000, without `resolve`, which Debian's nginx
 * 1.22 lacks and literal addresses do not need), certificate, pid and temp paths, and the port of
 * the HTTPS redirect. Every substitution must match, so the test cannot drift from the file.
 */
export function renderNginxConf(layout: NginxLayout, source = readText(DEPLOY.nginxConf)): string {
  let conf = source;
  const substitute = (pattern: RegExp, replacement: (...groups: string[]) => string, expected: number | 'some') => {
    const count = [...conf.matchAll(pattern)].length;
    if (expected === 'some' ? count === 0 : count !== expected) {
      throw new Error(
        `deploy/nginx/nginx.conf: expected ${expected} match(es) of ${pattern}, found ${count}; update test/support/deployment/nginx.ts with the config`,
      );
    }
    conf = conf.replace(pattern, (_match, ...groups: string[]) => replacement(...groups));
  };

  substitute(/^([ \t]*)pid\s+\S+;/gm, (indent) => `${indent}pid ${join(layout.dir, 'nginx.pid')};`, 1);
  substitute(/^([ \t]*)listen 80;/gm, (indent) => `${indent}listen 127.0.0.1:${layout.httpPort};`, 1);
  substitute(/^([ \t]*)listen 443 ssl;/gm, (indent) => `${indent}listen 127.0.0.1:${layout.httpsPort} ssl;`, 1);
  substitute(/^([ \t]*)ssl_certificate\s+\S+;/gm, (indent) => `${indent}ssl_certificate ${layout.certFile};`, 1);
  substitute(/^([ \t]*)ssl_certificate_key\s+\S+;/gm, (indent) => `${indent}ssl_certificate_key ${layout.keyFile};`, 1);
  substitute(/return 301 https:\/\/\$host\$request_uri;/g, () => `return 301 https://$host:${layout.httpsPort}$request_uri;`, 1);
  const seen = new Set<number>();
  substitute(
    /^([ \t]*)server\s+app(\d+):3000([^;]*);/gm,
    (indent, n, params) => {
      const port = layout.appPorts[Number(n) - 1];
      if (port === undefined) throw new Error(`deploy/nginx/nginx.conf names app${n}, but the test runs ${layout.appPorts.length} nodes`);
      seen.add(Number(n));
      return `${indent}server 127.0.0.1:${port}${params.replace(/\s+resolve\b/, '')};`;
    },
    'some',
  );
  if (seen.size !== layout.appPorts.length)
    throw new Error(`deploy/nginx/nginx.conf upstreams name ${seen.size} app nodes, the test runs ${layout.appPorts.length}`);

  // Temp files under the test folder instead of Debian's /var/lib/nginx.
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `    ${kind}_temp_path ${join(layout.dir, 'tmp', kind)};`).join('\n');
  substitute(/^http \{$/gm, () => `http {\n${temp}`, 1);
  return conf;
}

export interface NginxProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

const nginxArgs = (layout: NginxLayout, confFile: string) => ['-p', layout.dir, '-c', confFile, '-e', 'stderr'];

/**
 * nginx's stdout and stderr go to a file: the config logs to /dev/stdout as containers do, and
 * /dev/stdout cannot be opened when it is the socket Node.js gives a child process for a pipe.
 */
const logFileOf = (layout: NginxLayout) => join(layout.dir, 'nginx.log');

function withLogFile<T>(layout: NginxLayout, use: (fd: number) => T): T {
  const fd = openSync(logFileOf(layout), 'a');
  try {
    return use(fd);
  } finally {
    closeSync(fd);
  }
}

const readLog = (layout: NginxLayout) => {
  try {
    return readFileSync(logFileOf(layout), 'utf8');
  } catch {
    return '';
  }
};

/** Renders the config into layout.dir, checks it with `nginx -t`, and returns the file. */
export function writeNginxConf(layout: NginxLayout): string {
  mkdirSync(join(layout.dir, 'tmp'), { recursive: true });
  const confFile = join(layout.dir, 'nginx.conf');
  writeFileSync(confFile, renderNginxConf(layout));
  const check = withLogFile(layout, (fd) => run(nginxBinary(), ['-t', ...nginxArgs(layout, confFile)], { stdio: ['ignore', fd, fd] }));
  if (check.status !== 0) throw new Error(`nginx -t rejected the rendered deploy/nginx/nginx.conf:\n${readLog(layout)}`);
  return confFile;
}

/**
 * nginx in the foreground as a child process (its own process group, so master and workers stop
 * together).
 */
export function startNginx(layout: NginxLayout): NginxProcess {
  const confFile = writeNginxConf(layout);
  const child = withLogFile(layout, (fd) =>
    spawn(nginxBinary(), [...nginxArgs(layout, confFile), '-g', 'daemon off;'], { stdio: ['ignore', fd, fd], detached: true }),
  );
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  // If the test process dies first, do not leave nginx workers behind.
  const onExit = () => signalGroup('SIGKILL');
  process.once('exit', onExit);
  return {
    child,
    output: () => readLog(layout),
    exited,
    stop: async () => {
      process.off('exit', onExit);
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
