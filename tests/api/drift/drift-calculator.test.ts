import type { BackendCallflow, BackendUser } from '../../../api/backend/backend-types';
import type { CustomerDocument } from '../../../api/customers/customer-document';
import { calculateDrift, type TeamsAssignments } from '../../../api/drift/drift-calculator';
import { DRIFT_ITEM_CAP } from '../../../api/drift/drift-document';
import { fingerprintOf, itemsHashOf } from '../../../api/drift/drift-fingerprint';
import type { NumberAssignment } from '../../../api/graph/graph-types';
import type { NumberDocument } from '../../../api/numbers/number-document';
import { planSync, type BackendState } from '../../../api/sync/sync-plan';
import { ANN, backendState, customerDocument, portalNumber, teamsFlow, userFlow } from '../../support/sync-fixtures';

const num = (i: number) => `+1212555${String(i).padStart(4, '0')}`;

const customer = customerDocument;
/** The backend account: `free` numbers on it in no callflow. */
const backend = (fields: { free?: string[]; callflows?: BackendCallflow[]; users?: BackendUser[] } = {}) =>
  backendState({ onAccount: fields.free ?? [], callflows: fields.callflows ?? [], users: fields.users ?? [] });

const NOT_CHECKED: TeamsAssignments = { checked: false, reason: 'The customer has not allowed co-management' };
const assigned = (e164: string): NumberAssignment => ({ telephoneNumber: e164, assignmentStatus: 'userAssigned', assignmentTargetId: 'user-x' });
const unassigned = (e164: string): NumberAssignment => ({ telephoneNumber: e164, assignmentStatus: 'unassigned' });

/** Plans the sync as the runner does and hands the drift calculator what a successful run would. */
function driftAfter(
  portal: NumberDocument[],
  state: BackendState,
  teams: TeamsAssignments = NOT_CHECKED,
  run: { imported?: string[]; removed?: string[]; who?: CustomerDocument } = {},
) {
  const who = run.who ?? customer();
  const plan = planSync(who, portal, state);
  return calculateDrift(
    { customer: who, portal, plan, backend: state, imported: run.imported ?? plan.importCandidates, removed: new Set(run.removed ?? []) },
    teams,
  );
}

describe('calculateDrift', () => {
  it('finds no drift when the portal and the backend agree, and says Teams was not compared', () => {
    const drift = driftAfter([portalNumber(num(1)), portalNumber(num(2))], backend({ callflows: [teamsFlow('cf', [num(1)])], free: [num(2)] }));
    expect(drift.total).toBe(0);
    expect(drift.items).toEqual([]);
    expect(drift.teams).toEqual({ checked: false, reason: expect.stringContaining('co-management') });
  });

  it('reports numbers in the portal the backend account lacks as missing_at_backend', () => {
    const drift = driftAfter([portalNumber(num(1)), portalNumber(num(2))], backend({ free: [num(1)] }));
    expect(drift.counts.missing_at_backend).toBe(1);
    expect(drift.items).toEqual([{ e164: num(2), kind: 'missing_at_backend', detail: 'Needs to be added to portal (not in backend)' }]);
  });

  it('reports numbers on the account the portal does not hold as not_in_portal, saying where they are; free ones are stock, not drift', () => {
    const held = portalNumber(num(1));
    const state = backend({
      free: [num(1), num(10)],
      callflows: [userFlow('cf-ann', [num(11)], ANN.id), teamsFlow('cf-teams', [num(12)])],
      users: [ANN],
    });
    // num(12) is routed to Teams but another customer holds it: the run could not import it.
    const drift = driftAfter([held], state, NOT_CHECKED, { imported: [] });
    expect(drift.counts.not_in_portal).toBe(2);
    expect(drift.items).toEqual([
      { e164: num(11), kind: 'not_in_portal', detail: 'on a non-Teams callflow, on the seat of Ann Lee (essentials)' },
      { e164: num(12), kind: 'not_in_portal', detail: expect.stringContaining('another customer') },
    ]);
  });

  it('counts imported numbers as held, not as drift', () => {
    const drift = driftAfter([], backend({ callflows: [teamsFlow('cf', [num(1), num(2)])] }));
    expect(drift.total).toBe(0);
  });

  it('reports a pending removal as not_in_portal, and neither a released number nor one kept free (retain) on purpose', () => {
    const pending = portalNumber(num(1), 'delete');
    const released = portalNumber(num(2), 'delete');
    const retained = portalNumber(num(3), 'retain');
    const state = backend({ callflows: [teamsFlow('cf', [num(1), num(2), num(3)])] });
    // The removal of num(1) failed this run; num(2) was released, num(3) kept free on the account.
    const drift = driftAfter([pending, released, retained], state, NOT_CHECKED, { removed: [num(2), num(3)] });
    expect(drift.items).toEqual([
      { e164: num(1), kind: 'not_in_portal', detail: expect.stringContaining('removal from the portal is still pending') },
    ]);
    // The next sync, with num(3) free on the account: still no drift.
    expect(driftAfter([], backend({ free: [num(3)] })).total).toBe(0);
  });

  describe('with co-management', () => {
    const state = () => backend({ callflows: [teamsFlow('cf', [num(1), num(2), num(3)])], free: [] });
    const portal = () => [portalNumber(num(1)), portalNumber(num(2)), portalNumber(num(3)), portalNumber(num(4))];

    it('reports numbers assigned in Teams but not synced, and synced but not assigned', () => {
      const teams: TeamsAssignments = {
        checked: true,
        // num(1) agrees; num(2) is unassigned; num(3) Teams does not list; num(4) is not in backend; num(9) is not in the portal.
        numbers: [assigned(num(1)), unassigned(num(2)), assigned(num(4)), assigned(num(9))],
      };
      const drift = driftAfter(portal(), state(), teams);
      expect(drift.teams).toEqual({ checked: true });
      expect(drift.counts).toEqual({ missing_at_backend: 1, not_in_portal: 0, assigned_not_synced: 2, synced_not_assigned: 2 });
      // num(4) drifts two ways (missing at the backend and assigned in Teams): it is one number of the four.
      expect(drift.total).toBe(4);
      expect(drift.items.filter((i) => i.kind === 'assigned_not_synced')).toEqual([
        { e164: num(4), kind: 'assigned_not_synced', detail: 'assigned in Teams, not synced (Needs to be added to portal (not in backend))' },
        { e164: num(9), kind: 'assigned_not_synced', detail: "assigned in Teams, not one of this customer's numbers in the portal" },
      ]);
      expect(drift.items.filter((i) => i.kind === 'synced_not_assigned').map((i) => i.e164)).toEqual([num(2), num(3)]);
    });

    it('leaves the Teams kinds out when Microsoft could not be read, and says why', () => {
      const drift = driftAfter(portal(), state(), { checked: false, reason: 'Microsoft Teams could not be read (503)' });
      expect(drift.teams).toEqual({ checked: false, reason: 'Microsoft Teams could not be read (503)' });
      expect(drift.counts.assigned_not_synced + drift.counts.synced_not_assigned).toBe(0);
      expect(drift.total).toBe(1);
    });
  });

  it('caps the items but keeps the counts exact', () => {
    const missing = Array.from({ length: DRIFT_ITEM_CAP + 50 }, (_, i) => portalNumber(num(i + 1)));
    const drift = driftAfter(missing, backend());
    expect(drift.total).toBe(DRIFT_ITEM_CAP + 50);
    expect(drift.counts.missing_at_backend).toBe(DRIFT_ITEM_CAP + 50);
    expect(drift.items).toHaveLength(DRIFT_ITEM_CAP);
  });
});

describe('the drift fingerprint', () => {
  it('is the same for the same drift, whatever the order of the items or their wording', () => {
    const a = itemsHashOf([
      { e164: num(1), kind: 'not_in_portal', detail: 'free on the backend account' },
      { e164: num(2), kind: 'missing_at_backend', detail: 'x' },
    ]);
    const b = itemsHashOf([
      { e164: num(2), kind: 'missing_at_backend', detail: 'y' },
      { e164: num(1), kind: 'not_in_portal', detail: 'on the seat of Ann Lee' },
    ]);
    expect(fingerprintOf(a, 0)).toBe(fingerprintOf(b, 0));
  });

  it('changes when a number or its kind of drift changes, or when syncs start failing', () => {
    const base = itemsHashOf([{ e164: num(1), kind: 'not_in_portal', detail: '' }]);
    const otherNumber = itemsHashOf([{ e164: num(2), kind: 'not_in_portal', detail: '' }]);
    const otherKind = itemsHashOf([{ e164: num(1), kind: 'synced_not_assigned', detail: '' }]);
    const fingerprints = new Set([fingerprintOf(base, 0), fingerprintOf(otherNumber, 0), fingerprintOf(otherKind, 0), fingerprintOf(base, 1)]);
    expect(fingerprints.size).toBe(4);
    // One more failure of a customer already failing is the same situation.
    expect(fingerprintOf(base, 3)).toBe(fingerprintOf(base, 1));
  });
});
