#!/usr/bin/env bash
# Set up a machine for cop-docs: system packages (Debian/Ubuntu, as root), then a virtual environment in .venv
# holding nox. nox sessions install the Python packages they need themselves.
# Elsewhere it lists what to install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

# pango for WeasyPrint; libharfbuzz-subset0 makes font subsetting ~10x faster; Noto fonts for all six scripts;
# gettext for msgfmt/msgmerge; a Java runtime for EPUBCheck; poppler-utils: pdftoppm draws the e-book covers and the
# preview thumbnails, pdfinfo counts the pages of a release, pdftotext reads PDFs in the tests;
# php-symfony-translation ships the OASIS XLIFF 1.2 and 2.0 schemas the tests validate XLIFF files against;
# chromium is the browser the web edition's tests open pages in (Playwright drives it; it downloads no browser).
PACKAGES=(
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig
  fonts-noto-core fonts-noto-cjk
  gettext default-jre-headless poppler-utils
  php-symfony-translation chromium
  python3-venv git
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "bootstrap: installing ${missing[*]}" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
      echo "bootstrap: missing system packages: ${missing[*]}" >&2
      echo "bootstrap: install them (as root: apt-get install ${missing[*]}) and run this again" >&2
      exit 1
    fi
  fi
else
  for tool in fc-list msgfmt java pdftotext; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ ${#missing[@]} -gt 0 ] || ! fc-list | grep -q "Noto Sans CJK SC"; then
    echo "bootstrap: not a Debian system; install: pango, harfbuzz (with hb-subset), fontconfig, Noto fonts" >&2
    echo "  (Noto Serif, Noto Sans, Noto Naskh Arabic, Noto Sans/Serif CJK SC), GNU gettext, Java 17+, poppler" >&2
    [ ${#missing[@]} -gt 0 ] && echo "  missing commands: ${missing[*]}" >&2
    exit 1
  fi
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/nox ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -c constraints.txt "nox>=2024.4"
fi
