"""Write a set, or a generator, as JSON."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        words = ["a", "b", "a"]
        if self.options["value"] == "set":
            self.write_output("counts", set(words))
        else:
            self.write_output("counts", (word.upper() for word in words))
