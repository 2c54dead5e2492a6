import { matchColumns, unescapeCell, type CsvColumn } from '../csv/csv-columns';
import { readCsvFile, type CsvRow } from '../csv/csv-file';
import { csvStream, type CsvOutputColumn } from '../csv/csv-writer';
import type { JobInputRow } from '../jobs/job-document';
import type { CustomerDocument } from './customer-document';

type CustomerField = 'accountId' | 'tenantName' | 'maxChannels' | 'name' | 'seatType';

/** The columns of a customers file, named as the New customer form labels its fields (and as the export writes them). */
export const CUSTOMER_COLUMNS: readonly CsvColumn<CustomerField>[] = [
  { key: 'accountId', label: 'Account ID', names: ['Account ID', 'accountId', 'account'], required: true },
  { key: 'tenantName', label: 'Office 365 Tenant Name', names: ['Office 365 Tenant Name', 'Tenant Name', 'tenantName', 'tenant'], required: true },
  { key: 'maxChannels', label: 'Max Channels', names: ['Max Channels', 'maxChannels', 'channels'], required: true },
  { key: 'name', label: 'Name', names: ['Name', 'customer name'], required: false },
  { key: 'seatType', label: 'Seat type', names: ['Seat type', 'seatType', 'seats type'], required: false },
];

/** A row of a customers import: the cells as written, and the line of an earlier row with the same Account ID. */
export interface CustomerImportRow extends JobInputRow {
  line: number;
  cells: Partial<Record<CustomerField, string>>;
  duplicateOfLine?: number;
}

/**
 * The rows of an imported customers file as it is read. Duplicates within the
 * file are told here, over the whole file (each Account ID's first line is
 * kept while reading), so a job's batches need not see each other.
 */
export async function readCustomerFile(
  content: AsyncIterable<Uint8Array>,
): Promise<{ rows: AsyncIterable<CustomerImportRow>; ignoredColumns: string[] }> {
  const table = await readCsvFile(content);
  const { index, ignored } = matchColumns(table, CUSTOMER_COLUMNS, (cell) => /\d{3,}|\./.test(cell));
  return { rows: customerRows(table.rows, index), ignoredColumns: ignored };
}

async function* customerRows(rows: AsyncIterable<CsvRow>, index: Partial<Record<CustomerField, number>>): AsyncGenerator<CustomerImportRow> {
  const firstLine = new Map<string, number>();
  for await (const { line, cells } of rows) {
    const values: Partial<Record<CustomerField, string>> = {};
    for (const column of CUSTOMER_COLUMNS) {
      const position = index[column.key];
      const value = position === undefined ? '' : unescapeCell(cells[position] ?? '').trim();
      if (value !== '') values[column.key] = value;
    }
    const accountId = values.accountId ?? '';
    const row: CustomerImportRow = { input: accountId, line, cells: values };
    const key = accountId.toLowerCase();
    if (accountId !== '' && firstLine.has(key)) row.duplicateOfLine = firstLine.get(key)!;
    else if (accountId !== '') firstLine.set(key, line);
    yield row;
  }
}

const CUSTOMER_EXPORT_COLUMNS: readonly CsvOutputColumn<CustomerDocument>[] = [
  { header: 'Account ID', cell: (c) => c.accountId },
  { header: 'Office 365 Tenant Name', cell: (c) => c.tenantName },
  { header: 'Max Channels', cell: (c) => c.maxChannels },
  { header: 'Name', cell: (c) => c.name },
  { header: 'Seat type', cell: (c) => c.seatType },
  { header: 'Numbers', cell: (c) => c.numberCount },
  { header: 'Co-management', cell: (c) => (c.canManage ? 'Allowed' : 'Not allowed') },
  { header: 'Last sync', cell: (c) => c.lastSync?.state },
  { header: 'Last sync at', cell: (c) => (c.lastSync?.finishedAt ?? c.lastSync?.startedAt)?.toISOString() },
  { header: 'Created at', cell: (c) => c.createdAt.toISOString() },
];

/** The customers table as CSV: its columns import back as they are (the others are ignored). */
export function customerCsv(customers: AsyncIterable<CustomerDocument>) {
  return csvStream(CUSTOMER_EXPORT_COLUMNS, customers);
}
