import { createGroup, registerUsers, type SignedIn } from '../builders';
import { freePort, type ServerProcess, spawnServer, waitUntilReady } from '../server-process';
import { onProcessExit } from './util';
import { TEST_SECRETS } from '../test-app';

/** The environment of a production node; `env` adds or overrides anything. */
export function productionEnv(env: Record<string, string>): Record<string, string> {
  return { ...TEST_SECRETS, NODE_ENV: 'production', LOG_LEVEL: 'warn', MESSAGE_RATE_LIMIT: '100000', REGISTER_RATE_LIMIT: '0', ...env };
}

function spawnNode(env: Record<string, string>, port: number, metricsPort: number): ServerProcess {
  const node = spawnServer(productionEnv(env), port, metricsPort);
  onProcessExit(() => {
    if (node.child.exitCode === null) node.child.kill('SIGKILL');
  });
  return node;
}

/** Spawns built server processes (dist/main.js) and waits until all are ready. */
export async function startNodes(envs: Array<Record<string, string>>): Promise<ServerProcess[]> {
  const nodes: ServerProcess[] = [];
  for (const env of envs) nodes.push(spawnNode(env, await freePort(), await freePort()));
  await Promise.all(nodes.map((n) => waitUntilReady(n, 45_000)));
  return nodes;
}

export interface Crash {
  node: number;
  exitCode: number | null;
  /** The lines of the node's output around the fatal error. */
  reason: string;
}

/** The last lines of a dead node's output, where Node.js prints the fatal error. */
export function crashReason(node: ServerProcess): string {
  const lines = node.output().trim().split('\n');
  let at = lines.findIndex((l) => /throw er;|Unhandled '?error'? event|uncaught/i.test(l));
  if (at < 0) at = Math.max(0, lines.length - 12);
  return lines
    .slice(at, at + 12)
    .filter((l) => !l.startsWith('{'))
    .join('\n');
}

/**
 * A fixed set of nodes that a test can check for crashes and bring back (same port, same env),
 * so one test's crash does not decide the next test's outcome.
 */
export class NodeSet {
  readonly crashes: Crash[] = [];

  private constructor(
    readonly nodes: ServerProcess[],
    private readonly envs: Array<Record<string, string>>,
  ) {}

  static async start(envs: Array<Record<string, string>>): Promise<NodeSet> {
    // The first migrates; the others then start together and find the schema in place.
    const nodes = await startNodes(envs.slice(0, 1));
    nodes.push(...(await startNodes(envs.slice(1))));
    return new NodeSet(nodes, envs);
  }

  node(i: number): ServerProcess {
    return this.nodes[i];
  }

  /** Indexes of nodes whose process has exited; records each crash once. */
  dead(): number[] {
    const dead: number[] = [];
    this.nodes.forEach((n, i) => {
      if (n.child.exitCode !== null || n.child.signalCode !== null) {
        dead.push(i);
        if (!this.crashes.some((c) => c.node === i && c.reason === crashReason(n)))
          this.crashes.push({ node: i, exitCode: n.child.exitCode, reason: crashReason(n) });
      }
    });
    return dead;
  }

  /** Resolves with the index of the first node to exit (never, if none does). */
  firstExit(): Promise<number> {
    return Promise.race(this.nodes.map((n, i) => n.exited.then(() => i)));
  }

  /** Restarts dead nodes on their ports; returns how many. */
  async revive(): Promise<number> {
    const dead = this.dead();
    for (const i of dead) {
      const node = spawnNode(this.envs[i], this.nodes[i].port, this.nodes[i].metricsPort);
      this.nodes[i] = node;
      await waitUntilReady(node, 45_000);
    }
    return dead.length;
  }

  /** SIGKILL and start again on the same port (a hung node being replaced by its supervisor). */
  async restart(i: number): Promise<void> {
    await this.nodes[i].stop('SIGKILL');
    const node = spawnNode(this.envs[i], this.nodes[i].port, this.nodes[i].metricsPort);
    this.nodes[i] = node;
    await waitUntilReady(node, 45_000);
  }

  async stop(): Promise<void> {
    await stopNodes(this.nodes);
  }
}

export async function stopNodes(nodes: ServerProcess[]): Promise<void> {
  await Promise.all(nodes.map((n) => n.stop('SIGKILL')));
}

/** Registers `count` users and puts them all in one group; returns the users and the conversation id. */
export async function groupOf(baseUrl: string, count: number, title = 'Faults'): Promise<{ users: SignedIn[]; conversationId: string }> {
  const users = await registerUsers(baseUrl, count);
  const { id } = await createGroup(baseUrl, users[0], users.slice(1), { title });
  return { users, conversationId: id };
}
