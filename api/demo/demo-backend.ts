import type { SimulatorFixture } from '../backend/simulator/backend-simulator';
import { DEMO_RESELLERS } from './demo-data';

/**
 * The backend simulator's state for the demo customers (demo-data.ts), laid
 * out so that one sync of each shows every status: numbers in Teams callflows
 * (synced), free numbers (routed, then synced), numbers on non-Teams seats
 * (backend_fatal), numbers missing from the account (not_in_backend), and
 * Teams numbers the portal does not have yet (imported). The accounts sit in
 * the carrier's tree: the carrier, a reseller account per demo partner, and
 * each customer's account under its partner's reseller.
 */
export function demoBackendFixture(apiKey: string): SimulatorFixture {
  return {
    apiKeys: [apiKey],
    accounts: [
      { id: 'carrier', name: 'Carrier (top of the tree)' },
      { id: DEMO_RESELLERS.northwind, name: 'Northwind Telecom (reseller)', parent: 'carrier' },
      { id: DEMO_RESELLERS.woodgrove, name: 'Woodgrove Partners (reseller)', parent: 'carrier' },
      // Held by no demo partner: for a partner registered by hand (npm run partner -- add ... --backend-account trial-reseller).
      { id: DEMO_RESELLERS.trial, name: 'Trial reseller', parent: 'carrier' },
      { id: 'proseware-100', name: 'Proseware Inc', parent: DEMO_RESELLERS.trial, teams: { max_channels: 4, tenant_name: 'proseware.onmicrosoft.com' }, freeNumbers: ['+13125550160', '+13125550161'] },
      // The README's first API call creates it.
      { id: 'acme-01', name: 'Acme', parent: DEMO_RESELLERS.northwind },
      {
        id: '4a6f1c2d8e9b0a1f3c5d7e9f1a2b3c4d',
        parent: DEMO_RESELLERS.northwind,
        name: 'Contoso Ltd',
        teams: { max_channels: 2, tenant_name: 'contoso.onmicrosoft.com' },
        teamsCallflows: [['+12125550100', '+12125550101', '+12125550105']],
        freeNumbers: ['+12125550102'],
        seats: [{ firstName: 'Megan', lastName: 'Bowen', seatType: 'essentials', numbers: ['+12125550103'] }],
        // +12125550104 is in the portal but not on the account: not_in_backend.
      },
      {
        id: '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
        parent: DEMO_RESELLERS.northwind,
        name: 'Fabrikam Inc',
        teams: { max_channels: 40, tenant_name: 'fabrikam.com' },
        teamsCallflows: [['+14155550130']],
        freeNumbers: ['+14155550131'],
        seats: [{ firstName: 'Alex', lastName: 'Wilber', seatType: 'essentials', numbers: ['+14155550132'] }],
      },
      {
        id: 'adatum-0042',
        parent: DEMO_RESELLERS.northwind,
        name: 'Adatum Corporation',
        teams: { max_channels: 12, tenant_name: 'adatum.onmicrosoft.com' },
        teamsCallflows: [['+442079460958']],
      },
      {
        id: 'tailspin-7',
        parent: DEMO_RESELLERS.northwind,
        name: 'Tailspin Toys',
        freeNumbers: ['+12065550150'],
      },
      {
        // Not a portal customer yet: create "litware-5000" (litware.onmicrosoft.com)
        // in the portal, paste +1 312 555 0140 to 0143, and sync to see every status.
        id: 'litware-5000',
        parent: DEMO_RESELLERS.northwind,
        name: 'Litware Inc',
        teams: { max_channels: 1, tenant_name: 'litware.onmicrosoft.com' },
        teamsCallflows: [['+13125550140', '+13125550144']],
        freeNumbers: ['+13125550141'],
        seats: [{ firstName: 'Lidia', lastName: 'Holloway', seatType: 'essentials', numbers: ['+13125550142'] }],
      },
      {
        id: 'woodgrove-1',
        parent: DEMO_RESELLERS.woodgrove,
        name: 'Woodgrove Bank',
        teams: { max_channels: 8, tenant_name: 'woodgrovebank.com' },
        teamsCallflows: [['+16465550170']],
      },
    ],
  };
}
