import { type PublicUser, type SystemEvent, systemEventText } from '@chat/shared';

/** A system message as the signed-in user reads it: "You" for them, names for everyone else. */
export function systemTextFor(event: SystemEvent, actor: PublicUser, currentUserId: string | undefined): string {
  return systemEventText(event, actor, (user, position) => (user.id === currentUserId ? (position === 'subject' ? 'You' : 'you') : user.displayName));
}
