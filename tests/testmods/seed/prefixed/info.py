"""Two stages, one's name the start of the other's: model and model_eval."""

from testmods.seed.first.info import ModuleInfo as FirstInfo
from testmods.seed.third.info import ModuleInfo as ThirdInfo

from pimlico_lite import ModuleStage, multistage_module

ModuleInfo = multistage_module("prefixed", [ModuleStage("model", FirstInfo), ModuleStage("model_eval", ThirdInfo)])
