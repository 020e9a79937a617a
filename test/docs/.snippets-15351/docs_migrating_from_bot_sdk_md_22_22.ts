// After
import { ChannelAccessTokenClient } from 'line-token';
const client = new ChannelAccessTokenClient({ baseUrl: 'https://api.line.me' }); // the default
export {};
