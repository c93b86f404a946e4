"""Write data.json into output_dir("data") by hand, unless told not to."""

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        folder = self.output_dir("data")
        if self.options["write"]:
            (folder / "data.json").write_text('{"written": "by hand"}')
