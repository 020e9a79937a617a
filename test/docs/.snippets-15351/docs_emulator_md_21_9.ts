import { startEmulator } from 'line-token/emulator';
import { ChannelAccessTokenClient } from 'line-token';

const emu = await startEmulator({ channels: [{ id: '1234567890', secret: 'my-secret' }] });
const client = new ChannelAccessTokenClient({ baseUrl: emu.url });
const { accessToken } = await client.issueShortLived({ channelId: '1234567890', channelSecret: 'my-secret' });
// ...
await emu.close();
export {};
