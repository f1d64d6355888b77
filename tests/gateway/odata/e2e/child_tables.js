// End to end for the child tables (every catalog table with "rows"), with the third-party
// OData client (npm @odata/client): a real jira-sample and a real jtgw; for the user who
// sees everything, one project, and nothing, each child table paged at several page
// sizes equals what the dataset files say (expected_children.js): count, no duplicate
// keys, and a checksum over every value. Issues whose worklogs/comments exceed 20 (and,
// on Cloud, histories exceed 100) must be there and complete; small pages must split an
// issue's rows across responses (the $skiptoken resumes inside an issue). Then, on a
// site whose sprint field has another id, IssueSprints again (found through /field).
// Usage: node child_tables.js FLAVOR MODULES_DIR JTGW JIRA_SAMPLE MINT_TOKEN CATALOG
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const assert = require("assert");
const { load, userKinds } = require("./expected");
const { assertRowsEqual } = require("./rows");
const { loadChildren, expectedChildren, truncatedIssues } = require("./expected_children");
const proc = require("./processes");

const [flavor, modules, jtgwBin, sampleBin, mintBin, catalogPath] = process.argv.slice(2);
const { OData } = require(path.join(modules, "@odata/client"));
const client = require("./odata_client").clientMaker(modules);
const catalog = JSON.parse(fs.readFileSync(catalogPath, "utf8"));
const cloud = flavor === "cloud";
const sourceOf = (t) => t.source[flavor] || t.source;
const childTables = catalog.tables.filter((t) => sourceOf(t).rows);

// The dataset: big enough that the one-project user has issues with long lists.
const ISSUES = 700;
const SEED = 3;

// Every page of `table` as user (name, token), following @odata.nextLink as given.
async function readAll(root, name, token, table, pageSize) {
  const c = client(root, name, token, pageSize);
  const pages = [];
  let content = await c.newRequest({ collection: table, method: "GET", params: OData.newOptions() });
  for (;;) {
    assert.ok(!content.error && Array.isArray(content.value), `${table}: ${JSON.stringify(content.error)}`);
    pages.push(content.value);
    const next = content["@odata.nextLink"];
    if (!next) return pages;
    assert.ok(next.startsWith(root), `nextLink ${next} is under the service root`);
    content = await c.requestUri(next);
  }
}

// Rows per issue of `rows`, for the completeness checks.
function perIssue(rows) {
  const m = new Map();
  for (const r of rows) m.set(r.IssueId, (m.get(r.IssueId) || 0) + 1);
  return m;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jtgw-child-e2e-${flavor}-`));
  try {
    const data = path.join(dir, "data");
    proc.generate(sampleBin, data, ISSUES, SEED);
    const dataset = load(data);
    const children = loadChildren(data);
    const sample = await proc.startSample(sampleBin, data);

    const { all, one, none } = userKinds(dataset);
    const users = proc.mintUsers(mintBin, dir, flavor, [all, one, none]);
    const gw = await proc.startJtgw(jtgwBin, dir, "main", { jiraUrl: sample.url, flavor });

    // The dataset must hold what this test is about, for both users who see issues.
    for (const u of [all, one]) {
      const t = truncatedIssues(dataset, children, u);
      assert.ok(t.worklogs.length > 0 && t.comments.length > 0, `${u.username} has issues with over 20 worklogs and comments`);
      assert.ok(t.histories.length > 0, `${u.username} has issues with over 100 histories`);
    }
    const expectedTables = ["Worklogs", "Comments", "Changelog", "IssueLinks", "IssueSprints", "IssueLabels",
                            "IssueComponents", "IssueFixVersions"];
    assert.deepStrictEqual(childTables.map((t) => t.name).sort(), [...expectedTables].sort(), "the catalog's child tables");

    let reads = 0, splitIssues = 0, shortPages = 0;
    for (const { u, name, token } of users) {
      const expected = expectedChildren(dataset, children, u, flavor);
      const truncated = truncatedIssues(dataset, children, u);
      for (const table of childTables) {
        assert.ok(expected[table.name], `an expectation for ${table.name}`);
        // Small pages only where they stay cheap; 1000 (the default) everywhere.
        const sizes = [undefined, 250];
        if (u === one || expected[table.name].length < 1500) sizes.push(7);
        for (const pageSize of sizes) {
          const context = `${flavor} ${name} ${table.name} maxpagesize=${pageSize}`;
          const pages = await readAll(gw.root, name, token, table.name, pageSize);
          const rows = pages.flat();
          assertRowsEqual(table, rows, expected[table.name], context);
          const size = pageSize || 1000;
          // A response may end early at a Jira page's end (never empty, never over the size).
          pages.forEach((p) => assert.ok(p.length <= size, `${context}: a page over ${size}`));
          pages.slice(0, -1).forEach((p) => assert.ok(p.length > 0, `${context}: an empty page before the last`));
          shortPages += pages.slice(0, -1).filter((p) => p.length < size).length;
          for (let i = 1; i < pages.length; ++i)
            if (pages[i].length && pages[i - 1].length && pages[i][0].IssueId === pages[i - 1].at(-1).IssueId) splitIssues++;
          // The issues Jira truncated are whole (a named check; the checksum covers it too).
          const counts = perIssue(rows);
          const lists = { Worklogs: ["worklogs", children.worklogs], Comments: ["comments", children.comments] };
          if (lists[table.name]) {
            const [which, list] = lists[table.name];
            for (const id of truncated[which])
              assert.strictEqual(counts.get(id), list.filter((x) => x.issue_id === id).length, `${context}: issue ${id} complete`);
          }
          if (table.name === "Changelog")
            for (const id of truncated.histories) {
              const items = children.histories.filter((h) => h.issue_id === id).reduce((n, h) => n + h.items.length, 0);
              assert.strictEqual(counts.get(id), items, `${context}: issue ${id}'s changelog complete`);
            }
          reads++;
        }
      }
    }
    assert.ok(splitIssues > 0, "some issue's rows spanned two responses");
    assert.ok(shortPages > 0, "some response ended early at a Jira page's end");
    console.log(`${flavor}: ${reads} child-table reads equal the dataset for 3 users (${splitIssues} issues split ` +
                `across pages, ${shortPages} responses ended at a Jira page's end)`);
    await gw.stop();
    await sample.stop();

    // A site whose sprint field is not customfield_10020 (the catalog's guess): jtgw
    // finds it in each user's /field list, and IssueSprints is the same table.
    {
      const other = await proc.startSample(sampleBin, data, ["--sprint-field-id", "customfield_10104"]);
      const gw2 = await proc.startJtgw(jtgwBin, dir, "sprint-field", { jiraUrl: other.url, flavor });
      const table = childTables.find((t) => t.name === "IssueSprints");
      for (const { u, name, token } of users) {
        const expected = expectedChildren(dataset, children, u, flavor).IssueSprints;
        if (u === all) assert.ok(expected.length > 0, "the all-seeing user has sprints");
        const rows = (await readAll(gw2.root, name, token, "IssueSprints", undefined)).flat();
        assertRowsEqual(table, rows, expected, `${flavor} ${name} IssueSprints, sprint field customfield_10104`);
      }
      console.log(`${flavor}: IssueSprints equal the dataset with the sprint field at customfield_10104`);
    }
  } finally {
    proc.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

proc.runMain(main);
