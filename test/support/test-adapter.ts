// Loaded by every mocha config before the specs: yeoman-test's prompt adapter, made safe on current Node.
//
// @yeoman/adapter 5.0.0 (the newest) builds its test prompt module with `Duplex.from(async () => {})` as
// the output. Since Node 24.22 and 26 (nodejs/node#62824), a Duplex made from an async function that
// returns without reading its input destroys itself with an AbortError; nobody listens for errors on
// that stream, so every spec that runs the generator in-process died with an uncaught AbortError.
// The dummy prompts the adapter registers never write to that output, so a sink that accepts and
// drops writes serves the same purpose. Only the construction of the adapter sees the substitute.
import { Duplex, Writable } from 'node:stream';
import helpers, { TestAdapter } from 'yeoman-test';

type AdapterOptions = ConstructorParameters<typeof TestAdapter>[0];

/** A Writable that drops what it is given, standing where the adapter wants an unused output. */
function discardingOutput(): Writable {
  return new Writable({ write: (_chunk, _encoding, callback) => callback() });
}

export function createTestAdapter(options?: AdapterOptions): TestAdapter {
  const duplexFrom = Duplex.from;
  Duplex.from = ((body: unknown) => (typeof body === 'function' ? discardingOutput() : duplexFrom(body as never))) as typeof Duplex.from;
  try {
    return new TestAdapter({ ...helpers.adapterOptions, ...options });
  } finally {
    Duplex.from = duplexFrom;
  }
}

helpers.createTestAdapter = createTestAdapter;
