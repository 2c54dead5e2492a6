import { ObjectId } from 'mongodb';
import { ScheduleSlots, scheduleSlotCollection } from '../../../api/schedules/schedule-slots';
import { ensureIndexes } from '../../../api/storage/collection-definition';
import { openTestDatabase, type TestDatabase } from '../../support/test-database';

describe('claiming a schedule slot', () => {
  let database: TestDatabase;
  let slots: ScheduleSlots;
  beforeAll(async () => {
    database = await openTestDatabase();
    await ensureIndexes(database.db, [scheduleSlotCollection]);
    slots = new ScheduleSlots(scheduleSlotCollection.of(database.db));
  });
  afterAll(() => database.close());

  const partnerId = new ObjectId();

  it('gives a slot to one claimer only, however many claim it at once', async () => {
    const slot = { partnerId, customerId: new ObjectId(), slot: new Date('2027-01-01T10:00:00Z') };
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => slots.claim(slot, `instance-${i}`)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await scheduleSlotCollection.of(database.db).countDocuments({ customerId: slot.customerId })).toBe(1);
  });

  it('keeps slots apart by customer and by time, and records what a slot did', async () => {
    const customerId = new ObjectId();
    const ten = new Date('2027-01-01T10:00:00Z');
    const eleven = new Date('2027-01-01T11:00:00Z');
    expect(await slots.claim({ partnerId, customerId, slot: ten }, 'a')).toBe(true);
    expect(await slots.claim({ partnerId, customerId, slot: eleven }, 'b')).toBe(true);
    expect(await slots.claim({ partnerId, customerId: new ObjectId(), slot: ten }, 'a')).toBe(true);
    expect(await slots.claim({ partnerId, customerId, slot: ten }, 'b')).toBe(false);

    await slots.record(customerId, eleven, { state: 'skipped', reason: 'a sync of this customer was running' });
    const latest = await slots.latest(customerId);
    expect(latest).toMatchObject({ slot: eleven, claimedBy: 'b', outcome: { state: 'skipped', reason: 'a sync of this customer was running' } });
    expect(await slots.latest(new ObjectId())).toBeNull();
  });
});
