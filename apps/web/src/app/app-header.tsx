import { useState } from 'react';
import { Avatar } from '../components/ui/avatar';
import { Button } from '../components/ui/button';
import { Logo } from '../components/ui/logo';
import { useAuth } from '../features/auth';

export function AppHeader() {
  const { user, logout } = useAuth();
  const [signingOut, setSigningOut] = useState(false);

  const handleLogout = async () => {
    setSigningOut(true);
    try {
      await logout();
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <header className="flex h-14 shrink-0 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 sm:px-6">
      <Logo />
      {user && (
        <div className="flex min-w-0 items-center gap-2 sm:gap-4">
          <div className="flex min-w-0 items-center gap-2.5">
            <Avatar name={user.displayName} seed={user.id} />
            <div className="min-w-0 leading-tight">
              <p className="max-w-32 truncate text-sm font-medium text-slate-900 sm:max-w-56">{user.displayName}</p>
              <p className="hidden max-w-56 truncate text-xs text-slate-500 sm:block">{user.email}</p>
            </div>
          </div>
          <span aria-hidden="true" className="hidden h-6 w-px bg-slate-200 sm:block" />
          <Button variant="ghost" onClick={handleLogout} isLoading={signingOut} className="px-2.5">
            {!signingOut && (
              <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
                <path
                  fillRule="evenodd"
                  d="M3 4.25A2.25 2.25 0 0 1 5.25 2h5.5A2.25 2.25 0 0 1 13 4.25v2a.75.75 0 0 1-1.5 0v-2a.75.75 0 0 0-.75-.75h-5.5a.75.75 0 0 0-.75.75v11.5c0 .414.336.75.75.75h5.5a.75.75 0 0 0 .75-.75v-2a.75.75 0 0 1 1.5 0v2A2.25 2.25 0 0 1 10.75 18h-5.5A2.25 2.25 0 0 1 3 15.75V4.25Z"
                  clipRule="evenodd"
                />
                <path
                  fillRule="evenodd"
                  d="M19 10a.75.75 0 0 0-.75-.75H8.704l1.048-.943a.75.75 0 1 0-1.004-1.114l-2.5 2.25a.75.75 0 0 0 0 1.114l2.5 2.25a.75.75 0 1 0 1.004-1.114l-1.048-.943h9.546A.75.75 0 0 0 19 10Z"
                  clipRule="evenodd"
                />
              </svg>
            )}
            <span className="sr-only sm:not-sr-only">Log out</span>
          </Button>
        </div>
      )}
    </header>
  );
}
