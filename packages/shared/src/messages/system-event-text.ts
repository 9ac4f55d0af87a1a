import type { PublicUser } from '../users/user.schema';
import type { SystemEvent } from './message.schema';

/** How a person is named: at the start of a sentence ('subject') or inside it ('object'). */
export type NameOf = (user: PublicUser, position: 'subject' | 'object') => string;

const byDisplayName: NameOf = (user) => user.displayName;

/** Past this many names a list of added people ends in "and N others". */
const LISTED_NAMES = 3;

function listNames(users: PublicUser[], nameOf: NameOf): string {
  const names = users.map((user) => nameOf(user, 'object'));
  if (names.length <= LISTED_NAMES) return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  const rest = names.length - (LISTED_NAMES - 1);
  return `${names.slice(0, LISTED_NAMES - 1).join(', ')} and ${rest} others`;
}

/**
 * A system message as one plain sentence: the server stores it as the message's content (previews,
 * older clients), the web renders it with "You" for the signed-in user.
 */
export function systemEventText(event: SystemEvent, actor: PublicUser, nameOf: NameOf = byDisplayName): string {
  const who = nameOf(actor, 'subject');
  switch (event.kind) {
    case 'renamed':
      return `${who} renamed the group to "${event.title}"`;
    case 'visibility_changed':
      return event.isPublic ? `${who} made the group public` : `${who} made the group invite-only`;
    case 'members_added':
      return `${who} added ${listNames(event.users, nameOf)}`;
    case 'member_removed':
      return `${who} removed ${listNames(event.users, nameOf)}`;
    case 'member_left':
      return event.newOwner ? `${who} left. The group's owner is now ${nameOf(event.newOwner, 'object')}` : `${who} left`;
    case 'member_joined':
      return `${who} joined`;
  }
}
