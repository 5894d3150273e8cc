// The seed document's server, as written there, with its pieces put together: one HTTP server for Express and both
// WebSocket endpoints (noServer, routed by path), the token verified and the Origin checked in the upgrade handler,
// chat broadcast to every chat client, notifications to every tab of one user, and a heartbeat that ends dead peers.
// Only the key differs from the guide's HS256 secret: RS256 with the public key the benchmark's tokens are signed for,
// so that it verifies the same tokens as the gateway. Environment: PORT, JWT_PUBLIC_KEY (a PEM file), JWT_ISSUER,
// ALLOWED_ORIGINS (comma-separated).
import express from 'express';
import { createServer } from 'http';
import { readFileSync } from 'fs';
import jwt from 'jsonwebtoken';
import { WebSocketServer, WebSocket } from 'ws';

const key = readFileSync(process.env.JWT_PUBLIC_KEY);
const issuer = process.env.JWT_ISSUER;
const origins = new Set((process.env.ALLOWED_ORIGINS || '').split(',').filter(Boolean));
const HEARTBEAT_INTERVAL = 30_000;

const app = express();
app.get('/health', (req, res) => res.json({ status: 'UP' }));
const server = createServer(app);

const chatWss = new WebSocketServer({ noServer: true });
const notifyWss = new WebSocketServer({ noServer: true });

function refuse(socket, status) {
  socket.write(`HTTP/1.1 ${status}\r\n\r\n`);
  socket.destroy();
}

server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://localhost');
  if (origins.size && !origins.has(req.headers.origin)) return refuse(socket, '403 Forbidden');
  const token = url.searchParams.get('token') || url.searchParams.get('access_token');
  if (!token) return refuse(socket, '401 Unauthorized');
  try {
    req.user = jwt.verify(token, key, { algorithms: ['RS256'], issuer });
  } catch {
    return refuse(socket, '401 Unauthorized');
  }
  const wss = url.pathname === '/ws/chat' ? chatWss : url.pathname === '/ws/notifications' ? notifyWss : null;
  if (!wss) return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});

function broadcast(data) {
  for (const client of chatWss.clients) {
    if (client.readyState === WebSocket.OPEN) client.send(data);
  }
}

chatWss.on('connection', (ws) => {
  ws.on('message', (data) => broadcast(data.toString()));
});

const tabs = new Map();
notifyWss.on('connection', (ws, req) => {
  const userId = req.user.sub;
  if (!tabs.has(userId)) tabs.set(userId, new Set());
  tabs.get(userId).add(ws);
  ws.on('close', () => {
    const set = tabs.get(userId);
    set.delete(ws);
    if (!set.size) tabs.delete(userId);
  });
});

for (const wss of [chatWss, notifyWss]) {
  wss.on('connection', (ws) => {
    ws.isAlive = true;
    ws.on('pong', () => { ws.isAlive = true; });
  });
  setInterval(() => {
    for (const ws of wss.clients) {
      if (!ws.isAlive) { ws.terminate(); continue; }
      ws.isAlive = false;
      ws.ping();
    }
  }, HEARTBEAT_INTERVAL);
}

server.listen(Number(process.env.PORT || 3000), () => console.log(`listening on ${server.address().port}`));
