import { messagingApi } from '@line/bot-sdk';
import { managedClient } from 'line-token';

const line = managedClient(manager, {
  create: (channelAccessToken) =>
    new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: emu.url }),
});
await line.call((client) => client.pushMessage({ to, messages: [{ type: 'text', text: 'Hi' }] }));
const sent = await emu.admin.listMessages(channelId); // what the bot sent
export {};
