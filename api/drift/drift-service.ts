import type { Collection } from 'mongodb';
import type { Caller } from '../auth/caller';
import type { CustomerService } from '../customers/customer-service';
import { needsAttention, zeroDriftCounts, type CustomerDriftDocument } from './drift-document';
import type { CustomerDriftView } from './drift-schemas';

/** Reads a customer's drift report for the partner's people. */
export class DriftService {
  constructor(
    private readonly drift: Collection<CustomerDriftDocument>,
    private readonly customers: CustomerService,
  ) {}

  async report(caller: Caller, customerId: string): Promise<CustomerDriftView> {
    const customer = await this.customers.require(caller, customerId);
    const document = await this.drift.findOne({ customerId: customer._id, partnerId: caller.partnerId });
    return document ? toDriftView(document) : noDriftYet(customer._id.toHexString());
  }
}

/** The report of a customer no sync has ended for yet: nothing compared, nothing failed. */
export function noDriftYet(customerId: string): CustomerDriftView {
  return {
    customerId,
    computedAt: null,
    runId: null,
    counts: zeroDriftCounts(),
    total: 0,
    items: [],
    itemsTruncated: false,
    teams: null,
    consecutiveFailures: 0,
    lastFailure: null,
    needsAttention: false,
    fingerprint: null,
  };
}

function toDriftView(document: CustomerDriftDocument): CustomerDriftView {
  return {
    customerId: document.customerId.toHexString(),
    computedAt: document.computedAt?.toISOString() ?? null,
    runId: document.runId?.toHexString() ?? null,
    counts: document.counts,
    total: document.total,
    items: document.items,
    // One item per number and kind (the counts' sum); total counts numbers, so it cannot tell.
    itemsTruncated: document.items.length < Object.values(document.counts).reduce((sum, count) => sum + count, 0),
    teams: document.teams ? { checked: document.teams.checked, reason: document.teams.checked ? null : document.teams.reason } : null,
    consecutiveFailures: document.consecutiveFailures,
    lastFailure: document.lastFailure
      ? { runId: document.lastFailure.runId.toHexString(), message: document.lastFailure.message, at: document.lastFailure.at.toISOString() }
      : null,
    needsAttention: needsAttention(document),
    fingerprint: document.fingerprint,
  };
}
