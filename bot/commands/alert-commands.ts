import { alertEventsOf } from '../../api/alerts/alert-events';
import { alertNoticeSchema } from '../../api/alerts/alert-notice';
import { alertConversationOf } from '../alert-conversation';
import { ALERT_SYNC_VERB, alertCard, eventsText, PLACE_TEXT, subscriptionCard } from '../cards/alert-cards';
import { expiredCard } from '../cards/card-pieces';
import type { Command, CommandGroup, Parsed } from '../command-group';
import type { Said } from './command-words';
import { answerForPicked, pickCustomer } from './customer-resolution';
import { AppError } from '../../api/errors';
import { sentenceOf } from '../error-sentence';

/** "alerts on ..." or "alerts off": the switch, and the words that name events. */
type AlertsSwitch = { name: 'alerts-switch'; switch: 'on' | 'off'; words: string[] };

const saysAlerts = (said: Said) => said.word === 'alerts' || said.word === 'alert';

/** "alerts" (or "alerts status"): what this conversation is told of. */
const alertsStatus: Command<Parsed> = {
  name: 'alerts',
  role: 'viewer',
  help: ['alerts', 'which events this chat or channel is told of'],
  match: (said) => (saysAlerts(said) && (said.rest.length === 0 || /^status$/i.test(said.args)) ? { name: 'alerts' } : undefined),
  async run(turn) {
    const conversation = alertConversationOf(turn.context.activity);
    const subscription = await turn.services.alerts.subscriptions.of(turn.caller, conversation.conversationId);
    await turn.reply(
      subscription
        ? { card: subscriptionCard(subscription, `Alerts in ${PLACE_TEXT[subscription.conversationType]}`) }
        : {
            text: `No alerts in ${PLACE_TEXT[conversation.conversationType]}. Say "alerts on" to be told here when a sync fails, drift is found or a job ends.`,
          },
    );
  },
};

/** "alerts on [drift] [failures] [jobs]" subscribes (or changes the events), "alerts off" unsubscribes. */
const alertsSwitch: Command<AlertsSwitch> = {
  name: 'alerts-switch',
  role: 'operator',
  help: [
    'alerts on [drift] [failures] [jobs]',
    'posts a card here when drift is found, a sync fails or a job ends (all three unless you name some); "alerts off" stops it',
  ],
  match(said) {
    const [switched = '', ...words] = said.rest;
    const on = switched.toLowerCase();
    if (!saysAlerts(said) || (on !== 'on' && on !== 'off')) return undefined;
    return { name: 'alerts-switch', switch: on, words };
  },
  async run(turn, command) {
    const conversation = alertConversationOf(turn.context.activity);
    const place = PLACE_TEXT[conversation.conversationType];
    if (command.switch === 'off') {
      const removed = await turn.services.alerts.subscriptions.unsubscribe(turn.caller, conversation.conversationId);
      await turn.reply({ text: removed ? `Alerts off: I post no more alerts in ${place}.` : `There were no alerts in ${place}.` });
      return;
    }
    const named = alertEventsOf(command.words);
    if ('unknown' in named) {
      await turn.reply({
        text: `I do not know "${named.unknown.join(' ')}" as an event. Say "alerts on" with drift, failures or jobs, or nothing for all three.`,
      });
      return;
    }
    const { subscription, created } = await turn.services.alerts.subscriptions.subscribe(turn.caller, { conversation, events: named.events });
    await turn.reply({ card: subscriptionCard(subscription, `Alerts ${created ? 'on' : 'changed'} in ${place}: ${eventsText(subscription.events)}`) });
  },
};

/**
 * Alerts into Teams: which of the partner's events this chat or channel is
 * told of (the rules are the alerts service's, api/alerts/). An alert card's
 * "Sync now" is the sync command, run as a pick card runs it.
 */
export const alertCommands: CommandGroup = {
  commands: [alertsStatus, alertsSwitch],
  actions: {
    [ALERT_SYNC_VERB]: {
      // Anyone who sees the alert may press it; the sync itself needs an Operator (the sync command's role, checked
      // by answerForPicked), and a refusal is a line on the alert, which stays for everyone in the conversation.
      role: 'viewer',
      async run(turn, data) {
        const { customerId, customerLabel, notice } = data as { customerId?: unknown; customerLabel?: unknown; notice?: unknown };
        if (typeof customerId !== 'string' || typeof customerLabel !== 'string') return expiredCard();
        const picked = { customerId, command: { name: 'sync', customer: customerLabel, preview: false } };
        const shown = alertNoticeSchema.safeParse(notice);
        // A card that does not carry what it told: the sync's card takes its place, as a pick card's does.
        if (!shown.success) return pickCustomer(turn, picked);
        const pressed = { by: turn.caller.userName ?? 'someone', at: new Date().toISOString() };
        let answer;
        try {
          answer = await answerForPicked(turn, picked);
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          return alertCard(shown.data, { ...pressed, refused: sentenceOf(error) });
        }
        if (!answer) return expiredCard();
        // The sync's answer is a message of its own (a card followed to its end); the alert keeps what it told.
        await turn.reply(answer);
        return alertCard(shown.data, pressed);
      },
    },
  },
  notes: ['In a group chat or a channel, mention me first: "@Partner Portal alerts on".'],
};
