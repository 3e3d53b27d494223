import type { ClusterItem } from '../../src/stories/cluster.js';

/** Synthetic reports: each event told by three outlets in their own words. */
export const EVENTS: Array<Array<{ outlet: string; title: string; lead: string }>> = [
  [
    {
      outlet: 'Harbor Gazette',
      title: 'Appeals court upholds conviction of Lakeside ferry operator in trafficking case',
      lead: 'A federal appeals court on Monday upheld the conviction of the Lakeside ferry operator found guilty of trafficking workers.',
    },
    {
      outlet: 'Metro Wire',
      title: "Court rejects ferry operator's appeal, trafficking conviction stands",
      lead: 'The conviction of a Lakeside ferry operator for trafficking workers will stand after an appeals court rejected his challenge.',
    },
    {
      outlet: 'Daily Ledger',
      title: 'Lakeside ferry boss loses appeal against trafficking conviction',
      lead: 'Judges on the federal appeals court upheld the trafficking conviction of the Lakeside ferry operator on Monday.',
    },
  ],
  [
    {
      outlet: 'Harbor Gazette',
      title: 'Senate panel advances online child safety bill with age checks',
      lead: 'A Senate committee voted 14-8 to advance a child online safety bill that requires platforms to verify ages.',
    },
    {
      outlet: 'Metro Wire',
      title: 'Child online safety bill clears Senate committee 14-8',
      lead: 'The Senate commerce committee advanced the online safety bill for children by a vote of 14 to 8.',
    },
    {
      outlet: 'Daily Ledger',
      title: 'Senate committee advances kids online safety bill requiring age verification',
      lead: 'Platforms would have to verify the ages of users under a child online safety bill a Senate committee advanced on Thursday.',
    },
  ],
  [
    {
      outlet: 'Harbor Gazette',
      title: 'Regulator fines video platform 40 million euros over illegal content reports',
      lead: 'The European regulator fined a video platform 40 million euros for failing to act on reports of illegal content.',
    },
    {
      outlet: 'Metro Wire',
      title: 'Video platform hit with 40 million euro fine over handling of illegal content',
      lead: 'A video sharing platform was fined 40 million euros by the European regulator over how it handled illegal content reports.',
    },
    {
      outlet: 'Daily Ledger',
      title: 'EU regulator fines video platform 40m euros for ignoring illegal content reports',
      lead: 'The regulator said the platform ignored user reports of illegal content and fined it 40 million euros.',
    },
  ],
];

/** Events on the same beat that a careless matcher would merge with the ones above. */
export const OTHER_EVENTS: Array<{ outlet: string; title: string; lead: string }> = [
  {
    outlet: 'Metro Wire',
    title: 'Ferry operator opens new route between Lakeside and Northport',
    lead: 'The Lakeside ferry company will start a daily service to Northport in the spring, adding two boats.',
  },
  {
    outlet: 'Harbor Gazette',
    title: 'House hearing on child safety online draws tech executives',
    lead: 'Executives from four technology companies testified before a House panel about protecting children online.',
  },
  {
    outlet: 'Daily Ledger',
    title: 'Video platform reports record quarterly revenue',
    lead: 'The video platform said advertising sales rose 30 percent in the third quarter, beating forecasts.',
  },
];

const HOUR = 3_600_000;
export const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);

/** The EVENTS as cluster items, interleaved in time: event e, variant v at T0 + (v * 3 + e) hours. */
export function eventItems(): ClusterItem[] {
  const out: ClusterItem[] = [];
  EVENTS.forEach((variants, e) => {
    variants.forEach((v, k) => {
      out.push({
        key: `e${e}-v${k}`,
        title: v.title,
        lead: v.lead,
        outlet: v.outlet,
        url: `https://${slug(v.outlet)}.example/e${e}`,
        publishedAt: T0 + (k * 3 + e) * HOUR,
      });
    });
  });
  return out.sort((a, b) => a.publishedAt - b.publishedAt);
}

/**
 * Stories with no words in common with each other: made-up words from a seeded generator, so the
 * candidate-set test measures LSH behaviour rather than luck with English vocabulary.
 */
export function unrelatedStory(i: number): { title: string; lead: string } {
  let seed = (i + 1) * 2654435761;
  const rand = () => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
    return (seed >>> 0) / 2 ** 32;
  };
  const word = () =>
    Array.from(
      { length: 7 },
      (_, k) => (k % 2 ? 'aeiou' : 'bcdfghjklmnprstvz')[Math.floor(rand() * (k % 2 ? 5 : 17))],
    ).join('');
  const words = (n: number) => Array.from({ length: n }, word).join(' ');
  return { title: `${words(7)}`, lead: `${words(16)}.` };
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z]+/g, '-');
}
