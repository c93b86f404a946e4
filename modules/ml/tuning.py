"""Tunable hyperparameters, MLBlocks' idea in a config: a hyperparameter written as a range instead of a value.

``C = between(0.01, 100, log)`` is a number drawn between the two bounds (on a log scale with ``log``; an integer
when both bounds are integers), ``kernel = one_of(rbf, linear)`` one of the values listed; any other value is
fixed, as everywhere else. :func:`hyperparameter_or_range` reads them when the config loads (a malformed range is a
config error, with its file and line), and :func:`search` tries candidates drawn from them by cross-validation when
the tune stage runs. Only the search imports scikit-learn and SciPy.
"""

from __future__ import annotations

import ast
import inspect
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pimlico_lite.modules.ml.primitives import RANGES, coerce, literal

from pimlico_lite.errors import OptionError, did_you_mean, name_list

RANGE_FORMS = "between(LOW, HIGH), between(LOW, HIGH, log) or one_of(A, B, ...)"


@dataclass(frozen=True)
class Between:
    """A number between ``low`` and ``high`` (both included), an integer when both are; on a log scale with ``log``."""

    low: int | float
    high: int | float
    log: bool = False

    @property
    def integers(self) -> bool:
        """Whether the values drawn are integers."""
        return isinstance(self.low, int) and isinstance(self.high, int)

    def __repr__(self) -> str:  # as written in a config: status shows it when it changes
        return f"between({self.low!r}, {self.high!r}{', log' if self.log else ''})"

    @property
    def middle(self) -> int | float:
        """A value drawn from the middle of the range (on its scale): one to check before a search."""
        middle = math.sqrt(self.low * self.high) if self.log else (self.low + self.high) / 2
        return round(middle) if self.integers else middle


@dataclass(frozen=True)
class OneOf:
    """One of the values listed."""

    values: tuple[Any, ...]

    def __repr__(self) -> str:
        return f"one_of({', '.join(map(written, self.values))})"


def written(value: Any) -> str:
    """A value as a config writes it: words bare (``rbf``), anything else as a Python literal."""
    return value if isinstance(value, str) and value.isidentifier() and literal(value) == value else repr(value)


def hyperparameter_or_range(value: str) -> Any:
    """Convert a hyperparameter of the tune stage: ``between(...)`` or ``one_of(...)``, else as :func:`literal`."""
    text = value.strip()
    starts = tuple(f"{function}{bracket}" for function in RANGES for bracket in "([")
    try:
        tree = ast.parse(text, mode="eval").body
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        if text.startswith(starts):
            message = f"cannot read the range '{text}': write {RANGE_FORMS}"
            raise ValueError(message) from None
        return literal(text)
    if not (isinstance(tree, ast.Call) and isinstance(tree.func, ast.Name)):
        if text.startswith(starts):  # one_of(a, b), between(1, 2) * 10, one_of[a, b]
            message = f"cannot read the range '{text}': write {RANGE_FORMS}, and nothing after it"
            raise ValueError(message)
        return literal(text)
    function = tree.func.id
    if function in RANGES and text[tree.end_col_offset :].strip():  # one_of(a, b)#c: Python reads #c as a comment
        message = f"cannot read the range '{text}': write {RANGE_FORMS}, and nothing after it"
        raise ValueError(message)
    if function in _OTHER_SPELLINGS:  # scipy's and scikit-learn's searches' words for a range
        message = f"'{function}(...)' is not a range here: write {_OTHER_SPELLINGS[function]}"
        raise ValueError(message)
    if function not in RANGES:
        hint = did_you_mean(function, RANGES)
        if not hint:
            return literal(text)  # text such as sqrt(2) is passed on, as in every other stage
        message = f"'{function}(...)' is not a range{hint}: write {RANGE_FORMS}"
        raise ValueError(message)
    if tree.keywords:
        message = f"{function}(...) takes no named arguments, got '{tree.keywords[0].arg}='"
        raise ValueError(message)
    arguments = [_argument(argument, text) for argument in tree.args]
    if function == "one_of":
        if len(arguments) < 2:
            message = f"one_of(...) needs at least two values to choose from, got {len(arguments)}"
            raise ValueError(message)
        return OneOf(tuple(arguments))
    return _between(arguments)


# Ranges as scipy.stats, scikit-learn's searches and other tuners write them, and how to write each here.
_OTHER_SPELLINGS = {
    "loguniform": "between(LOW, HIGH, log)",
    "reciprocal": "between(LOW, HIGH, log)",
    "uniform": "between(LOW, HIGH)",
    "randint": "between(LOW, HIGH), with whole numbers for bounds",
    "choice": "one_of(A, B, ...)",
    "range": "between(LOW, HIGH), with whole numbers for bounds, or one_of(A, B, ...)",
}


hyperparameter_or_range.type_name = f"a hyperparameter value, or a range to tune: {RANGE_FORMS}"  # type: ignore[attr-defined]


def _argument(node: ast.expr, text: str) -> Any:
    """One value inside a range's parentheses: a bare word is text (``rbf``), true/false/none their values."""
    if isinstance(node, ast.Name):
        return literal(node.id)
    try:
        return ast.literal_eval(node)
    except ValueError:
        written = ast.get_source_segment(text, node) or ast.unparse(node)
        message = f"'{written}' is not a value: a number, a word, a Python literal, or text in quotes ('{written}')"
        raise ValueError(message) from None


_LARGEST_INTEGER = 2**63 - 1


def _between(arguments: list[Any]) -> Between:
    scale = arguments[2:]
    if len(arguments) not in (2, 3) or scale not in ([], ["log"]):
        shown = ", ".join(map(written, arguments))
        message = f"expected between(LOW, HIGH) or between(LOW, HIGH, log), got between({shown})"
        raise ValueError(message)
    low, high = arguments[:2]
    for bound in (low, high):
        if isinstance(bound, bool) or not isinstance(bound, (int, float)) or not math.isfinite(bound):
            message = f"the bounds of between(...) are numbers, got {bound!r}"
            raise ValueError(message)
        if isinstance(bound, int) and abs(bound) > _LARGEST_INTEGER:  # (scikit-learn draws 64-bit integers)
            message = f"the bounds of between(...) are at most {_LARGEST_INTEGER} either way, got {bound}"
            raise ValueError(message)
    if low >= high:
        message = f"between({low!r}, {high!r}): the low bound must be below the high one"
        raise ValueError(message)
    if scale and low <= 0:
        message = f"between({low!r}, {high!r}, log): a log scale needs a low bound above 0"
        raise ValueError(message)
    return Between(low, high, bool(scale))


def is_range(value: Any) -> bool:
    """Whether ``value`` is a range to tune rather than one value."""
    return isinstance(value, (Between, OneOf))


_NO_DEFAULT = inspect.Parameter.empty


def checked_ranges(
    path: str,
    defaults: Mapping[str, Any],
    ranges: Mapping[str, Between | OneOf],
    key: Callable[[str], str],
    warn: Callable[[str], None],
) -> dict[str, Between | OneOf]:
    """``ranges`` converted to the type of each hyperparameter's default, as one value would be: each ``one_of``
    value (failing, with the option named, when it cannot be of that type), and the integer bounds of a ``between``
    of a number (drawing numbers, not integers). Integer bounds draw integers otherwise, said through ``warn`` when
    the default is not a number (``gamma='scale'`` takes any number; ``max_features='sqrt'`` counts too), or is
    None and the bounds hold two whole numbers only (``KernelRidge``'s ``gamma = between(0, 1)``; ``max_depth =
    between(1, 30)`` is not said); a ``between`` of a true-or-false hyperparameter fails."""
    checked: dict[str, Between | OneOf] = {}
    for name, tuned in ranges.items():
        default = defaults.get(name, _NO_DEFAULT)
        if isinstance(tuned, OneOf):
            checked[name] = OneOf(tuple(coerce(path, key(name), value, default) for value in tuned.values))
        elif isinstance(default, bool):
            message = f"{path} takes true or false here (the default is {default!r}): tune it with one_of(true, false)"
            raise OptionError(key(name), message)
        elif isinstance(default, float) and tuned.integers:  # C = between(1, 100) means any number between
            checked[name] = Between(float(tuned.low), float(tuned.high), tuned.log)
        elif tuned.integers and not isinstance(default, int):
            # Whole numbers, as written (max_features='sqrt' takes counts), but said: gamma='scale' takes any
            # number, and between(0, 1) drawing only 0 and 1 would go unseen.
            low, high = tuned.low, tuned.high
            two = high - low < 2
            if two or not (default is None or default is _NO_DEFAULT):
                why = "it has no default" if default is _NO_DEFAULT else f"its default, {default!r}, is not a number"
                warn(
                    f"{key(name)} = between({low}, {high}) draws whole numbers, as its bounds are written ({why})"
                    f"{f': only {low} and {high}' if two else ''}: write between({low}.0, {high}) for any number"
                    " between"
                )
            checked[name] = tuned
        else:
            checked[name] = tuned
    return checked


@dataclass(frozen=True)
class Trial:
    """One candidate tried: its hyperparameters, its scores on the folds, and its mean fit time."""

    hyperparameters: dict[str, Any]
    scores: tuple[float, ...]
    fit_seconds: float

    @property
    def score(self) -> float:
        """The mean score over the folds (NaN if a fold's scorer gave NaN)."""
        return sum(self.scores) / len(self.scores)

    @property
    def spread(self) -> float:
        """The standard deviation of the scores over the folds."""
        mean = self.score
        return math.sqrt(sum((score - mean) ** 2 for score in self.scores) / len(self.scores))


def arguments(hyperparameters: Mapping[str, Any]) -> str:
    """Hyperparameters for a log line or a message (floats to 4 significant digits, with a point: ``1.0`` is not
    ``1`` to some estimators; the trials keep every digit)."""
    return ", ".join(
        f"{name}={_short(value)}" if isinstance(value, float) else f"{name}={value!r}"
        for name, value in hyperparameters.items()
    )


def _short(value: float) -> str:
    text = f"{value:.4g}"
    return text if any(character in text for character in ".einf") else f"{text}.0"


def candidates(ranges: Mapping[str, Any], trials: int, seed: int) -> list[dict[str, Any]]:
    """At most ``trials`` sets of hyperparameters drawn from ``ranges`` with ``seed``, no two alike; every
    combination once when the ranges are countable (lists, and integers between bounds) and have no more
    combinations than ``trials``."""
    from sklearn.model_selection import ParameterSampler

    values = {name: _values(tuned) for name, tuned in ranges.items()}
    countable = all(choices is not None for choices in values.values())
    combinations = math.prod(len(choices) for choices in values.values() if choices is not None)
    if countable and (combinations <= trials or all(isinstance(tuned, OneOf) for tuned in ranges.values())):
        # Few enough to list: drawn without repeats (and every one when there are no more than the trials).
        space = {name: list(choices) for name, choices in values.items() if choices is not None}
        drawn = ParameterSampler(space, n_iter=min(trials, combinations), random_state=seed)
    else:
        # Drawn as the distributions say (integers on a log scale, say), which can draw one candidate twice when
        # every range is countable: a repeat is passed over. The draws go on in the same order, so the first
        # candidates are those drawn before.
        space = {name: _distribution(tuned) for name, tuned in ranges.items()}
        drawn = ParameterSampler(space, n_iter=trials * _DRAWS_PER_TRIAL, random_state=seed)
    unique: dict[str, dict[str, Any]] = {}
    for candidate in drawn:
        plain = {name: _plain(value) for name, value in sorted(candidate.items())}
        unique.setdefault(repr(plain), plain)
        if len(unique) == trials:
            break
    return list(unique.values())


# How many draws per candidate wanted, at most, to find candidates unlike those drawn before.
_DRAWS_PER_TRIAL = 20


def _values(tuned: Between | OneOf) -> Sequence[Any] | None:
    """Every value a range can take, when there are a countable few (a list, integers between bounds); else None."""
    if isinstance(tuned, OneOf):
        return tuned.values
    return range(int(tuned.low), int(tuned.high) + 1) if tuned.integers else None


class _LogIntegers:
    """Integers between two bounds on a log scale (SciPy draws integers only uniformly)."""

    def __init__(self, low: int, high: int) -> None:
        from scipy.stats import loguniform

        self.low, self.high = low, high
        self.floats = loguniform(low, high + 1)

    def rvs(self, random_state: Any = None) -> int:
        return min(self.high, int(self.floats.rvs(random_state=random_state)))


def _distribution(tuned: Between | OneOf) -> Any:
    """What scikit-learn's ParameterSampler draws from for a range: a list, or a SciPy distribution."""
    from scipy.stats import loguniform, randint, uniform

    if isinstance(tuned, OneOf):
        return list(tuned.values)
    if tuned.integers:
        return _LogIntegers(int(tuned.low), int(tuned.high)) if tuned.log else randint(tuned.low, tuned.high + 1)
    return loguniform(tuned.low, tuned.high) if tuned.log else uniform(tuned.low, tuned.high - tuned.low)


def _plain(value: Any) -> Any:
    """A drawn value as a plain Python value (SciPy and NumPy give NumPy scalars), for JSON and for messages."""
    return value.item() if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)) else value


def search(
    estimator: Any,
    data: Any,
    drawn: list[dict[str, Any]],
    folds: int,
    scoring: Any,
    steps: Any = None,
) -> Iterator[Trial]:
    """Score each candidate of ``drawn`` by ``folds``-fold cross-validation of ``estimator`` on ``data`` (stratified
    for a classifier, as scikit-learn does), after the transforms ``steps`` (fitted or not: they are fitted again
    in each fold) if given. A candidate that fails stops the search: the values it was drawn from were checked
    before (each value a one_of lists), so it failed on the data (more neighbours than a fold has rows, say), which
    the other candidates may meet too; better said at once than after every other candidate."""
    from sklearn.base import clone
    from sklearn.model_selection import cross_validate

    for hyperparameters in drawn:
        candidate = clone(estimator).set_params(**hyperparameters)
        if steps is not None:
            candidate = after_steps(steps, candidate)
        try:
            result = cross_validate(
                candidate, data.features, data.target, cv=folds, scoring=scoring, error_score="raise"
            )
        except Exception as error:
            message = (
                f"cross-validating the candidate {arguments(hyperparameters)} failed: {type(error).__name__}: {error}"
            )
            raise ValueError(message) from error
        scores = tuple(float(score) for score in result["test_score"])
        yield Trial(hyperparameters, scores, float(sum(result["fit_time"])) / len(scores))


def after_steps(steps: Any, estimator: Any) -> Any:
    """A scikit-learn Pipeline of unfitted copies of ``steps`` (a Pipeline's, or one transform), then ``estimator``."""
    from sklearn.base import clone
    from sklearn.pipeline import Pipeline

    try:
        copied = clone(steps, safe=False)
    except (RuntimeError, TypeError) as error:
        message = (
            "the transforms of preprocess cannot be copied unfitted, to be fitted again in each fold of the search"
            f" (scikit-learn's clone: {error}); a transform's __init__ must keep its arguments as given"
        )
        raise ValueError(message) from error
    chain = list(copied.steps) if isinstance(copied, Pipeline) else [("preprocess", copied)]
    names = {name for name, _ in chain}
    last = next(name for name in ["tuned", *(f"tuned{n}" for n in range(1, len(names) + 1))] if name not in names)
    return Pipeline([*chain, (last, estimator)])


def check_folds(estimator: Any, data: Any, folds: int, key: str) -> None:
    """Fail, saying what to change, when scikit-learn cannot cut the data into ``folds`` folds: fewer rows than
    folds, or for a classifier (stratified folds) no class with as many rows as folds. (A rarer class is only
    missing from some folds: scikit-learn warns, and scores them.)"""
    from sklearn.base import is_classifier

    if data.target is not None and is_classifier(estimator):
        import numpy as np

        most = int(np.unique(data.target, return_counts=True)[1].max())
        if most < folds:
            message = (
                f"{folds} folds, but no class has that many rows in the training data (the most: {most}), and"
                " each fold takes rows of every class: give fewer folds, or more rows"
            )
            raise OptionError(key, message)
    elif data.n_rows < folds:
        raise OptionError(key, f"{folds} folds, but the training data has {data.n_rows} rows: give fewer folds")


# Scorers whose value depends on which of two classes is the positive one, and the metric each is made of.
POSITIVE_CLASS_SCORERS = {
    "f1": "f1_score",
    "precision": "precision_score",
    "recall": "recall_score",
    "jaccard": "jaccard_score",
    "average_precision": "average_precision_score",
}


def scorer_for(
    scoring: str | None, positive: str | None, data: Any, key: Callable[[str], str]
) -> tuple[Any, str | None]:
    """What ``cross_validate`` scores by, and the class counted as positive when ``scoring`` depends on which of the
    two classes of ``data`` is (scikit-learn counts class 1: the second name of ``data.target_names``, which for
    labels read from a file is the second in alphabetical order); ``positive`` names another."""
    names = list(data.target_names) if data.target_names is not None else []
    if scoring not in POSITIVE_CLASS_SCORERS or len(names) != 2:
        if positive is not None:
            scored_by = scoring or "the estimator's own score()"
            message = (
                f"for a scoring that counts one of two classes as positive ({', '.join(POSITIVE_CLASS_SCORERS)}),"
                f" with a target of two named classes; here the scoring is {scored_by}, and the target has"
                f" {len(names) or 'no named'} classes"
            )
            raise OptionError(key("positive_class"), message)
        return scoring, None
    if positive is None or positive == names[1]:
        return scoring, names[1]
    if positive not in names:
        hint = did_you_mean(positive, names)
        raise OptionError(key("positive_class"), f"no class '{positive}'{hint}; classes: {name_list(names)}")
    from sklearn import metrics

    function = getattr(metrics, POSITIVE_CLASS_SCORERS[scoring])
    response = ("decision_function", "predict_proba") if scoring == "average_precision" else "predict"
    return metrics.make_scorer(function, response_method=response, pos_label=names.index(positive)), positive


def check_scoring(scoring: str | None, key: str) -> None:
    """Fail with the valid names (and "did you mean") when ``scoring`` (set by the config key ``key``) is not one of
    scikit-learn's scorers."""
    from sklearn.metrics import get_scorer_names

    names = sorted(get_scorer_names())
    if scoring is not None and scoring not in names:
        hint = did_you_mean(scoring, names)
        message = f"'{scoring}' is not one of scikit-learn's scorers{hint}; scorers: {name_list(names)}"
        raise OptionError(key, message)
