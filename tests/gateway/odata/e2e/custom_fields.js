// Custom-field columns end to end (issue 8): a real jira-sample, a real jtgw with
// [odata] include_custom_fields = true, read by third-party clients — the OASIS CSDL
// parser for $metadata (through ../check_metadata.js) and npm @odata/client for rows.
// What the columns should be is computed here from the dataset files and the documented
// rules (connector-manifest/README.md, "CUSTOM FIELDS"), never from jtgw's code: names,
// types, and for the user who sees everything, one project, and nothing, every value
// (row count + a checksum over all columns). With the option off, the columns are absent
// and jtgw never asks Jira for /field. Service mode reads the field list and rows acting
// for the user. Usage:
//   node custom_fields.js FLAVOR MODULES_DIR JTGW JIRA_SAMPLE MINT_TOKEN CATALOG CSDL_CHECK CSDL_MODULES
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const crypto = require("crypto");
const assert = require("assert");
const { execFileSync } = require("child_process");
const { load, expectedTables } = require("./expected");
const proc = require("./processes");

const [flavor, modules, jtgwBin, sampleBin, mintBin, catalogPath, csdlCheck, csdlModules] = process.argv.slice(2);
const { OData } = require(path.join(modules, "@odata/client"));
const catalog = JSON.parse(fs.readFileSync(catalogPath, "utf8"));
const issuesTable = catalog.tables.find((t) => t.name === "Issues");
const cloud = flavor === "cloud";
const fieldPath = cloud ? "/rest/api/3/field" : "/rest/api/2/field";

// The documented name rule: PascalCase of the name's ASCII words (apostrophes dropped),
// "Field" in front when empty or starting with a digit, at most 128 chars, "_" + number.
function columnName(id, name) {
  const digits = /^customfield_(\d{1,18})$/.exec(id)[1];
  let pascal = name
    .replace(/'/g, "")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
  if (pascal === "" || /^[0-9]/.test(pascal)) pascal = "Field" + pascal;
  return `${pascal.slice(0, 128 - 1 - digits.length)}_${digits}`;
}

// The documented type per schema, for the kinds jira-sample has; null: no column
// (Sprint is the IssueSprints child table; unknown "any" fields are skipped).
function typeOf(schema) {
  if (schema.custom === "com.pyxis.greenhopper.jira:gh-sprint") return null;
  if (/:gh-epic-link$|:gh-lexo-rank$/.test(schema.custom || "")) return "Edm.String";
  if (schema.type === "number") return "Edm.Double";
  if (schema.type === "option" || schema.type === "user" || schema.type === "string") return "Edm.String";
  if (schema.type === "array" && ["string", "option", "user"].includes(schema.items)) return "Edm.String";
  return null;
}

// Each custom field's value for one issue, from the dataset files
// (samples/jira-sample/README.md: "Custom fields", "Derived fields", "Parent").
function truths(d, options) {
  const joined = (list) => (list.length === 0 ? null : list.join(", "));
  const userId = (account) => {
    const u = d.userByAccount.get(account);
    return cloud ? u.account_id : u.username; // Data Center's key is the username there
  };
  return {
    customfield_10016: (i) => (i.story_points === null || i.story_points === undefined ? null : i.story_points),
    customfield_10030: (i) => (i.impact_option_id === null ? null : options.get(i.impact_option_id).value),
    customfield_10040: (i) => joined(i.reviewers.map(userId)),
    customfield_10014: (i) => {
      const parent = i.parent_id === null ? null : d.issueById.get(i.parent_id);
      return parent && d.typeById.get(parent.issue_type_id).hierarchy_level === 1 ? parent.key : null;
    },
    customfield_10019: (i) => `0|i${i.id.toString(16).padStart(6, "0")}:`,
  };
}

function expectedColumns(d, options) {
  const truth = truths(d, options);
  const columns = [];
  for (const f of d.fields.filter((x) => x.custom)) {
    const type = typeOf(f.schema);
    if (type === null) continue;
    assert.ok(truth[f.id], `the test knows ${f.id} (${f.name}) of jira-sample's fields.json`);
    columns.push({ id: f.id, name: columnName(f.id, f.name), type, value: truth[f.id] });
  }
  return columns.sort((a, b) => Number(a.id.slice(12)) - Number(b.id.slice(12)));
}

function client(root, username, token, pageSize) {
  return OData.New4({
    serviceEndpoint: root,
    credential: { username, password: token },
    commonHeaders: pageSize ? { Prefer: `odata.maxpagesize=${pageSize}` } : {},
  });
}

// Every row of Issues through the client, following each @odata.nextLink as given.
async function readIssues(c, select) {
  const params = OData.newOptions();
  if (select) params.select(select);
  let content = await c.newRequest({ collection: "Issues", method: "GET", params });
  const rows = [];
  let pages = 0;
  for (;;) {
    assert.ok(!content.error && Array.isArray(content.value), `Issues: ${JSON.stringify(content.error || content)}`);
    rows.push(...content.value);
    pages++;
    const next = content["@odata.nextLink"];
    if (!next) return { rows, pages };
    if (select) assert.ok(decodeURIComponent(next).includes(`$select=${select.join(",")}`), `$select rides along: ${next}`);
    content = await c.requestUri(next);
  }
}

// sha256 over the named columns of every row, rows by Id.
function checksum(rows, names) {
  const h = crypto.createHash("sha256");
  for (const row of [...rows].sort((a, b) => a.Id - b.Id))
    for (const n of names) h.update(JSON.stringify(row[n] === undefined ? "<absent>" : row[n]) + "\n");
  return h.digest("hex");
}

function compareRows(actual, expected, names, context) {
  assert.strictEqual(actual.length, expected.length, `${context}: row count`);
  assert.strictEqual(new Set(actual.map((r) => r.Id)).size, actual.length, `${context}: duplicate rows`);
  if (checksum(actual, names) === checksum(expected, names)) return;
  const byId = new Map(expected.map((r) => [r.Id, r]));
  for (const row of actual)
    for (const n of names) assert.deepStrictEqual(row[n], byId.get(row.Id)[n], `${context}: ${row.Key}.${n}`);
  assert.fail(`${context}: checksum differs`);
}

async function get(root, what, name, token) {
  const r = await fetch(root + what, {
    headers: { Authorization: "Basic " + Buffer.from(`${name}:${token}`).toString("base64") },
  });
  assert.strictEqual(r.status, 200, `${what} as ${name}`);
  return r.text();
}

// $metadata and the service document as `name` sees them, checked by the OASIS parser
// against `catalogFile` (which must list every property, and nothing more).
async function checkMetadata(root, name, token, dir, catalogFile) {
  const docs = fs.mkdtempSync(path.join(dir, "docs-"));
  fs.writeFileSync(path.join(docs, "metadata.xml"), await get(root, "$metadata", name, token));
  fs.writeFileSync(path.join(docs, "service.json"), await get(root, "", name, token));
  execFileSync("node", [csdlCheck, csdlModules, docs, catalogFile], { stdio: ["ignore", "ignore", "inherit"] });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `jtgw-custom-fields-${flavor}-`));
  try {
    const data = path.join(dir, "data");
    proc.generate(sampleBin, data, 160, 5);
    const d = load(data);
    const options = new Map(JSON.parse(fs.readFileSync(path.join(data, "select_options.json"), "utf8")).map((o) => [o.id, o]));
    const sample = await proc.startSample(sampleBin, data, ["--access-log"]);
    const login = (u) => (cloud ? u.email : u.username);
    const users = [
      d.users.find((u) => u.projects.length === d.projects.length),
      d.users.find((u) => u.projects.length === 1),
      d.users.find((u) => u.projects.length === 0),
    ].map((u) => ({
      u,
      name: login(u),
      token: proc.mintToken(mintBin, path.join(dir, "store"), login(u), cloud ? u.api_token : u.pat,
                            path.join(dir, "seal.key")),
    }));
    const baseNames = issuesTable.columns.map((c) => c.name);

    // Off (the default): the catalog's columns only, and no /field request to Jira.
    {
      const gw = await proc.startJtgw(jtgwBin, dir, "off", { jiraUrl: sample.url, flavor });
      const { name, token } = users[0];
      await checkMetadata(gw.root, name, token, dir, catalogPath);
      const { rows } = await readIssues(client(gw.root, name, token));
      assert.ok(rows.length > 0);
      assert.deepStrictEqual(Object.keys(rows[0]).sort(), [...baseNames].sort(), "no custom columns when off");
      await gw.stop();
      assert.ok(!sample.output().includes(`"path":"${fieldPath}"`), "jtgw asked Jira for /field with the option off");
    }

    // On: $metadata per user with the custom columns and their types.
    const custom = expectedColumns(d, options);
    assert.ok(custom.length >= 4, `jira-sample has mappable custom fields: ${custom.map((c) => c.name)}`);
    const withCustom = JSON.parse(JSON.stringify(catalog));
    withCustom.tables.find((t) => t.name === "Issues").columns.push(
      ...custom.map((c) => ({ name: c.name, type: c.type, nullable: true }))
    );
    const customCatalog = path.join(dir, "catalog-with-custom-fields.json");
    fs.writeFileSync(customCatalog, JSON.stringify(withCustom));

    const gw = await proc.startJtgw(jtgwBin, dir, "on", {
      jiraUrl: sample.url, flavor, odata: ["include_custom_fields = true"],
    });
    const names = [...baseNames, ...custom.map((c) => c.name)];
    // The catalog's expected Issues rows plus each custom column's value from the dataset.
    const withCustomValues = (rows) =>
      rows.map((row) => {
        const out = { ...row };
        for (const c of custom) out[c.name] = c.value(d.issueById.get(row.Id));
        return out;
      });
    let checked = 0;
    for (const [index, { u, name, token }] of users.entries()) {
      await checkMetadata(gw.root, name, token, dir, customCatalog);
      const expected = withCustomValues(expectedTables(d, u, flavor).Issues);
      // Several pages for the one-project user (paging links), one Jira page ahead otherwise.
      const pageSize = index === 1 ? 9 : undefined;
      const { rows, pages } = await readIssues(client(gw.root, name, token, pageSize));
      compareRows(rows, expected, names, `${flavor} ${name} Issues with custom fields`);
      if (index === 1) assert.ok(pages > 1, "paged");
      if (index === 0) {
        // Every custom value kind occurs (so a broken mapping cannot hide behind nulls).
        for (const c of custom) assert.ok(expected.some((r) => r[c.name] !== null), `${c.name} has values`);
        // $select of custom columns, across pages (the $skiptoken and the $select ride the link).
        const select = ["Id", "Key", ...custom.map((c) => c.name)];
        const picked = await readIssues(client(gw.root, name, token, 25), select);
        assert.ok(picked.pages > 1, "$select paged");
        picked.rows.forEach((r) => assert.deepStrictEqual(Object.keys(r).sort(), [...select].sort()));
        compareRows(picked.rows, expected, select, `${flavor} ${name} $select custom columns`);
      }
      checked += rows.length;
    }
    assert.ok(sample.output().includes(`"path":"${fieldPath}"`), "the field list was read from Jira");
    await gw.stop();
    await sample.stop();

    // Service mode: one service credential acting for the token's owner (X-Forwarded-User),
    // for the field list too; the one-project user sees their issues with the columns.
    {
      const service = ["jtgw-svc", "svc-secret-for-the-test"];
      const jira = await proc.startSample(sampleBin, data, ["--service-credential", service.join(":")]);
      const sgw = await proc.startJtgw(jtgwBin, dir, "service", {
        jiraUrl: jira.url, flavor, odata: ["include_custom_fields = true"], service,
      });
      const { u, name, token } = users[1];
      await checkMetadata(sgw.root, name, token, dir, customCatalog);
      const expected = withCustomValues(expectedTables(d, u, flavor).Issues);
      const { rows } = await readIssues(client(sgw.root, name, token));
      compareRows(rows, expected, names, `${flavor} service mode ${name} Issues with custom fields`);
      await sgw.stop();
      await jira.stop();
    }
    console.log(`${flavor}: custom columns ${custom.map((c) => `${c.name}:${c.type}`).join(", ")}; ` +
                `${checked} issue rows equal the dataset for 3 users (and service mode); off: absent, no /field`);
  } finally {
    proc.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

proc.runMain(main);
