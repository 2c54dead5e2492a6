import type { Collection } from 'mongodb';
import { z } from 'zod';
import type { Caller } from '../auth/caller';
import type { CustomerService } from '../customers/customer-service';
import { NotFoundError } from '../errors';
import type { NumberHistoryDocument } from './number-history-document';
import { readPastedNumbers } from './pasted-numbers';

export const numberHistoryParams = z.object({ id: z.string(), e164: z.string() });

export const numberHistoryView = z.object({
  e164: z.string(),
  items: z.array(
    z.object({
      at: z.string(),
      runId: z.string(),
      status: z.string(),
      statusText: z.string(),
      detail: z.string().nullable(),
    }),
  ),
});

const HISTORY_LIMIT = 200;

/** The statuses a number of the customer had, newest first, each with the sync run that gave it. */
export class NumberHistory {
  constructor(
    private readonly history: Collection<NumberHistoryDocument>,
    private readonly customers: CustomerService,
    private readonly defaultRegion: string,
  ) {}

  async list(caller: Caller, customerId: string, number: string): Promise<z.infer<typeof numberHistoryView>> {
    const customer = await this.customers.require(caller, customerId);
    const [entry] = readPastedNumbers(number, this.defaultRegion);
    if (entry?.e164 === undefined) throw new NotFoundError('No such number');
    const entries = await this.history
      .find({ customerId: customer._id, e164: entry.e164 })
      .sort({ at: -1, _id: -1 })
      .limit(HISTORY_LIMIT)
      .toArray();
    return {
      e164: entry.e164,
      items: entries.map((e) => ({
        at: e.at.toISOString(),
        runId: e.runId.toHexString(),
        status: e.status,
        statusText: e.statusText,
        detail: e.detail ?? null,
      })),
    };
  }
}
