// HTTP/1.1 with keep-alive for the latency benchmarks: one agent, a request that times itself.
import http from 'node:http';

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** `{ status, text, micros }`: micros from sending the request to the end of the answer. */
export function request(method, url, { token, body } = {}) {
  return new Promise((done, fail) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const started = process.hrtime.bigint();
    const req = http.request(url, { method, agent, headers, timeout: 10_000 }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const micros = Number(process.hrtime.bigint() - started) / 1000;
        done({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8'), micros });
      });
      res.on('error', fail);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on('error', fail);
    req.end(payload);
  });
}
