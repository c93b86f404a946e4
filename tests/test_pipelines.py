"""The bundled pipelines: they load without the heavy libraries, and run end to end through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pimlico_lite.execution import run
from pimlico_lite.pipeline import load_pipeline
from tests.modules.conftest import Ran

ROOT = Path(__file__).parent.parent
PIPELINES = sorted((ROOT / "pipelines").glob("*.conf"))
# hashlib too: it loads OpenSSL (5 ms), and fingerprints use CPython's own SHA-1 instead.
HEAVY = ("numpy", "scipy", "sklearn", "matplotlib", "hashlib")


def cli(*args: object, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pimlico_lite", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "PIMLICO_LITE_STORE": str(store), "COLUMNS": "200"},
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("config", PIPELINES, ids=[path.stem for path in PIPELINES])
def test_status_of_a_bundled_pipeline_imports_no_heavy_library(config: Path, tmp_path: Path) -> None:
    program = (
        "import sys; from pimlico_lite.cli import main\n"
        "try:\n    main([sys.argv[1], 'status'])\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}"
        " or m.startswith('pimlico_lite.modules.') and m.endswith('.execute')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, config],
        capture_output=True,
        text=True,
        env={**os.environ, "PIMLICO_LITE_STORE": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"
    assert "UNEXECUTED" in result.stdout


@pytest.mark.slow
def test_the_flagship_pipeline_runs_stage_by_stage_and_a_train_change_keeps_preprocess(tmp_path: Path) -> None:
    config = tmp_path / "digits.conf"
    config.write_text((ROOT / "pipelines" / "digits.conf").read_text().replace("sample = 0\n", "sample = 300\n"))
    store = tmp_path / "store"

    blocked = cli(config, "run", "model_train", store=store)
    assert blocked.returncode == 1
    assert "model_train:preprocess waits for input 'data' from split (UNEXECUTED)" in blocked.stderr
    first = cli(config, "run", "digits", "split", "model_train", store=store)
    assert first.returncode == 0, first.stderr
    assert "digits: 300 of 1797 rows, 64 features, 10 classes" in first.stdout
    assert "✓ model_train:preprocess COMPLETE" in first.stdout
    assert "model_train:train" not in first.stdout
    listing = cli(config, "run", "model_train:?", store=store)
    assert listing.stdout.split() == [
        *("stages", "of", "model_train:"),
        *("model_train:preprocess", "COMPLETE", "model_train:train", "UNEXECUTED"),
        *("model_train:evaluate", "UNEXECUTED"),
    ]
    assert cli(config, "run", "model_train:train", store=store).returncode == 0
    rest = cli(config, "run", "--all", store=store)
    assert rest.returncode == 0, rest.stderr
    assert "report |" in rest.stdout
    assert "model_train:preprocess" not in rest.stdout

    report = next((store / "digits" / "modules" / "report").glob("run-*/report"))
    metrics = json.loads((report / "metrics.json").read_text())
    assert metrics["rows"] == 75
    assert 0.85 < metrics["metrics"]["accuracy"] <= 1.0
    picture = (report / "confusion_matrix.png").read_bytes()
    assert picture.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(picture) > 1024

    config.write_text(config.read_text().replace("train_C = 10\n", "train_C = 1\n"))
    status = json.loads(cli(config, "status", "--json", store=store).stdout)
    states = {module["name"]: module["status"] for module in status["modules"]}
    assert states == {
        **dict.fromkeys(["digits", "split", "model_train:preprocess"], "COMPLETE"),
        **dict.fromkeys(["model_train:train", "model_train:evaluate", "report"], "OUTDATED"),
    }
    again = cli(config, "run", "--all", store=store)
    assert again.returncode == 0, again.stderr
    started = [line.split()[1] for line in again.stdout.splitlines() if line.startswith(">")]
    assert started == ["model_train:train", "model_train:evaluate", "report"]


def test_the_tuned_pipeline_keeps_every_candidate_and_scores_the_best(tmp_path: Path) -> None:
    config = tmp_path / "digits_tuned.conf"
    text = (ROOT / "pipelines" / "digits_tuned.conf").read_text().replace("sample = 0\n", "sample = 300\n")
    config.write_text(text.replace("tune_trials = 20\n", "tune_trials = 4\n"))
    pipeline = load_pipeline(config)
    ran = Ran(pipeline, run(pipeline, run_all=True))
    assert not ran.result.failed, {name: ran.error(name) for name in ran.result.failed}
    trials = ran.output("model_tune:tune", "trials")
    assert len(trials["trials"]) == 4
    assert all(0.1 <= trial["hyperparameters"]["C"] <= 100 for trial in trials["trials"])
    assert all(0.0001 <= trial["hyperparameters"]["gamma"] <= 0.1 for trial in trials["trials"])
    model = ran.output("model_tune:tune", "model").estimator
    assert {"C": model.C, "gamma": model.gamma} == trials["best"]
    assert ran.output("model_tune")["metrics"]["accuracy"] > 0.8


def test_the_text_pipeline_classifies_docstrings_by_package(tmp_path: Path) -> None:
    config = tmp_path / "docstrings.conf"
    text = (ROOT / "pipelines" / "docstrings.conf").read_text()
    config.write_text(text.replace("asyncio, email, http, logging, unittest, xml", "json, logging, unittest"))
    pipeline = load_pipeline(config)
    ran = Ran(pipeline, run(pipeline, run_all=True))
    assert not ran.result.failed, {name: ran.error(name) for name in ran.result.failed}
    features = ran.output("features")
    assert features.is_sparse
    assert features.target_names == ("json", "logging", "unittest")
    metrics = ran.output("model_train")
    assert metrics["labels"] == ["json", "logging", "unittest"]
    assert metrics["metrics"]["accuracy"] > 0.6  # three classes: chance is about a third
