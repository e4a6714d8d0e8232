#!/usr/bin/env bash
# Installs the Debian packages given as arguments that are not installed yet, when this user may
# (root, or password-less sudo). Otherwise prints the exact command to run and exits 1, so the
# caller stops before something fails later for a less obvious reason.
# Used by run.sh (the dataset) and test.sh (what the tests need).
set -euo pipefail

missing=()
for package in "$@"; do
  # Without dpkg nothing can be checked: every package counts as missing.
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  sudo=()
elif command -v apt-get >/dev/null && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them with:   sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing ${missing[*]}..."
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
