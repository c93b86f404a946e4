"""Declare the model_train multistage module type: preprocess, train, evaluate."""

from pimlico_lite.modules.ml.model_train.evaluate.info import ModuleInfo as EvaluateInfo
from pimlico_lite.modules.ml.model_train.preprocess.info import ModuleInfo as PreprocessInfo
from pimlico_lite.modules.ml.primitive.fit.info import ModuleInfo as FitInfo

from pimlico_lite import (
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleOutputConnection,
    ModuleStage,
    multistage_module,
)

# Options: preprocess_primitives and preprocess_STEP__NAME, train_primitive and train_NAME (the estimator's
# hyperparameters), evaluate_batch_size. Changing a train_ option leaves preprocess COMPLETE.
ModuleInfo = multistage_module(
    "model_train",
    [
        ModuleStage("preprocess", PreprocessInfo, [ModuleInputConnection("data", "train")]),
        ModuleStage("train", FitInfo, [InternalModuleConnection("data", "data", "preprocess")]),
        ModuleStage(
            "evaluate",
            EvaluateInfo,
            [
                InternalModuleConnection("model", "model", "train"),
                InternalModuleConnection("preprocess", "model", "preprocess"),
                ModuleInputConnection("data", "test"),
            ],
            [ModuleOutputConnection("metrics"), ModuleOutputConnection("predictions")],
        ),
    ],
)
