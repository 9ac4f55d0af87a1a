/**
 * Notifications benchmark: mentions and Web Push.
 *
 * Targets: messages with one mention in a room of 500 cost the send path (server + PostgreSQL +
 * Redis CPU per message) at most 1.2x plain ones; a burst of 1,000 messages to 1,000 offline users
 * with a push subscription queues (and delivers, each exactly once) 1,000 pushes while keeping
 * send->ack p99 within 1.2x the same burst to users without one.
 *
 * Environment (all optional):
 *   BENCH_MEMBERS             members of the large group (default 500)
 *   BENCH_CONNECTED           of them on a socket, senders included (default 50)
 *   BENCH_SENDERS             senders of the group, signed up through the API (default 5)
 *   BENCH_SUBSCRIBED_SHARE    share of the members with a push subscription (default 0.1)
 *   BENCH_SENDS               sends per measured mention/plain phase (default 300)
 *   BENCH_SEND_RATE           sends per second in those phases (default 20)
 *   BENCH_ROUNDS              rounds of plain vs mention phases (default 3)
 *   BENCH_BURST               messages per burst, one per recipient (default 1000)
 *   BENCH_BURST_SENDERS       senders of the bursts, one socket each (default 4)
 *   BENCH_BURST_ROUNDS        rounds of with- vs without-subscription bursts (default 3)
 *   BENCH_TIMEOUT_SECONDS     hard limit for the whole benchmark (default 900)
 *   BENCH_DATABASE_URL, BENCH_REDIS_URL  as for the other benchmarks (loopback only)
 */
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { env, envInt, log, now, passOrFail, printFigures, printTable, round, sleep, waitFor, warnIfBusy } from './lib/bench-kit.mjs';
import { request } from './lib/http-client.mjs';
import { reportRun, runBenchmark, startBenchServer } from './lib/run-benchmark.mjs';
import { cpuMeter, emitSend, phaseFigures, SEND_CPU_TIME_SOURCE, sendOnTheClock, sendTracker } from './lib/send-phase.mjs';
import { measureSendRounds, printSendCpu, sendRoundsFailures } from './lib/send-rounds.mjs';
import { accessToken, closeAll, connectMember, presenceWatcher, registerUsers, seedGroups, seedNamedUsers, withDatabase } from './lib/socket-load.mjs';
import { databaseNameOf, median } from './lib/vs-reference.mjs';

const CONFIG = {
  members: envInt('BENCH_MEMBERS', 500),
  connected: envInt('BENCH_CONNECTED', 50),
  senders: envInt('BENCH_SENDERS', 5),
  subscribedShare: Number(env('BENCH_SUBSCRIBED_SHARE', '0.1')),
  sends: envInt('BENCH_SENDS', 300),
  sendRate: envInt('BENCH_SEND_RATE', 20),
  rounds: envInt('BENCH_ROUNDS', 3),
  burst: envInt('BENCH_BURST', 1000),
  burstSenders: envInt('BENCH_BURST_SENDERS', 4),
  burstRounds: envInt('BENCH_BURST_ROUNDS', 3),
  // Past the last expected push, how long further requests are awaited before counting duplicates.
  duplicateWatchMs: 2000,
  targets: { mentionCpuRatio: 1.2, burstAckP99Ratio: 1.2 },
};
const TIMEOUT_MS = envInt('BENCH_TIMEOUT_SECONDS', 900) * 1000;

// ---------------------------------------------------------------------------------------------
// The push service: a local stand-in answering 201, counting requests per subscription path.

async function startPushService() {
  const byPath = new Map();
  const arrivals = [];
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const path = req.url ?? '/';
      byPath.set(path, (byPath.get(path) ?? 0) + 1);
      arrivals.push({ path, topic: req.headers.topic, urgency: req.headers.urgency, at: now() });
      res.writeHead(201).end();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${server.address().port}`;
  return {
    host,
    byPath,
    arrivals,
    /** A subscription as a browser makes it: a P-256 public key (65 bytes) and a 16-byte auth secret, at its own path. */
    subscription() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const path = `/push/${randomUUID()}`;
      return {
        path,
        json: { endpoint: `http://${host}${path}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } },
      };
    },
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding: users with a live session each (set-based, lib/socket-load.mjs), senders through the API.

/** Direct conversations of the pairs [a, b] (set-based), keyed as the server keys them; returns their ids in order. */
async function seedDirects(db, pairs) {
  const keys = pairs.map(([a, b]) => [a, b].sort().join(':'));
  const { rows } = await db.query(
    `insert into conversations (type, direct_key, participant_count)
     select 'direct', k, 2 from unnest($1::text[]) k
     returning id, direct_key`,
    [keys],
  );
  const idOfKey = new Map(rows.map((r) => [r.direct_key, r.id]));
  const ids = keys.map((k) => idOfKey.get(k));
  await db.query(
    `insert into conversation_participants (conversation_id, user_id, role)
     select c, u, 'member' from unnest($1::uuid[], $2::uuid[]) as m(c, u)`,
    [ids.flatMap((id) => [id, id]), pairs.flat()],
  );
  return ids;
}

/** POST /api/push/subscriptions for each user (16 in flight): path -> userId. */
async function subscribeAll(baseUrl, pushService, users) {
  const pathOf = new Map();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < users.length) {
        const user = users[next++];
        const sub = pushService.subscription();
        const res = await request('POST', `${baseUrl}/api/push/subscriptions`, { token: accessToken(user.id, user.sessionId), body: sub.json });
        if (res.status !== 201) throw new Error(`push subscription: ${res.status} ${res.text.slice(0, 200)}`);
        pathOf.set(user.id, sub.path);
      }
    }),
  );
  return pathOf;
}

// ---------------------------------------------------------------------------------------------
// 1. Send CPU in a room of 500: plain vs one mention.

async function mentionPhase(ctx, kind, count) {
  const { server, group, sockets, senders, members, subscribedIds, pushService, databaseName } = ctx;
  const expectedDeliveries = sockets.size - 1;
  const sends = sendTracker();
  let pushesExpected = 0;
  ctx.onReceived = (userId, { message }) => sends.received(message.clientMessageId);
  const pushesBefore = pushService.arrivals.length;
  const stop = await cpuMeter(server, databaseName);
  const started = now();
  await sendOnTheClock({ count, rate: CONFIG.sendRate, started }, (i) => {
    const sender = senders[i % senders.length];
    let mentioned;
    do mentioned = members[Math.floor(Math.random() * members.length)];
    while (mentioned.id === sender.id);
    const clientMessageId = randomUUID();
    sends.start(clientMessageId);
    // The same words either way; a mention only adds "@Name" and its id.
    const payload =
      kind === 'mention'
        ? {
            conversationId: group.id,
            content: `@${mentioned.name} status update ${i}`,
            clientMessageId,
            mentions: { userIds: [mentioned.id], everyone: false },
          }
        : { conversationId: group.id, content: `status update ${i}`, clientMessageId };
    emitSend(sockets.get(sender.id), payload).then((answer) => {
      if (sends.answered(clientMessageId, answer) && kind === 'mention' && subscribedIds.has(mentioned.id)) pushesExpected++;
    });
  });
  // The phase ends once every send is acked, delivered to every connected member and its push (if any) has come.
  const pushes = () => pushService.arrivals.length - pushesBefore;
  await waitFor(() => sends.outstanding(expectedDeliveries) === 0 && pushes() >= pushesExpected, 20_000);
  const seconds = (now() - started) / 1000;
  const spent = await stop();
  return phaseFigures(sends, { kind, sent: count, deliveries: expectedDeliveries, seconds, spent }, { pushesExpected, pushesReceived: pushes() });
}

async function measureMentions(server, infra, pushService) {
  const databaseName = databaseNameOf(infra.databaseUrl);
  const senders = await registerUsers(server.baseUrl, 'Sender', CONFIG.senders);
  const others = await withDatabase(infra.databaseUrl, (db) => seedNamedUsers(db, 'Member', CONFIG.members - CONFIG.senders));
  const members = [...senders, ...others];
  const [group] = await withDatabase(infra.databaseUrl, (db) => seedGroups(db, [members.map((m) => m.id)], 'Notifications bench'));
  // Members on a socket: the senders and the first of the others; those with a push subscription
  // are among the rest, so presence knows no device of theirs and their pushes are due at once.
  const connected = [...senders, ...others.slice(0, Math.max(0, CONFIG.connected - senders.length))];
  const offline = others.slice(connected.length - senders.length);
  const subscribers = offline.slice(0, Math.round(CONFIG.members * CONFIG.subscribedShare));
  const pathOf = await subscribeAll(server.baseUrl, pushService, subscribers);
  log(`  group of ${members.length}, ${connected.length} on a socket, ${subscribers.length} offline members with a push subscription`);

  const ctx = {
    server,
    group,
    senders,
    members,
    subscribedIds: new Set(pathOf.keys()),
    pushService,
    databaseName,
    sockets: new Map(),
    onReceived: () => undefined,
  };
  const watch = presenceWatcher([group]);
  const listeners = { 'message:received': (userId, payload) => ctx.onReceived(userId, payload) };
  for (const user of connected) ctx.sockets.set(user.id, await connectMember(server.baseUrl, user, listeners, watch));
  try {
    // The warm-up warms the push sender too.
    const pushesOf = (result) => `; pushes ${result.mention.pushesReceived}/${result.mention.pushesExpected}`;
    const phase = (kind, count) => mentionPhase(ctx, kind, count);
    const { rounds, medians, ratios } = await measureSendRounds(phase, ['plain', 'mention'], CONFIG, 'with a mention', pushesOf);
    return {
      what: `one group of ${members.length} (seeded; ${senders.length} senders signed up through the API), ${connected.length} members on socket.io (heartbeats from connect, presence:subscribe), ${subscribers.length} offline members with a push subscription to the local push service; ${CONFIG.sends} message:send per phase at ${CONFIG.sendRate}/s, senders in turn; mention phases mention one random other member each. CPU of the server process, this database's PostgreSQL processes and redis-server from the first send until every send is acked, delivered to every connected member and every expected push has reached the push service, per acked message`,
      cpuTimeSource: SEND_CPU_TIME_SOURCE,
      members: members.length,
      connected: connected.length,
      subscribed: subscribers.length,
      presence: watch.stats(),
      rounds,
      medians,
      ratios,
      pushesReceived: rounds.reduce((n, r) => n + r.mention.pushesReceived + r.plain.pushesReceived, 0),
      pushesExpected: rounds.reduce((n, r) => n + r.mention.pushesExpected, 0),
    };
  } finally {
    closeAll(ctx.sockets);
  }
}

// ---------------------------------------------------------------------------------------------
// 2. A burst of direct messages to offline users, with and without a push subscription.

async function burst(ctx, kind) {
  const { server, senders, sockets, sets, pushService, databaseName } = ctx;
  const set = sets[kind];
  const sends = sendTracker();
  const pushesBefore = pushService.arrivals.length;
  const countsBefore = new Map(set.recipients.map((r) => [r.path, pushService.byPath.get(r.path) ?? 0]));
  const stop = await cpuMeter(server, databaseName);
  const started = now();
  // Every message at once, round-robin over the senders' sockets; the limit per user is lifted.
  const acks = set.recipients.map((recipient, i) => {
    const sender = senders[i % senders.length];
    const clientMessageId = randomUUID();
    sends.start(clientMessageId);
    return emitSend(sockets.get(sender.id), { conversationId: recipient.conversationId, content: `are you there? ${i}`, clientMessageId }).then((answer) =>
      sends.answered(clientMessageId, answer),
    );
  });
  await Promise.all(acks);
  const { failed, failedReasons } = sends;
  const ackedAfterMs = now() - started;
  // Every push of the burst (with subscriptions), then a while for any duplicate or stray one.
  const expected = kind === 'subscribed' ? set.recipients.length - failed : 0;
  const pushes = () => pushService.arrivals.length - pushesBefore;
  await waitFor(() => pushes() >= expected, 120_000);
  const drainedAfterMs = now() - started;
  await sleep(CONFIG.duplicateWatchMs);
  const spent = await stop();
  const arrivals = pushService.arrivals.slice(pushesBefore);
  let once = 0;
  let missing = 0;
  let duplicated = 0;
  let wrongTopic = 0;
  const topicOfPath = new Map(set.recipients.map((r) => [r.path, r.conversationId.replaceAll('-', '')]));
  for (const recipient of set.recipients) {
    if (!recipient.path) continue;
    const count = (pushService.byPath.get(recipient.path) ?? 0) - countsBefore.get(recipient.path);
    if (count === 1) once++;
    else if (count === 0) missing++;
    else duplicated++;
  }
  for (const arrival of arrivals) if (topicOfPath.get(arrival.path) !== arrival.topic) wrongTopic++;
  const lastPush = arrivals.at(-1);
  return {
    kind,
    sent: set.recipients.length,
    acked: set.recipients.length - failed,
    failed,
    failedReasons,
    sendToAckMs: sends.latency().sendToAckMs,
    allAckedAfterMs: round(ackedAfterMs, 1),
    pushesReceived: arrivals.length,
    pushesExpected: expected,
    subscriptionsPushedOnce: once,
    subscriptionsMissing: missing,
    subscriptionsDuplicated: duplicated,
    pushesWithWrongTopic: wrongTopic,
    lastPushAfterMs: lastPush ? round(lastPush.at - started, 1) : null,
    waitedForPushesMs: round(drainedAfterMs, 1),
    serverCpuSeconds: round(spent.serverSeconds, 3),
    postgresCpuSeconds: round(spent.postgresSeconds, 3),
    redisCpuSeconds: round(spent.redisSeconds, 3),
  };
}

async function measureBursts(server, infra, pushService) {
  const databaseName = databaseNameOf(infra.databaseUrl);
  const senders = await registerUsers(server.baseUrl, 'Burst sender', CONFIG.burstSenders);
  const { subscribed, unsubscribed } = await withDatabase(infra.databaseUrl, async (db) => {
    const users = await seedNamedUsers(db, 'Recipient', 2 * CONFIG.burst);
    const make = async (recipients) => {
      const ids = await seedDirects(
        db,
        recipients.map((r, i) => [senders[i % senders.length].id, r.id]),
      );
      return recipients.map((r, i) => ({ ...r, conversationId: ids[i] }));
    };
    return { subscribed: await make(users.slice(0, CONFIG.burst)), unsubscribed: await make(users.slice(CONFIG.burst)) };
  });
  const pathOf = await subscribeAll(server.baseUrl, pushService, subscribed);
  for (const r of subscribed) r.path = pathOf.get(r.id);
  log(`  ${CONFIG.burst} direct conversations with subscribed offline users, ${CONFIG.burst} with users without one, ${senders.length} senders`);

  const ctx = {
    server,
    senders,
    sets: { subscribed: { recipients: subscribed }, unsubscribed: { recipients: unsubscribed } },
    pushService,
    databaseName,
    sockets: new Map(),
  };
  for (const sender of senders) ctx.sockets.set(sender.id, await connectMember(server.baseUrl, sender));
  try {
    // Unmeasured warm-up: a small burst of each kind (their pushes are awaited and counted there).
    const warmup = (kind) => ({ recipients: ctx.sets[kind].recipients.slice(0, Math.min(100, CONFIG.burst)) });
    for (const kind of ['subscribed', 'unsubscribed']) {
      const full = ctx.sets[kind];
      ctx.sets[kind] = warmup(kind);
      await burst(ctx, kind);
      ctx.sets[kind] = full;
    }
    const rounds = [];
    for (let r = 1; r <= CONFIG.burstRounds; r++) {
      const order = r % 2 === 1 ? ['unsubscribed', 'subscribed'] : ['subscribed', 'unsubscribed'];
      const result = { round: r, order: order.join(', ') };
      for (const kind of order) result[kind] = await burst(ctx, kind);
      rounds.push(result);
      const s = result.subscribed;
      const u = result.unsubscribed;
      log(
        `  round ${r}: send->ack p99 ${s.sendToAckMs.p99} ms with subscriptions, ${u.sendToAckMs.p99} without (p50 ${s.sendToAckMs.p50} / ${u.sendToAckMs.p50}); pushes ${s.pushesReceived}/${s.pushesExpected}, ${s.subscriptionsPushedOnce} subscriptions exactly once, last after ${s.lastPushAfterMs} ms`,
      );
    }
    const medianOf = (kind, read) => median(rounds.map((r) => read(r[kind])));
    const medians = Object.fromEntries(
      ['subscribed', 'unsubscribed'].map((kind) => [
        kind,
        {
          sendToAckP50Ms: medianOf(kind, (p) => p.sendToAckMs.p50),
          sendToAckP99Ms: medianOf(kind, (p) => p.sendToAckMs.p99),
          allAckedAfterMs: medianOf(kind, (p) => p.allAckedAfterMs),
          lastPushAfterMs: medianOf(kind, (p) => p.lastPushAfterMs ?? NaN),
          serverCpuSeconds: medianOf(kind, (p) => p.serverCpuSeconds),
          postgresCpuSeconds: medianOf(kind, (p) => p.postgresCpuSeconds),
          redisCpuSeconds: medianOf(kind, (p) => p.redisCpuSeconds),
        },
      ]),
    );
    const ratio = (f) => (medians.unsubscribed[f] > 0 ? round(medians.subscribed[f] / medians.unsubscribed[f], 3) : null);
    return {
      what: `${CONFIG.burst} message:send at once, one to each of ${CONFIG.burst} offline users (never connected) in its own direct conversation, round-robin over ${senders.length} senders' sockets; 'subscribed' recipients each have one push subscription to the local push service (due at once: no live device), 'unsubscribed' ones have none. Send->ack from each emit; a burst's CPU runs from the first send until every push has come plus ${CONFIG.duplicateWatchMs} ms watching for duplicates`,
      recipientsPerBurst: CONFIG.burst,
      senders: senders.length,
      rounds,
      medians,
      ratios: {
        sendToAckP50Ms: ratio('sendToAckP50Ms'),
        sendToAckP99Ms: ratio('sendToAckP99Ms'),
        allAckedAfterMs: ratio('allAckedAfterMs'),
        serverCpuSeconds: ratio('serverCpuSeconds'),
      },
    };
  } finally {
    closeAll(ctx.sockets);
  }
}

// ---------------------------------------------------------------------------------------------

async function main(cleanups, run) {
  const { loadAverage } = run;

  const pushService = await startPushService();
  cleanups.push(() => pushService.stop());
  const { autovacuum, infra, server } = await startBenchServer(cleanups, 'notifications', { PUSH_ENDPOINT_ALLOWLIST: pushService.host });
  log(`> server ready at ${server.baseUrl} (pid ${server.pid}), push service at http://${pushService.host}`);

  log(`> send CPU in a group of ${CONFIG.members}: ${CONFIG.rounds} rounds of ${CONFIG.sends} sends plain vs one mention, ${CONFIG.sendRate}/s`);
  loadAverage.beforeMentions = os.loadavg();
  warnIfBusy(loadAverage.beforeMentions);
  const mentions = await measureMentions(server, infra, pushService);

  log(`> push burst: ${CONFIG.burstRounds} rounds of ${CONFIG.burst} direct messages to offline users, with vs without a push subscription`);
  loadAverage.beforeBursts = os.loadavg();
  warnIfBusy(loadAverage.beforeBursts);
  const bursts = await measureBursts(server, infra, pushService);
  loadAverage.end = os.loadavg();

  // Verdict.
  const failures = [];
  failures.push(
    ...sendRoundsFailures(mentions, ['plain', 'mention'], {
      otherAs: 'with a mention',
      ceiling: CONFIG.targets.mentionCpuRatio,
      label: 'mentions round',
      check: (p) => (p.pushesReceived === p.pushesExpected ? undefined : `${p.pushesReceived} pushes received, ${p.pushesExpected} expected`),
    }),
  );
  if (!(bursts.ratios.sendToAckP99Ms <= CONFIG.targets.burstAckP99Ratio))
    failures.push(`burst send->ack p99 with push subscriptions / without = ${bursts.ratios.sendToAckP99Ms} (> ${CONFIG.targets.burstAckP99Ratio})`);
  for (const r of bursts.rounds) {
    for (const kind of ['subscribed', 'unsubscribed']) {
      const p = r[kind];
      if (p.failed) failures.push(`burst round ${r.round} ${kind}: ${p.failed} failed ${JSON.stringify(p.failedReasons)}`);
      if (p.pushesReceived !== p.pushesExpected || p.pushesWithWrongTopic)
        failures.push(
          `burst round ${r.round} ${kind}: ${p.pushesReceived} pushes received, ${p.pushesExpected} expected, ${p.pushesWithWrongTopic} with the wrong topic`,
        );
    }
    const s = r.subscribed;
    if (s.subscriptionsPushedOnce !== s.sent)
      failures.push(
        `burst round ${r.round}: ${s.subscriptionsPushedOnce}/${s.sent} subscriptions pushed exactly once (${s.subscriptionsMissing} missing, ${s.subscriptionsDuplicated} more than once)`,
      );
  }

  log('');
  printFigures([
    { figure: `CPU ms/message plain, group of ${mentions.members}`, value: mentions.medians.plain.cpuMsPerMessage },
    { figure: 'CPU ms/message with 1 mention', value: mentions.medians.mention.cpuMsPerMessage },
    {
      figure: 'ratio mention / plain',
      value: mentions.ratios.cpuMsPerMessage,
      target: `<= ${CONFIG.targets.mentionCpuRatio}`,
      result: passOrFail(mentions.ratios.cpuMsPerMessage <= CONFIG.targets.mentionCpuRatio),
    },
    {
      figure: 'pushes from mentions received / expected',
      value: `${mentions.pushesReceived}/${mentions.pushesExpected}`,
      result: passOrFail(mentions.pushesReceived === mentions.pushesExpected),
    },
    {
      figure: `burst of ${CONFIG.burst}: ack p50 / p99 without subs (ms)`,
      value: `${bursts.medians.unsubscribed.sendToAckP50Ms} / ${bursts.medians.unsubscribed.sendToAckP99Ms}`,
    },
    {
      figure: `burst of ${CONFIG.burst}: ack p50 / p99 with subs (ms)`,
      value: `${bursts.medians.subscribed.sendToAckP50Ms} / ${bursts.medians.subscribed.sendToAckP99Ms}`,
    },
    {
      figure: 'ratio ack p99 with / without subs',
      value: bursts.ratios.sendToAckP99Ms,
      target: `<= ${CONFIG.targets.burstAckP99Ratio}`,
      result: passOrFail(bursts.ratios.sendToAckP99Ms <= CONFIG.targets.burstAckP99Ratio),
    },
    {
      figure: 'subscriptions pushed exactly once',
      value: bursts.rounds.map((r) => `${r.subscribed.subscriptionsPushedOnce}/${r.subscribed.sent}`).join(', '),
      result: passOrFail(bursts.rounds.every((r) => r.subscribed.subscriptionsPushedOnce === r.subscribed.sent)),
    },
    { figure: 'last push of a burst after (ms)', value: bursts.medians.subscribed.lastPushAfterMs },
  ]);
  log('\nsend CPU ms per message in the group, medians of the rounds\n');
  printSendCpu(mentions.medians, ['plain', 'mention']);
  log('\nbursts, medians of the rounds\n');
  printTable(
    ['unsubscribed', 'subscribed'].map((kind) => ({
      kind,
      'ack p50': bursts.medians[kind].sendToAckP50Ms,
      'ack p99': bursts.medians[kind].sendToAckP99Ms,
      'all acked (ms)': bursts.medians[kind].allAckedAfterMs,
      'last push (ms)': bursts.medians[kind].lastPushAfterMs,
      'server CPU s': bursts.medians[kind].serverCpuSeconds,
      'PG CPU s': bursts.medians[kind].postgresCpuSeconds,
      'Redis CPU s': bursts.medians[kind].redisCpuSeconds,
    })),
    ['kind', 'ack p50', 'ack p99', 'all acked (ms)', 'last push (ms)', 'server CPU s', 'PG CPU s', 'Redis CPU s'],
  );
  log('');

  await reportRun(
    'notifications',
    run,
    {
      targets: {
        mentionCpu: `CPU per message (server + PostgreSQL + Redis) with one mention in a group of ${CONFIG.members} <= ${CONFIG.targets.mentionCpuRatio}x plain (medians of the rounds)`,
        burst: `a burst of ${CONFIG.burst} messages to ${CONFIG.burst} offline users with a push subscription: every subscription pushed exactly once, send->ack p99 <= ${CONFIG.targets.burstAckP99Ratio}x the same burst to users without one (medians of the rounds)`,
      },
      failures,
      autovacuum,
    },
    {
      config: CONFIG,
      mentions,
      bursts,
    },
  );
}

await runBenchmark(main, {
  timeoutMs: TIMEOUT_MS,
  title: `Notifications benchmark: ${CONFIG.rounds} rounds of ${CONFIG.sends} sends plain vs with one mention in a group of ${CONFIG.members}; ${CONFIG.burstRounds} rounds of a burst of ${CONFIG.burst} direct messages to offline users with vs without a push subscription`,
});
