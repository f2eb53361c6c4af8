// Audits HTML pages as a browser sees them: Lighthouse (accessibility, best
// practices, SEO) and axe-core with the WCAG 2.1 A and AA rules, in the
// system's Chromium, each page served over HTTP on 127.0.0.1 from its own
// folder. Offline: nothing but the local server is requested.
//
//   node tests/a11y/audit.mjs [--min SCORE] [--json OUT] FILE.html...
//
// Prints one line per page and category, then every failing audit and axe
// violation. Exit status: 0 when every page scores at least SCORE (default
// 100) in the three categories and axe finds no violation, 1 otherwise,
// 2 on bad usage, 69 when Chromium is missing.

import { createServer } from "node:http";
import { readFile, stat, writeFile, mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import os from "node:os";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const CATEGORIES = ["accessibility", "best-practices", "seo"];
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const CHROME_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".js": "text/javascript",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".txt": "text/plain; charset=utf-8",
};

function usage(message) {
  console.error(`audit: ${message}`);
  console.error("usage: node tests/a11y/audit.mjs [--min SCORE] [--json OUT] FILE.html...");
  process.exit(2);
}

const args = process.argv.slice(2);
let min = 100;
let jsonOut = null;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--min") {
    min = Number(args[++i]);
    if (!Number.isFinite(min)) usage("--min takes a number");
  } else if (args[i] === "--json") {
    jsonOut = args[++i];
    if (!jsonOut) usage("--json takes a file");
  } else if (args[i].startsWith("-")) {
    usage(`unknown option ${args[i]}`);
  } else {
    files.push(args[i]);
  }
}
if (files.length === 0) usage("no page to audit");
for (const f of files) {
  if (!existsSync(f)) {
    console.error(`audit: ${f}: no such file`);
    process.exit(66);
  }
}
const chromePath =
  process.env.CHROME_PATH ||
  ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].find(existsSync);
if (!chromePath) {
  console.error("audit: chromium is needed: apt-get install -y chromium");
  process.exit(69);
}

// A static server of one folder; every request it cannot answer is logged,
// since a failing request is itself a fault of the page.
function serve(root) {
  const missing = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, "http://localhost");
    const file = path.join(root, decodeURIComponent(url.pathname));
    try {
      if (!file.startsWith(root) || !(await stat(file)).isFile()) throw new Error("not a file");
      const body = await readFile(file);
      res.writeHead(200, {
        "Content-Type": TYPES[path.extname(file).toLowerCase()] || "application/octet-stream",
      });
      res.end(body);
    } catch {
      // Lighthouse asks for robots.txt itself; its absence is no fault of a page.
      if (url.pathname !== "/robots.txt") missing.push(url.pathname);
      res.writeHead(404, { "Content-Type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, missing, port: server.address().port })),
  );
}

async function axeAudit(port, url) {
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${port}` });
  try {
    const page = await browser.newPage();
    await page.goto(url, { waitUntil: "load" });
    await page.addScriptTag({ content: await readFile(require.resolve("axe-core"), "utf8") });
    const results = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      AXE_TAGS,
    );
    await page.close();
    return results;
  } finally {
    await browser.disconnect();
  }
}

const profile = await mkdtemp(path.join(os.tmpdir(), "a11y-audit-"));
const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: CHROME_FLAGS,
  userDataDir: profile,
  logLevel: "silent",
});
const report = [];
let failed = false;
try {
  for (const file of files) {
    const abs = path.resolve(file);
    const { server, missing, port } = await serve(path.dirname(abs));
    const url = `http://127.0.0.1:${port}/${encodeURIComponent(path.basename(abs))}`;
    try {
      const result = await lighthouse(
        url,
        { port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES },
        { extends: "lighthouse:default", settings: { onlyCategories: CATEGORIES } },
      );
      const lhr = result.lhr;
      const scores = {};
      const faults = [];
      for (const id of CATEGORIES) {
        const category = lhr.categories[id];
        scores[id] = Math.round(category.score * 100);
        for (const ref of category.auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            const items = audit.details?.items ?? [];
            faults.push(`${id}: ${audit.id} (${audit.title}), ${items.length} item(s)`);
            for (const item of items.slice(0, 5)) {
              const node = item.node?.snippet ?? item.url ?? item.source?.url ?? JSON.stringify(item);
              faults.push(`    ${String(node).slice(0, 160)}`);
            }
          }
        }
      }
      if (lhr.runtimeError) faults.push(`lighthouse: ${lhr.runtimeError.message}`);
      const axe = await axeAudit(chrome.port, url);
      const violations = axe.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.html.slice(0, 160)),
      }));
      for (const m of missing) faults.push(`request failed: ${m} (404)`);
      const pageFailed =
        CATEGORIES.some((id) => !(scores[id] >= min)) || violations.length > 0 || missing.length > 0;
      failed ||= pageFailed;
      report.push({ file, scores, axe: { violations, passes: axe.passes.length }, faults });
      const summary = CATEGORIES.map((id) => `${id} ${scores[id]}`).join(", ");
      console.log(
        `${pageFailed ? "FAIL" : "ok"}: ${file}: lighthouse ${summary}; ` +
          `axe (WCAG 2.1 AA) ${violations.length} violation(s), ${axe.passes.length} rules passed`,
      );
      for (const f of faults) console.log(`  ${f}`);
      for (const v of violations) {
        console.log(`  axe: ${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} node(s)`);
        for (const n of v.nodes.slice(0, 5)) console.log(`    ${n}`);
      }
    } finally {
      server.close();
    }
  }
} finally {
  await chrome.kill();
  await rm(profile, { recursive: true, force: true });
}
if (jsonOut) await writeFile(jsonOut, JSON.stringify(report, null, 2) + "\n");
process.exit(failed ? 1 : 0);
