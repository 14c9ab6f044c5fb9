"""Measure the label font's advance widths with Graphviz and print src/mlsd/data/font-widths.yaml.

    python tools/measure_font.py > src/mlsd/data/font-widths.yaml

Each printable ASCII character is laid out twenty times at 100 pt by `dot`,
which measures text with the same font machinery it uses for every picture.
"""

from __future__ import annotations

import json
import string
import subprocess

FONT = "DejaVu Sans"
REPEAT = 20
SIZE = 100


def measure() -> dict[str, float]:
    """Advance width in ems of every printable ASCII character."""
    chars = [c for c in string.printable if c.isprintable()]
    nodes = "".join(f'n{i} [label="{json.dumps(c * REPEAT)[1:-1]}"];' for i, c in enumerate(chars))
    source = (
        f'digraph G {{ node [shape=plaintext margin=0 fontname="{FONT}" fontsize={SIZE} width=0 height=0]; {nodes} }}'
    )
    done = subprocess.run(["dot", "-Tjson"], input=source.encode(), capture_output=True, check=True)
    widths = {}
    for item in json.loads(done.stdout)["objects"]:
        char = chars[int(item["name"][1:])]
        widths[char] = round(float(item["width"]) * 72 / REPEAT / SIZE, 4)
    return widths


def main() -> None:
    print("# Advance widths of DejaVu Sans, the label font, in ems: how wide each printable")
    print("# ASCII character is, so labels wrap where Graphviz will really need the room.")
    print("# Measured with Graphviz itself (tools/measure_font.py); other characters count")
    print("# as `other`, East Asian wide characters as `wide`.")
    print(f"font: {FONT}")
    print("wide: 1.0")
    print("other: 0.62")
    print("advances:")
    for char, width in measure().items():
        print(f"  {json.dumps(char)}: {width}")


if __name__ == "__main__":
    main()
