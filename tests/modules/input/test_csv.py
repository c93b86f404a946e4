"""input.csv: a CSV file as a data set, with labels encoded as classes and clear errors for bad values."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from unittest.mock import ANY

from tests.modules.conftest import BUNDLED, RunPipeline

CSV = "height,weight,species\n1.5,20,cat\n2.5,40,dog\n1.0,15,cat\n"


def test_numeric_columns_become_features_and_labels_become_classes(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"animals.csv": CSV})
    data = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/animals.csv\ntarget = species\n").output("t")
    assert data.features.tolist() == [[1.5, 20], [2.5, 40], [1.0, 15]]
    assert data.feature_names == ("height", "weight")
    assert (data.target.tolist(), data.target_names, data.task) == ([0, 1, 0], ("cat", "dog"), "classification")


def test_the_log_says_what_the_target_was_read_as(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    # One missing value makes a number column classes, one per distinct number: the log line shows it.
    folder = write_files({"a.csv": "x,y\n1,2.5\n2,NA\n3,1.25\n", "b.csv": "x,y\n1,2.5\n2,3.5\n"})
    classes = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/a.csv\ntarget = y\n")
    assert classes.log("t") == ["read 3 rows, 1 feature, a target of 3 classes from a.csv"]
    numbers = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/b.csv\ntarget = y\n")
    assert numbers.log("t") == ["read 2 rows, 1 feature, a number target (regression) from b.csv"]


def test_columns_choose_the_features_and_a_number_target_can_be_regression(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"a.csv": "x;y;z\n1;2;0.5\n3;4;1.5\n"})
    body = f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/a.csv\ndelimiter = ;\ntarget = z\ncolumns = y\n"
    data = run_pipeline(body).output("t")
    assert (data.features.tolist(), data.target.tolist(), data.task) == ([[2], [4]], [0.5, 1.5], "regression")


def test_a_value_that_is_not_a_number_fails_saying_where(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"bad.csv": CSV.replace("2.5", "tall")})
    ran = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/bad.csv\ntarget = species\n", True)
    assert ran.error("t") == f"TableError: {folder}/bad.csv:3, column 'height': expected a number, got 'tall'"
    ran = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/bad.csv\ntarget = specie\n", True)
    said = f"{ran.where('target', 't')} {folder}/bad.csv: no column 'specie' (did you mean 'species'?)"
    assert said in (ran.error("t") or "")
    body = f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/bad.csv\ncolumns = height, wieght\n"
    ran = run_pipeline(body, True)
    said = f"{ran.where('columns', 't')} {folder}/bad.csv: no column 'wieght' (did you mean 'weight'?)"
    assert said in (ran.error("t") or "")


def test_a_column_named_twice_an_empty_cell_and_a_byte_order_mark(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files(
        {
            "twice.csv": "a,x,x,label\n1,10,100,p\n",
            "empty.csv": "a,label\n1,p\n,q\n",
            "excel.csv": "\ufeffétiquette,x\np,1\nq,2\n",  # Excel's "CSV UTF-8" starts with a byte-order mark
        }
    )
    section = f"[t]\ntype = {BUNDLED}.input.csv\ntarget = label\npath = {folder}/"
    # csv.DictReader keeps the last of two columns of one name: the first was lost without a word.
    ran = run_pipeline(section + "twice.csv\n", True)
    assert ran.error("t") == (
        f"TableError: {folder}/twice.csv:1: 2 columns are named 'x': give each column that is read a name of its own"
    )
    # The target among the columns read as features would be given to the model to predict from.
    ran = run_pipeline(section + "twice.csv\ncolumns = a, label\n", True)
    assert ran.error("t") == (
        f"TableError: {folder}/twice.csv: the target 'label' is among the columns to read as features: take it out"
        " of columns"
    )
    ran = run_pipeline(section + "twice.csv\ncolumns = a, a\n", True)
    assert ran.error("t") == f"TableError: {folder}/twice.csv: the option columns gives 'a' twice"
    # Columns not read may share a name, or have none (a spreadsheet's empty columns at the end).
    assert run_pipeline(section + "twice.csv\ncolumns = a\n").output("t").features.tolist() == [[1.0]]
    ran = run_pipeline(section + "empty.csv\n", True)
    assert ran.error("t") == (
        f"TableError: {folder}/empty.csv:3, column 'a': expected a number, got '' (a missing value is written nan;"
        " sklearn.impute.SimpleImputer fills it)"
    )
    data = run_pipeline(section.replace("label", "étiquette") + "excel.csv\n").output("t")
    assert (data.feature_names, data.target_names) == (("x",), ("p", "q"))


def test_a_target_of_many_whole_numbers_is_read_as_classes_and_the_log_says_how_to_make_it_a_quantity(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    folder = write_files({"prices.csv": "x,price\n" + "".join(f"{i},{100 + 7 * i}\n" for i in range(30))})
    section = f"[t]\ntype = {BUNDLED}.input.csv\npath = {folder}/prices.csv\ntarget = price\n"
    ran = run_pipeline(section + f"[split]\ntype = {BUNDLED}.data.split\n", True)
    assert ran.log("t") == [
        "read 30 rows, 1 feature, a target of 30 classes (whole numbers: task = regression if it is a quantity)"
        " from prices.csv"
    ]
    assert "give task = regression to the module that reads it" in (ran.error("split") or "")


def test_a_change_to_the_file_after_it_was_read_makes_the_module_outdated_and_a_run_reads_it_again(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    import sqlite3

    from pimlico_lite import compute_statuses, run

    path = write_files({"animals.csv": CSV}) / "animals.csv"
    ran = run_pipeline(f"[t]\ntype = {BUNDLED}.input.csv\npath = {path}\ntarget = species\n")

    def status() -> tuple[str, tuple[str, ...]]:
        found = compute_statuses(ran.pipeline, ran.store)["t"]
        return found.state.value, found.reasons

    assert status() == ("COMPLETE", ())
    path.write_text(CSV + "3.0,50,dog\n")
    assert status() == ("OUTDATED", (f"file {path} changed since the module read it",))
    assert run(ran.pipeline, run_all=True).completed == ["t"]
    assert (ran.output("t").features.shape, status()) == ((4, 2), ("COMPLETE", ()))
    path.unlink()
    assert status() == ("OUTDATED", (f"file {path} is gone since the module read it",))
    # A record made before files were signed holds no signature: it stays COMPLETE (an upgrade re-runs nothing).
    with sqlite3.connect(ran.store.state.path) as database:
        database.execute("UPDATE module SET upstream = '{}' WHERE name = 't'")
    assert status() == ("COMPLETE", ())


def test_the_file_is_watched_by_its_name_in_the_config_so_a_project_moved_whole_keeps_watching_it(
    tmp_path: Path,
) -> None:
    import json
    import sqlite3

    from pimlico_lite import compute_statuses, load_pipeline, run
    from pimlico_lite.store import Store

    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "animals.csv").write_text(CSV)
    (project / "p.conf").write_text(
        f"[pipeline]\nname = p\nstore = store\n\n[t]\ntype = {BUNDLED}.input.csv\npath = data/animals.csv\n"
        "target = species\n"
    )
    assert run(load_pipeline(project / "p.conf"), run_all=True).completed == ["t"]
    moved = tmp_path / "moved"
    project.rename(moved)  # (a copy whole, or the same folder reached through a link, is the same case)
    path = moved / "data" / "animals.csv"

    def status() -> tuple[str, tuple[str, ...]]:
        pipeline = load_pipeline(moved / "p.conf")
        found = compute_statuses(pipeline, Store(pipeline.store_path))["t"]
        return found.state.value, found.reasons

    assert status() == ("COMPLETE", ())
    stat = path.stat()
    # tar restores whole seconds, zip two: a time that lost its fraction and is within two seconds is the same.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - stat.st_mtime_ns % 1_000_000_000))
    assert status() == ("COMPLETE", ())
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - stat.st_mtime_ns % 1_000_000_000 + 3_000_000_000))
    assert status() == ("OUTDATED", (f"file {path} changed since the module read it",))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert status() == ("COMPLETE", ())
    path.write_text(CSV.replace("cat", "cow"))  # (the same size)
    assert status() == ("OUTDATED", (f"file {path} changed since the module read it",))
    # A record made before 23 November keyed the signature by the file's absolute path: still compared.
    with sqlite3.connect(moved / "store" / "p" / "state.sqlite") as database:
        (upstream,) = database.execute("SELECT upstream FROM module WHERE name = 't'").fetchone()
        # (kept by its absolute path too, for those versions: here, where it was read)
        assert json.loads(upstream) == {"file data/animals.csv": ANY, str(project / "data" / "animals.csv"): ANY}
        signature = json.loads(upstream)["file data/animals.csv"]
        database.execute("UPDATE module SET upstream = ? WHERE name = 't'", (json.dumps({str(path): signature}),))
    assert status() == ("OUTDATED", (f"file {path} changed since the module read it",))
    # Where the file system keeps whole seconds, the time read was whole: an edit a second later is a change.
    os.utime(path, ns=(stat.st_atime_ns, 1_000_000_000_000))
    with sqlite3.connect(moved / "store" / "p" / "state.sqlite") as database:
        signed = json.dumps({"file data/animals.csv": f"{path.stat().st_size}:1000000000000"})
        database.execute("UPDATE module SET upstream = ? WHERE name = 't'", (signed,))
    assert status() == ("COMPLETE", ())
    os.utime(path, ns=(stat.st_atime_ns, 1_001_000_000_000))
    assert status() == ("OUTDATED", (f"file {path} changed since the module read it",))
