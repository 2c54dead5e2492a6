import { Button, Spinner, Switch, Text } from '@fluentui/react-components';
import type { ActivationView } from '../api/activation-api';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime } from '../shared/format';
import { lastChangeOf, Step } from './activation-parts';
import { useActivationStyles } from './activation-styles';

export const SWITCH_LABEL = 'Allow carrier to co-manage your service';

function partnerOf(view: ActivationView): string {
  return view.partner?.name ?? 'your provider';
}

/** Step 2: the administrator grants the portal's app its permissions on Microsoft's page. */
export function ConsentStep({ view, tenantName, admin, leaving, onConsent }: {
  view: ActivationView;
  tenantName: string;
  admin: boolean;
  leaving: 'sign-in' | 'consent' | null;
  onConsent: () => void;
}) {
  const styles = useActivationStyles();
  return (
    <Step number={2} title="Grant consent" done={view.consent !== null}>
      <Text as="p">
        On Microsoft&apos;s page, allow the portal&apos;s app to use the permissions co-management needs in{' '}
        {tenantName}.
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
          onClick={onConsent}
        >
          {view.consent ? 'Grant consent again' : 'Grant consent'}
        </Button>
        {!admin && <Text className={styles.muted}>Sign in first (step 1).</Text>}
      </div>
    </Step>
  );
}

/** Step 3: the switch that lets the partner co-manage, on or off at any time. */
export function SwitchStep({ view, admin, saving, error, onChange }: {
  view: ActivationView;
  admin: boolean;
  saving: boolean | null;
  error: unknown;
  onChange: (allowed: boolean) => void;
}) {
  const styles = useActivationStyles();
  return (
    <Step number={3} title="Allow co-management" done={view.canManage}>
      <Text as="p">
        While this is on, {partnerOf(view)} can do what is listed above. You can switch it off at any time: {partnerOf(view)} then
        loses access at once.
      </Text>
      <div className={styles.row}>
        <Switch
          label={SWITCH_LABEL}
          checked={view.canManage}
          disabled={!admin}
          aria-busy={saving !== null}
          onChange={(_, data) => onChange(data.checked)}
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
      {error !== undefined && <ErrorBar error={error} />}
    </Step>
  );
}
