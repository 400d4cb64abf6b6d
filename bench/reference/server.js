// The reference broadcast server: the WebSocket chat server most people would write with Node's ws package.
// Raw mode: every message a client sends is relayed, byte for byte, to every other client in its room (the room is
// the URL path). No parsing, no validation, no ordering, no persistence, no backpressure.
//
//   node server.js [--port N] [--host 127.0.0.1]
'use strict';

const { WebSocketServer, WebSocket } = require('ws');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1] : fallback;
};
const port = Number(option('--port', '7421'));
const host = option('--host', '127.0.0.1');

const rooms = new Map();
const wss = new WebSocketServer({ host, port, maxPayload: 1024 * 1024, backlog: 511 });

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

wss.on('listening', () => {
  console.log(`listening on port ${wss.address().port}`);
});

const stop = () => {
  for (const client of wss.clients)
    client.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
