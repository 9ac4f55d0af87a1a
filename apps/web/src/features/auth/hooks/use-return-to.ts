import { useLocation } from 'react-router';

interface FromState {
  from?: { pathname?: unknown; search?: unknown; hash?: unknown };
}

/** Where to go after signing in: the protected page that sent the user to /login, or home. */
export function useReturnTo(): string {
  const state = useLocation().state as FromState | null;
  const from = state?.from;
  if (!from || typeof from.pathname !== 'string' || !from.pathname.startsWith('/') || from.pathname.startsWith('//')) return '/';
  if (from.pathname === '/login' || from.pathname === '/register') return '/';
  const search = typeof from.search === 'string' ? from.search : '';
  const hash = typeof from.hash === 'string' ? from.hash : '';
  return `${from.pathname}${search}${hash}`;
}
