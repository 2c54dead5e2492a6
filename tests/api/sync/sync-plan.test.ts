import { planSync } from '../../../api/sync/sync-plan';
import { ANN, backendState, customerDocument, portalNumber, teamsFlow, userFlow } from '../../support/sync-fixtures';

const FATAL_TEXT = "This number cannot be sync'ed automatically (backend reports fatal)";
const NOT_IN_BACKEND_TEXT = 'Needs to be added to portal (not in backend)';

const customer = customerDocument;
const backend = (fields: Parameters<typeof backendState>[0] = {}) => backendState(fields);

describe('planSync', () => {
  describe('classification of the portal numbers', () => {
    it('calls a number in a teams callflow of the account synced, with nothing to route', () => {
      const plan = planSync(customer(), [portalNumber('+12125550100')], backend({ callflows: [teamsFlow('cf1', ['+12125550100'])] }));
      expect(plan.classifications.get('+12125550100')).toEqual({ status: 'synced', statusText: 'Synced' });
      expect(plan.toRoute).toEqual([]);
      expect(plan.importCandidates).toEqual([]);
    });

    it("calls a number in another callflow backend_fatal, naming the seat's user and seat type", () => {
      const plan = planSync(
        customer(),
        [portalNumber('+12125550101')],
        backend({ callflows: [userFlow('cf2', ['+12125550101'], ANN.id)], users: [ANN] }),
      );
      const classification = plan.classifications.get('+12125550101');
      expect(classification).toMatchObject({ status: 'backend_fatal', statusText: FATAL_TEXT });
      expect(classification?.detail).toContain('Ann Lee');
      expect(classification?.detail).toContain('essentials');
      expect(plan.toRoute).toEqual([]);
    });

    it('still calls a number on a non-Teams callflow without a known user backend_fatal, naming the callflow', () => {
      const plan = planSync(
        customer(),
        [portalNumber('+12125550102')],
        backend({ callflows: [{ id: 'cf-ivr', numbers: ['+12125550102'], flow: { module: 'menu', data: {} } }] }),
      );
      const classification = plan.classifications.get('+12125550102');
      expect(classification).toMatchObject({ status: 'backend_fatal', statusText: FATAL_TEXT });
      expect(classification?.detail).toContain('cf-ivr');
    });

    it('routes a number that is free on the account and calls it synced', () => {
      const plan = planSync(
        customer(),
        [portalNumber('+12125550104'), portalNumber('+12125550103')],
        backend({ onAccount: ['+12125550103', '+12125550104'] }),
      );
      expect(plan.toRoute).toEqual(['+12125550103', '+12125550104']);
      expect(plan.classifications.get('+12125550103')).toEqual({ status: 'synced', statusText: 'Synced' });
      expect(plan.classifications.get('+12125550104')).toEqual({ status: 'synced', statusText: 'Synced' });
    });

    it('calls a number the account lacks not_in_backend and does not route it', () => {
      const plan = planSync(customer(), [portalNumber('+12125550105')], backend({ onAccount: ['+12125550199'] }));
      expect(plan.classifications.get('+12125550105')).toEqual({ status: 'not_in_backend', statusText: NOT_IN_BACKEND_TEXT });
      expect(plan.toRoute).toEqual([]);
    });

    it('classifies every active number once, and none pending removal', () => {
      const plan = planSync(
        customer(),
        [
          portalNumber('+12125550110'),
          portalNumber('+12125550111'),
          portalNumber('+12125550112'),
          portalNumber('+12125550113'),
          portalNumber('+12125550114', 'retain'),
        ],
        backend({
          onAccount: ['+12125550112', '+12125550114'],
          callflows: [teamsFlow('cf1', ['+12125550110']), userFlow('cf2', ['+12125550111'], ANN.id)],
          users: [ANN],
        }),
      );
      expect(Object.fromEntries([...plan.classifications].map(([e164, c]) => [e164, c.status]))).toEqual({
        '+12125550110': 'synced',
        '+12125550111': 'backend_fatal',
        '+12125550112': 'synced',
        '+12125550113': 'not_in_backend',
      });
      expect(plan.toRoute).toEqual(['+12125550112']);
    });
  });

  describe('imports', () => {
    it('proposes the numbers of teams callflows that the portal lacks, once each, sorted', () => {
      const plan = planSync(
        customer(),
        [portalNumber('+12125550120')],
        backend({
          onAccount: ['+12125550129'],
          callflows: [
            teamsFlow('cf1', ['+12125550120', '+12125550122']),
            teamsFlow('cf2', ['+12125550121']),
            userFlow('cf3', ['+12125550123'], ANN.id),
          ],
          users: [ANN],
        }),
      );
      expect(plan.importCandidates).toEqual(['+12125550121', '+12125550122']);
      // Imports are not portal numbers: they get no classification of their own here.
      expect(plan.classifications.has('+12125550121')).toBe(false);
    });

    it('never proposes a number whose removal is pending', () => {
      const plan = planSync(
        customer(),
        [portalNumber('+12125550124', 'delete'), portalNumber('+12125550125', 'retain')],
        backend({ callflows: [teamsFlow('cf1', ['+12125550124']), teamsFlow('cf2', ['+12125550125', '+12125550126'])] }),
      );
      expect(plan.importCandidates).toEqual(['+12125550126']);
    });
  });

  describe('removals', () => {
    it('replaces a teams callflow that keeps other numbers, without the removed one', () => {
      const callflow = teamsFlow('cf1', ['+12125550130', '+12125550131']);
      const plan = planSync(
        customer(),
        [portalNumber('+12125550130', 'retain'), portalNumber('+12125550131')],
        backend({ callflows: [callflow] }),
      );
      expect(plan.callflowRemovals).toEqual([{ callflow, remove: ['+12125550130'], deleteIt: false }]);
    });

    it('deletes a teams callflow that held only removed numbers, in one change', () => {
      const callflow = teamsFlow('cf1', ['+12125550132', '+12125550133']);
      const plan = planSync(
        customer(),
        [portalNumber('+12125550132', 'delete'), portalNumber('+12125550133', 'retain')],
        backend({ callflows: [callflow, teamsFlow('cf2', ['+12125550134'])] }),
      );
      expect(plan.callflowRemovals).toEqual([{ callflow, remove: ['+12125550132', '+12125550133'], deleteIt: true }]);
    });

    it('leaves a non-Teams callflow alone', () => {
      const plan = planSync(
        customer(),
        [portalNumber('+12125550135', 'delete')],
        backend({ callflows: [userFlow('cf1', ['+12125550135'], ANN.id)], users: [ANN] }),
      );
      expect(plan.callflowRemovals).toEqual([]);
    });

    it('releases only with mode delete, only numbers on the account, never one on a non-Teams seat', () => {
      const plan = planSync(
        customer(),
        [
          portalNumber('+12125550140', 'delete'), // in a teams callflow
          portalNumber('+12125550141', 'delete'), // free on the account
          portalNumber('+12125550142', 'retain'), // in a teams callflow
          portalNumber('+12125550143', 'retain'), // free on the account
          portalNumber('+12125550144', 'delete'), // not on the account
          portalNumber('+12125550145', 'delete'), // on a non-Teams seat
        ],
        backend({
          onAccount: ['+12125550141', '+12125550143'],
          callflows: [teamsFlow('cf1', ['+12125550140', '+12125550142']), userFlow('cf2', ['+12125550145'], ANN.id)],
          users: [ANN],
        }),
      );
      const byNumber = Object.fromEntries(plan.removals.map((r) => [r.e164, r]));
      expect(Object.keys(byNumber).sort()).toEqual([
        '+12125550140',
        '+12125550141',
        '+12125550142',
        '+12125550143',
        '+12125550144',
        '+12125550145',
      ]);
      expect(byNumber['+12125550140']).toMatchObject({ mode: 'delete', release: true });
      expect(byNumber['+12125550141']).toMatchObject({ mode: 'delete', release: true });
      expect(byNumber['+12125550142']).toMatchObject({ mode: 'retain', release: false });
      expect(byNumber['+12125550143']).toMatchObject({ mode: 'retain', release: false });
      expect(byNumber['+12125550144']).toMatchObject({ mode: 'delete', release: false });
      expect(byNumber['+12125550145']).toMatchObject({ mode: 'delete', release: false, note: expect.any(String) });
      expect(byNumber['+12125550140']?.note).toBeUndefined();
      expect(plan.callflowRemovals).toEqual([
        expect.objectContaining({ remove: ['+12125550140', '+12125550142'], deleteIt: true }),
      ]);
    });
  });

  describe('account settings', () => {
    it('changes nothing when max channels and tenant already match', () => {
      const plan = planSync(customer({ maxChannels: 7, tenantName: 'fabrikam.com' }), [], backend({ teams: { max_channels: 7, tenant_name: 'fabrikam.com' } }));
      expect(plan.account).toBeNull();
    });

    it('pushes when max channels differ, saying what the backend has', () => {
      const plan = planSync(customer({ maxChannels: 8, tenantName: 'fabrikam.com' }), [], backend({ teams: { max_channels: 7, tenant_name: 'fabrikam.com' } }));
      expect(plan.account).toEqual({ maxChannels: 7, tenantName: 'fabrikam.com' });
    });

    it('pushes when the tenant differs', () => {
      const plan = planSync(customer({ maxChannels: 7, tenantName: 'fabrikam.com' }), [], backend({ teams: { max_channels: 7, tenant_name: 'contoso.com' } }));
      expect(plan.account).toEqual({ maxChannels: 7, tenantName: 'contoso.com' });
    });

    it('pushes when the account has no teams settings yet', () => {
      const plan = planSync(customer(), [], backend({ teams: undefined }));
      expect(plan.account).toEqual({ maxChannels: null, tenantName: null });
    });
  });
});
