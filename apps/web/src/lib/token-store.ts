const STORAGE_KEY = 'chat.accessToken';

export interface StoredAccessToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface TokenStore {
  get(): StoredAccessToken | null;
  set(token: string, expiresInSeconds: number): StoredAccessToken;
  clear(): void;
  /** Fires when another tab changes the token; `null` means it signed out. */
  subscribe(listener: (value: StoredAccessToken | null) => void): () => void;
}

/**
 * Holds the access token in memory and mirrors it to localStorage so a reload can keep using it
 * until it expires. Storage may be unavailable (private mode, tests): memory alone still works.
 */
export function createTokenStore(storage: Storage | null = defaultStorage(), now: () => number = Date.now): TokenStore {
  let current = read(storage, now);
  const listeners = new Set<(value: StoredAccessToken | null) => void>();

  if (storage && typeof window !== 'undefined') {
    window.addEventListener('storage', (event) => {
      if (event.storageArea !== storage || (event.key !== STORAGE_KEY && event.key !== null)) return;
      current = read(storage, now);
      for (const listener of listeners) listener(current);
    });
  }

  return {
    get() {
      if (current && current.expiresAt <= now()) return null;
      return current;
    },
    set(token, expiresInSeconds) {
      current = { token, expiresAt: now() + expiresInSeconds * 1000 };
      try {
        storage?.setItem(STORAGE_KEY, JSON.stringify(current));
      } catch {
        // Quota or privacy settings: the in-memory copy is enough for this tab.
      }
      return current;
    },
    clear() {
      current = null;
      try {
        storage?.removeItem(STORAGE_KEY);
      } catch {
        // Nothing to clean up if storage is unusable.
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function read(storage: Storage | null, now: () => number): StoredAccessToken | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredAccessToken>;
    if (typeof parsed.token !== 'string' || typeof parsed.expiresAt !== 'number') return null;
    return parsed.expiresAt > now() ? { token: parsed.token, expiresAt: parsed.expiresAt } : null;
  } catch {
    return null;
  }
}

function defaultStorage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}
