import {
  authResponseSchema,
  type ChangePasswordRequest,
  type LoginRequest,
  type RegisterRequest,
  type UpdateProfileRequest,
  type User,
  userSchema,
} from '@chat/shared';
import { apiClient } from '../../../lib/api-client';

export const authApi = {
  login: (input: LoginRequest) => apiClient.post('/api/auth/login', input, { schema: authResponseSchema }),
  register: (input: RegisterRequest) => apiClient.post('/api/auth/register', input, { schema: authResponseSchema }),
  logout: () => apiClient.post<void>('/api/auth/logout'),
  me: () => apiClient.get('/api/auth/me', { schema: userSchema }),
  updateProfile: (changes: UpdateProfileRequest) => apiClient.request('/api/users/me', { method: 'PATCH', body: changes, schema: userSchema }),
  /** Ends every other session of the account; this one goes on. */
  changePassword: (input: ChangePasswordRequest) => apiClient.post<void>('/api/auth/password', input),
};

/**
 * Restores the session after a page load: the refresh cookie first (it outlives the access token),
 * then a token saved by an earlier load in case the cookie is gone or the refresh failed. A browser
 * that never signed in (or signed out) asks nothing, so a first visit logs no failed request.
 */
export async function restoreSession(): Promise<User | null> {
  if (!apiClient.mayHaveSession()) return null;
  try {
    return (await apiClient.refreshSession()).user;
  } catch {
    if (!apiClient.resumeStoredSession()) return null;
    try {
      return await authApi.me();
    } catch {
      apiClient.endSession();
      return null;
    }
  }
}
