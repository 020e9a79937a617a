import { authorizedFetch } from 'line-token';

const lineFetch = authorizedFetch(manager); // or authorizedFetch(manager, { fetch: myFetch })
const res = await lineFetch('https://api.line.me/v2/bot/message/push', {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-line-retry-key': crypto.randomUUID() },
  body: JSON.stringify({ to: userId, messages: [{ type: 'text', text: 'Hello' }] }),
});
export {};
