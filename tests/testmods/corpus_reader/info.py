"""A module that takes a text corpus only."""

from pimlico_lite import BaseModuleInfo
from pimlico_lite.datatypes import Datatype, TextCorpus


class ModuleInfo(BaseModuleInfo):
    module_type_name = "corpus_reader"
    module_inputs = [("corpus", TextCorpus())]
    module_outputs = [("data", Datatype())]
