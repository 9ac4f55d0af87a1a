import { pushSubscriptionSchema, type PushSubscriptionRequest, vapidPublicKeySchema } from '@chat/shared';
import { apiClient } from '../../../lib/api-client';

export const pushApi = {
  vapidPublicKey: () => apiClient.get('/api/push/vapid-public-key', { schema: vapidPublicKeySchema }),
  subscribe: (subscription: PushSubscriptionRequest) => apiClient.post('/api/push/subscriptions', subscription, { schema: pushSubscriptionSchema }),
  unsubscribe: (id: string) => apiClient.request(`/api/push/subscriptions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
};
