import type { UserSettings } from '@chat/shared';

export const UserEvent = {
  SettingsChanged: 'user.settings-changed',
} as const;

export interface UserSettingsChangedEvent {
  userId: string;
  before: UserSettings;
  after: UserSettings;
}
