import type { Collection, ObjectId } from 'mongodb';
import type { AuditLog } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { UploadedFile } from '../http/file-upload';
import { PREVIEW_BATCH_ROWS, PreviewTally, type ImportPreview } from '../imports/import-answers';
import { inBatches } from '../shared/in-batches';
import type { JobDocument } from '../jobs/job-document';
import type { JobKind, JobRow, RowOutcome } from '../jobs/job-kind';
import { toJobView, type JobQueue } from '../jobs/job-queue';
import { requireRole } from '../members/member-role';
import { isDuplicateKeyError } from '../storage/duplicate-key';
import { NOT_UNDER_RESELLER_ROW, type AccountOwnership, type AccountVerdict } from './account-ownership';
import type { CustomerDocument } from './customer-document';
import { readCustomerFile, type CustomerImportRow } from './customer-file';
import { newCustomerSchema } from './customer-schemas';
import { createdDetails, newCustomerDocument } from './customer-service';

export const CUSTOMER_IMPORT_JOB = 'customers.import';
export const CUSTOMER_IMPORT_OUTCOMES = ['created', 'duplicate-account-id', 'duplicate-in-file', 'account-not-found', 'invalid'] as const;

type Outcome = (typeof CUSTOMER_IMPORT_OUTCOMES)[number];

const importRowSchema = newCustomerSchema.omit({ syncAfterSave: true });

/**
 * Customers from a CSV file: each row checked as the New customer form checks
 * it (the same messages), against the partner's customers and the file's
 * other rows. A dry run answers at once; an import is a job.
 */
export class CustomerImport implements JobKind<CustomerImportRow, undefined> {
  readonly kind = CUSTOMER_IMPORT_JOB;
  readonly outcomes = CUSTOMER_IMPORT_OUTCOMES;

  constructor(
    private readonly customers: Collection<CustomerDocument>,
    private readonly audit: AuditLog,
    private readonly jobs: JobQueue,
    private readonly ownership: Pick<AccountOwnership, 'verdicts'>,
    /**
     * A dry run asks the backend about this many Account IDs at most (one
     * request each: it answers within the request); an import checks every row.
     */
    private readonly dryRunAccountChecks: number,
  ) {}

  /** What the file would do, worked a batch at a time as it is read (one look-up a batch), with nothing written. */
  async preview(caller: Caller, file: UploadedFile): Promise<ImportPreview> {
    requireRole(caller, 'operator');
    const { rows, ignoredColumns } = await readCustomerFile(file.content);
    const tally = new PreviewTally(CUSTOMER_IMPORT_OUTCOMES, ['created']);
    // Shared by the file's batches: the whole dry run asks the backend about so many Account IDs at most.
    const checks: DryRunChecks = { left: this.dryRunAccountChecks, notChecked: 0 };
    let before = 0;
    for await (const batch of inBatches(rows, PREVIEW_BATCH_ROWS)) {
      const outcomes = await this.work(caller, batch.map((data, index) => ({ row: before + index + 1, data })), undefined, checks);
      tally.add(batch, outcomes);
      before += batch.length;
    }
    return { ...tally.answer(ignoredColumns), ...(checks.notChecked > 0 ? { accountsNotChecked: checks.notChecked } : {}) };
  }

  /** Creates the file's customers as a job, its input stored a batch at a time as the file is read. */
  async start(caller: Caller, file: UploadedFile) {
    requireRole(caller, 'operator');
    const { rows, ignoredColumns } = await readCustomerFile(file.content);
    const job = await this.jobs.enqueueRows(
      caller,
      {
        kind: CUSTOMER_IMPORT_JOB,
        outcomes: CUSTOMER_IMPORT_OUTCOMES,
        successOutcomes: ['created'],
        inputLabel: 'Account ID',
        fileName: file.fileName ?? 'customers.csv',
      },
      rows,
    );
    return { job: toJobView(job), ignoredColumns };
  }

  async prepare(): Promise<undefined> {
    return undefined;
  }

  runBatch(job: JobDocument, caller: Caller, rows: JobRow<CustomerImportRow>[]): Promise<RowOutcome[]> {
    return this.work(caller, rows, job._id);
  }

  /**
   * The rows whose Account ID is an account under the partner's reseller
   * account on the backend; the others come out account-not-found. A dry run
   * checks only as many as its `checks` have left (DRY_RUN_ACCOUNT_CHECKS;
   * the rest wait for the import, which checks every row).
   */
  private async partnersOwn(
    caller: Caller,
    wanted: Wanted[],
    results: (RowOutcome & { outcome: Outcome })[],
    checks: DryRunChecks | undefined,
  ): Promise<{ owned: Wanted[]; unchecked: Wanted[] }> {
    if (wanted.length === 0) return { owned: [], unchecked: [] };
    let accountIds = [...new Set(wanted.map((want) => want.document.accountId))];
    if (checks) {
      accountIds = accountIds.slice(0, checks.left);
      checks.left -= accountIds.length;
    }
    const verdicts = accountIds.length > 0 ? await this.ownership.verdicts(caller.partnerId, accountIds) : new Map<string, AccountVerdict>();
    const owned: Wanted[] = [];
    const unchecked: Wanted[] = [];
    for (const want of wanted) {
      const verdict = verdicts.get(want.document.accountId);
      if (verdict === 'ours') owned.push(want);
      else if (verdict === undefined) unchecked.push(want);
      else results[want.index] = { outcome: 'account-not-found', message: `${NOT_UNDER_RESELLER_ROW}: ${want.document.accountId}` };
    }
    if (checks) checks.notChecked += unchecked.length;
    return { owned, unchecked };
  }

  /** The rows whose Account ID no customer holds, the others marked as taken (this partner's) or in use (another's). */
  private async withoutHeld(wanted: Wanted[], results: (RowOutcome & { outcome: Outcome })[], caller: Caller): Promise<Wanted[]> {
    if (wanted.length === 0) return wanted;
    const holders = new Map(
      (await this.customers.find({ accountId: { $in: wanted.map((w) => w.document.accountId) } }, { projection: { accountId: 1, partnerId: 1 } }).toArray()).map(
        (customer) => [customer.accountId, customer.partnerId],
      ),
    );
    return wanted.filter((want) => {
      const holder = holders.get(want.document.accountId);
      if (!holder) return true;
      results[want.index] = holder.equals(caller.partnerId) ? taken(want.document.accountId) : inUse(want.document.accountId);
      return false;
    });
  }

  /**
   * Inserts the new customers in one insertMany. An Account ID taken
   * meanwhile makes it fail; the emulator then inserts none of the batch
   * (MongoDB the others), so the rows that did not land and are still free
   * are inserted again.
   */
  private async insert(toInsert: Wanted[], results: (RowOutcome & { outcome: Outcome })[], caller: Caller): Promise<Wanted[]> {
    const inserted: Wanted[] = [];
    let pending = toInsert;
    for (let attempt = 1; pending.length > 0; attempt++) {
      try {
        await this.customers.insertMany(pending.map((w) => w.document), { ordered: false });
        inserted.push(...pending);
        break;
      } catch (error) {
        if (!isDuplicateKeyError(error) || attempt >= 3) throw error;
        const landed = new Set(
          (await this.customers.find({ _id: { $in: pending.map((w) => w.document._id) } }, { projection: { _id: 1 } }).toArray()).map((c) =>
            c._id.toHexString(),
          ),
        );
        inserted.push(...pending.filter((w) => landed.has(w.document._id.toHexString())));
        pending = await this.withoutHeld(
          pending.filter((w) => !landed.has(w.document._id.toHexString())),
          results,
          caller,
        );
      }
    }
    return inserted;
  }

  /**
   * One look-up of the Account IDs, one insertMany of the new customers and
   * one insertMany of their audit entries. With `jobId`, it writes, and a row
   * this job created before (a batch worked again) comes out created again.
   */
  private async work(
    caller: Caller,
    rows: JobRow<CustomerImportRow>[],
    jobId: ObjectId | undefined,
    checks?: DryRunChecks,
  ): Promise<RowOutcome[]> {
    const results: (RowOutcome & { outcome: Outcome })[] = [];
    const wanted: { index: number; document: CustomerDocument }[] = [];
    const now = new Date();
    rows.forEach(({ row, data }, index) => {
      if (data.duplicateOfLine !== undefined) {
        results.push({ outcome: 'duplicate-in-file', message: `Account ID ${data.input} is also on line ${data.duplicateOfLine}` });
        return;
      }
      const parsed = importRowSchema.safeParse({
        accountId: data.cells.accountId ?? '',
        tenantName: data.cells.tenantName ?? '',
        maxChannels: data.cells.maxChannels === undefined ? undefined : Number(data.cells.maxChannels.replace(/[\s,]/g, '')),
        name: data.cells.name,
        seatType: data.cells.seatType?.toLowerCase(),
      });
      if (!parsed.success) {
        results.push({ outcome: 'invalid', message: [...new Set(parsed.error.issues.map((issue) => issue.message))].join('; ') });
        return;
      }
      results.push({ outcome: 'created' });
      wanted.push({ index, document: newCustomerDocument(caller, parsed.data, now, jobId ? { jobId, row } : undefined) });
    });
    if (wanted.length === 0) return results;

    // Every customer holding one of the Account IDs, whichever its partner: one customer per backend account.
    const existing = new Map(
      (
        await this.customers
          .find({ accountId: { $in: wanted.map((w) => w.document.accountId) } }, { projection: { accountId: 1, partnerId: 1, createdByJob: 1 } })
          .toArray()
      ).map((c) => [c.accountId, c]),
    );
    const fresh: typeof wanted = [];
    for (const want of wanted) {
      const found = existing.get(want.document.accountId);
      const mine = jobId && found?.createdByJob?.jobId.equals(jobId) && found.createdByJob.row === rows[want.index]!.row;
      if (mine) continue;
      if (found?.partnerId.equals(caller.partnerId)) results[want.index] = taken(want.document.accountId);
      else fresh.push(want);
    }
    const { owned } = await this.partnersOwn(caller, fresh, results, checks);
    // Held by another partner's customer: said only of an account that is this partner's (checked just above);
    // a dry run's unchecked rows say nothing of it (the import checks them).
    const toInsert = owned.filter((want) => {
      if (!existing.has(want.document.accountId)) return true;
      results[want.index] = inUse(want.document.accountId);
      return false;
    });
    if (!jobId || toInsert.length === 0) return results;

    const inserted = await this.insert(toInsert, results, caller);
    await this.audit.recordMany(
      caller,
      inserted.map(({ document }) => ({
        action: 'customer.created' as const,
        customerId: document._id,
        details: { ...createdDetails(document), jobId: jobId.toHexString() },
      })),
    );
    return results;
  }
}

type Wanted = { index: number; document: CustomerDocument };

/** What a dry run may still ask the backend, and the rows whose Account ID it did not ask about. */
interface DryRunChecks {
  left: number;
  notChecked: number;
}

function inUse(accountId: string): RowOutcome & { outcome: Outcome } {
  return { outcome: 'duplicate-account-id', message: `Account ID ${accountId} is already used by a customer in the portal` };
}

function taken(accountId: string): RowOutcome & { outcome: Outcome } {
  return { outcome: 'duplicate-account-id', message: `You already have a customer with Account ID ${accountId}` };
}
