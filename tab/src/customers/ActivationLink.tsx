import { Button, Field, Input, Spinner, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { ActivationLink as Link, PortalApi } from '../api/portal-api';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime } from '../shared/format';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  field: { width: '100%', maxWidth: '720px' },
  input: { flexGrow: 1 },
});

type Copy = 'copied' | 'selected';

/**
 * Send activation link: a new link for the customer's Microsoft 365
 * administrator to allow co-management, shown with Copy and its expiry.
 * Only the newest link works.
 */
export function ActivationLink({ api, customerId, label }: { api: PortalApi; customerId: string; label: string }) {
  const styles = useStyles();
  const [link, setLink] = useState<Link>();
  const [failure, setFailure] = useState<unknown>();
  const [creating, setCreating] = useState(false);
  const [copy, setCopy] = useState<Copy>();
  const inputRef = useRef<HTMLInputElement>(null);
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );

  const create = async () => {
    if (creating) return;
    setCreating(true);
    setFailure(undefined);
    setCopy(undefined);
    try {
      const created = await api.createActivationLink(customerId);
      if (!mounted.current) return;
      setLink(created);
    } catch (error) {
      if (mounted.current) setFailure(error);
    } finally {
      if (mounted.current) setCreating(false);
    }
  };

  const selectLink = () => {
    inputRef.current?.focus();
    inputRef.current?.select();
  };

  const copyLink = async () => {
    if (!link) return;
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(link.url);
      if (mounted.current) setCopy('copied');
    } catch {
      // Teams and some browsers refuse the clipboard: select the link for Ctrl+C instead.
      if (!mounted.current) return;
      selectLink();
      setCopy('selected');
    }
  };

  return (
    <div className={styles.root}>
      <Text>
        Send this link to the customer&apos;s Microsoft 365 administrator. Creating a new link makes older links stop
        working.
      </Text>
      <Button onClick={create} disabled={creating}>
        {link ? 'Create a new activation link' : 'Send activation link'}
      </Button>
      {creating && <Spinner size="tiny" label="Creating the link" />}
      {failure !== undefined && <ErrorBar error={failure} onRetry={create} />}
      {link && (
        <>
          <Field label={`Activation link for ${label}`} hint={`Works until ${formatDateTime(link.expiresAt)}.`} className={styles.field}>
            {(fieldProps) => (
              <div className={styles.row}>
                <Input
                  {...fieldProps}
                  className={styles.input}
                  readOnly
                  value={link.url}
                  input={{ ref: inputRef }}
                  onFocus={(event) => event.target.select()}
                />
                <Button appearance="primary" onClick={copyLink}>
                  {copy === 'copied' ? 'Copied' : 'Copy'}
                </Button>
              </div>
            )}
          </Field>
          <Text role="status">
            {copy === 'copied'
              ? 'The link is copied.'
              : copy === 'selected'
                ? 'The clipboard is not available here: the link is selected, press Ctrl+C (or ⌘C) to copy it.'
                : ''}
          </Text>
        </>
      )}
    </div>
  );
}
