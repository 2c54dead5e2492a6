import { ActivationClient, ApiError, consentUrl, isSessionEnded, isSessionLost, signInUrl } from '../../../tab/src/api/activation-api';

/** The part of a fetch Response that the client reads. */
function answer(status: number, body: unknown) {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return Promise.resolve({ ok: status >= 200 && status < 300, status, text: () => Promise.resolve(text) });
}

const view = {
  customer: { name: 'Contoso Ltd', tenantName: 'contoso.onmicrosoft.com' },
  partner: { name: 'Northwind Telecom' },
  services: null,
  abilities: ['a'],
  signedIn: null,
  consent: null,
  canManage: false,
  changedAt: null,
  changedBy: null,
  notice: null,
};

describe('ActivationClient', () => {
  const fetchMock = jest.fn();
  beforeEach(() => {
    fetchMock.mockReset();
    global.fetch = fetchMock as unknown as typeof fetch;
  });

  it('opens the session: POSTs the link, with the cookie (same-origin)', async () => {
    fetchMock.mockReturnValue(answer(200, view));
    await expect(new ActivationClient().openSession('tok-1')).resolves.toEqual(view);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/activation/session');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: JSON.stringify({ link: 'tok-1' }) });
    expect(init.headers['content-type']).toBe('application/json');
  });

  it('opens a session without a link: POSTs an empty body', async () => {
    const unbound = { ...view, customer: null, partner: null };
    fetchMock.mockReturnValue(answer(200, unbound));
    await expect(new ActivationClient().openSession()).resolves.toEqual(unbound);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/activation/session');
    expect(init).toMatchObject({ method: 'POST', credentials: 'same-origin', body: '{}' });
    expect(init.headers['content-type']).toBe('application/json');
  });

  it('picks a service: PUT {id}, with the cookie', async () => {
    fetchMock.mockReturnValue(answer(200, view));
    await expect(new ActivationClient().chooseService('65f0c0ffee')).resolves.toEqual(view);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/activation/service');
    expect(init).toMatchObject({ method: 'PUT', credentials: 'same-origin', body: JSON.stringify({ id: '65f0c0ffee' }) });
  });

  it('describes the session: GET, with the cookie', async () => {
    fetchMock.mockReturnValue(answer(200, view));
    await expect(new ActivationClient('https://portal.example.com').describe()).resolves.toEqual(view);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('https://portal.example.com/api/v1/activation/session');
    expect(init).toMatchObject({ method: 'GET', credentials: 'same-origin' });
    expect(init.body).toBeUndefined();
  });

  it('sets the switch: PUT {allowed}', async () => {
    fetchMock.mockReturnValue(answer(200, { ...view, canManage: true }));
    await expect(new ActivationClient().setAllowed(true)).resolves.toMatchObject({ canManage: true });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/activation/co-management');
    expect(init).toMatchObject({ method: 'PUT', credentials: 'same-origin', body: JSON.stringify({ allowed: true }) });
  });

  it("turns an error answer into an ApiError with the API's code and message", async () => {
    fetchMock.mockReturnValue(answer(409, { error: { code: 'consent_required', message: 'Grant consent first.' } }));
    const error = (await new ActivationClient().setAllowed(true).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'consent_required', message: 'Grant consent first.' });
    expect(isSessionLost(error)).toBe(false);
  });

  it('an answer without a JSON error still becomes an ApiError', async () => {
    fetchMock.mockReturnValue(answer(502, '<html>Bad gateway</html>'));
    await expect(new ActivationClient().describe()).rejects.toMatchObject({ status: 502, code: 'http_error' });
  });

  it('says the portal cannot be reached when the network fails', async () => {
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));
    await expect(new ActivationClient().describe()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('knows when only a new start helps: the session ended, or the link is not valid', () => {
    expect(isSessionLost(new ApiError(401, 'activation_session_ended', 'x'))).toBe(true);
    expect(isSessionLost(new ApiError(404, 'not_found', 'x'))).toBe(true);
    expect(isSessionLost(new ApiError(401, 'admin_sign_in_required', 'x'))).toBe(false);
    expect(isSessionLost(new Error('x'))).toBe(false);
  });

  it('knows when the session cookie stands for nothing: only activation_session_ended', () => {
    expect(isSessionEnded(new ApiError(401, 'activation_session_ended', 'x'))).toBe(true);
    expect(isSessionEnded(new ApiError(401, 'admin_sign_in_required', 'x'))).toBe(false);
    expect(isSessionEnded(new ApiError(404, 'not_found', 'x'))).toBe(false);
    expect(isSessionEnded(new Error('x'))).toBe(false);
  });

  it('sends the browser to the API for sign-in and consent', () => {
    expect(signInUrl).toBe('/api/v1/activation/sign-in');
    expect(consentUrl).toBe('/api/v1/activation/consent');
  });
});
