import { describe, expect, it } from 'vitest';
import {
  createExtractiveSummarizer,
  DEFAULT_BUDGET,
  MAX_INPUT_CHARS,
  MAX_SENTENCES,
  PRODUCT_PARAMS,
  SHORT_TEXT_WORDS,
  summarizeExtractive,
  TUNED_PARAMS,
} from '../../src/summarize/extractive.js';
import { splitSentences } from '../../src/summarize/sentences.js';

// Synthetic articles written for these tests.
const RULING = [
  'A federal appeals court ruled on Monday that the messaging platform can be sued over its recommendation feature.',
  'The judges said the platform liability shield does not cover design choices the company made itself.',
  'Lawyers for the families who brought the case called the ruling a turning point for platform liability.',
  'The weather in the city was mild, with light rain expected later in the week.',
  'The company said it would ask the full appeals court to review the ruling on its liability.',
  'Legal scholars said the platform ruling could shape dozens of similar liability cases.',
].join(' ');

describe('summarizeExtractive', () => {
  it('returns whole sentences of the article, in article order, within the default budget', () => {
    const summary = summarizeExtractive({ title: 'Appeals court lets platform suit proceed', text: RULING });
    const all = splitSentences(RULING);
    expect(summary.method).toBe('extractive');
    expect(summary.note).toBeNull();
    expect(summary.sentences.length).toBeGreaterThan(0);
    expect(summary.sentences.length).toBeLessThanOrEqual(DEFAULT_BUDGET.sentences);
    expect(summary.text.length).toBeLessThanOrEqual(DEFAULT_BUDGET.maxChars);
    const positions = summary.sentences.map((s) => all.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(summary.text).toBe(summary.sentences.join(' '));
  });

  it('leaves out the off-topic sentence', () => {
    const summary = summarizeExtractive({ title: '', text: RULING }, { sentences: 4, maxChars: 10_000 });
    expect(summary.sentences).toHaveLength(4);
    expect(summary.text).not.toContain('weather');
  });

  it('is deterministic', () => {
    const input = { title: 'Court ruling', text: RULING };
    const budget = { sentences: 3, maxChars: 500 };
    expect(summarizeExtractive(input, budget)).toEqual(summarizeExtractive(input, budget));
  });

  it('keeps article order even when later sentences rank higher', () => {
    const summary = summarizeExtractive({ title: '', text: RULING }, { sentences: 3, maxChars: 10_000 });
    const all = splitSentences(RULING);
    const positions = summary.sentences.map((s) => all.indexOf(s));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('lets the title decide between two equally central topics', () => {
    const text = [
      'The state senate approved a bill on shelter funding for trafficking survivors.',
      'The city council approved a rule on app store age checks for teenagers.',
      'Shelter funding for trafficking survivors will double under the senate bill.',
      'App store age checks for teenagers will start under the council rule.',
    ].join(' ');
    const shelters = summarizeExtractive(
      { title: 'Senate doubles shelter funding for trafficking survivors', text },
      { sentences: 1, maxChars: 1000 },
    );
    const apps = summarizeExtractive(
      { title: 'Council orders app store age checks for teenagers', text },
      { sentences: 1, maxChars: 1000 },
    );
    expect(shelters.text).toMatch(/shelter/i);
    expect(apps.text).toMatch(/app store/i);
  });

  it('does not pick a near-repeat of a sentence it already picked', () => {
    const text = [
      'Regulators fined the video platform for failing to remove trafficking ads quickly.',
      'Regulators fined the video platform for failing to remove trafficking ads quickly, officials said.',
      'The platform said it had hired more moderators to review ads about trafficking.',
      'Regulators said the platform fine over trafficking ads was the largest this year.',
    ].join(' ');
    const summary = summarizeExtractive({ title: '', text }, { sentences: 2, maxChars: 1000 });
    expect(summary.sentences).toHaveLength(2);
    const repeats = summary.sentences.filter((s) => s.startsWith('Regulators fined the video platform'));
    expect(repeats).toHaveLength(1);
  });

  it('does not repeat the title as a summary sentence', () => {
    const title = 'Regulator fines video platform over trafficking ads';
    const text = `${title}. The fine follows a two-year inquiry into how the platform reviewed ads. The company said it would appeal the decision in court.`;
    const summary = summarizeExtractive({ title, text }, { sentences: 1, maxChars: 1000 });
    expect(summary.text).not.toBe(`${title}.`);
  });

  it('never cuts a sentence: when the best one is too long, it takes the best one that fits', () => {
    const long =
      'The regulator said on Tuesday that the platform had failed, over a period of several years and despite repeated warnings from child safety groups, to remove trafficking advertisements that its own moderators had flagged as harmful.';
    const text = `${long} The platform removed trafficking advertisements late. Child safety groups warned the platform about advertisements.`;
    const summary = summarizeExtractive({ title: '', text }, { sentences: 1, maxChars: 80 });
    expect(summary.sentences).toHaveLength(1);
    expect(splitSentences(text)).toContain(summary.text);
    expect(summary.text.length).toBeLessThanOrEqual(80);
    expect(summary.text.endsWith('…')).toBe(false);
  });

  it('as a last resort trims the shortest top sentence at a word boundary with an ellipsis', () => {
    const text =
      'Platform accountability laws are changing quickly across many countries this year. Lawmakers in several parliaments are debating new duties of care for online services.';
    const summary = summarizeExtractive({ title: '', text }, { sentences: 2, maxChars: 40 });
    expect(summary.method).toBe('extractive');
    expect(summary.note).toMatch(/no whole sentence fits 40/);
    expect(summary.text.length).toBeLessThanOrEqual(40);
    expect(summary.text.endsWith('…')).toBe(true);
    const head = summary.text.slice(0, -1);
    expect(text.startsWith(head) || text.includes(`${head} `)).toBe(true);
    expect(summary.text).toBe('Platform accountability laws are…');
  });

  it.each([
    ['empty text', ''],
    ['blank text', '  \n\n  '],
    ['very short text', 'Read more.'],
  ])('falls back to the title for %s', (_name, text) => {
    const summary = summarizeExtractive({ title: 'Senate passes online safety bill', text });
    expect(summary).toMatchObject({
      method: 'title',
      text: 'Senate passes online safety bill',
      sentences: ['Senate passes online safety bill'],
    });
    expect(summary.note).toMatch(/title/);
  });

  it('fits a long title into maxChars at a word boundary', () => {
    const summary = summarizeExtractive(
      { title: 'Senate passes sweeping online safety bill after a long night of debate', text: '' },
      { sentences: 2, maxChars: 30 },
    );
    expect(summary.method).toBe('title');
    expect(summary.text).toBe('Senate passes sweeping online…');
  });

  it('returns an empty title summary when there is neither text nor title', () => {
    expect(summarizeExtractive({ title: '', text: '' })).toEqual({
      text: '',
      sentences: [],
      method: 'title',
      note: 'no text and no title',
    });
  });

  it('summarizes a short text without a title from the text itself', () => {
    const summary = summarizeExtractive({ title: '', text: 'Bill passes.' });
    expect(summary.text).toBe('Bill passes.');
  });

  it.each([
    [
      'Russian',
      'Суд признал платформу ответственной за рекламу. Платформа обжалует решение суда. Эксперты ждут новых исков против платформы.',
    ],
    ['Chinese', '法院裁定平台对广告负责。平台将对法院裁决提出上诉。专家预计会有更多针对平台的诉讼。'],
    [
      'Arabic',
      'قضت المحكمة بأن المنصة مسؤولة عن الإعلانات. ستستأنف المنصة قرار المحكمة. يتوقع الخبراء المزيد من الدعاوى ضد المنصة.',
    ],
  ])('handles %s text', (_name, text) => {
    const summary = summarizeExtractive({ title: '', text }, { sentences: 2, maxChars: 320 });
    expect(summary.method).toBe('extractive');
    expect(summary.sentences.length).toBeGreaterThan(0);
    for (const s of summary.sentences) expect(text).toContain(s);
  });

  it('is available behind the Summarizer interface', async () => {
    const summarizer = createExtractiveSummarizer();
    const input = { title: 'Court ruling', text: RULING };
    await expect(summarizer.summarize(input, DEFAULT_BUDGET)).resolves.toEqual(
      summarizeExtractive(input, DEFAULT_BUDGET),
    );
  });
});

// A news story whose lead says what happened, followed by sentences that share more words with
// one another than with the lead, so that centrality alone prefers them (the demo's Ofcom case).
const FINE = {
  title: 'UK regulator fines forum operator under Online Safety Act',
  text: [
    'The UK communications regulator Ofcom has fined the operator of the message board TalkHollow £75,000 for failing to assess the risk of illegal content on its service, the first penalty under the Online Safety Act.',
    'The fine follows a six-month investigation.',
    'Ofcom said the company, TalkHollow Ltd., did not respond to two statutory information requests.',
    '"Platforms cannot ignore the law," said Mr. Smith, the regulator\'s director of enforcement.',
    'The company has 20 working days to pay.',
    'It said in a statement that it would appeal to the U.S. parent, HollowGroup Inc., for funds.',
    'Critics said the fine was too small.',
    'The regulator said further investigations into 14 other services are under way.',
  ].join(' '),
};
const FINE_LEAD = splitSentences(FINE.text)[0]!;
// The same story one sentence shorter, so that an opening line added to it stays a short text.
const FINE_BRIEF = { ...FINE, text: splitSentences(FINE.text).slice(0, -1).join(' ') };

describe('the lead rule (PRODUCT_PARAMS, the default)', () => {
  it('keeps an on-title news lead in the default budget, where the ROUGE-tuned ranking alone drops it', () => {
    const ranked = summarizeExtractive(FINE, DEFAULT_BUDGET, TUNED_PARAMS);
    expect(ranked.sentences).not.toContain(FINE_LEAD);
    const summary = summarizeExtractive(FINE, DEFAULT_BUDGET);
    expect(summary.sentences[0]).toBe(FINE_LEAD);
    expect(summary.sentences.length).toBeLessThanOrEqual(2);
    expect(summary.text.length).toBeLessThanOrEqual(DEFAULT_BUDGET.maxChars);
  });

  it('is what the app summarizer uses', async () => {
    const summary = await createExtractiveSummarizer().summarize(FINE, DEFAULT_BUDGET);
    expect(summary.sentences[0]).toBe(FINE_LEAD);
  });

  it('leaves an opening that shares nothing with the headline to the ranking', () => {
    const input = {
      title: 'Regulator fines forum operator under Online Safety Act',
      text: [
        'On a grey morning in March, the kettle in the small office above the bakery had just boiled.',
        'The regulator fined the forum operator for breaking the Online Safety Act.',
        'The forum operator said the regulator had not explained the fine.',
        'The regulator said the Online Safety Act fine would be paid within a month.',
      ].join(' '),
    };
    const withRule = summarizeExtractive(input, { sentences: 1, maxChars: 320 });
    const without = summarizeExtractive(
      input,
      { sentences: 1, maxChars: 320 },
      { ...PRODUCT_PARAMS, leadTitleMin: null, leadMargin: null },
    );
    expect(withRule).toEqual(without);
    expect(withRule.text).not.toMatch(/kettle/);
  });

  it('takes the second sentence as the lead when the first is an off-title hook', () => {
    const hook = 'It was supposed to be a quiet Friday in the compliance office.';
    const summary = summarizeExtractive({ ...FINE_BRIEF, text: `${hook} ${FINE_BRIEF.text}` }, DEFAULT_BUDGET);
    expect(summary.sentences[0]).toBe(FINE_LEAD);
    expect(summary.text).not.toContain(hook);
  });

  it('does not reach past the second sentence for a lead', () => {
    const hooks =
      'It was supposed to be a quiet Friday in the compliance office. Then the letter arrived by courier at nine.';
    const summary = summarizeExtractive({ ...FINE, text: `${hooks} ${FINE.text}` }, DEFAULT_BUDGET);
    const ranked = summarizeExtractive({ ...FINE, text: `${hooks} ${FINE.text}` }, DEFAULT_BUDGET, TUNED_PARAMS);
    expect(summary).toEqual(ranked);
  });

  it('skips a lead that only repeats the title and judges the next sentence instead', () => {
    const title = 'Regulator fines forum operator under Online Safety Act';
    const text = `${title}. ${FINE_BRIEF.text}`;
    const summary = summarizeExtractive({ title, text }, DEFAULT_BUDGET);
    expect(summary.sentences[0]).toBe(FINE_LEAD);
  });

  it('in a longer article, keeps a lead about as central as the best sentence and leaves a hook to the ranking', () => {
    const body = [
      'The regulator said the marketplace had removed the listings only after a second warning.',
      'Marketplace listings for counterfeit medicines stayed up for weeks, the regulator said.',
      'The marketplace said it had hired reviewers to check listings for medicines by hand.',
      'Patient groups said counterfeit medicines sold through marketplace listings had harmed buyers.',
      'The regulator can fine a marketplace up to six percent of its turnover for listings it ignores.',
      'The marketplace has two months to answer the regulator before any fine is set.',
      'Other marketplaces are being asked what they do about listings for medicines, the regulator said.',
      'Bazaro, which sells in nine countries, said it would cooperate with the regulator.',
    ];
    const lead =
      'The regulator opened proceedings against the marketplace Bazaro over listings for counterfeit medicines, the regulator said.';
    expect(
      splitSentences([lead, ...body].join(' '))
        .join(' ')
        .split(' ').length,
    ).toBeGreaterThanOrEqual(SHORT_TEXT_WORDS);
    const title = 'Regulator acts against Bazaro';
    const budget = { sentences: 2, maxChars: 400 };
    const news = summarizeExtractive({ title, text: [lead, ...body].join(' ') }, budget);
    expect(news.sentences[0]).toBe(lead);
    const hook = 'On a wet Tuesday, the parcels kept arriving at the depot near the ring road as usual.';
    const feature = summarizeExtractive({ title, text: [hook, ...body].join(' ') }, budget);
    expect(feature.text).not.toContain(hook);
  });

  it('never breaks the character budget for the lead', () => {
    const summary = summarizeExtractive(FINE, { sentences: 2, maxChars: 120 });
    expect(summary.sentences).not.toContain(FINE_LEAD);
    expect(summary.text.length).toBeLessThanOrEqual(120);
    expect(summary.sentences.length).toBeGreaterThan(0);
  });

  it('can be switched off, and the ROUGE-tuned parameters have it off', () => {
    expect(TUNED_PARAMS.leadTitleMin).toBeNull();
    expect(TUNED_PARAMS.leadMargin).toBeNull();
    expect(TUNED_PARAMS.avoidCommentary).toBe(false);
    expect(PRODUCT_PARAMS).toEqual({
      ...TUNED_PARAMS,
      leadTitleMin: PRODUCT_PARAMS.leadTitleMin,
      leadMargin: PRODUCT_PARAMS.leadMargin,
      avoidCommentary: true,
    });
    expect(PRODUCT_PARAMS.leadTitleMin).toBeGreaterThan(0);
    expect(PRODUCT_PARAMS.leadMargin).toBeGreaterThan(0);
  });
});

describe('summaries of teasers a feed cut short', () => {
  const title = 'Regulator fines platform over trafficking ads';
  const lead = 'The regulator fined the platform on Monday for failing to remove trafficking ads.';
  it.each([
    ['a cut word and an ellipsis', `${lead} Investigators said the results o\u2026`],
    ['a bracketed ellipsis', `${lead} Investigators said the results of the review [\u2026]`],
    ['three dots in brackets', `${lead} Investigators said the results of the review [...]`],
    ['a Continue reading link', `${lead} Investigators said the review found hundreds of ads. Continue reading \u2192`],
    ['a Read more link', `${lead}\n\nRead more`],
  ])('never end inside a word or keep the feed marker: %s', (_name, text) => {
    const summary = summarizeExtractive({ title, text });
    expect(summary.text).not.toMatch(/\[|\u2026|\.\.\.|results o\b|Continue reading|Read more/);
    expect(summary.text).toMatch(/[.!?]$/);
    expect(summary.text.startsWith(lead)).toBe(true);
  });

  it('keeps the whole words of a teaser that is one cut sentence', () => {
    const summary = summarizeExtractive({
      title,
      text: 'The regulator fined the platform on Monday for failing to remove trafficking ads, and investigators said the results o\u2026',
    });
    expect(summary.text).toBe(
      'The regulator fined the platform on Monday for failing to remove trafficking ads, and investigators said the results\u2026',
    );
  });
});

// The kind of article watchdesk exists for, as a new user pasted it: a Markdown page whose
// first line is a lone "#", a headline, a bold subheading, a lead that says who was sentenced
// to what in other words than the headline's, and then mostly commentary.
const SENTENCING_PAGE = [
  '#',
  '',
  'Classifieds Founder Gets Prison Term: The Essentials',
  '',
  '**ListYard Co-Owner Will Serve Six Years**',
  'A federal judge in Phoenix on Tuesday sentenced Dana Whitlow, who co-founded the ListYard ads site, to six years in prison and ordered her to forfeit $2.4 million for promoting prostitution.',
  '',
  'The sentencing of Whitlow raises questions about how far online marketplaces must go to police what their users post and sell to one another.',
  'Prosecutors had said for years that the site knowingly hosted ads for sex work, including ads that featured minors, and that its owners ignored warnings.',
  'The case highlights the urgent need for clearer rules that make online marketplaces answerable for what users post and sell on them.',
  'It also serves as a cautionary tale for other sites whose owners profit from what users post and sell there.',
].join('\n');
const SENTENCING_LEAD =
  'A federal judge in Phoenix on Tuesday sentenced Dana Whitlow, who co-founded the ListYard ads site, to six years in prison and ordered her to forfeit $2.4 million for promoting prostitution.';

describe('headings and an event lead in other words (the seed-article case)', () => {
  it('never takes a heading, a bold subheading or a lone # as a sentence', () => {
    const sentences = splitSentences(SENTENCING_PAGE);
    expect(sentences[0]).toBe(SENTENCING_LEAD);
    expect(sentences.join(' ')).not.toMatch(/#|\*\*|Essentials|Will Serve Six Years/);
  });

  it('keeps the lead that says who was sentenced to what, over commentary, with or without the headline', () => {
    for (const title of ['', 'Classifieds Founder Gets Prison Term: The Essentials']) {
      const summary = summarizeExtractive({ title, text: SENTENCING_PAGE }, DEFAULT_BUDGET);
      expect(summary.sentences[0]).toBe(SENTENCING_LEAD);
      expect(summary.text).not.toMatch(/raises questions|highlights the urgent need|cautionary tale/);
    }
  });

  it('leaves the same article to the ROUGE ranking when the lead rule is off', () => {
    const ranked = summarizeExtractive({ title: '', text: SENTENCING_PAGE }, DEFAULT_BUDGET, TUNED_PARAMS);
    expect(ranked.sentences[0]).not.toBe(SENTENCING_LEAD);
  });
});

describe('long articles', () => {
  const filler = (n: number) =>
    Array.from({ length: n }, (_, i) => `Background paragraph ${i} covers the weather and the harbour ferries.`);

  it('quotes nothing past the opening MAX_INPUT_CHARS characters', () => {
    const key = 'The appeals court ruled that the platform can be sued over its recommendation feature.';
    const before = filler(Math.ceil(MAX_INPUT_CHARS / 70)).join(' ');
    const title = 'Platform loses appeal over recommendations';
    const late = summarizeExtractive({ title, text: `${before} ${key} ${key}` });
    expect(late.text).not.toContain(key);
    const early = summarizeExtractive({ title, text: `${key} ${before}` });
    expect(early.text).toContain(key);
  });

  it('reads at most MAX_SENTENCES sentences, however short they are', () => {
    const key = 'The appeals court ruled that the platform can be sued.';
    const text = `${filler(MAX_SENTENCES).join(' ')} ${key}`;
    expect(text.length).toBeLessThan(MAX_INPUT_CHARS);
    const summary = summarizeExtractive({ title: 'Appeals court rules the platform can be sued', text });
    expect(summary.text).not.toContain(key);
  });
});
