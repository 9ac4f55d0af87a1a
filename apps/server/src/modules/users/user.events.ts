import type { PublicUser, UserSettings } from '@chat/shared';

export const UserEvent = {
  SettingsChanged: 'user.settings-changed',
  /** The display name changed: everyone who shows it should refetch. */
  ProfileChanged: 'user.profile-changed',
} as const;

export interface UserProfileChangedEvent {
  user: PublicUser;
}

export interface UserSettingsChangedEvent {
  userId: string;
  before: UserSettings;
  after: UserSettings;
}
