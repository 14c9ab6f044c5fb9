"""`mlsd serve` as users start it: the command, a page, and Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

SPEC = """\
mlsd: 1
title: Served design
components:
  app:   {kind: client}
  model: {kind: inference-server}
flows:
  - app -> model
"""


def test_serve_command_serves_the_folder_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    (tmp_path / "served.yaml").write_text(SPEC, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "mlsd", "serve", str(tmp_path), "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        with urllib.request.urlopen(found.group(0), timeout=10) as response:
            page = response.read().decode("utf-8")
        assert response.status == 200
        assert "Served design" in page
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=15)
        finally:
            process.kill()
    assert code == 0
    rest = process.stderr.read()
    assert "Traceback" not in rest
