import { Button, Card, CardHeader, Checkbox, Field, Input, Select, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useState, type FormEvent } from 'react';
import { publicApi, type LocalPartner, type LocalSignIn } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { roleText } from '../shared/labels';

const useStyles = makeStyles({
  root: { display: 'flex', justifyContent: 'center', paddingTop: '10vh' },
  card: { width: '420px', padding: tokens.spacingHorizontalXL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
});

/** The "Sign in as" choice for a user the partner does not know yet (their first sign-in). */
const SOMEONE_NEW = '';

export interface DevSignInProps {
  onSignedIn(who: LocalSignIn): void;
  baseUrl?: string;
}

/** Local mode only: pick the partner and the member to act as (no Microsoft sign-in here). */
export function DevSignIn({ onSignedIn, baseUrl = '' }: DevSignInProps) {
  const styles = useStyles();
  const [partners, setPartners] = useState<LocalPartner[]>();
  const [tenantId, setTenantId] = useState('');
  const [oid, setOid] = useState<string>();
  const [newOid, setNewOid] = useState('');
  const [globalAdministrator, setGlobalAdministrator] = useState(false);
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
  const members = partner?.members ?? [];
  // An Admin first: the developer usually wants to see everything.
  const chosen = oid ?? members.find((m) => m.role === 'admin')?.oid ?? members[0]?.oid ?? SOMEONE_NEW;
  const member = members.find((m) => m.oid === chosen);
  const userId = chosen === SOMEONE_NEW ? newOid.trim() : chosen;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!partner || !userId) return;
    onSignedIn({
      tenantId: partner.tenantId,
      userId,
      name: member ? (member.name ?? member.oid) : `New user ${userId}`,
      ...(globalAdministrator ? { globalAdministrator } : {}),
    });
  };

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
          <form className={styles.form} onSubmit={submit}>
            <Field label="Partner">
              <Select
                value={tenantId}
                onChange={(_, data) => {
                  setTenantId(data.value);
                  setOid(undefined);
                }}
              >
                {partners.map((p) => (
                  <option key={p.tenantId} value={p.tenantId}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Sign in as">
              <Select value={chosen} onChange={(_, data) => setOid(data.value)}>
                {members.map((m) => (
                  <option key={m.oid} value={m.oid}>
                    {`${m.name ?? m.oid} (${roleText(m.role)})`}
                  </option>
                ))}
                <option value={SOMEONE_NEW}>Someone new (first sign-in)</option>
              </Select>
            </Field>
            {chosen === SOMEONE_NEW && (
              <Field label="Object ID of the new user" hint="Joins as the partner's rule for new members says.">
                <Input value={newOid} maxLength={100} onChange={(_, data) => setNewOid(data.value)} />
              </Field>
            )}
            <Checkbox
              label="Global Administrator of the tenant (Admin without being granted)"
              checked={globalAdministrator}
              onChange={(_, data) => setGlobalAdministrator(data.checked === true)}
            />
            <Button appearance="primary" type="submit" disabled={!partner || !userId}>
              Sign in
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}
