import type { Attachment } from 'botbuilder';
import type { CustomerView } from '../../api/customers/customer-schemas';
import { expiredCard, noteCard } from '../cards/card-pieces';
import { pickCard } from '../cards/customer-cards';
import type { Answer, Command, CustomerParsed, ForCustomer, Turn } from '../command-group';
import type { Said } from './command-words';
import { requireRole, type MemberRole } from '../../api/members/member-role';

/** The customer a command's words name, and the command as it applies to that one. */
export type Found<C extends CustomerParsed> = { customer: CustomerView; command: C };
/** What the customers service finds for some words. */
export type Matched = { matches: CustomerView[]; suggestions: string[] };

export interface CustomerCommandSpec<C extends CustomerParsed> {
  name: C['name'];
  /** The least role that may run it (the router checks it, and the pick card again). */
  role: MemberRole;
  help: readonly [string, string];
  match(said: Said): C | undefined;
  /** The command a pick card sent back, re-checked; by default taken as it is. */
  fromCard?(value: CustomerParsed & Record<string, unknown>): C | undefined;
  /** Which customer the words name; by default the one that all of `customer` names (oneCustomer). */
  resolve?(turn: Turn, command: C): Promise<Found<C> | undefined>;
  answer(turn: Turn, command: C, customer: CustomerView): Promise<Answer>;
}

/** A command for one customer: the customer found from the words (a card to pick from when several match), then the answer. */
export function customerCommand<C extends CustomerParsed>(spec: CustomerCommandSpec<C>): Command<C> {
  const forCustomer: ForCustomer<C> = {
    fromCard: spec.fromCard ?? ((value) => value as unknown as C),
    answer: (turn, command, customer) => spec.answer(turn, command, customer),
  };
  return {
    name: spec.name,
    role: spec.role,
    help: spec.help,
    match: (said) => spec.match(said),
    async run(turn, command) {
      const found = spec.resolve ? await spec.resolve(turn, command) : await oneCustomer(turn, command);
      if (found) await turn.reply(await spec.answer(turn, found.command, found.customer));
    },
    forCustomer,
  };
}

/** The one customer all the words name; otherwise the bot says what it found (oneOf). */
export async function oneCustomer<C extends CustomerParsed>(turn: Turn, command: C): Promise<Found<C> | undefined> {
  const customer = await oneOf(turn, command, await turn.services.customers.match(turn.caller, command.customer));
  return customer && { customer, command };
}

/** The one customer matched; when several match, a card to pick from; when none, the closest names. */
export async function oneOf(turn: Turn, command: CustomerParsed, { matches, suggestions }: Matched): Promise<CustomerView | undefined> {
  const words = command.customer;
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) {
    await turn.context.sendActivity({ attachments: [pickCard(words, matches, command)] });
    return undefined;
  }
  await turn.context.sendActivity(
    suggestions.length > 0
      ? `No customer matches "${words}". Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
      : `No customer matches "${words}", and you have no customers yet.`,
  );
  return undefined;
}

/** The pick card's button: the command it carries, answered for the customer picked. */
export async function pickCustomer(turn: Turn, data: Record<string, unknown>): Promise<Attachment> {
  const answer = await answerForPicked(turn, data);
  if (!answer) return expiredCard();
  if ('text' in answer) return noteCard(answer.text);
  // The pick card becomes the answer; a sync then keeps that same message up to date.
  const replyToId = turn.context.activity.replyToId;
  if (answer.follow && replyToId) await turn.follow(replyToId, answer.follow, answer.card);
  // A job's card is stored with the job once it has replaced the pick card.
  if (answer.job) turn.showsJob(answer.job);
  return answer.card;
}

/** The answer of the command a card carries (`{ customerId, command }`) for that customer; undefined when the card holds none. */
export async function answerForPicked(turn: Turn, data: Record<string, unknown>): Promise<Answer | undefined> {
  const picked = data as { customerId?: unknown; command?: unknown };
  const sent = picked.command as Record<string, unknown> | undefined;
  const forCustomer =
    typeof picked.customerId === 'string' && sent && typeof sent.name === 'string' && typeof sent.customer === 'string'
      ? turn.commands.named(sent.name)
      : undefined;
  const command = forCustomer?.forCustomer?.fromCard(sent as CustomerParsed & Record<string, unknown>);
  if (!forCustomer?.forCustomer || !command) return undefined;
  // The command the card carries, at the role of whoever picks now.
  requireRole(turn.caller, forCustomer.role);
  const customer = await turn.services.customers.details(turn.caller, picked.customerId as string);
  return forCustomer.forCustomer.answer(turn, command, customer);
}
