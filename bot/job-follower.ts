import { TurnContext, type Activity, type Attachment, type BotAdapter, type ConversationReference } from 'botbuilder';
import type { Services } from '../api/app';
import type { Caller } from '../api/auth/caller';
import type { JobDocument } from '../api/jobs/job-document';
import { toJobView } from '../api/jobs/job-queue';
import type { Logger } from '../api/logging/logger';
import { jobCard } from './cards/job-cards';
import type { FollowedJob } from './command-group';

/** The bot's follow-up kind: a card in a conversation, to update with the job's progress. */
export const BOT_CARD_FOLLOW_UP = 'bot.card';

/** What the bot stores with a job (plain JSON in MongoDB): the conversation, the card's message, the customer's name. */
export interface BotCardFollowUp {
  kind: typeof BOT_CARD_FOLLOW_UP;
  reference: Partial<ConversationReference>;
  activityId: string;
  customerLabel?: string;
  [field: string]: unknown;
}

type UpdateMessage = (adapter: BotAdapter, reference: Partial<ConversationReference>, activity: Partial<Activity>) => Promise<void>;

const ENDED = new Set(['done', 'failed', 'cancelled']);

/**
 * Keeps a job's card up to date from MongoDB, not from this process's memory:
 * the card's conversation is stored with the job, and whichever instance runs
 * the job (or takes it over) tells this listener after each batch and at the
 * end. The turn that started the job only stores the note, never waits.
 */
export class JobFollower {
  constructor(
    private readonly services: Pick<Services, 'jobs' | 'jobRunner'>,
    private readonly log: Logger,
    /** Replaces a sent message, outside the turn that sent it. */
    private readonly updateMessage: UpdateMessage,
    /** The adapter to update through when no turn is under way; without one, this instance leaves the cards it does not own alone. */
    private readonly adapter: BotAdapter | undefined,
  ) {
    services.jobRunner.onChange((job) => this.changed(job));
  }

  /**
   * Stores the message `activityId` of the turn's conversation with the job.
   * A job that ended before the note was stored is told to no one, so its
   * card is updated here at once, and answered (a card action shows it too).
   * Never fails the turn: the job runs whatever becomes of its card.
   */
  async follow(context: TurnContext, caller: Caller, activityId: string, job: FollowedJob): Promise<Attachment | undefined> {
    // Plain JSON: stored in MongoDB and read back by another instance.
    const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(context.activity))) as Partial<ConversationReference>;
    const followUp: BotCardFollowUp = {
      kind: BOT_CARD_FOLLOW_UP,
      reference,
      activityId,
      ...(job.customerLabel ? { customerLabel: job.customerLabel } : {}),
    };
    try {
      const now = await this.services.jobs.follow(caller, job.id, followUp);
      if (!ENDED.has(now.state)) return undefined;
      const card = jobCard(toJobView(now), job.customerLabel);
      await this.updateMessage(context.adapter, reference, { id: activityId, type: 'message', attachments: [card] });
      return card;
    } catch (error) {
      this.log.warn({ err: String(error), jobId: job.id }, 'could not follow the job up on its card');
      return undefined;
    }
  }

  /** A job with a follow-up went on or ended (in this process): its card, if it is the bot's, shows it. */
  private async changed(job: JobDocument): Promise<void> {
    const followUp = job.followUp;
    if (followUp?.kind !== BOT_CARD_FOLLOW_UP) return;
    const { reference, activityId, customerLabel } = followUp as BotCardFollowUp;
    if (!reference || typeof activityId !== 'string') return;
    if (!this.adapter) {
      this.log.warn({ jobId: job._id.toHexString() }, 'no adapter to update the job\'s card with');
      return;
    }
    const card = jobCard(toJobView(job), typeof customerLabel === 'string' ? customerLabel : undefined);
    await this.updateMessage(this.adapter, reference, { id: activityId, type: 'message', attachments: [card] });
  }
}
