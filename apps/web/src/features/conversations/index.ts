export { conversationKeys } from './api/conversation-keys';
export { conversationsApi } from './api/conversations-api';
export { useConversationDetails } from './api/use-conversation-details';
export {
  useAddParticipants,
  useCreateConversation,
  useDeleteConversation,
  useJoinConversation,
  useLeaveConversation,
  useRemoveParticipant,
  useUpdateConversation,
} from './api/use-conversation-mutations';
export { useConversations } from './api/use-conversations';
export { useUserSearch } from './api/use-user-search';
export { ConversationSidebar } from './components/conversation-sidebar';
export { ConversationView } from './components/conversation-view';
export { ConversationsEmptyState } from './components/conversations-empty-state';
export { CreateConversationModal } from './components/create-conversation-modal';
export { NoConversationSelected } from './components/no-conversation-selected';
export { NoMessagesYet } from './components/no-messages-yet';
export { RemovalNoticeBanner } from './components/removal-notice-banner';
export { useConversationRealtime } from './hooks/use-conversation-realtime';
export { type ConversationPages, flattenConversationPages } from './lib/conversation-cache';
export {
  applyReadToList,
  cachedConversation,
  changeMentionCount,
  forgetConversation,
  refreshConversationList,
  showMessageInList,
  storeConversation,
  updateLastMessagePreview,
} from './lib/conversation-store';
export { conversationTitle } from './lib/conversation-display';
