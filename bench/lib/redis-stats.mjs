// What Redis did for one server process: instance-wide INFO commandstats, and the exact commands of
// the process's own connections (and of the scripts they ran) through MONITOR, so a test suite or
// another benchmark using the same Redis does not count.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

function parseInfo(text) {
  const values = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) values[line.slice(0, at)] = line.slice(at + 1);
  }
  return values;
}

/** INFO of the whole instance: commands processed, calls per command (commands run by scripts included), CPU seconds. */
export async function redisInfoSnapshot(redis) {
  const info = parseInfo(await redis.info('all'));
  const calls = {};
  for (const [key, value] of Object.entries(info)) {
    if (key.startsWith('cmdstat_')) calls[key.slice('cmdstat_'.length)] = Number(/calls=(\d+)/.exec(value)?.[1] ?? 0);
  }
  return {
    at: performance.now(),
    totalCommandsProcessed: Number(info.total_commands_processed),
    cpuSeconds: Number(info.used_cpu_sys) + Number(info.used_cpu_user),
    calls,
  };
}

/** Calls between two snapshots: total and per command, busiest first. */
export function redisInfoDelta(before, after) {
  const byCommand = Object.entries(after.calls)
    .map(([command, calls]) => ({ command, calls: calls - (before.calls[command] ?? 0) }))
    .filter((c) => c.calls > 0)
    .sort((a, b) => b.calls - a.calls);
  return {
    seconds: Math.round(((after.at - before.at) / 1000) * 10) / 10,
    totalCommandsProcessed: after.totalCommandsProcessed - before.totalCommandsProcessed,
    commandstatsCalls: byCommand.reduce((n, c) => n + c.calls, 0),
    byCommand,
  };
}

/** Local ports of the TCP connections process `pid` holds to `redisPort` (read from /proc). */
export function redisClientPortsOf(pid, redisPort) {
  const inodes = new Set();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) inodes.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  const ports = new Set();
  for (const table of ['tcp', 'tcp6']) {
    let text;
    try {
      text = readFileSync(`/proc/${pid}/net/${table}`, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || !inodes.has(fields[9])) continue;
      const localPort = parseInt(fields[1].split(':').pop(), 16);
      const remotePort = parseInt(fields[2].split(':').pop(), 16);
      if (remotePort === redisPort) ports.add(localPort);
    }
  }
  return ports;
}

/**
 * Watches Redis with MONITOR until `stop()`: the commands sent by process `pid`'s connections
 * (round trips; a pipeline counts as its commands, an EVAL as one) and the commands that scripts
 * ran on keys under `keyPrefix`. MONITOR slows Redis down: measure no Redis CPU meanwhile.
 */
export async function monitorProcessCommands(redisUrl, pid, keyPrefix) {
  const url = new URL(redisUrl);
  const redisPort = Number(url.port || 6379);
  let ports = redisClientPortsOf(pid, redisPort);
  const sent = {};
  const inScripts = {};
  let lines = 0;
  // A plain connection: MONITOR's stream is one simple-string line per command, e.g.
  //   +1700000000.123456 [0 127.0.0.1:51234] "evalsha" "…" "3" "prefix:key" …   ([0 lua] inside scripts)
  const socket = net.connect(redisPort, url.hostname);
  socket.setEncoding('utf8');
  let buffered = '';
  let started;
  const monitoring = new Promise((resolve) => (started = resolve));
  const onLine = (line) => {
    if (line === '+OK') return started();
    const m = /^\+\S+ \[\d+ ([^\]]+)\] "((?:[^"\\]|\\.)*)"(?: "((?:[^"\\]|\\.)*)")?/.exec(line);
    if (!m) return;
    lines++;
    const [, source, name, firstArg = ''] = m;
    const command = name.toLowerCase();
    if (source === 'lua') {
      if (firstArg.startsWith(keyPrefix)) inScripts[command] = (inScripts[command] ?? 0) + 1;
      return;
    }
    if (ports.has(Number(source.split(':').pop()))) sent[command] = (sent[command] ?? 0) + 1;
  };
  socket.on('data', (chunk) => {
    const parts = (buffered + chunk).split('\r\n');
    buffered = parts.pop();
    for (const line of parts) onLine(line);
  });
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('connect', resolve);
  });
  socket.on('error', () => undefined); // a reset while closing is of no interest
  if (url.password) socket.write(`AUTH ${decodeURIComponent(url.username || 'default')} ${decodeURIComponent(url.password)}\r\n`);
  socket.write('MONITOR\r\n');
  await monitoring;
  // A connection the process opens meanwhile (a reconnect) counts too.
  const refresh = setInterval(() => {
    for (const port of redisClientPortsOf(pid, redisPort)) ports.add(port);
  }, 1000);
  return {
    /** Stops watching at once (commands still on their way are not counted). */
    stop: () => {
      clearInterval(refresh);
      ports = new Set([...ports, ...redisClientPortsOf(pid, redisPort)]);
      socket.destroy();
      const sorted = (counts) => Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
      const sum = (counts) => Object.values(counts).reduce((n, c) => n + c, 0);
      return {
        serverConnections: ports.size,
        sent: sum(sent),
        sentByCommand: sorted(sent),
        inScripts: sum(inScripts),
        inScriptsByCommand: sorted(inScripts),
        monitorLines: lines,
      };
    },
  };
}
