"""Declare the model_tune multistage module type: preprocess, tune, evaluate."""

from pimlico_lite.modules.ml.model_train.info import preprocess_fit_evaluate
from pimlico_lite.modules.ml.model_tune.tune.info import ModuleInfo as TuneInfo

from pimlico_lite import InternalModuleConnection, ModuleInputConnection

# Options: preprocess_primitives and preprocess_STEP__NAME, tune_primitive, tune_NAME (a hyperparameter, one value
# or a range), tune_trials, tune_folds, tune_scoring, tune_seed, evaluate_batch_size.
ModuleInfo = preprocess_fit_evaluate(
    "model_tune",
    "tune",
    TuneInfo,
    __name__,
    # Each candidate is scored with the preprocessing fitted again in each fold (see the tune stage).
    [
        InternalModuleConnection("preprocess", "model", "preprocess"),
        ModuleInputConnection("unprocessed", "train"),
    ],
)
