import { LOCAL_AUDIENCE, loadSettings, SettingsError, TEAMS_AND_OFFICE_CLIENT_APPS } from '../../../api/settings/settings';

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

  it('turns the dev sign-in (local mode) on only with the embedded database and no Entra app, or when asked', () => {
    expect(loadSettings({}, {}).localMode).toBe(true);
    expect(loadSettings({}, { MONGODB_URI: 'mongodb://db.example.test' }).localMode).toBe(false);
    expect(loadSettings({}, { ENTRA_CLIENT_ID: 'client-1' }).localMode).toBe(false);
    expect(loadSettings({}, { MONGODB_URI: 'mongodb://db.example.test', DEV_SIGN_IN: 'true' }).localMode).toBe(true);
    expect(loadSettings({}, { DEV_SIGN_IN: 'false' }).localMode).toBe(false);
    expect(loadSettings({}, { MONGODB_URI: 'mongodb://db.example.test', DEV_SIGN_IN: ' ' }).localMode).toBe(false);
    expect(() => loadSettings({}, { DEV_SIGN_IN: 'yes' })).toThrow(/DEV_SIGN_IN: true or false/);
  });

  it('takes BACKEND_URL as a URL or "simulator", and knows whether BACKEND_API_KEY was given', () => {
    expect(loadSettings({}, { BACKEND_URL: 'simulator' }).BACKEND_URL).toBe('simulator');
    expect(() => loadSettings({}, { BACKEND_URL: 'crossbar.example.test' })).toThrow(/BACKEND_URL/);
    expect(loadSettings({}, {}).backendApiKeyGiven).toBe(false);
    expect(loadSettings({}, { BACKEND_API_KEY: 'key' }).backendApiKeyGiven).toBe(true);
  });

  it('reads the accepted client apps as a comma-separated list, the Teams and Office clients by default', () => {
    expect(loadSettings({}, {}).ENTRA_CLIENT_APPS).toEqual([...TEAMS_AND_OFFICE_CLIENT_APPS]);
    expect(loadSettings({}, { ENTRA_CLIENT_APPS: ' app-1, app-2 ,' }).ENTRA_CLIENT_APPS).toEqual(['app-1', 'app-2']);
  });
});
