// Real processes for the end-to-end tests: jira-sample, mint-token and jtgw, started as
// children on 127.0.0.1 port 0 and stopped by pid.
"use strict";
const fs = require("fs");
const path = require("path");
const { spawn, execFileSync } = require("child_process");

const children = new Set();
const outputs = []; // [what, () => last output] of every child, for failure reports
function stopAll() {
  for (const child of children) {
    try {
      process.kill(child.pid, "SIGTERM");
    } catch (_) {
      /* already gone */
    }
  }
  children.clear();
}
process.on("exit", stopAll);
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

// Starts `argv` and resolves with the first match of `pattern` on stdout or stderr.
function startAndWait(argv, pattern, what) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let seen = "";
    outputs.push([what, () => seen]);
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${seen}`)), 60000);
    const look = (chunk) => {
      seen = (seen + chunk.toString()).slice(-262144);
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve({ child, match: m, stop: () => stop(child), output: () => seen });
      }
    };
    child.stdout.on("data", look);
    child.stderr.on("data", look);
    child.on("exit", (code) => {
      clearTimeout(timer);
      children.delete(child);
      reject(new Error(`${what} exited (${code}): ${seen}`));
    });
  });
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || !children.has(child)) return resolve();
    child.removeAllListeners("exit");
    child.on("exit", () => resolve());
    children.delete(child);
    process.kill(child.pid, "SIGTERM");
  });
}

async function startSample(bin, data, extra = []) {
  const { match, stop: s, output } = await startAndWait(
    [bin, "serve", "--data", data, "--listen", "127.0.0.1:0", ...extra],
    /listening on (http:\/\/127\.0\.0\.1:\d+)/,
    "jira-sample"
  );
  return { url: match[1], stop: s, output };
}

function generate(bin, out, issues, seed) {
  execFileSync(bin, ["generate", "--issues", String(issues), "--seed", String(seed), "--out", out], { stdio: "ignore" });
}

function mintToken(bin, store, user, secret, sealKey) {
  return execFileSync(bin, ["--store", store, "--user", user, "--jira-secret", secret, "--seal-key", sealKey])
    .toString()
    .trim();
}

// Tokens in `dir`'s store for dataset users (entries of users.json), each sealing that
// user's Jira credential for `flavor` (Cloud: email + API token; Data Center: username +
// PAT): [{ u, name, token }], name being the jtgw username.
function mintUsers(bin, dir, flavor, users) {
  const cloud = flavor === "cloud";
  return users.map((u) => {
    const name = cloud ? u.email : u.username;
    const secret = cloud ? u.api_token : u.pat;
    return { u, name, token: mintToken(bin, path.join(dir, "store"), name, secret, path.join(dir, "seal.key")) };
  });
}

// Writes a config next to `dir`'s store and seal key and starts `jtgw serve` with it.
// `odata`: more lines for [odata] ("include_custom_fields = true"); `service`: [user,
// secret] for auth = "service" (jtgw acts for each user with X-Forwarded-User).
async function startJtgw(bin, dir, name, { jiraUrl, flavor, catalog, odata = [], service }) {
  const file = path.join(dir, `${name}.toml`);
  fs.writeFileSync(
    file,
    [
      "[[listener]]", 'address = "127.0.0.1"', "port = 0", "[server]", "threads = 2",
      "[store]", 'path = "store"', "[jira]", `url = "${jiraUrl}"`, `flavor = "${flavor}"`,
      ...(service
        ? ['auth = "service"', `service_username = "${service[0]}"`, `service_secret = "${service[1]}"`]
        : ['auth = "user"']),
      "[auth]", 'seal_key_file = "seal.key"', "[log]", 'level = "info"', // "listening on" is info
      "[timeouts]", "upstream_connect_ms = 2000", "upstream_read_ms = 30000",
      ...(catalog || odata.length ? ["[odata]", ...(catalog ? [`catalog = "${catalog}"`] : []), ...odata] : []),
      "",
    ].join("\n")
  );
  const { match, stop: s } = await startAndWait(
    [bin, "serve", "--config", file],
    /listening on 127\.0\.0\.1:(\d+)/,
    `jtgw (${name})`
  );
  return { root: `http://127.0.0.1:${match[1]}/odata/`, stop: s };
}

// `jtgw check-config`-style start that must fail: resolves with its exit code and stderr.
function runToExit(argv) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let err = "";
    child.stderr.on("data", (c) => (err += c.toString()));
    child.stdout.on("data", (c) => (err += c.toString()));
    const timer = setTimeout(() => process.kill(child.pid, "SIGKILL"), 30000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, output: err });
    });
  });
}

// The last output of every child started, for a failing test's report.
function childOutputs() {
  return outputs.map(([what, text]) => `--- ${what}\n${text()}`).join("\n");
}

// Runs a test's async `main`; on failure prints the error and every child's last output,
// stops the children and exits 1.
function runMain(main) {
  main().catch((e) => {
    console.error(e && e.stack ? e.stack : e, e && e.cause ? e.cause : "");
    console.error(childOutputs());
    stopAll();
    process.exit(1);
  });
}

module.exports = { startSample, generate, mintToken, mintUsers, startJtgw, runToExit, stopAll, childOutputs, runMain };
