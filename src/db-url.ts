/**
 * Telling a PostgreSQL URL from a SQLite file path, and printing one safely. Shared by config/
 * (which must decide before resolving a path) and store/ (which connects), so it is a leaf.
 */

/** Whether `s` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather than a file. */
export function isDbUrl(s: string): boolean {
  return /^postgres(ql)?:\/\//i.test(s);
}

/** Whether `s` looks like a URL of some scheme (`mysql://…`), which is neither a file path nor ours. */
export function looksLikeUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s);
}

/** The URL with its password replaced by `***`, for logs, errors and `config check`. */
export function redactDbUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) {
      if (/pass|secret|token/i.test(key)) u.searchParams.set(key, '***');
    }
    return u.toString();
  } catch {
    // unparseable: print only the scheme, never what might be a password
    return `${url.split('://')[0]}://…`;
  }
}
