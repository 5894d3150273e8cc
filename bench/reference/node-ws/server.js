// The benchmark's reference: the stack of the seed guide (Express + ws + jsonwebtoken), written as that guide
// recommends: one HTTP server for REST and WebSocket, `noServer` WebSocket servers routed by path, JWT from the query
// string and Origin checked before handleUpgrade, a 30 s isAlive heartbeat, rooms in Maps. It speaks
// realtime-gateway's wire protocol (join/leave/publish/ping -> ack/message/pong/error) so one load runs against both.
//
//   PORT=9090 JWT_PUBLIC_KEY=path/to/publicKey.pem JWT_ISSUER=... ALLOWED_ORIGINS=http://localhost node server.js
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import express from "express";
import jwt from "jsonwebtoken";
import { WebSocketServer, WebSocket } from "ws";

const PORT = Number(process.env.PORT || 9090);
const PUBLIC_KEY = readFileSync(process.env.JWT_PUBLIC_KEY);
const ISSUER = process.env.JWT_ISSUER || undefined;
const ALLOWED_ORIGINS = (process.env.ALLOWED_ORIGINS || "").split(",").filter(Boolean);
const MAX_PAYLOAD = 64 * 1024;
const HEARTBEAT_MS = 30_000;
const ROOM_NAME = /^[A-Za-z0-9._:-]{1,128}$/;

const app = express();
app.use(express.json({ limit: "64kb" }));
app.get("/health", (req, res) => res.json({ status: "ok" }));
const server = createServer(app);

const chat = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
const notifications = new WebSocketServer({ noServer: true, maxPayload: MAX_PAYLOAD });
const rooms = new Map(); // room -> Set<ws>
const users = new Map(); // user -> Set<ws> (notification sockets)
const prefix = randomBytes(4).toString("hex");
let counter = 0;

function refuse(socket, status, text) {
  socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n\r\n`);
  socket.destroy();
}

server.on("upgrade", (req, socket, head) => {
  socket.on("error", () => socket.destroy());
  const url = new URL(req.url, "http://localhost");
  const target = url.pathname === "/ws/chat" ? chat : url.pathname === "/ws/notifications" ? notifications : null;
  if (!target) return refuse(socket, 404, "Not Found");
  const origin = req.headers.origin;
  if (origin && !ALLOWED_ORIGINS.includes(origin)) return refuse(socket, 403, "Forbidden");
  const token = url.searchParams.get("access_token");
  if (!token) return refuse(socket, 401, "Unauthorized");
  let claims;
  try {
    claims = jwt.verify(token, PUBLIC_KEY, { algorithms: ["RS256", "ES256"], issuer: ISSUER });
  } catch {
    return refuse(socket, 401, "Unauthorized");
  }
  if (!Array.isArray(claims.groups) || !claims.groups.includes("user")) return refuse(socket, 403, "Forbidden");
  target.handleUpgrade(req, socket, head, (ws) => {
    ws.user = claims.sub;
    target.emit("connection", ws, req);
  });
});
for (const wss of [chat, notifications]) {
  wss.on("wsClientError", (error, socket) => refuse(socket, 400, "Bad Request"));
}

function send(ws, text) {
  if (ws.readyState === WebSocket.OPEN) ws.send(text);
}
const error = (ref, code, message) => JSON.stringify({ type: "error", ref, code, message });

chat.on("connection", (ws) => {
  ws.isAlive = true;
  ws.rooms = new Set();
  ws.on("pong", () => (ws.isAlive = true));
  ws.on("error", () => {});
  ws.on("message", (data, isBinary) => {
    ws.isAlive = true;
    if (isBinary) return send(ws, error(undefined, "binary_not_supported", "text frames only"));
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return send(ws, error(undefined, "bad_json", "frame is not valid JSON"));
    }
    const { type, room, ref } = frame || {};
    if (type === "ping") return send(ws, JSON.stringify({ type: "pong", ref }));
    if (typeof room !== "string" || !ROOM_NAME.test(room)) return send(ws, error(ref, "invalid_room", "bad room"));
    if (type === "join") {
      if (!rooms.has(room)) rooms.set(room, new Set());
      rooms.get(room).add(ws);
      ws.rooms.add(room);
      if (ref) send(ws, JSON.stringify({ type: "ack", ref, room }));
    } else if (type === "leave") {
      rooms.get(room)?.delete(ws);
      if (rooms.get(room)?.size === 0) rooms.delete(room);
      ws.rooms.delete(room);
      if (ref) send(ws, JSON.stringify({ type: "ack", ref, room }));
    } else if (type === "publish") {
      if (!ws.rooms.has(room)) return send(ws, error(ref, "not_member", "join first"));
      const id = `${prefix}-${(++counter).toString(36)}`;
      const text = JSON.stringify({ type: "message", room, id, from: ws.user, data: frame.data, ts: Date.now() });
      for (const member of rooms.get(room)) if (member !== ws) send(member, text);
      if (ref) send(ws, JSON.stringify({ type: "ack", ref, room, id }));
    } else {
      send(ws, error(ref, "unknown_type", "unknown type"));
    }
  });
  ws.on("close", () => {
    for (const room of ws.rooms) {
      rooms.get(room)?.delete(ws);
      if (rooms.get(room)?.size === 0) rooms.delete(room);
    }
  });
});

notifications.on("connection", (ws) => {
  ws.isAlive = true;
  ws.on("pong", () => (ws.isAlive = true));
  ws.on("error", () => {});
  if (!users.has(ws.user)) users.set(ws.user, new Set());
  users.get(ws.user).add(ws);
  ws.on("message", (data) => {
    ws.isAlive = true;
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      frame = null;
    }
    if (frame?.type === "ping") return send(ws, JSON.stringify({ type: "pong", ref: frame.ref }));
    send(ws, error(undefined, "not_supported", "push only"));
  });
  ws.on("close", () => {
    users.get(ws.user)?.delete(ws);
    if (users.get(ws.user)?.size === 0) users.delete(ws.user);
  });
});

const heartbeat = setInterval(() => {
  for (const wss of [chat, notifications]) {
    for (const ws of wss.clients) {
      if (!ws.isAlive) {
        ws.terminate();
        continue;
      }
      ws.isAlive = false;
      ws.ping();
    }
  }
}, HEARTBEAT_MS);

server.on("error", (e) => {
  console.error(`cannot listen on ${PORT}: ${e.code}`);
  process.exit(1);
});
server.listen(PORT, "127.0.0.1", () => console.log(`node reference listening on :${PORT}`));

process.on("SIGTERM", () => {
  clearInterval(heartbeat);
  for (const wss of [chat, notifications]) for (const ws of wss.clients) ws.close(1001, "server shutting down");
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 8000).unref();
});
