// $filter on the child tables' time columns end to end (Worklogs Created/Updated,
// Comments Created/Updated, Changelog Created), with the third-party OData client (npm
// @odata/client), a real jira-sample and a real jtgw, for the users who see everything,
// one project and nothing: every range returns exactly the dataset's rows in range
// (expected_children.js, then plain arithmetic on the files' times) — at a row's exact
// time, on minute boundaries, bounded from above only (nothing pushed to Jira), and a
// range splitting a list Jira truncated (the issue's list is completed, then filtered),
// paged with the filter on every link. A lower bound narrows the issue search (fewer
// Jira requests than the whole table); tables without a time column answer 501.
// Usage: node filter_children.js FLAVOR MODULES_DIR JTGW JIRA_SAMPLE MINT_TOKEN CATALOG
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const assert = require("assert");
const { load, userKinds } = require("./expected");
const { assertRowsEqual } = require("./rows");
const { loadChildren, expectedChildren, truncatedIssues } = require("./expected_children");
const { literal, time, readFiltered, jiraPaths, jiraRequests } = require("./filter_support");
const proc = require("./processes");

const [flavor, modules, jtgwBin, sampleBin, mintBin, catalogPath] = process.argv.slice(2);
const { OData } = require(path.join(modules, "@odata/client"));
const client = require("./odata_client").clientMaker(modules);
const catalog = JSON.parse(fs.readFileSync(catalogPath, "utf8"));
const tableNamed = (name) => catalog.tables.find((t) => t.name === name);

// As child_tables.js: the one-project user has issues with truncated lists.
const ISSUES = 700;
const SEED = 3;
const FILTERED = { Worklogs: ["Created", "Updated"], Comments: ["Created", "Updated"], Changelog: ["Created"] };
const inf = Number.MAX_SAFE_INTEGER;

// The rows of `truth` whose `column` lies in [lo, hi] (ms).
const within = (truth, column, lo, hi) => truth.filter((r) => time(r[column]) >= lo && time(r[column]) <= hi);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jtgw-filter-children-${flavor}-`));
  try {
    const data = path.join(dir, "data");
    proc.generate(sampleBin, data, ISSUES, SEED);
    const dataset = load(data);
    const children = loadChildren(data);
    const sample = await proc.startSample(sampleBin, data, ["--access-log"]);
    const { all, one, none } = userKinds(dataset);
    const users = proc.mintUsers(mintBin, dir, flavor, [all, one, none]);
    const gw = await proc.startJtgw(jtgwBin, dir, "filter-children", { jiraUrl: sample.url, flavor });

    // Anchors come from what the all-seeing user sees, so every user is asked the same.
    const allTruth = expectedChildren(dataset, children, all, flavor);
    // A list Jira truncates that the one-project user sees too (so all three see it alike).
    const long = truncatedIssues(dataset, children, one);
    const splitIssue = { Worklogs: long.worklogs[0], Comments: long.comments[0], Changelog: long.histories[0] };

    let reads = 0;
    for (const { u, name, token } of users) {
      const truth = expectedChildren(dataset, children, u, flavor);
      for (const [tableName, columns] of Object.entries(FILTERED)) {
        const table = tableNamed(tableName);
        for (const column of columns) {
          const check = async (filter, lo, hi, pageSize = 1000) => {
            const context = `${flavor} ${name} ${tableName}?$filter=${filter} maxpagesize=${pageSize}`;
            const { rows } = await readFiltered(OData, client(gw.root, name, token, pageSize), tableName, filter);
            rows.forEach((r) => assert.ok(time(r[column]) >= lo && time(r[column]) <= hi, `${context}: ${r[column]} in range`));
            assertRowsEqual(table, rows, within(truth[tableName], column, lo, hi), context);
            reads++;
            return rows.length;
          };
          const times = allTruth[tableName].map((r) => time(r[column])).sort((a, b) => a - b);
          assert.ok(times.length > 100, `${tableName}.${column}: the dataset has rows`);
          const late = times[Math.floor(times.length * 0.9)], early = times[Math.floor(times.length * 0.1)];
          // At a row's exact time and one millisecond off.
          await check(`${column} ge ${literal(late)}`, late, inf);
          await check(`${column} gt ${literal(late)}`, late + 1, inf);
          await check(`${column} ge ${literal(late - 1)} and ${column} lt ${literal(late + 1)}`, late - 1, late);
          // On the minute boundaries around it.
          const minute = Math.floor(late / 60000) * 60000;
          await check(`${column} ge ${literal(minute)}`, minute, inf);
          await check(`${column} gt ${literal(minute)} and ${column} le ${literal(minute + 60000)}`, minute + 1, minute + 60000);
          await check(`${column} ge ${literal(minute + 60000)} and ${column} lt ${literal(minute + 120000)}`,
                      minute + 60000, minute + 119999);
          // Bounded from above only (Jira is not narrowed: the exact filter does it all).
          await check(`${column} lt ${literal(early)}`, -inf, early - 1);
          await check(`${literal(early, 330)} ge ${column}`, -inf, early);

          // A range splitting a truncated list: part of the issue's rows in range, among
          // them rows past the ones Jira embeds, paged small so the filter rides the links.
          const id = splitIssue[tableName];
          if (id === undefined) continue;
          const own = allTruth[tableName].filter((r) => r.IssueId === id).map((r) => time(r[column])).sort((a, b) => a - b);
          const lo = own[Math.floor(own.length / 3)], hi = own[own.length - 2];
          const mine = within(truth[tableName], column, lo, hi).filter((r) => r.IssueId === id).length;
          if (u !== none) assert.ok(mine > 0 && mine < own.length, `${tableName} issue ${id}: the range splits its list`);
          const n = await check(`${column} ge ${literal(lo)} and ${column} le ${literal(hi)}`, lo, hi, 25);
          if (u === all) assert.ok(n > 25, `${tableName}.${column}: the split range spans several responses (${n} rows)`);
        }
      }
    }
    console.log(`${flavor}: ${reads} filtered child-table reads equal the dataset for 3 users`);

    // A lower bound narrows the issue search: fewer Jira requests than the whole table.
    {
      const [{ name, token }] = users;
      const auth = "Basic " + Buffer.from(`${name}:${token}`).toString("base64");
      const cost = async (query) => {
        const r = await fetch(`${gw.root}Comments${query}`, { headers: { Authorization: auth, Prefer: "odata.maxpagesize=5000" } });
        assert.strictEqual(r.status, 200, query);
        const body = await r.json();
        assert.ok(!body["@odata.nextLink"], `${query}: one response`);
        return jiraRequests(sample, r.headers.get("x-request-id"), "/rest/api/[23]/[^\"]*");
      };
      const times = allTruth.Comments.map((r) => time(r.Updated)).sort((a, b) => a - b);
      const late = times[Math.floor(times.length * 0.98)];
      const whole = await cost("");
      const narrow = await cost(`?$filter=${encodeURIComponent(`Updated ge ${literal(late)}`)}`);
      console.log(`${flavor}: Comments costs ${whole} Jira requests whole, ${narrow} from its last 2%`);
      assert.ok(narrow * 2 < whole, `a late lower bound costs fewer Jira requests (${narrow} vs ${whole})`);
    }

    // Cloud: Worklogs bounded by Updated from below come from Jira's worklog feed — the
    // ids from /worklog/updated, the worklogs from /worklog/list, their issues from one
    // `id in (…)` search — not from a walk of every issue. (The rows of every such read
    // above were checked against the dataset already; here: what it cost Jira.)
    if (flavor === "cloud") {
      for (const { u, name, token } of users) {
        const auth = "Basic " + Buffer.from(`${name}:${token}`).toString("base64");
        const read = async (query) => {
          const r = await fetch(`${gw.root}Worklogs${query}`, { headers: { Authorization: auth, Prefer: "odata.maxpagesize=5000" } });
          assert.strictEqual(r.status, 200, query);
          const body = await r.json();
          assert.ok(!body["@odata.nextLink"], `${query}: one response`);
          return { rows: body.value, paths: await jiraPaths(sample, r.headers.get("x-request-id")) };
        };
        // A minute holding one of this user's worklogs (the all-seeing user's for nora).
        const truth = expectedChildren(dataset, children, u, flavor).Worklogs;
        const times = (truth.length ? truth : allTruth.Worklogs).map((r) => time(r.Updated)).sort((a, b) => a - b);
        const mid = times[times.length >> 1];
        const [lo, hi] = [mid - 30000, mid + 30000];
        const f = `?$filter=${encodeURIComponent(`Updated ge ${literal(lo)} and Updated le ${literal(hi)}`)}`;
        const narrow = await read(f);
        const want = within(truth, "Updated", lo, hi);
        if (u !== none) assert.ok(want.length > 0, `${name} has worklogs in the minute`);
        assertRowsEqual(tableNamed("Worklogs"), narrow.rows, want, `${name}: the feed's minute`);
        const count = (re) => narrow.paths.filter((p) => re.test(p)).length;
        assert.strictEqual(count(/^\/rest\/api\/3\/worklog\/updated$/), 1, `${name}: one feed page ${narrow.paths}`);
        assert.strictEqual(count(/^\/rest\/api\/3\/worklog\/list$/), want.length ? 1 : 0, `${name}: one list request`);
        assert.strictEqual(count(/^\/rest\/api\/3\/search\/jql$/), want.length ? 1 : 0, `${name}: one id search`);
        assert.strictEqual(narrow.paths.length, want.length ? 3 : 1, `${name}: nothing else (${narrow.paths})`);
        // Paged small through the feed, with a Created bound dropping some of each batch's
        // rows: responses resume inside a feed batch through the $skiptoken.
        const from = times[Math.floor(times.length * 0.85)];
        const late = truth.filter((r) => time(r.Updated) >= from).map((r) => time(r.Created)).sort((a, b) => a - b);
        const cut = late.length ? late[late.length >> 1] : from;
        const both = `Updated ge ${literal(from)} and Created ge ${literal(cut)}`;
        const paged = await readFiltered(OData, client(gw.root, name, token, 7), "Worklogs", both);
        const wantBoth = within(within(truth, "Updated", from, inf), "Created", cut, inf);
        assertRowsEqual(tableNamed("Worklogs"), paged.rows, wantBoth, `${name}: ${both} maxpagesize=7`);
        if (u !== none) assert.ok(paged.pages > 3, `${name}: ${both} spans several responses`);
        // The same rows found by walking the issues: the upper bound alone pushes nothing.
        const walk = await read(`?$filter=${encodeURIComponent(`Updated le ${literal(hi)}`)}`);
        assert.ok(walk.rows.length >= narrow.rows.length);
        console.log(`${flavor} ${name}: a one-minute Worklogs range costs ${narrow.paths.length} Jira requests ` +
                    `(feed), the walk of every issue ${walk.paths.length}`);
        if (u === all) assert.ok(narrow.paths.length * 5 < walk.paths.length, "the feed costs far fewer requests");
      }
    }

    // Tables without a time column keep refusing $filter, naming the column.
    {
      const [{ name, token }] = users;
      const auth = "Basic " + Buffer.from(`${name}:${token}`).toString("base64");
      for (const [tableName, column] of [["IssueLinks", "LinkId"], ["IssueLabels", "Label"], ["Worklogs", "Started"]]) {
        const f = column === "Label" ? `${column} eq 'x'` : `${column} ge 2025-01-01T00:00:00Z`;
        const r = await fetch(`${gw.root}${tableName}?$filter=${encodeURIComponent(f)}`, { headers: { Authorization: auth } });
        const body = await r.json();
        assert.strictEqual(r.status, 501, `${tableName}: ${f}`);
        assert.strictEqual(body.error.code, "NotImplemented", `${tableName}: ${f}`);
        assert.ok(body.error.message.includes(column) || body.error.message.includes(tableName), body.error.message);
      }
    }
  } finally {
    proc.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

proc.runMain(main);
