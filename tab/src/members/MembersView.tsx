import { DefaultScheduleSection } from '../schedules/DefaultScheduleSection';
import {
  Button,
  Field,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle1,
  Subtitle2,
  Text,
  Toolbar,
  makeStyles,
  tokens,
  useId,
  useRestoreFocusTarget,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { PartnerSettingsView, PortalApi } from '../api/portal-api';
import { useAccess } from '../app/access';
import { DataTable } from '../shared/DataTable';
import { ErrorBar } from '../shared/ErrorBar';
import { formatDateTime, plural } from '../shared/format';
import { NoticeBar } from '../shared/NoticeBar';
import { useApiQuery } from '../shared/use-api-query';
import { useFocusOnMount } from '../shared/use-focus-on-mount';
import { MemberRoleDialog } from './MemberRoleDialog';
import { grantedByText, memberLabel, memberRoleText, NEW_MEMBERS_TEXT } from './member-texts';
import { RemoveMemberDialog } from './RemoveMemberDialog';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', justifyContent: 'space-between', gap: tokens.spacingHorizontalM },
  heading: { margin: 0 },
  rule: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, marginTop: tokens.spacingVerticalL },
  oid: { fontFamily: tokens.fontFamilyMonospace, overflowWrap: 'anywhere' },
});

export interface MembersViewProps {
  api: PortalApi;
  /** A member's role changed or a member left: the caller's own may have, so the tab reads it again. */
  onChanged?(): void;
}

/** Members (Admin only): who may do what, who granted it and when, and the rule for new members. */
export function MembersView({ api, onChanged }: MembersViewProps) {
  const styles = useStyles();
  const headingId = useId('members-heading-');
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const restoreFocus = useRestoreFocusTarget();
  const { me } = useAccess();
  const [selectedOid, setSelectedOid] = useState<string>();
  const [dialog, setDialog] = useState<'add' | 'role' | 'remove'>();
  const [notice, setNotice] = useState<string>();

  const members = useApiQuery(() => api.listMembers(), [api]);
  const settings = useApiQuery(() => api.getSettings(), [api]);
  const items = members.data?.items ?? [];
  const selected = items.find((m) => m.oid === selectedOid);

  const changed = (text: string) => {
    setDialog(undefined);
    setNotice(text);
    members.reload();
    onChanged?.();
  };

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <div className={styles.header}>
        <h2 id={headingId} className={styles.heading} ref={headingRef} tabIndex={-1}>
          <Subtitle1>
            Members{me ? ` of ${me.partner.name}` : ''}
            {members.data && ` (${plural(items.length, 'member')})`}
          </Subtitle1>
        </h2>
        <Toolbar aria-label="Member actions">
          <Button onClick={members.reload}>Refresh</Button>
          <Button
            appearance="primary"
            {...restoreFocus}
            onClick={() => {
              setNotice(undefined);
              setDialog('add');
            }}
          >
            Add member
          </Button>
          <Button {...restoreFocus} disabled={!selected} onClick={() => setDialog('role')}>
            Change role
          </Button>
          <Button {...restoreFocus} disabled={!selected} onClick={() => setDialog('remove')}>
            Remove
          </Button>
        </Toolbar>
      </div>

      {notice && <NoticeBar notice={{ intent: "success", text: notice }} />}
      {members.error !== undefined && <ErrorBar error={members.error} onRetry={members.reload} />}
      {members.loading && !members.data && <Spinner size="tiny" label="Loading the members" />}
      {items.length > 0 && (
        <DataTable
          labelledBy={headingId}
          autoLayout
          arrowKeys
          columns={['Name', { title: 'Object ID', cellClassName: styles.oid }, 'Role', 'Granted by', 'When']}
          items={items}
          rowKey={(member) => member.oid}
          selection={{
            type: 'radio',
            isSelected: (member) => member.oid === selectedOid,
            label: (member) => `Select ${memberLabel(member)}`,
          }}
          // A click on the row or its radio (mouse, or Space on the focused radio) selects it.
          rowProps={(member) => ({ onClick: () => setSelectedOid(member.oid) })}
          cells={(member) => [
            <>
              {member.name ?? <em>(not signed in yet)</em>}
              {member.oid === me?.oid && ' (you)'}
            </>,
            member.oid,
            memberRoleText(member),
            grantedByText(member),
            formatDateTime(member.grantedAt),
          ]}
        />
      )}

      <NewMembersRule api={api} settings={settings} />
      <DefaultScheduleSection api={api} />

      <MemberRoleDialog
        api={api}
        open={dialog === 'add'}
        onCancel={() => setDialog(undefined)}
        onSaved={(member) => {
          setSelectedOid(member.oid);
          changed(`${memberLabel(member)} is now ${memberRoleText(member)}.`);
        }}
      />
      <MemberRoleDialog
        api={api}
        member={selected}
        open={dialog === 'role' && selected !== undefined}
        onCancel={() => setDialog(undefined)}
        onSaved={(member) => changed(`${memberLabel(member)} is now ${memberRoleText(member)}, from their next request.`)}
      />
      <RemoveMemberDialog
        api={api}
        member={selected}
        newMembers={settings.data?.newMembers}
        open={dialog === 'remove' && selected !== undefined}
        onCancel={() => setDialog(undefined)}
        onRemoved={(member) => {
          setSelectedOid(undefined);
          changed(`${memberLabel(member)} is no longer a member.`);
        }}
      />
    </section>
  );
}

/** The rule for a user of the tenant signing in for the first time; saved as soon as it is picked. */
function NewMembersRule({ api, settings }: { api: PortalApi; settings: ReturnType<typeof useApiQuery<PartnerSettingsView>> }) {
  const styles = useStyles();
  const labelId = useId('new-members-');
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState(false);

  const choose = (newMembers: PartnerSettingsView['newMembers']) => {
    setSaving(true);
    setFailure(undefined);
    setSaved(false);
    api.updateSettings({ newMembers }).then(
      (answer) => {
        settings.setData(answer);
        setSaving(false);
        setSaved(true);
      },
      (error: unknown) => {
        setSaving(false);
        setFailure(error);
      },
    );
  };

  return (
    <div className={styles.rule}>
      <Subtitle2 id={labelId} as="h3">
        New members
      </Subtitle2>
      {settings.error !== undefined && <ErrorBar error={settings.error} onRetry={settings.reload} />}
      {settings.data && (
        <Field label="When someone of your tenant signs in for the first time">
          <RadioGroup
            aria-labelledby={labelId}
            value={settings.data.newMembers}
            disabled={saving}
            onChange={(_, data) => choose(data.value as PartnerSettingsView['newMembers'])}
          >
            <Radio value="viewer" label={NEW_MEMBERS_TEXT.viewer} />
            <Radio value="none" label={NEW_MEMBERS_TEXT.none} />
          </RadioGroup>
        </Field>
      )}
      {saving && <Spinner size="tiny" label="Saving the rule" />}
      {saved && <Text role="status">Saved: the rule applies to the next first sign-in.</Text>}
      {failure !== undefined && <ErrorBar error={failure} />}
    </div>
  );
}
