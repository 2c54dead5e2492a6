/** What Microsoft sends the browser back with, from sign-in or admin consent. */
export interface MicrosoftAnswer {
  code?: string;
  state?: string;
  error?: string;
  errorDescription?: string;
  adminConsent?: string;
  tenant?: string;
}

export function signedInUri(origin: string): string {
  return `${origin}/api/v1/activation/signed-in`;
}

export function consentedUri(origin: string): string {
  return `${origin}/api/v1/activation/consented`;
}

/** Why Microsoft did not go on, in one line without its final full stop. */
export function microsoftReason(answer: MicrosoftAnswer): string | undefined {
  const text = answer.errorDescription?.split(/\r?\n/)[0] ?? answer.error;
  return text?.replace(/\.$/, '');
}
