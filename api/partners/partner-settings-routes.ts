import { defineRoute } from '../http/route-definition';
import { partnerSettingsChange, partnerSettingsView, type PartnerSettings } from './partner-settings';

export function partnerSettingsRoutes(settings: PartnerSettings) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/settings',
      operationId: 'getSettings',
      summary: "The partner's own settings (newMembers: what a user who is not a member yet gets)",
      tag: 'members',
      role: 'admin',
      response: { status: 200, description: 'The settings', schema: partnerSettingsView },
      handle: async ({ caller }) => ({ body: await settings.read(caller) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/v1/settings',
      operationId: 'updateSettings',
      summary: "Changes the partner's own settings",
      tag: 'members',
      role: 'admin',
      body: partnerSettingsChange,
      response: { status: 200, description: 'The settings', schema: partnerSettingsView },
      handle: async ({ caller, body }) => ({ body: await settings.update(caller, body) }),
    }),
  ];
}
