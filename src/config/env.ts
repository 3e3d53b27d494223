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
  /** Basic auth for the HTTP server (all but /healthz); none when unset. */
  httpPassword?: string;
}

export interface EnvSettings {
  configFile?: string;
  dbPath?: string;
  logLevel?: string;
  /** WATCHDESK_HTTP_HOST / WATCHDESK_HTTP_PORT beat http.host / http.port (a container sets 0.0.0.0). */
  httpHost?: string;
  httpPort?: string;
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
    httpHost: get('WATCHDESK_HTTP_HOST'),
    httpPort: get('WATCHDESK_HTTP_PORT'),
    secrets: {
      discordToken: get('DISCORD_TOKEN'),
      discordPublicKey: get('DISCORD_PUBLIC_KEY'),
      slackBotToken: get('SLACK_BOT_TOKEN'),
      slackSigningSecret: get('SLACK_SIGNING_SECRET'),
      slackAppToken: get('SLACK_APP_TOKEN'),
      llmApiKey: get('LLM_API_KEY'),
      httpPassword: get('WATCHDESK_HTTP_PASSWORD'),
    },
  };
}

export function secretValues(secrets: Secrets): string[] {
  return Object.values(secrets).filter((v): v is string => typeof v === 'string' && v.length >= 4);
}
