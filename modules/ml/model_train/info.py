"""Declare the model_train multistage module type: preprocess, train, evaluate."""

from collections.abc import Sequence

from pimlico_lite.modules.ml.model_train.evaluate.info import ModuleInfo as EvaluateInfo
from pimlico_lite.modules.ml.model_train.preprocess.info import ModuleInfo as PreprocessInfo
from pimlico_lite.modules.ml.primitive.fit.info import ModuleInfo as FitInfo

from pimlico_lite import (
    BaseModuleInfo,
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleOutputConnection,
    ModuleStage,
    multistage_module,
)
from pimlico_lite.core import MultistageModuleInfo
from pimlico_lite.core.multistage import InputConnection


def preprocess_fit_evaluate(
    name: str,
    fit_stage: str,
    fit_info: type[BaseModuleInfo],
    module: str,
    fit_connections: Sequence[InputConnection] = (),
) -> type[MultistageModuleInfo]:
    """The three stages: preprocess, then ``fit_stage`` (a ``fit_info`` taking ``data`` and giving ``model``, and
    whatever ``fit_connections`` give it), then evaluate, as the module type of the ``info`` module ``module``.
    ``ml.model_tune`` is the same with a stage that tunes the estimator."""
    info = multistage_module(
        name,
        [
            ModuleStage("preprocess", PreprocessInfo, [ModuleInputConnection("data", "train")]),
            ModuleStage(
                fit_stage, fit_info, [InternalModuleConnection("data", "data", "preprocess"), *fit_connections]
            ),
            ModuleStage(
                "evaluate",
                EvaluateInfo,
                [
                    InternalModuleConnection("model", "model", fit_stage),
                    InternalModuleConnection("preprocess", "model", "preprocess"),
                    ModuleInputConnection("data", "test"),
                ],
                [ModuleOutputConnection("metrics"), ModuleOutputConnection("predictions")],
            ),
        ],
    )
    info.__module__ = module  # (multistage_module names the module that called it: this one)
    return info


# Options: preprocess_primitives and preprocess_STEP__NAME, train_primitive and train_NAME (the estimator's
# hyperparameters), evaluate_batch_size. Changing a train_ option leaves preprocess COMPLETE.
ModuleInfo = preprocess_fit_evaluate("model_train", "train", FitInfo, __name__)
