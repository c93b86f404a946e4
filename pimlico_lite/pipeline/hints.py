"""Did-you-mean for an option that a module type does not have, knowing the stages of a multistage module.

A hint names an option that exists, or an undeclared option of a stage that takes them (``train_C`` of
``ml.model_train``) when the key names that stage with its prefix misspelt; when nothing is close, there is no hint,
or one that says the stage named has no such option. (Whether a stage takes the name of an undeclared option is
known when it runs: ``preprocess`` of ``ml.model_train`` takes ``STEP__NAME`` only, and says so then.)
"""

from __future__ import annotations

from collections.abc import Iterable

from pimlico_lite.core.info import BaseModuleInfo
from pimlico_lite.core.multistage import MultistageModuleInfo
from pimlico_lite.errors import closest

# How close a key must be to an option of another stage than the one its start names (model_evl_seed, meaning
# model_eval_seed): closer than a plain misspelling, since keys that start alike share much by that alone.
_ACROSS_STAGES = 0.8


def unknown_option_hint(key: str, info: type[BaseModuleInfo], options: Iterable[str]) -> str:
    """The hint, `` (did you mean 'x'?)`` or the like, for ``key``, not an option of ``info``; or an empty string."""
    options = list(options)
    if issubclass(info, MultistageModuleInfo):
        named = _stage_named(key, info)
        if named is not None:
            return _stage_hint(key, *named, info, options)
    near = closest(key, options)
    suffix = f"_{key.casefold()}"
    return _hint([near] if near else [name for name in options if name.casefold().endswith(suffix)])


def _hint(names: list[str]) -> str:
    """`` (did you mean 'a' or 'b'?)`` for ``names`` (``seed``: ``stage2_seed`` or ``stage3_seed``), or nothing."""
    return f" (did you mean {' or '.join(repr(name) for name in names)}?)" if names else ""


def _stage_named(key: str, info: type[MultistageModuleInfo]) -> tuple[str, str, bool] | None:
    """The stage whose name the key starts with, then ``_`` (the longest such), what follows, and whether the name
    was written otherwise (in another case, or misspelt: ``Tune_C``, ``tran_C``); None when it names no stage."""
    stages = sorted(info.stage_names(), key=len, reverse=True)
    for stage in stages:
        if key.startswith(f"{stage}_"):
            return stage, key[len(stage) + 1 :], False
    for stage in stages:
        if key.casefold().startswith(f"{stage.casefold()}_"):
            return stage, key[len(stage) + 1 :], True
    for position, character in enumerate(key):
        misspelt = closest(key[:position], stages) if character == "_" and position else None
        if misspelt is not None and key[position + 1 :]:
            return misspelt, key[position + 1 :], True
    return None


def _stage_hint(
    key: str, stage: str, rest: str, mended: bool, info: type[MultistageModuleInfo], options: list[str]
) -> str:
    """The hint for a key that names ``stage`` and then ``rest``: what sets the option of the stage that ``rest``
    names, or nearly (``stage2_cutof``: ``threshold``, when option_connections map stage2's ``cutoff`` to it); else
    an option of that name (``model_eval_threshold``: ``threshold``), or of another stage whose name starts alike
    (``model_evl_seed``: ``model_eval_seed``); else, for a stage that takes undeclared options, the key with the
    stage's name mended (``tran_C``: ``train_C``); else that the stage has no such option."""
    fed_by = info.stage_options[stage]  # the stage's option -> the multistage option that sets it
    match: str | None
    if rest in fed_by.values():  # (stage2_threshold: threshold, which sets stage2's cutoff)
        match = next(option for option, main in fed_by.items() if main == rest)
    else:
        match = rest if rest in fed_by else closest(rest, fed_by)
    if match is not None:
        feeds = "" if fed_by[match] == f"{stage}_{match}" else f" It sets stage {stage}'s option '{match}'."
        return f" (did you mean '{fed_by[match]}'?{feeds})"
    others = [name for name in options if name not in fed_by.values()]
    near = rest if rest in others else closest(key, others, _ACROSS_STAGES)
    if near is not None:
        return _hint([near])
    prefix = next((prefix for prefix, owner in info.dynamic_option_stages.items() if owner == stage), None)
    if prefix is None:
        return f" (stage {stage} has no option '{rest}')"
    return _hint([prefix + rest]) if mended and prefix else ""
