import { loadSettings, TEAMS_AND_OFFICE_CLIENT_APPS } from '../../api/settings/settings';
import { read } from './support';

describe('the client apps whose user tokens the API accepts', () => {
  it("are, by default, exactly the clients aad.manifest.json pre-authorises for access_as_user", () => {
    const aad = JSON.parse(read('aad.manifest.json')) as { preAuthorizedApplications: { appId: string }[] };
    const preAuthorised = aad.preAuthorizedApplications.map((p) => p.appId);
    expect([...TEAMS_AND_OFFICE_CLIENT_APPS].sort()).toEqual([...preAuthorised].sort());
    expect(new Set(preAuthorised).size).toBe(preAuthorised.length);
    expect(loadSettings({}, {}).ENTRA_CLIENT_APPS).toEqual([...TEAMS_AND_OFFICE_CLIENT_APPS]);
  });

  it('can be narrowed by ENTRA_CLIENT_APPS', () => {
    expect(loadSettings({ ENTRA_CLIENT_APPS: ' 1fec8e78-bce4-4aaf-ab1b-5451cc387264 ,5e3ce6c0-2b1f-4285-8d4b-75ee78787346' }, {}).ENTRA_CLIENT_APPS).toEqual([
      '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      '5e3ce6c0-2b1f-4285-8d4b-75ee78787346',
    ]);
  });
});
