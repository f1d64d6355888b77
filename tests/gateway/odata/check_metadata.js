// Parses jtgw's generated $metadata with the OASIS OData TC's CSDL parser (npm
// "odata-csdl", strict mode: any CSDL error throws) and checks it against the catalog:
// every table is an entity set, every entity set has a key, every column a property of
// the catalog's type. Also checks the service document lists the same entity sets.
// Usage: node check_metadata.js NODE_MODULES_DIR DOCS_DIR CATALOG_JSON
"use strict";
const fs = require("fs");
const path = require("path");
const assert = require("assert");

const [modules, docs, catalogPath] = process.argv.slice(2);
const { xml2json } = require(path.join(modules, "odata-csdl"));

const xml = fs.readFileSync(path.join(docs, "metadata.xml"), "utf8");
const csdl = xml2json(xml, { strict: true });
const catalog = JSON.parse(fs.readFileSync(catalogPath, "utf8"));
const service = JSON.parse(fs.readFileSync(path.join(docs, "service.json"), "utf8"));

assert.strictEqual(csdl.$Version, "4.0");
const schema = csdl[catalog.namespace];
assert.ok(schema, `schema ${catalog.namespace} present`);
const container = Object.values(schema).find((e) => e && e.$Kind === "EntityContainer");
assert.ok(container, "an EntityContainer");

const sets = Object.entries(container).filter(([name]) => !name.startsWith("$"));
assert.deepStrictEqual(sets.map(([name]) => name), catalog.tables.map((t) => t.name), "entity sets = catalog tables");

let properties = 0;
for (const table of catalog.tables) {
  const [, set] = sets.find(([name]) => name === table.name);
  assert.strictEqual(set.$Collection, true, `${table.name} is an entity set`);
  const typeName = set.$Type.slice(catalog.namespace.length + 1);
  const type = schema[typeName];
  assert.strictEqual(type.$Kind, "EntityType", `${table.name}: entity type ${set.$Type}`);
  assert.ok(Array.isArray(type.$Key) && type.$Key.length > 0, `${table.name} has a key`);
  assert.deepStrictEqual(type.$Key, table.key, `${table.name} key`);
  for (const column of table.columns) {
    const property = type[column.name];
    assert.ok(property, `${table.name}.${column.name} is a property`);
    // CSDL JSON omits $Type for Edm.String and $Nullable for false.
    assert.strictEqual(property.$Type || "Edm.String", column.type, `${table.name}.${column.name} type`);
    assert.strictEqual(property.$Nullable === true, column.nullable !== false, `${table.name}.${column.name} nullable`);
    properties++;
  }
  const declared = Object.keys(type).filter((k) => !k.startsWith("$") && !k.startsWith("@"));
  assert.strictEqual(declared.length, table.columns.length, `${table.name}: no extra properties`);
}

assert.ok(service["@odata.context"].endsWith("/$metadata"), "service document context");
assert.deepStrictEqual(
  service.value,
  catalog.tables.map((t) => ({ name: t.name, kind: "EntitySet", url: t.name })),
  "service document lists every entity set"
);

console.log(`odata-csdl parsed $metadata: ${sets.length} entity sets, ${properties} properties, all keyed`);
