#!/usr/bin/env bash
# System packages the tests use beyond Python: Debian's chromium (browser tests; never a
# downloaded browser), fonts-nanum (Korean charts and screenshots), nginx (`nginx -t` of
# the site conf), openssl. Installed when missing and we may (root with apt-get);
# otherwise a hint, and the tests that need them skip (CI turns those skips into failures).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
dpkg -s fonts-nanum >/dev/null 2>&1 || need+=(fonts-nanum)
command -v nginx >/dev/null 2>&1 || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages: ${need[*]}"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: missing system packages (${need[*]}); install them with: sudo apt-get install ${need[*]}" >&2
fi
