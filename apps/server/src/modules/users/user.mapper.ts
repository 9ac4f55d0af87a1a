import type { UserRow } from '@chat/db';
import type { UpdateUserSettingsRequest, User } from '@chat/shared';

export function toUserDto(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    createdAt: row.createdAt.toISOString(),
    settings: {
      readReceiptsEnabled: row.readReceiptsEnabled,
      presenceEnabled: row.presenceEnabled,
      presenceSharing: row.presenceSharing,
      notificationDefaults: { direct: row.notifyDirect, group: row.notifyGroup, largeGroup: row.notifyLargeGroup },
      pushPreview: row.pushPreview,
    },
  };
}

export type SettingsColumns = Partial<
  Pick<UserRow, 'readReceiptsEnabled' | 'presenceEnabled' | 'presenceSharing' | 'notifyDirect' | 'notifyGroup' | 'notifyLargeGroup' | 'pushPreview'>
>;

/** The columns a settings change writes; defaults not named keep their value. */
export function toSettingsColumns({ notificationDefaults, ...flat }: UpdateUserSettingsRequest): SettingsColumns {
  return {
    ...flat,
    notifyDirect: notificationDefaults?.direct,
    notifyGroup: notificationDefaults?.group,
    notifyLargeGroup: notificationDefaults?.largeGroup,
  };
}
