"""Two stages: a source, then one that refuses a value of its option ``value`` above ``limit``."""

from testmods.refuses_option.info import ModuleInfo as RefusesInfo
from testmods.source.info import ModuleInfo as SourceInfo

from pimlico_lite import ModuleStage, multistage_module

ModuleInfo = multistage_module("refusing_stages", [ModuleStage("first", SourceInfo), ModuleStage("check", RefusesInfo)])
