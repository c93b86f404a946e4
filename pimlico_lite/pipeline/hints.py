"""Did-you-mean for an option that a module type does not have, knowing the stages of a multistage module.

A hint names only an option that exists, or the form an undeclared option of a stage takes (``train_C``); when
nothing is close, there is no hint, or one that says the stage named has no such option.
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
        stage = max((name for name in info.stage_names() if key.startswith(f"{name}_")), key=len, default=None)
        if stage is not None:
            return _stage_hint(key, stage, info, options)
    # The closer of a declared option and an undeclared one with a stage's prefix mended (Tune_C: tune_C, not
    # tune_seed).
    near = closest(key, [name for name in (closest(key, options), _undeclared(key, info)) if name], 0)
    suffix = f"_{key.casefold()}"
    return _hint([near] if near else [name for name in options if name.casefold().endswith(suffix)])


def _hint(names: list[str]) -> str:
    """`` (did you mean 'a' or 'b'?)`` for ``names`` (``seed``: ``stage2_seed`` or ``stage3_seed``), or nothing."""
    return f" (did you mean {' or '.join(repr(name) for name in names)}?)" if names else ""


def _stage_hint(key: str, stage: str, info: type[MultistageModuleInfo], options: list[str]) -> str:
    """The hint for a key that starts with the name of ``stage``: what sets the option of the stage that the rest
    of the key names, or nearly (``stage2_cutof``: ``threshold``, when option_connections map stage2's ``cutoff``
    to it); else an option of that name (``model_eval_threshold``: ``threshold``); else an option of another stage
    whose name starts alike (``model_evl_seed``: ``model_eval_seed``); else that the stage has no such option."""
    rest = key[len(stage) + 1 :]
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
    if stage in info.dynamic_option_stages.values():
        return ""  # (one it takes under another prefix: the module runs, and the stage's class says)
    return f" (stage {stage} has no option '{rest}')"


def _undeclared(key: str, info: type[BaseModuleInfo]) -> str:
    """An undeclared option of a stage with the stage's prefix misspelt (``tran_C``: ``train_C``); empty when the key
    starts like no such prefix. (Whether the stage takes the name that follows is known when it runs: ``preprocess``
    of ``ml.model_train`` takes ``STEP__NAME`` only, and says so then.)"""
    if not issubclass(info, MultistageModuleInfo):
        return ""
    guesses = []
    for prefix in info.dynamic_option_stages:
        stage = prefix.removesuffix("_")
        for position, character in enumerate(key):
            head, tail = key[:position], key[position + 1 :]
            if character == "_" and tail and stage and closest(head, [stage]) is not None:
                guesses.append(f"{prefix}{tail}")
    return closest(key, guesses, 0) or ""
