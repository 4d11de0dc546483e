#!/usr/bin/env bash
# Installs what only the tests need, when missing: the machine fonts some tests draw every script with (the product
# itself needs no system package: libvips, Skia and HarfBuzz come in its NuGet packages, Inter and Noto Color Emoji
# ship with it) and the tools named as arguments (chromium, nginx, redis-server, nodejs, npm, wine64, mingw-w64).
# BUILDIMAGES_APT_RECOMMENDS=1 installs them with their recommended packages (Wine needs some of those).
# Debian/Ubuntu: installs with apt-get (as root, or through sudo). Elsewhere: prints the command.
set -euo pipefail

packages=(fonts-inter fonts-noto-core fonts-noto-color-emoji fonts-noto-cjk "$@")

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
  echo "Installing test dependencies: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  recommends="--no-install-recommends"
  if [ "${BUILDIMAGES_APT_RECOMMENDS:-}" = "1" ]; then recommends=""; fi
  $sudo apt-get install -y -qq $recommends "${missing[@]}" >/dev/null
  exit 0
fi

cat >&2 <<'TXT'
The tests need the Inter and Noto fonts installed (and the tools named on the command line):
  Fedora:  sudo dnf install rsms-inter-fonts google-noto-sans-fonts google-noto-color-emoji-fonts google-noto-sans-cjk-fonts
  Alpine:  apk add font-inter font-noto font-noto-emoji font-noto-cjk
  macOS:   brew install --cask font-inter font-noto-sans font-noto-color-emoji font-noto-sans-cjk
TXT
exit 1
