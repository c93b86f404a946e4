"""Hints for an unknown option: each names an option that exists, or the form an undeclared one takes, or none."""

from __future__ import annotations

import pytest

from pimlico_lite.pipeline.hints import unknown_option_hint
from pimlico_lite.pipeline.module_types import import_module_type

BUNDLED = "pimlico_lite.modules"


@pytest.mark.parametrize(
    ("module_type", "key", "hint"),
    [
        ("ml.model_train", "batch_size", " (did you mean 'evaluate_batch_size'?)"),
        ("ml.model_train", "evalute_batch_size", " (did you mean 'evaluate_batch_size'?)"),
        ("ml.model_train", "tran_C", " (did you mean 'train_C'?)"),  # an undeclared option, its prefix misspelt
        ("ml.model_train", "trian_C", " (did you mean 'train_C'?)"),
        ("ml.model_train", "evaluate_C", " (stage evaluate has no option 'C')"),
        ("ml.model_tune", "tune_primitve", " (did you mean 'tune_primitive'?)"),
        ("ml.model_tune", "train_primitve", " (did you mean 'tune_primitive'?)"),
        ("ml.model_tune", "batch_size", " (did you mean 'evaluate_batch_size'?)"),
        ("ml.model_tune", "Tune_C", " (did you mean 'tune_C'?)"),  # (not tune_seed)
        ("ml.model_tune", "tuning_C", " (did you mean 'tune_C'?)"),  # (not tune_scoring)
        # A stage's name in another case, or misspelt, and its option misspelt too: the option, not the key mended.
        ("ml.model_tune", "Tune_scorin", " (did you mean 'tune_scoring'?)"),
        ("ml.model_tune", "tunes_trial", " (did you mean 'tune_trials'?)"),
        ("ml.model_tune", "Evaluate_foo", " (stage evaluate has no option 'foo')"),
        ("text.word_stats", "Top", " (did you mean 'frequencies_top'?)"),
        ("text.word_stats", "frequencies_min_count", " (did you mean 'min_count'?)"),
        ("text.word_stats", "top", " (did you mean 'frequencies_top'?)"),
        # Nothing close: no hint rather than an option made up from the key (preprocess_foo, train_foo).
        ("ml.model_train", "foo", ""),
        ("ml.model_train", "C", ""),
        ("ml.model_train", "seed", ""),
        ("ml.model_tune", "seeds", ""),
        ("ml.model_tune", "cv", ""),
    ],
)
def test_a_hint_names_only_what_exists(module_type: str, key: str, hint: str) -> None:
    info = import_module_type(f"{BUNDLED}.{module_type}")
    assert unknown_option_hint(key, info, info.option_specs()) == hint


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("stage2_threshold", " (did you mean 'threshold'? It sets stage stage2's option 'cutoff'.)"),
        ("Stage2_Seed", " (did you mean 'stage2_seed'?)"),
        ("SEED", " (did you mean 'stage2_seed' or 'stage3_seed'?)"),
    ],
)
def test_a_hint_knows_what_feeds_a_stage_and_case_does_not_count(key: str, hint: str) -> None:
    info = import_module_type("testmods.seed.options")  # (tests/ is on the path: conftest.py)
    assert unknown_option_hint(key, info, info.option_specs()) == hint
