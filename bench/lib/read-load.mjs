// Receipt traffic from its own process: the members who read are other people's clients, so their
// sockets, acks and garbage stay out of the process that times message delivery.
//
// Parent side: `startReaders(baseUrl, members, sessionOf)` forks this file and returns
// { start(rate), stop(), close() }. Child side: connects every reader, follows each group's newest
// message from its own deliveries, and sends `rate` receipt:read/s of it by random readers.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { newHistogram, SECRETS, summarize } from './bench-kit.mjs';
import { closeAll, connectAll } from './socket-load.mjs';

const TICK_MS = 10;

/** `readerGroups`: [{ id, members }] where members are the readers of that group. */
export async function startReaders(baseUrl, readerGroups, sessionOf) {
  const child = fork(fileURLToPath(import.meta.url), ['--child'], {
    env: { ...process.env, ...SECRETS },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const replies = [];
  child.on('message', (message) => replies.shift()?.(message));
  const ask = (message) =>
    new Promise((resolve, reject) => {
      replies.push((reply) => (reply.error ? reject(new Error(reply.error)) : resolve(reply)));
      child.send(message);
    });
  await ask({ type: 'init', baseUrl, groups: readerGroups, sessions: [...sessionOf] });
  return {
    start: (rate) => ask({ type: 'start', rate }),
    /** Stops sending, waits for the answers still due, and returns the phase's read figures. */
    stop: () => ask({ type: 'stop' }),
    close: async () => {
      await ask({ type: 'close' }).catch(() => undefined);
      child.kill();
    },
  };
}

async function child() {
  let groups = [];
  let sockets = new Map();
  const latest = new Map();
  let phase;
  let timer;

  const read = (socket, conversationId, messageId) => {
    const t0 = performance.now();
    phase.reads++;
    phase.outstanding++;
    socket.timeout(10_000).emit('receipt:read', { conversationId, messageId }, (err, ack) => {
      phase.outstanding--;
      if (err || !ack?.ok) phase.failed++;
      else phase.ack.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
    });
  };

  const handlers = {
    async init({ baseUrl, groups: readerGroups, sessions }) {
      groups = readerGroups;
      const readers = groups.flatMap((group) => group.members);
      sockets = await connectAll(baseUrl, { sessionOf: new Map(sessions) }, readers, {
        'message:received': (_userId, { message }) => {
          const known = latest.get(message.conversationId);
          if (!known || known.seq < message.seq) latest.set(message.conversationId, { id: message.id, seq: message.seq });
        },
      });
      return { connected: sockets.size };
    },
    start({ rate }) {
      phase = { reads: 0, failed: 0, outstanding: 0, ack: newHistogram() };
      let carry = 0;
      timer = setInterval(() => {
        carry += (rate * TICK_MS) / 1000;
        for (; carry >= 1; carry--) {
          const group = groups[Math.floor(Math.random() * groups.length)];
          const newest = latest.get(group.id);
          if (!newest) continue;
          const reader = group.members[Math.floor(Math.random() * group.members.length)];
          const socket = sockets.get(reader);
          if (socket?.connected) read(socket, group.id, newest.id);
        }
      }, TICK_MS);
      return {};
    },
    async stop() {
      clearInterval(timer);
      const deadline = performance.now() + 15_000;
      while (phase.outstanding > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return { reads: phase.reads, readsFailed: phase.failed + phase.outstanding, readToAck: summarize(phase.ack) };
    },
    close() {
      closeAll(sockets);
      return {};
    },
  };

  process.on('message', async (message) => {
    try {
      process.send(await handlers[message.type](message));
    } catch (error) {
      process.send({ error: String(error?.stack ?? error) });
    }
  });
}

if (process.argv.includes('--child')) child();
