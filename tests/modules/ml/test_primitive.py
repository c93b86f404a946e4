"""ml.primitive: any scikit-learn-style class by dotted path, hyperparameters checked when it runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from pimlico_lite.errors import OptionError
from tests.modules.conftest import BUNDLED, IRIS, RunPipeline

SPLIT = IRIS + f"\n[split]\ntype = {BUNDLED}.data.split\ntest_size = 0.3\n"


def test_a_transformer_fits_on_train_and_transforms_another_set(run_pipeline: RunPipeline) -> None:
    body = SPLIT + (
        f"\n[scaler]\ntype = {BUNDLED}.ml.primitive\ninput_train = split.train\ninput_data = split.train\n"
        "primitive = sklearn.preprocessing.StandardScaler\nwith_std = false\n"
    )
    ran = run_pipeline(body)
    scaled = ran.output("scaler")
    assert np.allclose(scaled.features.mean(axis=0), 0)
    assert not np.allclose(scaled.features.std(axis=0), 1)  # with_std = false reached the scaler
    assert ran.output("scaler:fit").estimator.with_std is False
    assert scaled.feature_names == ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")


def test_a_boolean_hyperparameter_takes_1_and_0_like_a_boolean_option(run_pipeline: RunPipeline) -> None:
    body = SPLIT + (
        f"\n[scaler]\ntype = {BUNDLED}.ml.primitive\ninput_train = split.train\ninput_data = split.train\n"
        "primitive = sklearn.preprocessing.StandardScaler\nwith_std = 0\nwith_mean = 1\n"
    )
    estimator = run_pipeline(body).output("scaler:fit").estimator
    assert (estimator.with_std, estimator.with_mean) == (False, True)


def test_a_word_for_a_boolean_hyperparameter_is_the_primitives_to_judge(run_pipeline: RunPipeline) -> None:
    # IsotonicRegression's increasing defaults to True and also takes "auto"
    body = IRIS + (
        f"\n[pick]\ntype = {BUNDLED}.data.columns\ncolumns = 0\n"  # IsotonicRegression takes one feature
        f"\n[iso]\ntype = {BUNDLED}.ml.primitive\ninput_train = pick\ninput_data = pick\n"
        "primitive = sklearn.isotonic.IsotonicRegression\nincreasing = auto\n"
    )
    assert run_pipeline(body).output("iso:fit").estimator.increasing == "auto"


def test_a_hyperparameter_called_method_reaches_the_primitive(run_pipeline: RunPipeline) -> None:
    # produce's own option is produce_method, so method= is PowerTransformer's
    body = SPLIT + (
        f"\n[power]\ntype = {BUNDLED}.ml.primitive\ninput_train = split.train\ninput_data = split.train\n"
        "primitive = sklearn.preprocessing.PowerTransformer\nmethod = box-cox\nproduce_method = transform\n"
    )
    ran = run_pipeline(body)
    assert ran.output("power:fit").estimator.method == "box-cox"
    assert np.allclose(ran.output("power").features.mean(axis=0), 0, atol=1e-6)


def test_an_estimator_predicts_and_its_model_is_reused_without_refitting(run_pipeline: RunPipeline) -> None:
    body = SPLIT + (
        f"\n[forest]\ntype = {BUNDLED}.ml.primitive\ninput_train = split.train\ninput_data = split.test\n"
        "primitive = sklearn.ensemble.RandomForestClassifier\nn_estimators = 20\nrandom_state = 0\n"
        f"\n[metrics]\ntype = {BUNDLED}.ml.metrics\ninput = forest\n"
        f"\n[again]\ntype = {BUNDLED}.ml.primitive.produce\ninput_model = forest:fit.model\ninput_data = split.train\n"
    )
    ran = run_pipeline(body)
    predicted = ran.output("forest")
    assert predicted.predictions.shape == (45,)
    assert predicted.features.tolist() == ran.output("split", "test").features.tolist()
    assert ran.output("metrics")["metrics"]["accuracy"] > 0.85
    assert ran.output("again").predictions.shape == (105,)
    fits = [name for name in ran.result.completed if name.endswith(":fit")]
    assert fits == ["forest:fit"]
    assert ran.log("forest:fit") == [
        "fitting sklearn.ensemble.RandomForestClassifier(n_estimators=20, random_state=0) on 105 rows"
    ]


def test_predictions_for_data_without_a_target_are_named_by_the_models_classes(
    run_pipeline: RunPipeline, write_files: Callable[[dict[str, str]], Path]
) -> None:
    from sklearn.datasets import load_iris

    iris = load_iris()
    header = ",".join(iris.feature_names)
    folder = write_files({"unlabelled.csv": f"{header}\n5.1,3.5,1.4,0.2\n6.5,3.0,5.8,2.2\n"})
    body = IRIS + (
        f"\n[unlabelled]\ntype = {BUNDLED}.input.csv\npath = {folder}/unlabelled.csv\n"
        f"\n[model]\ntype = {BUNDLED}.ml.primitive\ninput_train = iris\ninput_data = unlabelled\n"
        "primitive = sklearn.linear_model.LogisticRegression\nmax_iter = 500\n"
    )
    clusters = (
        f"\n[clusters]\ntype = {BUNDLED}.ml.primitive\ninput_train = iris\ninput_data = unlabelled\n"
        "primitive = sklearn.cluster.KMeans\nn_clusters = 3\nn_init = 1\nrandom_state = 0\n"
    )
    ran = run_pipeline(body + clusters)
    predicted = ran.output("model")
    assert predicted.target is None
    names = [predicted.target_names[number] for number in predicted.predictions]
    assert names == ["setosa", "virginica"]
    # A cluster's number is not a class: no names for it.
    assert ran.output("clusters").target_names is None


@pytest.mark.parametrize(
    ("options", "key", "error"),
    [
        (
            "primitive = sklearn.decomposition.PCA\nn_component = 2\n",
            "n_component",
            "not a hyperparameter of sklearn.decomposition.PCA (did you mean 'n_components'?); its hyperparameters:"
            " 'n_components', 'copy', 'whiten',",
        ),
        (
            "primitive = sklearn.svm.SVC\nc = 2\n",
            "c",
            "not a hyperparameter of sklearn.svm.SVC (did you mean 'C'?)",
        ),
        (
            "primitive = sklearn.decomposition.PCA\nwhiten = [1]\n",
            "whiten",
            "sklearn.decomposition.PCA expects true or false (the default is False), got [1]",
        ),
        (
            "primitive = sklearn.decomposition.PCB\n",
            "primitive",
            "'sklearn.decomposition.PCB': sklearn.decomposition has no 'PCB' (did you mean 'PCA'?)",
        ),
        (
            "primitive = numpy.log1p\n",
            "primitive",
            "'numpy.log1p' is not a class (use ml.function for functions such as numpy.log1p)",
        ),
        (  # scikit-learn's own check of the values, before the data is read
            "primitive = sklearn.svm.SVC\nC = ten\n",
            "C",
            "sklearn.svm.SVC refuses 'ten': The 'C' parameter of SVC must be a float in the range (0.0, inf].",
        ),
    ],
    ids=["unknown-hyperparameter", "other-case", "bad-bool", "unknown-class", "a-function", "refused-value"],
)
def test_hyperparameter_mistakes_fail_the_fit_saying_where_the_config_sets_them(
    run_pipeline: RunPipeline, options: str, key: str, error: str
) -> None:
    body = SPLIT + f"\n[p]\ntype = {BUNDLED}.ml.primitive\ninput_train = split.train\ninput_data = split.test\n"
    ran = run_pipeline(body + options, expect_failure=True)
    assert ran.result.failed == ["p:fit"]
    said = ran.error("p:fit") or ""
    assert said.startswith(str(ran.pipeline.config_path.parent))
    assert f"{ran.where(key, 'p')} {error}" in said
    assert ran.log("p:fit") == []  # (failed before it read its data)


def test_an_integer_for_a_float_default_keeps_its_meaning(run_pipeline: RunPipeline) -> None:
    from sklearn.datasets import load_diabetes
    from sklearn.ensemble import RandomForestRegressor

    body = (
        f"[d]\ntype = {BUNDLED}.input.sklearn_dataset\nname = diabetes\nsample = 60\n"
        f"\n[p]\ntype = {BUNDLED}.ml.primitive\ninput_train = d\ninput_data = d\n"
        "primitive = sklearn.ensemble.RandomForestRegressor\nmax_features = 1\nn_estimators = 5\nrandom_state = 0\n"
    )
    ran = run_pipeline(body)
    fitted = ran.output("p:fit").estimator
    assert fitted.max_features == 1
    assert isinstance(fitted.max_features, int)
    data = ran.output("d")
    one = RandomForestRegressor(max_features=1, n_estimators=5, random_state=0).fit(data.features, data.target)
    every = RandomForestRegressor(max_features=1.0, n_estimators=5, random_state=0).fit(data.features, data.target)
    assert ran.output("p").predictions.tolist() == one.predict(data.features).tolist()
    assert one.predict(data.features).tolist() != every.predict(data.features).tolist()
    assert load_diabetes().data.shape[1] == 10  # (one feature of ten per split is not all of them)


def test_words_and_numbers_for_a_boolean_hyperparameter() -> None:
    from pimlico_lite.modules.ml.primitives import coerce

    assert coerce("p", "flag", "yes", False) is True
    assert coerce("p", "flag", 0, True) is False
    assert coerce("p", "verbose", 2, False) == 2  # LassoCV's verbose=False also takes a level
    assert coerce("p", "increasing", "auto", True) == "auto"
    with pytest.raises(OptionError, match=r"^flag: p expects true or false .* got 'flase' \(did you mean 'false'\?\)"):
        coerce("p", "flag", "flase", True)
    with pytest.raises(OptionError, match="expects true or false"):
        coerce("p", "flag", 1.0, True)


def test_a_primitive_that_takes_kwargs_gets_its_declared_hyperparameters_converted_and_others_as_given() -> None:
    from pimlico_lite.modules.ml.primitives import check_hyperparameters

    class Wrapper:
        def __init__(self, alpha: float = 1.0, verbose: bool = False, **kwargs: object) -> None:
            self.alpha, self.verbose, self.kwargs = alpha, verbose, kwargs

    checked = check_hyperparameters("my.Wrapper", Wrapper, {"alpha": 5, "verbose": "yes", "max_bin": 63})
    assert checked == {"alpha": 5, "verbose": True, "max_bin": 63}
    # An integer stays one for a float default: RandomForestRegressor's max_features=1 is a feature, 1.0 all of them.
    assert isinstance(checked["alpha"], int)
    with pytest.raises(OptionError, match=r"^alpha: my.Wrapper expects a number \(the default is 1.0\)"):
        check_hyperparameters("my.Wrapper", Wrapper, {"alpha": [1]})


def test_a_primitive_without_kwargs_refuses_an_unknown_hyperparameter() -> None:
    from pimlico_lite.modules.ml.primitives import check_hyperparameters

    class Plain:
        def __init__(self, alpha: float = 1.0) -> None:
            self.alpha = alpha

    with pytest.raises(OptionError, match=r"^Alpha: not a hyperparameter of my.Plain \(did you mean 'alpha'\?\)"):
        check_hyperparameters("my.Plain", Plain, {"Alpha": 5})
