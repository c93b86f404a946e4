"""Two stages that take undeclared options: the first without a prefix, the second with 'second_'."""

from testmods.dynamic.info import ModuleInfo as DynamicInfo

from pimlico_lite import ModuleStage, multistage_module

ModuleInfo = multistage_module(
    "dynamic_stages",
    [
        ModuleStage("first", DynamicInfo, use_stage_option_names=True),
        ModuleStage("second", DynamicInfo),
    ],
)
