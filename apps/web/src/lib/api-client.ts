import { type AuthResponse, authResponseSchema, type ErrorDetail, errorResponseSchema } from '@chat/shared';
import type { z } from 'zod';
import { createTokenStore, type StoredAccessToken, type TokenStore } from './token-store';

export class ApiError extends Error {
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  readonly code: string | undefined;
  readonly details: ErrorDetail[];
  /** Seconds to wait before trying again, from the Retry-After header. */
  readonly retryAfter: number | undefined;

  constructor(init: { status: number; message: string; code?: string; details?: ErrorDetail[]; retryAfter?: number }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.retryAfter = init.retryAfter;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions<T> {
  method?: HttpMethod;
  body?: unknown;
  /** Validates (and types) the response body. */
  schema?: z.ZodType<T>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export type SessionEvent = { type: 'refreshed'; session: AuthResponse } | { type: 'expired' };

export interface ApiClient {
  request<T = unknown>(path: string, options?: RequestOptions<T>): Promise<T>;
  get<T = unknown>(path: string, options?: Omit<RequestOptions<T>, 'method' | 'body'>): Promise<T>;
  post<T = unknown>(path: string, body?: unknown, options?: Omit<RequestOptions<T>, 'method' | 'body'>): Promise<T>;
  /** Keeps the access token of a login/register/refresh response and schedules its silent renewal. */
  startSession(session: Pick<AuthResponse, 'accessToken' | 'expiresIn'>): void;
  /** Picks up a still-valid token saved by an earlier page load; false if there is none. */
  resumeStoredSession(): boolean;
  /** Forgets the token locally; the server side is ended by POST /api/auth/logout. */
  endSession(): void;
  /** Trades the refresh cookie for a new access token; concurrent callers share one request. */
  refreshSession(): Promise<AuthResponse>;
  /** The server ended the session (a refresh was refused): forget it and tell the app to sign out. */
  expireSession(): void;
  onSessionEvent(listener: (event: SessionEvent) => void): () => void;
  /**
   * Whether this browser may hold a session: signed in, registered or refreshed here and not signed
   * out or refused since. Without it a page load has no refresh cookie worth asking about.
   */
  mayHaveSession(): boolean;
  /** The current access token, for transports that cannot go through `request` (the chat socket). */
  getAccessToken(): string | null;
}

/** A non-secret "signed in here" flag that outlives the access token, as long as the refresh cookie may. */
export interface SessionHint {
  get(): boolean;
  set(present: boolean): void;
}

export interface ApiClientOptions {
  fetch?: typeof fetch;
  tokenStore?: TokenStore;
  sessionHint?: SessionHint;
  baseUrl?: string;
  /** Renew this many seconds before the access token expires. */
  refreshLeewaySeconds?: number;
  /** Wait before retrying a scheduled renewal that failed for a transient reason. */
  refreshRetrySeconds?: number;
}

const REFRESH_PATH = '/api/auth/refresh';
// A 401 from these means bad credentials or no session, never a stale access token, so no refresh.
const CREDENTIAL_PATHS = new Set(['/api/auth/login', '/api/auth/register', REFRESH_PATH, '/api/auth/logout']);

export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const tokens = options.tokenStore ?? createTokenStore(null);
  const hint = options.sessionHint ?? createSessionHint(null);
  const baseUrl = options.baseUrl ?? '';
  const leewaySeconds = options.refreshLeewaySeconds ?? 60;
  const retrySeconds = options.refreshRetrySeconds ?? 30;
  const listeners = new Set<(event: SessionEvent) => void>();

  let refreshInFlight: Promise<AuthResponse> | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | undefined;
  // Bumped when the session ends, so a refresh that lands after logout cannot bring it back.
  let generation = 0;

  tokens.subscribe((value) => {
    // Another tab renewed the token (keep using it) or signed out (follow it).
    if (refreshTimer === undefined) return;
    if (value) scheduleRenewal(value);
    else expire();
  });

  function emit(event: SessionEvent): void {
    for (const listener of listeners) listener(event);
  }

  function scheduleRenewal(token: StoredAccessToken): void {
    clearTimeout(refreshTimer);
    const lifetimeMs = token.expiresAt - Date.now();
    // Short-lived tokens (tests, tight configs) renew at half-life instead of going negative.
    const delayMs = Math.max(lifetimeMs - leewaySeconds * 1000, lifetimeMs / 2, 0);
    refreshTimer = setTimeout(renewInBackground, Math.min(delayMs, 2_147_483_647));
  }

  function renewInBackground(): void {
    refreshSession().catch((error: unknown) => {
      if (isDefinitiveAuthFailure(error)) {
        expire();
        return;
      }
      // Offline or server hiccup: keep the session and try again shortly.
      const current = tokens.get();
      if (current) refreshTimer = setTimeout(renewInBackground, retrySeconds * 1000);
    });
  }

  function startSession(session: Pick<AuthResponse, 'accessToken' | 'expiresIn'>): void {
    hint.set(true);
    scheduleRenewal(tokens.set(session.accessToken, session.expiresIn));
  }

  function resumeStoredSession(): boolean {
    const stored = tokens.get();
    if (stored) scheduleRenewal(stored);
    return stored !== null;
  }

  function endSession(): void {
    generation += 1;
    clearTimeout(refreshTimer);
    refreshTimer = undefined;
    tokens.clear();
    hint.set(false);
  }

  function expire(): void {
    endSession();
    emit({ type: 'expired' });
  }

  function refreshSession(): Promise<AuthResponse> {
    if (refreshInFlight) return refreshInFlight;
    const startedIn = generation;
    refreshInFlight = (async () => {
      const response = await send(REFRESH_PATH, { method: 'POST' }, null);
      if (!response.ok) {
        const error = await toApiError(response);
        // The cookie is gone or refused: the next page load need not ask again.
        if (isDefinitiveAuthFailure(error)) hint.set(false);
        throw error;
      }
      const session = await parseBody(response, authResponseSchema);
      if (startedIn !== generation) {
        throw new ApiError({ status: 401, code: 'SESSION_ENDED', message: 'The session ended while it was being renewed' });
      }
      startSession(session);
      emit({ type: 'refreshed', session });
      return session;
    })().finally(() => {
      refreshInFlight = null;
    });
    return refreshInFlight;
  }

  async function send(path: string, init: RequestOptions<unknown>, token: string | null): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Accept', 'application/json');
    let body: string | undefined;
    if (init.body !== undefined) {
      headers.set('Content-Type', 'application/json');
      body = JSON.stringify(init.body);
    }
    if (token) headers.set('Authorization', `Bearer ${token}`);
    try {
      return await fetchImpl(baseUrl + path, {
        method: init.method ?? (body === undefined ? 'GET' : 'POST'),
        headers,
        body,
        // The refresh cookie is scoped to /api/auth on this origin.
        credentials: 'same-origin',
        signal: init.signal,
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new ApiError({ status: 0, code: 'NETWORK_ERROR', message: 'Could not reach the server' });
    }
  }

  async function request<T = unknown>(path: string, init: RequestOptions<T> = {}): Promise<T> {
    const sentWith = tokens.get()?.token ?? null;
    let response = await send(path, init, sentWith);

    if (response.status === 401 && !CREDENTIAL_PATHS.has(pathOnly(path))) {
      const current = tokens.get()?.token ?? null;
      // Skip the refresh if another request already renewed the token while this one was in flight.
      if (current === null || current === sentWith) {
        try {
          await refreshSession();
        } catch (error) {
          if (isDefinitiveAuthFailure(error)) {
            const unauthorized = await toApiError(response);
            expire();
            throw unauthorized;
          }
          throw error;
        }
      }
      response = await send(path, init, tokens.get()?.token ?? null);
    }

    if (!response.ok) throw await toApiError(response);
    return parseBody(response, init.schema);
  }

  return {
    request,
    get: (path, init) => request(path, { ...init, method: 'GET' }),
    post: (path, body, init) => request(path, { ...init, method: 'POST', body }),
    startSession,
    resumeStoredSession,
    endSession,
    refreshSession,
    expireSession: expire,
    onSessionEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getAccessToken: () => tokens.get()?.token ?? null,
    mayHaveSession: () => hint.get() || tokens.get() !== null,
  };
}

const SESSION_HINT_KEY = 'chat.signedIn';

/** The hint in localStorage, shared by the tabs; without storage (private mode, tests) it lives in memory. */
export function createSessionHint(storage: Storage | null = defaultStorage()): SessionHint {
  let memory = false;
  return {
    get() {
      try {
        return storage ? storage.getItem(SESSION_HINT_KEY) === '1' : memory;
      } catch {
        return memory;
      }
    },
    set(present) {
      memory = present;
      try {
        if (present) storage?.setItem(SESSION_HINT_KEY, '1');
        else storage?.removeItem(SESSION_HINT_KEY);
      } catch {
        // Unusable storage: the in-memory value serves this tab.
      }
    },
  };
}

function defaultStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

async function parseBody<T>(response: Response, schema: z.ZodType<T> | undefined): Promise<T> {
  const invalid = () => new ApiError({ status: response.status, code: 'INVALID_RESPONSE', message: 'The server sent an unexpected response' });
  const text = response.status === 204 ? '' : await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    throw invalid();
  }
  if (!schema) return data as T;
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw invalid();
  return parsed.data;
}

export async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  const parsed = errorResponseSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data;
    return new ApiError({ status: response.status, code, message, details, retryAfter });
  }
  return new ApiError({
    status: response.status,
    message: response.statusText || `Request failed with status ${response.status}`,
    retryAfter,
  });
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** 401/403 from the refresh endpoint: the cookie is gone or revoked, so retrying cannot help. */
function isDefinitiveAuthFailure(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 401 || error.status === 403);
}

function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function pathOnly(path: string): string {
  return path.split(/[?#]/, 1)[0] ?? path;
}

export const apiClient = createApiClient({ tokenStore: createTokenStore(), sessionHint: createSessionHint() });
