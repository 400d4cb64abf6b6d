// The reference broadcast server: the WebSocket chat server most people would write with Node's ws package.
// Raw mode: every message a client sends is relayed, byte for byte, to every other client in its room (the room is
// the URL path). No parsing, no validation, no ordering, no persistence, no backpressure.
//
//   node server.js [--port N] [--host 127.0.0.1] [--tls-cert cert.pem --tls-key key.pem]
// With a certificate it speaks wss:// (Node's https server under ws).
'use strict';

const fs = require('fs');
const https = require('https');
const { WebSocketServer, WebSocket } = require('ws');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const port = Number(option('--port', '7421'));
const host = option('--host', '127.0.0.1');

const certFile = option('--tls-cert', '');
const keyFile = option('--tls-key', '');

const rooms = new Map();
let wss;
if (certFile) {
  const server = https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) });
  wss = new WebSocketServer({ server, maxPayload: 1024 * 1024 });
  server.listen({ host, port, backlog: 511 }, () => {
    console.log(`listening on port ${server.address().port}`);
  });
} else {
  wss = new WebSocketServer({ host, port, maxPayload: 1024 * 1024, backlog: 511 });
  wss.on('listening', () => {
    console.log(`listening on port ${wss.address().port}`);
  });
}

wss.on('connection', (socket, request) => {
  const name = request.url || '/';
  let room = rooms.get(name);
  if (!room) {
    room = new Set();
    rooms.set(name, room);
  }
  room.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const other of room) {
      if (other !== socket && other.readyState === WebSocket.OPEN)
        other.send(data, { binary: isBinary });
    }
  });
  socket.on('close', () => {
    room.delete(socket);
    if (room.size === 0)
      rooms.delete(name);
  });
  socket.on('error', () => {});
});

const stop = () => {
  for (const client of wss.clients)
    client.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
