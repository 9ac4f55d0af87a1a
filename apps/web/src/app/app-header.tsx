import { useState } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../components/ui/avatar';
import { Button } from '../components/ui/button';
import { CogIcon, LogoutIcon } from '../components/ui/icons';
import { Logo } from '../components/ui/logo';
import { useAuth } from '../features/auth';
import { ConnectionStatus } from '../features/messages';
import { MessageSearch } from '../features/search';

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
    <header className="relative flex h-14 shrink-0 items-center justify-between gap-4 border-b border-slate-200 bg-white px-4 sm:px-6">
      <div className="flex items-center gap-4">
        <Logo />
        {user && <ConnectionStatus />}
      </div>
      {user && <MessageSearch />}
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
          <Link
            to="/settings"
            className="inline-flex items-center gap-2 rounded-lg px-2.5 py-2 text-sm font-semibold text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
          >
            <CogIcon className="size-4" />
            <span className="sr-only sm:not-sr-only">Settings</span>
          </Link>
          <Button variant="ghost" onClick={handleLogout} isLoading={signingOut} className="px-2.5">
            {!signingOut && <LogoutIcon className="size-4" />}
            <span className="sr-only sm:not-sr-only">Log out</span>
          </Button>
        </div>
      )}
    </header>
  );
}
