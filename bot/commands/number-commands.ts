import { randomUUID } from 'node:crypto';
import type { Attachment } from 'botbuilder';
import { customerLabel } from '../../api/customers/customer-label';
import type { NumberStatus } from '../../api/numbers/number-document';
import { noteCard } from '../cards/card-pieces';
import { jobCard } from '../cards/job-cards';
import {
  addResultCard,
  cancelledCard,
  CANCEL_REMOVE_VERB,
  numbersCard,
  removeConfirmCard,
  removeResultCard,
  REMOVE_VERB,
  type RemovalOutcome,
  type RemovalRequest,
} from '../cards/number-cards';
import type { CommandGroup, Turn } from '../command-group';
import { press, rememberRequest } from './confirmation';
import { removalCardFollow, removalFollow } from './removal-card-follow';
import { trailingPage, type Said } from './command-words';
import { customerCommand } from './customer-resolution';

/** Numbers on one page of "numbers". */
const NUMBERS_PAGE_SIZE = 25;

const STATUS_WORDS: Record<string, string> = {
  pending: 'pending',
  synced: 'synced',
  fatal: 'backend_fatal',
  backend_fatal: 'backend_fatal',
  missing: 'not_in_backend',
  not_in_backend: 'not_in_backend',
};

type NumbersCommand = { name: 'numbers'; customer: string; status?: string; page?: number };
type PastedCommand<N extends string> = { name: N; customer: string; numbers: string };

/** numbers <customer> [status] [page N] */
function readNumbers(said: Said): NumbersCommand | undefined {
  if (said.word !== 'numbers' || !said.args) return undefined;
  const { words: all, page } = trailingPage(said.rest);
  let words = all;
  const status = words.length > 1 ? STATUS_WORDS[words[words.length - 1]!.toLowerCase()] : undefined;
  if (status) words = words.slice(0, -1);
  return { name: 'numbers', customer: words.join(' '), ...(status ? { status } : {}), ...(page ? { page } : {}) };
}

/**
 * "add numbers contoso +1 212 555 0100, +12125550101": the customer is named
 * first, the numbers start at the first piece that starts like a number.
 */
function readPasted<N extends string>(verb: 'add' | 'remove', name: N) {
  const pattern = new RegExp(`^\\s*${verb}\\s+numbers?\\s+([\\s\\S]*)$`, 'i');
  return (said: Said): PastedCommand<N> | undefined => {
    const rest = pattern.exec(said.message)?.[1];
    const start = rest === undefined ? -1 : rest.search(/(^|[\s,;])(\+|\(|tel:|\d)/i);
    if (rest === undefined || start <= 0) return undefined;
    const customer = rest.slice(0, start).trim();
    const numbers = rest.slice(start).trim();
    return customer && numbers ? { name, customer, numbers } : undefined;
  };
}

/** Confirm or Cancel on the card that asks to remove numbers. */
async function removal(turn: Turn, data: Record<string, unknown>, verb: string): Promise<Attachment> {
  const pressed = await press<RemovalRequest>(turn, 'removal', data, verb === CANCEL_REMOVE_VERB, {
    busy: () => noteCard('These numbers are being removed already.'),
    cancelled: cancelledCard,
    repeat: (customer, earlier) => removeResultCard(customer, earlier as RemovalOutcome),
  });
  if ('card' in pressed) return pressed.card;
  let result: RemovalOutcome;
  try {
    const mode = data.deleteFromBackend === 'true' ? 'delete' : 'retain';
    result = await turn.services.triggers.removeNumbers(turn.caller, pressed.customer.id, pressed.request.numbers, mode);
    await pressed.done(result);
  } catch (error) {
    await pressed.undo();
    throw error;
  }
  // The card becomes the removal's message, kept up to date until its clean-up sync (maybe queued behind another) ends.
  const card = removeResultCard(pressed.customer, result);
  const follow = removalFollow(pressed.customer, result);
  const replyToId = turn.context.activity.replyToId;
  if (follow && replyToId) await turn.follow(replyToId, follow, card);
  return card;
}

/** "numbers", "add numbers" (a job past 1,000 numbers) and "remove numbers" (confirmed on a card) for a customer. */
export const numberCommands: CommandGroup = {
  commands: [
    customerCommand<NumbersCommand>({
      name: 'numbers',
      role: 'viewer',
      help: ['numbers <customer> [status] [page N]', 'a customer\'s numbers, e.g. "numbers contoso fatal" (pending, synced, fatal, missing)'],
      match: readNumbers,
      async answer(turn, command, customer) {
        const status = command.status as NumberStatus | undefined;
        const page = await turn.services.numbers.list(turn.caller, customer.id, {
          ...(status ? { status } : {}),
          page: command.page ?? 1,
          pageSize: NUMBERS_PAGE_SIZE,
        });
        return { card: numbersCard(customer, page, status) };
      },
    }),
    customerCommand<PastedCommand<'add-numbers'>>({
      name: 'add-numbers',
      role: 'operator',
      help: ['add numbers <customer> <numbers>', 'e.g. "add numbers contoso +1 212 555 0100, +1 212 555 0101"; more than 1,000 run as a job'],
      match: readPasted('add', 'add-numbers'),
      async answer(turn, command, customer) {
        const added = await turn.services.numbers.addOrStart(turn.caller, customer.id, command.numbers);
        if (added.done) return { card: addResultCard(customer, added.done) };
        // More than 1,000: a job, answered at once; its card then follows the job from whichever instance runs it.
        const job = { id: added.job.id, customerLabel: customerLabel(customer) };
        return { card: jobCard(added.job, job.customerLabel), job };
      },
    }),
    customerCommand<PastedCommand<'remove-numbers'>>({
      name: 'remove-numbers',
      role: 'operator',
      help: ['remove numbers <customer> <numbers>', 'asks you to confirm on a card, with the delete/retain choice'],
      match: readPasted('remove', 'remove-numbers'),
      async answer(turn, command, customer) {
        const entries = turn.services.numbers.read(command.numbers);
        const numbers = [...new Set(entries.flatMap((e) => (e.e164 ? [e.e164] : [])))];
        const invalid = entries.filter((e) => !e.e164).map((e) => e.input);
        if (numbers.length === 0) return { text: `There is no valid number in "${command.numbers}": nothing to remove.` };
        const request: RemovalRequest = { requestId: randomUUID(), customerId: customer.id, numbers };
        await rememberRequest(turn, 'removal', request);
        return { card: removeConfirmCard(customer, request, invalid) };
      },
    }),
  ],
  // Cancel writes nothing: whoever may see the card may cancel it.
  actions: { [REMOVE_VERB]: { role: 'operator', run: removal }, [CANCEL_REMOVE_VERB]: { role: 'viewer', run: removal } },
  followedCards: [removalCardFollow],
};
