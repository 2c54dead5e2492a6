import fs from 'node:fs';
import path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

/**
 * Microsoft's published Teams manifest JSON schema for a manifestVersion, as
 * @microsoft/app-manifest ships it (only its JSON files are read: the
 * package's code needs modules it does not declare). Offline, no fetch.
 */
export function manifestSchemaPath(manifestVersion: string): string {
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(root, 'build', 'json-schemas', 'teams', `v${manifestVersion}`, 'MicrosoftTeams.schema.json');
  if (!fs.existsSync(file)) throw new Error(`no published Teams manifest schema for manifestVersion ${manifestVersion}`);
  return file;
}

/** The problems the schema finds in a manifest; none means valid. */
export function manifestProblems(manifest: Record<string, unknown>): string[] {
  if (typeof manifest.manifestVersion !== 'string') return ['manifestVersion is missing'];
  const schema = JSON.parse(fs.readFileSync(manifestSchemaPath(manifest.manifestVersion), 'utf8')) as object;
  // The schemas are draft-04 and use keywords without "type" beside them: strictTypes off, as the Toolkit does.
  const ajv = new Ajv04({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}
