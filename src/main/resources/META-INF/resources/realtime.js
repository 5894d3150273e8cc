/**
 * realtime.js: the browser client of realtime-gateway. A dependency-free ES module; load it from the service
 * (`import { RealtimeClient } from "/realtime.js"`) or copy it into your bundle.
 *
 * What it does for you:
 * - connects with a token from your async `getToken()`, called afresh before every attempt;
 * - reconnects with exponential backoff and full jitter, honouring the server's close codes
 *   (1000 stops; 4001 fetches a new token, then reconnects; 1001, 1006, 1011, 1012, 1013 and unknown codes reconnect;
 *   1002, 1003, 1007, 1008, 1009 are client faults: it stops and reports them); a 1001 from a draining server carries
 *   a hint, `{"retryAfterMs":n}`, which it waits instead of the backoff (at most `MAX_HINT_MS`);
 * - queues sends until the socket is open (never sends before open), up to `maxQueue` frames;
 * - rejoins its rooms after a reconnect, with `since` = the last message id it saw in each room (on
 *   `/ws/notifications`: the last notification id, in the URL), and reports the server's `recovered` flag as a
 *   `recovery` event so the page can reload when history no longer reaches back (a server `resync`, sent when
 *   messages were lost between servers beyond what the history holds, is reported the same way, `recovered: false`);
 * - pings the server when nothing arrived for `pingMs`, and treats `silenceMs` without any frame as a dead
 *   connection (browsers cannot see WebSocket pings, so this is an application-level ping);
 * - keeps a room's presence events on across reconnects when joined with `{ presence: true }`, and asks who is in a
 *   room with `presence(room)`; `join(room, { rewind: n })` starts a room with its last n messages;
 * - refreshes its token in band when the server says it is expiring (`token_expiring`): a new one from `getToken()`,
 *   sent as `refresh`, so the connection stays open; a 4001 close still fetches one and reconnects;
 * - publishes bytes: `publish(room, data)` with an `ArrayBuffer`, a typed array (or `DataView`) or a `Blob` sends a
 *   binary frame (2-byte big-endian header length, JSON header, the bytes), in call order with JSON publishes; a
 *   binary message arrives as a `message` event whose `data` is an `ArrayBuffer` of the bytes as published;
 * - falls back to the gateway's HTTP transport (Server-Sent Events, `/sse/...`, frames posted back) where WebSockets
 *   cannot open: at once when the browser has no usable `WebSocket`, else after `fallbackAfter` (2) attempts in a row
 *   that never opened (browsers do not tell a page why an upgrade failed, so a refused upgrade is one such attempt);
 *   while on it, it tries a WebSocket again every `wsRetryMs` and moves back when one opens (rejoining with `since`).
 *   Option `transport`: `"auto"` (default), `"websocket"` or `"sse"`. The application sees the same events either way;
 *   the `transport` property says which one is in use. A binary message comes over the stream as its header's fields
 *   and `payload` (the bytes in base64) and is handed on as over a WebSocket, `data` an `ArrayBuffer`; publishing
 *   bytes needs a WebSocket (the gateway's posts carry JSON only);
 * - reports everything as DOM events: `state` (with the reconnect attempt and its delay while reconnecting),
 *   `message`, `notification`, `recovery`, `presence`, `token` (a refresh was accepted: `detail.exp`), `left` (the
 *   server took the connection out of a room), `error`.
 */

/** Close codes the gateway sends, by name. */
export const CloseCode = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  ABNORMAL: 1006,
  INVALID_PAYLOAD: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  SERVICE_RESTART: 1012,
  TRY_AGAIN_LATER: 1013,
  TOKEN_EXPIRED: 4001,
});

const CLIENT_FAULTS = new Set([1002, 1003, 1007, 1008, 1009]);

/**
 * What to do after the socket closed with `code`.
 * @returns {"stop" | "refresh-token" | "reconnect"}
 */
export function closeAction(code) {
  if (code === CloseCode.NORMAL || CLIENT_FAULTS.has(code)) return "stop";
  if (code === CloseCode.TOKEN_EXPIRED) return "refresh-token";
  return "reconnect";
}

/** The longest server hint honoured: a larger `retryAfterMs` waits this long. */
export const MAX_HINT_MS = 60000;

/**
 * The wait a draining server asks for in its close: with 1001, a reason that is JSON with a numeric, non-negative
 * `retryAfterMs` (the server spreads these so its clients do not all reconnect at once). Bounded by `MAX_HINT_MS`.
 * @returns {number | null} milliseconds, or null when there is no usable hint (then the backoff applies)
 */
export function reconnectHint(code, reason) {
  if (code !== CloseCode.GOING_AWAY || typeof reason !== "string" || !reason.startsWith("{")) return null;
  let parsed;
  try {
    parsed = JSON.parse(reason);
  } catch {
    return null;
  }
  const ms = parsed?.retryAfterMs;
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) return null;
  return Math.floor(Math.min(ms, MAX_HINT_MS));
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first): "full jitter", a uniform random delay between 0 and
 * min(capMs, baseMs * 2^attempt), so that a crowd disconnected at once does not reconnect at once.
 */
export function backoffDelay(attempt, { baseMs = 500, capMs = 30000 } = {}, random = Math.random) {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/** A join frame; `presence` is sent only when asked for, as the server's default is off. */
function joinFrame(room, presence) {
  return presence ? { type: "join", room, presence: true } : { type: "join", room };
}

/**
 * The id to resume from after seeing `id`, given the one kept so far: the newer of the two. Ids are
 * `<epoch>:<offset>`; messages of different publishers may arrive slightly out of order, so an older offset never
 * moves the cursor back; an id of another epoch (the server's history restarted) replaces it.
 */
export function newerId(kept, id) {
  if (!id) return kept;
  if (!kept) return id;
  const k = kept.lastIndexOf(":");
  const i = id.lastIndexOf(":");
  if (kept.slice(0, k) !== id.slice(0, i)) return id;
  return Number(id.slice(i + 1)) > Number(kept.slice(k + 1)) ? id : kept;
}

/** Whether `data` is bytes for a binary publish: an `ArrayBuffer`, a typed array or `DataView`, or a `Blob`. */
export function isBinary(data) {
  return data instanceof ArrayBuffer || ArrayBuffer.isView(data)
    || (typeof Blob !== "undefined" && data instanceof Blob);
}

/** The bytes of an `ArrayBuffer`, typed array or `DataView` as a `Uint8Array` over the same memory (no copy). */
function bytesOf(data) {
  return data instanceof ArrayBuffer ? new Uint8Array(data)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * A binary frame of the protocol: the length n of the JSON `header` in 2 bytes (big-endian), the header in n bytes of
 * UTF-8, then `bytes` (an `ArrayBuffer`, typed array or `DataView`).
 * @returns {Uint8Array}
 */
export function encodeBinaryFrame(header, bytes) {
  const json = new TextEncoder().encode(JSON.stringify(header));
  if (json.length > 0xffff) throw new RangeError("binary frame header over 65535 bytes");
  const payload = bytesOf(bytes);
  const frame = new Uint8Array(2 + json.length + payload.length);
  frame[0] = json.length >>> 8;
  frame[1] = json.length & 0xff;
  frame.set(json, 2);
  frame.set(payload, 2 + json.length);
  return frame;
}

/**
 * Reads a binary frame of the protocol (see `encodeBinaryFrame`): its header, with the bytes after it as `data`, an
 * `ArrayBuffer` of their own.
 * @param {ArrayBuffer} buffer
 * @returns {object | null} null when the frame does not have that shape
 */
export function decodeBinaryFrame(buffer) {
  const all = new Uint8Array(buffer);
  if (all.length < 2) return null;
  const n = (all[0] << 8) | all[1];
  if (n > all.length - 2) return null;
  let header;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(all.subarray(2, 2 + n)));
  } catch {
    return null;
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) return null;
  return { ...header, data: buffer.slice(2 + n) };
}

/**
 * What goes on the socket for a client frame: JSON text, or for a frame with `bytes` (a binary publish) a binary
 * frame whose header is the rest of the frame.
 */
function wireOf(frame) {
  if (frame.bytes === undefined) return JSON.stringify(frame);
  const { bytes, ...header } = frame;
  return encodeBinaryFrame(header, bytes);
}

/**
 * A binary message as an event stream carries it (its header's fields and `payload`, the bytes in base64) turned
 * back into what a WebSocket client gets: the header's fields with the bytes as `data`, an `ArrayBuffer`. A frame
 * without a base64 `payload` (any other frame) is returned as it is.
 */
export function fromEventFrame(frame) {
  if (frame === null || typeof frame !== "object" || typeof frame.payload !== "string" || "data" in frame) {
    return frame;
  }
  const { payload, ...header } = frame;
  const binary = atob(payload);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { ...header, data: bytes.buffer };
}

/**
 * The HTTP URL of the event stream that stands in for the WebSocket endpoint `wsUrl`: `ws(s)://host/ws/chat?q` becomes
 * `http(s)://host/sse/chat?q`.
 */
export function eventStreamUrl(wsUrl) {
  const url = new URL(wsUrl);
  url.protocol = url.protocol === "wss:" ? "https:" : url.protocol === "ws:" ? "http:" : url.protocol;
  url.pathname = url.pathname.replace(/\/ws\/([^/]+)\/?$/, "/sse/$1");
  return url.toString();
}

/**
 * An event stream of the gateway's HTTP transport behind the WebSocket interface the client uses (`onopen`,
 * `onmessage`, `onclose`, `onerror`, `send`, `close`), so that everything above it (queue, rejoins, recovery, refresh)
 * is the same on both transports. It opens when the stream's first event names its session; every later event is one
 * server frame; a `close` event ends it with that event's code and reason, as a close frame would. Frames sent go by
 * `POST <stream>/<session>` with the token in an `Authorization` header, one request at a time (frames sent meanwhile
 * go together, as a JSON array, in order). A stream that fails, or a post the server refuses, ends it as 1006 (413: as
 * 1009, a message too big); the browser's own reconnect of `EventSource` is not used, the client reconnects and rejoins
 * as for a WebSocket.
 */
export class EventStreamSocket {
  constructor(url, { token, EventSource = globalThis.EventSource, fetch = globalThis.fetch } = {}) {
    this.url = url;
    this.token = token;
    this.fetch = fetch;
    this.session = null;
    this.outbox = [];
    this.posting = false;
    this.ended = false;
    const source = new EventSource(url);
    this.source = source;
    source.onmessage = (event) => this._onEvent(event.data);
    source.onerror = () => this._end(CloseCode.ABNORMAL, "event stream failed");
  }

  /** The token later posts carry (after an in-band refresh). */
  setToken(token) {
    this.token = token;
  }

  send(text) {
    if (this.ended || !this.session) throw new Error("the event stream is not open");
    this.outbox.push(text);
    if (!this.posting) this._post();
  }

  close(code = CloseCode.NORMAL, reason = "") {
    this._end(code, reason);
  }

  _onEvent(data) {
    if (this.ended) return;
    if (!this.session) {
      let first;
      try {
        first = JSON.parse(data);
      } catch {
        first = null;
      }
      if (first?.type === "session" && typeof first.session === "string") {
        this.session = first.session;
        this.onopen?.();
        return;
      }
    }
    if (data.startsWith('{"type":"close"')) {
      const frame = JSON.parse(data);
      this._end(frame.code, frame.reason || "");
      return;
    }
    this.onmessage?.({ data });
  }

  async _post() {
    this.posting = true;
    while (this.outbox.length > 0 && !this.ended) {
      const texts = this.outbox;
      this.outbox = [];
      const body = texts.length === 1 ? texts[0] : `[${texts.join(",")}]`;
      const target = new URL(this.url);
      target.pathname = `${target.pathname.replace(/\/$/, "")}/${encodeURIComponent(this.session)}`;
      target.search = "";
      let status;
      try {
        const response = await this.fetch(target.toString(), {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${this.token}` },
          body,
        });
        status = response.status;
      } catch {
        status = 0;
      }
      if (status !== 202) {
        this._end(status === 413 ? CloseCode.MESSAGE_TOO_BIG : CloseCode.ABNORMAL, `post answered ${status}`);
      }
    }
    this.posting = false;
  }

  _end(code, reason) {
    if (this.ended) return;
    this.ended = true;
    this.source.close();
    this.onclose?.({ code, reason });
  }
}

/** States, in the order a healthy connection goes through them. */
export const State = Object.freeze({
  IDLE: "idle",
  CONNECTING: "connecting",
  OPEN: "open",
  RECONNECTING: "reconnecting",
  CLOSED: "closed",
});

export class RealtimeClient extends EventTarget {
  /**
   * @param {object} options
   * @param {string} options.url the endpoint, e.g. `wss://example.com/ws/chat`
   * @param {() => Promise<string>} options.getToken returns a current token; called before every attempt
   * @param {{baseMs?: number, capMs?: number}} [options.backoff] reconnect delays (default 500 ms doubling to 30 s)
   * @param {number} [options.maxQueue] frames kept while not open (default 256); beyond it `send` throws
   * @param {number} [options.pingMs] ping the server after this long without a frame (default 25000)
   * @param {number} [options.silenceMs] reconnect after this long without a frame (default 60000)
   * @param {"auto" | "websocket" | "sse"} [options.transport] which transport to use (default "auto": a WebSocket,
   *   falling back to the event stream where it cannot open)
   * @param {number} [options.fallbackAfter] attempts in a row without an open WebSocket before falling back (default 2)
   * @param {number} [options.wsRetryMs] while on the event stream, how often a WebSocket is tried again (default 60000)
   * @param {typeof WebSocket} [options.WebSocket] the WebSocket class (default: the browser's)
   * @param {typeof EventSource} [options.EventSource] the EventSource class (default: the browser's)
   * @param {typeof fetch} [options.fetch] the fetch function of the event stream's posts (default: the browser's)
   * @param {object} [options.timers] `{ setTimeout, clearTimeout, now }`, for tests
   * @param {() => number} [options.random] for tests
   */
  constructor(options) {
    super();
    if (!options || !options.url || typeof options.getToken !== "function") {
      throw new TypeError("RealtimeClient needs { url, getToken }");
    }
    this.url = options.url;
    this.getToken = options.getToken;
    this.backoff = { baseMs: 500, capMs: 30000, ...(options.backoff || {}) };
    this.maxQueue = options.maxQueue ?? 256;
    this.pingMs = options.pingMs ?? 25000;
    this.silenceMs = options.silenceMs ?? 60000;
    this.WebSocket = "WebSocket" in options ? options.WebSocket : globalThis.WebSocket;
    this.EventSource = options.EventSource || globalThis.EventSource;
    this.fetch = options.fetch || ((...args) => globalThis.fetch(...args));
    this.transportOption = options.transport || "auto";
    if (!["auto", "websocket", "sse"].includes(this.transportOption)) {
      throw new TypeError('transport must be "auto", "websocket" or "sse"');
    }
    this.fallbackAfter = options.fallbackAfter ?? 2;
    this.wsRetryMs = options.wsRetryMs ?? 60000;
    // The transport in use: "sse" from the start only when asked for, or when there is no WebSocket at all.
    this.transport = this.transportOption === "sse" || (this.transportOption === "auto" && !this.WebSocket)
      ? "sse" : "websocket";
    this.failedWebSockets = 0; // WebSocket attempts in a row that never opened
    this.openedSocket = null; // the last socket that opened
    this.probeTimer = null;
    const timers = options.timers || {};
    this.setTimeout = timers.setTimeout || ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.clearTimeout = timers.clearTimeout || ((id) => globalThis.clearTimeout(id));
    this.now = timers.now || (() => Date.now());
    this.random = options.random || Math.random;

    this.state = State.IDLE;
    this.socket = null;
    this.attempt = 0;
    this.queue = [];
    this.rooms = new Map(); // room -> last message id seen (or null)
    this.watching = new Set(); // rooms joined with presence events on
    this.lastNotificationId = null;
    this.pending = new Map(); // ref -> { resolve, reject }
    this.nextRef = 1;
    this.retryTimer = null;
    this.watchTimer = null;
    this.lastFrameAt = 0;
    this.stopped = false;
    this.reading = null; // while a Blob is being read for a publish: the end of the chain of publishes behind it
  }

  /** Starts connecting; later calls do nothing while a connection is wanted. */
  connect() {
    if (this.state !== State.IDLE && this.state !== State.CLOSED) return;
    this.stopped = false;
    this.attempt = 0;
    this._open();
  }

  /** Closes for good (code 1000); pending requests are rejected, queued frames dropped. */
  close() {
    this.stopped = true;
    this._clearTimers();
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close(CloseCode.NORMAL, "client closed");
    }
    this.queue = [];
    this._failPending(new Error("client closed"));
    this._setState(State.CLOSED);
  }

  /**
   * Joins a room; resolves with the ack. The room is rejoined after every reconnect. With `{ presence: true }` the
   * room's `presence_diff` events arrive as `presence` events, also after reconnects. With `{ rewind: n }` (1 to 100)
   * the room's last n messages arrive first, oldest first, then live ones (the ack's `rewound` says how many); only
   * this join asks for them: a rejoin after a reconnect asks with `since` for what was missed instead.
   */
  join(room, { presence = false, rewind } = {}) {
    if (!this.rooms.has(room)) this.rooms.set(room, null);
    if (presence) this.watching.add(room);
    else this.watching.delete(room);
    const frame = joinFrame(room, presence);
    if (rewind !== undefined) frame.rewind = rewind;
    return this._request(frame);
  }

  /** Leaves a room; resolves with the ack. */
  leave(room) {
    this.rooms.delete(room);
    this.watching.delete(room);
    return this._request({ type: "leave", room });
  }

  /** Who is in a room you joined: resolves with the user names, each once. */
  async presence(room) {
    const answer = await this._request({ type: "presence", room });
    return answer.users;
  }

  /**
   * Publishes `data` to a room; resolves with the ack (its `id` is the message id). `data` is any JSON value, or bytes
   * (`ArrayBuffer`, typed array, `DataView`, `Blob`) sent as a binary frame and delivered unchanged to the other
   * members. Publishes go out in call order, also when a `Blob` has to be read first. The bytes of an `ArrayBuffer` or
   * typed array are read when the frame is sent (at once when the connection is open, else when it opens): do not
   * change them before the returned promise settles.
   */
  publish(room, data) {
    const blob = typeof Blob !== "undefined" && data instanceof Blob;
    if (!blob && !this.reading) return this._publishNow(room, data);
    // A Blob is read asynchronously: this publish, and every one made before the read is done, waits its turn to be
    // sent (not for the ack of the one before).
    let request;
    const turn = (this.reading || Promise.resolve()).then(async () => {
      request = this._publishNow(room, blob ? await data.arrayBuffer() : data);
    });
    const sent = turn.catch(() => undefined);
    this.reading = sent;
    sent.then(() => {
      if (this.reading === sent) this.reading = null;
    });
    return turn.then(() => request);
  }

  _publishNow(room, data) {
    if (isBinary(data)) return this._request({ type: "publish", room, bytes: data });
    return this._request({ type: "publish", room, data });
  }

  /** The last message id seen in a room, or null. */
  lastId(room) {
    return this.rooms.get(room) ?? null;
  }

  _request(frame) {
    const ref = String(this.nextRef++);
    return new Promise((resolve, reject) => {
      this.pending.set(ref, { resolve, reject });
      try {
        this._send({ ...frame, ref });
      } catch (e) {
        this.pending.delete(ref);
        reject(e);
      }
    });
  }

  _send(frame) {
    if (this.state === State.OPEN && this.socket) {
      this.socket.send(wireOf(frame));
      return;
    }
    if (this.stopped || this.state === State.CLOSED) {
      throw new Error("client is closed");
    }
    if (this.queue.length >= this.maxQueue) {
      throw new Error(`send queue is full (${this.maxQueue} frames); the connection is not open`);
    }
    this.queue.push(frame);
  }

  async _open() {
    this._setState(this.attempt === 0 ? State.CONNECTING : State.RECONNECTING);
    let token;
    try {
      token = await this.getToken();
    } catch (e) {
      this._emit("error", { reason: "token", error: e });
      this._scheduleRetry();
      return;
    }
    if (this.stopped) return;
    let socket;
    try {
      socket = this._transportSocket(token);
    } catch (e) {
      // No usable WebSocket (missing, or refused by the page's policy): fall back at once where allowed.
      if (this.transport === "websocket" && this.transportOption === "auto") {
        this.transport = "sse";
        socket = this._transportSocket(token);
      } else {
        this._emit("error", { reason: "socket", error: e });
        this._scheduleRetry();
        return;
      }
    }
    this.socket = socket;
    socket.binaryType = "arraybuffer";
    socket.onopen = () => this._onOpen(socket);
    socket.onmessage = (event) => this._onFrame(socket, event.data);
    socket.onerror = () => this._emit("error", { reason: "socket" });
    socket.onclose = (event) => this._onClose(socket, event.code, event.reason);
  }

  /** A socket of the transport in use, its URL with the token (and, for notifications, `since`). */
  _transportSocket(token) {
    const url = this._urlWith(token, this.url);
    if (this.transport === "sse") {
      return new EventStreamSocket(eventStreamUrl(url), { token, EventSource: this.EventSource, fetch: this.fetch });
    }
    if (!this.WebSocket) throw new Error("no WebSocket in this environment");
    return new this.WebSocket(url);
  }

  _urlWith(token, base) {
    const separator = base.includes("?") ? "&" : "?";
    const since = this.lastNotificationId ? `&since=${encodeURIComponent(this.lastNotificationId)}` : "";
    return `${base}${separator}access_token=${encodeURIComponent(token)}${since}`;
  }

  _onOpen(socket) {
    if (socket !== this.socket) return;
    this.openedSocket = socket;
    if (this.transport === "websocket") this.failedWebSockets = 0;
    else this._scheduleProbe();
    this.attempt = 0;
    this._touch();
    // Rejoin first (with the last id seen, for recovery), so frames queued for a room go after its join. A join
    // still in the queue stands in for the rejoin of its room. The state becomes open only after, so that a request
    // made by a `state` listener (who is in a room, say) reaches the server after the rejoin of its room.
    const queued = this.queue;
    this.queue = [];
    const queuedJoins = new Set(queued.filter((f) => f.type === "join").map((f) => f.room));
    for (const [room, since] of this.rooms) {
      if (queuedJoins.has(room)) continue;
      const frame = { ...joinFrame(room, this.watching.has(room)), ref: String(this.nextRef++) };
      if (since) frame.since = since;
      socket.send(JSON.stringify(frame));
    }
    for (const frame of queued) socket.send(wireOf(frame));
    this._setState(State.OPEN);
  }

  /**
   * While on the event stream in "auto", tries a WebSocket every `wsRetryMs`; when one opens, it is closed at once and
   * the client moves back to WebSockets: the stream is ended and the client reconnects (and rejoins with `since`).
   */
  _scheduleProbe() {
    if (this.transportOption !== "auto" || !this.WebSocket || this.probeTimer) return;
    this.probeTimer = this.setTimeout(() => this._probe(), this.wsRetryMs);
  }

  async _probe() {
    this.probeTimer = null;
    if (this.stopped || this.transport !== "sse" || this.state !== State.OPEN) return;
    let token;
    try {
      token = await this.getToken();
    } catch {
      this._scheduleProbe();
      return;
    }
    let trial;
    try {
      trial = new this.WebSocket(this._urlWith(token, this.url));
    } catch {
      return; // no usable WebSocket after all: stay on the stream
    }
    trial.onopen = () => {
      trial.close(CloseCode.NORMAL, "probe");
      if (this.stopped || this.transport !== "sse") return;
      this.transport = "websocket";
      this.failedWebSockets = 0;
      const stream = this.socket;
      this.socket = null;
      this._clearTimers();
      this._failPending(new Error("moved to a WebSocket; retry"));
      if (stream) stream.close(CloseCode.NORMAL, "moving to a WebSocket");
      this.attempt = 0;
      this._open();
    };
    trial.onclose = () => {
      if (this.transport === "sse") this._scheduleProbe();
    };
  }

  _onFrame(socket, text) {
    if (socket !== this.socket) return;
    this._touch();
    let frame;
    if (typeof text !== "string") {
      // A binary message: its header, with the bytes as `data` (an ArrayBuffer).
      frame = decodeBinaryFrame(text);
      if (!frame) {
        this._emit("error", { reason: "bad-frame", data: text });
        return;
      }
    } else {
      try {
        frame = JSON.parse(text);
      } catch {
        this._emit("error", { reason: "bad-frame", text });
        return;
      }
      // A binary message over the event stream: its bytes from base64 to `data`, as over a WebSocket.
      if (socket instanceof EventStreamSocket) frame = fromEventFrame(frame);
    }
    switch (frame.type) {
      case "message":
        if (frame.room && this.rooms.has(frame.room)) {
          this.rooms.set(frame.room, newerId(this.rooms.get(frame.room), frame.id));
        }
        this._emit("message", frame);
        break;
      case "notification":
        this.lastNotificationId = newerId(this.lastNotificationId, frame.id);
        this._emit("notification", frame);
        break;
      case "ack":
        if (frame.recovered !== undefined) this._emit("recovery", frame);
        this._settle(frame.ref, frame, null);
        break;
      case "error":
        if (!this._settle(frame.ref, null, frame)) this._emit("error", { reason: "server", frame });
        break;
      case "presence":
        this._settle(frame.ref, frame, null);
        break;
      case "presence_diff":
        this._emit("presence", frame);
        break;
      case "resync":
        // Messages of the room (or of this user's notifications) were lost on their way through the servers and the
        // history no longer has them: the page should reload its state, as after a recovery that was not complete.
        this._emit("recovery", { ...frame, recovered: false });
        break;
      case "token_expiring":
        this._refreshToken();
        break;
      case "left":
        // The server took this connection out of the room (a refreshed token no longer grants it): do not rejoin.
        this.rooms.delete(frame.room);
        this.watching.delete(frame.room);
        this._emit("left", frame);
        break;
      case "pong":
        break;
      default:
        this._emit("error", { reason: "unknown-frame", frame });
    }
  }

  /**
   * Answers `token_expiring`: a fresh token from `getToken()`, sent as `refresh`; `token` reports the new expiry. When
   * that fails, nothing else is done: the server closes with 4001 at the old expiry and the client reconnects.
   */
  async _refreshToken() {
    const socket = this.socket;
    let token;
    try {
      token = await this.getToken();
    } catch (e) {
      this._emit("error", { reason: "token", error: e });
      return;
    }
    if (socket !== this.socket || this.state !== State.OPEN) return;
    try {
      const ack = await this._request({ type: "refresh", token });
      if (socket.setToken) socket.setToken(token); // the event stream's later posts carry the new token
      this._emit("token", { exp: ack.exp });
    } catch (e) {
      this._emit("error", { reason: "refresh", error: e });
    }
  }

  _onClose(socket, code, reason) {
    if (socket !== this.socket) return;
    this.socket = null;
    this._clearTimers();
    if (socket !== this.openedSocket && this.transport === "websocket" && this.transportOption === "auto") {
      this.failedWebSockets++;
      if (this.failedWebSockets >= this.fallbackAfter) {
        // The WebSocket never opened, twice in a row: a proxy or network that refuses upgrades. Use the stream now.
        this.transport = "sse";
        this._emit("error", { reason: "closed", code, closeReason: reason, action: "fallback" });
        this._failPending(new Error(`connection closed with ${code}; retry`));
        this.attempt = 0;
        this._open();
        return;
      }
    }
    const action = closeAction(code);
    this._emit("error", { reason: "closed", code, closeReason: reason, action });
    if (this.stopped || action === "stop") {
      this.queue = [];
      this._failPending(new Error(`connection closed with ${code}`));
      this.stopped = true;
      this._setState(State.CLOSED);
      return;
    }
    // Requests in flight get no answer on a new connection (joins are replayed from `rooms`); queued ones go on it.
    this._failPending(new Error(`connection closed with ${code}; retry`));
    if (action === "refresh-token") {
      this.attempt = 0;
      this._open();
      return;
    }
    this._scheduleRetry(reconnectHint(code, reason));
  }

  /** Schedules the next attempt after `hintMs` (a server's hint) when given, else after the backoff. */
  _scheduleRetry(hintMs = null) {
    if (this.stopped) return;
    const delay = hintMs ?? backoffDelay(this.attempt, this.backoff, this.random);
    this.attempt++;
    this._setState(State.RECONNECTING, { attempt: this.attempt, delayMs: delay });
    this.retryTimer = this.setTimeout(() => {
      this.retryTimer = null;
      this._open();
    }, delay);
  }

  _touch() {
    this.lastFrameAt = this.now();
    if (this.watchTimer) this.clearTimeout(this.watchTimer);
    this.watchTimer = this.setTimeout(() => this._watch(), this.pingMs);
  }

  _watch() {
    this.watchTimer = null;
    if (!this.socket || this.state !== State.OPEN) return;
    const silent = this.now() - this.lastFrameAt;
    if (silent >= this.silenceMs) {
      // Silent server: treat as lost (1006-like) and reconnect.
      const socket = this.socket;
      this._onClose(socket, CloseCode.ABNORMAL, "server silent");
      socket.close(4000, "server silent");
      return;
    }
    this.socket.send(JSON.stringify({ type: "ping" }));
    this.watchTimer = this.setTimeout(() => this._watch(), Math.max(1, this.silenceMs - silent));
  }

  _settle(ref, ack, error) {
    if (ref === undefined || ref === null) return false;
    const waiter = this.pending.get(ref);
    if (!waiter) return false;
    this.pending.delete(ref);
    if (error) {
      const failure = new Error(error.message || error.code);
      failure.code = error.code;
      waiter.reject(failure);
    } else {
      waiter.resolve(ack);
    }
    return true;
  }

  /**
   * Rejects the requests sent and not answered. Those still in the queue (never sent: the socket had not opened) stay
   * pending, and go on the next connection; `close()` drops the queue first, so it rejects them all.
   */
  _failPending(error) {
    const queued = new Set(this.queue.map((frame) => frame.ref));
    for (const [ref, waiter] of this.pending) {
      if (queued.has(ref)) continue;
      this.pending.delete(ref);
      waiter.reject(error);
    }
  }

  _clearTimers() {
    if (this.retryTimer) this.clearTimeout(this.retryTimer);
    if (this.watchTimer) this.clearTimeout(this.watchTimer);
    if (this.probeTimer) this.clearTimeout(this.probeTimer);
    this.retryTimer = null;
    this.watchTimer = null;
    this.probeTimer = null;
  }

  /** Emits `state` on every change, and on every new reconnect attempt (`detail.attempt`, `detail.delayMs`). */
  _setState(state, retry) {
    if (this.state === state && !retry) return;
    this.state = state;
    this._emit("state", { state, ...(retry || {}) });
  }

  _emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
