"""The module API: module-info declarations, executors, options and converters, multistage modules."""

from pimlico_lite.core.executor import BaseModuleExecutor, ExecutionContext
from pimlico_lite.core.info import BaseModuleInfo
from pimlico_lite.core.multistage import (
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleOutputConnection,
    ModuleStage,
    MultistageModuleInfo,
    multistage_module,
)
from pimlico_lite.core.names import Address
from pimlico_lite.core.options import (
    OptionSpec,
    choose_from_list,
    comma_separated_list,
    comma_separated_strings,
    integer_at_least,
    random_seed,
    rows_or_fraction,
    str_to_bool,
    text_encoding,
)

__all__ = [
    "Address",
    "BaseModuleExecutor",
    "BaseModuleInfo",
    "ExecutionContext",
    "InternalModuleConnection",
    "ModuleInputConnection",
    "ModuleOutputConnection",
    "ModuleStage",
    "MultistageModuleInfo",
    "OptionSpec",
    "choose_from_list",
    "comma_separated_list",
    "comma_separated_strings",
    "integer_at_least",
    "multistage_module",
    "random_seed",
    "rows_or_fraction",
    "str_to_bool",
    "text_encoding",
]
