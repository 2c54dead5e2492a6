import type { Services } from '../app';
import type { Caller } from '../auth/caller';
import { AppError, ConflictError } from '../errors';
import type { NewCustomer } from '../customers/customer-schemas';
import { DEV_USER_ID } from '../auth/dev-sign-in';
import type { MemberRole } from '../members/member-role';

interface DemoCustomer extends Omit<NewCustomer, 'syncAfterSave'> {
  numbers: string;
}

interface DemoPartner {
  tenantId: string;
  name: string;
  /** Its reseller account in the backend simulator (demo-backend.ts): its customers' accounts sit under it. */
  backendAccountId: string;
  customers: DemoCustomer[];
}

/** The demo partners' reseller accounts, as the backend simulator's demo fixture has them. */
export const DEMO_RESELLERS = { northwind: 'northwind-telecom', woodgrove: 'woodgrove-partners', trial: 'trial-reseller' } as const;

/**
 * The demo partners' staff, one of each role, to sign in as in the dev sign-in.
 * The dev sign-in's default user is the Admin named at registration.
 */
export const DEMO_MEMBERS: readonly { oid: string; name: string; role: MemberRole }[] = [
  { oid: DEV_USER_ID, name: 'Local developer', role: 'admin' },
  { oid: 'demo-operator', name: 'Olivia Operator (demo)', role: 'operator' },
  { oid: 'demo-viewer', name: 'Victor Viewer (demo)', role: 'viewer' },
];

/** What the embedded default starts with: a demo partner, a few customers and numbers. */
export function demoPartners(demoTenantId: string): DemoPartner[] {
  return [
    {
      tenantId: demoTenantId,
      name: 'Northwind Telecom (demo partner)',
      backendAccountId: DEMO_RESELLERS.northwind,
      customers: [
        {
          accountId: '4a6f1c2d8e9b0a1f3c5d7e9f1a2b3c4d',
          tenantName: 'contoso.onmicrosoft.com',
          name: 'Contoso Ltd',
          maxChannels: 3,
          seatType: 'unbundled',
          numbers: '+1 212 555 0100\n+1 212 555 0101\n+1 212 555 0102\n+1 212 555 0103\n+1 212 555 0104',
        },
        {
          accountId: '9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a49',
          tenantName: 'fabrikam.com',
          name: 'Fabrikam Inc',
          maxChannels: 40,
          seatType: 'bundled',
          numbers: '+1 415 555 0130, +1 415 555 0131, +1 415 555 0132',
        },
        {
          accountId: 'adatum-0042',
          tenantName: 'adatum.onmicrosoft.com',
          name: 'Adatum Corporation',
          maxChannels: 12,
          seatType: 'unbundled',
          numbers: '+44 20 7946 0958; +44 20 7946 0959',
        },
        {
          accountId: 'tailspin-7',
          tenantName: 'tailspintoys.com',
          maxChannels: 5,
          numbers: '',
        },
      ],
    },
    {
      tenantId: 'demo-other-partner',
      name: 'Woodgrove Partners (second demo partner)',
      backendAccountId: DEMO_RESELLERS.woodgrove,
      customers: [
        {
          accountId: 'woodgrove-1',
          tenantName: 'woodgrovebank.com',
          name: 'Woodgrove Bank',
          maxChannels: 8,
          seatType: 'bundled',
          numbers: '+1 646 555 0170',
        },
      ],
    },
  ];
}

/**
 * Seeds through the application services, so demo data obeys every rule and is
 * audited like any other change. Running it again changes nothing. A demo
 * customer whose account the backend does not have under the demo reseller (a
 * real backend, not the simulator) is left out; its Account ID is returned.
 */
export async function seedDemoData(services: Services, demoTenantId: string): Promise<string[]> {
  const skipped: string[] = [];
  for (const demo of demoPartners(demoTenantId)) {
    const { partner } = await services.partners.register({ tenantId: demo.tenantId, name: demo.name, backendAccountId: demo.backendAccountId });
    const caller: Caller = {
      partnerId: partner._id,
      partnerName: partner.name,
      tenantId: partner.tenantId,
      userId: 'demo-seed',
      userName: 'Demo data',
      role: 'admin',
    };
    for (const member of DEMO_MEMBERS) {
      if (member.role === 'admin') await services.members.grantAdminAtRegistration(partner._id, member.oid, member.name);
      else if (!(await services.members.list(caller)).items.some((known) => known.oid === member.oid)) {
        await services.members.setRole(caller, member.oid, { role: member.role, name: member.name });
      }
    }
    for (const { numbers, ...customer } of demo.customers) {
      let id: string;
      try {
        id = (await services.customers.create(caller, { ...customer, syncAfterSave: false })).id;
      } catch (error) {
        if (error instanceof AppError && error.code === 'account_not_found') {
          skipped.push(customer.accountId);
          continue;
        }
        if (!(error instanceof ConflictError)) throw error;
        const existing = await services.customers.list(caller, {
          search: customer.accountId,
          sort: 'accountId',
          page: 1,
          pageSize: 200,
        });
        id = existing.items.find((item) => item.accountId === customer.accountId)!.id;
      }
      if (numbers) await services.numbers.add(caller, id, numbers);
    }
  }
  return skipped;
}
