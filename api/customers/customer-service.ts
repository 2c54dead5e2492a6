import { ObjectId, type Collection, type Filter, type Sort } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import { ConflictError, NotFoundError } from '../errors';
import type { NumberDocument, NumberStatus } from '../numbers/number-document';
import { NUMBER_STATUSES } from '../numbers/number-status';
import { parseObjectId } from '../shared/object-id';
import { plainTextPattern, skipOf, type Page } from '../shared/paging';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import { customerAdminLabel, type CustomerAdmin } from '../co-management/customer-admin';
import type { AccountOwnership } from './account-ownership';
import type { CustomerDocument } from './customer-document';
import { customerLabel } from './customer-label';
import { customerCsv } from './customer-file';
import type {
  CustomerChanges,
  CustomerDetailsView,
  CustomerListQuery,
  CustomerView,
  NewCustomer,
} from './customer-schemas';
import { requireRole } from '../members/member-role';

/** Customers of the caller's partner: list, create, read, change. */
export class CustomerService {
  constructor(
    private readonly customers: Collection<CustomerDocument>,
    private readonly numbers: Collection<NumberDocument>,
    private readonly audit: AuditLog,
    /** The Account ID must be an account under the partner's reseller account on the backend. */
    private readonly ownership: Pick<AccountOwnership, 'require'>,
  ) {}

  /** One find and one count, whatever the page or the search. */
  async list(caller: Caller, query: Omit<CustomerListQuery, 'attention'> & { attention?: boolean }): Promise<Page<CustomerView>> {
    const filter = this.filterOf(caller, query.search);
    if (query.attention) filter['drift.needsAttention'] = true;
    const paging = { page: query.page, pageSize: query.pageSize };
    const [documents, total] = await Promise.all([
      this.customers.find(filter).sort(sortOf(query.sort)).skip(skipOf(paging)).limit(paging.pageSize).toArray(),
      this.customers.countDocuments(filter),
    ]);
    return { items: documents.map(toCustomerView), total, ...paging };
  }

  /** The customers (maybe those the search matches) as CSV in name order, streamed from a cursor. */
  exportCsv(caller: Caller, search: string | undefined) {
    const cursor = this.customers
      .find(this.filterOf(caller, search), { projection: { syncLease: 0, syncQueued: 0, coManagement: 0 } })
      .sort({ nameKey: 1, accountId: 1 })
      .batchSize(1_000);
    return { fileName: `customers-${new Date().toISOString().slice(0, 10)}.csv`, stream: customerCsv(cursor) };
  }

  private filterOf(caller: Caller, search: string | undefined): Filter<CustomerDocument> {
    const filter: Filter<CustomerDocument> = { partnerId: caller.partnerId };
    if (search) {
      const pattern = { $regex: plainTextPattern(search), $options: 'i' };
      filter.$or = [{ name: pattern }, { accountId: pattern }, { tenantName: pattern }];
    }
    return filter;
  }

  async create(caller: Caller, input: NewCustomer): Promise<CustomerView> {
    requireRole(caller, 'operator');
    // First, so an account that is not the partner's is refused before anything about it is looked up here.
    await this.ownership.require(caller.partnerId, input.accountId);
    await this.requireFree(caller, input.accountId);
    const customer = newCustomerDocument(caller, input, new Date());
    try {
      await this.customers.insertOne(customer);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw await this.accountTaken(caller, input.accountId);
      throw error;
    }
    await this.audit.record(caller, 'customer.created', customer._id, createdDetails(customer));
    return toCustomerView(customer);
  }

  async details(caller: Caller, id: string): Promise<CustomerDetailsView> {
    const customer = await this.require(caller, id);
    const [byStatus, pendingRemovals] = await Promise.all([
      this.numbers
        .aggregate<{ _id: NumberStatus; count: number }>([
          { $match: { customerId: customer._id, removal: { $exists: false } } },
          { $group: { _id: '$status', count: { $sum: 1 } } },
        ])
        .toArray(),
      this.numbers.countDocuments({ customerId: customer._id, removal: { $exists: true } }),
    ]);
    const numberCounts = Object.fromEntries(NUMBER_STATUSES.map((status) => [status, 0])) as Record<
      NumberStatus,
      number
    >;
    for (const { _id, count } of byStatus) numberCounts[_id] = count;
    const co = customer.coManagement;
    const who = (admin: CustomerAdmin | undefined) => (admin ? customerAdminLabel(admin) : null);
    return {
      ...toCustomerView(customer),
      numberCounts,
      pendingRemovals,
      coManagement: {
        consentGrantedAt: co?.consent?.grantedAt.toISOString() ?? null,
        consentGrantedBy: who(co?.consent?.grantedBy),
        changedAt: co?.changedAt?.toISOString() ?? null,
        changedBy: who(co?.changedBy),
      },
    };
  }

  /**
   * One customer per backend account in the whole system. The account is the
   * partner's (checked before), so saying that the portal holds it elsewhere
   * tells nothing about another partner beyond what the carrier's tree says.
   */
  private async accountTaken(caller: Caller, accountId: string): Promise<ConflictError> {
    const holder = await this.customers.findOne({ accountId }, { projection: { partnerId: 1 } });
    if (!holder || holder.partnerId.equals(caller.partnerId)) {
      return new ConflictError('account_id_taken', `You already have a customer with Account ID ${accountId}`, [
        { field: 'accountId', message: 'is already used by another of your customers' },
      ]);
    }
    return new ConflictError('account_id_in_use', `Account ID ${accountId} is already used by a customer in the portal; ask the carrier which one`, [
      { field: 'accountId', message: 'is already used by a customer in the portal' },
    ]);
  }

  async update(caller: Caller, id: string, changes: CustomerChanges): Promise<CustomerView> {
    requireRole(caller, 'operator');
    const customer = await this.require(caller, id);
    const accountId = changes.accountId !== undefined && changes.accountId !== customer.accountId ? changes.accountId : undefined;
    if (accountId !== undefined) await this.checkAccountChange(caller, customer, accountId);
    if (
      changes.tenantName !== undefined &&
      changes.tenantName !== customer.tenantName &&
      customer.canManage
    ) {
      throw tenantLocked();
    }
    const set: Partial<CustomerDocument> = {};
    const unset: Partial<Record<keyof CustomerDocument, ''>> = {};
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    const name = changes.name === undefined ? customer.name : changes.name || undefined;
    if (name !== customer.name) {
      if (name === undefined) unset.name = '';
      else set.name = name;
      changed.name = { from: customer.name ?? null, to: name ?? null };
    }
    if (accountId !== undefined) {
      set.accountId = accountId;
      changed.accountId = { from: customer.accountId, to: accountId };
    }
    if (changed.name || changed.accountId) set.nameKey = nameKeyOf(name, accountId ?? customer.accountId);
    if (changes.tenantName !== undefined && changes.tenantName !== customer.tenantName) {
      set.tenantName = changes.tenantName;
      changed.tenantName = { from: customer.tenantName, to: changes.tenantName };
      // A consent given by the old tenant says nothing about the new one.
      unset.customerTenantId = '';
      unset.coManagement = '';
    }
    if (changes.maxChannels !== undefined && changes.maxChannels !== customer.maxChannels) {
      set.maxChannels = changes.maxChannels;
      changed.maxChannels = { from: customer.maxChannels, to: changes.maxChannels };
    }
    if (changes.seatType !== undefined && (changes.seatType ?? undefined) !== customer.seatType) {
      if (changes.seatType === null) unset.seatType = '';
      else set.seatType = changes.seatType;
      changed.seatType = { from: customer.seatType ?? null, to: changes.seatType };
    }
    if (Object.keys(changed).length === 0) return toCustomerView(customer);
    set.updatedAt = new Date();
    // The lock is checked again in the write, in case co-management was allowed meanwhile.
    const filter: Filter<CustomerDocument> = { _id: customer._id, partnerId: caller.partnerId };
    if (set.tenantName !== undefined) filter.canManage = false;
    // And no sync may have taken the customer meanwhile, while its Account ID changes.
    if (accountId !== undefined) {
      filter.$or = [{ syncLease: { $exists: false } }, { 'syncLease.until': { $lt: new Date() } }];
      filter.syncQueued = { $exists: false };
    }
    let updated;
    try {
      updated = await this.customers.findOneAndUpdate(
        filter,
        Object.keys(unset).length > 0 ? { $set: set, $unset: unset } : { $set: set },
        { returnDocument: 'after' },
      );
    } catch (error) {
      if (accountId !== undefined && isDuplicateKeyError(error)) throw await this.accountTaken(caller, accountId);
      throw error;
    }
    if (!updated) {
      // Which of the write's conditions failed meanwhile: co-management allowed, or a sync started.
      const now = await this.customers.findOne({ _id: customer._id }, { projection: { canManage: 1 } });
      if (!now) throw notFound();
      if (set.tenantName !== undefined && now.canManage) throw tenantLocked();
      if (accountId !== undefined) throw syncUnderWay();
      throw notFound();
    }
    await this.audit.record(caller, 'customer.updated', customer._id, { changed });
    return toCustomerView(updated);
  }

  /**
   * A new Account ID (a typo corrected, an account the carrier replaced): the
   * partner's, free in the whole portal, and not while the old account still
   * has work to do, since a sync applies pending removals to the account it reads.
   */
  private async checkAccountChange(caller: Caller, customer: CustomerDocument, accountId: string): Promise<void> {
    // A run queued behind one whose process stopped still has to start on the account it was asked for.
    if ((customer.syncLease && customer.syncLease.until > new Date()) || customer.syncQueued) throw syncUnderWay();
    const pending = await this.numbers.countDocuments({ customerId: customer._id, removal: { $exists: true } }, { limit: 1 });
    if (pending > 0) {
      throw new ConflictError(
        'removals_pending',
        `Numbers removed from this customer are still to be cleaned up on account ${customer.accountId}: sync the customer first, then change the Account ID`,
        [{ field: 'accountId', message: 'cannot change while removed numbers wait for their clean-up on the old account' }],
      );
    }
    await this.ownership.require(caller.partnerId, accountId);
    await this.requireFree(caller, accountId);
  }

  /**
   * One customer per backend account, told before the write: the unique
   * index also refuses it, but waits while customers from before the rule
   * share an account (start-up reports them).
   */
  private async requireFree(caller: Caller, accountId: string): Promise<void> {
    if (await this.customers.findOne({ accountId }, { projection: { _id: 1 } })) throw await this.accountTaken(caller, accountId);
  }

  /**
   * Customers whose name, account id or tenant name hold the words typed,
   * case-insensitive and forgiving of spacing ("contoso" and "contosoltd" find
   * "Contoso Ltd"). With no match, the closest names are suggested.
   */
  async match(caller: Caller, words: string): Promise<{ matches: CustomerView[]; suggestions: string[] }> {
    const letters = [...words.toLowerCase().replace(/[\s-]+/g, '')];
    if (letters.length === 0) return { matches: [], suggestions: [] };
    const pattern = { $regex: letters.map((ch) => plainTextPattern(ch)).join('[\\s-]*'), $options: 'i' };
    const matches = await this.customers
      .find({ partnerId: caller.partnerId, $or: [{ name: pattern }, { accountId: pattern }, { tenantName: pattern }] })
      .sort({ nameKey: 1, accountId: 1 })
      .limit(MATCH_LIMIT)
      .toArray();
    // An account id typed in full names that customer, even when others hold the same letters.
    const exact = matches.find((c) => c.accountId.toLowerCase() === words.trim().toLowerCase());
    if (exact) return { matches: [toCustomerView(exact)], suggestions: [] };
    if (matches.length > 0) return { matches: matches.map(toCustomerView), suggestions: [] };
    const all = await this.customers
      .find({ partnerId: caller.partnerId }, { projection: { name: 1, accountId: 1 } })
      .limit(SUGGESTION_POOL)
      .toArray();
    const typed = letters.join('');
    const suggestions = all
      .map((c) => ({ label: customerLabel(c), distance: distance(typed, customerLabel(c).toLowerCase().replace(/[\s-]+/g, '')) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 3)
      .map((c) => c.label);
    return { matches: [], suggestions };
  }

  /** Numbers joined (+) or left (-) the customer's list; a sync recounts it from the numbers themselves. */
  async adjustNumberCount(customerId: ObjectId, delta: number, now = new Date()): Promise<void> {
    if (delta === 0) return;
    await this.customers.updateOne({ _id: customerId }, { $inc: { numberCount: delta }, $set: { updatedAt: now } });
  }

  /** Sets the count outright, from the numbers counted (after a job taken over mid-way). */
  async setNumberCount(customerId: ObjectId, count: number, now = new Date()): Promise<void> {
    await this.customers.updateOne({ _id: customerId }, { $set: { numberCount: count, updatedAt: now } });
  }

  /** The caller's customer, or 404: another partner's customer does not exist for them. */
  async require(caller: Caller, id: string): Promise<CustomerDocument> {
    const objectId = parseObjectId(id);
    const customer = objectId ? await this.customers.findOne({ _id: objectId, partnerId: caller.partnerId }) : null;
    if (!customer) throw notFound();
    return customer;
  }
}

function syncUnderWay(): ConflictError {
  return new ConflictError('sync_running', 'A sync of this customer is under way: change the Account ID once it has ended', [
    { field: 'accountId', message: 'cannot change while a sync of the customer runs' },
  ]);
}

function tenantLocked(): ConflictError {
  return new ConflictError('tenant_locked', 'The Office 365 Tenant Name cannot change while the customer allows co-management', [
    { field: 'tenantName', message: 'is locked while the customer allows co-management' },
  ]);
}

const MATCH_LIMIT = 10;
const SUGGESTION_POOL = 2_000;

/** Edit distance (Levenshtein), for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

function notFound(): NotFoundError {
  return new NotFoundError('No such customer');
}

function nameKeyOf(name: string | undefined, accountId: string): string {
  return customerLabel({ name, accountId }).toLowerCase();
}

function sortOf(sort: CustomerListQuery['sort']): Sort {
  const direction = sort.startsWith('-') ? -1 : 1;
  const field = sort.replace(/^-/, '');
  const key = field === 'name' ? 'nameKey' : field;
  // A unique tie-break keeps pages stable.
  return key === 'accountId' ? { accountId: direction } : { [key]: direction, accountId: 1 };
}

/** A new customer as the New customer form (or an import's row) gives it. */
export function newCustomerDocument(
  caller: Caller,
  input: Omit<NewCustomer, 'syncAfterSave'>,
  now: Date,
  createdByJob?: CustomerDocument['createdByJob'],
): CustomerDocument {
  return {
    _id: new ObjectId(),
    partnerId: caller.partnerId,
    accountId: input.accountId,
    tenantName: input.tenantName,
    ...(input.name ? { name: input.name } : {}),
    nameKey: nameKeyOf(input.name, input.accountId),
    maxChannels: input.maxChannels,
    ...(input.seatType ? { seatType: input.seatType } : {}),
    canManage: false,
    numberCount: 0,
    createdAt: now,
    createdBy: actorOf(caller),
    updatedAt: now,
    ...(createdByJob ? { createdByJob } : {}),
  };
}

/** What the audit keeps of a new customer. */
export function createdDetails(customer: CustomerDocument): Record<string, unknown> {
  return {
    accountId: customer.accountId,
    tenantName: customer.tenantName,
    name: customer.name ?? null,
    maxChannels: customer.maxChannels,
    seatType: customer.seatType ?? null,
  };
}

export function toCustomerView(customer: CustomerDocument): CustomerView {
  return {
    id: customer._id.toHexString(),
    accountId: customer.accountId,
    tenantName: customer.tenantName,
    name: customer.name ?? null,
    maxChannels: customer.maxChannels,
    seatType: customer.seatType ?? null,
    canManage: customer.canManage,
    customerTenantId: customer.customerTenantId ?? null,
    numberCount: customer.numberCount,
    lastSync: customer.lastSync
      ? {
          runId: customer.lastSync.runId.toHexString(),
          state: customer.lastSync.state,
          startedAt: customer.lastSync.startedAt.toISOString(),
          finishedAt: customer.lastSync.finishedAt?.toISOString() ?? null,
        }
      : null,
    drift: customer.drift
      ? {
          total: customer.drift.total,
          consecutiveFailures: customer.drift.consecutiveFailures,
          needsAttention: customer.drift.needsAttention,
          computedAt: customer.drift.computedAt?.toISOString() ?? null,
        }
      : null,
    createdAt: customer.createdAt.toISOString(),
    updatedAt: customer.updatedAt.toISOString(),
  };
}
