"""A multistage module type whose definition misspells an argument of ModuleStage."""

from testmods.seed.first.info import ModuleInfo as FirstInfo

from pimlico_lite import ModuleStage, multistage_module

ModuleInfo = multistage_module("m", [ModuleStage("s1", FirstInfo, output_connection=[])])  # type: ignore[call-arg]
