// What the dataset says each user may see, table by table, as OData values — computed
// from jira-sample's dataset files only (samples/jira-sample/README.md), never from
// jtgw's code. Where jira-sample answers with a fixed value the dataset does not hold
// (projectTypeKey "software", timeZone "UTC", …) the constant is spelled out here, so a
// change on either side shows up as a checksum difference.
"use strict";
const fs = require("fs");
const path = require("path");

function readArray(dir, name) {
  return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
}
function readLines(dir, name) {
  return fs
    .readFileSync(path.join(dir, name), "utf8")
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l));
}

// "2025-01-17T12:34:00.000+0000" (or "+10:00", "Z") -> OData "2025-01-17T12:34:00Z" (UTC).
function utc(text) {
  if (text === null || text === undefined) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(Z|([+-])(\d{2}):?(\d{2}))$/.exec(text);
  if (!m) throw new Error(`unexpected timestamp ${text}`);
  let ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], m[7] ? +m[7].padEnd(3, "0") : 0);
  if (m[8] !== "Z") ms -= (m[9] === "-" ? -1 : 1) * (+m[10] * 60 + +m[11]) * 60000;
  const iso = new Date(ms).toISOString();
  return iso.endsWith(".000Z") ? iso.slice(0, -5) + "Z" : iso;
}
const orNull = (v) => (v === undefined ? null : v);
const joined = (list) => (list.length === 0 ? null : list.join(", "));

function load(dir) {
  const d = {
    users: readArray(dir, "users.json"),
    projects: readArray(dir, "projects.json"),
    issueTypes: readArray(dir, "issue_types.json"),
    categories: readArray(dir, "status_categories.json"),
    statuses: readArray(dir, "statuses.json"),
    priorities: readArray(dir, "priorities.json"),
    resolutions: readArray(dir, "resolutions.json"),
    versions: readArray(dir, "versions.json"),
    components: readArray(dir, "components.json"),
    boards: readArray(dir, "boards.json"),
    sprints: readArray(dir, "sprints.json"),
    fields: readArray(dir, "fields.json"),
    issues: readLines(dir, "issues.jsonl"),
  };
  const byId = (list) => new Map(list.map((x) => [x.id, x]));
  d.projectById = byId(d.projects);
  d.typeById = byId(d.issueTypes);
  d.categoryById = byId(d.categories);
  d.statusById = byId(d.statuses);
  d.priorityById = byId(d.priorities);
  d.resolutionById = byId(d.resolutions);
  d.versionById = byId(d.versions);
  d.componentById = byId(d.components);
  d.issueById = byId(d.issues);
  d.userByAccount = new Map(d.users.map((u) => [u.account_id, u]));
  return d;
}

// The rows of every table for `user` (an entry of users.json) on `flavor`, as objects
// keyed by column name.
function expectedTables(d, user, flavor) {
  const cloud = flavor === "cloud";
  const visible = new Set(d.projects.filter((p) => user.projects.includes(p.key)).map((p) => p.id));
  const userId = (u) => (u ? (cloud ? u.account_id : u.username) : null);
  const account = (id) => (id === null || id === undefined ? null : d.userByAccount.get(id));
  const person = (id) => {
    const u = account(id);
    return [userId(u), u ? u.display_name : null];
  };
  const t = {};

  t.Issues = d.issues
    .filter((i) => visible.has(i.project_id))
    .map((i) => {
      const project = d.projectById.get(i.project_id);
      const type = d.typeById.get(i.issue_type_id);
      const status = d.statusById.get(i.status_id);
      const category = d.categoryById.get(status.status_category_id);
      const priority = d.priorityById.get(i.priority_id);
      const resolution = i.resolution_id === null ? null : d.resolutionById.get(i.resolution_id);
      const parent = i.parent_id === null ? null : d.issueById.get(i.parent_id);
      // Cloud shows epics and sub-task parents; Data Center only sub-task parents.
      const showParent = parent && (cloud || type.subtask);
      const [assigneeId, assigneeName] = person(i.assignee);
      const [reporterId, reporterName] = person(i.reporter);
      const [creatorId, creatorName] = person(i.creator);
      return {
        Id: i.id, Key: i.key, ProjectId: project.id, ProjectKey: project.key, ProjectName: project.name,
        IssueTypeId: type.id, IssueType: type.name, Subtask: type.subtask, Summary: i.summary,
        Description: i.description, StatusId: status.id, Status: status.name,
        StatusCategoryKey: category.key, StatusCategory: category.name, PriorityId: priority.id,
        Priority: priority.name, ResolutionId: resolution ? resolution.id : null,
        Resolution: resolution ? resolution.name : null, AssigneeId: assigneeId, AssigneeName: assigneeName,
        ReporterId: reporterId, ReporterName: reporterName, CreatorId: creatorId, CreatorName: creatorName,
        Created: utc(i.created), Updated: utc(i.updated), ResolutionDate: utc(i.resolutiondate),
        DueDate: orNull(i.duedate), Labels: joined(i.labels),
        Components: joined(i.component_ids.map((id) => d.componentById.get(id).name)),
        FixVersions: joined(i.fix_version_ids.map((id) => d.versionById.get(id).name)),
        AffectsVersions: null, // jira-sample's issues carry no "versions" (affects) field
        ParentId: showParent ? parent.id : null, ParentKey: showParent ? parent.key : null,
      };
    });

  const projects = d.projects.filter((p) => visible.has(p.id));
  t.Projects = projects.map((p) => {
    const [leadId, leadName] = person(p.lead_account_id);
    return {
      Id: p.id, Key: p.key, Name: p.name, Description: p.description, ProjectTypeKey: "software",
      LeadId: leadId, LeadName: leadName, CategoryId: null, Category: null,
    };
  });

  t.Users = d.users.map((u) => ({
    Id: userId(u), Name: cloud ? null : u.username, DisplayName: u.display_name, EmailAddress: u.email,
    Active: true, AccountType: cloud ? "atlassian" : null, TimeZone: "UTC",
  }));

  t.Fields = d.fields.map((f) => ({
    Id: f.id, Name: f.name, Custom: f.custom, Orderable: f.orderable, Navigable: f.navigable,
    Searchable: f.searchable, ClauseNames: f.custom ? `cf[${f.schema.customId}], ${f.name}` : f.id,
    SchemaType: f.schema.type, SchemaItems: orNull(f.schema.items), SchemaSystem: orNull(f.schema.system),
    SchemaCustom: orNull(f.schema.custom), SchemaCustomId: orNull(f.schema.customId),
  }));

  t.Statuses = d.statuses.map((s) => {
    const c = d.categoryById.get(s.status_category_id);
    return {
      Id: s.id, Name: s.name, Description: s.description, CategoryId: c.id, CategoryKey: c.key,
      Category: c.name, CategoryColor: c.color_name,
    };
  });

  t.Priorities = d.priorities.map((p) => ({
    Id: p.id, Name: p.name, Description: p.description, StatusColor: p.status_color,
  }));

  const boards = d.boards.filter((b) => visible.has(b.project_id));
  t.Boards = boards.map((b) => ({
    Id: b.id, Name: b.name, Type: b.type, ProjectId: b.project_id, ProjectKey: d.projectById.get(b.project_id).key,
  }));

  const scrum = new Set(boards.filter((b) => b.type === "scrum").map((b) => b.id));
  t.Sprints = d.sprints
    .filter((s) => scrum.has(s.board_id))
    .map((s) => ({
      BoardId: s.board_id, Id: s.id, OriginBoardId: s.board_id, Name: s.name, State: s.state, Goal: s.goal,
      StartDate: utc(s.start_date), EndDate: utc(s.end_date), CompleteDate: utc(s.complete_date),
      CreatedDate: utc(s.created_date),
    }));

  t.Versions = d.versions
    .filter((v) => visible.has(v.project_id))
    .map((v) => ({
      Id: v.id, ProjectId: v.project_id, ProjectKey: d.projectById.get(v.project_id).key, Name: v.name,
      Description: v.description, Archived: v.archived, Released: v.released, StartDate: null,
      ReleaseDate: orNull(v.release_date), Overdue: null,
    }));

  t.Components = d.components
    .filter((c) => visible.has(c.project_id))
    .map((c) => {
      const [leadId, leadName] = person(c.lead_account_id);
      return {
        Id: c.id, ProjectId: c.project_id, ProjectKey: d.projectById.get(c.project_id).key, Name: c.name,
        Description: c.description, LeadId: leadId, LeadName: leadName, AssigneeType: "PROJECT_DEFAULT",
      };
    });
  return t;
}

// The three kinds of sample user every e2e test reads as: the one who sees every project,
// the one who sees exactly one, and the one who sees none.
function userKinds(d) {
  return {
    all: d.users.find((u) => u.projects.length === d.projects.length),
    one: d.users.find((u) => u.projects.length === 1),
    none: d.users.find((u) => u.projects.length === 0),
  };
}

module.exports = { load, expectedTables, utc, readLines, userKinds };
