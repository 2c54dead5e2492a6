import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ApiError } from '../api/portal-api';

/** What went wrong and what to do, with a retry when there is one. */
export function ErrorBar({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  return (
    <MessageBar intent="error" role="alert">
      <MessageBarBody>
        <MessageBarTitle>{titleOf(error)}</MessageBarTitle>
        {messageOf(error)}
      </MessageBarBody>
      {onRetry && (
        <MessageBarActions>
          <Button onClick={onRetry}>Try again</Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

/** Titles for the answers that name their own cause. */
const TITLE_BY_CODE: Record<string, string> = {
  co_management_off: 'Co-management is off',
  co_management_not_configured: 'Co-management is not set up',
  microsoft_consent_missing: 'Microsoft refused access',
  microsoft_error: 'Microsoft had a problem',
  role_required: 'Your role does not allow this',
  not_a_member: 'No access yet',
  last_admin: 'The partner needs an Admin',
};

function titleOf(error: unknown): string {
  if (error instanceof ApiError) {
    const byCode = TITLE_BY_CODE[error.code];
    if (byCode) return byCode;
    if (error.status === 0) return 'No connection';
    if (error.status === 401) return 'Signed out';
    if (error.status === 403) return 'Not allowed';
    if (error.status === 404) return 'Not found';
    if (error.status >= 500) return 'The portal had a problem';
  }
  return 'That did not work';
}
