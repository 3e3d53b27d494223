import { describe, expect, it } from 'vitest';
import { renderAlertDiscord, renderAlertMarkdown, renderAlertSlack } from '../../src/render/alert.js';
import { renderAlert } from '../../src/render/index.js';
import { validateDiscordMessage, validateSlackMessage } from '../helpers/payload-validator.js';
import { maskedLinks, slackControlSequences, unescapedMarkdown } from './inspect.js';

const HOSTILE = `@everyone <!channel> <@U123> **bold** \`code\` [x](http://evil.example) ${'long '.repeat(600)}`;
const alert = { state: 'problem' as const, subject: `feed "${HOSTILE.slice(0, 80)}" is disabled`, detail: HOSTILE };

describe('operator alert payloads', () => {
  it('Discord: valid, no mention parsed, no link or markdown from feed text', () => {
    const m = renderAlertDiscord(alert);
    expect(validateDiscordMessage(m)).toEqual([]);
    expect(m.allowed_mentions).toEqual({ parse: [] });
    expect(m.content).not.toContain('@everyone');
    expect(maskedLinks(m.content!)).toEqual([]);
    expect(unescapedMarkdown(m.content!, ['**'])).toBe('');
  });

  it('Slack: valid, and no control sequence (<!channel>, <@U…>, links) survives', () => {
    const m = renderAlertSlack(alert);
    expect(validateSlackMessage(m)).toEqual([]);
    expect(slackControlSequences(m.text)).toEqual([]);
    expect(m.text).not.toContain('@everyone');
  });

  it('Markdown for the console: feed text cannot format it', () => {
    const md = renderAlertMarkdown({ state: 'recovered', subject: 'feed "**x**" is polled again', detail: 'ok' });
    expect(md).toContain('✅ **watchdesk recovered: feed "\\*\\*x\\*\\*" is polled again**');
  });

  it('goes through the one dispatcher as a single part tagged with its platform', () => {
    expect(renderAlert(alert, 'discord')).toEqual([{ platform: 'discord', payload: renderAlertDiscord(alert) }]);
    expect(renderAlert(alert, 'slack')).toEqual([{ platform: 'slack', payload: renderAlertSlack(alert) }]);
    expect(renderAlert(alert, 'console')).toEqual([{ platform: 'console', payload: renderAlertMarkdown(alert) }]);
  });
});
