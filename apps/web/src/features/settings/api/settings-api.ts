import { type UpdateUserSettingsRequest, userSettingsSchema } from '@chat/shared';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiClient } from '../../../lib/api-client';

export const settingsKeys = { mine: () => ['users', 'me', 'settings'] as const };

export const settingsApi = {
  get: (signal?: AbortSignal) => apiClient.get('/api/users/me/settings', { schema: userSettingsSchema, signal }),
  update: (changes: UpdateUserSettingsRequest) => apiClient.request('/api/users/me/settings', { method: 'PATCH', body: changes, schema: userSettingsSchema }),
};

export const userSettingsOptions = () => queryOptions({ queryKey: settingsKeys.mine(), queryFn: ({ signal }) => settingsApi.get(signal) });

export function useUserSettings() {
  return useQuery(userSettingsOptions());
}

export function useUpdateUserSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: settingsApi.update,
    onSuccess: (settings) => queryClient.setQueryData(userSettingsOptions().queryKey, settings),
  });
}
