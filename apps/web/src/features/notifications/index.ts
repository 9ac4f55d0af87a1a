export { useDesktopNotificationSetting } from './hooks/use-desktop-notification-setting';
export { useDesktopNotifications } from './hooks/use-desktop-notifications';
export { usePushClicks } from './hooks/use-push-clicks';
export { usePushToggle } from './hooks/use-push-toggle';
export { useUnreadBadge } from './hooks/use-unread-badge';
