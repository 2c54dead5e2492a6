import { z } from 'zod';
import { MAX_CHANNELS_CAP, seatTypeSchema } from '../customers/customer-schemas';
import type { SeatType } from '../customers/customer-document';

export const channelSuggestionQuery = z.object({
  seatType: seatTypeSchema,
  seats: z.coerce
    .number({ error: 'seats must be a whole number' })
    .int('seats must be a whole number')
    .min(1, 'seats must be at least 1')
    .max(1_000_000, 'seats must be at most 1,000,000'),
});

export const channelSuggestionView = z.object({
  seatType: seatTypeSchema,
  seats: z.number().int(),
  maxChannels: z.number().int(),
  rule: z.string(),
});

/**
 * The article's rule for Max Channels: unbundled seats get one channel per ten
 * seats (rounded up, at least one), bundled seats one channel per seat. Capped
 * at what a customer may be given.
 */
export function suggestMaxChannels(seatType: SeatType, seats: number) {
  const channels = seatType === 'unbundled' ? Math.max(1, Math.ceil(seats / 10)) : seats;
  return {
    seatType,
    seats,
    maxChannels: Math.min(channels, MAX_CHANNELS_CAP),
    rule:
      seatType === 'unbundled'
        ? 'MS Teams unbundled seats: one tenth of the seats, rounded up'
        : 'MS Teams bundled seats: one channel per seat',
  };
}
