// End to end, with a third-party OData v4 client (npm @odata/client, pinned by
// package-lock.json): a real jira-sample, a real jtgw (auth = "user", tokens minted into
// its store), and for the user who sees everything, one project, and nothing, every
// table of the catalog paged at several page sizes. Rows must equal what the dataset
// files say that user may see (expected.js, independent of jtgw): count and a checksum
// over every value; no duplicates, no gaps. Then the paging link's integrity (tampered,
// foreign user, foreign table -> 400), authentication (401 + WWW-Authenticate, OData
// error body), unsupported options (501), and the served $metadata checked by the OASIS
// CSDL parser. Usage:
//   node e2e.js FLAVOR MODULES_DIR JTGW JIRA_SAMPLE MINT_TOKEN CATALOG CSDL_CHECK CSDL_MODULES
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const assert = require("assert");
const { execFileSync } = require("child_process");
const { load, expectedTables, userKinds } = require("./expected");
const { assertRowsEqual } = require("./rows");
const proc = require("./processes");

const [flavor, modules, jtgwBin, sampleBin, mintBin, catalogPath, csdlCheck, csdlModules] = process.argv.slice(2);
const { OData } = require(path.join(modules, "@odata/client"));
const catalog = JSON.parse(fs.readFileSync(catalogPath, "utf8"));
const cloud = flavor === "cloud";
// Tables whose rows come from lists inside each issue are child_tables.js's.
const flatTables = catalog.tables.filter((t) => !(t.source[flavor] || t.source).rows);

const client = require("./odata_client").clientMaker(modules);

// Pages through `table` the way an OData consumer does: the entity set, then each
// @odata.nextLink as given, until there is none.
async function readAll(c, table, pageSize) {
  const rows = [];
  const pages = [];
  let content = await c.newRequest({ collection: table, method: "GET", params: OData.newOptions() });
  for (;;) {
    assert.ok(!content.error, `${table}: ${JSON.stringify(content.error)}`);
    assert.strictEqual(c.seen.last.status, 200);
    assert.strictEqual(c.seen.last.headers.get("odata-version"), "4.0");
    assert.ok(Array.isArray(content.value), `${table}: a value array`);
    if (pageSize) assert.strictEqual(c.seen.last.headers.get("preference-applied"), `odata.maxpagesize=${pageSize}`);
    rows.push(...content.value);
    pages.push(content.value.length);
    const next = content["@odata.nextLink"];
    if (!next) break;
    assert.ok(next.startsWith(c.serviceEndpoint), `nextLink ${next} is under the service root`);
    content = await c.requestUri(next); // the client's own request path, link as given
  }
  return { rows, pages };
}

async function status(root, pathAndQuery, auth, headers = {}) {
  const r = await fetch(root + pathAndQuery, {
    headers: { ...(auth ? { Authorization: "Basic " + Buffer.from(`${auth[0]}:${auth[1]}`).toString("base64") } : {}), ...headers },
  });
  const text = await r.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch (_) {
    body = text;
  }
  return { status: r.status, headers: r.headers, body };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jtgw-odata-e2e-${flavor}-`));
  try {
    const data = path.join(dir, "data");
    proc.generate(sampleBin, data, 240, 11);
    const dataset = load(data);
    const sample = await proc.startSample(sampleBin, data);

    // The three kinds of user, with tokens sealing their Jira credential.
    const { all, one, none } = userKinds(dataset);
    const users = proc.mintUsers(mintBin, dir, flavor, [all, one, none]);
    const gw = await proc.startJtgw(jtgwBin, dir, "main", { jiraUrl: sample.url, flavor });

    // Every table, every user, page sizes 7, 50, 1000 (and the default): equal to the dataset.
    let checked = 0;
    for (const { u, name, token } of users) {
      const expected = expectedTables(dataset, u, flavor);
      for (const table of flatTables) {
        for (const pageSize of [7, 50, 1000, undefined]) {
          if (pageSize === 7 && table.name === "Issues" && u !== one) continue; // ~35 requests suffice once
          const context = `${flavor} ${name} ${table.name} maxpagesize=${pageSize}`;
          const c = client(gw.root, name, token, pageSize);
          const { rows, pages } = await readAll(c, table.name, pageSize);
          assertRowsEqual(table, rows, expected[table.name], context);
          const size = pageSize || 1000;
          pages.slice(0, -1).forEach((n) => assert.strictEqual(n, size, `${context}: a short page before the last`));
          checked++;
        }
      }
    }
    console.log(`${flavor}: ${checked} table reads equal the dataset for 3 users`);

    // $top and $select ride along the links.
    {
      const { name, token } = users[0];
      const c = client(gw.root, name, token, 7);
      let content = await c.newRequest({ collection: "Issues", method: "GET", params: OData.newOptions().top(10).select(["Key", "Status"]) });
      const got = [...content.value];
      content = await c.requestUri(content["@odata.nextLink"]);
      got.push(...content.value);
      assert.strictEqual(got.length, 10);
      assert.ok(!content["@odata.nextLink"], "$top ends the listing");
      assert.deepStrictEqual(Object.keys(got[9]).sort(), ["Key", "Status"]);
    }

    // The paging link's integrity: tampered, another user's, another table's -> 400.
    {
      const [a, b] = users;
      const first = await status(gw.root, "Issues", [a.name, a.token], { Prefer: "odata.maxpagesize=5" });
      const link = first.body["@odata.nextLink"];
      const token = new URL(link).searchParams.get("$skiptoken");
      const tampered = token.slice(0, 20) + (token[20] === "A" ? "B" : "A") + token.slice(21);
      for (const [what, q, who] of [
        ["tampered", `Issues?$skiptoken=${tampered}`, a],
        ["foreign user", `Issues?$skiptoken=${token}`, b],
        ["foreign table", `Projects?$skiptoken=${token}`, a],
        ["garbage", "Issues?$skiptoken=not-a-token", a],
      ]) {
        const r = await status(gw.root, q, [who.name, who.token]);
        assert.strictEqual(r.status, 400, `${what} $skiptoken`);
        assert.strictEqual(r.body.error.code, "BadSkipToken", `${what}: ${JSON.stringify(r.body)}`);
      }
      const again = await status(gw.root, `Issues?$skiptoken=${token}`, [a.name, a.token]);
      assert.strictEqual(again.status, 200, "the genuine link still works");
    }

    // Authentication is the gateway's: 401 with WWW-Authenticate and an OData error body.
    {
      for (const auth of [null, [users[0].name, "jtgw_notatoken"], [users[1].name, users[0].token]]) {
        const r = await status(gw.root, "Issues", auth);
        assert.strictEqual(r.status, 401);
        assert.ok(r.headers.get("www-authenticate").startsWith("Basic"), "WWW-Authenticate");
        assert.ok(r.body.error && typeof r.body.error.code === "string" && r.body.error.message, "OData error body");
      }
    }

    // Unsupported options name themselves: 501.
    {
      const { name, token } = users[0];
      for (const q of ["Issues?$filter=Id%20eq%201", "Issues?$orderby=Key", "Issues(1)", "Issues?$count=true"]) {
        const r = await status(gw.root, q, [name, token]);
        assert.strictEqual(r.status, 501, q);
        assert.strictEqual(r.body.error.code, "NotImplemented", q);
      }
      const unknown = await status(gw.root, "Nope", [name, token]);
      assert.strictEqual(unknown.status, 404);
    }

    // The served $metadata and service document, through jtgw, parsed by the OASIS parser.
    {
      const { name, token } = users[0];
      const docs = path.join(dir, "served");
      fs.mkdirSync(docs);
      const meta = await fetch(gw.root + "$metadata", {
        headers: { Authorization: "Basic " + Buffer.from(`${name}:${token}`).toString("base64") },
      });
      assert.strictEqual(meta.status, 200);
      assert.ok(meta.headers.get("content-type").startsWith("application/xml"));
      fs.writeFileSync(path.join(docs, "metadata.xml"), await meta.text());
      const service = await status(gw.root, "", [name, token]);
      assert.strictEqual(service.status, 200);
      fs.writeFileSync(path.join(docs, "service.json"), JSON.stringify(service.body));
      execFileSync("node", [csdlCheck, csdlModules, docs, catalogPath], { stdio: "inherit" });
    }

    // Jira down -> 502 with an OData error.
    {
      await sample.stop();
      const { name, token } = users[0];  // jtgw keeps serving; Jira is gone
      const r = await status(gw.root, "Projects", [name, token]);
      assert.strictEqual(r.status, 502);
      assert.strictEqual(r.body.error.code, "JiraUnreachable");
    }
    await gw.stop(); // frees the store for the next jtgw

    // Jira rate limiting is waited out (jira-sample answers 429 + Retry-After above 2/s).
    {
      const limited = await proc.startSample(sampleBin, data, ["--rate-limit", "2", "--access-log"]);
      const gw2 = await proc.startJtgw(jtgwBin, dir, "limited", { jiraUrl: limited.url, flavor });
      const { u, name, token } = users[0];
      const { rows } = await readAll(client(gw2.root, name, token, 50), "Issues", 50);
      assertRowsEqual(catalog.tables[0], rows, expectedTables(dataset, u, flavor).Issues, "rate-limited Issues");
      assert.ok(limited.output().includes('"status":429'), "jira-sample did throttle");
      await gw2.stop();
      await limited.stop();
      console.log(`${flavor}: 429s from Jira waited out`);
    }

    // A broken catalog stops start-up naming the table and column.
    {
      const broken = JSON.parse(fs.readFileSync(catalogPath, "utf8"));
      broken.tables[0].columns[3].type = "Edm.Day";
      const file = path.join(dir, "broken.json");
      fs.writeFileSync(file, JSON.stringify(broken));
      const cfg = path.join(dir, "broken.toml");
      fs.writeFileSync(cfg, fs.readFileSync(path.join(dir, "main.toml"), "utf8") + `[odata]\ncatalog = "${file}"\n`);
      const r = await proc.runToExit([jtgwBin, "serve", "--config", cfg]);
      assert.notStrictEqual(r.code, 0);
      assert.ok(r.output.includes(`table "Issues", column "${broken.tables[0].columns[3].name}"`), r.output);
    }
    console.log(`${flavor}: OData end to end passed`);
  } finally {
    proc.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

proc.runMain(main);
