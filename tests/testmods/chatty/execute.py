"""Log from four threads at once."""

import threading

from pimlico_lite import BaseModuleExecutor


class ModuleExecutor(BaseModuleExecutor):
    def execute(self) -> None:
        def talk(number: int) -> None:
            for line in range(300):
                self.log.info("thread %d line %d %s", number, line, "x" * 200)

        threads = [threading.Thread(target=talk, args=(number,)) for number in range(4)]
        for thread in threads:
            thread.start()
        for _ in self.progress(range(2000)):
            pass
        for thread in threads:
            thread.join()
        self.write_output("data", "done")
