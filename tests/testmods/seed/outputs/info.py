"""The output-connections example: two stage outputs offered, one renamed."""

from testmods.seed.first.info import ModuleInfo as FirstInfo
from testmods.seed.second.info import ModuleInfo as SecondInfo
from testmods.seed.third.info import ModuleInfo as ThirdInfo

from pimlico_lite import (
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleOutputConnection,
    ModuleStage,
    multistage_module,
)

ModuleInfo = multistage_module(
    "outputs",
    [
        ModuleStage("stage1", FirstInfo, [ModuleInputConnection("raw_data", "first_data")]),
        ModuleStage(
            "stage2",
            SecondInfo,
            [InternalModuleConnection("data"), ModuleInputConnection("raw_data", "second_data")],
            output_connections=[ModuleOutputConnection("model")],
        ),
        ModuleStage(
            "stage3",
            ThirdInfo,
            [InternalModuleConnection("data", "corpus", "stage1")],
            [ModuleOutputConnection("model", "stage3_model")],
        ),
    ],
)
