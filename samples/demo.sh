#!/usr/bin/env bash
# The demo: jira-sample (the sample Jira) and jtgw on loopback in service mode, a fresh
# token store with one token per sample user, and curl commands to paste. Ctrl-C stops
# both. Environment: JTGW_BUILD_DIR (default build/), JTGW_DEMO_PORT (default: any free
# port), JTGW_DEMO_DIR (kept afterwards; default: a temp dir removed on exit).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${JTGW_BUILD_DIR:-$root/build}
"$root/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target jtgw jira-sample mint-token

jtgw=$build/gateway/jtgw
jira_sample=$build/samples/jira-sample/jira-sample
mint_token=$build/tests/tools/mint-token

if [[ -n ${JTGW_DEMO_DIR:-} ]]; then
  work=$JTGW_DEMO_DIR
  mkdir -p "$work"
  rm -rf "$work/store" "$work/data"
else
  work=$(mktemp -d /tmp/jtgw-demo.XXXXXX)
fi

jira_pid=
jtgw_pid=
stop() {
  trap - INT TERM EXIT
  echo
  echo "demo: stopping jtgw and jira-sample"
  [[ -n $jtgw_pid ]] && kill -TERM "$jtgw_pid" 2>/dev/null || true
  [[ -n $jira_pid ]] && kill -TERM "$jira_pid" 2>/dev/null || true
  [[ -n $jtgw_pid ]] && wait "$jtgw_pid" 2>/dev/null || true
  [[ -n $jira_pid ]] && wait "$jira_pid" 2>/dev/null || true
  if [[ -z ${JTGW_DEMO_DIR:-} && -z ${keep_work:-} ]]; then rm -rf "$work"; fi
  exit 0
}
trap stop INT TERM EXIT

# wait_for FILE REGEX PID: until FILE has a line matching REGEX; fails if PID exits first.
wait_for() {
  for _ in $(seq 1 600); do
    grep -qE "$2" "$1" 2>/dev/null && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "demo: the process stopped early; its log:" >&2
      keep_work=1
      cat "$1" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "demo: timed out waiting for /$2/ in $1" >&2
  return 1
}

echo "demo: generating a sample Jira dataset in $work/data"
"$jira_sample" generate --issues 1000 --seed 42 --out "$work/data" >/dev/null

# Service mode: one credential acts for the user jtgw names in X-Forwarded-User.
service_secret=$(openssl rand -hex 24)
# setsid: Ctrl-C reaches this script only, which then stops both children by pid.
setsid "$jira_sample" serve --data "$work/data" --listen 127.0.0.1:0 \
  --service-credential "jtgw-demo:$service_secret" >"$work/jira-sample.log" 2>&1 &
jira_pid=$!
wait_for "$work/jira-sample.log" 'listening on http://127\.0\.0\.1:[0-9]+' "$jira_pid"
jira_url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$work/jira-sample.log" | head -1)

# One token per sample user, minted while jtgw is not running (RocksDB: one process).
# Cloud flavor: the Basic username is the user's email.
mapfile -t emails < <(grep -oE '"email" *: *"[^"]+"' "$work/data/users.json" | sed -E 's/.*"([^"]+)"$/\1/')
declare -A tokens
for email in "${emails[@]}"; do
  tokens[$email]=$("$mint_token" --store "$work/store" --user "$email" --label demo)
done

printf '%s\n' "$service_secret" >"$work/service-secret"
chmod 600 "$work/service-secret"
cat >"$work/jtgw.toml" <<EOF
[[listener]]
address = "127.0.0.1"
port = ${JTGW_DEMO_PORT:-0}
[server]
threads = 2
[store]
path = "store"
[jira]
url = "$jira_url"
flavor = "cloud"
auth = "service"
service_username = "jtgw-demo"
service_secret_file = "service-secret"
[log]
level = "info"
EOF

setsid "$jtgw" serve --config "$work/jtgw.toml" >"$work/access.log" 2>"$work/jtgw.log" &
jtgw_pid=$!
wait_for "$work/jtgw.log" 'jtgw serving' "$jtgw_pid"
port=$(grep -oE 'listening on 127\.0\.0\.1:[0-9]+' "$work/jtgw.log" | head -1 | sed 's/.*://')
base=http://127.0.0.1:$port

cat <<EOF

jtgw is running on $base in front of the sample Jira at $jira_url
(pids: jtgw $jtgw_pid, jira-sample $jira_pid; access log $work/access.log, server log $work/jtgw.log)

Each sample user has a token. Paste any of these:

EOF
for email in "${emails[@]}"; do
  echo "  curl -u '$email:${tokens[$email]}' $base/rest/api/3/myself"
done
first=${emails[0]}
cat <<EOF

  # Search as $first (only the projects that user may browse):
  curl -u '$first:${tokens[$first]}' '$base/rest/api/3/search/jql?jql=project%20%3D%20ENG&fields=summary&maxResults=3'
  # Without a token: 401 with a JSON reason
  curl -i $base/rest/api/3/myself
  # Health, readiness, metrics
  curl $base/healthz; curl $base/readyz; curl -s $base/metrics | grep jtgw_auth

Press Ctrl-C to stop both.
EOF

# Until Ctrl-C, or until one of them stops by itself.
set +e
wait -n "$jtgw_pid" "$jira_pid"
echo "demo: a process stopped by itself; see $work/jtgw.log and $work/jira-sample.log" >&2
keep_work=1
stop
