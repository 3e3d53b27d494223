import { describe, expect, it } from 'vitest';
import { headingText, lineKind } from '../../src/summarize/headings.js';
import { isCommentary, readsAsReport, statesEvent } from '../../src/summarize/lead.js';
import { splitSentences } from '../../src/summarize/sentences.js';

describe('lineKind', () => {
  it.each([
    ['#', 'marker'],
    ['---', 'marker'],
    ['===', 'marker'],
    ['* * *', 'marker'],
    ['# Court rules on hosting immunity', 'heading'],
    ['### what the ruling means', 'heading'],
    ['**What Happens Next**', 'heading'],
    ['__Background__', 'heading'],
    ['Regulator Fines Forum Operator Under Online Safety Act', 'heading'],
    ['BREAKING NEWS', 'heading'],
    ['The court ruled on Friday that the law stands.', 'text'],
    ['The court ruled on Friday that the law', 'text'],
    [
      '**The court ruled on Friday that the law stands, and the company said it would appeal to the full court.**',
      'text',
    ],
    ['Prices rose, and then', 'text'],
    ['- Best Revival - Hamlet at The Old Vic', 'text'],
    ['2. Drama Award Winners', 'text'],
  ] as const)('%j is %s', (line, kind) => {
    expect(lineKind(line)).toBe(kind);
  });
});

describe('headingText', () => {
  it('strips Markdown and refuses bare markers', () => {
    expect(headingText('# Court rules')).toBe('Court rules');
    expect(headingText('## Court rules ##')).toBe('Court rules');
    expect(headingText('**Bold subhead**')).toBe('Bold subhead');
    expect(headingText('Plain title')).toBe('Plain title');
    expect(headingText('#')).toBeNull();
    expect(headingText('   ')).toBeNull();
  });
});

describe('splitSentences and headings', () => {
  it('does not glue a bold subheading onto the sentence under it', () => {
    const text =
      '**A Long Bold Subheading Over The Opening Paragraph Of The Story**\nThe council voted on Monday. It meets again in May.';
    expect(splitSentences(text)).toEqual(['The council voted on Monday.', 'It meets again in May.']);
  });

  it('drops setext headings and their underline', () => {
    expect(splitSentences('Court Watch\n===========\n\nThe judge ruled. She left.')).toEqual([
      'The judge ruled.',
      'She left.',
    ]);
  });

  it('keeps a text that is nothing but a title line rather than lose it', () => {
    expect(splitSentences('Senate Passes Kids Online Safety Act')).toEqual(['Senate Passes Kids Online Safety Act']);
  });
});

describe('statesEvent, readsAsReport and isCommentary', () => {
  it('tells a report of an event from commentary', () => {
    expect(statesEvent('A judge in Phoenix sentenced Dana Whitlow to six years in prison on Tuesday.')).toBe(true);
    expect(statesEvent('Regulators fined the Harbor Exchange $3 million for lax checks.')).toBe(true);
    expect(statesEvent('The sentencing raises questions about the duties of online platforms.')).toBe(false);
    expect(statesEvent('The weather was mild.')).toBe(false);
  });

  it('tells a report from commentary, a question, a quotation and a hook', () => {
    expect(readsAsReport('A judge in Phoenix sentenced Dana Whitlow to six years in prison on Tuesday.')).toBe(true);
    expect(readsAsReport('Regulators fined the Harbor Exchange $3 million for lax checks.')).toBe(true);
    expect(readsAsReport('The sentencing raises questions about the duties of online platforms.')).toBe(false);
    expect(readsAsReport('Is the open web still safe for teenagers?')).toBe(false);
    expect(readsAsReport('"We will not stop until the ads are gone," the founder told the hearing.')).toBe(false);
    expect(readsAsReport('If the forum were a city, its moderators would be a handful of night watchmen.')).toBe(false);
    expect(readsAsReport('Imagine a feed that knows your age before you do.')).toBe(false);
    expect(isCommentary('The case highlights the urgent need for clearer rules.')).toBe(true);
    expect(isCommentary('The court fined the company $2 million.')).toBe(false);
  });
});
