import type { AuthResponse, ChangePasswordRequest, LoginRequest, PublicUser, RegisterRequest, UpdateProfileRequest, User } from '@chat/shared';
import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { apiClient } from '../../../lib/api-client';
import { authApi, restoreSession } from '../api/auth-api';
import { AuthContext, type AuthContextValue } from '../hooks/use-auth';

type AuthState =
  | { status: 'loading'; user: null; signedOut: false }
  | { status: 'authenticated'; user: User; signedOut: false }
  | { status: 'anonymous'; user: null; signedOut: boolean };

const anonymous = (signedOut: boolean): AuthState => ({ status: 'anonymous', user: null, signedOut });
const authenticated = (user: User): AuthState => ({ status: 'authenticated', user, signedOut: false });

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>({ status: 'loading', user: null, signedOut: false });

  useEffect(
    () =>
      apiClient.onSessionEvent((event) => {
        if (event.type === 'refreshed') {
          setState(authenticated(event.session.user));
          return;
        }
        // The refresh cookie was rejected: drop everything cached for this user.
        queryClient.clear();
        setState(anonymous(false));
      }),
    [queryClient],
  );

  useEffect(() => {
    let active = true;
    void restoreSession().then((user) => {
      if (active) setState(user ? authenticated(user) : anonymous(false));
    });
    return () => {
      active = false;
    };
  }, []);

  /** Signing in or up starts a new session, with nothing cached from a previous account. */
  const startSession = useCallback(
    async (request: Promise<AuthResponse>) => {
      const session = await request;
      queryClient.clear();
      apiClient.startSession(session);
      setState(authenticated(session.user));
      return session.user;
    },
    [queryClient],
  );
  const login = useCallback((input: LoginRequest) => startSession(authApi.login(input)), [startSession]);
  const register = useCallback((input: RegisterRequest) => startSession(authApi.register(input)), [startSession]);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // Signing out locally must work offline too; the server session then simply expires.
    }
    apiClient.endSession();
    queryClient.clear();
    setState(anonymous(true));
  }, [queryClient]);

  const updateProfile = useCallback(async (changes: UpdateProfileRequest) => {
    const user = await authApi.updateProfile(changes);
    setState(authenticated(user));
    return user;
  }, []);

  const changePassword = useCallback((input: ChangePasswordRequest) => authApi.changePassword(input), []);

  const applyUserUpdate = useCallback((update: PublicUser) => {
    setState((current) => (current.user?.id === update.id ? authenticated({ ...current.user, displayName: update.displayName }) : current));
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ status: state.status, user: state.user, signedOut: state.signedOut, login, register, logout, updateProfile, changePassword, applyUserUpdate }),
    [state, login, register, logout, updateProfile, changePassword, applyUserUpdate],
  );

  return <AuthContext value={value}>{children}</AuthContext>;
}
