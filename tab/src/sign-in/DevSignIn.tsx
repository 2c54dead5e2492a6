import { Button, Card, CardHeader, Field, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import { publicApi } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';

const useStyles = makeStyles({
  root: { display: 'flex', justifyContent: 'center', paddingTop: '10vh' },
  card: { width: '420px', padding: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

export interface DevSignInProps {
  onSignedIn(partner: { tenantId: string; name: string }): void;
  baseUrl?: string;
}

/** Local mode only: pick the partner to act as (no Microsoft sign-in here). */
export function DevSignIn({ onSignedIn, baseUrl = '' }: DevSignInProps) {
  const styles = useStyles();
  const [partners, setPartners] = useState<{ tenantId: string; name: string }[]>();
  const [tenantId, setTenantId] = useState('');
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    publicApi
      .devPartners(baseUrl)
      .then((items) => {
        setPartners(items);
        setTenantId((current) => current || items[0]?.tenantId || '');
        setError(undefined);
      })
      .catch(setError);
  }, [baseUrl, attempt]);

  const partner = partners?.find((p) => p.tenantId === tenantId);
  return (
    <div className={styles.root}>
      <Card className={styles.card}>
        <CardHeader header={<Text weight="semibold" size={500}>Partner Portal: local sign-in</Text>} />
        <Text>
          This is the local development sign-in. In Microsoft Teams you are signed in with your work account.
        </Text>
        {error !== undefined && <ErrorBar error={error} onRetry={() => setAttempt((n) => n + 1)} />}
        {!partners && error === undefined && <Spinner size="tiny" label="Loading partners" />}
        {partners && (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (partner) onSignedIn(partner);
            }}
          >
            <Field label="Partner">
              <Select value={tenantId} onChange={(_, data) => setTenantId(data.value)}>
                {partners.map((p) => (
                  <option key={p.tenantId} value={p.tenantId}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Button appearance="primary" type="submit" disabled={!partner} style={{ marginTop: tokens.spacingVerticalM }}>
              Sign in
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}
