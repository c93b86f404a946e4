"""A module type whose option declaration has a typo."""

from pimlico_lite import BaseModuleInfo


class ModuleInfo(BaseModuleInfo):
    module_type_name = "bad_options"
    module_options = {"size": {"defualt": 3}}
