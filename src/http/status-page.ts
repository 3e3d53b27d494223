/**
 * The read-only status page: plain server-rendered HTML with inline CSS and inline SVG charts,
 * nothing loaded from elsewhere and no script. Every value that came from a feed or a person is
 * HTML-escaped here, in one place (`esc`).
 */
import { ago } from '../clock.js';
import type { DeadPartStatus, FeedStatus, StatusSnapshot, SubscriptionStatus, TopicStatus } from './status.js';

/** Sent with the page: no script of any origin, no loads from elsewhere, inline styles only. */
export const STATUS_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'";

export function renderStatusPage(s: StatusSnapshot): string {
  const max = Math.max(1, ...s.topics.flatMap((t) => t.days.map((d) => d.stories)));
  const failing = s.feeds.filter((f) => f.state !== 'ok').length;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(s.botName)} status</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(s.botName)}</h1><p>Status at ${esc(utc(s.generatedAt))}. Read-only; reload for fresh figures.</p></header>
<main>
<section id="feeds"><h2>Feeds <small>${s.feeds.length} watched, ${failing} failing or disabled</small></h2>
${table(
  ['Feed', 'State', 'Last error', 'Last new item', 'Next poll'],
  s.feeds.map((f) => feedRow(f, s.generatedAt)),
)}
</section>
<section id="topics"><h2>Topics <small>matched stories per day, last ${s.topics[0]?.days.length ?? 0} days (UTC)</small></h2>
<div class="topics">${s.topics.map((t) => topicCard(t, max)).join('\n')}</div>
</section>
<section id="subscriptions"><h2>Subscriptions</h2>
${table(
  ['Channel', 'Topics', 'Schedule', 'Next run'],
  s.subscriptions.map((sub) => subscriptionRow(sub, s.generatedAt)),
)}
</section>
<section id="outbox"><h2>Outbox <small>${s.outbox.pendingParts} part(s) pending in ${s.outbox.pendingDigests} digest(s), ${s.outbox.dead.length} dead</small></h2>
${s.outbox.dead.length === 0 ? '<p class="muted">No dead parts.</p>' : table(['Digest', 'Part', 'Channel', 'Attempts', 'Reason'], s.outbox.dead.map(deadRow))}
</section>
<section id="stories"><h2>Latest stories</h2>
<ol class="stories">${s.stories.map((st) => `<li><span class="story-title">${link(st.title, st.url)}</span> <span class="muted">${esc(utc(st.firstSeenAt))} · ${esc(st.outlets.join(', ') || 'no outlet')}</span></li>`).join('\n')}</ol>
</section>
</main>
</body>
</html>
`;
}

/** Escapes text for an HTML element or a double-quoted attribute. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function feedRow(f: FeedStatus, now: number): string[] {
  return [
    esc(f.name),
    `<span class="state ${f.state}">${f.state}</span>${f.failures > 0 ? ` <span class="muted">${f.failures} failure(s)</span>` : ''}`,
    f.lastError ? esc(f.lastError) : '<span class="muted">—</span>',
    f.lastNewItemAt === null ? '<span class="muted">never</span>' : esc(ago(f.lastNewItemAt, now)),
    f.nextPollAt === null ? 'disabled: <code>watchdesk feeds enable</code>' : esc(ago(f.nextPollAt, now)),
  ];
}

function subscriptionRow(sub: SubscriptionStatus, now: number): string[] {
  const next = sub.paused
    ? `<span class="state paused">paused</span> <span class="paused-reason">${esc(sub.paused)}</span>`
    : sub.nextRunAt === null
      ? esc(sub.mode === 'instant' ? 'on each new story' : 'no next run')
      : esc(`${ago(sub.nextRunAt, now)} (${utc(sub.nextRunAt)})`);
  return [esc(sub.channel), esc(sub.topics), esc(sub.schedule), next];
}

function deadRow(p: DeadPartStatus): string[] {
  return [String(p.digestId), esc(p.part), esc(p.channel), String(p.attempts), esc(p.reason)];
}

const BAR_W = 14;
const BAR_GAP = 3;
const CHART_H = 48;

/** One bar per day, scaled to the busiest day of any topic so that charts compare. */
function topicCard(t: TopicStatus, max: number): string {
  const total = t.days.reduce((n, d) => n + d.stories, 0);
  const width = t.days.length * (BAR_W + BAR_GAP);
  const bars = t.days
    .map((d, i) => {
      const h = Math.round((d.stories / max) * (CHART_H - 2));
      const x = i * (BAR_W + BAR_GAP);
      return `<rect class="bar" x="${x}" y="${CHART_H - h}" width="${BAR_W}" height="${h}" data-day="${d.day}" data-stories="${d.stories}"><title>${d.day}: ${d.stories} stor${d.stories === 1 ? 'y' : 'ies'}</title></rect>`;
    })
    .join('');
  return `<figure class="topic" data-topic="${esc(t.id)}"><figcaption>${esc(t.name)} <span class="muted">${total} in ${t.days.length} days</span></figcaption>
<svg role="img" aria-label="${esc(t.name)}: stories per day" viewBox="0 0 ${width} ${CHART_H + 1}" width="${width}" height="${CHART_H + 1}"><line x1="0" y1="${CHART_H + 0.5}" x2="${width}" y2="${CHART_H + 0.5}" class="axis"/>${bars}</svg></figure>`;
}

function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">None.</p>';
  const head = headers.map((h) => `<th>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Only http(s) links become anchors; anything else (javascript:, data:) stays plain text. */
function link(text: string, url: string | null): string {
  if (!url || !/^https?:\/\//i.test(url)) return esc(text);
  return `<a href="${esc(url)}" rel="noreferrer noopener">${esc(text)}</a>`;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const CSS = `
:root{color-scheme:light;--fg:#1d2330;--muted:#6b7385;--line:#dfe3ea;--bg:#f6f7f9;--ok:#1f7a44;--warn:#a05a00;--bad:#b3261e;--bar:#3a6fd8}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px;background:#fff;border-bottom:1px solid var(--line)}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;color:var(--muted)}
main{padding:8px 24px 32px;max-width:1240px}section{margin-top:20px}h2{font-size:16px;margin:0 0 8px}h2 small{font-weight:normal;color:var(--muted);margin-left:8px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid var(--line)}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;background:#fafbfc}.muted{color:var(--muted)}code{font-size:12px}
.state{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600}
.state.ok{color:var(--ok);background:#e6f4ec}.state.failing{color:var(--warn);background:#fdf0dc}.state.disabled,.state.paused{color:var(--bad);background:#fbe7e6}
.topics{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:10px}
.topic{margin:0;padding:10px;background:#fff;border:1px solid var(--line)}.topic figcaption{margin-bottom:6px;font-weight:600}
.bar{fill:var(--bar)}.axis{stroke:var(--line)}
.stories{background:#fff;border:1px solid var(--line);margin:0;padding:8px 8px 8px 36px}.stories li{padding:3px 0}
a{color:#2453b8}`;
