import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Outlet, useMatch, useParams } from 'react-router';
import { cn } from '../lib/cn';
import { refetchAfterChange } from '../lib/query-cache';
import { useAuth } from '../features/auth';
import { ConversationSidebar, conversationKeys, RemovalNoticeBanner, useConversationRealtime, useConversations } from '../features/conversations';
import { messageKeys, useMessageRealtime } from '../features/messages';
import { useDesktopNotifications, usePushClicks, useUnreadBadge } from '../features/notifications';
import { useUserSettings } from '../features/settings';
import { ThreadsNavLink, useThreadRealtime } from '../features/threads';
import { useSocket } from '../hooks/use-socket';
import { usePresenceUpdates } from '../features/presence';
import { AppHeader } from './app-header';
import { SocketProvider } from './socket-provider';

/**
 * Signed-in layout. On narrow screens only one pane shows: the list at "/", the conversation at
 * "/c/:id"; from md up both sit side by side.
 */
export function AppShell() {
  return (
    <SocketProvider>
      <AppShellLayout />
    </SocketProvider>
  );
}

function AppShellLayout() {
  const { conversationId } = useParams();
  const { user } = useAuth();
  useConversationRealtime({ currentUserId: user?.id, openConversationId: conversationId });
  useMessageRealtime({ currentUserId: user?.id, openConversationId: conversationId });
  useThreadRealtime();
  usePresenceUpdates();
  useProfileUpdates();
  const { data: settings } = useUserSettings();
  useDesktopNotifications({ currentUserId: user?.id, pushPreview: settings?.pushPreview ?? user?.settings.pushPreview ?? false });
  usePushClicks();
  const { data: conversations } = useConversations();
  useUnreadBadge(conversations);
  const settingsOpen = useMatch('/settings') !== null;
  const threadsOpen = useMatch('/threads') !== null;
  // On narrow screens the main pane replaces the list while something is open in it.
  const conversationOpen = conversationId !== undefined || settingsOpen || threadsOpen;

  return (
    <div className="flex h-full flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow-lg focus:ring-2 focus:ring-indigo-500"
      >
        Skip to main content
      </a>
      <h1 className="sr-only">Chat</h1>
      <AppHeader />
      <RemovalNoticeBanner />
      <div className="flex min-h-0 flex-1">
        <div className={cn('min-h-0 w-full shrink-0 flex-col border-slate-200 bg-white md:flex md:w-80 md:border-r', conversationOpen ? 'hidden' : 'flex')}>
          <ThreadsNavLink />
          <nav aria-label="Conversations" className="flex min-h-0 flex-1 flex-col">
            <ConversationSidebar />
          </nav>
        </div>
        <main id="main" tabIndex={-1} className={cn('min-w-0 flex-1 flex-col focus:outline-none', conversationOpen ? 'flex' : 'hidden md:flex')}>
          <Outlet />
        </main>
      </div>
    </div>
  );
}

/** 'user:updated': someone's display name changed (maybe ours, in another tab); refetch what shows it. */
function useProfileUpdates(): void {
  const socket = useSocket();
  const queryClient = useQueryClient();
  const { applyUserUpdate } = useAuth();
  useEffect(
    () =>
      socket.on('user:updated', ({ user }) => {
        applyUserUpdate(user);
        void refetchAfterChange(queryClient, { queryKey: conversationKeys.all });
        void refetchAfterChange(queryClient, { queryKey: messageKeys.all });
      }),
    [socket, queryClient, applyUserUpdate],
  );
}
