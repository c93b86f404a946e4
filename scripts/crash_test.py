"""Kill ``pimlico-lite run --all -j 2`` with SIGKILL at random moments, and check nothing is left half-done.

After every kill: ``status`` works; every module is either COMPLETE with its outputs readable, or not complete
with no output the store would hand to another module; no worker process outlives the killed runner. At the end,
one more ``run --all`` finishes, and its outputs equal those of a clean run in another store.

    python scripts/crash_test.py --kills 300          # the long version; the test suite runs 20

Exits 0 when every check held, 1 with a message saying what broke.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = 32


def write_pipeline(folder: Path, name: str) -> Path:
    """A pipeline of MODULES modules: a chain with fan-outs and a gather at the end."""
    sections = [f"[pipeline]\nname = {name}\npython_path = {ROOT / 'tests'}\n", "[m0]\ntype = testmods.source\n"]
    for index in range(1, MODULES - 1):
        parent = index - 1 if index % 3 else max(0, index - 3)
        sections.append(f"[m{index}]\ntype = testmods.step\ninput = m{parent}\nlabel = {index}\n")
    leaves = ", ".join(f"m{index}" for index in range(MODULES - 4, MODULES - 1))
    sections.append(f"[m{MODULES - 1}]\ntype = testmods.gather\ninput_parts = {leaves}\n")
    config = folder / f"{name}.conf"
    config.write_text("\n".join(sections))
    return config


def cli(config: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pimlico_lite", str(config), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def processes_with_marker(marker: str) -> list[int]:
    """Processes (other than this one) whose environment carries ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def check_store(config: Path, env: dict[str, str]) -> dict[str, str]:
    """Check the invariants; return each module's state."""
    from pimlico_lite.pipeline import load_pipeline
    from pimlico_lite.store import Store

    status = cli(config, "status", "--json", env=env)
    if status.returncode != 0:
        fail(f"status failed after a kill: {status.stderr}")
    states = {module["name"]: module["status"] for module in json.loads(status.stdout)["modules"]}
    pipeline = load_pipeline(config)
    store = Store(pipeline.store_path)
    for name, state in states.items():
        record = store.state.record(name)
        if state == "COMPLETE":
            assert record is not None
            assert record.complete_run_id is not None
            folder = store.run_dir(name, record.complete_run_id) / "data"
            pipeline.instances[name].info.output_datatypes()["data"].read(folder)  # raises if broken
        elif record is not None and record.complete_run_id is not None:
            fail(f"{name} is {state} but the store would hand out run {record.complete_run_id}")
    store.state.close()
    return states


def outputs(config: Path) -> dict[str, object]:
    from pimlico_lite.pipeline import load_pipeline
    from pimlico_lite.store import Store

    pipeline = load_pipeline(config)
    store = Store(pipeline.store_path)
    found = {}
    for name, record in store.state.records().items():
        assert record.complete_run_id is not None
        found[name] = (
            pipeline.instances[name]
            .info.output_datatypes()["data"]
            .read(store.run_dir(name, record.complete_run_id) / "data")
        )
    return found


def fail(message: str) -> None:
    print(f"FAILED (repeat with --seed {SEED[0]}): {message}", file=sys.stderr)
    raise SystemExit(1)


SEED = [0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20, help="how many times to kill the runner")
    parser.add_argument("--seed", type=int, default=None, help="seed the random kill times")
    arguments = parser.parse_args()
    seed = arguments.seed if arguments.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    SEED[0] = seed
    folder = Path(tempfile.mkdtemp(prefix="pimlico-crash-"))
    marker = f"PIMLICO_CRASH_MARKER={uuid.uuid4().hex}"
    env = {**os.environ, "PIMLICO_TEST_SLEEP": "0.02", marker.split("=")[0]: marker.split("=")[1]}
    env.pop("PIMLICO_LITE_STORE", None)
    config = write_pipeline(folder, "crashed")
    kills = finished = 0
    started = time.monotonic()
    while kills < arguments.kills:
        process = subprocess.Popen(
            [sys.executable, "-m", "pimlico_lite", str(config), "run", "--all", "-j", "2"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        try:
            process.wait(timeout=rng.uniform(0.05, 1.5))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
        deadline = time.monotonic() + 5
        while (survivors := processes_with_marker(marker)) and time.monotonic() < deadline:
            time.sleep(0.05)
        if survivors:
            fail(f"worker processes outlived the killed runner: {survivors}")
        states = check_store(config, env)
        if set(states.values()) == {"COMPLETE"}:
            finished += 1
            reset = cli(config, "reset", "m0", "-y", env=env)  # start over, to kill it some more
            if reset.returncode != 0:
                fail(f"reset failed: {reset.stderr}")
    final = cli(config, "run", "--all", "-j", "2", env=env)
    if final.returncode != 0:
        fail(f"the run after the kills failed: {final.stdout}{final.stderr}")
    clean = write_pipeline(folder, "clean")
    if cli(clean, "run", "--all", env=env).returncode != 0:
        fail("the clean run failed")
    if outputs(config) != outputs(clean):
        fail("outputs after the kills differ from those of a clean run")
    seconds = time.monotonic() - started
    print(f"{kills} kills, {finished} runs finished between kills, every check held ({seconds:.0f}s, seed {seed})")


if __name__ == "__main__":
    main()
