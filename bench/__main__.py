"""``python -m bench``: install the peers, run a profile of the benchmark suite, write the results and report."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import report, tools
from bench.peers import PEERS_VENV, PINS, ensure_peers
from bench.suite import PROFILES, run_suite

RESULTS = Path(__file__).resolve().parent / "results"
ALL_TOOLS = ["pimlico_lite", *PINS]


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the suite (or re-render a report), and say where the results are."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick", help="which cases (default: quick)")
    parser.add_argument("--reps", type=int, help="repetitions of each case (default: the profile's)")
    parser.add_argument("--bound", type=float, help="seconds before a command is killed (default: the profile's)")
    parser.add_argument("--sizes", help="comma-separated: keep only these sizes of the profile (e.g. 1000,10000,20)")
    parser.add_argument("--shapes", help="comma-separated: keep only these shapes (chain, fanout, cpu)")
    parser.add_argument("--tools", default=",".join(ALL_TOOLS), help="comma-separated (default: all)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write results (default: bench/results)")
    parser.add_argument("--workdir", type=Path, help="where the pipelines run (default: the system's temp folder)")
    parser.add_argument("--pimlico-lite", help="the pimlico-lite command to time (default: the one beside Python)")
    parser.add_argument("--report", type=Path, metavar="JSON", help="only print the report of a results file")
    args = parser.parse_args(argv)
    if args.report:
        print(report.render(json.loads(args.report.read_text())), end="")
        return 0
    names = [name.strip() for name in args.tools.split(",") if name.strip()]
    unknown = sorted(set(names) - set(ALL_TOOLS))
    if unknown:
        parser.error(f"unknown tools: {', '.join(unknown)}; known: {', '.join(ALL_TOOLS)}")
    profile = PROFILES[args.profile]
    overrides = {"reps": args.reps, "bound": args.bound}
    profile = dataclasses.replace(profile, **{key: value for key, value in overrides.items() if value is not None})
    if args.sizes or args.shapes:
        keep = {int(size) for size in args.sizes.split(",")} if args.sizes else None
        shapes = set(args.shapes.split(",")) if args.shapes else set(profile.sizes)
        sizes = {
            shape: tuple(n for n in ns if keep is None or n in keep)
            for shape, ns in profile.sizes.items()
            if shape in shapes
        }
        profile = dataclasses.replace(profile, sizes=sizes)
    chosen = []
    if "pimlico_lite" in names:
        chosen.append(tools.pimlico_lite(args.pimlico_lite.split() if args.pimlico_lite else None))
    peer_names = [name for name in names if name in PINS]
    if peer_names:
        versions = ensure_peers(peer_names)
        chosen += tools.peers(PEERS_VENV / "bin", versions)
    stem = f"{profile.name}-{time.strftime('%Y%m%d-%H%M%S')}"

    def checkpoint(document: dict[str, Any]) -> None:
        write_results(document, args.out, stem)

    document = run_suite(
        chosen, profile, args.workdir, progress=lambda line: print(line, file=sys.stderr), checkpoint=checkpoint
    )
    json_path, markdown_path = write_results(document, args.out, stem)
    print(f"results: {json_path}\nreport:  {markdown_path}")
    return 0


def write_results(document: dict[str, Any], out: Path, stem: str) -> tuple[Path, Path]:
    """Write the raw JSON and the markdown report into ``out`` as ``STEM.json`` and ``STEM.md``."""
    out.mkdir(parents=True, exist_ok=True)
    json_path, markdown_path = out / f"{stem}.json", out / f"{stem}.md"
    json_path.write_text(json.dumps(document, indent=1) + "\n")
    markdown_path.write_text(report.render(document))
    return json_path, markdown_path


if __name__ == "__main__":
    sys.exit(main())
