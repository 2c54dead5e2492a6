import type { NumberDocument, NumberStatus } from '../../../api/numbers/number-document';
import type { Classification } from '../../../api/sync/sync-plan';
import { LIST_CAP } from '../../../api/sync/sync-limits';
import { attentionOf, capChanges, changeCountsOf, countsAfter } from '../../../api/sync/sync-summary';
import type { SyncChanges } from '../../../api/sync/sync-run-document';

/** Numbers unique in this file: +1 646 555 xxxx. */
const num = (i: number) => `+1646555${String(i).padStart(4, '0')}`;
const many = (n: number) => Array.from({ length: n }, (_, i) => num(i));
const stored = (e164: string, status: NumberStatus, removed = false) =>
  ({ e164, status, ...(removed ? { removal: { mode: 'delete' } } : {}) }) as NumberDocument;
const as = (status: NumberStatus, detail?: string): Classification => ({ status, statusText: status, ...(detail ? { detail } : {}) });

describe('what a sync run records about itself', () => {
  it('caps every list of changes at LIST_CAP while the counts stay exact', () => {
    const e164s = many(LIST_CAP + 7);
    const changes: SyncChanges = {
      account: null,
      toRoute: e164s,
      toImport: e164s,
      toRemove: e164s.map((e164) => ({ e164, mode: 'retain' })),
      toRelease: e164s,
      statusChanges: e164s.map((e164) => ({ e164, from: 'pending', to: 'synced' })),
    };
    const capped = capChanges(changes);
    for (const list of [capped.toRoute, capped.toImport, capped.toRemove, capped.toRelease, capped.statusChanges]) {
      expect(list).toHaveLength(LIST_CAP);
    }
    expect(changeCountsOf(changes, 3)).toEqual({
      routed: LIST_CAP + 7,
      imported: LIST_CAP + 7,
      removed: 3,
      released: LIST_CAP + 7,
      statusChanges: LIST_CAP + 7,
    });
  });

  it('lists what needs attention sorted by number, without synced ones, at most LIST_CAP', () => {
    const classifications = new Map<string, Classification>([
      [num(3), as('backend_fatal')],
      [num(1), as('synced')],
      [num(2), as('not_in_backend', 'seat of Ann')],
    ]);
    expect(attentionOf(classifications)).toEqual([
      { e164: num(2), status: 'not_in_backend', statusText: 'not_in_backend', detail: 'seat of Ann' },
      { e164: num(3), status: 'backend_fatal', statusText: 'backend_fatal' },
    ]);
    const crowded = new Map(many(LIST_CAP + 1).map((e164) => [e164, as('pending')]));
    expect(attentionOf(crowded)).toHaveLength(LIST_CAP);
  });

  it('counts numbers by their new status, leaving out removals and adding imports as synced', () => {
    const portal = [stored(num(1), 'pending'), stored(num(2), 'pending'), stored(num(3), 'synced', true), stored(num(4), 'backend_fatal')];
    const classifications = new Map([[num(1), as('synced')]]);
    expect(countsAfter(portal, classifications, [num(9)], new Set([num(2)]))).toEqual({
      pending: 0,
      synced: 2,
      backend_fatal: 1,
      not_in_backend: 0,
    });
  });
});
