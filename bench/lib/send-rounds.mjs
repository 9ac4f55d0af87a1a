// Send phases of two kinds (plain vs something more) over rounds: their medians, the ratios and
// the CPU table. A phase is what a benchmark's send phase returns: CPU ms per acked message of the
// server, PostgreSQL and Redis, and send->ack / send->receive histograms summarized.
import { printTable } from './bench-kit.mjs';
import { median } from './vs-reference.mjs';

const CPU_FIELDS = ['serverCpuMsPerMessage', 'postgresCpuMsPerMessage', 'redisCpuMsPerMessage', 'cpuMsPerMessage'];
const round3 = (value) => Number(value.toFixed(3));

/**
 * An unmeasured warm-up of each kind (half a phase: JIT, prepared statements, pools), then
 * `rounds` rounds of one `phase(kind, sends)` of each kind; `onRound` sees each round as it ends.
 */
export async function runSendRounds(phase, [base, other], { rounds, sends, onRound }) {
  await phase(base, Math.ceil(sends / 2));
  await phase(other, Math.ceil(sends / 2));
  const results = [];
  for (let round = 1; round <= rounds; round++) {
    // The order flips every round, so a machine that drifts favours neither kind.
    const order = round % 2 === 1 ? [base, other] : [other, base];
    const result = { round, order: order.join(', ') };
    for (const kind of order) result[kind] = await phase(kind, sends);
    results.push(result);
    onRound(result);
  }
  return results;
}

/** Medians over `rounds` (`{ [kind]: phase }`) of each kind, and `other` / `base` of those medians (null where base is 0). */
export function mediansOfRounds(rounds, [base, other]) {
  const medians = Object.fromEntries(
    [base, other].map((kind) => [
      kind,
      {
        ...Object.fromEntries(CPU_FIELDS.map((f) => [f, round3(median(rounds.map((r) => r[kind][f])))])),
        sendToAckP50Ms: median(rounds.map((r) => r[kind].sendToAckMs.p50)),
        sendToAckP99Ms: median(rounds.map((r) => r[kind].sendToAckMs.p99)),
        sendToReceiveP50Ms: median(rounds.map((r) => r[kind].sendToReceiveMs.p50)),
        sendToReceiveP99Ms: median(rounds.map((r) => r[kind].sendToReceiveMs.p99)),
      },
    ]),
  );
  const ratios = Object.fromEntries(
    [...CPU_FIELDS, 'sendToAckP50Ms', 'sendToReceiveP50Ms'].map((f) => [f, medians[base][f] > 0 ? round3(medians[other][f] / medians[base][f]) : null]),
  );
  return { medians, ratios };
}

/**
 * runSendRounds over `kinds` with `rounds` and `sends` from `config`, a line on each round
 * (describeRound, then `more(result)`), and their medians and ratios (mediansOfRounds).
 */
export async function measureSendRounds(phase, kinds, config, otherAs, more = () => '') {
  const rounds = await runSendRounds(phase, kinds, {
    rounds: config.rounds,
    sends: config.sends,
    onRound: (result) => console.log(`${describeRound(result, kinds, otherAs)}${more(result)}`),
  });
  return { rounds, ...mediansOfRounds(rounds, kinds) };
}

/**
 * What fails a measureSendRounds result: a ratio of CPU per message `otherAs` / `base` above
 * `ceiling`; in any round, a send of either kind that failed, was lost or (`check(phase)`, a
 * message or nothing) went wrong otherwise. `label` starts each round's line.
 */
export function sendRoundsFailures({ rounds, ratios }, [base, other], { otherAs, ceiling, label, check = () => undefined }) {
  const failures = [];
  if (!(ratios.cpuMsPerMessage <= ceiling)) failures.push(`CPU per message ${otherAs} / ${base} = ${ratios.cpuMsPerMessage} (> ${ceiling})`);
  for (const r of rounds) {
    for (const kind of [base, other]) {
      const p = r[kind];
      const at = `${label} ${r.round} ${kind}`;
      if (p.failed || p.lost || p.acked !== p.sent) failures.push(`${at}: ${p.failed} failed ${JSON.stringify(p.failedReasons)}, ${p.lost} lost`);
      const wrong = check(p);
      if (wrong) failures.push(`${at}: ${wrong}`);
    }
  }
  return failures;
}

/** A round as one line: CPU ms per message of each kind, in all and by process; `otherAs` names the second kind. */
export function describeRound(result, [base, other], otherAs) {
  const [a, b] = [result[base], result[other]];
  return `  round ${result.round}: ${a.cpuMsPerMessage} ms/message ${base}, ${b.cpuMsPerMessage} ${otherAs} (server ${a.serverCpuMsPerMessage} / ${b.serverCpuMsPerMessage}, PostgreSQL ${a.postgresCpuMsPerMessage} / ${b.postgresCpuMsPerMessage}, Redis ${a.redisCpuMsPerMessage} / ${b.redisCpuMsPerMessage})`;
}

/** CPU ms per message and latency of each kind, from `mediansOfRounds`. */
export function printSendCpu(medians, kinds) {
  printTable(
    kinds.map((kind) => ({
      kind,
      server: medians[kind].serverCpuMsPerMessage,
      postgres: medians[kind].postgresCpuMsPerMessage,
      redis: medians[kind].redisCpuMsPerMessage,
      total: medians[kind].cpuMsPerMessage,
      'ack p50': medians[kind].sendToAckP50Ms,
      'ack p99': medians[kind].sendToAckP99Ms,
      'receive p50': medians[kind].sendToReceiveP50Ms,
    })),
    ['kind', 'server', 'postgres', 'redis', 'total', 'ack p50', 'ack p99', 'receive p50'],
  );
}
