export { ConversationsEmptyState } from './components/conversations-empty-state';
export { NoConversationSelected } from './components/no-conversation-selected';
