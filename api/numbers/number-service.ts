import { ObjectId, type Collection, type Filter } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import { actorOf, type Caller } from '../auth/caller';
import type { CustomerDocument } from '../customers/customer-document';
import type { CustomerService } from '../customers/customer-service';
import { ValidationError } from '../errors';
import { plainTextPattern, skipOf, type Page } from '../shared/paging';
import { isDuplicateKeyError } from '../storage/database';
import type { NumberDocument, RemovalMode } from './number-document';
import type {
  AddOutcome,
  AddResult,
  NumberListQuery,
  NumberView,
  RemoveOutcome,
  RemoveResult,
} from './number-schemas';
import { STATUS_TEXT } from './number-status';
import { readPastedNumbers } from './pasted-numbers';

/** Documents per insertMany: the design's "one insertMany per 1,000". */
export const INSERT_BATCH = 1_000;
const INSERT_ATTEMPTS = 3;

export interface NumberServiceOptions {
  defaultRegion: string;
  maxNumbersPerRequest: number;
}

type Existing = Pick<NumberDocument, 'e164' | 'customerId' | 'removal'>;

/** A customer's phone numbers: list, add what was pasted, remove. */
export class NumberService {
  constructor(
    private readonly numbers: Collection<NumberDocument>,
    private readonly customers: Collection<CustomerDocument>,
    private readonly customerService: CustomerService,
    private readonly audit: AuditLog,
    private readonly options: NumberServiceOptions,
  ) {}

  async list(caller: Caller, customerId: string, query: NumberListQuery): Promise<Page<NumberView>> {
    const customer = await this.customerService.require(caller, customerId);
    const filter: Filter<NumberDocument> = { customerId: customer._id, removal: { $exists: false } };
    if (query.status) filter.status = query.status as NumberDocument['status'];
    const searchable = query.search?.replace(/[\s().-]/g, '');
    if (searchable) filter.e164 = { $regex: plainTextPattern(searchable) };
    const paging = { page: query.page, pageSize: query.pageSize };
    const [documents, total] = await Promise.all([
      this.numbers.find(filter).sort({ e164: 1 }).skip(skipOf(paging)).limit(paging.pageSize).toArray(),
      this.numbers.countDocuments(filter),
    ]);
    return { items: documents.map(toNumberView), total, ...paging };
  }

  /**
   * Adds what the partner pasted: one $in look-up, then one insertMany per
   * 1,000 new numbers, one counter update and one audit entry. Idempotent.
   */
  async add(caller: Caller, customerId: string, pasted: string | readonly string[]) {
    const customer = await this.customerService.require(caller, customerId);
    const entries = readPastedNumbers(pasted, this.options.defaultRegion);
    if (entries.length === 0) {
      throw new ValidationError([{ field: 'numbers', message: 'paste at least one phone number' }]);
    }
    if (entries.length > this.options.maxNumbersPerRequest) {
      throw new ValidationError([
        {
          field: 'numbers',
          message: `at most ${this.options.maxNumbersPerRequest} numbers in one request (found ${entries.length})`,
        },
      ]);
    }

    const results: AddResult[] = entries.map((entry) =>
      entry.e164 === undefined
        ? { input: entry.input, outcome: 'invalid', reason: entry.reason }
        : { input: entry.input, e164: entry.e164, outcome: 'added' },
    );
    let pending = results.filter((r) => r.e164 !== undefined);
    const now = new Date();
    const restored = new Set<string>();
    const inserted = new Set<string>();

    for (let attempt = 1; pending.length > 0; attempt++) {
      const existing = await this.findExisting(pending.map((r) => r.e164!));
      const toInsert = new Map<string, NumberDocument>();
      const toRestore: string[] = [];
      const seen = new Set<string>();
      for (const result of pending) {
        const e164 = result.e164!;
        const owner = existing.get(e164);
        if (seen.has(e164)) {
          settle(result, 'already-present', 'listed more than once');
        } else if (inserted.has(e164) || restored.has(e164)) {
          settle(result, 'added');
        } else if (owner && !owner.customerId.equals(customer._id)) {
          settle(
            result,
            'owned-elsewhere',
            owner.removal
              ? "this number is still being removed from another customer; add it after that customer's next sync"
              : 'this number belongs to another customer',
          );
        } else if (owner?.removal) {
          toRestore.push(e164);
        } else if (owner) {
          settle(result, 'already-present', 'already on this customer');
        } else {
          toInsert.set(e164, newNumber(caller, customer, e164, now));
        }
        seen.add(e164);
      }
      if (toRestore.length > 0) {
        // Adding back a number whose removal is still pending cancels the removal.
        await this.numbers.updateMany(
          { customerId: customer._id, e164: { $in: toRestore }, removal: { $exists: true } },
          { $unset: { removal: '' } },
        );
        toRestore.forEach((e164) => restored.add(e164));
      }
      const raced = await this.insertNew([...toInsert.values()], inserted);
      pending = pending.filter((r) => r.outcome === 'added' && !inserted.has(r.e164!) && !restored.has(r.e164!));
      if (raced === 0 && pending.length === 0) break;
      if (attempt >= INSERT_ATTEMPTS) {
        pending.forEach((r) => settle(r, 'invalid', 'another change to this number happened at the same time; try again'));
        break;
      }
    }

    const added = inserted.size + restored.size;
    if (added > 0) {
      await this.customers.updateOne({ _id: customer._id }, { $inc: { numberCount: added }, $set: { updatedAt: now } });
      await this.audit.record(caller, 'numbers.added', customer._id, {
        count: added,
        numbers: [...inserted, ...restored],
      });
    }
    return { results, summary: summarise<AddOutcome>(results, ['added', 'already-present', 'owned-elsewhere', 'invalid']) };
  }

  /**
   * Detaches numbers from the customer's list at once. The backend step (delete
   * or retain) is recorded on each number and carried out by the next sync.
   */
  async remove(caller: Caller, customerId: string, inputs: readonly string[], mode: RemovalMode) {
    const customer = await this.customerService.require(caller, customerId);
    const results: RemoveResult[] = inputs.map((input) => {
      const entries = readPastedNumbers(input, this.options.defaultRegion);
      const [only] = entries;
      if (entries.length !== 1 || only?.e164 === undefined) {
        return {
          input,
          outcome: 'invalid',
          reason:
            entries.length > 1
              ? 'holds more than one number'
              : only && 'reason' in only
                ? only.reason
                : 'no phone number found',
        };
      }
      return { input, e164: only.e164, outcome: 'removed' };
    });
    const wanted = [...new Set(results.flatMap((r) => (r.e164 ? [r.e164] : [])))];
    const present = new Set(
      wanted.length === 0
        ? []
        : (
            await this.numbers
              .find(
                { customerId: customer._id, e164: { $in: wanted }, removal: { $exists: false } },
                { projection: { e164: 1 } },
              )
              .toArray()
          ).map((n) => n.e164),
    );
    const claimed = new Set<string>();
    for (const result of results) {
      if (result.outcome !== 'removed') continue;
      if (!present.has(result.e164!) || claimed.has(result.e164!)) {
        settleRemoval(result, 'not-found', claimed.has(result.e164!) ? 'listed more than once' : 'not on this customer');
      }
      claimed.add(result.e164!);
    }
    if (present.size > 0) {
      const now = new Date();
      const update = await this.numbers.updateMany(
        { customerId: customer._id, e164: { $in: [...present] }, removal: { $exists: false } },
        { $set: { removal: { mode, requestedAt: now, requestedBy: actorOf(caller) } } },
      );
      await this.customers.updateOne(
        { _id: customer._id },
        { $inc: { numberCount: -update.modifiedCount }, $set: { updatedAt: now } },
      );
      await this.audit.record(caller, 'numbers.removed', customer._id, {
        mode,
        count: present.size,
        numbers: [...present],
      });
    }
    return { mode, results, summary: summarise<RemoveOutcome>(results, ['removed', 'not-found', 'invalid']) };
  }

  private async findExisting(e164s: string[]): Promise<Map<string, Existing>> {
    const found = await this.numbers
      .find({ e164: { $in: [...new Set(e164s)] } }, { projection: { e164: 1, customerId: 1, removal: 1 } })
      .toArray();
    return new Map(found.map((n) => [n.e164, n]));
  }

  /**
   * Inserts in batches and records what went in. A duplicate key means someone
   * added one of these numbers meanwhile (the emulator then inserts nothing of
   * the batch, MongoDB the others): the batch's own ids tell what landed, and the
   * caller classifies the rest again. Returns how many batches hit a duplicate.
   */
  private async insertNew(documents: NumberDocument[], inserted: Set<string>): Promise<number> {
    let raced = 0;
    for (let start = 0; start < documents.length; start += INSERT_BATCH) {
      const batch = documents.slice(start, start + INSERT_BATCH);
      try {
        await this.numbers.insertMany(batch, { ordered: false });
        batch.forEach((n) => inserted.add(n.e164));
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        raced++;
        const landed = await this.numbers
          .find({ _id: { $in: batch.map((n) => n._id) } }, { projection: { e164: 1 } })
          .toArray();
        landed.forEach((n) => inserted.add(n.e164));
      }
    }
    return raced;
  }
}

function newNumber(caller: Caller, customer: CustomerDocument, e164: string, now: Date): NumberDocument {
  return {
    _id: new ObjectId(),
    partnerId: caller.partnerId,
    customerId: customer._id,
    e164,
    status: 'pending',
    statusText: STATUS_TEXT.pending,
    addedBy: actorOf(caller),
    addedAt: now,
  };
}

function settle(result: AddResult, outcome: AddOutcome, reason?: string): void {
  result.outcome = outcome;
  if (reason === undefined) delete result.reason;
  else result.reason = reason;
}

function settleRemoval(result: RemoveResult, outcome: RemoveOutcome, reason: string): void {
  result.outcome = outcome;
  result.reason = reason;
}

function summarise<O extends string>(results: { outcome: O }[], outcomes: readonly O[]): Record<O, number> {
  const summary = Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<O, number>;
  for (const { outcome } of results) summary[outcome]++;
  return summary;
}

export function toNumberView(number: NumberDocument): NumberView {
  return {
    e164: number.e164,
    status: number.status,
    statusText: number.statusText,
    addedAt: number.addedAt.toISOString(),
    addedBy: number.addedBy,
    syncedAt: number.syncedAt?.toISOString() ?? null,
  };
}
