// An HTTP client run inside the cluster's network namespace (`nsenter --net`), where ClusterIPs
// answer through kube-proxy. The test process itself stays outside it.
//   node in-network-client.ts get <url>                -> one request: {"status":200,"body":"..."}
//   node in-network-client.ts load <url> <max-seconds> [<max-requests>] -> requests from 4 workers,
//     each on a new connection, until SIGTERM, the time is up or max-requests were made; then
//     {"requests":n,"failures":n,"errors":[...],"greetings":{"<greeting>":n}} (the starter's GET / answers
//     its greeting setting: which version answered)
import http from 'node:http';

function get(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // A new connection each time, as a client behind the Service opens them: each goes through
    // kube-proxy's rules to whichever pod is an endpoint at that moment.
    const request = http.get(url, { agent: false, timeout: timeoutMs }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

async function load(url: string, maxSeconds: number, maxRequests: number) {
  let stopping = false;
  const stop = () => {
    stopping = true;
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const deadline = Date.now() + maxSeconds * 1000;
  let requests = 0;
  const errors: string[] = [];
  const greetings: Record<string, number> = {};
  const worker = async () => {
    while (!stopping && Date.now() < deadline && requests < maxRequests) {
      requests += 1;
      const at = new Date().toISOString();
      try {
        const { status, body } = await get(url, 5000);
        if (status !== 200) errors.push(`${at} HTTP ${status}: ${body.slice(0, 200)}`);
        const greeting = greetingOf(body);
        greetings[greeting] = (greetings[greeting] ?? 0) + 1;
      } catch (error) {
        errors.push(`${at} ${(error as Error).message}`);
      }
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const timedOut = !stopping && requests < maxRequests;
  process.stdout.write(`${JSON.stringify({ requests, failures: errors.length, errors: errors.slice(0, 20), timedOut, greetings })}\n`);
}

function greetingOf(body: string): string {
  try {
    return String((JSON.parse(body) as { greeting?: unknown }).greeting ?? '(none)');
  } catch {
    return '(not JSON)';
  }
}

const [mode, url, argument, maxRequests] = process.argv.slice(2);
if (mode === 'get' && url) {
  get(url, 10_000).then(
    (answer) => process.stdout.write(`${JSON.stringify(answer)}\n`),
    (error: Error) => process.stdout.write(`${JSON.stringify({ status: 0, body: '', error: error.message })}\n`),
  );
} else if (mode === 'load' && url && argument) {
  void load(url, Number(argument), maxRequests ? Number(maxRequests) : Number.POSITIVE_INFINITY);
} else {
  process.stderr.write('usage: in-network-client.ts get <url> | load <url> <max-seconds> [<max-requests>]\n');
  process.exit(2);
}
