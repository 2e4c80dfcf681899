#!/usr/bin/env bash
# Installs, from Debian 12 packages, everything the build and the tests need.
# Idempotent: packages already present are left alone. Needs root (or sudo).
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang libclang-rt-14-dev
  gsoap libgsoap-dev libcurl4-openssl-dev libssl-dev openssl libxml2-dev libxml2-utils
  libpq-dev postgresql zlib1g-dev liblzma-dev libicu-dev gzip
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  curl procps time dnsmasq-base isc-dhcp-server
  nginx-light libnginx-mod-http-echo tftpd-hpa tftp-hpa coturn
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Services from these packages (postgresql, nginx, tftpd, coturn) are started by the tests themselves
# on loopback; don't let the packages' own units grab the default ports during install.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
