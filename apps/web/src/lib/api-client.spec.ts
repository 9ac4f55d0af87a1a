import type { AuthResponse } from '@chat/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, createSessionHint, parseRetryAfter, type SessionEvent } from './api-client';
import { createTokenStore } from './token-store';

const user = {
  id: '6f1c1b8e-8d0a-4a8e-9a43-2b7f6f0c2a11',
  email: 'ada@example.com',
  displayName: 'Ada Lovelace',
  createdAt: '2025-01-01T00:00:00.000Z',
  settings: {
    readReceiptsEnabled: true,
    presenceEnabled: true,
    presenceSharing: 'everyone' as const,
    notificationDefaults: { direct: 'all' as const, group: 'all' as const, largeGroup: 'mentions' as const },
    pushPreview: true,
  },
};

function session(accessToken: string, expiresIn = 900): AuthResponse {
  return { accessToken, expiresIn, user };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

const unauthorized = () => json(401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid or expired token', code: 'INVALID_TOKEN' });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

interface Call {
  url: string;
  method: string;
  authorization: string | null;
}

/** A fake server: /api/auth/refresh answers from `refresh`; everything else needs `validToken`. */
function fakeServer(options: { validToken: string; refresh: () => Promise<Response> | Response }) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({ url, method: init?.method ?? 'GET', authorization: headers.get('Authorization') });
    if (url === '/api/auth/refresh') return options.refresh();
    if (headers.get('Authorization') !== `Bearer ${options.validToken}`) return unauthorized();
    return json(200, { ok: true, url });
  });
  return { fetch: fetchMock as unknown as typeof fetch, calls, refreshCalls: () => calls.filter((c) => c.url === '/api/auth/refresh') };
}

describe('api client: silent refresh', () => {
  it('shares one refresh between concurrent 401s and retries each request once with the new token', async () => {
    const refreshResponse = deferred<Response>();
    const server = fakeServer({ validToken: 'fresh', refresh: () => refreshResponse.promise });
    const client = createApiClient({ fetch: server.fetch, tokenStore: createTokenStore(null) });
    client.startSession({ accessToken: 'stale', expiresIn: 900 });
    const events: SessionEvent[] = [];
    client.onSessionEvent((event) => events.push(event));

    const requests = [client.get('/api/a'), client.get('/api/b'), client.get('/api/c')];
    // Let every request receive its 401 before the refresh answers.
    await vi.waitFor(() => expect(server.refreshCalls()).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 10));
    refreshResponse.resolve(json(200, session('fresh')));

    await expect(Promise.all(requests)).resolves.toEqual([
      { ok: true, url: '/api/a' },
      { ok: true, url: '/api/b' },
      { ok: true, url: '/api/c' },
    ]);
    expect(server.refreshCalls()).toHaveLength(1);
    const retries = server.calls.filter((c) => c.url !== '/api/auth/refresh' && c.authorization === 'Bearer fresh');
    expect(retries.map((c) => c.url).sort()).toEqual(['/api/a', '/api/b', '/api/c']);
    expect(events).toEqual([{ type: 'refreshed', session: session('fresh') }]);
  });

  it('signs out once when the refresh is rejected, and every waiting request fails with 401', async () => {
    const server = fakeServer({
      validToken: 'never',
      refresh: () => json(401, { statusCode: 401, error: 'Unauthorized', message: 'No refresh token', code: 'UNAUTHORIZED' }),
    });
    const tokenStore = createTokenStore(null);
    const client = createApiClient({ fetch: server.fetch, tokenStore });
    client.startSession({ accessToken: 'stale', expiresIn: 900 });
    const expired = vi.fn();
    client.onSessionEvent((event) => event.type === 'expired' && expired());

    const results = await Promise.allSettled([client.get('/api/a'), client.get('/api/b')]);

    for (const result of results) {
      expect(result.status).toBe('rejected');
      const reason = (result as PromiseRejectedResult).reason as ApiError;
      expect(reason).toBeInstanceOf(ApiError);
      expect(reason.status).toBe(401);
    }
    expect(server.refreshCalls()).toHaveLength(1);
    expect(tokenStore.get()).toBeNull();
    expect(expired).toHaveBeenCalled();
    // No retry of the original requests after a failed refresh.
    expect(server.calls.filter((c) => c.url === '/api/a')).toHaveLength(1);
  });

  it('keeps the session when the refresh fails for a transient reason', async () => {
    const server = fakeServer({ validToken: 'fresh', refresh: () => json(503, { statusCode: 503, error: 'Service Unavailable', message: 'Down' }) });
    const tokenStore = createTokenStore(null);
    const client = createApiClient({ fetch: server.fetch, tokenStore });
    client.startSession({ accessToken: 'stale', expiresIn: 900 });
    const expired = vi.fn();
    client.onSessionEvent((event) => event.type === 'expired' && expired());

    await expect(client.get('/api/a')).rejects.toMatchObject({ status: 503 });
    expect(tokenStore.get()?.token).toBe('stale');
    expect(expired).not.toHaveBeenCalled();
  });

  it('does not refresh on a 401 from the credential endpoints', async () => {
    const server = fakeServer({ validToken: 'x', refresh: () => json(200, session('fresh')) });
    const client = createApiClient({
      fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        if (String(input) === '/api/auth/login') {
          return json(401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid email or password', code: 'INVALID_CREDENTIALS' });
        }
        return server.fetch(input, init);
      }) as unknown as typeof fetch,
      tokenStore: createTokenStore(null),
    });

    await expect(client.post('/api/auth/login', { email: 'a@b.co', password: 'nope' })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
      message: 'Invalid email or password',
    });
    expect(server.refreshCalls()).toHaveLength(0);
  });

  it('refreshSession itself is single-flight', async () => {
    const refreshResponse = deferred<Response>();
    const server = fakeServer({ validToken: 'fresh', refresh: () => refreshResponse.promise });
    const client = createApiClient({ fetch: server.fetch, tokenStore: createTokenStore(null) });

    const first = client.refreshSession();
    const second = client.refreshSession();
    refreshResponse.resolve(json(200, session('fresh')));

    expect(await first).toEqual(await second);
    expect(server.refreshCalls()).toHaveLength(1);
  });
});

describe('api client: the "signed in here" hint', () => {
  /** A Storage over a Map, as two tabs of one browser share localStorage. */
  function memoryStorage(): Storage {
    const items = new Map<string, string>();
    return {
      get length() {
        return items.size;
      },
      clear: () => items.clear(),
      getItem: (key) => items.get(key) ?? null,
      key: (index) => [...items.keys()][index] ?? null,
      removeItem: (key) => void items.delete(key),
      setItem: (key, value) => void items.set(key, value),
    };
  }

  it('is absent in a browser that never signed in, set by a session, and gone after signing out', () => {
    const storage = memoryStorage();
    const server = fakeServer({ validToken: 'fresh', refresh: () => json(200, session('fresh')) });
    const client = createApiClient({ fetch: server.fetch, tokenStore: createTokenStore(null), sessionHint: createSessionHint(storage) });
    expect(client.mayHaveSession()).toBe(false);

    client.startSession({ accessToken: 'fresh', expiresIn: 900 });
    // A new page load (new client, same storage) knows a refresh is worth asking for.
    const nextLoad = createApiClient({ fetch: server.fetch, tokenStore: createTokenStore(null), sessionHint: createSessionHint(storage) });
    expect(nextLoad.mayHaveSession()).toBe(true);

    client.endSession();
    expect(nextLoad.mayHaveSession()).toBe(false);
  });

  it('is dropped when the refresh cookie is refused, kept when the server is only unreachable', async () => {
    const storage = memoryStorage();
    let answer = () => json(503, { statusCode: 503, error: 'Service Unavailable', message: 'Down' });
    const server = fakeServer({ validToken: 'fresh', refresh: () => answer() });
    const client = createApiClient({ fetch: server.fetch, tokenStore: createTokenStore(null), sessionHint: createSessionHint(storage) });
    client.startSession({ accessToken: 'fresh', expiresIn: 900 });

    await expect(client.refreshSession()).rejects.toMatchObject({ status: 503 });
    expect(client.mayHaveSession()).toBe(true);

    answer = unauthorized;
    await expect(client.refreshSession()).rejects.toMatchObject({ status: 401 });
    expect(createSessionHint(storage).get()).toBe(false);
  });
});

describe('api client: scheduled refresh', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews the token 60 s before it expires', async () => {
    let issued = 0;
    const server = fakeServer({ validToken: 'unused', refresh: () => json(200, session(`token-${++issued}`)) });
    const tokenStore = createTokenStore(null);
    const client = createApiClient({ fetch: server.fetch, tokenStore });

    client.startSession({ accessToken: 'token-0', expiresIn: 900 });
    await vi.advanceTimersByTimeAsync(839_000);
    expect(server.refreshCalls()).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.refreshCalls()).toHaveLength(1);
    expect(tokenStore.get()?.token).toBe('token-1');

    // The new token is renewed on the same schedule.
    await vi.advanceTimersByTimeAsync(840_000);
    expect(server.refreshCalls()).toHaveLength(2);
  });

  it('stops renewing after the session ends', async () => {
    const server = fakeServer({ validToken: 'unused', refresh: () => json(200, session('next')) });
    const client = createApiClient({ fetch: server.fetch, tokenStore: createTokenStore(null) });

    client.startSession({ accessToken: 'first', expiresIn: 900 });
    client.endSession();
    await vi.advanceTimersByTimeAsync(900_000);
    expect(server.refreshCalls()).toHaveLength(0);
  });
});

describe('api client: errors', () => {
  it('parses the error shape and Retry-After into ApiError', async () => {
    const client = createApiClient({
      fetch: vi.fn(async () =>
        json(
          429,
          { statusCode: 429, error: 'Too Many Requests', message: 'Too many sign-in attempts; try again later', code: 'RATE_LIMITED' },
          { 'Retry-After': '840' },
        ),
      ) as unknown as typeof fetch,
    });

    const error = await client.post('/api/auth/login', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED', retryAfter: 840, details: [] });
  });

  it('reports an unreachable server as a network error', async () => {
    const client = createApiClient({
      fetch: vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    await expect(client.get('/api/x')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(new Date(60_000).toUTCString(), 0)).toBe(60);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
