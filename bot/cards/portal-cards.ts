import type { Attachment } from 'botbuilder';
import { customerLabel } from '../../api/customers/customer-label';
import type { TeamsOperationView, TeamsUserView } from '../../api/co-management/co-management-schemas';
import type { CustomerDetailsView, CustomerView } from '../../api/customers/customer-schemas';
import type { NumberView } from '../../api/numbers/number-schemas';
import { STATUS_TEXT } from '../../api/numbers/number-status';
import { adaptiveCard, facts, heading, paragraph } from './adaptive-card';

const label = customerLabel;

export function helpCard(): Attachment {
  return adaptiveCard([
    heading('Partner Portal: what you can ask'),
    facts([
      ['help', 'this list'],
      ['customers [text]', 'your customers, e.g. "customers contoso"'],
      ['details <customer>', 'a customer\'s details, e.g. "details contoso"'],
      ['numbers <customer> [status] [page N]', 'a customer\'s numbers, e.g. "numbers contoso fatal" (pending, synced, fatal, missing)'],
      ['add numbers <customer> <numbers>', 'e.g. "add numbers contoso +1 212 555 0100, +1 212 555 0101"'],
      ['remove numbers <customer> <numbers>', 'asks you to confirm on a card, with the delete/retain choice'],
      ['sync <customer> [preview]', 'syncs with the backend and shows the outcome; "preview" shows what a sync would change'],
      [
        'users <customer> [text] [page N]',
        'the customer\'s Teams users (co-management), e.g. "users contoso lee"; text matches name, sign-in name or number',
      ],
      [
        'assign <number> to <user> at <customer>',
        'assigns a synced number in Teams after you confirm on a card, e.g. "assign +1 212 555 0101 to Lee Gu at contoso"',
      ],
    ]),
    paragraph('A customer is found by any part of its name, account ID or tenant name.', { isSubtle: true }),
    paragraph(
      'In "users", the longest start of the words that names a customer is the customer and the rest is the search text ("users contoso ltd lee": Contoso Ltd, "lee"); type the account ID to be sure. In "assign", the user is the words between "to" and the last "at", found by the same search (name, sign-in name or number), and must be the only match.',
      { isSubtle: true },
    ),
  ]);
}

export function customersCard(customers: CustomerView[], total: number, text: string): Attachment {
  const title = text ? `Customers matching "${text}"` : 'Your customers';
  if (customers.length === 0) return adaptiveCard([heading(title), paragraph('None.')]);
  return adaptiveCard([
    heading(`${title} (${total})`),
    facts(customers.map((c) => [label(c), `${c.accountId} · ${c.tenantName} · ${c.numberCount} numbers · can manage: ${c.canManage ? 'yes' : 'no'}`])),
    ...(total > customers.length ? [paragraph(`Showing ${customers.length} of ${total}: add words to narrow the list.`, { isSubtle: true })] : []),
  ]);
}

export function detailsCard(c: CustomerDetailsView): Attachment {
  return adaptiveCard([
    heading(label(c)),
    facts([
      ['Account ID', c.accountId],
      ['Office 365 Tenant', c.tenantName],
      ['Max Channels', String(c.maxChannels)],
      ['Can manage?', c.canManage ? 'Yes' : 'No'],
      ['Numbers', String(c.numberCount)],
      ['Last sync', c.lastSync ? `${c.lastSync.state}, ${c.lastSync.finishedAt ?? c.lastSync.startedAt}` : 'Never'],
    ]),
    facts(Object.entries(c.numberCounts).map(([status, count]) => [STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status, String(count)])),
  ]);
}

export function numbersCard(
  customer: CustomerView,
  numbers: NumberView[],
  total: number,
  status?: string,
  page = 1,
  pageSize = numbers.length,
): Attachment {
  const which = status ? ` (${STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status})` : '';
  if (numbers.length === 0) return adaptiveCard([heading(`Numbers of ${label(customer)}${which}`), paragraph('None.')]);
  const first = (page - 1) * pageSize + 1;
  const last = first + numbers.length - 1;
  const pages = Math.ceil(total / Math.max(pageSize, 1));
  return adaptiveCard([
    heading(`Numbers of ${label(customer)}${which}: ${total}`),
    facts(numbers.map((n) => [n.e164, n.statusText])),
    ...(pages > 1
      ? [
          paragraph(
            `${first}-${last} of ${total} (page ${page} of ${pages})${page < pages ? `: say "numbers ${customer.accountId}${status ? ` ${status}` : ''} page ${page + 1}" for more` : ''}.`,
            { isSubtle: true },
          ),
        ]
      : []),
  ]);
}

export const PICK_VERB = 'pickCustomer';

/** Several customers match: a button per customer runs the command for that one. */
export function pickCard(words: string, matches: CustomerView[], command: unknown): Attachment {
  return adaptiveCard(
    [
      heading(`Several customers match "${words}": which one?`),
      facts(matches.map((c) => [label(c), `${c.accountId} · ${c.tenantName}`])),
    ],
    matches.slice(0, 6).map((c) => {
      const data = { customerId: c.id, command };
      return {
        type: 'Action.Execute',
        title: label(c),
        verb: PICK_VERB,
        data,
        fallback: { type: 'Action.Submit', title: label(c), data: { ...data, verb: PICK_VERB } },
      };
    }),
  );
}

const ADD_OUTCOME_TEXT: Record<string, string> = {
  added: 'added',
  'already-present': 'already there',
  'owned-elsewhere': 'belongs to another customer',
  invalid: 'not valid',
};

/** The outcome of every number (or piece) the partner pasted, as the API gave it. */
export function addResultCard(
  customer: CustomerView,
  result: { results: { input: string; e164?: string; outcome: string; reason?: string }[]; summary: Record<string, number> },
): Attachment {
  const summary = Object.entries(result.summary)
    .filter(([, count]) => count > 0)
    .map(([outcome, count]) => `${count} ${ADD_OUTCOME_TEXT[outcome] ?? outcome}`)
    .join(', ');
  return adaptiveCard([
    heading(`Numbers for ${label(customer)}: ${summary}`),
    facts(
      result.results.map((r) => [
        r.e164 ?? r.input,
        `${ADD_OUTCOME_TEXT[r.outcome] ?? r.outcome}${r.reason ? ` (${r.reason})` : ''}`,
      ]),
    ),
    ...(result.summary.added ? [paragraph('New numbers wait for the next sync: say "sync ' + customer.accountId + '".', { isSubtle: true })] : []),
  ]);
}

export interface RemovalRequest {
  requestId: string;
  customerId: string;
  numbers: string[];
}

export const REMOVE_VERB = 'removeNumbers';
export const CANCEL_REMOVE_VERB = 'cancelRemoveNumbers';

/** Nothing is removed yet: the numbers, the delete/retain toggle, Confirm and Cancel. */
export function removeConfirmCard(customer: CustomerView, request: RemovalRequest, invalid: string[]): Attachment {
  const data = { ...request };
  const action = (title: string, verb: string, style?: string) => ({
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
    // Clients without Action.Execute send the same data as a message.
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  });
  return adaptiveCard(
    [
      heading(`Remove ${request.numbers.length} number(s) from ${label(customer)}?`),
      paragraph(request.numbers.join(', ')),
      ...(invalid.length > 0 ? [paragraph(`Not numbers, left out: ${invalid.join(', ')}`, { isSubtle: true })] : []),
      {
        type: 'Input.Toggle',
        id: 'deleteFromBackend',
        title: 'Also delete the numbers from the backend (off: keep them there, only detach them)',
        value: 'false',
        valueOn: 'true',
        valueOff: 'false',
      },
    ],
    [action('Confirm', REMOVE_VERB, 'destructive'), action('Cancel', CANCEL_REMOVE_VERB)],
  );
}

export function removeResultCard(
  customer: CustomerView,
  result: { mode: string; results: { input: string; e164?: string; outcome: string; reason?: string }[]; syncRun: { id: string } | null },
): Attachment {
  const removed = result.results.filter((r) => r.outcome === 'removed').map((r) => r.e164 ?? r.input);
  const others = result.results.filter((r) => r.outcome !== 'removed');
  return adaptiveCard([
    heading(`Removed ${removed.length} number(s) from ${label(customer)}`),
    ...(removed.length > 0 ? [paragraph(removed.join(', '))] : []),
    paragraph(
      result.mode === 'delete'
        ? 'They are deleted from the backend as well.'
        : 'They stay in the backend, only detached from the customer.',
    ),
    ...(others.length > 0 ? [facts(others.map((r) => [r.input, `${r.outcome}${r.reason ? ` (${r.reason})` : ''}`]))] : []),
    ...(result.syncRun ? [paragraph('A sync is cleaning them up in the backend now.', { isSubtle: true })] : []),
  ]);
}

export function cancelledCard(): Attachment {
  return adaptiveCard([paragraph('Cancelled: nothing was removed.')]);
}

interface RunForCard {
  id: string;
  dryRun: boolean;
  state: string;
  progress: { done: number; total: number };
  counts: Record<string, number>;
  changeCounts: { routed: number; imported: number; removed: number; released: number; statusChanges: number };
  changes: { account: unknown };
  attention: { e164: string; statusText: string; detail?: string }[];
  errors: { message: string }[];
}

/** A sync run as it goes: started, progress, then counts by status and what needs attention. */
export function syncRunCard(customer: CustomerView, run: RunForCard, alreadyRunning = false): Attachment {
  const what = run.dryRun ? 'Sync preview' : 'Sync';
  const finished = run.state === 'succeeded' || run.state === 'failed';
  const body: unknown[] = [
    heading(`${what} of ${label(customer)}: ${finished ? run.state : run.state === 'queued' ? 'starting' : 'running'}`),
  ];
  if (alreadyRunning) body.push(paragraph('A sync of this customer was already under way: this is that one.', { isSubtle: true }));
  if (!finished) {
    body.push(paragraph(run.progress.total > 0 ? `${run.progress.done} of ${run.progress.total} steps done` : 'Reading the backend...'));
  }
  if (finished && run.state === 'succeeded') {
    body.push(facts(Object.entries(run.counts).map(([status, count]) => [STATUS_TEXT[status as keyof typeof STATUS_TEXT] ?? status, String(count)])));
    const c = run.changeCounts;
    body.push(
      paragraph(
        `${run.dryRun ? 'Would change' : 'Changed'}: ${c.statusChanges} status(es), ${c.routed} routed to Teams, ${c.imported} imported, ${c.removed} removed (${c.released} released)${run.changes.account ? ', account settings' : ''}.`,
      ),
    );
    if (run.attention.length > 0) {
      body.push(paragraph('Numbers that need attention:', { weight: 'Bolder' }));
      body.push(facts(run.attention.slice(0, 20).map((a) => [a.e164, `${a.statusText}${a.detail ? ` (${a.detail})` : ''}`])));
    }
  }
  if (run.errors.length > 0) body.push(paragraph(run.errors.slice(0, 5).map((e) => e.message).join('\n\n'), { color: 'Attention' }));
  return adaptiveCard(body);
}

const onOff = (on: boolean) => (on ? 'on' : 'off');

/** A page of the customer's Teams users: name, then sign-in name, Teams voice, number and voice routing policy. */
export function teamsUsersCard(
  customer: CustomerView,
  users: TeamsUserView[],
  total: number,
  search?: string,
  page = 1,
  pageSize = users.length,
): Attachment {
  const which = search ? ` matching "${search}"` : '';
  if (users.length === 0) return adaptiveCard([heading(`Teams users of ${label(customer)}${which}`), paragraph('None.')]);
  const first = (page - 1) * pageSize + 1;
  const last = first + users.length - 1;
  const pages = Math.ceil(total / Math.max(pageSize, 1));
  return adaptiveCard([
    heading(`Teams users of ${label(customer)}${which}: ${total}`),
    facts(
      users.map((u) => [
        `${u.displayName}${u.accountEnabled ? '' : ' (disabled)'}`,
        [
          u.userPrincipalName,
          `Teams voice ${onOff(u.voiceEnabled)}`,
          u.number ?? 'no number',
          `policy: ${u.voiceRoutingPolicy ?? 'global (default)'}`,
          ...(u.operation?.state === 'pending' ? [`${u.operation.kind === 'assign' ? 'assigning' : 'unassigning'} ${u.operation.telephoneNumber}`] : []),
        ].join(' · '),
      ]),
    ),
    ...(pages > 1
      ? [
          paragraph(
            `${first}-${last} of ${total} (page ${page} of ${pages})${page < pages ? `: say "users ${customer.accountId}${search ? ` ${search}` : ''} page ${page + 1}" for more` : ''}.`,
            { isSubtle: true },
          ),
        ]
      : []),
  ]);
}

/** What an assignment card showed, kept on the server under its request id. */
export interface AssignmentRequest {
  requestId: string;
  customerId: string;
  telephoneNumber: string;
  userId: string;
  userName: string;
  userPrincipalName: string;
}

export const ASSIGN_VERB = 'assignNumber';
export const CANCEL_ASSIGN_VERB = 'cancelAssignNumber';

/** Nothing is assigned yet: the number, the user and the customer, Confirm and Cancel. */
export function assignConfirmCard(customer: CustomerView, request: AssignmentRequest): Attachment {
  const data = { requestId: request.requestId };
  const action = (title: string, verb: string, style?: string) => ({
    type: 'Action.Execute',
    title,
    verb,
    data,
    ...(style ? { style } : {}),
    // Clients without Action.Execute send the same data as a message.
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  });
  return adaptiveCard(
    [
      heading(`Assign ${request.telephoneNumber} to ${request.userName}?`),
      facts([
        ['Number', request.telephoneNumber],
        ['User', `${request.userName} (${request.userPrincipalName})`],
        ['Customer', `${label(customer)} (${customer.accountId})`],
      ]),
      paragraph('Microsoft assigns the number in Teams; it takes a moment.', { isSubtle: true }),
    ],
    [action('Confirm', ASSIGN_VERB, 'positive'), action('Cancel', CANCEL_ASSIGN_VERB)],
  );
}

/** An assignment as Microsoft carries it out: pending, done, or failed with Microsoft's reason. */
export function assignOperationCard(customer: CustomerView, operation: TeamsOperationView, note?: string): Attachment {
  const state =
    operation.state === 'pending' ? 'pending at Microsoft' : operation.state === 'done' ? 'done' : 'failed';
  return adaptiveCard([
    heading(`Assigning ${operation.telephoneNumber} to ${operation.userName}: ${state}`),
    facts([['Customer', `${label(customer)} (${customer.accountId})`]]),
    ...(operation.state === 'failed' ? [paragraph(operation.reason ?? 'Microsoft gave no reason.', { color: 'Attention' })] : []),
    ...(operation.state === 'done' ? [paragraph(`${operation.telephoneNumber} is ${operation.userName}'s number in Teams now.`)] : []),
    ...(note ? [paragraph(note, { isSubtle: true })] : []),
  ]);
}

export function assignCancelledCard(): Attachment {
  return adaptiveCard([paragraph('Cancelled: nothing was assigned.')]);
}
