#!/usr/bin/env bash
# Sets up everything RecordReady needs on a fresh Debian machine, idempotently:
# system packages (apt-get when root, otherwise a message naming them) and .venv.
#   scripts/bootstrap.sh          what the product needs to run
#   scripts/bootstrap.sh --dev    plus what the tests, eval and browser tests need
set -euo pipefail
cd "$(dirname "$0")/.."

profile=run
[ "${1:-}" = "--dev" ] && profile=dev
[ "${1:-}" = "--bench" ] && profile=bench

# fonts-wqy-microhei: Chinese patients' PDF reports and letters are set in it (embedded).
# catdoc (0.7 MB): the text of Word 97-2003 .doc letters, run as a capped child process.
pkgs=(tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-chi-sim poppler-utils python3-venv
  fonts-wqy-microhei catdoc)
if [ "$profile" != run ]; then
  # chromium: the end-to-end browser test; fonts: the sample generator and PDF reports;
  # redis/postgresql: the scale-out integration test; libreoffice-writer-nogui (about 200 MB,
  # 30 s to install): the letter tests' .doc, .odt and .rtf files are made by a real writer.
  pkgs+=(chromium fonts-dejavu-core fonts-liberation redis-server postgresql libreoffice-writer-nogui)
fi
# ocrmypdf: the peer the benchmark compares against.
[ "$profile" = bench ] && pkgs+=(ocrmypdf)

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: missing system packages: ${missing[*]}" >&2
    echo "bootstrap: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

py=${PYTHON:-python3}
"$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "bootstrap: RecordReady needs Python >= 3.11 (found $("$py" --version 2>&1))" >&2; exit 1; }

[ -x .venv/bin/python ] || "$py" -m venv .venv
extras=""; [ "$profile" != run ] && extras="[dev]"
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-$extras"
if [ ! -f "$stamp" ]; then
  log=.venv/install.log
  echo "bootstrap: installing the Python environment in .venv (log: $log)"
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e ".$extras"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "bootstrap: pip install failed (full log: $log)" >&2
    exit 1
  fi
  touch "$stamp"
fi
