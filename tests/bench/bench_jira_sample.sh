#!/usr/bin/env bash
# bench_jira_sample — jira-sample's upstream rate: 100-issue pages with fields=*all from a
# 100,000-issue dataset, one connection and eight (wrk), for Data Center offsets (v2) and
# Cloud search/jql (v3); plus generation time for 100k and 200k issues and serve RSS.
# Prints figures, asserts nothing. Usage: tests/bench/bench_jira_sample.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:?usage: bench_jira_sample.sh BUILD_DIR [SECONDS]}
seconds=${2:-10}
bin=$build/samples/jira-sample/jira-sample
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d /tmp/bench-jira-sample.XXXXXX)
server_pid=
cleanup() { [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

for n in 100000 200000; do
  start=$(date +%s.%N)
  "$bin" generate --issues $n --seed 1 --out "$work/d$n" 2>/dev/null
  echo "generate --issues $n: $(echo "$(date +%s.%N) - $start" | bc) s wall, $(du -sh "$work/d$n" | cut -f1) on disk"
done
rm -rf "$work/d200000"

start=$(date +%s.%N)
"$bin" serve --data "$work/d100000" --listen 127.0.0.1:0 --threads 2 >"$work/out" 2>"$work/err" &
server_pid=$!
until grep -q "listening on" "$work/out" 2>/dev/null; do sleep 0.2; done
url=$(grep -o 'http://[0-9.:]*' "$work/out")
echo "serve start-up (load + pre-render) $(echo "$(date +%s.%N) - $start" | bc) s: $(cat "$work/err")"
# CPU seconds the server has used: the machine is shared, so CPU per page is the stable figure.
cpu() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", ($14 + $15) / hz}' /proc/$server_pid/stat; }
echo "serve start-up CPU: $(cpu) s"
rss() { awk '/VmRSS|VmHWM/ {printf "%s %.0f MiB  ", $1, $2/1024}' /proc/$server_pid/status; }
echo "serve RSS after start-up: $(rss)"

user=$(python3 -c "import json,base64;u=json.load(open('$work/d100000/users.json'))[0];print(base64.b64encode((u['email']+':'+u['api_token']).encode()).decode(), u['pat'])")
read -r cloud pat <<<"$user"
for flavor in v2 v3; do
  if [[ $flavor == v2 ]]; then auth="Bearer $pat"; else auth="Basic $cloud"; fi
  for c in 1 8; do
    threads=$(( c < 2 ? 1 : 2 ))
    cpu_before=$(cpu)
    out=$(JS_FLAVOR=$flavor JS_AUTH="$auth" JS_TOTAL=100000 wrk -t$threads -c$c -d${seconds}s -s "$here/bench_jira_sample.lua" "$url")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    mbps=$(awk '/Transfer\/sec/ {print $2}' <<<"$out")
    errors=$(grep -c "Non-2xx" <<<"$out" || true)
    pages=$(awk '/requests in/ {print $1}' <<<"$out")
    cpu_ms=$(echo "scale=3; ($(cpu) - $cpu_before) * 1000 / $pages" | bc)
    printf "%s %d connection(s): %8.1f pages/s  %9.0f issues/s  %s/s  server CPU %s ms/page (non-2xx lines: %s)\n" \
      "$flavor" "$c" "$rps" "$(echo "$rps * 100" | bc)" "$mbps" "$cpu_ms" "$errors"
  done
done
echo "serve RSS after load: $(rss)"
