"""Turn a results document (``bench.suite.run_suite``) into the markdown report, with the targets passed or failed.

Every ratio compares medians measured in the same run of the suite, so both sides saw the same machine load.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from bench.tools import OPERATIONS, PLAN_COMMANDS

ME = "pimlico_lite"
TIMES = "\N{MULTIPLICATION SIGN}"
DASH = "\N{EN DASH}"
_TABLE_OPERATIONS = ["run", "plan", "rerun", "run_j2"]


@dataclass(frozen=True)
class Target:
    """One target of the issue: what it asks, what was measured, and whether it passed."""

    name: str
    wanted: str
    measured: str
    result: str


class Results:
    """Look up cases and medians in a results document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.cases = {case["id"]: case for case in document["cases"]}

    def summary(self, shape: str, n: int, tool: str, operation: str) -> dict[str, Any] | None:
        """The summary of one operation of one case, or None when the case was not run."""
        case = self.cases.get(f"{shape}/{n}/{tool}")
        return None if case is None else case["operations"].get(operation)

    def median(self, shape: str, n: int, tool: str, operation: str) -> float | None:
        """The median seconds of the successful samples, or None."""
        summary = self.summary(shape, n, tool, operation)
        return summary.get("median") if summary else None

    def why_missing(self, shape: str, n: int, tool: str, operation: str) -> str:
        """Why there is no median: the case was not in the profile, or what happened to it."""
        summary = self.summary(shape, n, tool, operation)
        if summary is None:
            return f"not measured ({tool} at {shape} N = {n} was not part of this {self.profile} run)"
        return describe(summary)

    @property
    def profile(self) -> str:
        """The profile's name."""
        name: str = self.document["meta"]["profile"]["name"]
        return name


def render(document: dict[str, Any]) -> str:
    """The whole markdown report."""
    results = Results(document)
    sections = [
        _header(document),
        _orchestration_table(document),
        _ratio_table(results),
        _cpu_table(document),
        _cli_table(results),
        _growth_table(results),
        _targets_table(evaluate_targets(results)),
    ]
    return "\n\n".join(section for section in sections if section) + "\n"


def seconds(value: float) -> str:
    """Seconds with about three significant digits."""
    if value < 1:
        return f"{value:.3f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def describe(summary: dict[str, Any]) -> str:
    """One table cell: ``median (min to max)``, or what went wrong."""
    status = summary["status"]
    if status == "ok":
        text = seconds(summary["median"])
        if summary["count"] > 1:
            text += f" ({seconds(summary['min'])}{DASH}{seconds(summary['max'])})"
        if summary.get("problem"):
            text += f", then {summary['problem']}"
        return text
    if status == "timeout":
        return f"timeout (> {summary['bound']:g} s)"
    if status == "failed":
        return "failed: " + _first_line(summary.get("detail", ""))
    if status == "unsupported":
        return "unsupported (usage error)"
    if status == "skipped":
        return f"skipped: {summary.get('detail', '')}"
    return "—"


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = next((line for line in reversed(lines) if "Error" in line or "error" in line), lines[-1] if lines else "")
    return line.replace("|", "\\|")[:100]


def _header(document: dict[str, Any]) -> str:
    meta = document["meta"]
    profile = meta["profile"]
    versions = ", ".join(f"{name} {version}" for name, version in meta["tools"].items())
    plans = ", ".join(f"{tool}: `{command}`" for tool, command in PLAN_COMMANDS.items())
    incomplete = "" if meta.get("complete", True) else " (INCOMPLETE: the run stopped before the end)"
    return "\n".join(
        [
            f"## Benchmark results: {profile['name']} profile, {meta['started']}{incomplete}",
            "",
            f"- Machine: {meta['processor']}, {meta['cores']} cores, {meta['memory_gb']} GB memory; "
            f"{meta['system']}; Python {meta['python']}. Load average at start {_load(meta['load_average_start'])}, "
            f"at end {_load(meta['load_average_end'])}.",
            f"- Tools: {versions}; pimlico_lite from commit {meta.get('commit') or 'unknown'}.",
            f"- Repetitions of each case: {profile['reps']}, tools alternating; a command is killed after "
            f"{profile['bound']:g} s. The whole run took {meta['duration_s']:.0f} s.",
            f"- Cells: median seconds (min{DASH}max) of a fresh process each time. "
            f"Plan / dry run is {plans}; Luigi has none.",
        ]
    )


def _load(values: list[float]) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def _orchestration_table(document: dict[str, Any]) -> str:
    rows = [
        "### Orchestration: N steps of trivial work",
        "",
        "| shape | N | tool | " + " | ".join(OPERATIONS[op] for op in _TABLE_OPERATIONS) + " | peak memory of run |",
        "| --- | ---: | --- |" + " ---: |" * (len(_TABLE_OPERATIONS) + 1),
    ]
    for case in document["cases"]:
        if case["shape"] in ("chain", "fanout"):
            cells = [describe(case["operations"].get(op, {"status": "n/a"})) for op in _TABLE_OPERATIONS]
            memory = case["operations"]["run"].get("peak_rss_mb")
            cells.append(f"{memory:.0f} MB" if memory else "—")
            rows.append(f"| {case['shape']} | {case['n']} | {case['tool']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _ratio_table(results: Results) -> str:
    rows = [
        "### pimlico_lite / peer, medians of the same run (below 1: pimlico_lite is faster)",
        "",
        "| shape | N | peer | " + " | ".join(OPERATIONS[op] for op in _TABLE_OPERATIONS) + " |",
        "| --- | ---: | --- |" + " ---: |" * len(_TABLE_OPERATIONS),
    ]
    for case in results.document["cases"]:
        if case["shape"] not in ("chain", "fanout") or case["tool"] == ME:
            continue
        cells = []
        for operation in _TABLE_OPERATIONS:
            mine = results.median(case["shape"], case["n"], ME, operation)
            theirs = results.median(case["shape"], case["n"], case["tool"], operation)
            cells.append(f"{mine / theirs:.2f}" if mine and theirs else "—")
        rows.append(f"| {case['shape']} | {case['n']} | {case['tool']} | " + " | ".join(cells) + " |")
    return "\n".join(rows) if len(rows) > 4 else ""


def _cpu_table(document: dict[str, Any]) -> str:
    rows = [
        "### Independent CPU-bound modules (pure-Python loop, about 0.25 s each): 1 worker against 2",
        "",
        "| shape | N | tool | 1 worker | 2 workers | speed-up | paired speed-up |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for case in document["cases"]:
        if case["shape"] == "cpu":
            one, two = case["operations"]["run"], case["operations"]["run_j2"]
            speedup = f"{one['median'] / two['median']:.2f}{TIMES}" if "median" in one and "median" in two else "—"
            paired = paired_speedups(one, two)
            cells = [
                describe(one),
                describe(two),
                speedup,
                f"{statistics.median(paired):.2f}{TIMES}" if paired else "—",
            ]
            rows.append(f"| cpu | {case['n']} | {case['tool']} | {' | '.join(cells)} |")
    if len(rows) == 4:
        return ""
    note = (
        "Speed-up: median of 1 worker / median of 2 workers (the target is judged on it). Paired: the median of each "
        "repetition's own ratio (its two runs are measured one after the other), which a machine whose speed drifts "
        "between repetitions disturbs less."
    )
    return "\n".join([*rows, "", note])


def paired_speedups(one: dict[str, Any], two: dict[str, Any]) -> list[float]:
    """Each repetition's 1-worker time over its 2-worker time, where both succeeded."""
    pairs = zip(one.get("samples", []), two.get("samples", []), strict=False)
    return [a["seconds"] / b["seconds"] for a, b in pairs if a["status"] == b["status"] == "ok" and b["seconds"] > 0]


def _cli_table(results: Results) -> str:
    rows = [
        "### pimlico_lite from a cold start (a new process each time)",
        "",
        "| shape | N | tool | command | time | peak memory |",
        "| --- | ---: | --- | --- | ---: | ---: |",
    ]
    for case in results.document["cases"]:
        if case["shape"] == "cli":
            rows.append(_cli_row(f"cli | — | {case['tool']} | `--help`", case["operations"]["help"]))
    floors = []
    for case in results.document["cases"]:
        if case["tool"] == ME and case["shape"] == "chain" and case["n"] >= 1000:
            n, operations = case["n"], case["operations"]
            rows.append(_cli_row(f"chain | {n} | {ME} | `status` (all complete)", operations["plan"]))
            for operation in ("plan_loaded", "floor", "floor_click"):
                if operation in operations:  # (results from before the floors were timed have none)
                    rows.append(_cli_row(f"chain | {n} | {ME} | {OPERATIONS[operation]}", operations[operation]))
            floors += _floor_ratios(results, n)
    if floors:
        rows += ["", "`status` / its floor, medians of this run: " + "; ".join(floors) + "."]
    return "\n".join(rows)


def _floor_ratios(results: Results, n: int) -> list[str]:
    """How many times its floors ``status`` of the N-step chain took, as the cold-start table's note says it."""
    status = results.median("chain", n, ME, "plan")
    ratios = []
    for operation, label in (("floor", "floor"), ("floor_click", "floor with click")):
        floor = results.median("chain", n, ME, operation)
        if status and floor:
            ratios.append(f"N = {n}, {label}: {status / floor:.2f}")
    return ratios


def _cli_row(label: str, summary: dict[str, Any]) -> str:
    memory = summary.get("peak_rss_mb")
    return f"| {label} | {describe(summary)} | {f'{memory:.0f} MB' if memory else '—'} |"


def _growth_table(results: Results) -> str:
    rows = [
        "### pimlico_lite: time(N = 10 000) / time(N = 1000) (10 is linear)",
        "",
        "| shape | " + " | ".join(OPERATIONS[op] for op in ("run", "plan", "rerun")) + " |",
        "| --- | ---: | ---: | ---: |",
    ]
    for shape in ("chain", "fanout"):
        cells = []
        for operation in ("run", "plan", "rerun"):
            small, large = (results.median(shape, n, ME, operation) for n in (1000, 10000))
            cells.append(f"{large / small:.1f}" if small and large else "—")
        if any(cell != "—" for cell in cells):
            rows.append(f"| {shape} | " + " | ".join(cells) + " |")
    return "\n".join(rows) if len(rows) > 4 else ""


def _targets_table(targets: list[Target]) -> str:
    rows = ["### Targets", "", "| target | wanted | measured | result |", "| --- | --- | --- | --- |"]
    rows += [f"| {t.name} | {t.wanted} | {t.measured} | {t.result} |" for t in targets]
    return "\n".join(rows)


def evaluate_targets(results: Results) -> list[Target]:
    """Every target of the issue, passed or failed, or why it could not be measured."""
    chain = ("chain", 1000)
    targets = [
        _at_most(results, "full run, 1000-step chain, 1 worker", (*chain, ME, "run"), 1.0, " s"),
        _ratio(results, "full run, 1000-step chain: pimlico_lite / doit", chain, "doit", None),
        _ratio(results, "full run, 1000-step chain: faster than Luigi", chain, "luigi", 5),
        _snakemake(results),
        _at_most(results, "nothing-to-do rerun, 1000 modules", (*chain, ME, "rerun"), 0.15, " s"),
        _at_most(results, "`status`, 1000 modules, cold start", (*chain, ME, "plan"), 0.15, " s"),
        _at_most(results, "`status`, 10 000 modules", ("chain", 10000, ME, "plan"), 1.0, " s"),
        _memory(results),
        _growth(results),
        _at_most(results, "`pimlico-lite --help`", ("cli", 0, ME, "help"), 0.12, " s"),
        _speedup(results, "`-j 2` on 20 independent CPU-bound modules", ("cpu", 20), 1.8),
        _speedup(results, "`-j 2` on the trivial 1000-step fan-out", ("fanout", 1000), 1.0),
    ]
    return targets


def _verdict(ok: bool) -> str:
    return "**pass**" if ok else "**FAIL**"


def _at_most(results: Results, name: str, where: tuple[str, int, str, str], bound: float, unit: str) -> Target:
    value = results.median(*where)
    wanted = f"≤ {bound:g}{unit}"
    if value is None:
        return Target(name, wanted, results.why_missing(*where), "not measured")
    return Target(name, wanted, f"{seconds(value)}{unit}", _verdict(value <= bound))


def _ratio(results: Results, name: str, where: tuple[str, int], peer: str, at_least_faster: float | None) -> Target:
    """pimlico_lite / peer on a full run: at most 1.0 (``at_least_faster`` None), or at least that many times faster."""
    wanted = "≤ 1.0" if at_least_faster is None else f"≥ {at_least_faster:g}{TIMES} faster"
    mine, theirs = results.median(*where, ME, "run"), results.median(*where, peer, "run")
    if mine is None or theirs is None:
        missing = (ME, "run") if mine is None else (peer, "run")
        return Target(name, wanted, results.why_missing(*where, *missing), "not measured")
    times = f"{seconds(mine)} s against {seconds(theirs)} s"
    if at_least_faster is None:
        return Target(name, wanted, f"{mine / theirs:.2f} ({times})", _verdict(mine / theirs <= 1.0))
    return Target(name, wanted, f"{theirs / mine:.1f}{TIMES} ({times})", _verdict(theirs / mine >= at_least_faster))


def _snakemake(results: Results) -> Target:
    name = "full run, 1000-step chain: faster than Snakemake"
    chain = results.median("chain", 1000, "snakemake", "run")
    if chain is None and results.median("fanout", 1000, "snakemake", "run") is not None:
        # Snakemake cannot run a 1000-long chain; compare the fan-out, as the issue's own figure does.
        return _ratio(results, name + " (the fan-out: its chain fails)", ("fanout", 1000), "snakemake", 40)
    return _ratio(results, name, ("chain", 1000), "snakemake", 40)


def _memory(results: Results) -> Target:
    name, wanted = "peak memory of `status`, 10 000 modules", "≤ 150 MB"
    summary = results.summary("chain", 10000, ME, "plan")
    if not summary or summary.get("peak_rss_mb") is None:
        return Target(name, wanted, results.why_missing("chain", 10000, ME, "plan"), "not measured")
    memory = summary["peak_rss_mb"]
    return Target(name, wanted, f"{memory:.0f} MB", _verdict(memory <= 150))


def _growth(results: Results) -> Target:
    name, wanted = "`status` time(10 000) / time(1000)", "≤ 11"
    small, large = results.median("chain", 1000, ME, "plan"), results.median("chain", 10000, ME, "plan")
    if small is None or large is None:
        n = 1000 if small is None else 10000
        return Target(name, wanted, results.why_missing("chain", n, ME, "plan"), "not measured")
    return Target(name, wanted, f"{large / small:.1f}", _verdict(large / small <= 11))


def _speedup(results: Results, name: str, where: tuple[str, int], wanted_speedup: float) -> Target:
    wanted = f"≥ {wanted_speedup:g}{TIMES} as fast as 1 worker" if wanted_speedup > 1 else "not slower than 1 worker"
    one, two = results.median(*where, ME, "run"), results.median(*where, ME, "run_j2")
    if one is None or two is None:
        summary = results.summary(*where, ME, "run_j2")
        if summary and summary["status"] == "unsupported":
            return Target(name, wanted, "`-j` is not an option yet (usage error, exit 2)", "**FAIL** (unsupported)")
        missing = "run" if one is None else "run_j2"
        return Target(name, wanted, results.why_missing(*where, ME, missing), "not measured")
    return Target(
        name,
        wanted,
        f"{one / two:.2f}{TIMES} ({seconds(one)} s → {seconds(two)} s)",
        _verdict(one / two >= wanted_speedup),
    )
