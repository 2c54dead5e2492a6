import { ApiError, PortalApi, publicApi } from '../../../tab/src/api/portal-api';

/** The part of a fetch Response that the client reads. */
function answer(status: number, body: unknown) {
  const text = body === undefined ? '' : JSON.stringify(body);
  return Promise.resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(text) });
}

describe('PortalApi', () => {
  const fetchMock = jest.fn();
  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as unknown as typeof fetch;
  });

  it('attaches the token and sends the query', async () => {
    fetchMock.mockReturnValue(answer(200, { items: [], total: 0, page: 2, pageSize: 25 }));
    const api = new PortalApi({ getToken: () => Promise.resolve('tok-1') });
    await api.listCustomers({ search: 'a b', page: 2, pageSize: 25 });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/customers?search=a+b&page=2&pageSize=25');
    expect(init.headers.authorization).toBe('Bearer tok-1');
  });

  it('turns an error answer into an ApiError with the field problems', async () => {
    fetchMock.mockReturnValue(
      answer(400, { error: { code: 'invalid_request', message: 'maxChannels: too big', details: [{ field: 'maxChannels', message: 'too big' }] } }),
    );
    const api = new PortalApi({ getToken: () => Promise.resolve('t') });
    const error = (await api.createCustomer({ accountId: 'a', tenantName: 'b.com', maxChannels: 1e6, syncAfterSave: false }).catch(
      (e: unknown) => e,
    )) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(error.fieldMessage('maxChannels')).toBe('too big');
  });

  it('forgets the token when the API refuses it', async () => {
    fetchMock.mockReturnValue(answer(401, { error: { code: 'token_expired', message: 'expired' } }));
    const forget = jest.fn();
    const api = new PortalApi({ getToken: () => Promise.resolve('t'), forget });
    await expect(api.getCustomer('x')).rejects.toMatchObject({ status: 401 });
    expect(forget).toHaveBeenCalled();
  });

  it("tells who listens when the API refuses a call for the caller's role, and only then", async () => {
    const api = new PortalApi({ getToken: () => Promise.resolve('t') });
    const refused = jest.fn();
    const stop = api.onRoleRefused(refused);
    fetchMock.mockReturnValueOnce(answer(403, { error: { code: 'not_found', message: 'other' } }));
    await expect(api.getCustomer('x')).rejects.toMatchObject({ status: 403 });
    expect(refused).not.toHaveBeenCalled();
    const message = 'This needs the Operator role; you are a Viewer of Northwind. Ask an admin of Northwind for access.';
    fetchMock.mockReturnValueOnce(answer(403, { error: { code: 'role_required', message } }));
    await expect(api.removeNumbers('c1', ['+12125550100'], 'retain')).rejects.toMatchObject({ code: 'role_required', message });
    expect(refused).toHaveBeenCalledTimes(1);
    stop();
    fetchMock.mockReturnValueOnce(answer(403, { error: { code: 'role_required', message } }));
    await expect(api.startSync('c1')).rejects.toMatchObject({ code: 'role_required' });
    expect(refused).toHaveBeenCalledTimes(1);
  });

  it('calls the members and settings routes', async () => {
    const api = new PortalApi({ getToken: () => Promise.resolve('t') });
    const calls = () => fetchMock.mock.calls.map(([url, init]) => [init.method, url, init.body === undefined ? undefined : JSON.parse(init.body)]);
    fetchMock.mockImplementation(() => answer(200, {}));
    await api.me();
    await api.listMembers();
    await api.setMemberRole('oid/1', 'operator', 'Olive');
    await api.setMemberRole('oid-2', 'viewer');
    fetchMock.mockImplementationOnce(() => answer(204, undefined));
    await api.removeMember('oid-2');
    await api.getSettings();
    await api.updateSettings({ newMembers: 'none' });
    expect(calls()).toEqual([
      ['GET', '/api/v1/me', undefined],
      ['GET', '/api/v1/members', undefined],
      ['PUT', '/api/v1/members/oid%2F1', { role: 'operator', name: 'Olive' }],
      ['PUT', '/api/v1/members/oid-2', { role: 'viewer' }],
      ['DELETE', '/api/v1/members/oid-2', undefined],
      ['GET', '/api/v1/settings', undefined],
      ['PATCH', '/api/v1/settings', { newMembers: 'none' }],
    ]);
  });

  describe('co-management', () => {
    const api = () => new PortalApi({ getToken: () => Promise.resolve('tok') });
    const call = () => {
      const [url, init] = fetchMock.mock.calls[0]!;
      return { url, method: init.method, body: init.body === undefined ? undefined : JSON.parse(init.body) };
    };

    it('creates an activation link', async () => {
      fetchMock.mockReturnValue(answer(201, { url: 'https://x/activate.html#link=t', expiresAt: '2024-01-08T00:00:00.000Z' }));
      await expect(api().createActivationLink('c/1')).resolves.toEqual({
        url: 'https://x/activate.html#link=t',
        expiresAt: '2024-01-08T00:00:00.000Z',
      });
      expect(call()).toEqual({ url: '/api/v1/customers/c%2F1/activation-link', method: 'POST', body: undefined });
    });

    it('lists the Teams users and numbers with their queries', async () => {
      fetchMock.mockReturnValue(answer(200, { items: [], total: 0, page: 1, pageSize: 25, attentionCount: 3 }));
      await api().listTeamsUsers('c1', { search: 'ad ele', page: 2, pageSize: 25 });
      expect(call().url).toBe('/api/v1/customers/c1/teams/users?search=ad+ele&page=2&pageSize=25');
      fetchMock.mockClear();
      const numbers = await api().listTeamsNumbers('c1', { view: 'attention', page: 1, pageSize: 50 });
      expect(call().url).toBe('/api/v1/customers/c1/teams/numbers?view=attention&page=1&pageSize=50');
      expect(numbers.attentionCount).toBe(3);
    });

    it('reads the assignable numbers and the policy names', async () => {
      fetchMock.mockReturnValue(answer(200, { numbers: ['+12125550100'] }));
      await expect(api().listAssignableNumbers('c1')).resolves.toEqual({ numbers: ['+12125550100'] });
      expect(call()).toMatchObject({ url: '/api/v1/customers/c1/teams/assignable-numbers', method: 'GET' });
      fetchMock.mockClear();
      fetchMock.mockReturnValue(answer(200, { names: ['US-Only'] }));
      await expect(api().listVoiceRoutingPolicies('c1')).resolves.toEqual({ names: ['US-Only'] });
      expect(call()).toMatchObject({ url: '/api/v1/customers/c1/teams/voice-routing-policies', method: 'GET' });
    });

    it('assigns and unassigns numbers, encoding the user id, and follows the operation', async () => {
      fetchMock.mockReturnValue(answer(202, { id: 'op1', state: 'pending' }));
      await expect(api().assignTeamsNumber('c1', 'u/1?x', '+12125550100')).resolves.toMatchObject({ id: 'op1' });
      expect(call()).toEqual({
        url: '/api/v1/customers/c1/teams/users/u%2F1%3Fx/number',
        method: 'PUT',
        body: { telephoneNumber: '+12125550100' },
      });
      fetchMock.mockClear();
      await api().unassignTeamsNumber('c1', 'u1');
      expect(call()).toEqual({ url: '/api/v1/customers/c1/teams/users/u1/number', method: 'DELETE', body: undefined });
      fetchMock.mockClear();
      await api().getTeamsOperation('c1', 'op/1');
      expect(call()).toMatchObject({ url: '/api/v1/customers/c1/teams/operations/op%2F1', method: 'GET' });
    });

    it('sets a voice routing policy by name', async () => {
      fetchMock.mockReturnValue(answer(200, { id: 'u1', voiceRoutingPolicy: 'US-Only' }));
      await api().setVoiceRoutingPolicy('c1', 'u1', 'US-Only');
      expect(call()).toEqual({ url: '/api/v1/customers/c1/teams/users/u1/voice-routing-policy', method: 'PUT', body: { name: 'US-Only' } });
    });

    it('keeps the code of a refusal, so views can tell co-management is off', async () => {
      fetchMock.mockReturnValue(answer(403, { error: { code: 'co_management_off', message: 'Contoso switched co-management off.' } }));
      await expect(api().listTeamsUsers('c1', { page: 1, pageSize: 25 })).rejects.toMatchObject({
        status: 403,
        code: 'co_management_off',
        message: 'Contoso switched co-management off.',
      });
    });
  });

  it('says the portal cannot be reached when the network fails', async () => {
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));
    await expect(publicApi.clientConfig()).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
