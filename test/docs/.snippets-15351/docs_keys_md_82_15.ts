import { createAssertionSigner } from 'line-token';

const signer = createAssertionSigner({ channelId, kid, privateKey, tokenExpSec: 86_400 });
const token = await client.issueV21({ assertion: await signer.sign() });
// Key-id listing and stateless issue take an assertion without token_exp:
const kids = await client.getValidKeyIds({ assertion: await signer.sign({ tokenExpSec: null }) });
const stateless = await client.issueStateless({ assertion: await signer.sign({ tokenExpSec: null }) });
export {};
