import { FluentProvider, Link, Spinner, Tab, TabList, Text, makeStyles, tokens, useId } from '@fluentui/react-components';
import { Suspense, lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, type CustomerView, type PortalApi } from '../api/portal-api';
import { customerLabel } from '../co-management/co-management';
import { CustomerDetails } from '../customers/CustomerDetails';
import { CustomersView } from '../customers/CustomersView';
import { ErrorBar } from '../shared/ErrorBar';
import { roleText } from '../shared/labels';
import { useApiQuery } from '../shared/use-api-query';
import { AccessProvider, NO_ACCESS_YET, accessOf } from './access';
import type { Host } from './teams-host';
import { fluentThemeOf } from './theme';

// The first view is the customers list: the other views load as chunks of their own when opened.
const NumbersView = lazy(() => import('../numbers/NumbersView').then((module) => ({ default: module.NumbersView })));
const TeamsUsersView = lazy(() =>
  import('../co-management/TeamsUsersView').then((module) => ({ default: module.TeamsUsersView })),
);
const TeamsNumbersView = lazy(() =>
  import('../co-management/TeamsNumbersView').then((module) => ({ default: module.TeamsNumbersView })),
);
const JobsView = lazy(() => import('../jobs/JobsView').then((module) => ({ default: module.JobsView })));
const MembersView = lazy(() => import('../members/MembersView').then((module) => ({ default: module.MembersView })));

const useStyles = makeStyles({
  root: { display: 'flex', minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground1 },
  menu: {
    width: '200px',
    flexShrink: 0,
    paddingTop: tokens.spacingVerticalL,
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: { flexGrow: 1, padding: tokens.spacingHorizontalXL, minWidth: 0 },
  caller: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    padding: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalM}`,
    overflowWrap: 'anywhere',
  },
  signingIn: { padding: tokens.spacingHorizontalXL },
  group: {
    display: 'block',
    marginTop: tokens.spacingVerticalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS}`,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
});

type Screen =
  | { name: 'customers' }
  | { name: 'details'; customerId: string }
  | { name: 'numbers'; customer: CustomerView }
  | { name: 'teams-users' }
  | { name: 'teams-numbers' }
  | { name: 'members' }
  | { name: 'jobs' };

/** The customer whose Users and Phone Numbers tabs are in the menu (Manage). */
type Managed = {
  customer: CustomerView;
  numbersOpened: boolean;
  /** Times each tab was opened: a tab read again when it is shown again, so it is never stale. */
  visits: { users: number; numbers: number };
};

export interface AppProps {
  api: PortalApi;
  host: Host;
  /** Local mode: back to the sign-in, to act as someone else. */
  onSignOut?(): void;
  /** How often the Users tab reads pending assignments again (tests pass a short one). */
  operationPollMs?: number;
}

/** The partner portal: the left-hand menu and the view it shows. */
export function App({ api, host, onSignOut, operationPollMs }: AppProps) {
  const styles = useStyles();
  const groupId = useId('managed-customer-');
  const [theme, setTheme] = useState(host.theme);
  // A deep link (an alert's "Open in the portal") opens its customer's Details first.
  const [screen, setScreen] = useState<Screen>(() =>
    host.openCustomerId ? { name: 'details', customerId: host.openCustomerId } : { name: 'customers' },
  );
  const [managed, setManaged] = useState<Managed>();
  const [customersReload, setCustomersReload] = useState(0);
  useEffect(() => host.onThemeChange(setTheme), [host]);

  // Who the caller is decides which buttons show. The API refusing a call for the
  // role means the role changed since: read it again, so the buttons follow.
  const me = useApiQuery(() => api.me(), [api]);
  const reloadMe = me.reload;
  useEffect(() => api.onRoleRefused(reloadMe), [api, reloadMe]);
  // Until /me answers (read alongside the customers, not before them) no button that changes anything shows.
  const access = useMemo(() => (me.data ? accessOf(me.data) : NO_ACCESS_YET), [me.data]);
  const canSeeMembers = access.can('listMembers');
  useEffect(() => {
    if (me.data && !canSeeMembers) setScreen((current) => (current.name === 'members' ? { name: 'customers' } : current));
  }, [me.data, canSeeMembers]);

  const backToCustomers = () => setScreen({ name: 'customers' });

  // Manage: the customer's two tabs join the menu (replacing another customer's), Users first.
  const manage = (customer: CustomerView) => {
    setManaged((before) =>
      before?.customer.id === customer.id
        ? { ...before, visits: { ...before.visits, users: before.visits.users + 1 } }
        : { customer, numbersOpened: false, visits: { users: 0, numbers: 0 } },
    );
    setScreen({ name: 'teams-users' });
  };
  const closeManaged = () => {
    setManaged(undefined);
    setScreen({ name: 'customers' });
  };
  const openManagedTab = (value: unknown) => {
    if (value === 'teams-numbers') {
      setManaged(
        (before) =>
          before && {
            ...before,
            numbersOpened: true,
            visits: { ...before.visits, numbers: before.numbersOpened ? before.visits.numbers + 1 : 0 },
          },
      );
      setScreen({ name: 'teams-numbers' });
    } else {
      setManaged((before) => before && { ...before, visits: { ...before.visits, users: before.visits.users + 1 } });
      setScreen({ name: 'teams-users' });
    }
  };
  // The customer switched co-management off: read the customers again, so Manage turns off.
  const revoked = useCallback(() => setCustomersReload((n) => n + 1), []);

  // No answer from /me (it failed), or removed meanwhile while the partner admits no new members: nothing works.
  const refused = me.error instanceof ApiError && me.error.code === 'not_a_member';
  if ((!me.data && me.error !== undefined) || refused) {
    return (
      <FluentProvider theme={fluentThemeOf(theme)}>
        <div className={styles.signingIn}>
          <ErrorBar error={me.error} onRetry={me.reload} />
          {onSignOut && (
            <Link as="button" onClick={onSignOut}>
              Sign out
            </Link>
          )}
        </div>
      </FluentProvider>
    );
  }
  const caller = access.me;

  const onManagedTab = screen.name === 'teams-users' || screen.name === 'teams-numbers';
  const onPortalTab = screen.name === 'members' || screen.name === 'jobs' ? screen.name : 'customers';

  return (
    // The layout is on a div of its own: the provider's classes also go to every portal
    // (dialogs, the lists of a combobox), which must not become full-page flex boxes.
    <FluentProvider theme={fluentThemeOf(theme)}>
      <AccessProvider value={access}>
      <div className={styles.root}>
        <nav className={styles.menu} aria-label="Portal menu">
          <div className={styles.caller} role="group" aria-label="Signed in">
            {caller ? (
              <>
                <Text size={200} weight="semibold">
                  {caller.partner.name}
                </Text>
                <Text size={200}>
                  {`${caller.name ?? caller.oid} · ${roleText(caller.role)}${caller.globalAdministrator ? ' (Global Administrator)' : ''}`}
                </Text>
              </>
            ) : (
              <Spinner size="extra-tiny" label="Signing in…" />
            )}
            {onSignOut && (
              <Link as="button" onClick={onSignOut}>
                Sign out
              </Link>
            )}
          </div>
          <TabList
            vertical
            selectedValue={onManagedTab ? null : onPortalTab}
            onTabSelect={(_, data) =>
              data.value === 'members' || data.value === 'jobs' ? setScreen({ name: data.value } as Screen) : backToCustomers()
            }
          >
            <Tab value="customers">Customers</Tab>
            <Tab value="jobs">Jobs</Tab>
            {canSeeMembers && <Tab value="members">Members</Tab>}
          </TabList>
          {managed && (
            <>
              <Text id={groupId} className={styles.group} weight="semibold" size={200} title={customerLabel(managed.customer)}>
                {customerLabel(managed.customer)}
              </Text>
              <TabList
                vertical
                aria-labelledby={groupId}
                selectedValue={onManagedTab ? screen.name : null}
                onTabSelect={(_, data) => openManagedTab(data.value)}
              >
                <Tab value="teams-users">Users</Tab>
                <Tab value="teams-numbers">Phone Numbers</Tab>
              </TabList>
            </>
          )}
        </nav>
        <main className={styles.main}>
          {/* Kept mounted while a customer's page is open, so its page, search and selection survive. */}
          <div hidden={screen.name !== 'customers'}>
            <CustomersView
              api={api}
              reloadKey={customersReload}
              onOpenDetails={(customer) => setScreen({ name: 'details', customerId: customer.id })}
              onOpenNumbers={(customer) => setScreen({ name: 'numbers', customer })}
              onManage={manage}
            />
          </div>
          {screen.name === 'details' && <CustomerDetails api={api} customerId={screen.customerId} onClose={backToCustomers} />}
          <Suspense fallback={<Spinner label="Loading…" />}>
          {screen.name === 'numbers' && <NumbersView api={api} customer={screen.customer} onClose={backToCustomers} />}
          {screen.name === 'members' && <MembersView api={api} onChanged={reloadMe} />}
          {screen.name === 'jobs' && <JobsView api={api} />}
          {/* The managed customer's tabs stay mounted until closed, so their search, page and assignments survive. */}
          {managed && (
            <div key={managed.customer.id}>
              <div hidden={screen.name !== 'teams-users'}>
                <TeamsUsersView
                  api={api}
                  customer={managed.customer}
                  onClose={closeManaged}
                  onRevoked={revoked}
                  reloadKey={managed.visits.users}
                  {...(operationPollMs ? { pollMs: operationPollMs } : {})}
                />
              </div>
              {managed.numbersOpened && (
                <div hidden={screen.name !== 'teams-numbers'}>
                  <TeamsNumbersView
                    api={api}
                    customer={managed.customer}
                    onClose={closeManaged}
                    onRevoked={revoked}
                    reloadKey={managed.visits.numbers}
                  />
                </div>
              )}
            </div>
          )}
          </Suspense>
        </main>
      </div>
      </AccessProvider>
    </FluentProvider>
  );
}
