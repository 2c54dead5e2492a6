import { TurnContext, type Activity } from 'botbuilder';
import type { AlertConversation } from '../api/alerts/alert-subscriptions';

type TeamsChannelData = { team?: { id?: string }; channel?: { id?: string } } | undefined;

/**
 * The conversation an activity came from, as alerts are sent to it later:
 * its reference as plain JSON (any instance reads it back), its type, and for
 * a channel the team and channel. A channel message's conversation is the
 * thread it was said in ("19:...;messageid=..."): alerts go to the channel
 * itself, so each is a post of its own and the channel is one subscription
 * whichever thread said `alerts on`.
 */
export function alertConversationOf(activity: Activity): AlertConversation {
  const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as Record<string, unknown> & {
    conversation: Record<string, unknown>;
  };
  // Sent later on its own, not as an answer to the message that subscribed.
  delete reference.activityId;
  const channelData = activity.channelData as TeamsChannelData;
  const type = activity.conversation?.conversationType;
  const channelId = channelData?.channel?.id;
  const conversationType = type === 'channel' || channelId ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  let conversationId = activity.conversation.id;
  if (conversationType === 'channel') {
    conversationId = channelId ?? conversationId.split(';')[0]!;
    reference.conversation = { ...reference.conversation, id: conversationId };
  }
  return {
    conversationId,
    conversationType,
    ...(channelData?.team?.id ? { teamId: channelData.team.id } : {}),
    ...(channelId ? { channelId } : {}),
    reference,
  };
}
