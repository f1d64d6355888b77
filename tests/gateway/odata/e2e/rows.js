// Rows of an OData table compared as the e2e tests compare them: by key, and by a
// checksum over every value.
"use strict";
const assert = require("assert");
const crypto = require("crypto");

// The key columns of `row` in `table` (a catalog table), joined with "|".
function keyOf(table, row) {
  return table.key.map((k) => String(row[k])).join("|");
}

// sha256 over every value of every row, rows in key order, columns in catalog order.
function checksum(table, rows) {
  const sorted = [...rows].sort((a, b) => (keyOf(table, a) < keyOf(table, b) ? -1 : 1));
  const h = crypto.createHash("sha256");
  for (const row of sorted)
    for (const col of table.columns) h.update(JSON.stringify(row[col.name] === undefined ? "<absent>" : row[col.name]) + "\n");
  return h.digest("hex");
}

// Asserts `actual` (rows read through OData) equals `expected`: no duplicate keys, the
// same count and checksum; on a difference, names the first differing row and column.
function assertRowsEqual(table, actual, expected, context) {
  const keys = actual.map((r) => keyOf(table, r));
  assert.strictEqual(new Set(keys).size, keys.length, `${context}: duplicate rows`);
  assert.strictEqual(actual.length, expected.length, `${context}: row count`);
  if (checksum(table, actual) === checksum(table, expected)) return;
  const byKey = new Map(expected.map((r) => [keyOf(table, r), r]));
  for (const row of actual) {
    const want = byKey.get(keyOf(table, row));
    assert.ok(want, `${context}: unexpected row ${keyOf(table, row)}`);
    for (const col of table.columns)
      assert.deepStrictEqual(row[col.name], want[col.name], `${context}: ${keyOf(table, row)}.${col.name}`);
  }
  assert.fail(`${context}: checksum differs`);
}

module.exports = { keyOf, checksum, assertRowsEqual };
