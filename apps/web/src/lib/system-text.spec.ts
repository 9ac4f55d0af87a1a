import { describe, expect, it } from 'vitest';
import { systemTextFor } from './system-text';

const ada = { id: '00000000-0000-4000-8000-00000000000a', displayName: 'Ada' };
const ben = { id: '00000000-0000-4000-8000-00000000000b', displayName: 'Ben' };
const cy = { id: '00000000-0000-4000-8000-00000000000c', displayName: 'Cy' };
const dee = { id: '00000000-0000-4000-8000-00000000000d', displayName: 'Dee' };
const eve = { id: '00000000-0000-4000-8000-00000000000e', displayName: 'Eve' };

describe('systemTextFor', () => {
  it('names everyone by name for an onlooker', () => {
    expect(systemTextFor({ kind: 'renamed', title: 'Launch', previousTitle: 'Team' }, ada, cy.id)).toBe('Ada renamed the group to "Launch"');
    expect(systemTextFor({ kind: 'members_added', users: [ben, cy] }, ada, undefined)).toBe('Ada added Ben and Cy');
    expect(systemTextFor({ kind: 'members_added', users: [ben, cy, dee] }, ada, undefined)).toBe('Ada added Ben, Cy and Dee');
    expect(systemTextFor({ kind: 'members_added', users: [ben, cy, dee, eve] }, ada, undefined)).toBe('Ada added Ben, Cy and 2 others');
    expect(systemTextFor({ kind: 'visibility_changed', isPublic: false }, ada, undefined)).toBe('Ada made the group invite-only');
    expect(systemTextFor({ kind: 'member_joined' }, ben, undefined)).toBe('Ben joined');
  });

  it('says "You" for the signed-in user, as actor and as subject', () => {
    expect(systemTextFor({ kind: 'member_removed', users: [ben] }, ada, ada.id)).toBe('You removed Ben');
    expect(systemTextFor({ kind: 'members_added', users: [ben, cy] }, ada, cy.id)).toBe('Ada added Ben and you');
    expect(systemTextFor({ kind: 'member_left', newOwner: ben }, ada, ben.id)).toBe("Ada left. The group's owner is now you");
    expect(systemTextFor({ kind: 'member_left', newOwner: null }, ada, ada.id)).toBe('You left');
  });
});
