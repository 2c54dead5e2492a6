import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { ApiError, consentUrl, signInUrl, type ActivationApi, type ActivationView } from '../../../tab/src/api/activation-api';
import { ActivationPage, SWITCH_LABEL } from '../../../tab/src/activation/ActivationPage';
import { formatDateTime } from '../../../tab/src/shared/format';
import { renderInFluent } from '../support/render';

const ADELE = { name: 'Adele Vance', upn: 'adele@contoso.onmicrosoft.com', isAdmin: true };
const ADELE_LABEL = 'Adele Vance (adele@contoso.onmicrosoft.com)';
const CONSENTED_AT = '2025-03-04T10:15:00.000Z';
const CHANGED_AT = '2025-03-05T08:30:00.000Z';

function viewOf(overrides: Partial<ActivationView> = {}): ActivationView {
  return {
    customer: { name: 'Contoso Ltd', tenantName: 'contoso.onmicrosoft.com' },
    partner: { name: 'Northwind Telecom' },
    services: null,
    abilities: ['See the Direct Routing phone numbers of your tenant', "Set your users' voice routing policy"],
    signedIn: null,
    consent: null,
    canManage: false,
    changedAt: null,
    changedBy: null,
    notice: null,
    ...overrides,
  };
}

const signedInWithConsent = (overrides: Partial<ActivationView> = {}) =>
  viewOf({ signedIn: ADELE, consent: { grantedAt: CONSENTED_AT, grantedBy: ADELE_LABEL }, ...overrides });

/** Opened without a link: about no service yet. */
const unbound = (overrides: Partial<ActivationView> = {}) => viewOf({ customer: null, partner: null, ...overrides });

const CONTOSO = { id: '65f000000000000000000001', name: 'Contoso Ltd', partnerName: 'Northwind Telecom', canManage: true };
const FABRIKAM = { id: '65f000000000000000000002', name: 'Contoso Labs', partnerName: 'Fabrikam Voice', canManage: false };

const ENDED = () => new ApiError(401, 'activation_session_ended', 'Your session on this page has ended. Open the activation link again.');

type FakeApi = { [K in keyof ActivationApi]: jest.Mock<ReturnType<ActivationApi[K]>, Parameters<ActivationApi[K]>> };

function fakeApi(): FakeApi {
  const unexpected = (name: string) => jest.fn(() => Promise.reject(new Error(`unexpected call: ${name}`)));
  return {
    openSession: unexpected('openSession'),
    describe: unexpected('describe'),
    chooseService: unexpected('chooseService'),
    setAllowed: unexpected('setAllowed'),
  } as unknown as FakeApi;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const TITLE = 'Allow Northwind Telecom to co-manage your Microsoft Teams phone service';
const CHOOSER_TITLE = 'Co-management of your Microsoft Teams phone service';
const chooserHeading = () => screen.findByRole('heading', { level: 1, name: CHOOSER_TITLE });
const pageHeading = () => screen.findByRole('heading', { level: 1, name: TITLE });
const theSwitch = () => screen.getByRole('switch', { name: SWITCH_LABEL });
const signInButton = () => screen.getByRole('button', { name: /^Sign in with/ });
const consentButton = () => screen.getByRole('button', { name: /^Grant consent/ });

function renderPage(api: FakeApi, navigate = jest.fn()) {
  renderInFluent(<ActivationPage api={api} navigate={navigate} />);
  return navigate;
}

describe('ActivationPage', () => {
  beforeEach(() => window.history.replaceState(null, '', '/activate.html'));

  it('opens the session with the link from the fragment, then removes it from the address bar', async () => {
    window.history.replaceState(null, '', '/activate.html?x=1#link=tok-123');
    const api = fakeApi();
    api.openSession.mockResolvedValue(viewOf());
    renderPage(api);
    expect(await pageHeading()).toBeInTheDocument();
    expect(api.openSession).toHaveBeenCalledWith('tok-123');
    expect(api.describe).not.toHaveBeenCalled();
    expect(window.location.hash).toBe('');
    expect(window.location.href).not.toContain('tok-123');
    expect(window.location.pathname + window.location.search).toBe('/activate.html?x=1');
  });

  it('opens the link once under StrictMode (effects run twice in development)', async () => {
    window.history.replaceState(null, '', '/activate.html#link=tok-strict');
    const api = fakeApi();
    api.openSession.mockResolvedValue(viewOf());
    renderInFluent(
      <StrictMode>
        <ActivationPage api={api} navigate={jest.fn()} />
      </StrictMode>,
    );
    expect(await pageHeading()).toBeInTheDocument();
    expect(api.openSession).toHaveBeenCalledTimes(1);
    expect(api.describe).not.toHaveBeenCalled();
  });

  it('a link pasted into the same tab (only the fragment changes) opens that link', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(viewOf({ partner: { name: 'Old Partner' } }));
    api.openSession.mockRejectedValue(new ApiError(404, 'not_found', 'This activation link is not valid any more.'));
    renderPage(api);
    expect(await screen.findByRole('heading', { level: 1, name: /Old Partner/ })).toBeInTheDocument();
    act(() => {
      window.location.hash = '#link=tok-new';
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'This activation link is not valid' })).toBeInTheDocument();
    expect(api.openSession).toHaveBeenCalledWith('tok-new');
    expect(window.location.hash).toBe('');
  });

  it('without a fragment (back from Microsoft, or a reload) describes the session', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(viewOf());
    renderPage(api);
    expect(await pageHeading()).toBeInTheDocument();
    expect(api.describe).toHaveBeenCalledTimes(1);
    expect(api.openSession).not.toHaveBeenCalled();
    expect(screen.getByText(/contoso\.onmicrosoft\.com/, { selector: 'strong' })).toBeInTheDocument();
    const abilities = screen.getByRole('heading', { name: 'What Northwind Telecom will be able to do' }).closest('[aria-labelledby]')!;
    expect(within(abilities as HTMLElement).getAllByRole('listitem').map((item) => item.textContent)).toEqual(viewOf().abilities);
  });

  it('not signed in: only the sign-in is possible, and it goes to the API', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(viewOf());
    const navigate = renderPage(api);
    await pageHeading();
    expect(screen.getByRole('heading', { level: 2, name: /Sign in with Microsoft/ })).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 2, name: /Grant consent/ })).toBeInTheDocument();
    expect(signInButton()).toHaveAccessibleName('Sign in with Microsoft');
    expect(signInButton()).toBeEnabled();
    expect(consentButton()).toBeDisabled();
    expect(theSwitch()).toBeDisabled();
    expect(theSwitch()).not.toBeChecked();

    await userEvent.setup().click(signInButton());
    expect(navigate).toHaveBeenCalledWith(signInUrl);
    expect(signInUrl).toBe('/api/v1/activation/sign-in');
    expect(signInButton()).toBeDisabled();
  });

  it('signed in as an administrator: shows who, enables the consent and the switch', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(viewOf({ signedIn: ADELE }));
    const navigate = renderPage(api);
    await pageHeading();
    expect(screen.getByText(/Signed in as/)).toHaveTextContent(`Signed in as ${ADELE_LABEL}`);
    expect(signInButton()).toHaveAccessibleName('Sign in with another account');
    expect(consentButton()).toHaveAccessibleName('Grant consent');
    expect(consentButton()).toBeEnabled();
    expect(theSwitch()).toBeEnabled();
    expect(screen.getByText('Consent has not been granted yet.')).toBeInTheDocument();

    await userEvent.setup().click(consentButton());
    expect(navigate).toHaveBeenCalledWith(consentUrl);
    expect(consentUrl).toBe('/api/v1/activation/consent');
  });

  it('signed in without an administrator role: consent and switch stay disabled', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(viewOf({ signedIn: { ...ADELE, isAdmin: false } }));
    renderPage(api);
    await pageHeading();
    expect(screen.getByText(/Signed in as/)).toHaveTextContent('not an administrator');
    expect(consentButton()).toBeDisabled();
    expect(theSwitch()).toBeDisabled();
  });

  it('shows who granted the consent and when, and lets them grant it again', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(signedInWithConsent());
    renderPage(api);
    await pageHeading();
    expect(screen.getByText(/Consent granted by/)).toHaveTextContent(
      `Consent granted by ${ADELE_LABEL} on ${formatDateTime(CONSENTED_AT)}.`,
    );
    expect(consentButton()).toHaveAccessibleName('Grant consent again');
    expect(consentButton()).toBeEnabled();
  });

  it('switching on calls the API, is busy meanwhile, and shows the new state', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(signedInWithConsent());
    const answer = deferred<ActivationView>();
    api.setAllowed.mockReturnValue(answer.promise);
    renderPage(api);
    await pageHeading();
    expect(screen.getByText('Co-management has not been switched on yet.')).toBeInTheDocument();

    const user = userEvent.setup();
    await user.click(theSwitch());
    expect(api.setAllowed).toHaveBeenCalledWith(true);
    expect(screen.getByText('Switching on…')).toBeInTheDocument();
    await user.click(theSwitch());
    expect(api.setAllowed).toHaveBeenCalledTimes(1);

    await act(async () => answer.resolve(signedInWithConsent({ canManage: true, changedAt: CHANGED_AT, changedBy: ADELE_LABEL })));
    expect(theSwitch()).toBeChecked();
    expect(screen.queryByText('Switching on…')).not.toBeInTheDocument();
    expect(screen.getByText(/^Switched on/)).toHaveTextContent(`Switched on by ${ADELE_LABEL} on ${formatDateTime(CHANGED_AT)}.`);
    expect(screen.getByText(/Co-management is on/)).toBeInTheDocument();
  });

  it('shows the API message when consent is needed first, and the switch stays off', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(viewOf({ signedIn: ADELE }));
    const message = 'Grant consent first: co-management needs the permissions listed above.';
    api.setAllowed.mockRejectedValue(new ApiError(409, 'consent_required', message));
    renderPage(api);
    await pageHeading();
    await userEvent.setup().click(theSwitch());
    expect(api.setAllowed).toHaveBeenCalledWith(true);
    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(theSwitch()).not.toBeChecked();
    expect(theSwitch()).toBeEnabled();
  });

  it('switches off at any time and shows who did it', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(signedInWithConsent({ canManage: true, changedAt: CONSENTED_AT, changedBy: 'Someone Else' }));
    api.setAllowed.mockResolvedValue(signedInWithConsent({ canManage: false, changedAt: CHANGED_AT, changedBy: ADELE_LABEL }));
    renderPage(api);
    await pageHeading();
    expect(theSwitch()).toBeChecked();
    expect(screen.getByText(/^Switched on/)).toHaveTextContent(`Switched on by Someone Else on ${formatDateTime(CONSENTED_AT)}.`);

    await userEvent.setup().click(theSwitch());
    expect(api.setAllowed).toHaveBeenCalledWith(false);
    await waitFor(() => expect(theSwitch()).not.toBeChecked());
    expect(screen.getByText(/^Switched off/)).toHaveTextContent(`Switched off by ${ADELE_LABEL} on ${formatDateTime(CHANGED_AT)}.`);
  });

  it("shows the API's notice (back from Microsoft) until dismissed", async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(
      signedInWithConsent({ notice: { kind: 'success', message: 'Consent granted. You can now allow your provider to co-manage your service.' } }),
    );
    renderPage(api);
    expect(await screen.findByText('Consent granted. You can now allow your provider to co-manage your service.')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(/You can now allow your provider/)).not.toBeInTheDocument();
  });

  it('shows an error notice as an alert', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(viewOf({ notice: { kind: 'error', message: 'Sign-in did not complete: it was cancelled.' } }));
    renderPage(api);
    expect(await screen.findByRole('alert')).toHaveTextContent('Sign-in did not complete: it was cancelled.');
  });

  it('a link that is not valid: a full-page message, no steps, and the way in without a link', async () => {
    window.history.replaceState(null, '', '/activate.html#link=old');
    const api = fakeApi();
    const message = 'This activation link is not valid any more. Ask your provider to send you a new one.';
    api.openSession.mockRejectedValueOnce(new ApiError(404, 'not_found', message)).mockResolvedValueOnce(unbound());
    renderPage(api);
    expect(await screen.findByRole('heading', { level: 1, name: 'This activation link is not valid' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent(message);
    expect(screen.queryByRole('switch')).not.toBeInTheDocument();
    expect(screen.getAllByRole('button').map((b) => b.textContent)).toEqual(['Sign in to manage your services']);
    expect(window.location.hash).toBe('');

    // The link expired or was replaced: switching co-management off must still be possible.
    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign in to manage your services' }));
    expect(await chooserHeading()).toBeInTheDocument();
    expect(api.openSession).toHaveBeenCalledTimes(2);
    expect(api.openSession).toHaveBeenLastCalledWith();
    expect(signInButton()).toHaveAccessibleName('Sign in with Microsoft');
  });

  it('the session ending while switching: the full-page message, and a new start without the link', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(signedInWithConsent());
    api.setAllowed.mockRejectedValue(ENDED());
    api.openSession.mockResolvedValue(unbound());
    renderPage(api);
    await pageHeading();
    await userEvent.setup().click(theSwitch());
    expect(await screen.findByRole('heading', { level: 1, name: 'Your session on this page has ended' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('Your session on this page has ended.');
    expect(screen.queryByRole('switch')).not.toBeInTheDocument();

    await userEvent.setup().click(screen.getByRole('button', { name: 'Start again' }));
    expect(await chooserHeading()).toBeInTheDocument();
    expect(api.openSession).toHaveBeenCalledTimes(1);
    expect(api.openSession).toHaveBeenCalledWith();
    expect(api.describe).toHaveBeenCalledTimes(1);
  });

  it('the service gone while switching: says so, and offers a new start', async () => {
    const api = fakeApi();
    api.describe.mockResolvedValue(signedInWithConsent({ canManage: true }));
    api.setAllowed.mockRejectedValue(new ApiError(404, 'not_found', 'This service no longer exists. Ask your provider.'));
    renderPage(api);
    await pageHeading();
    await userEvent.setup().click(theSwitch());
    expect(await screen.findByRole('heading', { level: 1, name: 'This service is not available' })).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('This service no longer exists.');
    expect(screen.getByRole('button', { name: 'Start again' })).toBeEnabled();
  });

  it('another failure while loading: says so and tries again', async () => {
    const api = fakeApi();
    api.describe
      .mockRejectedValueOnce(new ApiError(0, 'network', 'The page cannot reach the portal.'))
      .mockResolvedValueOnce(viewOf());
    renderPage(api);
    expect(await screen.findByRole('alert')).toHaveTextContent('The page cannot reach the portal.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await pageHeading()).toBeInTheDocument();
    expect(api.describe).toHaveBeenCalledTimes(2);
  });

  describe('opened without a link', () => {
    it('first visit (no session yet): opens a session without a link and offers the sign-in', async () => {
      const api = fakeApi();
      api.describe.mockRejectedValue(ENDED());
      api.openSession.mockResolvedValue(unbound());
      const navigate = renderPage(api);
      expect(await chooserHeading()).toBeInTheDocument();
      expect(api.describe).toHaveBeenCalledTimes(1);
      expect(api.openSession).toHaveBeenCalledTimes(1);
      expect(api.openSession).toHaveBeenCalledWith();
      expect(screen.getByText(/Your provider manages your Microsoft Teams phone service through this portal/)).toHaveTextContent(
        'Sign in as an administrator of your organisation to see the services you allowed and switch co-management on or off.',
      );
      expect(screen.queryByRole('heading', { name: 'Your session on this page has ended' })).not.toBeInTheDocument();
      expect(screen.getByRole('heading', { level: 2, name: 'Sign in with Microsoft' })).toBeInTheDocument();
      expect(screen.queryByRole('switch')).not.toBeInTheDocument();
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();

      const user = userEvent.setup();
      await user.click(signInButton());
      expect(navigate).toHaveBeenCalledWith(signInUrl);
      expect(signInButton()).toBeDisabled();
    });

    it('first visit under StrictMode: one session opened', async () => {
      const api = fakeApi();
      api.describe.mockRejectedValue(ENDED());
      api.openSession.mockResolvedValue(unbound());
      renderInFluent(
        <StrictMode>
          <ActivationPage api={api} navigate={jest.fn()} />
        </StrictMode>,
      );
      expect(await chooserHeading()).toBeInTheDocument();
      expect(api.describe).toHaveBeenCalledTimes(1);
      expect(api.openSession).toHaveBeenCalledTimes(1);
    });

    it('signed in: lists the services, opens one, and switches it off', async () => {
      const api = fakeApi();
      api.describe.mockResolvedValue(unbound({ signedIn: ADELE, services: [CONTOSO, FABRIKAM] }));
      const chosen = deferred<ActivationView>();
      api.chooseService.mockReturnValue(chosen.promise);
      api.setAllowed.mockResolvedValue(signedInWithConsent({ canManage: false, changedAt: CHANGED_AT, changedBy: ADELE_LABEL }));
      renderPage(api);
      expect(await chooserHeading()).toBeInTheDocument();
      expect(screen.getByText(/Signed in as/)).toHaveTextContent(`Signed in as ${ADELE_LABEL}`);

      const list = screen.getByRole('list', { name: 'Services of your organisation' });
      const items = within(list).getAllByRole('listitem');
      expect(items).toHaveLength(2);
      expect(within(items[0]!).getByRole('heading', { level: 3, name: 'Contoso Ltd' })).toBeInTheDocument();
      expect(items[0]).toHaveTextContent('Provided by Northwind Telecom');
      expect(items[0]).toHaveTextContent('Co-management on');
      expect(items[1]).toHaveTextContent('Provided by Fabrikam Voice');
      expect(items[1]).toHaveTextContent('Co-management off');

      const user = userEvent.setup();
      await user.click(screen.getByRole('button', { name: 'Open Contoso Ltd' }));
      expect(api.chooseService).toHaveBeenCalledWith(CONTOSO.id);
      expect(screen.getByText('Opening the service…')).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Open Contoso Ltd' })).toBeDisabled();
      expect(screen.getByRole('button', { name: 'Open Contoso Labs' })).toBeDisabled();

      await act(async () => chosen.resolve(signedInWithConsent({ canManage: true, changedAt: CONSENTED_AT, changedBy: ADELE_LABEL })));
      const heading = await pageHeading();
      expect(heading).toHaveFocus();
      expect(screen.queryByRole('list', { name: 'Services of your organisation' })).not.toBeInTheDocument();
      expect(theSwitch()).toBeChecked();
      expect(theSwitch()).toBeEnabled();

      await user.click(theSwitch());
      expect(api.setAllowed).toHaveBeenCalledWith(false);
      await waitFor(() => expect(theSwitch()).not.toBeChecked());
      expect(screen.getByText(/Co-management is off/)).toHaveTextContent(
        'Co-management is off: Northwind Telecom can no longer manage your Microsoft Teams phone service.',
      );
    });

    it('signed in, but no service has co-management set up: says how it starts', async () => {
      const api = fakeApi();
      api.describe.mockResolvedValue(unbound({ signedIn: ADELE, services: [] }));
      renderPage(api);
      expect(await chooserHeading()).toBeInTheDocument();
      expect(screen.getByRole('heading', { level: 2, name: 'Services of your organisation' })).toBeInTheDocument();
      expect(screen.getByText(/No service of your organisation has co-management set up/)).toHaveTextContent(
        'It starts with an activation link from your provider',
      );
      expect(screen.queryByRole('list', { name: 'Services of your organisation' })).not.toBeInTheDocument();
      expect(screen.queryByRole('button', { name: /^Open/ })).not.toBeInTheDocument();
      expect(signInButton()).toHaveAccessibleName('Sign in with another account');
    });

    it("not an administrator: the API's notice says why, and the sign-in comes again", async () => {
      const api = fakeApi();
      const message =
        'adele@contoso.onmicrosoft.com is not an administrator of its organisation. Sign in as a Global Administrator or a Teams Administrator.';
      api.describe.mockResolvedValue(unbound({ notice: { kind: 'error', message } }));
      renderPage(api);
      expect(await chooserHeading()).toBeInTheDocument();
      expect(screen.getByRole('alert')).toHaveTextContent(message);
      expect(signInButton()).toHaveAccessibleName('Sign in with Microsoft');
      expect(signInButton()).toBeEnabled();
      expect(screen.queryByRole('list')).not.toBeInTheDocument();
    });

    it('a service that cannot be opened: the error shows by the list, which stays', async () => {
      const api = fakeApi();
      api.describe.mockResolvedValue(unbound({ signedIn: ADELE, services: [CONTOSO] }));
      api.chooseService.mockRejectedValue(new ApiError(404, 'not_found', 'No such service of your organisation'));
      renderPage(api);
      await chooserHeading();
      await userEvent.setup().click(screen.getByRole('button', { name: 'Open Contoso Ltd' }));
      expect(await screen.findByRole('alert')).toHaveTextContent('No such service of your organisation');
      expect(screen.getByRole('button', { name: 'Open Contoso Ltd' })).toBeEnabled();
      expect(screen.getByRole('heading', { level: 1, name: CHOOSER_TITLE })).toBeInTheDocument();
    });

    it('the session ending while picking: the full-page message', async () => {
      const api = fakeApi();
      api.describe.mockResolvedValue(unbound({ signedIn: ADELE, services: [CONTOSO] }));
      api.chooseService.mockRejectedValue(ENDED());
      renderPage(api);
      await chooserHeading();
      await userEvent.setup().click(screen.getByRole('button', { name: 'Open Contoso Ltd' }));
      expect(await screen.findByRole('heading', { level: 1, name: 'Your session on this page has ended' })).toBeInTheDocument();
      expect(screen.getByRole('button', { name: 'Start again' })).toBeEnabled();
    });

    it('a link pasted into the tab while on the list opens that link', async () => {
      const api = fakeApi();
      api.describe.mockResolvedValue(unbound({ signedIn: ADELE, services: [CONTOSO] }));
      api.openSession.mockResolvedValue(viewOf());
      renderPage(api);
      await chooserHeading();
      act(() => {
        window.location.hash = '#link=tok-pasted';
      });
      expect(await pageHeading()).toBeInTheDocument();
      expect(api.openSession).toHaveBeenCalledWith('tok-pasted');
    });
  });
});
