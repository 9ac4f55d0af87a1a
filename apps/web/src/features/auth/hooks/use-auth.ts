import type { ChangePasswordRequest, LoginRequest, PublicUser, RegisterRequest, UpdateProfileRequest, User } from '@chat/shared';
import { createContext, useContext } from 'react';

export type AuthStatus = 'loading' | 'authenticated' | 'anonymous';

export interface AuthContextValue {
  status: AuthStatus;
  user: User | null;
  /** True after an explicit "Log out", so the login page does not send the next user back to the old page. */
  signedOut: boolean;
  login(input: LoginRequest): Promise<User>;
  register(input: RegisterRequest): Promise<User>;
  logout(): Promise<void>;
  updateProfile(changes: UpdateProfileRequest): Promise<User>;
  /** Signs out every other device; this one stays signed in. */
  changePassword(input: ChangePasswordRequest): Promise<void>;
  /** A 'user:updated' event: the signed-in user's name changed in another tab. */
  applyUserUpdate(user: PublicUser): void;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}
