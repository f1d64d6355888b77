#!/usr/bin/env bash
# Installs the Debian packages jtgw needs to build, test and run its demo.
# Idempotent: asks apt only for what is missing, so a second run costs a dpkg query.
set -euo pipefail

packages=(
  # build
  cmake ninja-build ccache g++ pkg-config
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev
  librocksdb-dev libspdlog-dev libssl-dev libtomlplusplus-dev libcli11-dev zlib1g-dev
  # jtgw's allocator (gateway/CMakeLists.txt says why)
  libtcmalloc-minimal4
  # tests and benchmarks: real third-party clients and peers
  curl openssl wrk haproxy nginx procps
  # gateway/odata: the OASIS CSDL parser runs on node (npm ships with the machine's nodejs;
  # Debian's separate npm package would conflict with it) and xmllint checks the XSD
  nodejs libxml2-utils
  # gateway/portal: the browser test drives Debian's headless Chromium (playwright-core)
  chromium
  # gateway/admin: systemd-analyze verifies the unit (no systemd as PID 1 needed);
  # useradd/runuser make the user the admin socket must refuse
  systemd passwd util-linux
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
