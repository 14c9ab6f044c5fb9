#!/bin/sh
# Install Graphviz (`dot`) with the system package manager; called by `make setup`.
set -eu
if command -v dot >/dev/null 2>&1; then exit 0; fi
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo "$@"; else
        echo "mlsd: need root (or sudo) to install Graphviz; install it yourself: https://graphviz.org/download/" >&2
        exit 1
    fi
}
if command -v apt-get >/dev/null 2>&1; then
    echo "Installing Graphviz with apt-get..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz fonts-dejavu-core >/dev/null
elif command -v brew >/dev/null 2>&1; then
    echo "Installing Graphviz with Homebrew..."
    brew install graphviz
else
    echo "mlsd: Graphviz (the 'dot' program) is missing and this system has neither apt-get nor brew;" >&2
    echo "      install it from https://graphviz.org/download/ and run make again." >&2
    exit 1
fi
command -v dot >/dev/null 2>&1 || { echo "mlsd: Graphviz installed but 'dot' is not on PATH" >&2; exit 1; }
