from testmods.common import EchoExecutor as ModuleExecutor  # noqa: F401
