import {
  Badge,
  Button,
  Card,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Spinner,
  Switch,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { consentUrl, isSessionLost, signInUrl, ApiError, type ActivationApi, type ActivationView } from '../api/activation-api';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime } from '../shared/format';
import { takeLinkFromAddress } from './link-fragment';

export const SWITCH_LABEL = 'Allow carrier to co-manage your service';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    justifyContent: 'center',
    padding: `${tokens.spacingVerticalXXL} ${tokens.spacingHorizontalL}`,
  },
  column: { width: '100%', maxWidth: '720px', display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  intro: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, '& p': { margin: 0 } },
  heading: { margin: 0, fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
  subheading: { margin: 0, fontSize: tokens.fontSizeBase500, lineHeight: tokens.lineHeightBase500, fontWeight: tokens.fontWeightSemibold },
  steps: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  card: {
    padding: tokens.spacingHorizontalXL,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    '& p': { margin: 0 },
  },
  stepTitle: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  stepHeader: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  number: {
    display: 'inline-flex',
    alignItems: 'center',
    justifyContent: 'center',
    flexShrink: 0,
    width: '32px',
    height: '32px',
    borderRadius: tokens.borderRadiusCircular,
    backgroundColor: tokens.colorBrandBackground,
    color: tokens.colorNeutralForegroundOnBrand,
    fontWeight: tokens.fontWeightSemibold,
  },
  numberDone: { backgroundColor: tokens.colorPaletteGreenBackground3 },
  abilities: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  actions: { display: 'flex', gap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

export interface ActivationPageProps {
  api: ActivationApi;
  /** A full-page navigation to the API, which redirects to Microsoft and back here. */
  navigate?: (url: string) => void;
  /** Where the partner's link comes from (the address bar's fragment, removed once read). */
  takeLink?: () => string | null;
}

type Notice = NonNullable<ActivationView['notice']>;

/**
 * activate.html: the customer's administrator, from the link the partner sent,
 * signs in with Microsoft, grants consent and switches co-management on (or off).
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
  // The first answer, kept across StrictMode's second effect run so the link is opened once.
  const link = useRef<string | null>();
  const loading = useRef<Promise<ActivationView>>();

  useEffect(() => {
    let active = true;
    if (!loading.current) {
      if (link.current === undefined) link.current = takeLink();
      loading.current = link.current ? api.openSession(link.current) : api.describe();
    }
    loading.current.then(
      (answer) => {
        if (!active) return;
        // Opened: from now on the session cookie stands for the link.
        link.current = null;
        setView(answer);
        setNotice(answer.notice);
        setLoadError(undefined);
      },
      (error: unknown) => {
        if (active) setLoadError(error);
      },
    );
    return () => {
      active = false;
    };
  }, [api, takeLink, attempt]);

  // A link pasted into this tab's address bar changes only the fragment: no new page load.
  useEffect(() => {
    const onHashChange = () => {
      const next = takeLink();
      if (!next) return;
      link.current = next;
      loading.current = undefined;
      setView(undefined);
      setLoadError(undefined);
      setSwitchError(undefined);
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

  const styles = useStyles();

  if (loadError !== undefined && (isSessionLost(loadError) || !view)) {
    return (
      <PageShell>
        <StoppedPage
          error={loadError}
          onRetry={
            isSessionLost(loadError)
              ? undefined
              : () => {
                  loading.current = undefined;
                  setLoadError(undefined);
                  setAttempt((n) => n + 1);
                }
          }
        />
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

  const partner = view.partner.name;
  const admin = view.signedIn?.isAdmin ? view.signedIn : null;
  const go = (where: 'sign-in' | 'consent') => {
    setLeaving(where);
    navigate(where === 'sign-in' ? signInUrl : consentUrl);
  };
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
      if (isSessionLost(error)) setLoadError(error);
      else setSwitchError(error);
    } finally {
      setSaving(null);
    }
  };

  return (
    <PageShell>
      <header className={styles.intro}>
        <h1 className={styles.heading}>Allow {partner} to co-manage your Microsoft Teams phone service</h1>
        <Text as="p">
          {partner} provides the Microsoft Teams phone service of <strong>{view.customer.name}</strong> (Microsoft 365
          tenant <strong>{view.customer.tenantName}</strong>). An administrator of {view.customer.tenantName} can let{' '}
          {partner} manage it in three steps, and switch it off again at any time.
        </Text>
      </header>

      {notice && (
        <MessageBar intent={notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}>
          <MessageBarBody>{notice.message}</MessageBarBody>
          <MessageBarActions>
            <Button appearance="transparent" onClick={() => setNotice(null)}>
              Dismiss
            </Button>
          </MessageBarActions>
        </MessageBar>
      )}

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
          <Text as="p">
            Sign in with an administrator account of {view.customer.tenantName}: a Global Administrator or a Teams
            Administrator.
          </Text>
          {view.signedIn && (
            <Text as="p">
              Signed in as <strong>{personOf(view.signedIn)}</strong>
              {!view.signedIn.isAdmin && ', who is not an administrator. Sign in with an administrator account.'}
            </Text>
          )}
          <div className={styles.actions}>
            <Button
              appearance={admin ? 'secondary' : 'primary'}
              disabled={leaving !== null}
              icon={leaving === 'sign-in' ? <Spinner size="tiny" /> : undefined}
              onClick={() => go('sign-in')}
            >
              {view.signedIn ? 'Sign in with another account' : 'Sign in with Microsoft'}
            </Button>
          </div>
        </Step>

        <Step number={2} title="Grant consent" done={view.consent !== null}>
          <Text as="p">
            On Microsoft&apos;s page, allow the portal&apos;s app to use the permissions co-management needs in{' '}
            {view.customer.tenantName}.
          </Text>
          {view.consent ? (
            <Text as="p">
              Consent granted by <strong>{view.consent.grantedBy}</strong> on {formatDateTime(view.consent.grantedAt)}.
            </Text>
          ) : (
            <Text as="p" className={styles.muted}>
              Consent has not been granted yet.
            </Text>
          )}
          <div className={styles.actions}>
            <Button
              appearance={admin && !view.consent ? 'primary' : 'secondary'}
              disabled={!admin || leaving !== null}
              icon={leaving === 'consent' ? <Spinner size="tiny" /> : undefined}
              onClick={() => go('consent')}
            >
              {view.consent ? 'Grant consent again' : 'Grant consent'}
            </Button>
            {!admin && <Text className={styles.muted}>Sign in first (step 1).</Text>}
          </div>
        </Step>

        <Step number={3} title="Allow co-management" done={view.canManage}>
          <Text as="p">
            While this is on, {partner} can do what is listed above. You can switch it off at any time: {partner} then
            loses access at once.
          </Text>
          <div className={styles.row}>
            <Switch
              label={SWITCH_LABEL}
              checked={view.canManage}
              disabled={!admin}
              aria-busy={saving !== null}
              onChange={(_, data) => void changeAllowed(data.checked)}
            />
            {saving !== null && <Spinner size="tiny" label={saving ? 'Switching on…' : 'Switching off…'} />}
          </div>
          <Text as="p" className={view.changedAt ? undefined : styles.muted}>
            {lastChangeOf(view)}
          </Text>
          {!admin && <Text className={styles.muted}>Sign in first (step 1).</Text>}
          {admin && !view.consent && !view.canManage && (
            <Text className={styles.muted}>Grant consent first (step 2).</Text>
          )}
          {switchError !== undefined && <ErrorBar error={switchError} />}
        </Step>
      </ol>
    </PageShell>
  );
}

function PageShell({ children }: { children: ReactNode }) {
  const styles = useStyles();
  return (
    <main className={styles.root}>
      <div className={styles.column}>{children}</div>
    </main>
  );
}

function Step({ number, title, done, children }: { number: number; title: string; done: boolean; children: ReactNode }) {
  const styles = useStyles();
  const id = `step-${number}`;
  return (
    <li>
      <Card className={styles.card} aria-labelledby={id}>
        <div className={styles.stepHeader}>
          <h2 id={id} className={`${styles.subheading} ${styles.stepTitle}`}>
            <span className={done ? `${styles.number} ${styles.numberDone}` : styles.number}>{number}</span>
            <span>{title}</span>
          </h2>
          {done && (
            <Badge appearance="tint" color="success">
              Done
            </Badge>
          )}
        </div>
        {children}
      </Card>
    </li>
  );
}

/** The whole page stops: the link is not valid (any more), or the session has ended. */
function StoppedPage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const styles = useStyles();
  if (!isSessionLost(error)) {
    return (
      <>
        <h1 className={styles.heading}>This page could not be loaded</h1>
        <ErrorBar error={error} onRetry={onRetry} />
      </>
    );
  }
  const ended = error instanceof ApiError && error.status === 401;
  return (
    <>
      <h1 className={styles.heading}>{ended ? 'Your session on this page has ended' : 'This activation link is not valid'}</h1>
      <MessageBar intent="warning" role="alert">
        <MessageBarBody>{(error as ApiError).message}</MessageBarBody>
      </MessageBar>
      <Text as="p">
        {ended
          ? 'For your security, this page only works for a while after you open the link your provider sent you. Open that link again to continue where you left off.'
          : 'Activation links stop working after some days, or when your provider sends a newer one. Ask your provider to send you a new link.'}
      </Text>
    </>
  );
}

function personOf(person: { name: string | null; upn: string | null }): string {
  if (person.name && person.upn) return `${person.name} (${person.upn})`;
  return person.name ?? person.upn ?? 'an unnamed account';
}

function lastChangeOf(view: ActivationView): string {
  if (!view.changedAt) return 'Co-management has not been switched on yet.';
  const who = view.changedBy ? ` by ${view.changedBy}` : '';
  return `Switched ${view.canManage ? 'on' : 'off'}${who} on ${formatDateTime(view.changedAt)}.`;
}
