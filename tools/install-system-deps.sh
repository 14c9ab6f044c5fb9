#!/bin/sh
# Install what mlsd needs from the system package manager, only where it is missing:
#   graphviz (dot)       renders every picture
#   fonts-dejavu-core    the font pictures are drawn with (Latin, Greek, Cyrillic, Arabic, Hebrew)
#   fonts-noto-cjk       Chinese, Japanese and Korean labels
# With --test, also what the test suite checks outputs with:
#   librsvg2-bin         rsvg-convert, an independent SVG renderer
#   chromium             the browser Playwright drives for the live-preview test, and mmdc's
#   git                  the diff tests drive git's textconv and diff-driver hooks
#   nodejs npm           to install mermaid-cli (mmdc) and jsdom into .venv/node, which render
#                        and parse the Mermaid exports; Debian's chromium stands in for
#                        puppeteer's own browser, whose download may be blocked; and the
#                        official @excalidraw/excalidraw (with react and esbuild to bundle it)
#                        and mxgraph, which open the Excalidraw and draw.io exports in chromium
#   libreoffice-impress  opens the PowerPoint exports (soffice --convert-to pdf)
#   poppler-utils        pdftotext, to find the labels on LibreOffice's pages
# Called by `make setup` and `make test`; safe to run again.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
# Pinned for Node 18 (Debian 12): mermaid-cli 12 and puppeteer 25 need Node 22.
MERMAID_CLI=11.17.0
PUPPETEER=24.43.1
JSDOM=26.1.0
EXCALIDRAW=0.18.1
REACT=19.3.1
ESBUILD=0.25.12
MXGRAPH=4.2.2
test_deps=false
[ "${1:-}" = "--test" ] && test_deps=true
missing=""
command -v dot >/dev/null 2>&1 || missing="$missing graphviz"
if ! (command -v fc-list >/dev/null 2>&1 && fc-list | grep -q "DejaVu Sans"); then
    missing="$missing fonts-dejavu-core"
fi
if ! (command -v fc-list >/dev/null 2>&1 && fc-list ":lang=zh" | grep -q .); then
    missing="$missing fonts-noto-cjk"
fi
if $test_deps; then
    command -v rsvg-convert >/dev/null 2>&1 || missing="$missing librsvg2-bin"
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
    command -v git >/dev/null 2>&1 || missing="$missing git"
    command -v node >/dev/null 2>&1 || missing="$missing nodejs"
    command -v npm >/dev/null 2>&1 || missing="$missing npm"
    command -v soffice >/dev/null 2>&1 || missing="$missing libreoffice-impress"
    command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else
        echo "mlsd: need root (or sudo) to install:$missing; install them yourself" >&2
        exit 1
    fi
}
if [ -z "$missing" ]; then
    :
elif command -v apt-get >/dev/null 2>&1; then
    echo "Installing with apt-get:$missing"
    as_root apt-get update -qq
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
elif command -v brew >/dev/null 2>&1; then
    echo "Installing with Homebrew: graphviz librsvg node"
    brew install graphviz librsvg node
else
    echo "mlsd: missing:$missing, and this system has neither apt-get nor brew;" >&2
    echo "      install Graphviz from https://graphviz.org/download/ and run make again." >&2
    exit 1
fi
command -v dot >/dev/null 2>&1 || { echo "mlsd: Graphviz was installed but 'dot' is not on PATH" >&2; exit 1; }
$test_deps || exit 0

modules="$repo/.venv/node/node_modules"
has() { grep -q "\"version\": \"$2\"" "$modules/$1/package.json" 2>/dev/null; }
if ! (has @mermaid-js/mermaid-cli "$MERMAID_CLI" && has puppeteer "$PUPPETEER" && has jsdom "$JSDOM"); then
    echo "Installing mermaid-cli $MERMAID_CLI, puppeteer $PUPPETEER and jsdom $JSDOM into .venv/node"
    mkdir -p "$repo/.venv/node"
    PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$repo/.venv/node" --save-exact --no-audit --no-fund \
        --loglevel=error "@mermaid-js/mermaid-cli@$MERMAID_CLI" "puppeteer@$PUPPETEER" "jsdom@$JSDOM" >/dev/null
fi
[ -x "$modules/.bin/mmdc" ] || { echo "mlsd: npm ran but $modules/.bin/mmdc is missing" >&2; exit 1; }
if ! (has @excalidraw/excalidraw "$EXCALIDRAW" && has react "$REACT" && has react-dom "$REACT" \
        && has esbuild "$ESBUILD" && has mxgraph "$MXGRAPH"); then
    echo "Installing @excalidraw/excalidraw $EXCALIDRAW, react $REACT, esbuild $ESBUILD and mxgraph $MXGRAPH into .venv/node"
    PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$repo/.venv/node" --save-exact --no-audit --no-fund \
        --loglevel=error "@excalidraw/excalidraw@$EXCALIDRAW" "react@$REACT" "react-dom@$REACT" \
        "esbuild@$ESBUILD" "mxgraph@$MXGRAPH" >/dev/null
fi
[ -x "$modules/.bin/esbuild" ] || { echo "mlsd: npm ran but $modules/.bin/esbuild is missing" >&2; exit 1; }
