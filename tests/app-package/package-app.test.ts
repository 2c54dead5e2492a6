import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { buildAppPackage } from '../../scripts/app-package/package-app';
import { MissingVariablesError } from '../../scripts/app-package/placeholders';
import { provisioned, ROOT } from './support';

/** A copy of the project's appPackage and env folders, so the test writes nothing in the repo. */
function workspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-'));
  fs.cpSync(path.join(ROOT, 'appPackage'), path.join(dir, 'appPackage'), { recursive: true, filter: (src) => !src.includes(`${path.sep}build`) });
  fs.cpSync(path.join(ROOT, 'env'), path.join(dir, 'env'), { recursive: true });
  return dir;
}

describe('npm run package', () => {
  it('builds appPackage/build/appPackage.<env>.zip holding exactly manifest.json and the two icons, variables filled', () => {
    const dir = workspace();
    const { zipPath } = buildAppPackage('dev', { root: dir, processEnv: provisioned('dev') });
    expect(zipPath).toBe(path.join(dir, 'appPackage', 'build', 'appPackage.dev.zip'));
    const files = unzipSync(fs.readFileSync(zipPath));
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifest = strFromU8(files['manifest.json']!);
    expect(manifest).not.toContain('${{');
    expect(JSON.parse(manifest).name.short).toBe('Partner Portal-dev');
    expect(Buffer.from(files['color.png']!).equals(fs.readFileSync(path.join(ROOT, 'appPackage', 'color.png')))).toBe(true);
  });

  it('refuses to build with a variable missing, and names it', () => {
    const dir = workspace();
    const values = provisioned('dev');
    delete values.BOT_ID;
    values.TAB_DOMAIN = '';
    expect(() => buildAppPackage('dev', { root: dir, processEnv: { ...values, BOT_ID: '' } })).toThrow(MissingVariablesError);
    try {
      buildAppPackage('dev', { root: dir, processEnv: { ...values, BOT_ID: '' } });
    } catch (error) {
      expect((error as MissingVariablesError).names).toEqual(['BOT_ID', 'TAB_DOMAIN']);
    }
    expect(fs.existsSync(path.join(dir, 'appPackage', 'build', 'appPackage.dev.zip'))).toBe(false);
  });

  it('refuses a filled manifest the schema rejects', () => {
    const dir = workspace();
    expect(() => buildAppPackage('dev', { root: dir, processEnv: { ...provisioned('dev'), TEAMS_APP_ID: 'not-a-guid' } })).toThrow(
      /not valid/,
    );
  });

  it('refuses an environment that does not exist', () => {
    expect(() => buildAppPackage('nowhere', { root: workspace(), processEnv: {} })).toThrow(/no environment "nowhere"/);
  });
});
