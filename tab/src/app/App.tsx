import { FluentProvider, Tab, TabList, Text, makeStyles, tokens, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { CustomerView, PortalApi } from '../api/portal-api';
import { CustomerDetails } from '../customers/CustomerDetails';
import { CustomersView } from '../customers/CustomersView';
import { NumbersView } from '../numbers/NumbersView';
import type { Host } from './teams-host';
import { fluentThemeOf } from './theme';

const useStyles = makeStyles({
  root: { display: 'flex', minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground1 },
  menu: {
    width: '200px',
    flexShrink: 0,
    paddingTop: tokens.spacingVerticalL,
    borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  main: { flexGrow: 1, padding: tokens.spacingHorizontalXL, minWidth: 0 },
  partner: { display: 'block', padding: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalM}` },
});

type Screen =
  | { name: 'customers' }
  | { name: 'details'; customer: CustomerView }
  | { name: 'numbers'; customer: CustomerView };

export interface AppProps {
  api: PortalApi;
  host: Host;
  /** Who is signed in, shown above the menu. */
  partnerLabel?: string;
}

/** The partner portal: the left-hand menu and the view it shows. */
export function App({ api, host, partnerLabel }: AppProps) {
  const styles = useStyles();
  const [theme, setTheme] = useState(host.theme);
  const [screen, setScreen] = useState<Screen>({ name: 'customers' });
  const [notice, setNotice] = useState<string>();
  useEffect(() => host.onThemeChange(setTheme), [host]);
  const backToCustomers = () => setScreen({ name: 'customers' });

  return (
    <FluentProvider theme={fluentThemeOf(theme)} className={styles.root}>
      <nav className={styles.menu} aria-label="Portal menu">
        {partnerLabel && (
          <Text className={styles.partner} size={200}>
            {partnerLabel}
          </Text>
        )}
        <TabList vertical selectedValue="customers" onTabSelect={backToCustomers}>
          <Tab value="customers">Customers</Tab>
        </TabList>
      </nav>
      <main className={styles.main}>
        {notice && (
          <MessageBar intent="info">
            <MessageBarBody>{notice}</MessageBarBody>
          </MessageBar>
        )}
        {/* Kept mounted while a customer's page is open, so its page, search and selection survive. */}
        <div hidden={screen.name !== 'customers'}>
          <CustomersView
            api={api}
            onOpenDetails={(customer) => setScreen({ name: 'details', customer })}
            onOpenNumbers={(customer) => setScreen({ name: 'numbers', customer })}
            onManage={(customer) =>
              setNotice(
                `${customer.name ?? customer.accountId} allows co-management. Its Users and Phone Numbers tabs are not part of this version of the portal yet.`,
              )
            }
          />
        </div>
        {screen.name === 'details' && <CustomerDetails api={api} customerId={screen.customer.id} onClose={backToCustomers} />}
        {screen.name === 'numbers' && <NumbersView api={api} customer={screen.customer} onClose={backToCustomers} />}
      </main>
    </FluentProvider>
  );
}
