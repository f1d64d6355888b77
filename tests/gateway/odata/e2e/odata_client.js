// The third-party OData client (npm @odata/client) as the end-to-end tests use it: one
// client per user and page size, keeping the last HTTP response for status checks.
"use strict";
const path = require("path");

// `modules`: the node_modules directory the pinned client was installed into.
function clientMaker(modules) {
  const { OData } = require(path.join(modules, "@odata/client"));
  const { defaultProxy } = require(path.join(modules, "@odata/client/lib/request"));
  // A client as `username` (the jtgw token as the password), asking for `pageSize` rows
  // per response when given; c.seen.last is the last response.
  return function client(root, username, token, pageSize) {
    const seen = { last: null };
    const c = OData.New4({
      serviceEndpoint: root,
      credential: { username, password: token },
      commonHeaders: pageSize ? { Prefer: `odata.maxpagesize=${pageSize}` } : {},
      fetchProxy: async (url, init) => {
        const r = await defaultProxy(url, init);
        seen.last = r.response;
        return r;
      },
    });
    c.seen = seen;
    return c;
  };
}

module.exports = { clientMaker };
