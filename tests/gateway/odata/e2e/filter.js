// $filter end to end, with the third-party OData client (npm @odata/client): a real
// jira-sample and a real jtgw; time ranges on Issues' Updated and Created must return
// exactly the rows the dataset files put in range (expected.js computes them, and the
// range test here is plain arithmetic on those files' times): bounds on a row's exact
// time, one millisecond and one second either side, on minute boundaries, between two
// milliseconds, in other offsets; ge vs gt, le vs lt; paged over several pages with the
// filter riding the links. Then the filter's pushdown (a narrow range costs one Jira
// request), the $skiptoken's binding to the filter, and the refusals (501 naming the
// part, 400 for what OData rejects). Usage:
//   node filter.js FLAVOR MODULES_DIR JTGW JIRA_SAMPLE MINT_TOKEN
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const assert = require("assert");
const { load, expectedTables, userKinds } = require("./expected");
const proc = require("./processes");
const { literal, time, readFiltered: readIssues, jiraRequests } = require("./filter_support");

const [flavor, modules, jtgwBin, sampleBin, mintBin] = process.argv.slice(2);
const { OData } = require(path.join(modules, "@odata/client"));
const { ODataDateTimeOffset } = require(path.join(modules, "@odata/client/lib/types_v4"));
const cloud = flavor === "cloud";

const client = require("./odata_client").clientMaker(modules);

const readFiltered = (c, filter, top) => readIssues(OData, c, "Issues", filter, top);

async function status(root, pathAndQuery, auth, headers = {}) {
  const r = await fetch(root + pathAndQuery, {
    headers: { Authorization: "Basic " + Buffer.from(`${auth.name}:${auth.token}`).toString("base64"), ...headers },
  });
  const text = await r.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch (_) {
    /* not JSON */
  }
  return { status: r.status, headers: r.headers, body };
}

const q = (filter) => `Issues?$filter=${encodeURIComponent(filter)}`;

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jtgw-odata-filter-${flavor}-`));
  try {
    const data = path.join(dir, "data");
    proc.generate(sampleBin, data, 240, 11);
    const dataset = load(data);
    const sample = await proc.startSample(sampleBin, data, ["--access-log"]);
    const { all, one } = userKinds(dataset);
    const users = proc.mintUsers(mintBin, dir, flavor, [all, one]);
    const gw = await proc.startJtgw(jtgwBin, dir, "filter", { jiraUrl: sample.url, flavor });

    let checked = 0;
    for (const { u, name, token } of users) {
      const truth = expectedTables(dataset, u, flavor).Issues;
      // Expected rows: the truth whose times satisfy every [column, lowest, highest] bound.
      const within = (bounds) =>
        truth.filter((row) => bounds.every(([c, lo, hi]) => time(row[c]) >= lo && time(row[c]) <= hi));
      const check = async (filter, bounds, pageSize = 50) => {
        const c = client(gw.root, name, token, pageSize);
        const { rows } = await readFiltered(c, filter, undefined);
        const want = within(bounds);
        const got = rows.map((r) => r.Id).sort((a, b) => a - b);
        assert.deepStrictEqual(got, want.map((r) => r.Id).sort((a, b) => a - b), `${name}: ${filter}`);
        const byId = new Map(want.map((r) => [r.Id, r]));
        for (const row of rows) assert.deepStrictEqual(row, byId.get(row.Id), `${name}: ${filter}: row ${row.Id}`);
        checked++;
        return rows.length;
      };

      // Anchors: rows' exact times, from the dataset (the all-user sees every one).
      const updated = truth.map((r) => time(r.Updated)).sort((a, b) => a - b);
      const created = truth.map((r) => time(r.Created)).sort((a, b) => a - b);
      if (updated.length === 0) continue;
      const inf = Number.MAX_SAFE_INTEGER;
      for (const t of [updated[Math.floor(updated.length / 4)], updated[Math.floor(updated.length / 2)]]) {
        for (const [column, stamp] of [["Updated", t], ["Created", created[Math.floor(created.length / 3)]]]) {
          for (const d of [0, 1, -1, 1000, -1000]) {
            const x = stamp + d;
            await check(`${column} ge ${literal(x)}`, [[column, x, inf]]);
            await check(`${column} gt ${literal(x)}`, [[column, x + 1, inf]]);
            await check(`${column} le ${literal(x)}`, [[column, -inf, x]]);
            await check(`${column} lt ${literal(x)}`, [[column, -inf, x - 1]]);
          }
          // On the minute boundaries around the row's time.
          const minute = Math.floor(stamp / 60000) * 60000;
          for (const m of [minute, minute + 60000]) {
            await check(`${column} ge ${literal(m)}`, [[column, m, inf]]);
            await check(`${column} lt ${literal(m)}`, [[column, -inf, m - 1]]);
            await check(`${column} gt ${literal(m)} and ${column} le ${literal(m + 60000)}`, [[column, m + 1, m + 60000]]);
          }
          // Between two milliseconds: ge keeps from the next one, le up to this one.
          await check(`${column} ge ${literal(stamp, 0, "5")}`, [[column, stamp + 1, inf]]);
          await check(`${column} le ${literal(stamp, 0, "5")}`, [[column, -inf, stamp]]);
          await check(`${column} lt ${literal(stamp, 0, "000001")}`, [[column, -inf, stamp]]);
          // The same instant at other offsets (+05:30, -08:00, +14:00).
          for (const offset of [330, -480, 840]) {
            await check(`${column} ge ${literal(stamp, offset)}`, [[column, stamp, inf]]);
            await check(`${literal(stamp, offset)} gt ${column}`, [[column, -inf, stamp - 1]]);
          }
        }
      }

      // Ranges over several pages (maxpagesize 7), on one and on both columns; the
      // client's own filter builder spells one of them.
      const lo = updated[Math.floor(updated.length / 5)], hi = updated[Math.floor((updated.length * 4) / 5)];
      const n1 = await check(`Updated ge ${literal(lo)} and Updated lt ${literal(hi)}`, [["Updated", lo, hi - 1]], 7);
      const cmid = created[Math.floor(created.length / 2)];
      await check(`(Updated ge ${literal(lo)}) and (Created le ${literal(cmid, 60)}) and Updated le ${literal(hi)}`,
                  [["Updated", lo, hi], ["Created", -inf, cmid]], 7);
      const built = OData.newFilter().field("Updated").gt(ODataDateTimeOffset.from(new Date(lo)))
        .field("Updated").le(ODataDateTimeOffset.from(new Date(hi)));
      await check(built, [["Updated", lo + 1, hi]], 7);
      if (u === all) assert.ok(n1 > 3 * 7, `the paged range spans several pages (${n1} rows)`);
      // No row can pass: empty, no link.
      await check(`Updated gt ${literal(lo)} and Updated lt ${literal(lo + 1)}`, [["Updated", 1, 0]]);
      // $top counts filtered rows.
      {
        const c = client(gw.root, name, token, 7);
        const { rows } = await readFiltered(c, `Updated ge ${literal(lo)}`, 10);
        const inRange = new Set(within([["Updated", lo, inf]]).map((r) => r.Id));
        assert.strictEqual(rows.length, Math.min(10, inRange.size), "$top with $filter");
        assert.strictEqual(new Set(rows.map((r) => r.Id)).size, rows.length, "$top with $filter: no duplicates");
        rows.forEach((r) => assert.ok(inRange.has(r.Id), `$top with $filter: ${r.Id} in range`));
      }
    }
    console.log(`${flavor}: ${checked} filtered reads equal the dataset`);

    const [a, b] = users;
    const truth = expectedTables(dataset, a.u, flavor).Issues;
    const updated = truth.map((r) => time(r.Updated)).sort((x, y) => x - y);

    // Pushdown: a range narrower than one Jira page costs one search request, where the
    // whole table takes three (240 issues, 100 per page); on Cloud two, the id listing and
    // one search by id, where the whole table takes four. jtgw forwards its request id,
    // so jira-sample's access log tells which searches served this one response.
    {
      const t = updated[updated.length >> 1];
      const r = await status(gw.root, q(`Updated ge ${literal(t - 60000)} and Updated le ${literal(t + 60000)}`), a,
                             { Prefer: "odata.maxpagesize=50" });
      assert.strictEqual(r.status, 200);
      assert.ok(r.body.value.length >= 1, "the anchor row is there");
      const count = await jiraRequests(sample, r.headers.get("x-request-id"), "/rest/api/[23]/search(/jql)?");
      const unfiltered = Math.ceil(truth.length / 100);
      assert.ok(unfiltered >= 3, "the whole table takes several Jira pages");
      assert.strictEqual(count, cloud ? 2 : 1, "one Jira page of searches for a narrow range");
    }

    // The $skiptoken is bound to the filter: another filter, or none, is refused; the
    // same filter spelt differently is the same filter.
    {
      const f = `Updated ge ${literal(updated[10])}`;
      const first = await fetch(gw.root + q(f), {
        headers: {
          Authorization: "Basic " + Buffer.from(`${a.name}:${a.token}`).toString("base64"),
          Prefer: "odata.maxpagesize=5",
        },
      }).then((r) => r.json());
      const link = new URL(first["@odata.nextLink"]);
      assert.strictEqual(link.searchParams.get("$filter"), f, "the link carries the filter as sent");
      const token = link.searchParams.get("$skiptoken");
      const tok = `&$skiptoken=${token}`;
      for (const [what, path] of [
        ["another filter", q(`Updated ge ${literal(updated[11])}`) + tok],
        ["no filter", `Issues?$skiptoken=${token}`],
        ["a wider filter", q(`Updated ge ${literal(updated[10] - 1)}`) + tok],
      ]) {
        const r = await status(gw.root, path, a);
        assert.strictEqual(r.status, 400, what);
        assert.strictEqual(r.body.error.code, "BadSkipToken", `${what}: ${JSON.stringify(r.body)}`);
        assert.ok(r.body.error.message.includes("$filter"), r.body.error.message);
      }
      const same = await status(gw.root, q(`${literal(updated[10], 120)} le Updated`) + tok, a);
      assert.strictEqual(same.status, 200, "the same filter, spelt differently");
      const other = await status(gw.root, q(f) + tok, b);
      assert.strictEqual(other.status, 400, "another user");
    }

    // Refusals: 501 naming the unsupported part, 400 for what OData itself rejects.
    {
      const at = literal(updated[0]);
      for (const [filter, part] of [
        [`Updated ge ${at} or Created ge ${at}`, "'or'"],
        [`not (Updated ge ${at})`, "'not'"],
        [`Updated eq ${at}`, "'eq'"],
        ["Summary eq 'x'", "column Summary"],
        [`ResolutionDate ge ${at}`, "column ResolutionDate"],
        ["contains(Summary,'x')", "function 'contains'"],
        [`Updated ge ${at} add duration'P1D'`, "'add'"],
      ]) {
        const r = await status(gw.root, q(filter), a);
        assert.strictEqual(r.status, 501, filter);
        assert.strictEqual(r.body.error.code, "NotImplemented", filter);
        assert.ok(r.body.error.message.includes(part), `${filter}: ${r.body.error.message}`);
      }
      for (const filter of ["Nope ge 2025-01-01T00:00:00Z", "Updated ge 2025-02-30T00:00:00Z", "Updated ge 2025-01-01",
                            "Updated ge", "(Updated ge 2025-01-01T00:00:00Z", "Updated ge 'x'", "", "x".repeat(3000)]) {
        const r = await status(gw.root, q(filter), a);
        assert.strictEqual(r.status, 400, filter.slice(0, 40));
        assert.strictEqual(r.body.error.code, "InvalidFilter", filter.slice(0, 40));
      }
      const projects = await status(gw.root, "Projects?$filter=" + encodeURIComponent(`Id ge ${at}`), a);
      assert.strictEqual(projects.status, 501, "a table without filterable columns");
    }
    console.log(`${flavor}: OData $filter end to end passed`);
  } finally {
    proc.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

proc.runMain(main);
