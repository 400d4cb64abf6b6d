// The fastest reference: a relay on Bun's built-in WebSocket server (uWebSockets underneath) using its native
// publish/subscribe. Same contract as server.js: the room is the URL path, and every message a client sends goes,
// byte for byte, to every other client in that room (ws.publish skips the sender). No parsing, no validation, no
// ordering, no persistence. A slow reader's messages are dropped past Bun's backpressure limit (16 MB) rather than
// queued without end, as uWebSockets does.
//
//   bun bun-server.js [--port N] [--host 127.0.0.1] [--tls-cert cert.pem --tls-key key.pem]
// With a certificate it speaks wss:// (Bun's own TLS, BoringSSL).
const args = Bun.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};

const certFile = option('--tls-cert', '');
const keyFile = option('--tls-key', '');

const server = Bun.serve({
  tls: certFile ? { cert: Bun.file(certFile), key: Bun.file(keyFile) } : undefined,
  hostname: option('--host', '127.0.0.1'),
  port: Number(option('--port', '7421')),
  fetch(request, server) {
    const url = new URL(request.url);
    if (server.upgrade(request, { data: { room: url.pathname + url.search } }))
      return undefined;
    return new Response('WebSocket only\n', { status: 426 });
  },
  websocket: {
    maxPayloadLength: 1024 * 1024,
    idleTimeout: 0, // the idle-connection scenario keeps thousands open and silent
    perMessageDeflate: false,
    open(ws) {
      ws.subscribe(ws.data.room);
    },
    message(ws, message) {
      ws.publish(ws.data.room, message);
    },
  },
});

console.log(`listening on port ${server.port}`);

const stop = () => {
  server.stop(true);
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
