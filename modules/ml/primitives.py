"""Primitives in MLBlocks' sense: classes and functions named by dotted path, built from checked hyperparameters.

Used by the ML executors only (never by an ``info.py``), so importing the wrapped library happens when a module
runs, not when a pipeline loads. The options that a config gives beyond the declared ones are the hyperparameters:
they arrive converted by :func:`literal` and are checked here against the primitive's signature, by name (with
"did you mean") and by the type of each default.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pimlico_lite.core.options import str_to_bool
from pimlico_lite.errors import OptionError, closest, did_you_mean, name_list

_WORDS = {"true": True, "false": False, "none": None, "null": None}
# The ranges of tunable hyperparameters (modules/ml/tuning.py), which only the tune stage of ml.model_tune takes.
RANGES = ("between", "one_of")


def literal(value: str) -> Any:
    """Convert a hyperparameter from the config: a Python literal, true/false/none in any case, or else the text."""
    text = value.strip()
    if text.startswith(tuple(f"{function}(" for function in RANGES)):
        message = (
            f"'{text}' is a range to tune, and only the tune stage of ml.model_tune tunes hyperparameters: give one"
            " value here"
        )
        raise ValueError(message)
    if text.lower() in _WORDS:
        return _WORDS[text.lower()]
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return text


literal.type_name = "a hyperparameter value (number, true/false, none, a Python literal, or text)"  # type: ignore[attr-defined]

DYNAMIC_HYPERPARAMETERS = {
    "help": "A hyperparameter of the primitive (an argument of its constructor), checked against its signature when"
    " the module runs",
    "type": literal,
}


def import_primitive(path: str, named_by: str) -> Any:
    """Import the class or function that ``package.module.Name`` names; fail with a message that says what is wrong
    (an :class:`OptionError` of ``named_by``, the config key that names it)."""
    module_name, _, name = path.strip().rpartition(".")
    if not module_name:
        raise OptionError(named_by, f"'{path}': expected a dotted path such as sklearn.preprocessing.StandardScaler")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise OptionError(named_by, f"'{path}': cannot import {module_name} ({error})") from None
    if not hasattr(module, name):
        public = [n for n in dir(module) if not n.startswith("_")]
        raise OptionError(named_by, f"'{path}': {module_name} has no '{name}'{did_you_mean(name, public)}")
    return getattr(module, name)


def hyperparameter_defaults(primitive: Callable[..., Any]) -> tuple[dict[str, Any], bool] | None:
    """The keyword arguments ``primitive`` names, with their defaults (``inspect.Parameter.empty`` if none), and
    whether it takes others too (``**kwargs``); None when the signature cannot be read (some compiled functions)."""
    try:
        signature = inspect.signature(primitive)
    except (TypeError, ValueError):
        return None
    parameters = {}
    takes_others = False
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_KEYWORD:
            takes_others = True
        elif parameter.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY):
            parameters[parameter.name] = parameter.default
    return parameters, takes_others


def _same(name: str) -> str:
    return name


def check_hyperparameters(
    path: str,
    primitive: Callable[..., Any],
    given: Mapping[str, Any],
    skip: Sequence[str] = (),
    key: Callable[[str], str] = _same,
    options: Sequence[str] = (),
) -> dict[str, Any]:
    """Check ``given`` against the primitive's signature; return them converted to the types of the defaults.

    ``skip`` names arguments that the module passes itself (the data), which are not hyperparameters. ``key`` gives
    the config key of a hyperparameter, for messages (``train_C`` for ``C``: the executor's ``option_key``).
    ``options``: the module's declared options, which a misspelt name may have meant too (``trails``: ``trials``).
    """
    signature = hyperparameter_defaults(primitive)
    if signature is None:
        return dict(given)
    defaults, takes_others = signature
    known = {name: default for name, default in defaults.items() if name not in skip}
    checked = {}
    for name, value in given.items():
        if name in known:
            checked[name] = coerce(path, key(name), value, known[name])
        elif takes_others:  # **kwargs: the primitive judges the names it does not declare
            checked[name] = value
        else:
            message = (
                f"not a hyperparameter of {path}{_hint(name, [*known, *options], key)};"
                f" its hyperparameters: {name_list(known)}"
            )
            raise OptionError(key(name), message)
    return checked


def _hint(name: str, known: Iterable[str], key: Callable[[str], str] = _same) -> str:
    """Did you mean: the same name in another case (``c`` for ``C``) first, else the closest name; as config keys."""
    same = [candidate for candidate in known if candidate.lower() == name.lower()]
    match = same[0] if same else closest(name, known)
    return f" (did you mean '{key(match)}'?)" if match else ""


def coerce(path: str, name: str, value: Any, default: Any) -> Any:
    """Convert ``value`` to the type of ``default`` where that is safe; fail when it cannot be that type.

    Text is passed on as it is (a word is the primitive's to judge: ``IsotonicRegression(increasing="auto")``),
    but for a boolean default the words of a boolean option (yes/no, on/off, t/f, y/n) become True and False. A
    number stays as written, an integer too where the default is a float: for some hyperparameters the two mean
    different things (``RandomForestRegressor(max_features=1)`` is one feature, ``1.0`` all of them).
    """
    if default is inspect.Parameter.empty or default is None or value is None or isinstance(value, str):
        if isinstance(default, bool) and isinstance(value, str):
            return _boolean_word(path, name, value, default)
        return value
    if isinstance(default, bool):
        if isinstance(value, int):  # 1 and 0, as a declared boolean option takes them; other numbers (verbose=2) pass
            return bool(value) if value in (0, 1) else value
        return _expect(path, name, value, default, "true or false")
    if isinstance(default, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float):
            return value  # many integer hyperparameters also take a fraction (max_features=0.5)
        return _expect(path, name, value, default, "an integer")
    if isinstance(default, float):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return _expect(path, name, value, default, "a number")
    return value


def _boolean_word(path: str, name: str, value: str, default: bool) -> Any:
    """A boolean option's word as True or False; a misspelt true or false fails; any other word passes on."""
    try:
        return str_to_bool(value)
    except ValueError:
        pass
    near = closest(value.lower(), ("true", "false"))
    if near is not None:
        message = f"{path} expects true or false (the default is {default!r}), got {value!r} (did you mean '{near}'?)"
        raise OptionError(name, message)
    return value


def _expect(path: str, name: str, value: Any, default: Any, what: str) -> Any:
    raise OptionError(name, f"{path} expects {what} (the default is {default!r}), got {value!r}")


def build(
    path: str,
    hyperparameters: Mapping[str, Any],
    named_by: str,
    key: Callable[[str], str] = _same,
    options: Sequence[str] = (),
) -> tuple[Any, dict[str, Any]]:
    """Import the class at ``path`` (named by the config key ``named_by``) and instantiate it with checked
    hyperparameters; return it and them (``options``: see :func:`check_hyperparameters`).

    A scikit-learn estimator (1.2 and later) checks its hyperparameters' values here, as its ``fit`` would first:
    a value it refuses fails before any data is read, naming the config key that set it.
    """
    primitive = import_primitive(path, named_by)
    if not inspect.isclass(primitive):
        raise OptionError(named_by, f"'{path}' is not a class (use ml.function for functions such as numpy.log1p)")
    checked = check_hyperparameters(path, primitive, hyperparameters, key=key, options=options)
    estimator = primitive(**checked)
    if checked:
        check_values(estimator, path, checked, key)
    return estimator, checked


def check_values(estimator: Any, path: str, given: Mapping[str, Any], key: Callable[[str], str] = _same) -> None:
    """Check the hyperparameters ``given`` to ``estimator`` as a scikit-learn estimator's ``fit`` checks them first
    (scikit-learn 1.2 and later, through a private method used only when it is there); fail naming the config key
    of the one it refuses."""
    validate = getattr(estimator, "_validate_params", None)
    if not callable(validate):
        return
    try:
        validate()
    except Exception as error:
        refused = _REFUSED.match(str(error))
        name = refused.group(1) if refused else None
        if name is not None and name in given:
            raise OptionError(key(name), f"{path} refuses {given[name]!r}: {error}") from None
        keys = ", ".join(key(name) for name in given)
        message = f"{path} refuses a hyperparameter given ({keys}): {type(error).__name__}: {error}"
        raise ValueError(message) from None


# How scikit-learn's parameter validation names the parameter it refuses.
_REFUSED = re.compile(r"The '(\w+)' parameter")


def fit(estimator: Any, data: Any, path: str) -> None:
    """Fit ``estimator`` on a data set: its features, and its target if it has one."""
    if data.target is None:
        check_target(estimator, data, path)
        estimator.fit(data.features)
    else:
        estimator.fit(data.features, data.target)


def not_a_predictor(estimator: Any, path: str) -> str | None:
    """Why ``estimator`` cannot be scored against a target (it has no ``predict()``, or it is a clusterer, whose
    cluster numbers are not classes); None when it can."""
    from sklearn.base import ClusterMixin

    if not hasattr(estimator, "predict"):
        return f"{path} has no predict()"
    if isinstance(estimator, ClusterMixin):
        return f"{path} is a clusterer: the numbers of its clusters are not the target's classes"
    return None


def check_target(estimator: Any, data: Any, path: str) -> None:
    """Fail, saying so, when ``estimator`` is a classifier or a regressor and the data set has no target."""
    from sklearn.base import is_classifier, is_regressor

    if data.target is None and (is_classifier(estimator) or is_regressor(estimator)):
        kind = "classifier" if is_classifier(estimator) else "regressor"
        message = f"{path} is a {kind}, and the data set has no target to fit it on (give its input a target column)"
        raise ValueError(message)


def step_names(paths: Sequence[str]) -> list[str]:
    """Name steps as scikit-learn's make_pipeline does: the lower-cased class name, then ``-1``, ``-2`` on repeats."""
    names = [path.rpartition(".")[2].lower() for path in paths]
    counts = {name: names.count(name) for name in names}
    seen: dict[str, int] = {}
    result = []
    for name in names:
        if counts[name] > 1:
            seen[name] = seen.get(name, 0) + 1
            result.append(f"{name}-{seen[name]}")
        else:
            result.append(name)
    return result


def split_step_hyperparameters(
    steps: Sequence[str], given: Mapping[str, Any], key: Callable[[str], str] = _same
) -> dict[str, dict[str, Any]]:
    """Sort ``step__name`` hyperparameters by step; fail on a key without ``__`` or with an unknown step."""
    by_step: dict[str, dict[str, Any]] = {step: {} for step in steps}
    for option, value in given.items():
        step, separator, name = option.partition("__")
        if not separator or not name:
            message = f"name a step's hyperparameter as STEP__NAME; steps: {name_list(steps)}"
            raise OptionError(key(option), message)
        if step not in by_step:
            raise OptionError(key(option), f"no step '{step}'{_hint(step, steps)}; steps: {name_list(steps)}")
        by_step[step][name] = value
    return by_step


def describe(estimator: Any) -> dict[str, Any]:
    """Every hyperparameter of a fitted object, defaults included (``get_params`` for scikit-learn objects)."""
    get_params = getattr(estimator, "get_params", None)
    if get_params is None:
        return {}
    return {name: value for name, value in get_params(deep=False).items() if not callable(value)}
