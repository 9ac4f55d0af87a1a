import { describe, expect, it } from 'vitest';
import { toSettingsColumns } from './user.mapper';

describe('toSettingsColumns', () => {
  it('writes only the notification defaults that are named', () => {
    expect(toSettingsColumns({ notificationDefaults: { group: 'none' } })).toEqual({
      notifyDirect: undefined,
      notifyGroup: 'none',
      notifyLargeGroup: undefined,
    });
  });

  it('maps every default to its column and passes the other settings through', () => {
    expect(
      toSettingsColumns({ readReceiptsEnabled: false, pushPreview: false, notificationDefaults: { direct: 'mentions', group: 'all', largeGroup: 'none' } }),
    ).toEqual({ readReceiptsEnabled: false, pushPreview: false, notifyDirect: 'mentions', notifyGroup: 'all', notifyLargeGroup: 'none' });
  });
});
