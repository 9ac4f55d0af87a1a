// Plumbing of a product-vs-reference run: autovacuum on for the run, PostgreSQL backends of other
// databases (left out of the CPU figures), medians of the rounds and their ratios.
import { printTable, sleep, withAdmin } from './bench-kit.mjs';

/**
 * Benchmark databases (bench_*) other than `own` that something is connected to: another
 * benchmark run on this PostgreSQL right now. Left-over databases of a crashed run have no connection.
 */
async function otherBenchRuns(admin, own = []) {
  const { rows } = await admin.query(
    `select distinct datname from pg_stat_activity where datname like 'bench\\_%' and pid <> pg_backend_pid() and not (datname = any($1::text[]))`,
    [own],
  );
  return rows.map((r) => r.datname);
}

/**
 * Turns autovacuum on for the run (as in production); `restore` puts back what was there. Another
 * benchmark running meanwhile turns it on too: what is seen then is its setting, not the machine's,
 * so the machine's is taken to be the configuration files' (no ALTER SYSTEM value); and a run that
 * ends while another is still going leaves the setting to that one.
 */
export async function autovacuumOn() {
  const before = await withAdmin(async (admin) => {
    const { rows } = await admin.query(`select setting from pg_settings where name = 'autovacuum'`);
    // A value set earlier by ALTER SYSTEM is put back as it was; otherwise ours is removed.
    const altered = await admin.query(`select setting from pg_file_settings where name = 'autovacuum' and sourcefile like '%postgresql.auto.conf' and applied`);
    const others = await otherBenchRuns(admin);
    await admin.query('alter system set autovacuum = on');
    await admin.query('select pg_reload_conf()');
    return { setting: rows[0].setting, alteredSystemValue: others.length ? null : (altered.rows[0]?.setting ?? null), otherRunsAtStart: others };
  });
  await sleep(500);
  const during = await withAdmin((admin) => admin.query('show autovacuum')).then((r) => r.rows[0].autovacuum);
  let restored = false;
  return {
    before: before.setting,
    during,
    otherRunsAtStart: before.otherRunsAtStart,
    /** Puts the setting back, unless another run still needs it on (`own`: this run's databases, if any are left). */
    restore: async (own = []) => {
      if (restored) return;
      restored = true;
      await withAdmin(async (admin) => {
        if ((await otherBenchRuns(admin, own)).length) return;
        if (before.alteredSystemValue === null) await admin.query('alter system reset autovacuum');
        else await admin.query(`alter system set autovacuum = '${before.alteredSystemValue === 'on' ? 'on' : 'off'}'`);
        await admin.query('select pg_reload_conf()');
      });
    },
  };
}

/** What a run that took `autovacuumOn()` records of it in its results. */
export const autovacuumRecord = (autovacuum) => ({
  turnedOnForRun: true,
  before: autovacuum.before,
  during: autovacuum.during,
  note: 'ALTER SYSTEM SET autovacuum = on + pg_reload_conf() for the run, as in production; the previous value is put back at the end',
});

/**
 * Pids of PostgreSQL processes working for databases other than `databaseName` right now (client
 * backends, autovacuum workers); the shared ones (WAL writer, checkpointer, …) have no database.
 */
export async function otherDatabasesBackends(databaseName) {
  const { rows } = await withAdmin((admin) => admin.query('select pid from pg_stat_activity where datname is not null and datname <> $1', [databaseName]));
  return new Set(rows.map((r) => r.pid));
}

export const databaseNameOf = (databaseUrl) => new URL(databaseUrl).pathname.slice(1);

export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Medians per side of every metric (`metrics`: name -> read(run)) over `runs` ({ side, ... }), and
 * product / reference of those medians (null where the reference's is 0 or missing).
 */
export function mediansAndRatios(runs, metrics) {
  const medians = {};
  const ratios = {};
  for (const [metric, read] of Object.entries(metrics)) {
    const of = (side) => median(runs.filter((r) => r.side === side).map(read));
    medians[metric] = { product: of('product'), reference: of('reference') };
    const { product, reference } = medians[metric];
    ratios[metric] = product !== null && reference ? Math.round((product / reference) * 100) / 100 : null;
  }
  return { medians, ratios };
}

/** Ceilings on product / reference: [{ metric, ceiling, ratio, met }]. */
export function checkRatios(ratios, ceilings) {
  return Object.entries(ceilings).map(([metric, ceiling]) => ({
    metric,
    ceiling,
    ratio: ratios[metric],
    met: ratios[metric] !== null && ratios[metric] <= ceiling,
  }));
}

/** The medians of the rounds, product beside reference, and each metric's target when `targetOf` is given. */
export function printMedians(metrics, medians, ratios, targetOf) {
  const rows = metrics.map((metric) => ({
    'median of the rounds': metric,
    product: medians[metric].product,
    reference: medians[metric].reference,
    'product / reference': ratios[metric],
    ...(targetOf ? { target: targetOf(metric) } : {}),
  }));
  printTable(rows, ['median of the rounds', 'product', 'reference', 'product / reference', ...(targetOf ? ['target'] : [])]);
}
