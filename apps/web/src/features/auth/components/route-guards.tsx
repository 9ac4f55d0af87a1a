import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { FullScreenLoader } from '../../../components/ui/full-screen-loader';
import { useAuth } from '../hooks/use-auth';
import { useReturnTo } from '../hooks/use-return-to';

/** Renders its routes for signed-in users only; everyone else goes to /login and comes back afterwards. */
export function ProtectedRoute({ children }: { children?: ReactNode }) {
  const { status, signedOut } = useAuth();
  const location = useLocation();

  if (status === 'loading') return <FullScreenLoader />;
  if (status === 'anonymous') {
    return <Navigate to="/login" replace state={signedOut ? undefined : { from: location }} />;
  }
  return children ?? <Outlet />;
}

/** Login and register pages: a signed-in user is sent on to where they were going. */
export function PublicOnlyRoute({ children }: { children?: ReactNode }) {
  const { status } = useAuth();
  const returnTo = useReturnTo();

  if (status === 'loading') return <FullScreenLoader />;
  if (status === 'authenticated') return <Navigate to={returnTo} replace />;
  return children ?? <Outlet />;
}
