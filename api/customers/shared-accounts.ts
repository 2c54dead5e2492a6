import type { Collection } from 'mongodb';
import type { PartnerDocument } from '../partners/partner-document';
import { ACCOUNT_ID_UNIQUE, type CustomerDocument } from './customer-document';

/** A backend account that more than one customer names (possible before one customer per account was enforced). */
export interface SharedAccount {
  accountId: string;
  customers: { customerId: string; name: string | null; partnerTenantId: string; partnerName: string }[];
}

/** How many shared accounts start-up names one by one (the count covers them all). */
const LISTED = 50;

/**
 * Before one customer per backend account can be enforced by its unique
 * index, the customers that already share an account must be told to the
 * operator: the index cannot be built over them, and nothing is deleted to
 * make it fit. A database that has the index already is not scanned.
 */
export async function findSharedAccounts(
  customers: Collection<CustomerDocument>,
  partners: Collection<PartnerDocument>,
): Promise<{ total: number; listed: SharedAccount[] }> {
  const indexes = await customers.listIndexes().toArray().catch(() => []);
  if (indexes.some((index) => index.name === ACCOUNT_ID_UNIQUE)) return { total: 0, listed: [] };
  const shared = await customers
    .aggregate<{ _id: string; count: number }>([
      { $group: { _id: '$accountId', count: { $sum: 1 } } },
      { $match: { count: { $gt: 1 } } },
      { $sort: { _id: 1 } },
    ])
    .toArray();
  if (shared.length === 0) return { total: 0, listed: [] };
  const listedIds = shared.slice(0, LISTED).map((account) => account._id);
  const holders = await customers
    .find({ accountId: { $in: listedIds } }, { projection: { accountId: 1, name: 1, partnerId: 1 } })
    .sort({ accountId: 1, createdAt: 1 })
    .toArray();
  const partnerOf = new Map(
    (await partners.find({ _id: { $in: [...new Set(holders.map((c) => c.partnerId))] } }, { projection: { tenantId: 1, name: 1 } }).toArray()).map(
      (partner) => [partner._id.toHexString(), partner],
    ),
  );
  const listed = listedIds.map((accountId) => ({
    accountId,
    customers: holders
      .filter((customer) => customer.accountId === accountId)
      .map((customer) => {
        const partner = partnerOf.get(customer.partnerId.toHexString());
        return {
          customerId: customer._id.toHexString(),
          name: customer.name ?? null,
          partnerTenantId: partner?.tenantId ?? '?',
          partnerName: partner?.name ?? '?',
        };
      }),
  }));
  return { total: shared.length, listed };
}
