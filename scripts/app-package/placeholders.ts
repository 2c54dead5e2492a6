/**
 * The Teams Toolkit's `${{VAR}}` placeholders, filled as the Toolkit fills
 * them: an empty value counts as missing (APP_NAME_SUFFIX excepted), so a
 * package is never built with a hole in it.
 */
export const PLACEHOLDER = /\$\{\{ *([A-Za-z_][A-Za-z0-9_]*) *\}\}/g;

/** Variables the Toolkit allows to be empty. */
const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);

export class MissingVariablesError extends Error {
  constructor(readonly names: string[]) {
    super(`missing variables: ${names.join(', ')}`);
    this.name = 'MissingVariablesError';
  }
}

export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1]!))].sort();
}

export function fillPlaceholders(text: string, values: Record<string, string | undefined>): string {
  const missing = new Set<string>();
  const filled = text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name];
    if (value === undefined || (value === '' && !MAY_BE_EMPTY.has(name))) {
      missing.add(name);
      return '';
    }
    return value;
  });
  if (missing.size > 0) throw new MissingVariablesError([...missing].sort());
  return filled;
}
