import { CloudAdapter, ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Request, Response, Server } from 'restify';
import type { Services } from '../api/app';
import type { Logger } from '../api/logging/logger';
import type { Settings } from '../api/settings/settings';
import { errorBody } from '../api/http/error-body';
import { PortalBot } from './portal-bot';

/**
 * POST /api/messages on the app's restify server. With no BOT_ID the adapter
 * accepts unauthenticated local traffic (the Agents Playground); with BOT_ID
 * it requires a valid Bot Framework token.
 */
export function registerBotEndpoint(server: Server, services: Services, settings: Settings, logger: Logger): PortalBot {
  const log = logger.child({ component: 'bot-endpoint' });
  const authentication = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: settings.BOT_ID ?? '',
    MicrosoftAppPassword: settings.BOT_PASSWORD ?? '',
    MicrosoftAppType: settings.BOT_TENANT_ID ? 'SingleTenant' : 'MultiTenant',
    MicrosoftAppTenantId: settings.BOT_TENANT_ID ?? '',
  });
  const adapter = new CloudAdapter(authentication);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    log.error({ err: error.message, activityType: context.activity.type }, 'bot turn failed');
    await context
      .sendActivity('Something went wrong on our side. Try again in a moment.')
      .catch((sendError: unknown) => log.warn({ err: String(sendError) }, 'could not tell the user'));
  };
  // The adapter too: a job's card is updated through it by whichever instance runs the job.
  const bot = new PortalBot(services, logger, settings.BOT_ID ?? '', {}, adapter);
  server.post('/api/messages', async (req: Request, res: Response) => {
    // The replies would come back in this HTTP answer instead of going through
    // the Bot Connector to the conversation: whoever can post here would read them.
    if (isExpectReplies(req.body)) {
      res.send(400, errorBody('expect_replies_refused', 'This bot does not answer deliveryMode "expectReplies": its replies go to the conversation through the Bot Connector'));
      return;
    }
    await adapter.process(req as never, res as never, (context) => bot.run(context));
  });
  return bot;
}

function isExpectReplies(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const mode = (body as { deliveryMode?: unknown }).deliveryMode;
  return typeof mode === 'string' && mode.trim().toLowerCase() === 'expectreplies';
}
