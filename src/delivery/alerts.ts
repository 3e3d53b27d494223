/**
 * Operator alerts in chat. Each check compares what is wrong now (disabled feeds, dead digest
 * parts, paused subscriptions, chat adapters that cannot post) with what the operator was last
 * told, and posts the difference to `alerts.channel`: a problem once, and its recovery once. A
 * thing that flaps gets at most one alert per `minIntervalMs` (an hour); whatever state it settles
 * in is reported when that hour is up. Every alert is also logged, so nothing depends on chat.
 */
import { randomBytes } from 'node:crypto';
import { postPart } from '../chat/post-part.js';
import { type AdapterHealth, type ChannelTarget, type ChatSenders, channelLabel } from '../chat/types.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import type { Alert } from '../render/alert.js';
import { renderAlert } from '../render/index.js';
import { alertStates, forgetAlertState, saveAlertState } from '../store/alerts.js';
import { listFeeds } from '../store/feeds.js';
import { listDeadParts } from '../store/outbox.js';
import type { Sql } from '../store/sql.js';
import { listSubscriptions, type SubscriptionRow } from '../store/subscriptions.js';

export const ALERT_INTERVAL_MS = 3_600_000;

export interface AlertDeps {
  db: Sql;
  /** alerts.channel; undefined: alerts are logged only. */
  channel: ChannelTarget | undefined;
  senders: ChatSenders;
  pausedReason: (sub: SubscriptionRow) => string | null;
  adapters: () => Record<string, AdapterHealth>;
  now: () => number;
  log: Logger;
  minIntervalMs?: number;
}

export interface Problem {
  key: string;
  subject: string;
  detail: string;
  /** Said when it recovers. */
  recovered: string;
}

/** Everything that needs a person now, each under a key that stays the same while it lasts. */
export async function currentProblems(deps: Pick<AlertDeps, 'db' | 'pausedReason' | 'adapters'>): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const f of await listFeeds(deps.db)) {
    if (!f.watched || f.state !== 'disabled') continue;
    problems.push({
      key: `feed:${f.id}`,
      subject: `feed "${f.name ?? f.title ?? `#${f.id}`}" is disabled`,
      detail: `It failed ${f.consecutiveFailures} times in a row (${f.lastErrorMessage ?? f.lastErrorKind ?? 'unknown error'}). Fix the feed, then run: watchdesk feeds enable ${f.id}`,
      recovered: `feed "${f.name ?? f.title ?? `#${f.id}`}" is polled again`,
    });
  }
  const seen = new Set<number>();
  for (const p of await listDeadParts(deps.db)) {
    if (seen.has(p.digestId)) continue;
    seen.add(p.digestId);
    problems.push({
      key: `digest:${p.digestId}`,
      subject: `digest ${p.digestId} for ${channelLabel(p)} could not be delivered`,
      detail: `Part ${p.seq}/${p.partCount} is dead after ${p.attempts} attempt(s): ${p.lastError ?? 'unknown reason'}. Its stories are offered again in the next digest; to resend this one: watchdesk outbox retry ${p.digestId}`,
      recovered: `digest ${p.digestId} for ${channelLabel(p)} is no longer dead`,
    });
  }
  for (const s of await listSubscriptions(deps.db, { activeOnly: true })) {
    const reason = deps.pausedReason(s);
    if (!reason) continue;
    problems.push({
      key: `subscription:${s.id}`,
      subject: `subscription ${s.id} (${channelLabel(s)}) is paused`,
      detail: `${reason}. Its stories wait; nothing is lost.`,
      recovered: `subscription ${s.id} (${channelLabel(s)}) runs again`,
    });
  }
  for (const [platform, health] of Object.entries(deps.adapters())) {
    if (health.ok) continue;
    problems.push({
      key: `token:${platform}`,
      subject: `${platform} cannot post`,
      detail: health.detail,
      recovered: `${platform} is connected again`,
    });
  }
  return problems;
}

/** One pass: posts (and logs) each change the operator has not heard about. Returns what was said. */
export async function checkAlerts(deps: AlertDeps): Promise<Alert[]> {
  const now = deps.now();
  const window = deps.minIntervalMs ?? ALERT_INTERVAL_MS;
  const problems = new Map((await currentProblems(deps)).map((p) => [p.key, p]));
  const told = new Map((await alertStates(deps.db)).map((r) => [r.key, r]));
  const said: Alert[] = [];
  for (const key of new Set([...problems.keys(), ...told.keys()])) {
    const problem = problems.get(key);
    const last = told.get(key);
    const want = problem ? 'problem' : 'ok';
    if ((last?.state ?? 'ok') === want) {
      // A recovery the operator heard about long ago needs no memory any more.
      if (last && want === 'ok' && now - last.sentAt >= window) await forgetAlertState(deps.db, key);
      continue;
    }
    if (last && now - last.sentAt < window) continue;
    const alert: Alert = problem
      ? { state: 'problem', subject: problem.subject, detail: problem.detail }
      : { state: 'recovered', subject: last?.recovered ?? key, detail: 'No action needed.' };
    if (await post(deps, alert)) {
      await saveAlertState(deps.db, { key, state: want, sentAt: now, recovered: problem?.recovered });
      said.push(alert);
    }
  }
  return said;
}

/** Logs the alert, then posts it; false when the post failed (the next check tries again). */
async function post(deps: AlertDeps, alert: Alert): Promise<boolean> {
  const log = deps.log.child({ component: 'alerts' });
  const fields = { subject: alert.subject, detail: alert.detail };
  if (alert.state === 'problem') log.warn('operator alert', fields);
  else log.info('operator alert: recovered', fields);
  const target = deps.channel;
  if (!target) return true;
  if (!deps.senders[target.platform]) {
    log.warn('alerts.channel cannot be reached: no sender for its platform; the alert is in this log only', {
      platform: target.platform,
    });
    return true;
  }
  try {
    for (const part of renderAlert(alert, target.platform)) {
      await postPart(deps.senders, target, part, { nonce: `al${randomBytes(8).toString('hex')}` });
    }
    return true;
  } catch (err) {
    log.error('could not post an operator alert; trying again at the next check', {
      channel: channelLabel(target),
      reason: errorMessage(err),
    });
    return false;
  }
}
