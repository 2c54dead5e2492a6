/** The browser session cookie of the activation page, and the page itself. */
export const ACTIVATION_COOKIE = 'pp_activation';
export const ACTIVATION_PAGE = '/activate.html';
