/**
 * Checks a Discord or Slack payload against every limit in ../shared/PLATFORM-LIMITS.md and returns the
 * violations (empty when the platform would accept it). Written independently of src/render so that a bug in the
 * renderer's own accounting cannot hide here. Lengths are UTF-16 units, never less than what the platforms count.
 */

const DISCORD = {
  content: 2000,
  embeds: 10,
  embedsTotal: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
} as const;

const SLACK = {
  blocks: 50,
  header: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  textRecommended: 4000,
  textTruncated: 40_000,
  contextElements: 10,
  textObject: 3000,
} as const;

type Rec = Record<string, unknown>;

export function validateDiscordMessage(message: unknown): string[] {
  const v: string[] = [];
  if (!isRec(message)) return ['message: not an object'];
  const am = message.allowed_mentions;
  if (!isRec(am) || !Array.isArray(am.parse) || am.parse.length !== 0) {
    v.push('allowed_mentions: must be { parse: [] }');
  }
  const content = message.content;
  if (content !== undefined) {
    checkString(v, 'content', content, DISCORD.content);
  }
  const embeds = message.embeds ?? [];
  if (!Array.isArray(embeds)) return [...v, 'embeds: not an array'];
  if (embeds.length > DISCORD.embeds) v.push(`embeds: ${embeds.length} > ${DISCORD.embeds}`);
  if (!(typeof content === 'string' && content.length > 0) && embeds.length === 0) {
    v.push('message: needs content or embeds');
  }
  let total = 0;
  embeds.forEach((e, i) => {
    const at = `embeds[${i}]`;
    if (!isRec(e)) {
      v.push(`${at}: not an object`);
      return;
    }
    total += checkOptional(v, `${at}.title`, e.title, DISCORD.title);
    total += checkOptional(v, `${at}.description`, e.description, DISCORD.description);
    if (e.footer !== undefined)
      total += checkString(v, `${at}.footer.text`, isRec(e.footer) ? e.footer.text : e.footer, DISCORD.footer);
    if (e.author !== undefined)
      total += checkString(v, `${at}.author.name`, isRec(e.author) ? e.author.name : e.author, DISCORD.authorName);
    if (e.url !== undefined) checkUrl(v, `${at}.url`, e.url);
    const fields = e.fields ?? [];
    if (!Array.isArray(fields)) {
      v.push(`${at}.fields: not an array`);
      return;
    }
    if (fields.length > DISCORD.fields) v.push(`${at}.fields: ${fields.length} > ${DISCORD.fields}`);
    fields.forEach((f, j) => {
      const fat = `${at}.fields[${j}]`;
      if (!isRec(f)) {
        v.push(`${fat}: not an object`);
        return;
      }
      total += checkString(v, `${fat}.name`, f.name, DISCORD.fieldName, true);
      total += checkString(v, `${fat}.value`, f.value, DISCORD.fieldValue, true);
    });
  });
  if (total > DISCORD.embedsTotal) v.push(`embeds: ${total} characters in all embeds > ${DISCORD.embedsTotal}`);
  checkComponents(v, message.components);
  return v;
}

/** Action rows of buttons: at most 5 rows of 5, labels up to 80, custom ids up to 100 characters. */
function checkComponents(v: string[], rows: unknown): void {
  if (rows === undefined) return;
  if (!Array.isArray(rows)) {
    v.push('components: not an array');
    return;
  }
  if (rows.length > 5) v.push(`components: ${rows.length} rows > 5`);
  rows.forEach((row, i) => {
    const at = `components[${i}]`;
    if (!isRec(row) || row.type !== 1 || !Array.isArray(row.components)) {
      v.push(`${at}: must be an action row (type 1) with components`);
      return;
    }
    if (row.components.length === 0 || row.components.length > 5) v.push(`${at}.components: 1 to 5 buttons`);
    row.components.forEach((b, j) => {
      if (!isRec(b) || b.type !== 2) {
        v.push(`${at}.components[${j}]: must be a button (type 2)`);
        return;
      }
      checkString(v, `${at}.components[${j}].label`, b.label, 80, true);
      checkString(v, `${at}.components[${j}].custom_id`, b.custom_id, 100, true);
    });
  });
}

export function validateSlackMessage(message: unknown): string[] {
  const v: string[] = [];
  if (!isRec(message)) return ['message: not an object'];
  const text = message.text;
  if (typeof text !== 'string' || text.length === 0) v.push('text: a non-empty fallback text is required');
  else {
    checkString(v, 'text', text, SLACK.textTruncated);
    if (text.length > SLACK.textRecommended) v.push(`text: ${text.length} > ${SLACK.textRecommended} (recommended)`);
  }
  const blocks = message.blocks ?? [];
  if (!Array.isArray(blocks)) return [...v, 'blocks: not an array'];
  if (blocks.length > SLACK.blocks) v.push(`blocks: ${blocks.length} > ${SLACK.blocks}`);
  blocks.forEach((b, i) => {
    const at = `blocks[${i}]`;
    if (!isRec(b)) {
      v.push(`${at}: not an object`);
      return;
    }
    switch (b.type) {
      case 'header': {
        const t = b.text;
        if (!isRec(t) || t.type !== 'plain_text') v.push(`${at}.text: header text must be plain_text`);
        checkString(v, `${at}.text.text`, isRec(t) ? t.text : undefined, SLACK.header, true);
        break;
      }
      case 'section': {
        const fields = b.fields;
        if (b.text === undefined && fields === undefined) v.push(`${at}: section needs text or fields`);
        if (b.text !== undefined) checkTextObject(v, `${at}.text`, b.text, SLACK.sectionText);
        if (fields !== undefined) {
          if (!Array.isArray(fields)) v.push(`${at}.fields: not an array`);
          else {
            if (fields.length > SLACK.sectionFields) v.push(`${at}.fields: ${fields.length} > ${SLACK.sectionFields}`);
            fields.forEach((f, j) => {
              checkTextObject(v, `${at}.fields[${j}]`, f, SLACK.sectionField);
            });
          }
        }
        break;
      }
      case 'context': {
        const els = b.elements;
        if (!Array.isArray(els) || els.length === 0) v.push(`${at}.elements: must be a non-empty array`);
        else {
          if (els.length > SLACK.contextElements) v.push(`${at}.elements: ${els.length} > ${SLACK.contextElements}`);
          els.forEach((el, j) => {
            checkTextObject(v, `${at}.elements[${j}]`, el, SLACK.textObject);
          });
        }
        break;
      }
      case 'divider':
        break;
      case 'actions': {
        const els = b.elements;
        if (!Array.isArray(els) || els.length === 0 || els.length > 25) v.push(`${at}.elements: 1 to 25 elements`);
        else {
          els.forEach((el, j) => {
            if (!isRec(el) || el.type !== 'button') {
              v.push(`${at}.elements[${j}]: must be a button`);
              return;
            }
            const t = el.text;
            if (!isRec(t) || t.type !== 'plain_text') v.push(`${at}.elements[${j}].text: must be plain_text`);
            checkString(v, `${at}.elements[${j}].text.text`, isRec(t) ? t.text : undefined, 75, true);
            checkString(v, `${at}.elements[${j}].action_id`, el.action_id, 255, true);
            checkString(v, `${at}.elements[${j}].value`, el.value, 2000, true);
          });
        }
        break;
      }
      default:
        v.push(`${at}.type: unexpected block type ${String(b.type)}`);
    }
  });
  return v;
}

/** Discord and Slack replies are arrays of messages; collects violations of every part with its index. */
export function validateAll(kind: 'discord' | 'slack', messages: unknown[]): string[] {
  const check = kind === 'discord' ? validateDiscordMessage : validateSlackMessage;
  return messages.flatMap((m, i) => check(m).map((x) => `part ${i + 1}: ${x}`));
}

function isRec(x: unknown): x is Rec {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Returns the counted length so callers can add it to a total. */
function checkString(v: string[], at: string, s: unknown, max: number, required = false): number {
  if (typeof s !== 'string') {
    v.push(`${at}: not a string`);
    return 0;
  }
  if (required && s.trim().length === 0) v.push(`${at}: must not be empty`);
  if (s.length > max) v.push(`${at}: ${s.length} > ${max}`);
  // A lone surrogate (a truncation that split a pair) cannot be encoded as UTF-8.
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) {
    v.push(`${at}: contains a lone surrogate`);
  }
  return s.length;
}

function checkOptional(v: string[], at: string, s: unknown, max: number): number {
  return s === undefined ? 0 : checkString(v, at, s, max, true);
}

function checkTextObject(v: string[], at: string, t: unknown, max: number): void {
  if (!isRec(t) || (t.type !== 'mrkdwn' && t.type !== 'plain_text')) {
    v.push(`${at}: must be a mrkdwn or plain_text object`);
    return;
  }
  checkString(v, `${at}.text`, t.text, max, true);
}

function checkUrl(v: string[], at: string, url: unknown): void {
  if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) v.push(`${at}: must be an http(s) URL`);
}
