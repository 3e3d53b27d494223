/**
 * Who may run the admin commands (subscribe, unsubscribe, feed management) in Slack: workspace admins and owners,
 * as users.info says, and the users listed in `slack.adminUsers`. Answers are kept a few minutes, so a burst of
 * commands does not become a burst of users.info calls.
 */
import type { WebClient } from '@slack/web-api';
import { errorMessage } from '../../errors.js';
import type { Logger } from '../../log.js';

const KEEP_MS = 5 * 60_000;

/** Who may, as a refusal ("you need …") and the help ("Admins here: …") both say it. */
export const SLACK_ADMIN_RULE =
  'the workspace admin or owner role, or your user id in the bot’s slack.adminUsers setting';

export type AdminCheck = (userId: string) => Promise<boolean>;

export function createAdminCheck(p: {
  client: WebClient;
  adminUsers: readonly string[];
  log: Logger;
  now: () => number;
}): AdminCheck {
  const listed = new Set(p.adminUsers);
  const known = new Map<string, { admin: boolean; at: number }>();
  return async (userId) => {
    if (listed.has(userId)) return true;
    const cached = known.get(userId);
    if (cached && p.now() - cached.at < KEEP_MS) return cached.admin;
    try {
      const res = await p.client.users.info({ user: userId });
      const u = res.user;
      const admin = Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner);
      known.set(userId, { admin, at: p.now() });
      return admin;
    } catch (err) {
      // Not cached: the next command asks again. Refusing is the safe answer meanwhile.
      p.log.warn('could not check a Slack user’s role with users.info; treating them as not an admin', {
        user: userId,
        reason: errorMessage(err),
        hint: 'the app needs the users:read scope (see watchdesk slack manifest); slack.adminUsers works without it',
      });
      return false;
    }
  };
}
