/**
 * /digest feed add <url> and /digest feed remove <url>: admins manage run-time feeds from chat. A URL typed here is
 * untrusted: the fetch that checks it goes through the SSRF guard (private, loopback and metadata addresses are
 * refused unless fetch.allowPrivateNetworks is on), and so does every later poll of the feed.
 */

import { feedLabel, previewLines } from '../feeds/feed-preview.js';
import { FetchError } from '../feeds/fetch-errors.js';
import { redactUrl } from '../feeds/redact-url.js';
import type { AddedFeed } from '../pipeline/add-feed.js';
import { findFeed, removeRuntimeFeed } from '../store/feed-sources.js';
import { feedSource } from '../store/feeds.js';
import { code, errorReply, type Line, type Reply, reply } from './reply.js';
import type { CommandDef, CommandDeps, Invocation } from './types.js';

export const feed: CommandDef = {
  name: 'feed',
  description: 'Add a feed to watch (checked by one fetch), or remove one added here',
  permission: 'admin',
  ephemeral: false,
  options: [
    { name: 'action', description: 'add or remove', type: 'string', required: true, choices: ['add', 'remove'] },
    {
      name: 'url',
      description: 'the feed address (https://…); remove also takes a feed id',
      type: 'string',
      required: true,
      maxLength: 2_000,
      example: 'https://example.org/feed.xml',
    },
  ],
  // fetching and parsing a feed can pass Discord's 3 s
  slow: (input) => input.action === 'add',
  run(deps, inv, input) {
    const url = String(input.url ?? '');
    return input.action === 'remove' ? remove(deps, url) : add(deps, inv, url);
  },
};

async function add(deps: CommandDeps, inv: Invocation, typed: string): Promise<Reply> {
  if (!deps.feedAdmin) {
    return errorReply('Not available here', 'This bot cannot add feeds from chat.', 'Ask its operator to add it.');
  }
  const url = httpUrl(typed);
  if (!url) {
    return errorReply('Not a feed address', `"${redactUrl(typed.slice(0, 200))}" is not an http(s) URL.`, [
      'Type the whole address, for example ',
      code('/digest feed add https://example.org/feed.xml'),
      '.',
    ]);
  }
  let added: AddedFeed;
  try {
    added = await deps.feedAdmin.add({
      url,
      addedBy: 'chat',
      note: `${inv.platform} ${inv.workspace} #${inv.channel} by ${inv.user.id}`,
      untrusted: true,
    });
  } catch (err) {
    if (!(err instanceof FetchError)) throw err;
    const title = err.kind === 'blocked' ? 'Address not allowed' : 'Not a feed I can read';
    const todo: Line =
      err.kind === 'blocked'
        ? 'Give the feed’s public address. Nothing was saved.'
        : 'Open the address in a browser to check it, or find the feed link on the site. Nothing was saved.';
    return errorReply(title, `Could not add ${redactUrl(url)}: ${err.message}`, todo);
  }
  const { outcome, preview } = added;
  const label = feedLabel(outcome.feed);
  if (outcome.status === 'duplicate') {
    return reply('Already watched', {
      notices: [`Feed ${outcome.feed.id} (${label}) is already watched (added by ${feedSource(outcome.feed)}).`],
    });
  }
  const notices: Line[] = [
    outcome.status === 'also_in_config'
      ? `Feed ${outcome.feed.id} (${label}) is in the bot’s config file already; it now stays if the file drops it.`
      : `Feed ${outcome.feed.id}: ${label}, from ${redactUrl(url)}.`,
    ...(preview ? previewLines(preview) : []),
  ];
  if (outcome.status !== 'also_in_config') {
    notices.push('Its first poll stores the items it has now without announcing them; new ones come in digests.');
  }
  return reply(outcome.status === 'readded' ? 'Feed added again' : 'Feed added', { notices });
}

async function remove(deps: CommandDeps, typed: string): Promise<Reply> {
  const found = await findFeed(deps.db, typed);
  if (!found?.watched) {
    return errorReply('No such feed', `No watched feed has the address or id "${redactUrl(typed.slice(0, 200))}".`, [
      'See the feeds with ',
      code('/digest sources'),
      '.',
    ]);
  }
  if (!found.addedBy) {
    return errorReply(
      'Set in the config file',
      `Feed ${found.id} (${feedLabel(found)}) comes from the bot’s config file.`,
      'Ask the operator to remove it there; a change made here would be undone at the next start.',
    );
  }
  const after = (await removeRuntimeFeed(deps.db, found.id)) ?? found;
  return reply('Feed removed', {
    notices: [
      after.inConfig
        ? `Feed ${found.id} (${feedLabel(found)}) is no longer a run-time feed, but the config file lists it, so it is still watched.`
        : `Feed ${found.id} (${feedLabel(found)}) is no longer polled. Its stories stay searchable.`,
    ],
  });
}

function httpUrl(text: string): string | null {
  try {
    // Slack may send a link as <https://…> or <https://…|label>
    const url = new URL(text.trim().replace(/^<([^|>]*)(\|[^>]*)?>$/, '$1'));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    url.hash = '';
    return url.href;
  } catch {
    return null;
  }
}
