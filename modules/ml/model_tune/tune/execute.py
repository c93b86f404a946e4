"""Execute the tune module type."""

import math
from typing import Any

from pimlico_lite.modules.ml.evaluation import align
from pimlico_lite.modules.ml.primitives import (
    build,
    check_hyperparameters,
    check_target,
    check_values,
    describe,
    fit,
    hyperparameter_defaults,
    not_a_predictor,
)
from pimlico_lite.modules.ml.tuning import (
    RANGE_FORMS,
    OneOf,
    Trial,
    arguments,
    candidates,
    check_folds,
    check_scoring,
    checked_ranges,
    is_range,
    scorer_for,
    search,
    written,
)

from pimlico_lite import BaseModuleExecutor
from pimlico_lite.datatypes import FittedEstimator
from pimlico_lite.errors import OptionError


class ModuleExecutor(BaseModuleExecutor):
    """Draw candidates from the ranges, score each by cross-validation, fit the best on all the data."""

    def execute(self) -> None:
        """Tune."""
        from sklearn.base import clone

        path = self.options["primitive"]
        given = self.info.dynamic_options(self.options)
        ranges = {name: value for name, value in given.items() if is_range(value)}
        if not ranges:
            message = (
                f"no hyperparameter of {path} is a range to tune: write one as {self.option_key('NAME')} ="
                f" {RANGE_FORMS}"
            )
            raise OptionError(self.option_key("primitive"), message)
        stepped = next((name for name in given if "__" in name), None)
        if stepped is not None:
            message = (
                f"tune takes {path}'s own hyperparameters; a transform's (STEP__NAME) is given to preprocess"
                f" (preprocess_{stepped}), one value, with which its transforms are fitted: they are not tuned"
            )
            raise OptionError(self.option_key(stepped), message)
        fixed = {name: value for name, value in given.items() if name not in ranges}
        # Check everything before the data is read: a mistake fails at once, not after a slow search. A misspelt
        # option of the stage (trails) reaches here as a hyperparameter: the hints offer the stage's options too.
        # The values given one each are checked as the estimator's fit would check them first, so that a wrong one
        # is not blamed on the first candidate tried.
        declared = list(self.info.option_specs())
        estimator, _ = build(path, fixed, self.option_key("primitive"), key=self.option_key, options=declared)
        if not hasattr(estimator, "set_params"):
            message = f"{path} has no set_params(): tuning needs a scikit-learn-style estimator"
            raise OptionError(self.option_key("primitive"), message)
        refused = not_a_predictor(estimator, path)
        if refused:
            message = f"{refused}: the estimator to tune must be a classifier or a regressor, scored by its predictions"
            raise OptionError(self.option_key("primitive"), message)
        check_hyperparameters(path, type(estimator), dict.fromkeys(ranges), key=self.option_key, options=declared)
        signature = hyperparameter_defaults(type(estimator))
        ranges = checked_ranges(path, signature[0] if signature else {}, ranges, self.option_key, self.log.warning)
        for name, tuned in ranges.items():  # each value listed, and the middle of a range, as the values given one were
            for value in tuned.values if isinstance(tuned, OneOf) else (tuned.middle,):
                try:
                    check_values(clone(estimator).set_params(**{name: value}), path, {name: value}, self.option_key)
                except OptionError as error:
                    raise OptionError(error.key, error.message + _drawn_from(given[name], tuned)) from None
        scoring, folds = self.options["scoring"], self.options["folds"]
        check_scoring(scoring, self.option_key("scoring"))
        drawn = candidates(ranges, self.options["trials"], self.options["seed"])

        data = self.read_input("data")
        check_target(estimator, data, path)
        check_folds(estimator, data, folds, self.option_key("folds"))
        scored_on, steps = self.unprocessed(data)
        scorer, positive = scorer_for(scoring, self.options["positive_class"], data, self.option_key)
        if positive is not None:
            named_by = self.option_key("positive_class")
            self.log.info("%s counts class '%s' as the positive one (%s names another)", scoring, positive, named_by)
        tried: list[Trial] = []
        for trial in self.progress(search(estimator, scored_on, drawn, folds, scorer, steps), total=len(drawn)):
            tried.append(trial)
            hyperparameters = arguments(trial.hyperparameters)
            self.log.info("candidate %d/%d, %s: %s", len(tried), len(drawn), hyperparameters, _result(trial))
        scored = [trial for trial in tried if not math.isnan(trial.score)]
        if not scored:
            message = (
                f"no candidate got a score: {_score_name(estimator, scoring)} gave NaN for every one ({folds} folds"
                f" of {data.n_rows} rows: too few in each?)"
            )
            raise ValueError(message)
        best = max(scored, key=lambda trial: trial.score)  # the first drawn of equals: repeatable

        estimator.set_params(**best.hyperparameters)
        fit(estimator, data, path)
        fitted = FittedEstimator(estimator, path, describe(estimator), data.feature_names, data.target_names)
        self.write_output("model", fitted)
        self.write_output("trials", _record(path, scoring, positive, folds, self.options["seed"], best, tried))
        self.log.info(
            "best of %d candidates by %d-fold %s, %s: %s; fitted on all %d rows",
            len(tried),
            folds,
            _score_name(estimator, scoring),
            arguments(best.hyperparameters),
            _result(best),
            data.n_rows,
        )

    def unprocessed(self, data: Any) -> tuple[Any, Any]:
        """What the candidates are cross-validated on, and the transforms fitted again in each fold (None when the
        data was not transformed): the inputs ``unprocessed`` and ``preprocess``, given both or neither."""
        preprocess, unprocessed = self.read_input("preprocess"), self.read_input("unprocessed")
        if preprocess is None and unprocessed is None:
            return data, None
        if preprocess is None or unprocessed is None:
            missing, given = ("preprocess", "unprocessed") if preprocess is None else ("unprocessed", "preprocess")
            message = f"the input {given} is given without {missing}: give both (transforms and their data), or neither"
            raise ValueError(message)
        unprocessed = align(unprocessed, preprocess)
        if unprocessed.n_rows != data.n_rows:
            message = (
                f"the input unprocessed has {unprocessed.n_rows} rows and data {data.n_rows}: unprocessed must be the"
                " rows that the transforms of preprocess were fitted on, before them"
            )
            raise ValueError(message)
        return unprocessed, preprocess.estimator


def _drawn_from(written: Any, tuned: Any) -> str:
    """What to add to the error of a value of a range the estimator refuses: where the value came from, and, for
    whole-number bounds drawn as numbers (the default is a float), how to have whole numbers."""
    if isinstance(tuned, OneOf):
        return ""
    said = f" (the middle of {written!r})"
    if written.integers and not tuned.integers and written.high - written.low < 20:
        listed = ", ".join(str(number) for number in range(written.low, written.high + 1))
        said += f"; its default is a number, so any number is drawn: for whole numbers, list them: one_of({listed})"
    return said


def _score_name(estimator: Any, scoring: str | None) -> str:
    """What the candidates are scored by: the scorer named, or what the estimator's own score() computes."""
    from sklearn.base import is_classifier, is_regressor

    if scoring is not None:
        return scoring
    return "accuracy" if is_classifier(estimator) else "R²" if is_regressor(estimator) else "score()"


def _result(trial: Trial) -> str:
    return f"{trial.score:.4f} ± {trial.spread:.4f} ({trial.fit_seconds:.3f} s per fit)"


def _record(
    path: str, scoring: str | None, positive: str | None, folds: int, seed: int, best: Trial, tried: list[Trial]
) -> dict[str, Any]:
    """The trials output: every candidate in the order drawn, ranked by mean score (1 is the best; a candidate
    whose score is NaN has neither, as JSON has no NaN)."""
    scores = [trial.score for trial in tried if not math.isnan(trial.score)]
    trials = []
    for trial in tried:
        scored = not math.isnan(trial.score)
        trials.append(
            {
                "hyperparameters": trial.hyperparameters,
                "score": trial.score if scored else None,
                "std": trial.spread if scored else None,
                "fit_seconds": trial.fit_seconds,
                "rank": 1 + sum(score > trial.score for score in scores) if scored else None,
            }
        )
    return {
        "primitive": path,
        "scoring": scoring,
        "positive_class": positive,
        "folds": folds,
        "seed": seed,
        "best": best.hyperparameters,
        # (as a config writes them: JSON has no tuple, and its keys are text, so best may not take them back whole)
        "best_written": {name: written(value) for name, value in best.hyperparameters.items()},
        "best_score": best.score,
        "trials": trials,
    }
