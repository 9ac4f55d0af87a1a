import type { ChildProcess } from 'node:child_process';
import type { AuthResponse, ClientToServerEvents, ConversationDetail, Message, ServerToClientEvents } from '@chat/shared';
import type { Client } from 'pg';
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client';

// server-process.mjs
export declare const REPO_ROOT: string;
export declare const SERVER_ENTRY: string;
export declare function freePort(): Promise<number>;

export interface SpawnOptions {
  /** 0 lets the server pick; a test that talks to it passes freePort(). */
  port?: number;
  /** 0: metrics off. */
  metricsPort?: number;
  /** Defaults to this Node running `nodeArgs` and `script` (the built server). */
  command?: string;
  args?: string[];
  script?: string;
  nodeArgs?: string[];
  cwd?: string;
  /** Keep only the last this many characters of output. */
  outputLimit?: number;
  onOutput?: (chunk: Buffer) => void;
  /** SIGKILL a server still running this long after stop() signalled it. */
  killAfterMs?: number;
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number | undefined;
  port: number;
  baseUrl: string;
  metricsPort: number;
  /** Where /metrics answers (METRICS_PORT), or null when off. */
  metricsUrl: string | null;
  output(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export declare function spawnServer(env?: Record<string, string | undefined>, options?: SpawnOptions): ServerProcess;
export declare function waitUntilReady(
  server: Pick<ServerProcess, 'child' | 'baseUrl' | 'output'>,
  options?: { timeoutMs?: number; intervalMs?: number },
): Promise<void>;
export declare function startServer(
  env?: Record<string, string | undefined>,
  options?: SpawnOptions & { metrics?: boolean; readyTimeoutMs?: number; intervalMs?: number },
): Promise<ServerProcess>;

// infra.mjs
export declare const TEST_DATABASE_URL: string;
export declare const TEST_REDIS_URL: string;
export declare function withDatabase(url: string, dbName: string): string;
export declare function withClient<T>(url: string, run: (client: Client) => Promise<T>): Promise<T>;
export declare function withAdmin<T>(run: (client: Client) => Promise<T>, url?: string): Promise<T>;
export declare function deleteRedisPrefix(prefix: string, redisUrl?: string): Promise<void>;

export interface Infra {
  /** Environment variables that point a server at this infrastructure. */
  env: Record<string, string>;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisPrefix?: string;
  dispose(): Promise<void>;
}
export declare function createInfra(options?: { name?: string; embedded?: boolean; databaseUrl?: string; redisUrl?: string }): Promise<Infra>;

// client.mjs
export declare const PASSWORD: string;
export type Target = string | { baseUrl: string };

export interface RegisterInput {
  email: string;
  password: string;
  displayName: string;
}
export declare function makeUser(overrides?: Partial<RegisterInput>): RegisterInput;

export interface TestUser {
  id: string;
  /** The access token. */
  token: string;
  email: string;
  password: string;
  displayName: string;
  input: RegisterInput;
  auth: AuthResponse;
  /** The raw `refresh_token=...` cookie pair. */
  refreshCookie: string;
}
type UserRef = string | { id: string };
type TokenHolder = { token: string } | { accessToken: string };

export declare function refreshCookieOf(response: Response): string;
/** A signed-in user from what register or login answered, and the input that made them. */
export declare function testUser(input: RegisterInput, auth: TestUser['auth'], refreshCookie: string): TestUser;
export declare function createUser(target: Target, overrides?: Partial<RegisterInput>): Promise<TestUser>;
export declare function createUsers(target: Target, count: number, overrides?: (i: number) => Partial<RegisterInput>): Promise<TestUser[]>;
export declare function signIn(target: Target, user: TestUser | RegisterInput): Promise<TestUser>;
export declare function bearer(user: TokenHolder): { Authorization: string };
export declare function api<T = any>(target: Target, user: TokenHolder, method: string, path: string, body?: unknown, expectStatus?: number[]): Promise<T>;
export declare function createDirect<T = ConversationDetail>(target: Target, user: TokenHolder, other: UserRef): Promise<T>;
export declare function createGroup<T = ConversationDetail>(
  target: Target,
  owner: TokenHolder,
  members: UserRef[],
  fields?: { title?: string; description?: string; isPublic?: boolean },
): Promise<T>;
export declare function sendMessage<T = Message>(
  target: Target,
  user: TokenHolder,
  conversationId: string,
  content: string,
  clientMessageId?: string,
): Promise<T>;

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents> & { presenceStatus?: 'online' | 'away' };
export interface OpenSocketOptions extends Partial<ManagerOptions & SocketOptions> {
  /** Send presence:heartbeat this often while connected, as the web client does. */
  heartbeatMs?: number;
  extraHeaders?: Record<string, string>;
  query?: Record<string, string>;
  /** How long to wait for auth:success. */
  timeoutMs?: number;
}
export declare function openSocket(target: Target, token: string | undefined, options?: OpenSocketOptions): Promise<ClientSocket>;
export interface SocketPool {
  readonly sockets: ClientSocket[];
  open(target: Target, token: string | undefined, options?: OpenSocketOptions): Promise<ClientSocket>;
  closeAll(): void;
}
export declare function socketPool(): SocketPool;
