/**
 * npm run eval -- stories [--data ../shared/data] [--threshold X] [--top N]
 * Sanity run: clusters one real day of 3,331 items from 123 outlets and prints the largest
 * stories with their outlets and titles, to be checked by eye. Writes bench/results/eval-stories.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClusterer, type StoryCluster } from '../../src/stories/cluster.js';
import { DEFAULT_THRESHOLD } from '../../src/stories/similarity.js';
import { argValue, dataDir } from '../data.js';
import { DAY_DIR, loadDayItems } from './story-data.js';

export async function run(args: string[]): Promise<void> {
  const items = loadDayItems(dataDir(args));
  const threshold = Number(argValue(args, '--threshold') ?? DEFAULT_THRESHOLD);
  const top = Number(argValue(args, '--top') ?? 10);
  const clusterer = createClusterer({ threshold });
  for (const item of items) clusterer.add(item);
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
  const out = path.resolve('bench/results');
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, 'eval-stories.md'), `${text}\n${argValue(args, '--notes') ?? NOTES}\n`);
}

function outletsOf(s: StoryCluster): string[] {
  return [...new Set(s.members.map((m) => m.outlet))];
}

const NOTES = `## Reading

Checked by eye: see the notes in the lead engineer's report for issue 3.
`;
