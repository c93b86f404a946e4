"""The first example of the design document: internal connections between three stages."""

from testmods.seed.first.info import ModuleInfo as FirstInfo
from testmods.seed.second.info import ModuleInfo as SecondInfo
from testmods.seed.third.info import ModuleInfo as ThirdInfo

from pimlico_lite import InternalModuleConnection, ModuleStage, multistage_module

ModuleInfo = multistage_module(
    "internal",
    [
        ModuleStage("stage1", FirstInfo),
        ModuleStage("stage2", SecondInfo, connections=[InternalModuleConnection("data", "corpus")]),
        ModuleStage("stage3", ThirdInfo, connections=[InternalModuleConnection("data", "corpus", "stage1")]),
    ],
)
