export { followsThread, threadKeys, useFollowedThreads } from './api/use-threads';
export { ThreadsNavLink } from './components/threads-nav-link';
export { ThreadsPage } from './components/threads-page';
export { useThreadRealtime } from './hooks/use-thread-realtime';
