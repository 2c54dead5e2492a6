
export interface PageAccount {
  id: string;
  name: string;
  upn: string;
  admin: boolean;
  /** The account's organisation, shown under its name. */
  organisation?: string;
}

/** The simulator's stand-in for Microsoft's "Pick an account" page. */
export function signInPage(action: string, params: URLSearchParams, accounts: PageAccount[]): string {
  const buttons = accounts
    .map(
      (a) =>
        `<li><button type="submit" name="account" value="${escapeHtml(a.id)}"><strong>${escapeHtml(a.name)}</strong><br><span>${escapeHtml(a.upn)}</span><br><span class="note">${escapeHtml(a.organisation ?? '')}${a.admin ? ' · administrator' : ''}</span></button></li>`,
    )
    .join('');
  return page(
    'Sign in to your account',
    `<form method="post" action="${escapeHtml(action)}">${hidden(params)}
      <h1>Pick an account</h1>
      <p class="note">Simulated Microsoft sign-in (local run): no password is asked.</p>
      <ul>${buttons}</ul>
      <button type="submit" name="cancel" value="1" class="secondary">Cancel</button>
    </form>`,
  );
}

/** The simulator's stand-in for Microsoft's admin-consent page. */
export function adminConsentPage(action: string, params: URLSearchParams, tenantName: string, admins: PageAccount[]): string {
  const options = admins.map((a) => `<option value="${escapeHtml(a.id)}">${escapeHtml(a.name)} (${escapeHtml(a.upn)})</option>`).join('');
  return page(
    'Permissions requested',
    `<form method="post" action="${escapeHtml(action)}">${hidden(params)}
      <h1>Permissions requested</h1>
      <p>Accept for your organisation: <strong>${escapeHtml(tenantName)}</strong></p>
      <p class="note">Simulated Microsoft admin consent (local run).</p>
      <p>This app would like to:</p>
      <ul class="plain">
        <li>Read all users' full profiles</li>
        <li>Read Teams user configurations</li>
        <li>Read and modify tenant-acquired telephone number details</li>
        <li>Assign Teams policies to users</li>
      </ul>
      <label>Signed in as <select name="account">${options}</select></label>
      <p><button type="submit" name="accept" value="1">Accept</button>
      <button type="submit" name="cancel" value="1" class="secondary">Cancel</button></p>
    </form>`,
  );
}

function hidden(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([key]) => !['account', 'cancel', 'accept'].includes(key))
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('');
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:"Segoe UI",system-ui,sans-serif;background:#f2f2f2;margin:0;display:flex;justify-content:center;padding-top:8vh}
form{background:#fff;color:#1b1b1b;padding:32px 40px;width:440px;box-shadow:0 2px 6px rgba(0,0,0,.2);margin-bottom:8vh}
h1{font-size:24px;font-weight:600;margin:0 0 12px}
ul{list-style:none;padding:0}ul.plain{list-style:disc;padding-left:20px}
li button{width:100%;text-align:left;padding:8px 10px;margin:4px 0;background:#fff;color:#1b1b1b;border:1px solid #ccc;cursor:pointer;font:inherit}
li button:hover,li button:focus{background:#e6f2fb}
button{background:#0067b8;color:#fff;border:0;padding:8px 20px;font:inherit;cursor:pointer}
button.secondary{background:#ccc;color:#000}
.note{color:#605e5c;font-size:13px}
select{font:inherit;margin-left:4px}
</style></head><body>${body}</body></html>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
