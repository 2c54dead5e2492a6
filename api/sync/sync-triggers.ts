import type { Caller } from '../auth/caller';
import type { NewCustomer } from '../customers/customer-schemas';
import type { CustomerService } from '../customers/customer-service';
import type { RemovalMode } from '../numbers/number-document';
import type { NumberRemoval } from '../numbers/number-removal';
import type { SyncStartView } from './sync-schemas';
import type { SyncService } from './sync-service';

/**
 * Changes that start a sync by themselves: a new customer saved with "Sync
 * after save", and removals, whose backend clean-up runs at once (or, when the
 * backend cannot be reached, at the next sync). The REST routes and the bot
 * both come through here.
 */
export class SyncTriggers {
  constructor(
    private readonly customers: CustomerService,
    private readonly numbers: NumberRemoval,
    private readonly sync: SyncService,
    /** 'next-sync': removals wait for the next sync instead of starting one. */
    private readonly removalCleanup: 'immediate' | 'next-sync',
  ) {}

  async createCustomer(caller: Caller, input: NewCustomer) {
    const customer = await this.customers.create(caller, input);
    const syncRun = input.syncAfterSave ? (await this.sync.start(caller, customer.id, { trigger: 'after-save' })).run : null;
    return { ...customer, syncRun };
  }

  async removeNumbers(caller: Caller, customerId: string, inputs: readonly string[], mode: RemovalMode) {
    const result = await this.numbers.remove(caller, customerId, inputs, mode);
    const syncRun = result.summary.removed > 0 ? await this.afterRemoval(caller, customerId) : null;
    return { ...result, syncRun };
  }

  /** As removeNumbers, but more than 1,000 numbers go as a job, which starts the clean-up when it ends. */
  async removeOrStart(caller: Caller, customerId: string, inputs: readonly string[], mode: RemovalMode) {
    const answer = await this.numbers.removeOrStart(caller, customerId, inputs, mode);
    if (answer.job) return { job: answer.job };
    const syncRun = answer.done.summary.removed > 0 ? await this.afterRemoval(caller, customerId) : null;
    return { done: { ...answer.done, syncRun } };
  }

  /**
   * The backend clean-up after numbers were removed: a sync now (or, while one
   * runs, the one queued behind it), unless removals wait for the next one.
   */
  async afterRemoval(caller: Caller, customerId: string): Promise<SyncStartView | null> {
    if (this.removalCleanup !== 'immediate') return null;
    const { run, started, queuedAfter } = await this.sync.start(caller, customerId, { trigger: 'after-remove' });
    return { ...run, started, queuedAfter };
  }
}
