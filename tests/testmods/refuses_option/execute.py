"""Raise OptionError for a value above the limit; else write an empty output."""

from pimlico_lite import BaseModuleExecutor, OptionError


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        value, limit = self.options["value"], self.options["limit"]
        if value > limit:
            raise OptionError(self.option_key("value"), f"{value} is above the limit {limit}")
        self.output_dir("data")
