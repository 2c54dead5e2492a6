/**
 * /activate.html: the page a partner's activation link opens, in the
 * customer's browser (not in Teams). Its own Vite entry, so it loads neither
 * teams-js nor msal-browser.
 */
import { FluentProvider, tokens } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ActivationClient } from '../api/activation-api';
import { ActivationPage } from './ActivationPage';
import { usePreferredTheme } from './color-scheme';

const api = new ActivationClient();

function ActivationApp() {
  const theme = usePreferredTheme();
  return (
    <FluentProvider theme={theme} style={{ minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 }}>
      <ActivationPage api={api} />
    </FluentProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ActivationApp />
  </StrictMode>,
);
