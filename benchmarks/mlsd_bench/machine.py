"""What the numbers were measured on: CPU, cores, load, versions, and whether mlsd changed meanwhile."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import subprocess
from pathlib import Path

import mlsd

from . import peers


def machine() -> dict[str, str]:
    """What the numbers were measured on: CPU, cores, load, versions."""

    def first(path: str, prefix: str, sep: str, default: str) -> str:
        lines = Path(path).read_text().splitlines() if Path(path).exists() else []
        return next((x.split(sep, 1)[1].strip().strip('"') for x in lines if x.startswith(prefix)), default)

    def version(cmd: list[str]) -> str:
        done = subprocess.run(cmd, capture_output=True, text=True)
        return (done.stdout + done.stderr).strip()

    d2 = peers.d2_binary()
    return {
        "CPU": first("/proc/cpuinfo", "model name", ":", platform.processor() or "unknown"),
        "cores": str(os.cpu_count()),
        "RAM": f"{int(first('/proc/meminfo', 'MemTotal', ':', '0 kB').split()[0]) / 1024**2:.1f} GiB",
        "OS": f"{first('/etc/os-release', 'PRETTY_NAME=', '=', platform.system())}, Linux {platform.release()}",
        "Python": platform.python_version(),
        "mlsd": f"{mlsd.__version__}, from {source()}",
        "Graphviz": version(["dot", "-V"]),
        "diagrams": importlib.metadata.version("diagrams"),
        "d2": version([d2, "--version"]) if d2 else "not installed",
        "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def source_state() -> dict[str, float]:
    """Modification time of every file of the mlsd package, to tell whether it changed during the run."""
    package = Path(mlsd.__file__).parent
    return {
        str(p): p.stat().st_mtime for p in sorted(package.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
    }


def source() -> str:
    """Where the measured mlsd was imported from, with its git commit and whether it had uncommitted edits."""
    package = Path(mlsd.__file__).parent

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(package), *args], capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("log", "-1", "--format=%h")
    if not commit:
        return f"`{package}`"
    edited = git("status", "--porcelain", "--", ".").splitlines()
    return f"`{package}` at commit {commit}" + (f", with {len(edited)} files edited" if edited else "")
