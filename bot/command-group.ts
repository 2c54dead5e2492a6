import type { Attachment, TurnContext } from 'botbuilder';
import type { Services } from '../api/app';
import type { Caller } from '../api/auth/caller';
import type { CustomerView } from '../api/customers/customer-schemas';
import type { MemberRole } from '../api/members/member-role';
import type { Said } from './commands/command-words';

/**
 * The contract between the router and the command groups (teams-ai style):
 * a group maps text commands and card action verbs to handlers, so that a
 * new command is one new group, listed in commands/index.ts.
 */

/**
 * A message the bot keeps up to date after sending it: which kind of card
 * (a FollowedCard of a command group) and what it follows, as plain JSON. It
 * is stored as a follow-up (bot/card-follow-ups.ts), so whichever instance is
 * up brings the card to its end, not only the one that sent it.
 */
export type CardFollow = { kind: string; subject: Record<string, unknown> };

/** What a followed card shows now, whether that is the end, and what to remember for the next look. */
export type CardNow = { card: Attachment; final: boolean; remember?: Record<string, unknown> };

/** A look at a followed card, by any instance: as the person who asked, with what the card follows and what the last look remembered. */
export interface CardLook {
  readonly services: Services;
  readonly caller: Caller;
  readonly subject: Record<string, unknown>;
  readonly memo: Record<string, unknown>;
}

/** A kind of card the bot keeps up to date (a sync's progress, an assignment at Microsoft). */
export interface FollowedCard {
  /** The follow-up kind it is stored as. */
  readonly kind: string;
  /** How often the card is brought up to date. */
  everyMs(options: BotOptions): number;
  /** Reads what it follows through the services; a service's refusal may end it with a note. */
  look(look: CardLook): Promise<CardNow>;
}
/**
 * A job the answer started (more than 1,000 numbers): its card is stored with
 * the job, so whichever instance runs the job updates it, not this one.
 */
export type FollowedJob = { id: string; customerLabel?: string };
export type CardAnswer = { card: Attachment; follow?: CardFollow; job?: FollowedJob };
export type Answer = CardAnswer | { text: string };

export interface BotOptions {
  /** How often an assignment's message is brought up to date while Microsoft carries it out. */
  operationUpdateMs?: number;
  /** How often a sync's message is brought up to date while the run goes on. */
  syncUpdateMs?: number;
}

/** A command as read from a message: its name and what the words said. */
export type Parsed = { name: string };
/** A command for one customer, named by `customer` (words that match it). */
export type CustomerParsed = { name: string; customer: string };

/** One activity of a registered partner, and what a handler may do with it. */
export interface Turn {
  readonly context: TurnContext;
  readonly caller: Caller;
  readonly services: Services;
  readonly options: BotOptions;
  readonly commands: CommandCatalog;
  /** Sends an answer; a followed answer's message is then kept up to date until final. */
  reply(answer: Answer): Promise<void>;
  /**
   * Keeps a message the bot sent (or is replacing with `shown`) up to date
   * from a stored follow-up: one write, the turn never waits on what it follows.
   */
  follow(messageId: string, follow: CardFollow, shown?: Attachment): Promise<void>;
  /**
   * The card a card action answers shows `job`: once that card has replaced
   * the message, the message is stored with the job (done after the
   * replacement, so no update of the job's progress lands before it).
   */
  showsJob(job: FollowedJob): void;
}

/** What a command answers for a customer once it is known (a pick card runs it for the one picked). */
export interface ForCustomer<C extends CustomerParsed> {
  /** The command a card sent back, re-checked; undefined when it is not one. */
  fromCard(value: CustomerParsed & Record<string, unknown>): C | undefined;
  answer(turn: Turn, command: C, customer: CustomerView): Promise<Answer>;
}

export interface Command<C extends Parsed = Parsed> {
  /** The name of what `match` reads (logged; a pick card names it). */
  readonly name: string;
  /**
   * The least role that may run it, as a route states its own: the router
   * refuses anyone below it before the command reads or writes anything.
   */
  readonly role: MemberRole;
  /** Usage and what it does, a line of the help card. */
  readonly help?: readonly [string, string];
  /** The command, if the message is this one. */
  match(said: Said): C | undefined;
  run(turn: Turn, command: C): Promise<void>;
  readonly forCustomer?: ForCustomer<C & CustomerParsed>;
}

/** A button on a card: the card is replaced by the card this answers. */
export type CardAction = (turn: Turn, data: Record<string, unknown>, verb: string) => Promise<Attachment>;

/**
 * A card action verb and the least role that may press it. Checked when the
 * button is pressed, with the role read for that press: a card sent to an
 * Operator who is a Viewer by the time they confirm does nothing.
 */
export interface CardActionDefinition {
  readonly role: MemberRole;
  readonly run: CardAction;
}

export interface CommandGroup {
  /** Text commands, tried in order. */
  readonly commands: readonly Command[];
  /** Card action verbs (Action.Execute, or the verb of its Action.Submit fallback). */
  readonly actions?: Readonly<Record<string, CardActionDefinition>>;
  /** Notes under the commands on the help card. */
  readonly notes?: readonly string[];
  /** The kinds of card its answers keep up to date (CardAnswer.follow names one). */
  readonly followedCards?: readonly FollowedCard[];
}

/** The groups the bot runs, and a command by name. */
export interface CommandCatalog {
  readonly groups: readonly CommandGroup[];
  named(name: string): Command | undefined;
}
