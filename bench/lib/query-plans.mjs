// What a PostgreSQL plan (EXPLAIN (ANALYZE, FORMAT JSON)) did: every Seq Scan by relation, the
// indexes used and the plan tree as short lines.

/** `explain` is the JSON of one EXPLAIN ANALYZE; `executionTimes` the execution times of repeated runs. */
export function summarizePlan(explain, executionTimes) {
  const top = explain[0];
  const nodes = [];
  const lines = [];
  const walk = (node, depth) => {
    nodes.push(node);
    const target = [
      node['Relation Name'] ? `on ${node['Relation Name']}${node.Alias && node.Alias !== node['Relation Name'] ? ` ${node.Alias}` : ''}` : '',
      node['Index Name'] ? `using ${node['Index Name']}` : '',
      node['Sort Method'] ? `(${node['Sort Method']}, ${node['Sort Space Used']} kB)` : '',
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(
      `${'  '.repeat(depth)}${node['Node Type']}${node['Parallel Aware'] ? ' (parallel)' : ''} ${target}`.trimEnd() +
        `  rows=${node['Actual Rows']} loops=${node['Actual Loops']} time=${node['Actual Total Time']} ms`,
    );
    for (const child of node.Plans ?? []) walk(child, depth + 1);
  };
  walk(top.Plan, 0);
  const seqScans = nodes
    .filter((node) => node['Node Type'] === 'Seq Scan')
    .map((node) => ({ relation: node['Relation Name'], alias: node.Alias, rows: node['Actual Rows'], loops: node['Actual Loops'] }));
  const indexes = [
    ...new Set(
      nodes
        .filter((node) => node['Index Name'])
        .map((node) => `${node['Index Name']} (${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''})`),
    ),
  ];
  const sorted = [...executionTimes].sort((a, b) => a - b);
  return {
    executionMs: top['Execution Time'],
    medianExecutionMs: sorted[Math.floor(sorted.length / 2)],
    executionMsRuns: executionTimes,
    planningMs: top['Planning Time'],
    rows: top.Plan['Actual Rows'],
    sharedHitBlocks: top.Plan['Shared Hit Blocks'],
    sharedReadBlocks: top.Plan['Shared Read Blocks'],
    seqScans,
    seqScanOnMessages: seqScans.some((scan) => scan.relation === 'messages'),
    indexes,
    plan: lines,
  };
}
