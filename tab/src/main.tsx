import { Button, FluentProvider, MessageBar, MessageBarBody, teamsLightTheme } from '@fluentui/react-components';
import { StrictMode, Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { PortalApi, publicApi, type ClientConfig, type LocalSignIn, type TokenSource } from './api/portal-api';
import { App } from './app/App';
import { connectHost, type Host } from './app/teams-host';
import { fluentThemeOf } from './app/theme';
import { DevTokenSource } from './auth/dev-token-source';
import { ConsentRequiredError, TeamsTokenSource } from './auth/teams-token-source';
import { ErrorBar } from './shared/ErrorBar';

// Local mode only: a chunk of its own, so the tab in Teams never loads it.
const DevSignIn = lazy(() => import('./sign-in/DevSignIn').then((module) => ({ default: module.DevSignIn })));

/** Decides how the user signs in: Teams SSO inside Teams, the dev sign-in locally. */
function Portal({ host, config }: { host: Host; config: ClientConfig }) {
  const [devUser, setDevUser] = useState<LocalSignIn | undefined>(() => DevTokenSource.remembered());
  const [consentNeeded, setConsentNeeded] = useState(false);
  const [consentError, setConsentError] = useState<unknown>();
  const teams = useMemo(
    () =>
      host.inTeams && !config.localMode && config.entraClientId
        ? new TeamsTokenSource(config.entraClientId, new URL('/auth-start.html', window.location.origin).href)
        : undefined,
    [host, config],
  );
  const tokens: TokenSource | undefined = useMemo(() => {
    if (teams) {
      return {
        getToken: () =>
          teams.getToken().catch((error: unknown) => {
            if (error instanceof ConsentRequiredError) setConsentNeeded(true);
            throw error;
          }),
      };
    }
    return config.localMode && devUser ? new DevTokenSource(devUser) : undefined;
  }, [teams, config, devUser]);
  const api = useMemo(() => (tokens ? new PortalApi(tokens) : undefined), [tokens]);

  if (teams && consentNeeded) {
    return (
      <FluentProvider theme={fluentThemeOf(host.theme)}>
        <MessageBar intent="warning">
          <MessageBarBody>Sign in to let the portal act for you.</MessageBarBody>
        </MessageBar>
        {consentError !== undefined && <ErrorBar error={consentError} />}
        <Button
          appearance="primary"
          onClick={() =>
            void teams.login().then(
              () => setConsentNeeded(false),
              (error: unknown) => setConsentError(error),
            )
          }
        >
          Sign in
        </Button>
      </FluentProvider>
    );
  }
  if (api) {
    const signOut = () => {
      DevTokenSource.remember(undefined);
      setDevUser(undefined);
    };
    return <App api={api} host={host} {...(teams ? {} : { onSignOut: signOut })} />;
  }
  if (config.localMode) {
    return (
      <FluentProvider theme={fluentThemeOf(host.theme)}>
        <Suspense fallback={null}>
          <DevSignIn
            onSignedIn={(who) => {
              DevTokenSource.remember(who);
              setDevUser(who);
            }}
          />
        </Suspense>
      </FluentProvider>
    );
  }
  return (
    <FluentProvider theme={fluentThemeOf(host.theme)}>
      <MessageBar intent="info">
        <MessageBarBody>Open the Partner Portal from Microsoft Teams to sign in.</MessageBarBody>
      </MessageBar>
    </FluentProvider>
  );
}

function Startup() {
  const [state, setState] = useState<{ host: Host; config: ClientConfig } | { error: unknown }>();
  useEffect(() => {
    Promise.all([connectHost(), publicApi.clientConfig()])
      .then(([host, config]) => setState({ host, config }))
      .catch((error: unknown) => setState({ error }));
  }, []);
  if (!state) return null;
  if ('error' in state) {
    return (
      <FluentProvider theme={teamsLightTheme}>
        <ErrorBar error={state.error} onRetry={() => window.location.reload()} />
      </FluentProvider>
    );
  }
  return <Portal host={state.host} config={state.config} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Startup />
  </StrictMode>,
);
