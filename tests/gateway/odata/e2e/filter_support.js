// What the $filter end-to-end tests share: OData DateTimeOffset literals, reading every
// page of a filtered entity set with the third-party client (the filter must ride every
// link), and counting the Jira requests one jtgw response cost (jira-sample's access log,
// matched by the request id jtgw forwards).
"use strict";
const assert = require("assert");

// An instant as OData writes it, in UTC or at a fixed offset (minutes east of UTC), with
// an optional fraction past the millisecond ("5" -> .xxx5).
function literal(ms, offsetMinutes = 0, subMillis = "") {
  const local = new Date(ms + offsetMinutes * 60000).toISOString().slice(0, -1); // yyyy-mm-ddThh:mm:ss.fff
  if (offsetMinutes === 0) return `${local}${subMillis}Z`;
  const sign = offsetMinutes > 0 ? "+" : "-";
  const a = Math.abs(offsetMinutes);
  return `${local}${subMillis}${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

const time = (text) => Date.parse(text); // expected.js writes UTC ISO strings

// Every page of `collection` under `filter` (a string, or the client's ODataFilter) with
// client `c`, following @odata.nextLink as given; each link must carry the filter.
async function readFiltered(OData, c, collection, filter, top) {
  const params = OData.newOptions().filter(filter);
  if (top !== undefined) params.top(top);
  let content = await c.newRequest({ collection, method: "GET", params });
  const rows = [];
  let pages = 0;
  for (;;) {
    assert.ok(!content.error, `${collection} ${filter}: ${JSON.stringify(content.error)}`);
    assert.strictEqual(c.seen.last.status, 200, `${collection} ${filter}`);
    rows.push(...content.value);
    pages++;
    const next = content["@odata.nextLink"];
    if (!next) break;
    assert.ok(new URL(next).searchParams.get("$filter"), `${next} carries $filter`);
    content = await c.requestUri(next);
  }
  return { rows, pages };
}

// The paths of the Jira requests jira-sample logged for jtgw's request `requestId`, once
// the log has the lines and settles (late prefetches included).
async function jiraPaths(sample, requestId) {
  assert.ok(/^\w+$/.test(requestId), "jtgw names its request");
  const line = new RegExp(`"request_id":"${requestId}"[^\\n]*"path":"([^"]*)"`, "g");
  let paths = [];
  for (let polls = 0, before = -1; polls < 50 && (paths.length === 0 || paths.length !== before); polls++) {
    before = paths.length;
    await new Promise((res) => setTimeout(res, 300));
    paths = [...sample.output().matchAll(line)].map((m) => m[1]);
  }
  return paths;
}

// How many of those requests have a path matching `pathPattern` (a regular expression's
// source, matched whole).
async function jiraRequests(sample, requestId, pathPattern) {
  const whole = new RegExp(`^${pathPattern}$`);
  return (await jiraPaths(sample, requestId)).filter((p) => whole.test(p)).length;
}

module.exports = { literal, time, readFiltered, jiraPaths, jiraRequests };
