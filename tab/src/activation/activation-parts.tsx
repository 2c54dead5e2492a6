import { Badge, Button, Card, MessageBar, MessageBarActions, MessageBarBody, Spinner, Text } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { ApiError, isSessionEnded, type ActivationView } from '../api/activation-api';
import { formatDateTime } from '../shared/format';
import { useActivationStyles } from './activation-styles';

/** What the page tells the administrator once, after coming back from Microsoft. */
export type Notice = NonNullable<ActivationView['notice']>;

/** Why the whole page stops: only a new start helps. */
export type Stop = { reason: 'ended' | 'link' | 'gone'; error: ApiError };

export function PageShell({ children }: { children: ReactNode }) {
  const styles = useActivationStyles();
  return (
    <main className={styles.root}>
      <div className={styles.column}>{children}</div>
    </main>
  );
}

export function Step({ number, title, done, children }: { number: number; title: string; done: boolean; children: ReactNode }) {
  const styles = useActivationStyles();
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

/** The error stops the whole page (see `Stop`), or is shown where it happened (undefined). */
export function stopOf(error: unknown, onNotFound: 'link' | 'gone' | null): Stop | undefined {
  if (!(error instanceof ApiError)) return undefined;
  if (isSessionEnded(error)) return { reason: 'ended', error };
  if (error.status === 404 && onNotFound) return { reason: onNotFound, error };
  return undefined;
}

export function NoticeBar({ notice, onDismiss }: { notice: Notice; onDismiss: () => void }) {
  return (
    <MessageBar intent={notice.kind} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <MessageBarBody>{notice.message}</MessageBarBody>
      <MessageBarActions>
        <Button appearance="transparent" onClick={onDismiss}>
          Dismiss
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

export const STOPPED: Record<Stop['reason'], { title: string; text: string; action: string }> = {
  ended: {
    title: 'Your session on this page has ended',
    text:
      'For your security, this page only works for a while. Start again and sign in with Microsoft to switch co-management on or off. ' +
      'To continue setting co-management up, open the link your provider sent you again.',
    action: 'Start again',
  },
  link: {
    title: 'This activation link is not valid',
    text:
      'Activation links stop working after some days, or when your provider sends a newer one. To set co-management up, ask your provider to send you a new link. ' +
      'Where co-management is already set up, you can switch it on or off without a link: sign in as an administrator of your organisation and pick the service.',
    action: 'Sign in to manage your services',
  },
  gone: {
    title: 'This service is not available',
    text: 'Start again to see the services of your organisation that have co-management set up.',
    action: 'Start again',
  },
};

/** The whole page stops: the link is not valid (any more), the session has ended or the service is gone. */
export function StoppedPage({ stop, onStartAgain }: { stop: Stop; onStartAgain: () => void }) {
  const styles = useActivationStyles();
  const { title, text, action } = STOPPED[stop.reason];
  return (
    <>
      <h1 className={styles.heading}>{title}</h1>
      <MessageBar intent="warning" role="alert">
        <MessageBarBody>{stop.error.message}</MessageBarBody>
      </MessageBar>
      <Text as="p">{text}</Text>
      <div className={styles.actions}>
        <Button appearance="primary" onClick={onStartAgain}>
          {action}
        </Button>
      </div>
    </>
  );
}

/** Who must sign in, who is signed in, and the button: the same with or without a link. */
export function SignIn({
  organisation,
  signedIn,
  primary,
  leaving,
  onSignIn,
  actionsClassName,
}: {
  organisation: string;
  signedIn: ActivationView['signedIn'];
  primary: boolean;
  leaving: string | null;
  onSignIn(): void;
  actionsClassName: string;
}) {
  return (
    <>
      <Text as="p">
        Sign in with an administrator account of {organisation}: a Global Administrator or a Teams Administrator.
      </Text>
      {signedIn && (
        <Text as="p">
          Signed in as <strong>{personOf(signedIn)}</strong>
          {!signedIn.isAdmin && ', who is not an administrator. Sign in with an administrator account.'}
        </Text>
      )}
      <div className={actionsClassName}>
        <Button
          appearance={primary ? 'primary' : 'secondary'}
          disabled={leaving !== null}
          icon={leaving === 'sign-in' ? <Spinner size="tiny" /> : undefined}
          onClick={onSignIn}
        >
          {signedIn ? 'Sign in with another account' : 'Sign in with Microsoft'}
        </Button>
      </div>
    </>
  );
}

export function personOf(person: { name: string | null; upn: string | null }): string {
  if (person.name && person.upn) return `${person.name} (${person.upn})`;
  return person.name ?? person.upn ?? 'an unnamed account';
}

export function lastChangeOf(view: ActivationView): string {
  if (!view.changedAt) return 'Co-management has not been switched on yet.';
  const who = view.changedBy ? ` by ${view.changedBy}` : '';
  return `Switched ${view.canManage ? 'on' : 'off'}${who} on ${formatDateTime(view.changedAt)}.`;
}

