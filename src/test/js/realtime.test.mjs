// Unit tests of the browser client's state machine, backoff and queue, with Node's own test runner:
//   node --test src/test/js
// A scripted WebSocket stands in for the browser's and timers are driven by hand, so nothing waits for real time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { RealtimeClient, backoffDelay, closeAction, eventStreamUrl, fromEventFrame, newerId, reconnectHint, MAX_HINT_MS, State, encodeBinaryFrame, decodeBinaryFrame } from "../../main/resources/META-INF/resources/realtime.js";

class FakeTimers {
  constructor() { this.now = 0; this.tasks = new Map(); this.nextId = 1; }
  setTimeout = (fn, ms) => { const id = this.nextId++; this.tasks.set(id, { fn, at: this.now + ms }); return id; };
  clearTimeout = (id) => { this.tasks.delete(id); };
  nowFn = () => this.now;
  /** Runs every task due within `ms`, in time order. */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      let next = null;
      for (const [id, t] of this.tasks) if (t.at <= end && (!next || t.at < next[1].at)) next = [id, t];
      if (!next) break;
      this.tasks.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
}

function fakeSocketClass() {
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.sent = []; this.closed = null; sockets.push(this); }
    send(data) {
      if (this.opened !== true) throw new Error("send before open");
      if (typeof data === "string") {
        this.sent.push(JSON.parse(data));
        return;
      }
      // A binary frame: its header, with its bytes (a copy, as a socket would send them) as `bytes`.
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      const n = (bytes[0] << 8) | bytes[1];
      const header = JSON.parse(new TextDecoder().decode(bytes.subarray(2, 2 + n)));
      this.sent.push({ ...header, bytes: Array.from(bytes.subarray(2 + n)) });
    }
    close(code, reason) { this.closed = { code, reason }; }
    open() { this.opened = true; this.onopen?.(); }
    receive(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }
    receiveBinary(buffer) { this.onmessage?.({ data: buffer }); }
    drop(code, reason = "") { this.opened = false; this.onclose?.({ code, reason }); }
  }
  return { FakeSocket, sockets };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

function setup(overrides = {}) {
  const timers = new FakeTimers();
  const { FakeSocket, sockets } = fakeSocketClass();
  let tokens = 0;
  const client = new RealtimeClient({
    url: "ws://gw.test/ws/chat",
    getToken: async () => `t${++tokens}`,
    WebSocket: FakeSocket,
    timers: { setTimeout: timers.setTimeout, clearTimeout: timers.clearTimeout, now: timers.nowFn },
    random: () => 0.5,
    ...overrides,
  });
  const states = [];
  const details = [];
  client.addEventListener("state", (e) => {
    states.push(e.detail.state);
    details.push(e.detail);
  });
  return { client, timers, sockets, states, details, tokenCount: () => tokens };
}

/** Connects, joins "lobby" and receives one message with id `id` there, on the first socket. */
async function openInLobbyAfter(client, sockets, id) {
  client.connect();
  await flush();
  sockets[0].open();
  const joined = client.join("lobby");
  sockets[0].receive({ type: "ack", ref: sockets[0].sent[0].ref, room: "lobby" });
  await joined;
  sockets[0].receive({ type: "message", room: "lobby", id, from: "bob", data: "hi", ts: 1 });
}

test("backoff is full jitter under an exponential ceiling capped at capMs", () => {
  const opts = { baseMs: 100, capMs: 5000 };
  assert.equal(backoffDelay(0, opts, () => 0.999999), 99);
  assert.equal(backoffDelay(3, opts, () => 0.999999), 799);
  assert.equal(backoffDelay(10, opts, () => 0.999999), 4999);
  assert.equal(backoffDelay(1000, opts, () => 0.999999), 4999);
  assert.equal(backoffDelay(5, opts, () => 0), 0);
  for (let i = 0; i < 1000; i++) {
    const d = backoffDelay(4, opts);
    assert.ok(d >= 0 && d < 1600, `delay ${d} outside [0, 1600)`);
  }
});

test("close codes map to stop, new token, or reconnect", () => {
  assert.equal(closeAction(1000), "stop");
  assert.equal(closeAction(4001), "refresh-token");
  for (const code of [1001, 1005, 1006, 1011, 1012, 1013, 4999]) assert.equal(closeAction(code), "reconnect");
  for (const code of [1002, 1003, 1007, 1008, 1009]) assert.equal(closeAction(code), "stop");
});

test("a reconnect hint is read from a 1001 whose reason is JSON with a numeric retryAfterMs, and bounded", () => {
  assert.equal(reconnectHint(1001, '{"retryAfterMs":1234}'), 1234);
  assert.equal(reconnectHint(1001, '{"retryAfterMs":0}'), 0);
  assert.equal(reconnectHint(1001, '{"retryAfterMs":12.7}'), 12);
  assert.equal(reconnectHint(1001, '{"retryAfterMs":3600000}'), MAX_HINT_MS);
  assert.equal(MAX_HINT_MS, 60000);
  for (const reason of ["server shutting down", "", "{", '{"retryAfterMs":"5"}', '{"retryAfterMs":-1}',
    '{"retryAfterMs":null}', '{"other":5}', "null", "[1]"]) {
    assert.equal(reconnectHint(1001, reason), null, reason);
  }
  assert.equal(reconnectHint(1001, undefined), null);
  for (const code of [1000, 1006, 1012, 1013, 4001]) assert.equal(reconnectHint(code, '{"retryAfterMs":5}'), null);
});

test("a draining server's hint replaces the backoff, then the client rejoins with since as usual", async () => {
  const { client, sockets, timers, details } = setup({ backoff: { baseMs: 100, capMs: 100 } });
  await openInLobbyAfter(client, sockets, "e1:7");

  sockets[0].drop(1001, '{"retryAfterMs":2500}');
  assert.deepEqual(details.at(-1), { state: "reconnecting", attempt: 1, delayMs: 2500 });
  timers.advance(2499);
  await flush();
  assert.equal(sockets.length, 1, "reconnected before the server's hint (the backoff alone would be 50 ms)");
  timers.advance(1);
  await flush();
  assert.equal(sockets.length, 2);
  sockets[1].open();
  assert.deepEqual(sockets[1].sent.map((f) => [f.type, f.room, f.since]), [["join", "lobby", "e1:7"]]);
  assert.equal(client.state, State.OPEN);
});

test("a 1001 without a usable hint, or a failed attempt after a hinted one, uses the backoff", async () => {
  const { client, sockets, timers, details } = setup({ backoff: { baseMs: 1000, capMs: 8000 } });
  client.connect();
  await flush();
  sockets[0].open();
  sockets[0].drop(1001, "server shutting down");
  assert.deepEqual(details.at(-1), { state: "reconnecting", attempt: 1, delayMs: 500 });
  timers.advance(500);
  await flush();
  sockets[1].open();
  sockets[1].drop(1001, '{"retryAfterMs":999999}');
  assert.deepEqual(details.at(-1), { state: "reconnecting", attempt: 1, delayMs: MAX_HINT_MS }, "bounded");
  timers.advance(MAX_HINT_MS);
  await flush();
  assert.equal(sockets.length, 3);
  sockets[2].drop(1006);
  assert.deepEqual(details.at(-1), { state: "reconnecting", attempt: 2, delayMs: 1000 }, "the backoff goes on");
});

test("sends are queued until open and never sent before open", async () => {
  const { client, sockets } = setup();
  client.connect();
  const ack = client.publish("lobby", { n: 1 });
  await flush();
  assert.equal(sockets.length, 1);
  assert.equal(sockets[0].url, "ws://gw.test/ws/chat?access_token=t1");
  assert.deepEqual(sockets[0].sent, []);
  sockets[0].open();
  assert.equal(sockets[0].sent.length, 1);
  assert.equal(sockets[0].sent[0].type, "publish");
  sockets[0].receive({ type: "ack", ref: sockets[0].sent[0].ref, room: "lobby", id: "m1" });
  assert.equal((await ack).id, "m1");
});

test("the send queue is bounded", async () => {
  const { client } = setup({ maxQueue: 2 });
  client.connect();
  client.publish("r", 1).catch(() => {});
  client.publish("r", 2).catch(() => {});
  await assert.rejects(client.publish("r", 3), /queue is full/);
});

test("reconnects with backoff after 1006, with a fresh token, and rejoins with since", async () => {
  const { client, sockets, timers, states, details, tokenCount } = setup({ backoff: { baseMs: 1000, capMs: 8000 } });
  await openInLobbyAfter(client, sockets, "e1:41");
  assert.equal(client.lastId("lobby"), "e1:41");

  sockets[0].drop(1006);
  assert.equal(client.state, State.RECONNECTING);
  timers.advance(499); // random 0.5 of a 1000 ms ceiling
  await flush();
  assert.equal(sockets.length, 1, "reconnected before the backoff delay");
  timers.advance(1);
  await flush();
  assert.equal(sockets.length, 2);
  assert.equal(tokenCount(), 2, "the token must be fetched afresh for every attempt");
  sockets[1].open();
  assert.deepEqual(sockets[1].sent.map((f) => [f.type, f.room, f.since]), [["join", "lobby", "e1:41"]]);
  const recovered = [];
  client.addEventListener("recovery", (e) => recovered.push(e.detail.recovered));
  sockets[1].receive({ type: "ack", ref: sockets[1].sent[0].ref, room: "lobby", recovered: false });
  assert.deepEqual(recovered, [false]);
  assert.deepEqual(states, ["connecting", "open", "reconnecting", "open"]);
  assert.deepEqual(details[2], { state: "reconnecting", attempt: 1, delayMs: 500 }, "the page can say which attempt, when");
});

test("rewind is asked for on the first join only; the rejoin after a reconnect uses since", async () => {
  const { client, sockets, timers } = setup({ backoff: { baseMs: 1000, capMs: 8000 } });
  client.connect();
  await flush();
  const joined = client.join("gallery", { rewind: 3 }); // queued before open: sent once, on open
  sockets[0].open();
  assert.deepEqual(sockets[0].sent.map((f) => [f.type, f.room, f.rewind, f.since]), [["join", "gallery", 3, undefined]]);
  sockets[0].receive({ type: "ack", ref: sockets[0].sent[0].ref, room: "gallery", rewound: 2 });
  assert.equal((await joined).rewound, 2);
  const seen = [];
  client.addEventListener("message", (e) => seen.push(e.detail.data));
  sockets[0].receive({ type: "message", room: "gallery", id: "e1:9", from: "bob", data: "m9", ts: 1 });
  sockets[0].receive({ type: "message", room: "gallery", id: "e1:10", from: "bob", data: "m10", ts: 2 });
  assert.deepEqual(seen, ["m9", "m10"]);
  client.join("plain").catch(() => {}); // never answered: the connection drops
  assert.equal(sockets[0].sent[1].rewind, undefined, "no rewind unless asked");

  sockets[0].drop(1006);
  timers.advance(1000);
  await flush();
  sockets[1].open();
  const rejoin = sockets[1].sent.find((f) => f.room === "gallery");
  assert.equal(rejoin.since, "e1:10");
  assert.equal(rejoin.rewind, undefined, "a rejoin recovers with since, it does not rewind again");
});

test("a server resync is reported like an incomplete recovery, and the connection stays", async () => {
  const { client, sockets } = setup();
  client.connect();
  await flush();
  sockets[0].open();
  const recoveries = [];
  client.addEventListener("recovery", (e) => recoveries.push(e.detail));
  sockets[0].receive({ type: "resync", room: "lobby" });
  assert.deepEqual(recoveries, [{ type: "resync", room: "lobby", recovered: false }]);
  assert.equal(client.state, State.OPEN);
});

test("the backoff grows with consecutive failures and resets once open", async () => {
  // WebSockets only: in "auto", the second failure in a row would move to the event stream (tested below).
  const { client, sockets, timers } = setup({ backoff: { baseMs: 1000, capMs: 8000 }, random: () => 0.999,
    transport: "websocket" });
  client.connect();
  await flush();
  const delays = [];
  for (let i = 0; i < 5; i++) {
    const before = sockets.length;
    sockets[sockets.length - 1].drop(1006);
    let waited = 0;
    while (sockets.length === before && waited < 20000) {
      timers.advance(100);
      waited += 100;
      await flush();
    }
    delays.push(waited);
  }
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000]);
  sockets[sockets.length - 1].open();
  sockets[sockets.length - 1].drop(1012);
  let waited = 0;
  const before = sockets.length;
  while (sockets.length === before && waited < 20000) {
    timers.advance(100);
    waited += 100;
    await flush();
  }
  assert.equal(waited, 1000, "the backoff did not reset after a successful open");
});

test("4001 fetches a new token and reconnects at once; 1000 stops", async () => {
  const { client, sockets, tokenCount } = setup();
  client.connect();
  await flush();
  sockets[0].open();
  sockets[0].drop(4001, "token expired");
  await flush();
  assert.equal(sockets.length, 2);
  assert.equal(tokenCount(), 2);
  sockets[1].open();
  sockets[1].drop(1000);
  assert.equal(client.state, State.CLOSED);
  await assert.rejects(client.publish("r", 1), /closed/);
});

test("a protocol error (1002) stops and is reported, it is not retried", async () => {
  const { client, sockets, timers } = setup();
  const errors = [];
  client.addEventListener("error", (e) => errors.push(e.detail));
  client.connect();
  await flush();
  sockets[0].open();
  sockets[0].drop(1002);
  timers.advance(60000);
  await flush();
  assert.equal(sockets.length, 1);
  assert.equal(client.state, State.CLOSED);
  assert.equal(errors.at(-1).code, 1002);
});

test("a silent server is pinged, then dropped and reconnected", async () => {
  const { client, sockets, timers } = setup({ pingMs: 1000, silenceMs: 3000 });
  client.connect();
  await flush();
  sockets[0].open();
  timers.advance(1000);
  assert.deepEqual(sockets[0].sent.map((f) => f.type), ["ping"]);
  sockets[0].receive({ type: "pong" });
  timers.advance(2500);
  assert.equal(sockets[0].closed, null, "a server that answered pings was dropped");
  timers.advance(3000);
  await flush();
  assert.notEqual(sockets[0].closed, null, "a silent server was not dropped");
  timers.advance(60000);
  await flush();
  assert.equal(sockets.length, 2);
});

test("server errors reject the matching request", async () => {
  const { client, sockets } = setup();
  client.connect();
  await flush();
  sockets[0].open();
  const p = client.publish("lobby", "x");
  sockets[0].receive({ type: "error", ref: sockets[0].sent[0].ref, code: "not_member", message: "join first" });
  await assert.rejects(p, (e) => e.code === "not_member");
});

test("notifications are dispatched as events and resumed with since", async () => {
  const { client, sockets, timers } = setup({ url: "ws://gw.test/ws/notifications" });
  const got = [];
  client.addEventListener("notification", (e) => got.push(e.detail.data));
  client.connect();
  await flush();
  sockets[0].open();
  sockets[0].receive({ type: "notification", id: "e7:3", data: { invoice: 7 }, ts: 1 });
  assert.deepEqual(got, [{ invoice: 7 }]);
  sockets[0].drop(1012);
  timers.advance(60000);
  await flush();
  assert.equal(sockets[1].url, "ws://gw.test/ws/notifications?access_token=t2&since=e7%3A3");
});

test("the resume id only moves forward within an epoch and follows a new epoch", () => {
  assert.equal(newerId(null, "e:5"), "e:5");
  assert.equal(newerId("e:5", "e:7"), "e:7");
  assert.equal(newerId("e:7", "e:6"), "e:7", "a late message of another publisher does not move it back");
  assert.equal(newerId("e:7", "f:1"), "f:1", "a new epoch replaces it");
  assert.equal(newerId("e:7", undefined), "e:7");
  assert.equal(newerId("e:9", "e:10"), "e:10", "offsets compare as numbers");
});

test("presence: queries resolve with the users, diffs are events, and watching survives a reconnect", async () => {
  const { client, sockets, timers } = setup();
  const diffs = [];
  client.addEventListener("presence", (e) => diffs.push(e.detail));
  client.connect();
  await flush();
  sockets[0].open();
  const joined = client.join("lobby", { presence: true });
  client.join("quiet").catch(() => {}); // never answered: rejected when the connection drops
  assert.deepEqual(sockets[0].sent.map((f) => [f.room, f.presence]), [["lobby", true], ["quiet", undefined]]);
  sockets[0].receive({ type: "ack", ref: sockets[0].sent[0].ref, room: "lobby" });
  await joined;
  const who = client.presence("lobby");
  const query = sockets[0].sent[2];
  assert.deepEqual([query.type, query.room], ["presence", "lobby"]);
  sockets[0].receive({ type: "presence", ref: query.ref, room: "lobby", users: ["ann", "bob"] });
  assert.deepEqual(await who, ["ann", "bob"]);
  sockets[0].receive({ type: "presence_diff", room: "lobby", joined: ["cat"], left: [] });
  assert.deepEqual(diffs.map((d) => d.joined), [["cat"]]);

  sockets[0].drop(1001);
  timers.advance(60000);
  await flush();
  sockets[1].open();
  assert.deepEqual(sockets[1].sent.map((f) => [f.room, f.presence]), [["lobby", true], ["quiet", undefined]]);
});

test("a request made when the state turns open goes after the rejoins", async () => {
  const { client, sockets, timers } = setup();
  client.connect();
  await flush();
  sockets[0].open();
  client.join("lobby", { presence: true }).catch(() => {});
  client.addEventListener("state", (e) => {
    if (e.detail.state === State.OPEN) client.presence("lobby").catch(() => {});
  });
  sockets[0].drop(1006);
  timers.advance(60000);
  await flush();
  sockets[1].open();
  assert.deepEqual(sockets[1].sent.map((f) => f.type), ["join", "presence"]);
});

test("token_expiring is answered with a refresh carrying a fresh token; left rooms are not rejoined", async () => {
  const { client, sockets, timers, tokenCount } = setup();
  const events = [];
  client.addEventListener("token", (e) => events.push(["token", e.detail.exp]));
  client.addEventListener("left", (e) => events.push(["left", e.detail.room]));
  client.connect();
  await flush();
  sockets[0].open();
  client.join("private:team").catch(() => {});
  client.join("lobby").catch(() => {});
  sockets[0].receive({ type: "token_expiring", exp: 1000 });
  await flush();
  const refresh = sockets[0].sent.find((f) => f.type === "refresh");
  assert.ok(refresh, "a refresh was sent");
  assert.equal(refresh.token, `t${tokenCount()}`, "with a token fetched just now");
  assert.equal(tokenCount(), 2);
  // The server's order: the rooms the new token no longer grants are left first, then the refresh is acked.
  sockets[0].receive({ type: "left", room: "private:team", reason: "forbidden" });
  sockets[0].receive({ type: "ack", ref: refresh.ref, exp: 5000 });
  await flush();
  assert.deepEqual(events, [["left", "private:team"], ["token", 5000]]);

  sockets[0].drop(1006);
  timers.advance(60000);
  await flush();
  sockets[1].open();
  assert.deepEqual(sockets[1].sent.filter((f) => f.type === "join").map((f) => f.room), ["lobby"],
    "a room the server took it out of is not rejoined");
});

test("binary frames: a 2-byte big-endian header length, the JSON header, then the bytes, read back unchanged", () => {
  const payload = new Uint8Array(300).map((_, i) => i & 0xff);
  const frame = encodeBinaryFrame({ type: "publish", room: "x", ref: "1" }, payload);
  const header = '{"type":"publish","room":"x","ref":"1"}';
  assert.equal((frame[0] << 8) | frame[1], header.length);
  assert.equal(new TextDecoder().decode(frame.subarray(2, 2 + header.length)), header);
  assert.deepEqual(Array.from(frame.subarray(2 + header.length)), Array.from(payload));
  const decoded = decodeBinaryFrame(frame.buffer);
  assert.equal(decoded.room, "x");
  assert.ok(decoded.data instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Uint8Array(decoded.data)), Array.from(payload));
  for (const bad of [[], [0], [0, 5, 123, 125], [0, 1, 123], [0, 2, 91, 93], [0, 2, 0xc3, 0x28]]) {
    assert.equal(decodeBinaryFrame(new Uint8Array(bad).buffer), null, JSON.stringify(bad));
  }
});

test("bytes are published as binary frames in call order, Blobs included, and binary messages arrive as ArrayBuffer", async () => {
  const { client, sockets } = setup();
  const messages = [];
  client.addEventListener("message", (e) => messages.push(e.detail));
  client.connect();
  await flush();
  const queued = client.publish("lobby", new Uint8Array([1, 2, 3]).buffer); // queued until open
  sockets[0].open();
  assert.equal(sockets[0].binaryType, "arraybuffer");
  const typed = new Uint16Array([0x0102, 0xffff]);
  const publishes = [
    queued,
    client.publish("lobby", new Blob([new Uint8Array([9, 8])])),
    client.publish("lobby", { text: "after the blob" }),
    client.publish("lobby", new DataView(new Uint8Array([0, 7, 7, 0]).buffer, 1, 2)),
    client.publish("lobby", typed.subarray(1)),
  ];
  for (let i = 0; i < 10 && sockets[0].sent.length < 5; i++) await flush();
  const sent = sockets[0].sent;
  assert.deepEqual(sent.map((f) => f.bytes ?? f.data), [[1, 2, 3], [9, 8], { text: "after the blob" }, [7, 7],
    Array.from(new Uint8Array(typed.buffer, 2, 2))]);
  for (const frame of sent) {
    assert.equal(frame.type, "publish");
    assert.equal(frame.room, "lobby");
    sockets[0].receive({ type: "ack", ref: frame.ref, room: "lobby", id: `e:${frame.ref}` });
  }
  assert.deepEqual((await Promise.all(publishes)).map((ack) => ack.id), sent.map((f) => `e:${f.ref}`));

  const header = new TextEncoder().encode('{"type":"message","room":"lobby","id":"e:9","from":"bob","ts":1}');
  const frame = new Uint8Array(2 + header.length + 3);
  frame[1] = header.length;
  frame.set(header, 2);
  frame.set([0, 255, 10], 2 + header.length);
  sockets[0].receiveBinary(frame.buffer);
  assert.equal(messages.length, 1);
  assert.equal(messages[0].from, "bob");
  assert.ok(messages[0].data instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Uint8Array(messages[0].data)), [0, 255, 10]);
  assert.equal(client.lastId("lobby"), null, "not joined: no cursor");
  const errors = [];
  client.addEventListener("error", (e) => errors.push(e.detail));
  sockets[0].receiveBinary(new Uint8Array([0, 9, 1]).buffer);
  assert.equal(errors[0].reason, "bad-frame");
});

/** A scripted EventSource and fetch: streams record their URL, posts their URL, headers and body. */
function fakeEventStreams() {
  const streams = [];
  const posts = [];
  class FakeEventSource {
    constructor(url) { this.url = url; this.closed = false; streams.push(this); }
    close() { this.closed = true; }
    event(frame) { this.onmessage?.({ data: JSON.stringify(frame) }); }
    fail() { this.onerror?.({}); }
  }
  let status = 202;
  const fetch = async (url, init) => {
    posts.push({ url, headers: init.headers, body: JSON.parse(init.body) });
    return { status };
  };
  return { FakeEventSource, fetch, streams, posts, answer: (s) => { status = s; } };
}

function setupSse(overrides = {}) {
  const sse = fakeEventStreams();
  const parts = setup({ EventSource: sse.FakeEventSource, fetch: sse.fetch, ...overrides });
  return { ...parts, ...sse };
}

test("the event stream's URL stands in for the WebSocket endpoint's", () => {
  assert.equal(eventStreamUrl("wss://gw.test/ws/chat?access_token=t"), "https://gw.test/sse/chat?access_token=t");
  assert.equal(eventStreamUrl("ws://localhost:8080/ws/notifications"), "http://localhost:8080/sse/notifications");
});

test("after two WebSocket attempts that never open, the client falls back to the event stream and chats there", async () => {
  const { client, sockets, timers, streams, posts } = setupSse();
  const messages = [];
  client.addEventListener("message", (e) => messages.push(e.detail));
  client.connect();
  await flush();
  client.join("lobby").catch(() => {}); // answered by no server: rejected at the close, rejoined after
  sockets[0].drop(1006);
  timers.advance(1000);
  await flush();
  assert.equal(sockets.length, 2, "one failure is retried as a WebSocket");
  sockets[1].drop(1006);
  await flush();
  assert.equal(streams.length, 1, "the second failure in a row moves to the event stream");
  assert.equal(client.transport, "sse");
  assert.ok(streams[0].url.startsWith("http://gw.test/sse/chat?access_token=t3"), streams[0].url);

  streams[0].event({ type: "session", session: "s1" });
  assert.equal(client.state, State.OPEN);
  await flush();
  assert.equal(posts.length, 1);
  assert.equal(posts[0].url, "http://gw.test/sse/chat/s1");
  assert.equal(posts[0].headers.Authorization, "Bearer t3");
  assert.equal(posts[0].body.type, "join", "the room is rejoined on the stream");
  streams[0].event({ type: "ack", ref: posts[0].body.ref, room: "lobby" });
  streams[0].event({ type: "message", room: "lobby", id: "e:5", from: "bob", data: "hi", ts: 1 });
  assert.deepEqual(messages.map((m) => m.id), ["e:5"]);
  assert.equal(client.lastId("lobby"), "e:5");

  const a = client.publish("lobby", "one");
  const b = client.publish("lobby", "two");
  await flush();
  await flush();
  assert.deepEqual(posts.slice(1).flatMap((p) => (Array.isArray(p.body) ? p.body : [p.body])).map((f) => f.data),
    ["one", "two"], "frames go in order, one post at a time");
  for (const p of posts.slice(1).flatMap((p) => (Array.isArray(p.body) ? p.body : [p.body]))) {
    streams[0].event({ type: "ack", ref: p.ref, room: "lobby", id: `e:${p.ref}` });
  }
  assert.ok((await a).id && (await b).id);
});

test("a stream's close event acts as a close frame: the drain hint is honoured and the rejoin carries since", async () => {
  const { client, timers, streams, posts } = setupSse({ transport: "sse" });
  client.connect();
  await flush();
  streams[0].event({ type: "session", session: "s1" });
  client.join("lobby");
  await flush();
  streams[0].event({ type: "ack", ref: posts[0].body.ref, room: "lobby" });
  streams[0].event({ type: "message", room: "lobby", id: "e:9", from: "bob", data: "hi", ts: 1 });
  streams[0].event({ type: "close", code: 1001, reason: '{"retryAfterMs":700}' });
  assert.ok(streams[0].closed, "the EventSource is closed, so the browser does not reconnect it by itself");
  assert.equal(client.state, State.RECONNECTING);
  timers.advance(699);
  await flush();
  assert.equal(streams.length, 1);
  timers.advance(1);
  await flush();
  assert.equal(streams.length, 2);
  streams[1].event({ type: "session", session: "s2" });
  await flush();
  const rejoin = posts.at(-1).body;
  assert.equal(rejoin.type, "join");
  assert.equal(rejoin.since, "e:9");
  assert.equal(posts.at(-1).url, "http://gw.test/sse/chat/s2");
});

test("without a WebSocket the client uses the event stream at once; with transport websocket it never does", async () => {
  const { client, streams } = setupSse({ WebSocket: undefined });
  client.connect();
  await flush();
  assert.equal(streams.length, 1);
  assert.equal(client.transport, "sse");

  const ws = setupSse({ transport: "websocket" });
  ws.client.connect();
  await flush();
  for (let i = 0; i < 3; i++) {
    ws.sockets.at(-1).drop(1006);
    ws.timers.advance(60000);
    await flush();
  }
  assert.equal(ws.streams.length, 0);
  assert.equal(ws.sockets.length, 4);
});

test("a refused post ends the stream (413 as 1009, which stops)", async () => {
  const { client, streams, answer } = setupSse({ transport: "sse" });
  const errors = [];
  client.addEventListener("error", (e) => errors.push(e.detail));
  client.connect();
  await flush();
  streams[0].event({ type: "session", session: "s1" });
  answer(413);
  client.publish("lobby", "x".repeat(10)).catch(() => {});
  await flush();
  await flush();
  assert.equal(client.state, State.CLOSED);
  assert.equal(errors.at(-1).code, 1009);
});

test("on the event stream, a WebSocket is tried again later and the client moves back when it opens", async () => {
  const { client, sockets, timers, streams, posts } = setupSse({ wsRetryMs: 5000 });
  client.connect();
  await flush();
  client.join("lobby").catch(() => {});
  sockets[0].drop(1006);
  timers.advance(1000);
  await flush();
  sockets[1].drop(1006);
  await flush();
  streams[0].event({ type: "session", session: "s1" });
  await flush();
  streams[0].event({ type: "ack", ref: posts[0].body.ref, room: "lobby" });
  streams[0].event({ type: "message", room: "lobby", id: "e:3", from: "bob", data: "hi", ts: 1 });
  timers.advance(5000);
  await flush();
  assert.equal(sockets.length, 3, "a trial WebSocket");
  sockets[2].open();
  assert.deepEqual(sockets[2].closed, { code: 1000, reason: "probe" });
  await flush();
  assert.ok(streams[0].closed, "the stream is ended");
  assert.equal(client.transport, "websocket");
  assert.equal(sockets.length, 4);
  sockets[3].open();
  assert.equal(sockets[3].sent[0].type, "join");
  assert.equal(sockets[3].sent[0].since, "e:3", "back on a WebSocket, the rejoin recovers what the switch missed");
});

test("a request made before the socket opened survives an attempt that failed and is answered on the next", async () => {
  const { client, sockets, timers } = setup({ transport: "websocket" });
  client.connect();
  await flush();
  const published = client.publish("lobby", "early");
  sockets[0].drop(1006);
  timers.advance(1000);
  await flush();
  sockets[1].open();
  const frame = sockets[1].sent.find((f) => f.type === "publish");
  assert.equal(frame.data, "early", "sent once the next socket opened");
  sockets[1].receive({ type: "ack", ref: frame.ref, room: "lobby", id: "e:1" });
  assert.equal((await published).id, "e:1");
});

test("a binary message over the event stream reaches the application as over a WebSocket: data an ArrayBuffer", async () => {
  const { client, streams } = setupSse({ transport: "sse" });
  const messages = [];
  client.addEventListener("message", (e) => messages.push(e.detail));
  client.connect();
  await flush();
  streams[0].event({ type: "session", session: "s1" });
  const bytes = [0, 255, 10, 128];
  streams[0].event({ type: "message", room: "lobby", id: "e:9", from: "bob", ts: 1,
    payload: Buffer.from(bytes).toString("base64") });
  streams[0].event({ type: "message", room: "lobby", id: "e:10", from: "bob", ts: 2, data: { payload: "x" } });
  assert.equal(messages.length, 2);
  assert.equal(messages[0].from, "bob");
  assert.equal(messages[0].id, "e:9");
  assert.equal(messages[0].payload, undefined);
  assert.ok(messages[0].data instanceof ArrayBuffer);
  assert.deepEqual(Array.from(new Uint8Array(messages[0].data)), bytes);
  assert.deepEqual(messages[1].data, { payload: "x" }, "a JSON message is left as it is");
  assert.deepEqual(fromEventFrame({ type: "message", payload: "" }).data.byteLength, 0);
});
