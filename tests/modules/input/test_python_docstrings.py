"""input.python_docstrings: standard-library docstrings, per module or per class and function."""

from __future__ import annotations

from tests.modules.conftest import BUNDLED, RunPipeline


def test_one_document_per_module(run_pipeline: RunPipeline) -> None:
    corpus = run_pipeline(f"[docs]\ntype = {BUNDLED}.input.python_docstrings\npackages = json, csv\n").output("docs")
    documents = dict(corpus)
    assert list(documents) == ["json", "csv"]
    assert "JSON (JavaScript Object Notation)" in documents["json"]


def test_one_document_per_member_named_by_package_with_submodules(run_pipeline: RunPipeline) -> None:
    body = f"[docs]\ntype = {BUNDLED}.input.python_docstrings\npackages = json\nper = member\nsubmodules = true\n"
    documents = dict(run_pipeline(body).output("docs"))
    assert "json/json.decoder.JSONDecoder" in documents
    assert all(name.startswith("json/json") for name in documents)
    # a class's document holds its methods' docstrings too
    assert "Return the Python representation of ``s``" in documents["json/json.decoder.JSONDecoder"]
