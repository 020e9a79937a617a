import { ChannelAccessTokenClient } from 'line-token';
import { startEmulator } from 'line-token/emulator';

const emu = await startEmulator({ channels: [{ id: '1234567890', secret: 'test-secret' }] });
const client = new ChannelAccessTokenClient({ baseUrl: emu.url });
const { kid } = await emu.admin.registerKey('1234567890', publicJwk); // as the Console does
await emu.admin.advanceClock(2_592_000); // 30 days later, in a millisecond
await emu.close();
export {};
