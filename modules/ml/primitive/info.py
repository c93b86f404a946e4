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
# is method=. The fitted model is an output too, so another module can reuse it without refitting.
ModuleInfo = multistage_module(
    "primitive",
    [
        ModuleStage(
            "fit",
            FitInfo,
            [ModuleInputConnection("data", "train")],
            [ModuleOutputConnection("model")],
            use_stage_option_names=True,
        ),
        ModuleStage(
            "produce",
            ProduceInfo,
            [InternalModuleConnection("model"), ModuleInputConnection("data")],
            [ModuleOutputConnection("data")],
            use_stage_option_names=True,
        ),
    ],
)
