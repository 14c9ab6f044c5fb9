"""Benchmark for issues 8 and 20: how fast is mlsd, side by side with its peers?

Run from the repository root (`make bench` does the full run):

    .venv/bin/python -m benchmarks.mlsd_bench            # N=5, sizes 12/50/150/300, writes RESULTS.md
    .venv/bin/python -m benchmarks.mlsd_bench --quick    # N=2, sizes 12/50, prints only

mlsd is driven through its public interfaces only: the `mlsd` command and
`mlsd.load_spec(...)` with `design.render`, `design.svg` and `design.export`.
Modules: `specs` (the synthetic specs, the folder of small specs to build),
`peers` (plain diagrams, dot, D2 inputs), `measure` (timing, medians, memory,
load, the bytecode cache), `machine` (CPU, versions), `suite` (the cases),
`serve_latency` (save-to-browser in `mlsd serve`), `report` (RESULTS.md and
the issue targets), `__main__` (the command line).
"""
