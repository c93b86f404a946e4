"""ml.model_tune: hyperparameters written as ranges, searched by cross-validation on the training data alone."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import MakeConfig
from pimlico_lite.modules.ml.tuning import Between, OneOf, Trial, candidates, checked_ranges, hyperparameter_or_range

from pimlico_lite.errors import ConfigError
from pimlico_lite.execution import compute_statuses, run
from pimlico_lite.pipeline import load_pipeline
from pimlico_lite.store import Store
from tests.modules.conftest import BUNDLED, IRIS, Ran, RunPipeline

MODEL_TUNE = (
    IRIS
    + f"""
[split]
type = {BUNDLED}.data.split
test_size = 0.3

[model_tune]
type = {BUNDLED}.ml.model_tune
input_train = split.train
input_test = split.test
preprocess_primitives = sklearn.preprocessing.StandardScaler
tune_primitive = sklearn.linear_model.LogisticRegression
tune_C = between(0.001, 10, log)
tune_max_iter = 500
tune_trials = 6
tune_folds = 3
"""
)


def test_the_tune_stage_scores_each_candidate_and_fits_the_best(run_pipeline: RunPipeline) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    ran = run_pipeline(MODEL_TUNE)
    trials = ran.output("model_tune:tune", "trials")
    assert [len(trials["trials"]), trials["folds"], trials["scoring"]] == [6, 3, None]
    values = [trial["hyperparameters"]["C"] for trial in trials["trials"]]
    assert all(0.001 <= value <= 10 for value in values)
    assert len(set(values)) == 6
    best = max(trials["trials"], key=lambda trial: trial["score"])
    assert best["rank"] == 1
    for one in trials["trials"]:  # ranked as scikit-learn ranks: equal scores share the best rank among them
        assert one["rank"] == 1 + sum(other["score"] > one["score"] for other in trials["trials"])
    assert trials["best"] == best["hyperparameters"]

    # The scores are scikit-learn's own cross-validation of the preprocessing and the estimator on the training
    # rows, the scaler fitted in each fold on its training rows alone.
    unprocessed = ran.output("split", "train")
    chain = make_pipeline(StandardScaler(), LogisticRegression(C=best["hyperparameters"]["C"], max_iter=500))
    expected = cross_val_score(chain, unprocessed.features, unprocessed.target, cv=3)
    train = ran.output("model_tune:preprocess", "data")
    assert math.isclose(best["score"], expected.mean())
    assert math.isclose(best["std"], expected.std())
    # The model is the best candidate, fitted on all the training rows, with the fixed hyperparameters too.
    model = ran.output("model_tune:tune", "model")
    assert (model.estimator.C, model.estimator.max_iter) == (best["hyperparameters"]["C"], 500)
    assert model.estimator.n_features_in_ == train.n_features
    assert model.hyperparameters["C"] == best["hyperparameters"]["C"]
    # evaluate scores that model on the test rows, which the search never saw.
    metrics = ran.output("model_tune")
    assert metrics["rows"] == 45
    assert metrics["model"] == "sklearn.linear_model.LogisticRegression"
    log = ran.log("model_tune:tune")
    assert log[0].startswith(f"candidate 1/6, C={values[0]:.4g}: ")
    assert log[-1].startswith(f"best of 6 candidates by 3-fold accuracy, C={best['hyperparameters']['C']:.4g}: ")
    assert log[-1].endswith("; fitted on all 105 rows")


def test_a_transform_fitted_on_the_target_is_fitted_again_in_each_fold(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    """Features of pure noise: feature selection fitted on all the training rows picks the columns that happen to
    go with the target there, and a search that scored candidates after it would find about 0.75 where there is
    nothing to find. Fitted in each fold, as scikit-learn's Pipeline is, the scores are those of chance."""
    from sklearn.feature_selection import SelectKBest
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline

    generator = np.random.default_rng(0)
    features, target = generator.normal(size=(150, 400)), generator.integers(0, 2, 150)
    lines = [",".join([*(f"x{i}" for i in range(400)), "label"])]
    lines += [
        ",".join([*(f"{value:.6f}" for value in row), str(label)]) for row, label in zip(features, target, strict=True)
    ]
    folder = write_files({"noise.csv": "\n".join(lines) + "\n"})
    ran = run_pipeline(
        f"""
[noise]
type = {BUNDLED}.input.csv
path = {folder}/noise.csv
target = label

[model_tune]
type = {BUNDLED}.ml.model_tune
input_train = noise
input_test = noise
preprocess_primitives = sklearn.feature_selection.SelectKBest
preprocess_selectkbest__k = 10
tune_primitive = sklearn.linear_model.LogisticRegression
tune_C = between(0.01, 10, log)
tune_trials = 4
tune_folds = 3
"""
    )
    trials = ran.output("model_tune:tune", "trials")
    for trial in trials["trials"]:
        chain = make_pipeline(SelectKBest(k=10), LogisticRegression(C=trial["hyperparameters"]["C"]))
        assert math.isclose(trial["score"], cross_val_score(chain, features, target, cv=3).mean())
    assert trials["best_score"] < 0.62
    # The model is still fitted on all the training rows, after the selection fitted on them all.
    selected = ran.output("model_tune:preprocess", "data")
    assert ran.output("model_tune:tune", "model").estimator.n_features_in_ == selected.n_features == 10


def test_a_transform_that_cannot_be_copied_unfitted_fails_the_search_saying_why(run_pipeline: RunPipeline) -> None:
    body = MODEL_TUNE.replace("sklearn.preprocessing.StandardScaler", "testmods.mangles.Mangles")
    ran = run_pipeline(body, expect_failure=True)
    assert ran.result.failed == ["model_tune:tune"]
    error = ran.error("model_tune:tune") or ""
    assert error.startswith(
        "ValueError: the transforms of preprocess cannot be copied unfitted, to be fitted again in each fold of the"
        " search (scikit-learn's clone: Cannot clone object"
    )
    assert error.endswith("a transform's __init__ must keep its arguments as given")


def test_the_tune_stage_alone_takes_the_transforms_and_their_data_together(run_pipeline: RunPipeline) -> None:
    body = (
        IRIS
        + f"""
[scale]
type = {BUNDLED}.ml.primitive.fit
primitive = sklearn.preprocessing.StandardScaler

[scaled]
type = {BUNDLED}.ml.primitive.produce
input_model = scale
input_data = iris

[tune]
type = {BUNDLED}.ml.model_tune.tune
input_data = scaled
input_preprocess = scale
primitive = sklearn.linear_model.LogisticRegression
C = between(0.1, 10)
"""
    )
    ran = run_pipeline(body, expect_failure=True)
    assert ran.result.failed == ["tune"]
    assert ran.error("tune") == (
        "ValueError: the input preprocess is given without unprocessed: give both (transforms and their data), or"
        " neither"
    )
    ran = run_pipeline(
        body.replace("input_preprocess = scale\n", "input_preprocess = scale\ninput_unprocessed = iris\n")
    )
    assert len(ran.output("tune", "trials")["trials"]) == 20


def test_a_regressor_is_tuned_by_r2_or_by_the_scorer_named(run_pipeline: RunPipeline) -> None:
    body = MODEL_TUNE.replace("name = iris", "name = diabetes").replace("LogisticRegression", "Ridge")
    body = body.replace("tune_C = between(0.001, 10, log)\ntune_max_iter = 500\n", "tune_alpha = one_of(0.1, 1, 10)\n")
    ran = run_pipeline(body)
    assert ran.log("model_tune:tune")[-1].startswith("best of 3 candidates by 3-fold R², alpha=")
    scored = run_pipeline(body.replace("tune_folds = 3\n", "tune_folds = 3\ntune_scoring = neg_mean_absolute_error\n"))
    trials = scored.output("model_tune:tune", "trials")
    assert trials["scoring"] == "neg_mean_absolute_error"
    assert all(trial["score"] < 0 for trial in trials["trials"])
    assert scored.log("model_tune:tune")[-1].startswith("best of 3 candidates by 3-fold neg_mean_absolute_error")


def test_candidates_repeat_with_their_seed_and_keep_inside_their_ranges() -> None:
    ranges = {"C": Between(0.01, 100, log=True), "depth": Between(1, 30), "leaves": Between(2, 1000, log=True)}
    drawn = candidates(ranges, 50, seed=0)
    assert drawn == candidates(ranges, 50, seed=0)
    assert drawn != candidates(ranges, 50, seed=1)
    assert all(0.01 <= c["C"] <= 100 and isinstance(c["C"], float) for c in drawn)
    assert all(1 <= c["depth"] <= 30 and isinstance(c["depth"], int) for c in drawn)
    assert all(2 <= c["leaves"] <= 1000 and isinstance(c["leaves"], int) for c in drawn)
    # On a log scale, as many values below the geometric middle as above it, about.
    assert 15 <= sum(c["C"] < 1 for c in drawn) <= 35
    assert 15 <= sum(c["leaves"] < math.sqrt(2 * 1000) for c in drawn) <= 35


def test_lists_alone_give_every_combination_once_when_there_are_fewer_than_the_trials() -> None:
    ranges = {"kernel": OneOf(("rbf", "linear")), "C": OneOf((1, 10, 100))}
    drawn = candidates(ranges, 20, seed=0)
    assert len(drawn) == 6
    assert {(c["kernel"], c["C"]) for c in drawn} == {(k, c) for k in ("rbf", "linear") for c in (1, 10, 100)}
    four = candidates(ranges, 4, seed=0)
    assert len({(c["kernel"], c["C"]) for c in four}) == 4  # (without repeats)
    # Integers between bounds are countable too: three values are tried once each, not ten times among them.
    drawn = candidates({"depth": Between(1, 3), "kernel": OneOf(("rbf", "linear"))}, 10, seed=0)
    assert sorted((c["depth"], c["kernel"]) for c in drawn) == [(d, k) for d in (1, 2, 3) for k in ("linear", "rbf")]


def test_countable_ranges_with_more_combinations_than_trials_draw_no_candidate_twice() -> None:
    ranges = {"n_neighbors": Between(1, 60, log=True), "weights": OneOf(("uniform", "distance"))}
    for seed in range(5):
        drawn = candidates(ranges, 8, seed=seed)
        assert len({(c["n_neighbors"], c["weights"]) for c in drawn}) == len(drawn) == 8
    # The draws before the first repeat are those a run of fewer trials draws.
    assert candidates(ranges, 8, seed=0)[:3] == candidates(ranges, 3, seed=0)


def test_ranges_take_the_type_of_the_hyperparameters_default() -> None:
    defaults = {"C": 1.0, "depth": 3, "shrinking": True, "gamma": "scale"}
    ranges = {
        "C": Between(1, 10, log=True),  # a number: any number between, not the integers
        "depth": Between(1, 10),
        "shrinking": OneOf(("yes", "no")),
        "gamma": OneOf((0.1, "auto")),
    }
    warned: list[str] = []
    assert checked_ranges("p", defaults, ranges, str, warned.append) == {
        "C": Between(1.0, 10.0, log=True),
        "depth": Between(1, 10),
        "shrinking": OneOf((True, False)),
        "gamma": OneOf((0.1, "auto")),
    }
    assert warned == []
    depth = checked_ranges("p", {"max_depth": None}, {"max_depth": Between(1, 30)}, str, warned.append)
    assert depth == {"max_depth": Between(1, 30)}  # (None: an integer that may be left unset)
    # A default that is not a number: whole numbers as written (max_features='sqrt' counts), and said.
    key = "tune_{}".format
    assert checked_ranges("p", {"gamma": "scale"}, {"gamma": Between(0, 1)}, key, warned.append) == {
        "gamma": Between(0, 1)
    }
    assert warned == [
        "tune_gamma = between(0, 1) draws whole numbers, as its bounds are written (its default, 'scale', is not a"
        " number): only 0 and 1: write between(0.0, 1) for any number between"
    ]
    fractions = checked_ranges("p", {"gamma": "scale"}, {"gamma": Between(0.0, 1)}, str, warned.append)
    assert fractions == {"gamma": Between(0.0, 1)}
    assert len(warned) == 1
    # A default of None (KernelRidge's gamma): two whole numbers only is said; more (max_depth above) is not.
    assert checked_ranges("p", {"gamma": None}, {"gamma": Between(0, 1)}, key, warned.append) == {
        "gamma": Between(0, 1)
    }
    assert warned[1:] == [
        "tune_gamma = between(0, 1) draws whole numbers, as its bounds are written (its default, None, is not a"
        " number): only 0 and 1: write between(0.0, 1) for any number between"
    ]
    # An integer listed for a float default stays one (RandomForestRegressor's max_features=1 is one feature).
    listed = checked_ranges("p", {"max_features": 1.0}, {"max_features": OneOf((1, 0.5))}, str, warned.append)
    assert [type(value) for value in listed["max_features"].values] == [int, float]
    assert len(warned) == 2
    drawn = candidates({"C": Between(1.0, 10.0)}, 5, seed=0)
    assert len({c["C"] for c in drawn}) == 5
    assert not all(float(c["C"]).is_integer() for c in drawn)


def test_the_trials_of_a_candidate_scored_nan_have_no_score_nor_rank() -> None:
    from pimlico_lite.modules.ml.model_tune.tune.execute import _record

    scored, nan = Trial({"C": 1.0}, (0.5, 0.7), 0.1), Trial({"C": 2.0}, (math.nan, 0.7), 0.1)
    record = _record("p", None, None, 2, 0, scored, [nan, scored])
    assert [(t["score"], t["rank"]) for t in record["trials"]] == [(None, None), (pytest.approx(0.6), 1)]
    assert record["trials"][0]["std"] is None
    assert record["best"] == {"C": 1.0}


def test_the_best_hyperparameters_are_kept_as_a_config_writes_them_too(tmp_path: Path) -> None:
    # (JSON turns a tuple into a list and a dict's keys into text: class_weight {'0': 1, '1': 3} is refused)
    from pimlico_lite.modules.ml.model_tune.tune.execute import _record
    from pimlico_lite.modules.ml.primitives import literal

    from pimlico_lite.datatypes import Trials

    best = {"hidden_layer_sizes": (64, 32), "class_weight": {0: 1, 1: 3}, "kernel": "rbf", "C": 1.0, "seed": None}
    Trials().write(tmp_path, _record("p", None, None, 2, 0, Trial(best, (0.5,), 0.1), [Trial(best, (0.5,), 0.1)]))
    kept = Trials().read(tmp_path)
    assert kept["best"]["class_weight"] == {"0": 1, "1": 3}  # (what JSON gives back)
    assert kept["best_written"] == {
        "hidden_layer_sizes": "(64, 32)",
        "class_weight": "{0: 1, 1: 3}",
        "kernel": "rbf",
        "C": "1.0",
        "seed": "None",
    }
    assert {name: literal(text) for name, text in kept["best_written"].items()} == best


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("between(0.1, 100, log)", Between(0.1, 100, log=True)),
        ("between(1, 30)", Between(1, 30)),
        ("one_of(rbf, linear, 'a b', none, (10, 20))", OneOf(("rbf", "linear", "a b", None, (10, 20)))),
        ("one_of(true, False)", OneOf((True, False))),
        ("10", 10),
        ("rbf", "rbf"),
        ("sqrt(2)", "sqrt(2)"),  # not a range, nor close to one: text, as in every other stage
    ],
)
def test_a_range_is_read_as_written_and_shown_as_written(written: str, value: object) -> None:
    converted = hyperparameter_or_range(written)
    assert converted == value
    if isinstance(value, (Between, OneOf)):
        assert hyperparameter_or_range(repr(converted)) == converted


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("tune_C = between(10, 0.1)", "tune_C: between(10, 0.1): the low bound must be below the high one"),
        ("tune_C = between(0, 1, log)", "tune_C: between(0, 1, log): a log scale needs a low bound above 0"),
        ("tune_C = between(1, ten)", "tune_C: the bounds of between(...) are numbers, got 'ten'"),
        ("tune_C = between(1, 2, lin)", "tune_C: expected between(LOW, HIGH) or between(LOW, HIGH, log), got"),
        ("tune_C = betwen(1, 2)", "tune_C: 'betwen(...)' is not a range (did you mean 'between'?)"),
        ("tune_C = one_of(1)", "tune_C: one_of(...) needs at least two values to choose from, got 1"),
        ("tune_C = between(1, 2", "tune_C: cannot read the range 'between(1, 2'"),
        (
            "tune_solver = one_of(lbfgs, newton-cg)",
            "tune_solver: 'newton-cg' is not a value: a number, a word, a Python literal, or text in quotes",
        ),
        ("tune_folds = 1", "tune_folds: expected an integer of at least 2, got 1"),
        (
            "tune_C = one_of(0.1, 1)#10",
            "tune_C: cannot read the range 'one_of(0.1, 1)#10': write between(LOW, HIGH), between(LOW, HIGH, log) or"
            " one_of(A, B, ...), and nothing after it",
        ),
        (
            "tune_kernel = one_of(rbf, linear),",
            "tune_kernel: cannot read the range 'one_of(rbf, linear),': write between(LOW, HIGH), between(LOW, HIGH,"
            " log) or one_of(A, B, ...), and nothing after it",
        ),
        (
            "tuen_C = 1",
            "tuen_C: unknown option (did you mean 'tune_C'?); options of pimlico_lite.modules.ml.model_tune:",
        ),
        ("tune_trials = 0", "tune_trials: expected an integer of at least 1, got 0"),
        (
            "tune_C = loguniform(0.1, 100)",
            "tune_C: 'loguniform(...)' is not a range here: write between(LOW, HIGH, log)",
        ),
        (
            "tune_kernel = choice(rbf, linear)",
            "tune_kernel: 'choice(...)' is not a range here: write one_of(A, B, ...)",
        ),
        (
            "tune_kernel = one_of[rbf, linear]",
            "tune_kernel: cannot read the range 'one_of[rbf, linear]': write between(LOW, HIGH),",
        ),
        (
            "tune_max_depth = between(1, 100000000000000000000)",
            "tune_max_depth: the bounds of between(...) are at most 9223372036854775807 either way, got",
        ),
        (
            "preprocess_standardscaler__with_mean = one_of(true, false)",
            "preprocess_standardscaler__with_mean: 'one_of(true, false)' is a range to tune, and only the tune"
            " stage of ml.model_tune tunes hyperparameters: give one value here",
        ),
    ],
)
def test_a_malformed_range_is_a_config_error_with_its_line(make_config: MakeConfig, line: str, message: str) -> None:
    key = line.partition(" =")[0]
    kept = [written for written in MODEL_TUNE.splitlines() if not written.startswith(f"{key} =")]
    config = make_config("\n".join([*kept, line, ""]))
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    number = len(config.read_text().splitlines())
    assert f"{config.name}:{number} [model_tune] {message}" in str(raised.value)


def test_a_required_option_misspelt_is_named_at_its_line_not_taken_as_a_hyperparameter(
    make_config: MakeConfig,
) -> None:
    config = make_config(MODEL_TUNE.replace("tune_primitive =", "tune_primitve ="))
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    number = config.read_text().splitlines().index("tune_primitve = sklearn.linear_model.LogisticRegression") + 1
    assert str(raised.value) == (
        f"{config}:{number} [model_tune] tune_primitve: missing required option 'tune_primitive' (string);"
        " 'tune_primitve' is taken as an option of its own: did you mean 'tune_primitive'?"
    )


def test_a_range_in_model_train_says_where_ranges_belong(make_config: MakeConfig) -> None:
    body = MODEL_TUNE.replace("ml.model_tune", "ml.model_train").replace("tune_", "train_")
    body = body.replace("train_trials = 6\ntrain_folds = 3\n", "")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(make_config(body))
    assert "train_C: 'between(0.001, 10, log)' is a range to tune, and only the tune stage" in str(raised.value)


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            ("tune_C =", "tune_CC ="),
            "pipeline.conf:19 [model_tune] tune_CC: not a hyperparameter of sklearn.linear_model.LogisticRegression"
            " (did you mean 'tune_C'?)",
        ),
        (
            ("tune_max_iter = 500", "tune_warm_start = between(0, 1)"),
            "pipeline.conf:20 [model_tune] tune_warm_start: sklearn.linear_model.LogisticRegression takes true or"
            " false here (the default is False): tune it with one_of(true, false)",
        ),
        (
            ("tune_folds = 3", "tune_scoring = acuracy"),
            "pipeline.conf:22 [model_tune] tune_scoring: 'acuracy' is not one of scikit-learn's scorers (did you mean"
            " 'accuracy'?)",
        ),
        (
            ("tune_C = between(0.001, 10, log)", "tune_C = 1"),
            "pipeline.conf:18 [model_tune] tune_primitive: no hyperparameter of sklearn.linear_model.LogisticRegression"
            " is a range to tune: write one as tune_NAME = between(LOW, HIGH)",
        ),
        (  # each value listed, before the search
            ("tune_max_iter = 500", "tune_solver = one_of(lbfgs, newton_cg)"),
            "pipeline.conf:20 [model_tune] tune_solver: sklearn.linear_model.LogisticRegression refuses 'newton_cg':"
            " The 'solver' parameter of LogisticRegression must be",
        ),
        (  # the middle of a range, before the search
            ("tune_C = between(0.001, 10, log)", "tune_C = between(-1, 1)"),
            "pipeline.conf:19 [model_tune] tune_C: sklearn.linear_model.LogisticRegression refuses 0.0: The 'C'"
            " parameter of LogisticRegression must be a float in the range (0.0, inf]. Got 0.0 instead. (the middle"
            " of between(-1, 1)); its default is a number, so any number is drawn: for whole numbers, list them:"
            " one_of(-1, 0, 1)",
        ),
        (
            ("tune_max_iter = 500", "tune_pca__n_components = between(1, 3)"),
            "pipeline.conf:20 [model_tune] tune_pca__n_components: tune takes"
            " sklearn.linear_model.LogisticRegression's own hyperparameters; a transform's (STEP__NAME) is given to"
            " preprocess (preprocess_pca__n_components), one value",
        ),
        (
            ("tune_primitive = sklearn.linear_model.LogisticRegression", "tune_primitive = sklearn.cluster.KMeans"),
            "pipeline.conf:18 [model_tune] tune_primitive: sklearn.cluster.KMeans is a clusterer: the numbers of its"
            " clusters are not the target's classes: the estimator to tune must be a classifier or a regressor",
        ),
        (  # a value given to every candidate: not blamed on the first one tried
            ("tune_max_iter = 500", "tune_solver = newton_cg"),
            "pipeline.conf:20 [model_tune] tune_solver: sklearn.linear_model.LogisticRegression refuses 'newton_cg':"
            " The 'solver' parameter of LogisticRegression must be",
        ),
        (
            ("tune_trials = 6", "tune_trails = 6"),
            "pipeline.conf:21 [model_tune] tune_trails: not a hyperparameter of sklearn.linear_model.LogisticRegression"
            " (did you mean 'tune_trials'?)",
        ),
        (
            ("tune_folds = 3", "tune_folds = 40"),
            "pipeline.conf:22 [model_tune] tune_folds: 40 folds, but no class has that many rows in the training data"
            " (the most: 35), and each fold takes rows of every class: give fewer folds, or more rows",
        ),
    ],
)
def test_a_mistake_fails_the_tune_stage_saying_what_is_wrong(
    run_pipeline: RunPipeline, change: tuple[str, str], error: str
) -> None:
    ran = run_pipeline(MODEL_TUNE.replace(*change), expect_failure=True)
    assert ran.result.failed == ["model_tune:tune"]
    assert error in (ran.error("model_tune:tune") or "")


def _table_tune(folder: Path, target: str, primitive: str, ranges: str) -> str:
    return f"""
[t]
type = {BUNDLED}.input.csv
path = {folder}/t.csv
{target}
[m]
type = {BUNDLED}.ml.model_tune
input_train = t
input_test = t
preprocess_primitives = sklearn.preprocessing.StandardScaler
tune_primitive = {primitive}
{ranges}
tune_folds = 3
"""


@pytest.mark.filterwarnings("ignore:The least populated class in y has only 2 members")
def test_a_class_rarer_than_the_folds_is_tuned_as_scikit_learn_does(run_pipeline: RunPipeline, tmp_path: Path) -> None:
    # Stratified folds without a row of the rare class in some: scikit-learn warns, and scores them.
    rows = (
        [(n, 0.0, "a") for n in range(20)] + [(n, 10.0, "b") for n in range(20)] + [(5.0, 20.0, "c"), (6.0, 21.0, "c")]
    )
    (tmp_path / "t.csv").write_text("x,y,label\n" + "".join(f"{x},{y},{label}\n" for x, y, label in rows))
    body = _table_tune(tmp_path, "target = label", "sklearn.linear_model.LogisticRegression", "tune_C = one_of(1, 10)")
    trials = run_pipeline(body).output("m:tune", "trials")
    assert len(trials["trials"]) == 2


@pytest.mark.parametrize(
    ("target", "primitive", "error"),
    [
        (
            "",
            "sklearn.svm.SVC",
            "ValueError: sklearn.svm.SVC is a classifier, and the data set has no target to fit it on",
        ),
        (
            "target = y",
            "sklearn.linear_model.Ridge",
            "pipeline.conf:16 [m] tune_folds: 3 folds, but the training data has 2 rows: give fewer folds",
        ),
    ],
    ids=["no-target", "fewer-rows-than-folds"],
)
def test_data_that_no_candidate_could_be_scored_on_is_said_before_the_search(
    run_pipeline: RunPipeline, tmp_path: Path, target: str, primitive: str, error: str
) -> None:
    (tmp_path / "t.csv").write_text("x,y\n1,2\n3,4\n")
    ranges = "tune_alpha = one_of(1, 10)" if "Ridge" in primitive else "tune_C = one_of(1, 10)"
    ran = run_pipeline(_table_tune(tmp_path, target, primitive, ranges), expect_failure=True)
    assert error in (ran.error("m:tune") or "")
    assert ran.log("m:tune") == []  # (no candidate was tried)


def test_a_candidate_that_fails_stops_the_search_at_it(run_pipeline: RunPipeline) -> None:
    # n_neighbors = 500 is a valid value, which the folds of 105 rows cannot give neighbours enough
    body = MODEL_TUNE.replace("tune_max_iter = 500\n", "").replace(
        "sklearn.linear_model.LogisticRegression", "sklearn.neighbors.KNeighborsClassifier"
    )
    ran = run_pipeline(body.replace("tune_C = between(0.001, 10, log)", "tune_n_neighbors = one_of(3, 500)"), True)
    assert (ran.error("model_tune:tune") or "").startswith(
        "ValueError: cross-validating the candidate n_neighbors=500 failed: ValueError: Expected n_neighbors <="
    )


def test_changing_a_range_outdates_tune_and_evaluate_but_never_reruns_preprocess(make_config: MakeConfig) -> None:
    config = make_config(MODEL_TUNE)
    first = run(load_pipeline(config), run_all=True)
    assert first.completed == ["iris", "split", "model_tune:preprocess", "model_tune:tune", "model_tune:evaluate"]
    config.write_text(config.read_text().replace("between(0.001, 10, log)", "between(0.01, 10, log)"))
    pipeline = load_pipeline(config)
    statuses = compute_statuses(pipeline, Store(pipeline.store_path))
    assert str(statuses["model_tune:preprocess"].state) == "COMPLETE"
    assert statuses["model_tune:tune"].reasons == (
        "option tune_C changed: between(0.001, 10, log) -> between(0.01, 10, log)",
    )
    second = run(pipeline, run_all=True)
    assert second.completed == ["model_tune:tune", "model_tune:evaluate"]
    trials = Ran(pipeline, second).output("model_tune:tune", "trials")
    assert all(trial["hyperparameters"]["C"] >= 0.01 for trial in trials["trials"])


def test_a_scoring_that_counts_one_class_as_positive_says_which_and_takes_another(
    run_pipeline: RunPipeline, tmp_path: Path
) -> None:
    # Labels read from a file are numbered in alphabetical order: f1 counted 'malignant' as positive in one
    # pipeline and 'benign' in another, without a word. The log says which; positive_class names the other.
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score, make_scorer
    from sklearn.model_selection import cross_val_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    generator = np.random.default_rng(0)
    features = generator.normal(size=(60, 2))
    labels = np.where(features[:, 0] + generator.normal(scale=0.8, size=60) > 0.3, "malignant", "benign")
    rows = "".join(f"{x},{y},{label}\n" for (x, y), label in zip(features, labels, strict=True))
    (tmp_path / "t.csv").write_text("x,y,label\n" + rows)

    def tuned(more: str = "", fails: bool = False) -> Ran:
        ranges = f"tune_C = one_of(0.01, 1)\ntune_scoring = f1\n{more}"
        body = _table_tune(tmp_path, "target = label", "sklearn.linear_model.LogisticRegression", ranges)
        return run_pipeline(body, expect_failure=fails)

    def scores(ran: Ran) -> list[float]:
        return [trial["score"] for trial in ran.output("m:tune", "trials")["trials"]]

    default = tuned()
    said = "f1 counts class 'malignant' as the positive one (tune_positive_class names another)"
    assert default.log("m:tune")[0] == said
    by_default = scores(default)
    chosen = tuned("tune_positive_class = benign")
    assert chosen.output("m:tune", "trials")["positive_class"] == "benign"
    data = chosen.output("t")
    for index, strength in enumerate((0.01, 1)):
        chain = make_pipeline(StandardScaler(), LogisticRegression(C=strength))
        for positive, found in ((0, scores(chosen)[index]), (1, by_default[index])):  # benign is 0: alphabetical
            scorer = make_scorer(f1_score, pos_label=positive)
            expected = cross_val_score(chain, data.features, data.target, cv=3, scoring=scorer)
            assert math.isclose(found, expected.mean())
    assert scores(chosen) != by_default
    wrong = tuned("tune_positive_class = bening", fails=True)
    expected_error = "pipeline.conf:17 [m] tune_positive_class: no class 'bening' (did you mean 'benign'?); classes:"
    assert expected_error in (wrong.error("m:tune") or "")
