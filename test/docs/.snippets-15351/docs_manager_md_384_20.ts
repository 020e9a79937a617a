import { ChannelAccessTokenClient, MemoryTokenStore, TokenManagerRegistry } from 'line-token';

const registry = new TokenManagerRegistry({
  defaults: { client: new ChannelAccessTokenClient(), store: new MemoryTokenStore(), onRefreshError },
});
registry.register('1234567890', { strategy: { type: 'stateless', channelId: '1234567890', channelSecret } });
registry.register('2345678901', { strategy: { type: 'v2.1', channelId: '2345678901', kid, privateKey, channelSecret: secret2 } });

const token = await registry.getToken('1234567890'); // or registry.get(key)!.getToken()
await registry.close();                              // closes every manager
export {};
