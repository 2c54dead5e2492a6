import { connectHost, customerOfSubPage, runsInTeams, toThemeName } from '../../../tab/src/app/teams-host';

const teams = {
  initialize: jest.fn(() => Promise.resolve()),
  getContext: jest.fn(() => Promise.resolve({ app: { theme: 'dark' } })),
  notifySuccess: jest.fn(),
  registerOnThemeChangeHandler: jest.fn(),
};
jest.mock('@microsoft/teams-js', () => ({ app: teams }));

describe('the Teams host boundary', () => {
  beforeEach(() => jest.clearAllMocks());

  it('knows Teams by the ?inTeams parameter of the manifest content URL', () => {
    expect(runsInTeams({ search: '?inTeams=1' })).toBe(true);
    expect(runsInTeams({ search: '' })).toBe(false);
  });

  it('initialises teams-js in Teams, takes its theme and follows changes', async () => {
    const host = await connectHost({ search: '?inTeams=1' });
    expect(teams.initialize).toHaveBeenCalled();
    expect(teams.notifySuccess).toHaveBeenCalled();
    expect(host).toMatchObject({ inTeams: true, theme: 'dark' });
    const listener = jest.fn();
    host.onThemeChange(listener);
    const handler = teams.registerOnThemeChangeHandler.mock.calls[0]![0] as (theme: string) => void;
    handler('contrast');
    expect(listener).toHaveBeenCalledWith('contrast');
  });

  it('opens the customer a deep link names with its subEntityId "customer:<id>"', async () => {
    teams.getContext.mockResolvedValueOnce({ app: { theme: 'default' }, page: { subPageId: 'customer:0123456789abcdef01234567' } } as never);
    expect((await connectHost({ search: '?inTeams=1' })).openCustomerId).toBe('0123456789abcdef01234567');
    expect((await connectHost({ search: '?inTeams=1' })).openCustomerId).toBeUndefined();
    expect(customerOfSubPage('customer:not-an-id')).toBeUndefined();
    expect(customerOfSubPage(undefined)).toBeUndefined();
  });

  it('never loads teams-js in a plain browser', async () => {
    const host = await connectHost({ search: '' });
    expect(host.inTeams).toBe(false);
    expect(teams.initialize).not.toHaveBeenCalled();
  });

  it('maps Teams theme names', () => {
    expect(toThemeName('default')).toBe('default');
    expect(toThemeName('dark')).toBe('dark');
    expect(toThemeName('contrast')).toBe('contrast');
    expect(toThemeName(undefined)).toBe('default');
  });
});
