import { loadSettings } from '../../../api/settings/settings';
import { assertSafeToServe, servingProblems } from '../../../api/settings/serving-rules';

const DEPLOYMENT = {
  MONGODB_URI: 'mongodb://db.example.test',
  ENTRA_CLIENT_ID: 'client-1',
  BOT_ID: 'bot-1',
  BOT_PASSWORD: 'secret',
  BACKEND_URL: 'https://crossbar.example.test',
  BACKEND_API_KEY: 'key',
  PUBLIC_URL: 'https://portal.example.test',
};

const problemsOf = (env: Record<string, string>) => servingProblems(loadSettings({}, env));

describe('servingProblems', () => {
  it('has none for the local run with no settings, nor for a complete deployment', () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf(DEPLOYMENT)).toEqual([]);
    // The simulator chosen on purpose, as the Toolkit's local run with a tunnel does.
    expect(problemsOf({ ...DEPLOYMENT, BACKEND_URL: 'simulator', BACKEND_API_KEY: '' })).toEqual([]);
  });

  it.each([
    ['ENTRA_CLIENT_ID', /ENTRA_CLIENT_ID is required/],
    ['BOT_ID', /BOT_ID is required/],
    ['BOT_PASSWORD', /BOT_PASSWORD is required/],
    ['BACKEND_URL', /BACKEND_URL is required/],
    ['BACKEND_API_KEY', /BACKEND_API_KEY is required/],
    ['PUBLIC_URL', /PUBLIC_URL is required/],
  ] as const)('names %s when a deployment lacks it', (name, expected) => {
    const problems = problemsOf({ ...DEPLOYMENT, [name]: '' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it.each(['PUBLIC_URL', 'ENTRA_JWKS_URL', 'ENTRA_AUTHORITY_URL', 'GRAPH_URL'])('refuses an http %s in a deployment', (name) => {
    expect(problemsOf({ ...DEPLOYMENT, [name]: 'http://host.example.test/' })).toEqual([expect.stringMatching(new RegExp(`^${name} must be an https URL`))]);
  });

  it('refuses the dev sign-in beside Entra settings, and off loopback', () => {
    expect(problemsOf({ DEV_SIGN_IN: 'true', ENTRA_CLIENT_SECRET: 'secret' })).toEqual([expect.stringMatching(/ENTRA_CLIENT_SECRET/)]);
    expect(problemsOf({ HOST: '0.0.0.0' })).toEqual([expect.stringMatching(/HOST=0\.0\.0\.0/)]);
    expect(problemsOf({ HOST: '::1' })).toEqual([]);
    expect(problemsOf({ MONGODB_URI: 'mongodb://db', DEV_SIGN_IN: 'true' })).toEqual([]);
  });

  it('refuses the dev sign-in reached through a public URL off this machine (a tunnel to loopback)', () => {
    expect(problemsOf({ PUBLIC_URL: 'https://portal.devtunnels.example' })).toEqual([expect.stringMatching(/^PUBLIC_URL=https:\/\/portal\.devtunnels\.example would reach the local dev sign-in/)]);
    expect(problemsOf({ PUBLIC_URL: 'http://localhost:3978' })).toEqual([]);
    expect(problemsOf({ PUBLIC_URL: 'http://127.0.0.1:3978' })).toEqual([]);
    expect(problemsOf({ PUBLIC_URL: 'http://[::1]:3978' })).toEqual([]);
  });

  it('says in which mode it will not start, with every problem', () => {
    expect(() => assertSafeToServe(loadSettings({}, { DEV_SIGN_IN: 'false' }))).toThrow(/as a deployment \(the dev sign-in is off: DEV_SIGN_IN=false\)/);
    expect(() => assertSafeToServe(loadSettings({}, { MONGODB_URI: 'mongodb://db' }))).toThrow(
      /as a deployment \(the dev sign-in is off: MONGODB_URI is set[\s\S]*ENTRA_CLIENT_ID[\s\S]*BOT_ID[\s\S]*PUBLIC_URL/,
    );
  });
});
