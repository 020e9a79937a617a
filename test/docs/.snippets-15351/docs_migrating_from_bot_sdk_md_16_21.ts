// Before
import { channelAccessToken } from '@line/bot-sdk';
const sdk = new channelAccessToken.ChannelAccessTokenClient({ baseURL: 'https://api.line.me' });
export {};
