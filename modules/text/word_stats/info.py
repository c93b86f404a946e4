"""Declare the word_stats multistage module type: vocabulary, then frequencies."""

from pimlico_lite.modules.text.word_stats.frequencies.info import ModuleInfo as FrequenciesInfo
from pimlico_lite.modules.text.word_stats.vocabulary.info import ModuleInfo as VocabularyInfo

from pimlico_lite import (
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleStage,
    multistage_module,
)

ModuleInfo = multistage_module(
    "word_stats",
    [
        ModuleStage("vocabulary", VocabularyInfo, option_connections={"min_count": "min_count"}),
        ModuleStage(
            "frequencies",
            FrequenciesInfo,
            connections=[
                InternalModuleConnection("vocabulary"),
                ModuleInputConnection("tokens"),
            ],
        ),
    ],
)
