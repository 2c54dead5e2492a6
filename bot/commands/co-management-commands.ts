import { randomUUID } from 'node:crypto';
import type { Attachment } from 'botbuilder';
import { z } from 'zod';
import { teamsOperationView, type TeamsOperationView } from '../../api/co-management/co-management-schemas';
import { customerLabel as label } from '../../api/customers/customer-label';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { AppError } from '../../api/errors';
import { noteCard } from '../cards/card-pieces';
import {
  assignCancelledCard,
  assignConfirmCard,
  assignOperationCard,
  ASSIGN_VERB,
  CANCEL_ASSIGN_VERB,
  teamsUsersCard,
  type AssignmentRequest,
} from '../cards/co-management-cards';
import type { Answer, CardFollow, CommandGroup, FollowedCard, Turn } from '../command-group';
import { sentenceOf } from '../error-sentence';
import { press, rememberRequest } from './confirmation';
import { trailingPage } from './command-words';
import { customerCommand, oneOf, type Found, type Matched } from './customer-resolution';

/** Teams users on one page of "users". */
const USERS_PAGE_SIZE = 10;
/** How many of the users a name matches "assign" lists when it matches several. */
const USER_CHOICES = 10;
/** How often an assignment's message is brought up to date while Microsoft carries it out (unless the bot's options say). */
const OPERATION_UPDATE_MS = 1000;

/**
 * users <customer> [text] [page N]. As read, `customer` holds every word
 * (the customer, then perhaps the search text): the longest start that names
 * a customer is the customer (customerSplits), and then `search` is set.
 */
type UsersCommand = { name: 'users'; customer: string; search?: string; page?: number };
type AssignCommand = { name: 'assign'; number: string; user: string; customer: string };
/** What the first Confirm or Cancel of an assignment card did, for a repeat to show the same. */
type AssignmentOutcome = { cancelled: true } | { operationId: string };

/**
 * Where the customer may end in "users <customer> [text]": every split of the
 * words, the longest customer first (the whole text, then one word less...).
 */
export function customerSplits(words: string, max = 8): { customer: string; search?: string }[] {
  const all = words.split(' ').filter(Boolean);
  const splits: { customer: string; search?: string }[] = [];
  for (let end = all.length; end >= 1 && splits.length < max; end--) {
    const search = all.slice(end).join(' ');
    splits.push({ customer: all.slice(0, end).join(' '), ...(search ? { search } : {}) });
  }
  return splits;
}

/** "users <customer> [text]": the longest start of the words that names any customer is the customer, the rest the search text. */
async function customerAndSearch(turn: Turn, command: UsersCommand): Promise<Found<UsersCommand> | undefined> {
  let whole: Matched | undefined;
  for (const split of customerSplits(command.customer)) {
    const found = await turn.services.customers.match(turn.caller, split.customer);
    whole ??= found;
    if (found.matches.length === 0) continue;
    const narrowed = { ...command, customer: split.customer, ...(split.search ? { search: split.search } : {}) };
    const customer = await oneOf(turn, narrowed, found);
    return customer ? { customer, command: narrowed } : undefined;
  }
  await oneOf(turn, command, whole ?? { matches: [], suggestions: [] });
  return undefined;
}

/**
 * "assign": the number read as pasted numbers are, the one user the words
 * name (the users list's search), then the card to confirm; nothing is
 * assigned before Confirm.
 */
async function assignmentCard(turn: Turn, command: AssignCommand, customer: CustomerView): Promise<Answer> {
  const { coManagement } = turn.services;
  const only = coManagement.readNumberToAssign(command.number);
  if (!('e164' in only)) {
    return {
      text:
        only.problem === 'several'
          ? `Name one number to assign, not ${only.count}.`
          : `"${command.number}" is not a phone number I can assign${only.reasons.length > 0 ? `: ${only.reasons.join('; ')}` : ''}.`,
    };
  }
  const users = await coManagement.listUsers(turn.caller, customer.id, { search: command.user, page: 1, pageSize: USER_CHOICES });
  if (users.total === 0) return { text: `No Teams user of ${label(customer)} matches "${command.user}".` };
  const user = users.items[0];
  if (users.total > 1 || !user) {
    const listed = users.items.map((u) => `${u.displayName} (${u.userPrincipalName})`).join(', ');
    const more = users.total > users.items.length ? ` and ${users.total - users.items.length} more` : '';
    return {
      text: `${users.total} users of ${label(customer)} match "${command.user}": ${listed}${more}. Say which one with more of the name, or the sign-in name.`,
    };
  }
  const request: AssignmentRequest = {
    requestId: randomUUID(),
    customerId: customer.id,
    telephoneNumber: only.e164,
    userId: user.id,
    userName: user.displayName,
    userPrincipalName: user.userPrincipalName,
  };
  await rememberRequest(turn, 'assignment', request);
  return { card: assignConfirmCard(customer, request) };
}

/** What an assignment's card follows, as stored: the operation as it started, and the customer as the card names it. */
const assignmentSubject = z.object({
  operationId: z.string(),
  customerId: z.string(),
  customer: z.object({ name: z.string().nullable(), accountId: z.string() }),
  started: teamsOperationView,
});

/** An assignment's message: pending at Microsoft, then done or failed with Microsoft's reason. */
export const assignmentCardFollow: FollowedCard = {
  kind: 'bot.assignment-card',
  everyMs: (options) => options.operationUpdateMs ?? OPERATION_UPDATE_MS,
  async look({ services, caller, subject, memo }) {
    const { operationId, customerId, customer, started } = assignmentSubject.parse(subject);
    // The operation as the last look saw it, to show with a note when it can no longer be read.
    const last = teamsOperationView.safeParse(memo.operation).data ?? started;
    try {
      const now = await services.coManagement.operation(caller, customerId, operationId);
      return { card: assignOperationCard(customer, now), final: now.state !== 'pending', remember: { operation: now } };
    } catch (error) {
      // E.g. co-management switched off meanwhile: say so on the message, and stop.
      if (!(error instanceof AppError)) throw error;
      return { card: assignOperationCard(customer, last, `The portal cannot follow it any more: ${sentenceOf(error)}`), final: true };
    }
  },
};

function assignmentFollow(customer: CustomerView, started: TeamsOperationView): CardFollow {
  const subject: z.infer<typeof assignmentSubject> = {
    operationId: started.id,
    customerId: customer.id,
    customer: { name: customer.name ?? null, accountId: customer.accountId },
    started,
  };
  return { kind: assignmentCardFollow.kind, subject };
}

/** Confirm or Cancel on an assignment card; a Confirm then follows Microsoft on that message. */
async function assignment(turn: Turn, data: Record<string, unknown>, verb: string): Promise<Attachment> {
  const pressed = await press<AssignmentRequest>(turn, 'assignment', data, verb === CANCEL_ASSIGN_VERB, {
    busy: (request) => noteCard(`${request.telephoneNumber} is being assigned to ${request.userName} already.`),
    cancelled: assignCancelledCard,
    repeat: async (customer, earlier) =>
      assignOperationCard(customer, await turn.services.coManagement.operation(turn.caller, customer.id, (earlier as { operationId: string }).operationId)),
  });
  if ('card' in pressed) return pressed.card;
  const { request, customer } = pressed;
  let operation: TeamsOperationView;
  try {
    operation = await turn.services.coManagement.assignNumber(turn.caller, customer.id, request.userId, request.telephoneNumber);
  } catch (error) {
    // Nothing was assigned: a later press may try again.
    await pressed.undo();
    throw error;
  }
  await pressed.done({ operationId: operation.id } satisfies AssignmentOutcome);
  // The card becomes the assignment's message, kept up to date until Microsoft is done.
  const replyToId = turn.context.activity.replyToId;
  const card = assignOperationCard(customer, operation);
  if (replyToId) await turn.follow(replyToId, assignmentFollow(customer, operation), card);
  return card;
}

/** Co-management: the customer's Teams users, and assigning a number to one of them (confirmed on a card). */
export const coManagementCommands: CommandGroup = {
  commands: [
    customerCommand<UsersCommand>({
      name: 'users',
      role: 'viewer',
      help: [
        'users <customer> [text] [page N]',
        'the customer\'s Teams users (co-management), e.g. "users contoso lee"; text matches name, sign-in name or number',
      ],
      match({ word, rest, args }) {
        if ((word !== 'users' && word !== 'user') || !args) return undefined;
        const { words, page } = trailingPage(rest);
        return { name: 'users', customer: words.join(' '), ...(page ? { page } : {}) };
      },
      fromCard: (sent) => ({
        name: 'users',
        customer: sent.customer,
        ...(typeof sent.search === 'string' && sent.search ? { search: sent.search } : {}),
        ...(typeof sent.page === 'number' && Number.isInteger(sent.page) && sent.page > 0 ? { page: sent.page } : {}),
      }),
      resolve: customerAndSearch,
      async answer(turn, command, customer) {
        const page = await turn.services.coManagement.listUsers(turn.caller, customer.id, {
          ...(command.search ? { search: command.search } : {}),
          page: command.page ?? 1,
          pageSize: USERS_PAGE_SIZE,
        });
        return { card: teamsUsersCard(customer, page, command.search) };
      },
    }),
    customerCommand<AssignCommand>({
      name: 'assign',
      role: 'operator',
      help: [
        'assign <number> to <user> at <customer>',
        'assigns a synced number in Teams after you confirm on a card, e.g. "assign +1 212 555 0101 to Lee Gu at contoso"',
      ],
      match({ word, text }) {
        // assign <number> to <user> at <customer>: the number ends at the first "to", the user at the last "at".
        const parts = word === 'assign' ? /^assign (.+?) to (.+) at (.+)$/i.exec(text) : null;
        return parts ? { name: 'assign', number: parts[1]!.trim(), user: parts[2]!.trim(), customer: parts[3]!.trim() } : undefined;
      },
      fromCard: (sent) =>
        typeof sent.number === 'string' && typeof sent.user === 'string'
          ? { name: 'assign', customer: sent.customer, number: sent.number, user: sent.user }
          : undefined,
      answer: assignmentCard,
    }),
  ],
  actions: { [ASSIGN_VERB]: { role: 'operator', run: assignment }, [CANCEL_ASSIGN_VERB]: { role: 'viewer', run: assignment } },
  followedCards: [assignmentCardFollow],
  notes: [
    'In "users", the longest start of the words that names a customer is the customer and the rest is the search text ("users contoso ltd lee": Contoso Ltd, "lee"); type the account ID to be sure. In "assign", the user is the words between "to" and the last "at", found by the same search (name, sign-in name or number), and must be the only match.',
  ],
};
