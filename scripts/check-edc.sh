#!/usr/bin/env bash
# Checks kub's Europass export against the EDC SHACL shapes (pinned under
# tests/fixtures/interop/edc) with pySHACL, offline but for installing
# pySHACL itself from PyPI into a virtual environment under target/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq python3 python3-venv >/dev/null
fi

venv="${KUB_EDC_VENV:-target/edc-venv}"
if ! "$venv/bin/python" -c 'import pyshacl' >/dev/null 2>&1; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'pyshacl==0.40.*'
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# Every example participant with an issued certificate gets a credential;
# drafts are skipped with a warning.
cargo run --locked --quiet -- export --format europass examples --out "$out" 2>"$out/export.log" || {
  cat "$out/export.log" >&2
  exit 1
}
shopt -s nullglob
credentials=("$out"/europass/*.jsonld)
if [ "${#credentials[@]}" -eq 0 ]; then
  echo "kub export wrote no Europass credential" >&2
  cat "$out/export.log" >&2
  exit 1
fi
"$venv/bin/python" scripts/check_edc.py tests/fixtures/interop "${credentials[@]}"
