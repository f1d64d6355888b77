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

// The Jira requests jira-sample logged for jtgw's request `requestId` whose path matches
// `pathPattern` (a regular expression's source), once the log has settled.
async function jiraRequests(sample, requestId, pathPattern) {
  assert.ok(/^\w+$/.test(requestId), "jtgw names its request");
  const pattern = new RegExp(`"request_id":"${requestId}"[^\\n]*"path":"${pathPattern}"`, "g");
  let count = 0;
  for (let polls = 0, before = -1; polls < 50 && (count === 0 || count !== before); polls++) {
    before = count; // until the log has the lines and settles
    await new Promise((res) => setTimeout(res, 300));
    count = (sample.output().match(pattern) || []).length;
  }
  return count;
}

module.exports = { literal, time, readFiltered, jiraRequests };
