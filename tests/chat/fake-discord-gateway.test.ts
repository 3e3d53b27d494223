import { Client, Events, GatewayIntentBits, type TextChannel } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../helpers/fake-discord.js';

describe('fake Discord gateway with a real discord.js Client', () => {
  const fake = new FakeDiscord();
  let client: Client;

  beforeAll(async () => {
    await fake.start();
    client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.restApi } });
  });
  afterAll(async () => {
    await client.destroy();
    await fake.stop();
  });

  it('logs in, reaches ready with the guild, and posts through REST', async () => {
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(fake.token);
    await ready;
    expect(client.user?.id).toBe(fake.botUser.id);
    const guild = client.guilds.cache.get('1200000000000000001');
    expect(guild?.name).toBe('Policy desk');
    const channel = client.channels.cache.get('1300000000000000001') as TextChannel | undefined;
    expect(channel?.name).toBe('digest');
    const sent = await channel?.send({ content: 'hello from the gateway test' });
    expect(fake.messagesIn('1300000000000000001').map((m) => m.id)).toContain(sent?.id);
  });

  it('delivers dispatched events to the client', async () => {
    const seen = new Promise<string>((resolve) => client.once(Events.ChannelCreate, (c) => resolve(c.id)));
    fake.dispatch('CHANNEL_CREATE', {
      id: '1300000000000000002',
      type: 0,
      name: 'alerts',
      guild_id: '1200000000000000001',
      position: 1,
      permission_overwrites: [],
    });
    expect(await seen).toBe('1300000000000000002');
  });
});
