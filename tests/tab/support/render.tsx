import { FluentProvider, teamsLightTheme } from '@fluentui/react-components';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { PortalApi } from '../../../tab/src/api/portal-api';
import { accessOf, AccessProvider } from '../../../tab/src/app/access';
import type { MemberRole } from '../../../api/members/role-names';
import { driftView, meView } from '../../support/views';

/** Renders inside the Fluent provider, as the app does. */
export function renderInFluent(ui: ReactElement): RenderResult {
  return render(<FluentProvider theme={teamsLightTheme}>{ui}</FluentProvider>);
}

/** Renders as a member with `role` would see it: the buttons their role may use. */
export function renderAs(role: MemberRole, ui: ReactElement): RenderResult {
  return renderInFluent(<AccessProvider value={accessOf(meView(role))}>{ui}</AccessProvider>);
}

type ApiMethods = {
  [K in keyof PortalApi]: PortalApi[K] extends (...args: infer A) => infer R ? jest.Mock<R, A> : never;
};

/**
 * A PortalApi whose every method is a jest mock: a test says what each call
 * answers (mockResolvedValue / mockRejectedValue) and checks what was asked.
 */
export function fakeApi(): ApiMethods & PortalApi {
  const methods = [
    'listCustomers',
    'getCustomer',
    'createCustomer',
    'suggestMaxChannels',
    'listNumbers',
    'addNumbers',
    'removeNumbers',
    'startSync',
    'getSyncRun',
    'listSyncRuns',
    'listAudit',
    'createActivationLink',
    'listTeamsUsers',
    'listTeamsNumbers',
    'listAssignableNumbers',
    'listVoiceRoutingPolicies',
    'assignTeamsNumber',
    'unassignTeamsNumber',
    'setVoiceRoutingPolicy',
    'getTeamsOperation',
    'me',
    'listMembers',
    'setMemberRole',
    'removeMember',
    'getSettings',
    'updateSettings',
    'getJob',
    'listJobRows',
    'cancelJob',
    'listJobs',
    'downloadFailedRows',
    'importNumbers',
    'importCustomers',
    'exportNumbers',
    'exportCustomers',
    'getCustomerSchedule',
    'setCustomerSchedule',
    'getDefaultSchedule',
    'setDefaultSchedule',
    'getCustomerDrift',
  ] as const;
  const api: Record<string, jest.Mock> = {};
  for (const method of methods) {
    api[method] = jest.fn(() => Promise.reject(new Error(`unexpected call: ${method}`)));
  }
  // Signed in as an Admin unless a test says otherwise.
  api.me!.mockResolvedValue(meView('admin'));
  // No schedule set anywhere, unless a test says otherwise: the views that show one need not be told.
  api.getCustomerSchedule!.mockResolvedValue({ schedule: { kind: 'off' }, source: 'default', partnerDefault: { kind: 'off' }, nextRunAt: null, lastSlot: null });
  api.getDefaultSchedule!.mockResolvedValue({ schedule: { kind: 'off' }, nextRunAt: null });
  // Nothing compared yet, unless a test says otherwise.
  api.getCustomerDrift!.mockImplementation((customerId: string) => Promise.resolve(driftView({ customerId })));
  api.onRoleRefused = jest.fn(() => () => undefined);
  return api as unknown as ApiMethods & PortalApi;
}
