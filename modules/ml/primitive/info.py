"""Declare the primitive multistage module type: fit, then produce."""

from pimlico_lite.modules.ml.primitive.fit.info import ModuleInfo as FitInfo
from pimlico_lite.modules.ml.primitive.produce.info import ModuleInfo as ProduceInfo

from pimlico_lite import (
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleOutputConnection,
    ModuleStage,
    multistage_module,
)

# fit takes the primitive and its hyperparameters without a prefix (primitive=, n_components=); produce's option
# is produce_method=, so that a hyperparameter called method (PowerTransformer's, TSNE's) reaches the primitive.
# The multistage module offers the produced data; the fitted model is the output NAME:fit.model, which another
# module can read to reuse the model without refitting.
ModuleInfo = multistage_module(
    "primitive",
    [
        ModuleStage(
            "fit",
            FitInfo,
            [ModuleInputConnection("data", "train")],
            use_stage_option_names=True,
        ),
        ModuleStage(
            "produce",
            ProduceInfo,
            [InternalModuleConnection("model"), ModuleInputConnection("data")],
            [ModuleOutputConnection("data")],
            option_connections={"method": "produce_method"},
            use_stage_option_names=True,
        ),
    ],
)
