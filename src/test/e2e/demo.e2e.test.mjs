// The demo page in real headless Chromium: two people chat in a room and see what a back-end service publishes; two
// others see each other in the room's member list, one leaves and the other sees it go; a page with a short-lived
// token renews it in band; a page behind a proxy that refuses WebSocket upgrades chats over the HTTP fallback (Server-
// Sent Events) and recovers what it missed while its stream was cut, and a page without WebSocket at all uses it at once.
//
// Starts the service the way a newcomer does, with ./mvnw quarkus:dev (it serves /dev/token and the Dev UI).
// Run:  npm ci --prefix src/test/e2e && node --test src/test/e2e/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { connect, createServer } from "node:net";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../../..");
const MVNW = join(ROOT, "mvnw");
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const TIMEOUT = 30_000;

let port;
let managementPort; // /q/health/* are on the management interface
let app;
let browser;

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port: p } = server.address();
      server.close(() => resolvePort(p));
    });
  });
}

async function waitFor(condition, what, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function status(path) {
  const on = path.startsWith("/q/health") ? managementPort : port;
  try {
    const response = await fetch(`http://127.0.0.1:${on}${path}`);
    return response.status;
  } catch {
    return -1;
  }
}

async function startApp() {
  // Dev mode forks the application's JVM: its own process group, so that a stop ends both.
  const child = spawn(MVNW, ["-B", "quarkus:dev", "-Dquarkus.console.enabled=false", "-Ddebug=false",
    `-Dquarkus.http.port=${port}`, `-Dquarkus.management.port=${managementPort}`],
  { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], detached: true });
  child.output = "";
  child.stdout.on("data", (d) => (child.output += d));
  child.stderr.on("data", (d) => (child.output += d));
  await waitFor(async () => {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}:\n${child.output}`);
    return (await status("/q/health/ready")) === 200;
  }, "the service to be ready", 180_000);
  assert.equal(await status("/q/dev-ui/"), 200, "the Dev UI answers in dev mode");
  return child;
}

async function stopApp(child) {
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid, "SIGTERM");
  await exited;
  await waitFor(async () => (await status("/q/health/ready")) === -1, "the service to stop");
}

async function openPage(name, query = "", { via = port, init } = {}) {
  const context = await browser.newContext();
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  await page.goto(`http://127.0.0.1:${via}/${query}`);
  await page.fill("#name", name);
  await page.click("#enter");
  await page.waitForSelector("#chat-state.open");
  await page.waitForSelector('#rooms li[data-room="lobby"]');
  return page;
}

const roomsListed = (page) => page.$$eval("#rooms li", (lis) => lis.map((li) => li.dataset.room));

/** Waits until the page's member list shows exactly `users`. */
const membersAre = (page, users) =>
  page.waitForFunction((want) => {
    const shown = [...document.querySelectorAll("#members li")].map((li) => li.textContent);
    return JSON.stringify(shown) === JSON.stringify(want);
  }, users);

const logHas = (page, text) =>
  page.waitForFunction((t) => [...document.querySelectorAll("#log li")].some((li) => li.textContent.includes(t)), text);

before(async () => {
  port = await freePort();
  managementPort = await freePort();
  app = await startApp();
  // playwright-core starts Chromium with a fresh, temporary user-data directory of its own.
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
});

after(async () => {
  await browser?.close();
  if (app && app.exitCode === null) await stopApp(app);
});

test("two pages chat and both show what a back-end service publishes", async () => {
  const ann = await openPage("ann");
  const ben = await openPage("ben");

  await ann.fill("#text", "hello ben");
  await ann.press("#text", "Enter");
  await logHas(ben, "ann: hello ben");
  await ben.fill("#text", "hi ann");
  await ben.press("#text", "Enter");
  await logHas(ann, "ben: hi ann");

  const token = await (await fetch(`http://127.0.0.1:${port}/dev/token?user=ops&roles=publisher`)).text();
  const published = await fetch(`http://127.0.0.1:${port}/api/v1/rooms/lobby/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify("from the back end"),
  });
  assert.equal(published.status, 202);

  for (const page of [ann, ben]) {
    await page.waitForSelector("#chat-state.open");
    await logHas(page, "ops: from the back end");
  }
  await ann.fill("#text", "back again");
  await ann.press("#text", "Enter");
  await logHas(ben, "ann: back again");
  await ann.context().close();
  await ben.context().close();
});

test("each page lists the room once and shows who is in it, live, as people join and leave", async () => {
  const cat = await openPage("cat");
  await membersAre(cat, ["cat"]);
  const dan = await openPage("dan");
  await membersAre(cat, ["cat", "dan"]);
  await membersAre(dan, ["cat", "dan"]);
  assert.equal(await cat.textContent("#members-title"), "In #lobby");

  // Joining the room again selects it; it is not listed twice.
  await cat.click("#join");
  await cat.fill("#room", "lobby");
  await cat.click("#join");
  assert.deepEqual(await roomsListed(cat), ["lobby"]);

  await dan.fill("#room", "side");
  await dan.click("#join");
  await dan.waitForSelector('#rooms li[data-room="side"].current');
  await membersAre(dan, ["dan"]);
  assert.deepEqual(await roomsListed(dan), ["lobby", "side"]);

  await dan.click('#rooms li[data-room="lobby"] .leave');
  await membersAre(cat, ["cat"]);
  assert.deepEqual(await roomsListed(dan), ["side"]);
  assert.equal(await dan.textContent("#chat-state"), "connected");
  await cat.context().close();
  await dan.context().close();
});

test("a page whose token is about to expire renews it in band and stays connected", async () => {
  // 20 s tokens: inside the server's 30 s refresh-ahead window, so it asks for a refresh at once.
  const gus = await openPage("gus", "?ttl=20");
  await logHas(gus, "session renewed until");
  assert.equal(await gus.textContent("#chat-state"), "connected");
  await gus.fill("#text", "still here");
  await gus.press("#text", "Enter");
  await logHas(gus, "me: still here");
  await gus.context().close();
});

/**
 * A TCP proxy in front of the service as some corporate proxies are: it answers every WebSocket upgrade with 403 and
 * passes plain HTTP on. `cut()` ends every connection through it and refuses new ones until `resume()`.
 */
async function upgradeRefusingProxy() {
  const sockets = new Set();
  let refusing = false;
  const server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => {});
    let head = Buffer.alloc(0);
    const first = (chunk) => {
      head = Buffer.concat([head, chunk]);
      if (!head.includes("\r\n\r\n")) return;
      client.off("data", first);
      if (/^upgrade:\s*websocket/im.test(head.toString("latin1"))) {
        client.end("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        return;
      }
      const upstream = connect(port, "127.0.0.1");
      sockets.add(upstream);
      upstream.on("close", () => { sockets.delete(upstream); client.destroy(); });
      upstream.on("error", () => client.destroy());
      client.on("close", () => upstream.destroy());
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    };
    client.on("data", first);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: server.address().port,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    resume() {
      refusing = false;
    },
    close: () => new Promise((r) => { for (const socket of sockets) socket.destroy(); server.close(r); }),
  };
}

test("behind a proxy that refuses WebSocket upgrades the page chats over SSE and recovers after its stream is cut",
  async () => {
    const proxy = await upgradeRefusingProxy();
    try {
      const kim = await openPage("kim", "", { via: proxy.port });
      await kim.waitForSelector('#chat-state.open[data-transport="sse"]');
      const lee = await openPage("lee");
      assert.equal(await lee.getAttribute("#chat-state", "data-transport"), "websocket");

      await kim.fill("#text", "hello from behind the proxy");
      await kim.press("#text", "Enter");
      await logHas(lee, "kim: hello from behind the proxy");
      await lee.fill("#text", "hello kim");
      await lee.press("#text", "Enter");
      await logHas(kim, "lee: hello kim");

      // The stream is cut and cannot come back for now: what lee says meanwhile must reach kim afterwards.
      proxy.cut();
      await kim.waitForFunction(() => !document.querySelector("#chat-state").classList.contains("open"));
      for (const text of ["missed one", "missed two"]) {
        await lee.fill("#text", text);
        await lee.press("#text", "Enter");
        await logHas(lee, `me: ${text}`);
      }
      proxy.resume();
      await kim.waitForSelector('#chat-state.open[data-transport="sse"]');
      await logHas(kim, "lee: missed one");
      await logHas(kim, "lee: missed two");
      await kim.fill("#text", "back");
      await kim.press("#text", "Enter");
      await logHas(lee, "kim: back");
      await kim.context().close();
      await lee.context().close();
    } finally {
      await proxy.close();
    }
  });

test("a page without WebSocket uses the event stream at once, for chat and notifications", async () => {
  const noWebSocket = () => { Object.defineProperty(window, "WebSocket", { value: undefined }); };
  const max = await openPage("max", "", { init: noWebSocket });
  await max.waitForSelector('#chat-state.open[data-transport="sse"]');
  await max.waitForSelector('#notify-state.open[data-transport="sse"]');
  const token = await (await fetch(`http://127.0.0.1:${port}/dev/token?user=ops&roles=publisher`)).text();
  const published = await fetch(`http://127.0.0.1:${port}/api/v1/rooms/lobby/messages`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify("to every transport"),
  });
  assert.equal(published.status, 202);
  await logHas(max, "ops: to every transport");
  await max.fill("#text", "no websocket here");
  await max.press("#text", "Enter");
  await logHas(max, "me: no websocket here");
  await max.context().close();
});
