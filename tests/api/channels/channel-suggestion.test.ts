import { suggestMaxChannels } from '../../../api/channels/channel-suggestion';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('suggestMaxChannels', () => {
  it.each([
    ['unbundled', 1, 1],
    ['unbundled', 9, 1],
    ['unbundled', 10, 1],
    ['unbundled', 11, 2],
    ['unbundled', 230, 23],
    ['bundled', 1, 1],
    ['bundled', 40, 40],
  ] as const)('%s with %i seats suggests %i', (seatType, seats, expected) => {
    expect(suggestMaxChannels(seatType, seats).maxChannels).toBe(expected);
  });

  it('never suggests more than a customer may have', () => {
    expect(suggestMaxChannels('bundled', 50_000).maxChannels).toBe(10_000);
  });
});

describe('GET /api/v1/channels/suggest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers the suggestion', async () => {
    const response = await t.request('GET', '/api/v1/channels/suggest?seatType=unbundled&seats=95');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ seatType: 'unbundled', seats: 95, maxChannels: 10 });
  });

  it.each([
    ['seatType=other&seats=5', 'seatType'],
    ['seats=5', 'seatType'],
    ['seatType=bundled', 'seats'],
    ['seatType=bundled&seats=0', 'seats'],
    ['seatType=bundled&seats=2.5', 'seats'],
    ['seatType=bundled&seats=many', 'seats'],
  ])('refuses %s naming %s', async (query, field) => {
    const response = await t.request('GET', `/api/v1/channels/suggest?${query}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_request');
    expect(response.body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('needs a signed-in partner', async () => {
    const response = await t.request('GET', '/api/v1/channels/suggest?seatType=bundled&seats=5', { token: null });
    expect(response.status).toBe(401);
  });
});
