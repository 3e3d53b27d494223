/**
 * Errors that carry a code. A UserError is shown to the person who caused it, with what to
 * do next; anything else is internal: logged with context and answered with a short apology.
 */
export class UserError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export class ConfigError extends UserError {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super('config_invalid', formatConfigIssues(file, issues), 'Fix the values above and start again.');
    this.name = 'ConfigError';
  }
}

export interface ConfigIssue {
  path: string;
  expected: string;
  found: string;
  /** The lines around the problem with a caret under it (broken YAML). */
  frame?: string;
}

function formatConfigIssues(file: string, issues: ConfigIssue[]): string {
  const lines = issues.map((i) => {
    const line = `  ${file}: ${i.path || '(root)'}: expected ${i.expected}, found ${i.found}`;
    return i.frame ? `${line}\n${i.frame.replace(/^/gm, '    ')}` : line;
  });
  return `Invalid config (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
