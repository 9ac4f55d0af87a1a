import { authResponseSchema, type LoginRequest, type RegisterRequest, type User, userSchema } from '@chat/shared';
import { apiClient } from '../../../lib/api-client';

export const authApi = {
  login: (input: LoginRequest) => apiClient.post('/api/auth/login', input, { schema: authResponseSchema }),
  register: (input: RegisterRequest) => apiClient.post('/api/auth/register', input, { schema: authResponseSchema }),
  logout: () => apiClient.post<void>('/api/auth/logout'),
  me: () => apiClient.get('/api/auth/me', { schema: userSchema }),
};

/**
 * Restores the session after a page load: the refresh cookie first (it outlives the access token),
 * then a token saved by an earlier load in case the cookie is gone or the refresh failed.
 */
export async function restoreSession(): Promise<User | null> {
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
