import { messagingApi } from '@line/bot-sdk';
import { TokenManager, managedClient } from 'line-token';

const manager = new TokenManager({ strategy });
const line = managedClient(manager, {
  create: (channelAccessToken) => new messagingApi.MessagingApiClient({ channelAccessToken }),
});

await line.call((client) =>
  client.pushMessage({ to: userId, messages: [{ type: 'text', text: 'Hello' }] }),
);
export {};
