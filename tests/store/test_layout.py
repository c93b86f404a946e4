"""Store folders and module locks."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pimlico_lite.errors import StoreError
from pimlico_lite.store import Store


def test_module_folders_nest_stages_under_their_module(tmp_path: Path) -> None:
    store = Store(tmp_path)
    assert store.module_dir("tokens") == tmp_path / "modules" / "tokens"
    assert store.run_dir("ms:train", 4) == tmp_path / "modules" / "ms" / "train" / "run-4"
    assert store.partial_dir("ms:train", 4) == tmp_path / "modules" / "ms" / "train" / "run-4.partial"


@pytest.mark.parametrize("name", ["..", "../x", "a/b", "/etc", "a:..", "", "a:b:c/d"])
def test_names_that_could_leave_the_store_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(StoreError):
        Store(tmp_path).module_dir(name)


def test_remove_runs_keeps_only_the_named_run(tmp_path: Path) -> None:
    store = Store(tmp_path)
    for name in ("run-1", "run-2", "run-3.partial", "run-3.partial-0123456789ab"):
        (store.module_dir("a") / name).mkdir(parents=True)
    (store.module_dir("a") / "run-3.log").write_text("a line\n")
    store.remove_runs("a", keep=2)
    assert [p.name for p in store.module_dir("a").iterdir()] == ["run-2"]
    store.remove_module("a")
    assert not store.module_dir("a").exists()


def test_files_of_a_users_own_named_run_something_are_not_runs(tmp_path: Path) -> None:
    store = Store(tmp_path)
    folder = store.module_dir("a")
    (folder / "run-1").mkdir(parents=True)
    own = ["run-notes.txt", "run-1.bak", "run-1.partial.old", "run-²", "run-"]
    for name in own:
        (folder / name).write_text("mine")
    assert store.run_bytes("a") == 0
    store.remove_module("a")
    assert sorted(p.name for p in folder.iterdir()) == sorted(own)


def test_run_bytes_counts_the_files_of_the_runs_alone(tmp_path: Path) -> None:
    store = Store(tmp_path)
    folder = store.module_dir("m")
    (folder / "run-1" / "data").mkdir(parents=True)
    (folder / "run-1" / "data" / "x").write_bytes(b"12345")
    (folder / "run-2.log").write_bytes(b"abc")
    (folder / "notes").write_bytes(b"not a run's")
    (tmp_path / "big").write_bytes(b"0" * 1000)
    (folder / "run-3").symlink_to(tmp_path / "big")  # (links are not followed)
    (folder / "run-1" / "data" / "link").symlink_to(tmp_path / "big")
    assert store.run_bytes("m") == 5 + 3 + len(str(tmp_path / "big"))
    assert store.run_bytes("never") == 0


def test_a_lock_excludes_other_holders_until_released(tmp_path: Path) -> None:
    store = Store(tmp_path)
    first, second = store.lock("a"), store.lock("a")
    assert first.acquire(blocking=False)
    assert not second.acquire(blocking=False)
    assert second.is_held_elsewhere()
    first.release()
    assert second.acquire(blocking=False)
    second.release()
    assert not first.is_held_elsewhere()


def test_a_lock_is_released_when_its_process_is_killed(tmp_path: Path) -> None:
    store = Store(tmp_path)
    lock = store.lock("a")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from pimlico_lite.store import Store;"
            " Store(Path(sys.argv[1])).lock('a').acquire(); print('held', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "held\n"
    assert lock.is_held_elsewhere()
    holder.kill()
    holder.communicate(timeout=30)
    assert lock.acquire(blocking=False)
    lock.release()


def test_a_symlink_leading_out_of_the_store_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    (outside / "run-1").mkdir(parents=True)
    store = Store(tmp_path / "store")
    (store.path / "modules").mkdir(parents=True)
    (store.path / "modules" / "a").symlink_to(outside)
    with pytest.raises(StoreError, match="leads outside the store"):
        store.remove_module("a")
    with pytest.raises(
        StoreError, match=r"leads outside the store .*: refusing to use it; to keep outputs elsewhere, link"
    ):
        store.checked_module_dir("a")
    assert (outside / "run-1").is_dir()  # nothing outside was touched


def test_a_module_folder_is_checked_for_links_once_per_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store(tmp_path / "store")
    (store.path / "modules" / "ms" / "train").mkdir(parents=True)
    looked_at: list[str] = []
    lstat = os.lstat

    def counted(path: str) -> os.stat_result:
        looked_at.append(path)
        return lstat(path)

    monkeypatch.setattr(os, "lstat", counted)
    assert store.checked_module_dir("ms:train") == store.path / "modules" / "ms" / "train"
    assert [Path(path).name for path in looked_at] == ["modules", "ms", "train"]
    store.checked_module_dir("ms:train")
    store.checked_module_dir("ms:test")  # not made yet: only its own folder is looked for, and again next time
    store.checked_module_dir("ms:test")
    assert [Path(path).name for path in looked_at[3:]] == ["test", "test"]


def test_a_symlinked_store_root_is_fine(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert Store(tmp_path / "link").run_dir("a", 1) == tmp_path / "link" / "modules" / "a" / "run-1"


@pytest.mark.parametrize("file", ["modules/a", "modules"])
def test_a_file_where_a_module_folder_should_be_is_a_store_error(tmp_path: Path, file: str) -> None:
    store = Store(tmp_path / "store")
    (tmp_path / "store" / file).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / "store" / file).write_text("not a folder")
    with pytest.raises(StoreError, match=r"a file stands where the folder .*/modules/a \(or one above it\) should be"):
        store.lock("a").acquire(blocking=False)
    assert (tmp_path / "store" / file).read_text() == "not a folder"
    assert not store.lock("a").is_held_elsewhere()  # (status asks: a file holds no lock, and is no traceback)


def test_a_folder_that_cannot_be_made_is_a_store_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(self: Path, *args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(StoreError) as raised:
        Store(tmp_path / "store").lock("a").acquire(blocking=False)
    assert str(raised.value) == (
        f"cannot use the store: cannot make the folder {tmp_path}/store/modules/a: Read-only file system"
    )


def test_a_folder_above_deleted_while_the_lock_makes_the_folder_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (a reset of another stage of the same module removes their common folder at that moment)
    mkdir = Path.mkdir
    failures = [OSError(errno.ENOENT, "No such file or directory")]

    def races(self: Path, *args: object, **kwargs: object) -> None:
        if failures:
            raise FileNotFoundError(*failures.pop().args)
        mkdir(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "mkdir", races)
    lock = Store(tmp_path / "store").lock("ms:a")
    assert lock.acquire(blocking=False)
    lock.release()
    assert (tmp_path / "store" / "modules" / "ms" / "a").is_dir()


def test_removing_a_stage_leaves_its_module_folder_to_a_stage_that_makes_one_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "store")
    store.module_dir("ms:b").mkdir(parents=True)
    rmdir = Path.rmdir

    def not_empty_any_more(self: Path) -> None:
        if self == store.module_dir("ms:b").parent:  # another stage's lock made ms/a just now
            raise OSError(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY), str(self))
        rmdir(self)

    monkeypatch.setattr(Path, "rmdir", not_empty_any_more)
    assert store.remove_module("ms:b") == []
    assert not store.module_dir("ms:b").exists()
