/**
 * What an empty set-up means for the person running it: a config with no feeds, topics or subscriptions
 * validates, and would run quietly forever. `config check` and `start` warn with the same words.
 */
export interface SetupCounts {
  feeds: number;
  topics: number;
  subscriptions: number;
}

export function emptySetupWarnings(counts: SetupCounts, file: string): string[] {
  const out: string[] = [];
  if (counts.feeds === 0) {
    out.push(
      `no feeds: nothing is polled. Add feeds: to ${file}, or at run time: watchdesk feeds add <url> (or feeds import <file.opml>)`,
    );
  }
  if (counts.topics === 0) {
    out.push(
      `no topics: no item gets a topic, so every digest stays empty. Add topics: to ${file} (config/default.yaml has examples)`,
    );
  }
  if (counts.subscriptions === 0) {
    out.push(
      `no subscriptions: no digest goes out. Add subscriptions: to ${file}, or subscribe a channel: watchdesk subscriptions add, or /digest subscribe in chat`,
    );
  }
  return out;
}
