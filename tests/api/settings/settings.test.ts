import { LOCAL_AUDIENCE, loadSettings, SettingsError } from '../../../api/settings/settings';

describe('loadSettings', () => {
  it('has a default for every setting of the local run', () => {
    const settings = loadSettings({}, {});
    expect(settings).toMatchObject({
      PORT: 3978,
      MONGODB_URI: undefined,
      localMode: true,
      audiences: [LOCAL_AUDIENCE],
      DEFAULT_PHONE_REGION: 'US',
    });
  });

  it('reads the environment, and options win over it', () => {
    const env = { PORT: '4000', ENTRA_CLIENT_ID: 'client-1', ENTRA_APP_ID_URI: 'api://host/client-1' };
    expect(loadSettings({}, env)).toMatchObject({ PORT: 4000, localMode: false, audiences: ['client-1', 'api://host/client-1'] });
    expect(loadSettings({ PORT: 5000 }, env).PORT).toBe(5000);
  });

  it('treats an empty value as unset', () => {
    expect(loadSettings({}, { MONGODB_URI: '', ENTRA_CLIENT_ID: ' ' })).toMatchObject({ MONGODB_URI: undefined, localMode: true });
  });

  it('names every invalid setting', () => {
    expect(() => loadSettings({}, { PORT: 'abc', DEFAULT_PHONE_REGION: 'usa' })).toThrow(SettingsError);
    expect(() => loadSettings({}, { PORT: 'abc', DEFAULT_PHONE_REGION: 'usa' })).toThrow(/PORT[\s\S]*DEFAULT_PHONE_REGION/);
  });
});
