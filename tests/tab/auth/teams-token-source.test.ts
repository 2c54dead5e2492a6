import { ConsentRequiredError, TeamsTokenSource } from '../../../tab/src/auth/teams-token-source';

const credential = { getToken: jest.fn(), login: jest.fn() };
const TeamsUserCredential = jest.fn(() => credential);
jest.mock('@microsoft/teamsfx', () => ({ TeamsUserCredential }));

describe('TeamsTokenSource', () => {
  beforeEach(() => jest.clearAllMocks());

  it('gives the Teams SSO token, with the app registration it was given', async () => {
    credential.getToken.mockResolvedValue({ token: 'sso-token', expiresOnTimestamp: 0 });
    const source = new TeamsTokenSource('client-1', 'https://portal.example.com/auth-start.html');
    await expect(source.getToken()).resolves.toBe('sso-token');
    expect(TeamsUserCredential).toHaveBeenCalledWith({
      clientId: 'client-1',
      initiateLoginEndpoint: 'https://portal.example.com/auth-start.html',
    });
  });

  it('asks for the consent sign-in when Teams needs it, and runs it on request', async () => {
    credential.getToken.mockRejectedValue(Object.assign(new Error('consent'), { code: 'UiRequiredError' }));
    const source = new TeamsTokenSource('client-1', 'https://portal.example.com/auth-start.html');
    await expect(source.getToken()).rejects.toBeInstanceOf(ConsentRequiredError);
    credential.login.mockResolvedValue(undefined);
    await source.login();
    expect(credential.login).toHaveBeenCalled();
  });

  it('treats a missing consent reported by Teams for the SSO token as consent needed', async () => {
    credential.getToken.mockRejectedValue(
      Object.assign(new Error('Get SSO token failed with error: resourceRequiresConsent'), { code: 'InternalError' }),
    );
    const source = new TeamsTokenSource('client-1', 'https://portal.example.com/auth-start.html');
    await expect(source.getToken()).rejects.toBeInstanceOf(ConsentRequiredError);
  });

  it('passes other failures on', async () => {
    credential.getToken.mockRejectedValue(new Error('network down'));
    const source = new TeamsTokenSource('client-1', 'https://portal.example.com/auth-start.html');
    await expect(source.getToken()).rejects.toThrow('network down');
  });
});
