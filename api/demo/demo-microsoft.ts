import type { GraphSimulatorFixture, SimulatedUserSpec } from '../graph/simulator/graph-simulator';

/** Deterministic GUID-shaped ids, so links and tests can name them. */
const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const DEMO_TENANTS = {
  contoso: id('c0a1c0a1', 1),
  fabrikam: id('fab0fab0', 2),
  adatum: id('ada0ada0', 3),
  litware: id('11750000', 4),
  tailspin: id('7a110000', 5),
  woodgrove: id('600d0000', 6),
  northwind: id('0a7d0000', 7),
} as const;

function user(tenant: string, n: number, displayName: string, upn: string, extra: Partial<SimulatedUserSpec> = {}): SimulatedUserSpec {
  return { id: id(tenant.slice(0, 8), 100 + n), displayName, userPrincipalName: upn, phoneLicensed: true, ...extra };
}

/**
 * Microsoft as the local run sees it (the Graph simulator): the demo
 * customers' tenants (demo-data.ts), with users and Direct Routing numbers laid
 * out against the backend fixture (demo-backend.ts), so the Phone Numbers tab
 * shows every case: assigned and synced, routed by the backend but unassigned in
 * Teams, assigned in Teams but not synced, and assigned in Teams but not in the
 * portal. No tenant has consented yet: the activation link does that.
 */
export function demoMicrosoftFixture(clientId: string, clientSecret: string): GraphSimulatorFixture {
  const t = DEMO_TENANTS;
  return {
    clientId,
    clientSecret,
    tenants: [
      {
        id: t.contoso,
        displayName: 'Contoso Ltd',
        domains: ['contoso.onmicrosoft.com', 'contoso.com'],
        voiceRoutingPolicies: ['US-East', 'US-West', 'International'],
        users: [
          user(t.contoso, 1, 'Adele Vance', 'AdeleV@contoso.onmicrosoft.com', { admin: true, enterpriseVoice: true }),
          user(t.contoso, 2, 'Alex Wilber', 'AlexW@contoso.onmicrosoft.com', { enterpriseVoice: true, number: '+12125550100', voiceRoutingPolicy: 'US-East' }),
          user(t.contoso, 3, 'Diego Siciliani', 'DiegoS@contoso.onmicrosoft.com', { enterpriseVoice: true, number: '+12125550109', voiceRoutingPolicy: 'US-East' }),
          user(t.contoso, 4, 'Lee Gu', 'LeeG@contoso.onmicrosoft.com', { enterpriseVoice: true }),
          user(t.contoso, 5, 'Lynne Robbins', 'LynneR@contoso.onmicrosoft.com', { enterpriseVoice: true, number: '+12125550103', voiceRoutingPolicy: 'US-West' }),
          user(t.contoso, 6, 'Megan Bowen', 'MeganB@contoso.onmicrosoft.com', { phoneLicensed: false }),
          user(t.contoso, 7, 'Isaiah Langer', 'IsaiahL@contoso.onmicrosoft.com'),
          user(t.contoso, 8, 'Nestor Wilke', 'NestorW@contoso.onmicrosoft.com'),
          user(t.contoso, 9, 'Pradeep Gupta', 'PradeepG@contoso.onmicrosoft.com', { accountEnabled: false }),
        ],
        unassignedNumbers: ['+12125550105'],
      },
      {
        id: t.fabrikam,
        displayName: 'Fabrikam Inc',
        domains: ['fabrikam.onmicrosoft.com', 'fabrikam.com'],
        voiceRoutingPolicies: ['Fabrikam-Default', 'Fabrikam-International'],
        users: [
          user(t.fabrikam, 1, 'Patti Fernandez', 'PattiF@fabrikam.com', { admin: true, enterpriseVoice: true }),
          user(t.fabrikam, 2, 'Johanna Lorenz', 'JohannaL@fabrikam.com', { enterpriseVoice: true, number: '+14155550130', voiceRoutingPolicy: 'Fabrikam-Default' }),
          user(t.fabrikam, 3, 'Grady Archie', 'GradyA@fabrikam.com', { enterpriseVoice: true }),
        ],
      },
      {
        id: t.adatum,
        displayName: 'Adatum Corporation',
        domains: ['adatum.onmicrosoft.com'],
        voiceRoutingPolicies: ['UK-London'],
        users: [
          user(t.adatum, 1, 'Miriam Graham', 'MiriamG@adatum.onmicrosoft.com', { admin: true }),
          user(t.adatum, 2, 'Henrietta Mueller', 'HenriettaM@adatum.onmicrosoft.com', { enterpriseVoice: true }),
        ],
      },
      {
        id: t.litware,
        displayName: 'Litware Inc',
        domains: ['litware.onmicrosoft.com'],
        voiceRoutingPolicies: ['US-Central'],
        users: [
          user(t.litware, 1, 'Joni Sherman', 'JoniS@litware.onmicrosoft.com', { admin: true, enterpriseVoice: true }),
          user(t.litware, 2, 'Irvin Sayers', 'IrvinS@litware.onmicrosoft.com', { enterpriseVoice: true }),
        ],
      },
      {
        id: t.tailspin,
        displayName: 'Tailspin Toys',
        domains: ['tailspintoys.onmicrosoft.com', 'tailspintoys.com'],
        users: [user(t.tailspin, 1, 'Enrico Cattaneo', 'EnricoC@tailspintoys.com', { admin: true })],
      },
      {
        id: t.woodgrove,
        displayName: 'Woodgrove Bank',
        domains: ['woodgrovebank.onmicrosoft.com', 'woodgrovebank.com'],
        users: [user(t.woodgrove, 1, 'Christie Cline', 'ChristieC@woodgrovebank.com', { admin: true })],
      },
      {
        // No portal customer: signing in here shows the tenant mismatch refusal.
        id: t.northwind,
        displayName: 'Northwind Traders',
        domains: ['northwindtraders.onmicrosoft.com'],
        users: [user(t.northwind, 1, 'Debra Berger', 'DebraB@northwindtraders.onmicrosoft.com', { admin: true })],
      },
    ],
  };
}
