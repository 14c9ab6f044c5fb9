#!/bin/sh
# Install what mlsd needs from the system package manager, only where it is missing:
#   graphviz (dot)       renders every picture
#   fonts-dejavu-core    the font pictures are drawn with (Latin, Greek, Cyrillic, Arabic, Hebrew)
#   fonts-noto-cjk       Chinese, Japanese and Korean labels
# With --test, also what the test suite checks outputs with:
#   librsvg2-bin         rsvg-convert, an independent SVG renderer
#   chromium             the browser Playwright drives for the live-preview test
# Called by `make setup` and `make test`; safe to run again.
set -eu
missing=""
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
if ! (command -v fc-list >/dev/null 2>&1 && fc-list | grep -q "DejaVu Sans"); then
    missing="$missing fonts-dejavu-core"
fi
if ! (command -v fc-list >/dev/null 2>&1 && fc-list ":lang=zh" | grep -q .); then
    missing="$missing fonts-noto-cjk"
fi
if [ "${1:-}" = "--test" ]; then
    command -v rsvg-convert >/dev/null 2>&1 || missing="$missing librsvg2-bin"
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
fi
[ -n "$missing" ] || exit 0

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else
        echo "mlsd: need root (or sudo) to install:$missing; install them yourself" >&2
        exit 1
    fi
}
if command -v apt-get >/dev/null 2>&1; then
    echo "Installing with apt-get:$missing"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
elif command -v brew >/dev/null 2>&1; then
    echo "Installing with Homebrew: graphviz librsvg"
    brew install graphviz librsvg
else
    echo "mlsd: missing:$missing, and this system has neither apt-get nor brew;" >&2
    echo "      install Graphviz from https://graphviz.org/download/ and run make again." >&2
    exit 1
fi
command -v dot >/dev/null 2>&1 || { echo "mlsd: Graphviz was installed but 'dot' is not on PATH" >&2; exit 1; }
