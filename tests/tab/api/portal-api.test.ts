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

  it('says the portal cannot be reached when the network fails', async () => {
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));
    await expect(publicApi.clientConfig()).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});
