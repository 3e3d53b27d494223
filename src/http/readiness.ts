import type { AdapterHealth } from '../chat/types.js';
import { errorMessage } from '../errors.js';
import type { Sql } from '../store/sql.js';
import { pingStore } from '../store/status.js';
import type { Readiness } from './server.js';

/** Ready when the store answers and every configured chat adapter is connected. */
export async function checkReadiness(deps: {
  db: Sql;
  adapters: () => Record<string, AdapterHealth>;
}): Promise<Readiness> {
  const checks: Readiness['checks'] = { store: await storeCheck(deps.db) };
  for (const [platform, health] of Object.entries(deps.adapters())) checks[`chat:${platform}`] = health;
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

async function storeCheck(db: Sql): Promise<AdapterHealth> {
  try {
    await pingStore(db);
    return { ok: true, detail: 'open' };
  } catch (err) {
    return { ok: false, detail: `the store does not answer: ${errorMessage(err)}` };
  }
}
