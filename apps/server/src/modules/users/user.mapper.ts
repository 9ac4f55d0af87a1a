import type { UserRow } from '@chat/db';
import type { User } from '@chat/shared';

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
    },
  };
}
