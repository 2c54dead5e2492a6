import {
  Badge,
  Button,
  Card,
  Spinner,
  Text,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import {
  consentUrl,
  isSessionEnded,
  signInUrl,
  type ActivationApi,
  type ActivationView,
} from '../api/activation-api';
import { ErrorBar } from '../shared/ErrorBar';
import { takeLinkFromAddress } from './link-fragment';

import { useActivationStyles } from './activation-styles';
import { NoticeBar, PageShell, personOf, SignIn, Step, stopOf, StoppedPage, type Notice, type Stop } from './activation-parts';

import { ConsentStep, SwitchStep } from './activation-steps';

export { SWITCH_LABEL } from './activation-steps';

export interface ActivationPageProps {
  api: ActivationApi;
  /** A full-page navigation to the API, which redirects to Microsoft and back here. */
  navigate?: (url: string) => void;
  /** Where the partner's link comes from (the address bar's fragment, removed once read). */
  takeLink?: () => string | null;
}


/**
 * activate.html: the customer's administrator, from the link the partner sent,
 * signs in with Microsoft, grants consent and switches co-management on (or off).
 * Opened without a link (or once the link is not valid any more), the
 * administrator signs in and picks the service among those of the organisation
 * with co-management set up, so it can be switched off at any time.
 */
export function ActivationPage({
  api,
  navigate = (url) => window.location.assign(url),
  takeLink = takeLinkFromAddress,
}: ActivationPageProps) {
  const [view, setView] = useState<ActivationView>();
  const [loadError, setLoadError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [leaving, setLeaving] = useState<'sign-in' | 'consent' | null>(null);
  const [saving, setSaving] = useState<boolean | null>(null);
  const [switchError, setSwitchError] = useState<unknown>();
  const [stop, setStop] = useState<Stop>();
  const [choosing, setChoosing] = useState<string | null>(null);
  const [chooseError, setChooseError] = useState<unknown>();
  // The first answer, kept across StrictMode's second effect run so the link is opened once.
  const link = useRef<string | null>();
  const loading = useRef<{ answer: Promise<ActivationView>; linked: boolean }>();
  // The next load opens a new session without a link ("Start again").
  const fresh = useRef(false);
  // A service was just picked: the page changes under the keyboard's focus, which moves to the new heading.
  const focusHeading = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    let active = true;
    if (!loading.current) {
      if (link.current === undefined) link.current = takeLink();
      const linked = link.current;
      loading.current = {
        linked: Boolean(linked),
        answer: linked
          ? api.openSession(linked)
          : fresh.current
            ? api.openSession()
            : api.describe().catch((error: unknown) => {
                // No session here (yet): a first visit without a link, or one that expired long ago.
                if (isSessionEnded(error)) return api.openSession();
                throw error;
              }),
      };
      fresh.current = false;
    }
    const { answer, linked } = loading.current;
    answer.then(
      (view) => {
        if (!active) return;
        // Opened: from now on the session cookie stands for the link.
        link.current = null;
        setView(view);
        setNotice(view.notice);
        setLoadError(undefined);
      },
      (error: unknown) => {
        if (!active) return;
        const stopped = stopOf(error, linked ? 'link' : 'gone');
        if (stopped) setStop(stopped);
        else setLoadError(error);
      },
    );
    return () => {
      active = false;
    };
  }, [api, takeLink, attempt]);

  useEffect(() => {
    if (focusHeading.current && heading.current) {
      focusHeading.current = false;
      heading.current.focus();
    }
  }, [view]);

  /** Loads again from nothing: `withoutLink` opens a new session without a link. */
  const restart = (withoutLink: boolean) => {
    if (withoutLink) {
      fresh.current = true;
      link.current = null;
    }
    loading.current = undefined;
    setView(undefined);
    setStop(undefined);
    setLoadError(undefined);
    setSwitchError(undefined);
    setChooseError(undefined);
    setNotice(null);
    setLeaving(null);
    setAttempt((n) => n + 1);
  };

  // A link pasted into this tab's address bar changes only the fragment: no new page load.
  useEffect(() => {
    const onHashChange = () => {
      const next = takeLink();
      if (!next) return;
      link.current = next;
      loading.current = undefined;
      setView(undefined);
      setStop(undefined);
      setLoadError(undefined);
      setSwitchError(undefined);
      setChooseError(undefined);
      setAttempt((n) => n + 1);
    };
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, [takeLink]);

  // Back from Microsoft with the browser's Back button: the page may come from the back-forward cache.
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) setLeaving(null);
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, []);

  const styles = useActivationStyles();

  if (stop) {
    return (
      <PageShell>
        <StoppedPage stop={stop} onStartAgain={() => restart(true)} />
      </PageShell>
    );
  }
  if (loadError !== undefined && !view) {
    return (
      <PageShell>
        <h1 className={styles.heading}>This page could not be loaded</h1>
        <ErrorBar error={loadError} onRetry={() => restart(false)} />
      </PageShell>
    );
  }
  if (!view) {
    return (
      <PageShell>
        <Spinner label="Loading your activation page…" />
      </PageShell>
    );
  }

  const admin = view.signedIn?.isAdmin ? view.signedIn : null;
  const go = (where: 'sign-in' | 'consent') => {
    setLeaving(where);
    navigate(where === 'sign-in' ? signInUrl : consentUrl);
  };
  const noticeBar = notice && <NoticeBar notice={notice} onDismiss={() => setNotice(null)} />;

  if (view.customer === null) {
    const choose = async (id: string) => {
      if (choosing !== null) return;
      setChoosing(id);
      setChooseError(undefined);
      try {
        const answer = await api.chooseService(id);
        focusHeading.current = true;
        setView(answer);
        setNotice(answer.notice);
      } catch (error) {
        const stopped = stopOf(error, null);
        if (stopped) setStop(stopped);
        else setChooseError(error);
      } finally {
        setChoosing(null);
      }
    };
    return (
      <PageShell>
        <header className={styles.intro}>
          <h1 className={styles.heading}>Co-management of your Microsoft Teams phone service</h1>
          <Text as="p">
            Your provider manages your Microsoft Teams phone service through this portal. Sign in as an administrator of
            your organisation to see the services you allowed and switch co-management on or off.
          </Text>
        </header>

        {noticeBar}

        {view.services === null || !admin ? (
          <Card className={styles.card} aria-labelledby="sign-in-heading">
            <h2 id="sign-in-heading" className={styles.subheading}>
              Sign in with Microsoft
            </h2>
            <SignIn
              organisation="your organisation"
              signedIn={view.signedIn}
              primary
              leaving={leaving}
              onSignIn={() => go('sign-in')}
              actionsClassName={styles.actions}
            />
            <Text as="p" className={styles.muted}>
              Setting co-management up for the first time? Open the activation link your provider sent you.
            </Text>
          </Card>
        ) : (
          <>
            <div className={styles.row}>
              <Text>
                Signed in as <strong>{personOf(admin)}</strong>
              </Text>
              <Button
                appearance="secondary"
                size="small"
                disabled={leaving !== null || choosing !== null}
                icon={leaving === 'sign-in' ? <Spinner size="tiny" /> : undefined}
                onClick={() => go('sign-in')}
              >
                Sign in with another account
              </Button>
            </div>
            <section className={styles.section} aria-labelledby="services-heading">
              <h2 id="services-heading" className={styles.subheading}>
                Services of your organisation
              </h2>
              {view.services.length === 0 ? (
                <Text as="p">
                  No service of your organisation has co-management set up. It starts with an activation link from your
                  provider: ask them for one, open it and follow its steps.
                </Text>
              ) : (
                <>
                  <Text as="p">Open a service to see what its provider can do and switch co-management on or off.</Text>
                  <ul className={styles.services} aria-labelledby="services-heading">
                    {view.services.map((service) => (
                      <li key={service.id}>
                        <Card className={styles.service} aria-labelledby={`service-${service.id}`}>
                          <div className={styles.serviceText}>
                            <h3 id={`service-${service.id}`} className={styles.serviceName}>
                              {service.name}
                            </h3>
                            <Text as="p" className={styles.muted}>
                              Provided by {service.partnerName}
                            </Text>
                          </div>
                          <div className={styles.row}>
                            <Badge appearance="tint" color={service.canManage ? 'success' : 'informative'}>
                              {service.canManage ? 'Co-management on' : 'Co-management off'}
                            </Badge>
                            <Button
                              appearance="primary"
                              aria-label={`Open ${service.name}`}
                              disabled={choosing !== null || leaving !== null}
                              icon={choosing === service.id ? <Spinner size="tiny" /> : undefined}
                              onClick={() => void choose(service.id)}
                            >
                              Open
                            </Button>
                          </div>
                        </Card>
                      </li>
                    ))}
                  </ul>
                  {choosing !== null && <Spinner size="tiny" label="Opening the service…" />}
                </>
              )}
              {chooseError !== undefined && <ErrorBar error={chooseError} />}
            </section>
          </>
        )}
      </PageShell>
    );
  }

  const customer = view.customer;
  const partner = view.partner?.name ?? 'your provider';
  const changeAllowed = async (allowed: boolean) => {
    if (saving !== null) return;
    setSaving(allowed);
    setSwitchError(undefined);
    setNotice(null);
    try {
      const answer = await api.setAllowed(allowed);
      setView(answer);
      setNotice(
        answer.notice ?? {
          kind: 'success',
          message: allowed
            ? `Co-management is on: ${partner} can now manage your Microsoft Teams phone service.`
            : `Co-management is off: ${partner} can no longer manage your Microsoft Teams phone service.`,
        },
      );
    } catch (error) {
      const stopped = stopOf(error, 'gone');
      if (stopped) setStop(stopped);
      else setSwitchError(error);
    } finally {
      setSaving(null);
    }
  };

  return (
    <PageShell>
      <header className={styles.intro}>
        <h1 ref={heading} tabIndex={-1} className={`${styles.heading} ${styles.focusTarget}`}>
          Allow {partner} to co-manage your Microsoft Teams phone service
        </h1>
        <Text as="p">
          {partner} provides the Microsoft Teams phone service of <strong>{customer.name}</strong> (Microsoft 365 tenant{' '}
          <strong>{customer.tenantName}</strong>). An administrator of {customer.tenantName} can let {partner} manage it in
          three steps, and switch it off again at any time.
        </Text>
      </header>

      {noticeBar}

      <Card className={styles.card} aria-labelledby="abilities-heading">
        <h2 id="abilities-heading" className={styles.subheading}>
          What {partner} will be able to do
        </h2>
        <ul className={styles.abilities}>
          {view.abilities.map((ability) => (
            <li key={ability}>
              <Text>{ability}</Text>
            </li>
          ))}
        </ul>
        <Text className={styles.muted}>Only while co-management is switched on, and nothing more.</Text>
      </Card>

      <ol className={styles.steps} aria-label="Steps">
        <Step number={1} title="Sign in with Microsoft" done={admin !== null}>
          <SignIn
            organisation={customer.tenantName}
            signedIn={view.signedIn}
            primary={admin === null}
            leaving={leaving}
            onSignIn={() => go('sign-in')}
            actionsClassName={styles.actions}
          />
        </Step>

        <ConsentStep view={view} tenantName={customer.tenantName} admin={admin !== null} leaving={leaving} onConsent={() => go('consent')} />
        <SwitchStep view={view} admin={admin !== null} saving={saving} error={switchError} onChange={(allowed) => void changeAllowed(allowed)} />
      </ol>
    </PageShell>
  );
}

