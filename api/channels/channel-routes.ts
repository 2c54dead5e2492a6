import { defineRoute } from '../http/route-definition';
import { channelSuggestionQuery, channelSuggestionView, suggestMaxChannels } from './channel-suggestion';

export function channelRoutes() {
  return [
    defineRoute({
      method: 'get',
      path: '/api/v1/channels/suggest',
      operationId: 'suggestMaxChannels',
      summary: 'Suggested Max Channels for a seat type and seat count',
      tag: 'customers',
      role: 'viewer',
      query: channelSuggestionQuery,
      response: { status: 200, description: 'The suggestion and the rule behind it', schema: channelSuggestionView },
      handle: async ({ query }) => ({ body: suggestMaxChannels(query.seatType, query.seats) }),
    }),
  ];
}
