/**
 * npm run package [-- --env dev|local|...]: appPackage/build/appPackage.<env>.zip
 * from appPackage/manifest.json with the environment's variables filled in
 * (env/.env.<env>, its .user file, the process environment), plus the two
 * icons. Refuses when a variable is missing or the filled manifest does not
 * validate against Microsoft's schema for its manifestVersion.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { environmentVariables, ROOT } from './environment';
import { manifestProblems } from './manifest-schema';
import { fillPlaceholders } from './placeholders';

export const PACKAGE_FILES = ['manifest.json', 'color.png', 'outline.png'] as const;

export interface BuiltPackage {
  zipPath: string;
  manifest: Record<string, unknown>;
}

export function buildAppPackage(env: string, options: { root?: string; processEnv?: NodeJS.ProcessEnv } = {}): BuiltPackage {
  const root = options.root ?? ROOT;
  const appPackage = path.join(root, 'appPackage');
  const variables = environmentVariables(env, root, options.processEnv ?? process.env);
  const filled = fillPlaceholders(fs.readFileSync(path.join(appPackage, 'manifest.json'), 'utf8'), variables);
  const manifest = JSON.parse(filled) as Record<string, unknown>;
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new Error(`the filled manifest is not valid:\n  ${problems.join('\n  ')}`);
  const icons = manifest.icons as { color: string; outline: string };
  const build = path.join(appPackage, 'build');
  fs.mkdirSync(build, { recursive: true });
  // Fixed timestamps: the same inputs give the same zip.
  const mtime = new Date('2020-01-01T00:00:00Z');
  const zip = zipSync(
    {
      'manifest.json': [strToU8(JSON.stringify(manifest, null, 2)), { mtime }],
      'color.png': [fs.readFileSync(path.join(appPackage, icons.color)), { mtime }],
      'outline.png': [fs.readFileSync(path.join(appPackage, icons.outline)), { mtime }],
    },
    { level: 9 },
  );
  const zipPath = path.join(build, `appPackage.${env}.zip`);
  fs.writeFileSync(zipPath, zip);
  fs.writeFileSync(path.join(build, `manifest.${env}.json`), JSON.stringify(manifest, null, 2));
  return { zipPath, manifest };
}

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf('--env');
  const env = at >= 0 ? args[at + 1] : (args.find((a) => !a.startsWith('-')) ?? process.env.TEAMSFX_ENV ?? 'dev');
  if (!env) throw new Error('usage: npm run package -- --env <dev|local|...>');
  const { zipPath } = buildAppPackage(env);
  process.stdout.write(`${path.relative(ROOT, zipPath)}: ${PACKAGE_FILES.join(', ')}\n`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`npm run package: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
