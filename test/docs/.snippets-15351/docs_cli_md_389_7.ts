import { diagnose } from 'line-token';

const { ok, findings } = await diagnose({ channelId, kid, privateKey, channelSecret });
if (!ok) {
  for (const f of findings.filter((f) => f.status === 'fail')) {
    console.error(`${f.title}: ${f.detail}. Fix: ${f.fix}`);
  }
}
export {};
