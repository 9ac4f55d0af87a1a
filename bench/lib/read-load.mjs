// Receipt traffic from its own process: the members who read are other people's clients, so their
// sockets, acks and garbage stay out of the process that times message delivery.
//
// Parent side: `startReaders(baseUrl, members, sessionOf, options)` forks this file and returns
// { start(rate), stop(), close() }. Child side: connects every reader and sends `rate`
// receipt:read/s. Who reads what (`options.pick`):
//   - 'group-newest' (default): a random reader of a random group reads the newest message any
//     reader saw in that group;
//   - 'own-newest': the reader whose unread message has waited longest reads the newest message
//     its own socket received, as a client with the conversation open does; a reader with nothing
//     new does not read.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { newHistogram, SECRETS, summarize } from './bench-kit.mjs';
import { closeAll, connectAll, presenceWatcher } from './socket-load.mjs';

const TICK_MS = 10;

/**
 * `readerGroups`: [{ id, members }] where members are the readers of that group. `options`:
 * `tokenOf(userId)` for a server with its own tokens (the reference), `reconnect` and
 * `heartbeatFromConnect` as in connectAll, `contactGroups` (whole groups: each reader then watches
 * its contacts' presence), `pick` (see above).
 */
export async function startReaders(baseUrl, readerGroups, sessionOf, options = {}) {
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
  const { tokenOf, reconnect = false, heartbeatFromConnect = false, contactGroups, pick = 'group-newest' } = options;
  const readers = readerGroups.flatMap((group) => group.members);
  // A child whose readers could not connect is not left behind.
  await ask({
    type: 'init',
    baseUrl,
    groups: readerGroups,
    sessions: sessionOf ? [...sessionOf] : [],
    tokens: tokenOf ? readers.map((userId) => [userId, tokenOf(userId)]) : undefined,
    connect: { reconnect, heartbeatFromConnect },
    contactGroups,
    pick,
  }).catch((error) => {
    child.kill();
    throw error;
  });
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
  let pick = 'group-newest';
  let presenceWatch;
  let disconnects = 0;
  // group-newest: conversationId -> newest { id, seq } any reader saw.
  const latest = new Map();
  // own-newest: readerId -> { conversationId, id, seq } newest received and not read yet, in the
  // order the readers first had something new (a Map keeps insertion order); readerId -> seq read.
  const unread = new Map();
  const readUpTo = new Map();
  let phase;
  let timer;

  const read = (socket, conversationId, messageId, seq) => {
    const t0 = performance.now();
    phase.reads++;
    phase.outstanding++;
    socket.timeout(10_000).emit('receipt:read', { conversationId, messageId }, (err, ack) => {
      phase.outstanding--;
      if (err) phase.timedOut++;
      else if (!ack?.ok) {
        phase.refused++;
        phase.codes[ack?.code] = (phase.codes[ack?.code] ?? 0) + 1;
      } else {
        phase.ack.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        // Markers only move forward: after reading seq N the reader's marker is at least N.
        if (!(ack.conversationId === conversationId && ack.lastReadSeq >= seq && Number.isInteger(ack.unreadCount) && ack.unreadCount >= 0)) phase.wrong++;
      }
    });
  };

  const pickers = {
    'group-newest'() {
      const group = groups[Math.floor(Math.random() * groups.length)];
      const newest = latest.get(group.id);
      if (!newest) return false;
      const reader = group.members[Math.floor(Math.random() * group.members.length)];
      const socket = sockets.get(reader);
      if (socket?.connected) read(socket, group.id, newest.id, newest.seq);
      return true;
    },
    'own-newest'() {
      for (const [reader, message] of unread) {
        unread.delete(reader);
        const socket = sockets.get(reader);
        if (!socket?.connected) continue;
        readUpTo.set(reader, message.seq);
        read(socket, message.conversationId, message.id, message.seq);
        return true;
      }
      return false;
    },
  };

  const received = (userId, { message }) => {
    const known = latest.get(message.conversationId);
    if (!known || known.seq < message.seq) latest.set(message.conversationId, { id: message.id, seq: message.seq });
    if (pick !== 'own-newest' || message.seq <= (readUpTo.get(userId) ?? 0)) return;
    const waiting = unread.get(userId);
    if (!waiting) unread.set(userId, { conversationId: message.conversationId, id: message.id, seq: message.seq });
    else if (waiting.seq < message.seq) Object.assign(waiting, { id: message.id, seq: message.seq });
  };

  const handlers = {
    async init({ baseUrl, groups: readerGroups, sessions, tokens, connect, contactGroups, pick: chosen }) {
      groups = readerGroups;
      pick = chosen;
      if (!pickers[pick]) throw new Error(`unknown pick ${pick}`);
      const tokenOf = tokens ? new Map(tokens) : undefined;
      presenceWatch = contactGroups ? presenceWatcher(contactGroups) : undefined;
      const readers = groups.flatMap((group) => group.members);
      sockets = await connectAll(
        baseUrl,
        { sessionOf: new Map(sessions), tokenOf: tokenOf && ((userId) => tokenOf.get(userId)) },
        readers,
        { 'message:received': received, disconnect: () => disconnects++ },
        { ...connect, presenceWatch },
      );
      return { connected: sockets.size };
    },
    start({ rate }) {
      phase = { reads: 0, refused: 0, timedOut: 0, wrong: 0, codes: {}, outstanding: 0, nothingNew: 0, ack: newHistogram() };
      const started = performance.now();
      let done = 0;
      timer = setInterval(() => {
        // On the clock, like the message load: a late tick catches up, so every server gets the
        // same reads. A read with no reader to make it (nothing new yet) stays owed, up to a
        // second's worth; beyond that it is dropped and counted.
        const due = Math.floor((rate * (performance.now() - started)) / 1000);
        if (due - done > rate) {
          phase.nothingNew += due - done - rate;
          done = due - rate;
        }
        while (done < due && pickers[pick]()) done++;
      }, TICK_MS);
      phase.owed = () => Math.floor((rate * (performance.now() - started)) / 1000) - done;
      return {};
    },
    async stop() {
      clearInterval(timer);
      phase.nothingNew += Math.max(0, phase.owed());
      const deadline = performance.now() + 15_000;
      while (phase.outstanding > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      return {
        reads: phase.reads,
        // Every read that did not come back ok: refused, timed out (10 s), or still unanswered at the end.
        readsFailed: phase.refused + phase.timedOut + phase.outstanding,
        readsRefused: phase.refused,
        readsRefusedCodes: phase.codes,
        readsTimedOut: phase.timedOut + phase.outstanding,
        // Answered ok with a marker below the message read, or a malformed answer.
        readsWrongAnswer: phase.wrong,
        // Dropped: owed for over a second with no reader that had anything new (own-newest) or no
        // message yet in the group picked (group-newest), or still owed when the phase ended.
        readsNotDue: phase.nothingNew,
        readToAck: summarize(phase.ack),
        readerDisconnects: disconnects,
        readerPresenceWatch: presenceWatch?.stats(),
      };
    },
    close() {
      closeAll(sockets);
      return {};
    },
  };

  // The benchmark is gone (finished, failed or killed): so are its readers.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message) => {
    try {
      process.send(await handlers[message.type](message));
    } catch (error) {
      process.send({ error: String(error?.stack ?? error) });
    }
  });
}

if (process.argv.includes('--child')) child();
