import { problemsOf } from '../../../api/http/request-validation';
import { latestSlot, nextSlot, syncScheduleSchema, type SyncSchedule } from '../../../api/schedules/sync-schedule';

const at = (iso: string) => new Date(iso);
const iso = (date: Date | undefined) => date?.toISOString();
const problems = (input: unknown) => {
  const result = syncScheduleSchema.safeParse(input);
  // As the API would answer them (a 400 naming each field).
  return result.success ? [] : problemsOf(result.error, 'body').map((problem) => `${problem.field}: ${problem.message}`);
};

describe('a customer’s sync schedule', () => {
  it('has no slot when off', () => {
    expect(nextSlot({ kind: 'off' }, at('2027-01-01T00:00:00Z'))).toBeUndefined();
    expect(latestSlot({ kind: 'off' }, at('2027-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('runs hourly at its minute', () => {
    const hourly: SyncSchedule = { kind: 'hourly', minute: 15 };
    expect(iso(nextSlot(hourly, at('2027-01-01T10:20:00Z')))).toBe('2027-01-01T11:15:00.000Z');
    expect(iso(nextSlot(hourly, at('2027-01-01T10:15:00Z')))).toBe('2027-01-01T11:15:00.000Z');
    expect(iso(latestSlot(hourly, at('2027-01-01T10:20:00Z')))).toBe('2027-01-01T10:15:00.000Z');
    expect(iso(latestSlot(hourly, at('2027-01-01T10:15:00Z')))).toBe('2027-01-01T10:15:00.000Z');
  });

  it('runs daily at its time in its time zone', () => {
    const berlin: SyncSchedule = { kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' };
    // 02:30 in Berlin is 01:30 UTC in winter, 00:30 UTC in summer.
    expect(iso(nextSlot(berlin, at('2027-01-10T12:00:00Z')))).toBe('2027-01-11T01:30:00.000Z');
    expect(iso(nextSlot(berlin, at('2027-07-10T12:00:00Z')))).toBe('2027-07-11T00:30:00.000Z');
  });

  it('runs a daily time that summer time skips an hour later that day, and a repeated one once', () => {
    const newYork: SyncSchedule = { kind: 'daily', time: '02:30', timeZone: 'America/New_York' };
    // 14 March 2027: clocks go from 02:00 to 03:00, so 02:30 does not happen; the run is at 03:30 EDT.
    expect(iso(nextSlot(newYork, at('2027-03-13T12:00:00Z')))).toBe('2027-03-14T07:30:00.000Z');
    const early: SyncSchedule = { kind: 'daily', time: '01:30', timeZone: 'America/New_York' };
    // 7 November 2027: 01:30 happens twice; the run is at the first, and the next one a day later.
    const first = nextSlot(early, at('2027-11-06T12:00:00Z'))!;
    expect(iso(first)).toBe('2027-11-07T05:30:00.000Z');
    expect(iso(nextSlot(early, first))).toBe('2027-11-08T06:30:00.000Z');
  });

  it('runs a cron expression in its time zone, and catches up once on the latest slot missed', () => {
    const sixHourly: SyncSchedule = { kind: 'cron', expression: '0 */6 * * *', timeZone: 'Asia/Tokyo' };
    expect(iso(nextSlot(sixHourly, at('2027-01-01T00:00:00Z')))).toBe('2027-01-01T03:00:00.000Z');
    // Down from 00:00 to 20:00 UTC: three slots missed, one run.
    expect(iso(latestSlot(sixHourly, at('2027-01-01T20:00:00Z')))).toBe('2027-01-01T15:00:00.000Z');
  });

  it('accepts each kind, and names the field and the problem of what it refuses', () => {
    expect(problems({ kind: 'off' })).toEqual([]);
    expect(syncScheduleSchema.parse({ kind: 'hourly' })).toEqual({ kind: 'hourly', minute: 0 });
    expect(problems({ kind: 'daily', time: '02:30', timeZone: 'Europe/Berlin' })).toEqual([]);
    expect(problems({ kind: 'cron', expression: '0 3 * * 1-5', timeZone: 'UTC' })).toEqual([]);
    expect(problems({ kind: 'weekly' })).toEqual(['kind: kind must be off, hourly, daily or cron']);
    expect(problems({ kind: 'hourly', minute: 60 })).toEqual(['minute: minute must be a whole number from 0 to 59']);
    expect(problems({ kind: 'daily', time: '25:00', timeZone: 'Europe/Berlin' })).toEqual(['time: time must be HH:MM, such as 02:30']);
    expect(problems({ kind: 'daily', time: '02:30', timeZone: 'Mars/Olympus' })).toEqual([
      'timeZone: timeZone must be an IANA time zone such as Europe/Berlin or America/New_York',
    ]);
    expect(problems({ kind: 'cron', expression: '61 * * * *', timeZone: 'UTC' })[0]).toMatch(/^expression: expression is not a cron expression: .*61/);
    expect(problems({ kind: 'cron', expression: '0 3 * *', timeZone: 'UTC' })[0]).toMatch(/^expression: expression must have five fields/);
    expect(problems({ kind: 'cron', expression: '*/5 * * * *', timeZone: 'UTC' })).toEqual([
      'expression: expression runs every 5 minutes; a schedule may sync at most every 15 minutes',
    ]);
    expect(problems({ kind: 'hourly', minute: 5, extra: true })).toEqual(['extra: is not a known field']);
  });
});
