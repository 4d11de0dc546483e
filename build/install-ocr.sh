#!/usr/bin/env bash
# Installs Debian's tesseract (English) for the OCR bench (`BuildImages.Benchmarks --ocr`); the tests do not need it.
set -euo pipefail
if command -v tesseract >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null
