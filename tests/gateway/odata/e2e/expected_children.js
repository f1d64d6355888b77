// What the dataset says each user may see in the child tables (Worklogs, Comments,
// Changelog, IssueLinks, IssueSprints, IssueLabels, IssueComponents, IssueFixVersions),
// as OData values — from jira-sample's dataset files only (samples/jira-sample/README.md),
// never from jtgw's code or catalog.
"use strict";
const fs = require("fs");
const path = require("path");
const { utc, readLines } = require("./expected");

// The child lists of the dataset, read once per run.
function loadChildren(dir) {
  return {
    worklogs: readLines(dir, "worklogs.jsonl"),
    comments: readLines(dir, "comments.jsonl"),
    histories: readLines(dir, "changelog.jsonl"),
    links: readLines(dir, "issue_links.jsonl"),
    linkTypes: JSON.parse(fs.readFileSync(path.join(dir, "issue_link_types.json"), "utf8")),
  };
}

// jira-sample sends an empty changelog value as null (as Jira does).
const emptyNull = (v) => (v === undefined || v === null || v === "" ? null : v);

// The child tables' rows for `user` on `flavor`; `d` is expected.js's load(), `c` loadChildren().
function expectedChildren(d, c, user, flavor) {
  const cloud = flavor === "cloud";
  const visibleProjects = new Set(d.projects.filter((p) => user.projects.includes(p.key)).map((p) => p.id));
  const visible = new Map(d.issues.filter((i) => visibleProjects.has(i.project_id)).map((i) => [i.id, i]));
  const person = (accountId) => {
    const u = accountId === null || accountId === undefined ? null : d.userByAccount.get(accountId);
    return u ? [cloud ? u.account_id : u.username, u.display_name] : [null, null];
  };
  const issueOf = (id) => ({ IssueId: id, IssueKey: visible.get(id).key });
  const t = {};

  t.Worklogs = c.worklogs
    .filter((w) => visible.has(w.issue_id))
    .map((w) => {
      const [authorId, authorName] = person(w.author);
      const comment = w.comment === null || w.comment === undefined ? "" : w.comment;
      return {
        Id: w.id, ...issueOf(w.issue_id), AuthorId: authorId, AuthorName: authorName, Started: utc(w.started),
        TimeSpentSeconds: w.time_spent_seconds, Created: utc(w.created), Updated: utc(w.updated),
        Comment: cloud && comment === "" ? null : comment, // Cloud omits an empty comment; DC sends ""
      };
    });

  t.Comments = c.comments
    .filter((m) => visible.has(m.issue_id))
    .map((m) => {
      const [authorId, authorName] = person(m.author);
      return {
        Id: m.id, ...issueOf(m.issue_id), AuthorId: authorId, AuthorName: authorName, Created: utc(m.created),
        Updated: utc(m.updated), Body: m.body,
      };
    });

  t.Changelog = [];
  for (const h of c.histories) {
    if (!visible.has(h.issue_id)) continue;
    const [authorId, authorName] = person(h.author);
    h.items.forEach((item, index) =>
      t.Changelog.push({
        HistoryId: h.id, ItemIndex: index, ...issueOf(h.issue_id), AuthorId: authorId, AuthorName: authorName,
        Created: utc(h.created), Field: item.field, FieldId: cloud ? item.field_id : null, // v2 items carry no id
        FromId: emptyNull(item.from), FromString: emptyNull(item.from_string), ToId: emptyNull(item.to),
        ToString: emptyNull(item.to_string),
      })
    );
  }

  // "source outward destination": the source shows it outward, the destination inward.
  const typeById = new Map(c.linkTypes.map((x) => [x.id, x]));
  t.IssueLinks = [];
  for (const l of c.links) {
    const type = typeById.get(l.type_id);
    const side = (issueId, otherId, direction, relation) =>
      visible.has(issueId) &&
      t.IssueLinks.push({
        LinkId: l.id, Direction: direction, ...issueOf(issueId), LinkTypeId: type.id, LinkType: type.name,
        Relation: relation, OtherIssueId: otherId, OtherIssueKey: d.issueById.get(otherId).key,
      });
    side(l.source_issue_id, l.destination_issue_id, "outward", type.outward);
    side(l.destination_issue_id, l.source_issue_id, "inward", type.inward);
  }

  const perIssue = (list, row) => [...visible.values()].flatMap((i) => list(i).map((x) => ({ ...issueOf(i.id), ...row(x) })));
  t.IssueSprints = perIssue((i) => i.sprint_ids, (id) => ({ SprintId: id }));
  t.IssueLabels = perIssue((i) => i.labels, (label) => ({ Label: label }));
  t.IssueComponents = perIssue((i) => i.component_ids, (id) => ({ ComponentId: id, ComponentName: d.componentById.get(id).name }));
  t.IssueFixVersions = perIssue((i) => i.fix_version_ids, (id) => ({ VersionId: id, VersionName: d.versionById.get(id).name }));
  return t;
}

// Issues of `user` whose lists Jira truncates in its search: worklogs or comments over 20
// (both flavors), histories over 100 (Cloud).
function truncatedIssues(d, c, user) {
  const visibleProjects = new Set(d.projects.filter((p) => user.projects.includes(p.key)).map((p) => p.id));
  const count = (list) => {
    const m = new Map();
    for (const x of list) m.set(x.issue_id, (m.get(x.issue_id) || 0) + 1);
    return m;
  };
  const over = (m, n) => [...m].filter(([id, k]) => k > n && visibleProjects.has(d.issueById.get(id).project_id)).map(([id]) => id);
  return { worklogs: over(count(c.worklogs), 20), comments: over(count(c.comments), 20), histories: over(count(c.histories), 100) };
}

module.exports = { loadChildren, expectedChildren, truncatedIssues };
