// A bot whose token health Prometheus can scrape and alert on: the manager reports through
// line-token/opentelemetry to the OpenTelemetry SDK, whose Prometheus exporter answers
// GET /metrics. alerts.yml holds the alert rules, dashboard.json a Grafana dashboard.
//
//   LINE_CHANNEL_ID=... LINE_CHANNEL_SECRET=... LINE_ASSERTION_KID=... \
//   LINE_ASSERTION_PRIVATE_KEY=key.json PORT=9464 node bot.mjs
import { createServer } from 'node:http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TokenManager } from 'line-token';
import { apiBaseUrlFromEnv, strategyFromEnv } from 'line-token/env';
import { openTelemetry } from 'line-token/opentelemetry';

// The exporter serves no port of its own here: /metrics is one route of the bot's server.
const prometheus = new PrometheusExporter({ preventServerStart: true });
const meterProvider = new MeterProvider({ readers: [prometheus] });

const tokens = new TokenManager({
  strategy: await strategyFromEnv({ type: 'v2.1' }),
  clientOptions: { baseUrl: apiBaseUrlFromEnv() ?? 'https://api.line.me' },
  // Refreshed on a timer, so the gauges stay true even while no message is sent.
  refresh: { keepWarm: true },
  // With many channels, `channelIdAttribute: false` keeps the series bounded.
  telemetry: openTelemetry({ meterProvider }),
});

const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/metrics') {
    prometheus.getMetricsRequestHandler(req, res);
    return;
  }
  if (req.method === 'GET' && req.url === '/healthz') {
    const { hasToken } = tokens.status();
    res.writeHead(hasToken ? 200 : 503).end(hasToken ? 'ok' : 'no token');
    return;
  }
  res.writeHead(404).end();
});

await tokens.getToken(); // the first token, before the bot says it is up
server.listen(Number(process.env.PORT ?? 9464), () => {
  console.log(JSON.stringify({ listening: server.address().port }));
});

process.on('SIGTERM', () => {
  server.close();
  void tokens.close().then(() => meterProvider.shutdown());
});
