/**
 * The only reader of process.env. Secrets live here and nowhere else; they are never logged
 * (see redactSecrets in src/log.ts, which is fed from secretValues()).
 */
export interface Secrets {
  discordToken?: string;
  discordPublicKey?: string;
  slackBotToken?: string;
  slackSigningSecret?: string;
  slackAppToken?: string;
  llmApiKey?: string;
}

export interface EnvSettings {
  configFile?: string;
  dbPath?: string;
  logLevel?: string;
  secrets: Secrets;
}

export function readEnv(env: NodeJS.ProcessEnv = process.env): EnvSettings {
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  return {
    configFile: get('WATCHDESK_CONFIG'),
    dbPath: get('WATCHDESK_DB'),
    logLevel: get('WATCHDESK_LOG_LEVEL'),
    secrets: {
      discordToken: get('DISCORD_TOKEN'),
      discordPublicKey: get('DISCORD_PUBLIC_KEY'),
      slackBotToken: get('SLACK_BOT_TOKEN'),
      slackSigningSecret: get('SLACK_SIGNING_SECRET'),
      slackAppToken: get('SLACK_APP_TOKEN'),
      llmApiKey: get('LLM_API_KEY'),
    },
  };
}

export function secretValues(secrets: Secrets): string[] {
  return Object.values(secrets).filter((v): v is string => typeof v === 'string' && v.length >= 4);
}
