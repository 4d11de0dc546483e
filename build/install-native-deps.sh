#!/usr/bin/env bash
# Installs the native imaging stack and the fonts the tests and built-in templates use, when missing.
# Debian/Ubuntu: installs with apt-get (as root, or through sudo). Elsewhere: prints the command.
set -euo pipefail

# Extra packages can be named as arguments (the test script adds chromium for the preview page test).
packages=(libvips42 libpangocairo-1.0-0 librsvg2-2 fontconfig fonts-inter fonts-noto-core fonts-noto-color-emoji fonts-noto-cjk "$@")

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    exit 0
  fi
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
      echo "Missing packages: ${missing[*]}. Run as root: apt-get install -y ${missing[*]}" >&2; exit 1
    fi
  fi
  echo "Installing native dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

cat >&2 <<'TXT'
BuildImages needs libvips (8.14+), pango/cairo, librsvg, fontconfig, and for the tests the Inter and Noto fonts:
  Fedora:  sudo dnf install vips pango cairo librsvg2 fontconfig rsms-inter-fonts google-noto-sans-fonts google-noto-color-emoji-fonts google-noto-sans-cjk-fonts
  Alpine:  apk add vips pango cairo librsvg fontconfig font-inter font-noto font-noto-emoji font-noto-cjk
  macOS:   brew install vips pango cairo librsvg fontconfig && brew install --cask font-inter font-noto-sans font-noto-color-emoji font-noto-sans-cjk
TXT
exit 1
