export { presenceApi, presenceKeys } from './api/presence-api';
export { PresenceIndicator, presenceLabel } from './components/presence-indicator';
export { PresenceText } from './components/presence-text';
export { usePresence, usePresenceUpdates } from './hooks/use-presence';
export { applyPresenceUpdate, presenceText } from './lib/presence-cache';
