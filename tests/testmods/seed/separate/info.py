"""The design document's example of two stages whose ``raw_data`` inputs come from different data sources.

Written as the document writes it: stage2 names only its ``raw_data`` connection, so it does not depend on stage1.
"""

from testmods.seed.first.info import ModuleInfo as FirstInfo
from testmods.seed.second.info import ModuleInfo as SecondInfo
from testmods.seed.third.info import ModuleInfo as ThirdInfo

from pimlico_lite import InternalModuleConnection, ModuleInputConnection, ModuleStage, multistage_module

ModuleInfo = multistage_module(
    "separate",
    [
        ModuleStage("stage1", FirstInfo, [ModuleInputConnection("raw_data", "first_data")]),
        ModuleStage("stage2", SecondInfo, [ModuleInputConnection("raw_data", "second_data")]),
        ModuleStage("stage3", ThirdInfo, [InternalModuleConnection("data", "corpus", "stage1")]),
    ],
)
