"""The generated reference pages: what they say, and that the committed ones are up to date."""

from __future__ import annotations

from pathlib import Path

from pimlico_lite.pipeline.module_types import import_module_type
from pimlico_lite.reference import outdated_pages, page_name, render_all, render_module_page

DOCS = Path(__file__).parent.parent / "docs" / "modules"


def test_the_committed_pages_match_the_declarations() -> None:
    assert outdated_pages(DOCS) == [], "run scripts/docs and commit docs/modules/"


def test_a_page_lists_inputs_outputs_and_options_with_types_defaults_and_help() -> None:
    page = render_module_page("pimlico_lite.modules.data.split", import_module_type("pimlico_lite.modules.data.split"))
    assert "# Train/test split" in page
    assert "| `data` | [Dataset](datatypes.md#dataset) | yes |" in page
    assert "| `train` | [Dataset](datatypes.md#dataset) |" in page
    assert "| `test_size` | rows or fraction | `0.25` | The test set's size: a fraction of the rows (below 1)" in page
    assert "| `stratify` | boolean | `True` |" in page


def test_a_multistage_page_shows_its_stages_and_where_dynamic_options_go() -> None:
    path = "pimlico_lite.modules.ml.model_train"
    page = render_module_page(path, import_module_type(path))
    assert "| `train` | [pimlico_lite.modules.ml.primitive.fit](ml.primitive.fit.md) |" in page
    assert "Options starting with `train_` go to stage `train`" in page
    assert "| `train_primitive` | string | **required** |" in page
    assert page_name(path) == "ml.model_train.md"


def test_every_bundled_module_type_and_the_datatypes_have_a_page() -> None:
    pages = render_all()
    assert {"README.md", "datatypes.md", "ml.report.md", "text.vocabulary.md", "input.csv.md"} <= set(pages)
    assert "## FittedModel" in pages["datatypes.md"]


def test_a_code_block_in_a_docstring_stays_a_code_block_while_rst_code_becomes_markdown_code() -> None:
    path = "pimlico_lite.modules.ml.model_tune"
    page = render_module_page(path, import_module_type(path))
    assert "\n```ini\n[model_tune]\ntype = pimlico_lite.modules.ml.model_tune\n" in page
    assert "\n```\n\nEvery candidate, with its score, is the output `model_tune:tune.trials`" in page
