#!/usr/bin/env bash
# The demo. Until the gateway lands it builds everything and says what is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${JTGW_BUILD_DIR:-$root/build}
"$root/install-deps.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2
echo "demo: the gateway (jtgw serve) is not built yet; the token store and authenticator are."
