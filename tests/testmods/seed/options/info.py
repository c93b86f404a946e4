"""The option-connections example: one multistage option feeds two stage options."""

from testmods.seed.first.info import ModuleInfo as FirstInfo
from testmods.seed.second.info import ModuleInfo as SecondInfo
from testmods.seed.third.info import ModuleInfo as ThirdInfo

from pimlico_lite import InternalModuleConnection, ModuleInputConnection, ModuleStage, multistage_module

ModuleInfo = multistage_module(
    "options",
    [
        ModuleStage(
            "stage1",
            FirstInfo,
            [ModuleInputConnection("raw_data", "first_data")],
            option_connections={"threshold": "threshold"},
        ),
        ModuleStage(
            "stage2",
            SecondInfo,
            [InternalModuleConnection("data"), ModuleInputConnection("raw_data", "second_data")],
            option_connections={"cutoff": "threshold"},
        ),
        ModuleStage("stage3", ThirdInfo, [InternalModuleConnection("data", "corpus", "stage1")]),
    ],
)
