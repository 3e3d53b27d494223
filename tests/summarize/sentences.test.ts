import { describe, expect, it } from 'vitest';
import { splitSentences } from '../../src/summarize/sentences.js';

describe('splitSentences', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'two plain sentences',
      'The bill passed. The governor signed it.',
      ['The bill passed.', 'The governor signed it.'],
    ],
    [
      'U.S. mid-sentence',
      'The U.S. Senate voted on Tuesday. It was close.',
      ['The U.S. Senate voted on Tuesday.', 'It was close.'],
    ],
    [
      'U.S. at the end of a sentence',
      'The company moved its base to the U.S. The move cost $2bn.',
      ['The company moved its base to the U.S.', 'The move cost $2bn.'],
    ],
    [
      'titles before names',
      'Mr. Lee met Sen. Alvarez and Dr. Okafor. Gov. Hart was absent.',
      ['Mr. Lee met Sen. Alvarez and Dr. Okafor.', 'Gov. Hart was absent.'],
    ],
    [
      'month abbreviation before a date',
      'The hearing is set for Jan. 14 in Austin. Lawyers expect delays.',
      ['The hearing is set for Jan. 14 in Austin.', 'Lawyers expect delays.'],
    ],
    [
      'company suffix mid-sentence and at the end',
      'Acme Inc. Chief Executive Rosa Diaz resigned. She had led Acme Inc. The board named a successor.',
      ['Acme Inc. Chief Executive Rosa Diaz resigned.', 'She had led Acme Inc.', 'The board named a successor.'],
    ],
    [
      'No. before a number',
      'The ruling is No. 4 on the docket. Appeals follow.',
      ['The ruling is No. 4 on the docket.', 'Appeals follow.'],
    ],
    [
      'initials',
      'The report by J. R. Smith and George W. Pratt was filed. Nobody objected.',
      ['The report by J. R. Smith and George W. Pratt was filed.', 'Nobody objected.'],
    ],
    [
      'decimals and currency',
      'Profits rose 2.5% to $3.5bn (£1.9bn) in the quarter. Shares fell 0.4.',
      ['Profits rose 2.5% to $3.5bn (£1.9bn) in the quarter.', 'Shares fell 0.4.'],
    ],
    [
      'quote with a comma before the attribution',
      '"We will appeal," she said. The court declined to comment.',
      ['"We will appeal," she said.', 'The court declined to comment.'],
    ],
    [
      'question inside a quote before the attribution',
      '"Who pays for this?" he asked. Nobody answered.',
      ['"Who pays for this?" he asked.', 'Nobody answered.'],
    ],
    [
      'period inside a closing quote ends the sentence',
      'She said: "The law is clear." Then she left the room.',
      ['She said: "The law is clear."', 'Then she left the room.'],
    ],
    [
      'curly quotes',
      '“It is over.” The campaign conceded on Friday.',
      ['“It is over.”', 'The campaign conceded on Friday.'],
    ],
    [
      'exclamation and question marks',
      'What happens next? Nobody knows! The vote is tomorrow.',
      ['What happens next?', 'Nobody knows!', 'The vote is tomorrow.'],
    ],
    [
      'e.g. and i.e. followed by lower case',
      'Some platforms, e.g. forums, are exempt. Others, i.e. large ones, are not.',
      ['Some platforms, e.g. forums, are exempt.', 'Others, i.e. large ones, are not.'],
    ],
    [
      'ellipsis before lower case continues',
      'The law is... complicated. Critics agree.',
      ['The law is... complicated.', 'Critics agree.'],
    ],
    [
      'numbered list items',
      'The bill does three things:\n1. It defines platforms.\n2. It sets fines.\n3. It creates a regulator.',
      ['The bill does three things:', '1. It defines platforms.', '2. It sets fines.', '3. It creates a regulator.'],
    ],
    [
      'bulleted list items without end punctuation',
      'Key points:\n- fines up to 10% of turnover\n- a new regulator\n• annual audits',
      ['Key points:', '- fines up to 10% of turnover', '- a new regulator', '• annual audits'],
    ],
    [
      'paragraph breaks are boundaries even without punctuation',
      'Breaking news\n\nThe court ruled on Monday. An appeal is likely',
      ['Breaking news', 'The court ruled on Monday.', 'An appeal is likely'],
    ],
    [
      'hard-wrapped prose is joined',
      'The committee heard evidence from six platforms over\nthree days of hearings in the capital. It will report in May.',
      [
        'The committee heard evidence from six platforms over three days of hearings in the capital.',
        'It will report in May.',
      ],
    ],
    [
      'a year ends a sentence',
      'The law took effect in 2018. Cases rose sharply.',
      ['The law took effect in 2018.', 'Cases rose sharply.'],
    ],
    ['Windows line endings', 'First line.\r\n\r\nSecond line.', ['First line.', 'Second line.']],
    [
      'Chinese full stops',
      '法院周一作出裁决。上诉可能在下个月提出。',
      ['法院周一作出裁决。', '上诉可能在下个月提出。'],
    ],
    [
      'a quotation of several sentences stays whole',
      'He said: "We will fight this. We will win." Then he left.',
      ['He said: "We will fight this. We will win."', 'Then he left.'],
    ],
    [
      'a curly quotation of several sentences before the attribution',
      '“We are pleased. The results are good,” she said. Shares rose.',
      ['“We are pleased. The results are good,” she said.', 'Shares rose.'],
    ],
    [
      'a German quotation („…“)',
      'Er sagte: „Wir kämpfen. Wir gewinnen.“ Dann ging er.',
      ['Er sagte: „Wir kämpfen. Wir gewinnen.“', 'Dann ging er.'],
    ],
    [
      'a quotation that runs on past its paragraph is split like prose',
      '"The first point is clear. The second is not. We will say more tomorrow.\n\n"That is all for now."',
      ['"The first point is clear.', 'The second is not.', 'We will say more tomorrow.', '"That is all for now."'],
    ],
    [
      'quoted words do not hide sentence ends',
      'He called it a "disaster". Others agreed. The "plan" failed.',
      ['He called it a "disaster".', 'Others agreed.', 'The "plan" failed.'],
    ],
    [
      'page abbreviation before a number',
      'See p. 4 of the report. It lists the fines.',
      ['See p. 4 of the report.', 'It lists the fines.'],
    ],
    [
      'German text',
      'Das Gesetz tritt am 1. Januar in Kraft. Kritiker sind skeptisch.',
      ['Das Gesetz tritt am 1. Januar in Kraft.', 'Kritiker sind skeptisch.'],
    ],
  ];

  it.each(cases)('%s', (_name, input, expected) => {
    expect(splitSentences(input)).toEqual(expected);
  });

  it('returns nothing for empty or blank text', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences('  \n\n \t ')).toEqual([]);
  });
});

describe('splitSentences on numbers at a period', () => {
  it.each([
    ['The final score was 3-1. The coach resigned.', ['The final score was 3-1.', 'The coach resigned.']],
    ['Turnout fell to 48. Officials blamed rain.', ['Turnout fell to 48.', 'Officials blamed rain.']],
    ['Er kam am 3. Mai zurück.', ['Er kam am 3. Mai zurück.']],
    [
      'The bill cleared the committee by 19 votes to 9. Senators amended it first.',
      ['The bill cleared the committee by 19 votes to 9.', 'Senators amended it first.'],
    ],
    [
      'Der 2. Weltkrieg endete 1945. Danach kam der Frieden.',
      ['Der 2. Weltkrieg endete 1945.', 'Danach kam der Frieden.'],
    ],
    ['Sie kam zum 3. Mal. Dann blieb sie.', ['Sie kam zum 3. Mal.', 'Dann blieb sie.']],
  ])('%s', (input, expected) => {
    expect(splitSentences(input)).toEqual(expected);
  });
});
