import { CronExpressionParser } from 'cron-parser';
import { z } from 'zod';

/**
 * When a customer's numbers are synced on their own (issue 15): never, every
 * hour at a minute, every day at a time in a time zone, or a cron expression
 * in a time zone. Every kind comes down to a cron expression read by
 * cron-parser, so one rule gives the slots of all of them.
 */
export type SyncSchedule =
  | { kind: 'off' }
  | { kind: 'hourly'; minute: number }
  | { kind: 'daily'; time: string; timeZone: string }
  | { kind: 'cron'; expression: string; timeZone: string };

/** Slots closer together than this are refused: a sync is work for the carrier's backend too. */
export const MIN_SLOT_MINUTES = 15;

const timeZoneSchema = z
  .string({ error: 'timeZone must be a time zone such as Europe/Berlin' })
  .trim()
  .refine(isTimeZone, { error: 'timeZone must be an IANA time zone such as Europe/Berlin or America/New_York' });

export const syncScheduleSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({ kind: z.literal('off') }),
      z.strictObject({
        kind: z.literal('hourly'),
        minute: z
          .number({ error: 'minute must be a whole number from 0 to 59' })
          .int('minute must be a whole number from 0 to 59')
          .min(0, 'minute must be a whole number from 0 to 59')
          .max(59, 'minute must be a whole number from 0 to 59')
          .default(0),
      }),
      z.strictObject({
        kind: z.literal('daily'),
        time: z.string({ error: 'time must be HH:MM, such as 02:30' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM, such as 02:30'),
        timeZone: timeZoneSchema,
      }),
      z.strictObject({
        kind: z.literal('cron'),
        expression: z.string({ error: 'expression must be a cron expression such as "0 */6 * * *"' }).trim().max(100),
        timeZone: timeZoneSchema,
      }),
    ],
    { error: 'kind must be off, hourly, daily or cron' },
  )
  .superRefine((schedule, context) => {
    if (schedule.kind !== 'cron') return;
    const problem = cronProblem(schedule.expression, schedule.timeZone);
    if (problem) context.addIssue({ code: 'custom', path: ['expression'], message: problem });
  });

/** The cron expression a schedule comes down to, and its time zone; none when it is off. */
export function cronOf(schedule: SyncSchedule): { expression: string; timeZone: string } | undefined {
  switch (schedule.kind) {
    case 'off':
      return undefined;
    case 'hourly':
      return { expression: `${schedule.minute} * * * *`, timeZone: 'UTC' };
    case 'daily': {
      const [hours, minutes] = schedule.time.split(':').map(Number);
      return { expression: `${minutes} ${hours} * * *`, timeZone: schedule.timeZone };
    }
    case 'cron':
      return { expression: schedule.expression, timeZone: schedule.timeZone };
  }
}

/**
 * The first slot after `after`. A daily time that a change to summer time
 * skips runs an hour later that day (02:30 becomes 03:30); one that the change
 * back repeats runs once, the first time.
 */
export function nextSlot(schedule: SyncSchedule, after: Date): Date | undefined {
  const cron = cronOf(schedule);
  if (!cron) return undefined;
  return CronExpressionParser.parse(cron.expression, { currentDate: after, tz: cron.timeZone }).next().toDate();
}

/**
 * The latest slot at or before `now`: what an instance starting after
 * downtime runs once (catch-up), however many slots it missed.
 */
export function latestSlot(schedule: SyncSchedule, now: Date): Date | undefined {
  const cron = cronOf(schedule);
  if (!cron) return undefined;
  // prev() is strictly before its date: a slot exactly now counts as the latest.
  return CronExpressionParser.parse(cron.expression, { currentDate: new Date(now.getTime() + 1), tz: cron.timeZone }).prev().toDate();
}

function cronProblem(expression: string, timeZone: string): string | undefined {
  if (expression.split(/\s+/).length !== 5) {
    return 'expression must have five fields: minute, hour, day of month, month, day of week (such as "0 */6 * * *")';
  }
  let slots: Date[];
  try {
    const interval = CronExpressionParser.parse(expression, { currentDate: new Date(), tz: isTimeZone(timeZone) ? timeZone : 'UTC' });
    // The closest two of the next few slots tell how often it runs.
    slots = Array.from({ length: 24 }, () => interval.next().toDate());
  } catch (error) {
    return `expression is not a cron expression: ${(error as Error).message}`;
  }
  const closest = Math.min(...slots.slice(1).map((slot, i) => slot.getTime() - slots[i]!.getTime()));
  if (closest < MIN_SLOT_MINUTES * 60_000) {
    return `expression runs every ${Math.round(closest / 60_000)} minutes; a schedule may sync at most every ${MIN_SLOT_MINUTES} minutes`;
  }
  return undefined;
}

function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return timeZone.length > 0;
  } catch {
    return false;
  }
}
