"""Multistage module definitions: every case of the design document, and the mistakes it rules out."""

from __future__ import annotations

import pytest
from testmods.seed.first.info import ModuleInfo as FirstInfo
from testmods.seed.second.info import ModuleInfo as SecondInfo
from testmods.seed.third.info import ModuleInfo as ThirdInfo
from testmods.sink.info import ModuleInfo as SinkInfo

from pimlico_lite import (
    InternalModuleConnection,
    ModuleInputConnection,
    ModuleOutputConnection,
    ModuleStage,
    multistage_module,
)
from pimlico_lite.core.multistage import StageSource
from pimlico_lite.datatypes import JSONData, TextCorpus
from pimlico_lite.errors import ModuleTypeError


def main_inputs(info: type) -> dict[str, bool]:
    """Multistage input name -> is it required."""
    return {name: required for name, (_, required) in info.input_declarations().items()}


def test_no_connections_chain_default_output_to_default_input_and_first_stage_inputs_become_main() -> None:
    info = multistage_module("m", [ModuleStage("stage1", FirstInfo), ModuleStage("stage2", ThirdInfo)])
    later = multistage_module("m", [ModuleStage("stage1", FirstInfo), ModuleStage("stage2", SecondInfo)])
    # a later stage's optional inputs are not made multistage inputs unless connected explicitly
    assert later.stage_inputs["stage2"] == {"data": StageSource("stage1", "corpus")}
    assert info.stage_inputs["stage2"] == {"data": StageSource("stage1", "corpus")}
    assert info.stage_inputs["stage1"] == {"raw_data": StageSource(None, "raw_data"), "dict": StageSource(None, "dict")}
    assert main_inputs(info) == {"raw_data": True, "dict": False}
    assert info.stage_names() == ["stage1", "stage2"]


def test_internal_connections_default_to_previous_stage_and_default_output() -> None:
    info = multistage_module(
        "m",
        [
            ModuleStage("stage1", FirstInfo),
            ModuleStage("stage2", SecondInfo, connections=[InternalModuleConnection("data", "corpus")]),
            ModuleStage("stage3", ThirdInfo, connections=[InternalModuleConnection("data", "corpus", "stage1")]),
        ],
    )
    assert info.stage_inputs["stage2"]["data"] == StageSource("stage1", "corpus")
    assert info.stage_inputs["stage3"]["data"] == StageSource("stage1", "corpus")
    implicit = multistage_module(
        "m", [ModuleStage("stage1", FirstInfo), ModuleStage("stage2", SecondInfo, [InternalModuleConnection("data")])]
    )
    assert implicit.stage_inputs["stage2"]["data"] == StageSource("stage1", "corpus")


def test_module_input_connection_keeps_the_stage_input_name_or_renames_it() -> None:
    same = multistage_module(
        "m",
        [
            ModuleStage("stage1", FirstInfo, [ModuleInputConnection("raw_data")]),
            ModuleStage("stage2", SecondInfo, [InternalModuleConnection("data", "corpus")]),
        ],
    )
    # optional inputs not named in connections stay unconnected
    assert main_inputs(same) == {"raw_data": True}
    renamed = multistage_module(
        "m",
        [
            ModuleStage("stage1", FirstInfo, [ModuleInputConnection("raw_data", "data")]),
            ModuleStage("stage2", SecondInfo, [InternalModuleConnection("data", "corpus")]),
        ],
    )
    assert main_inputs(renamed) == {"data": True}
    assert renamed.stage_inputs["stage1"]["raw_data"] == StageSource(None, "data")


def test_two_stages_can_take_inputs_of_the_same_name_from_different_main_inputs() -> None:
    info = multistage_module(
        "m",
        [
            ModuleStage("stage1", FirstInfo, [ModuleInputConnection("raw_data", "first_data")]),
            ModuleStage(
                "stage2",
                SecondInfo,
                [InternalModuleConnection("data"), ModuleInputConnection("raw_data", "second_data")],
            ),
            ModuleStage("stage3", ThirdInfo, [InternalModuleConnection("data", "corpus", "stage1")]),
        ],
    )
    assert main_inputs(info) == {"first_data": True, "second_data": False}
    assert info.main_input_targets["first_data"] == [("stage1", "raw_data")]
    assert info.main_input_targets["second_data"] == [("stage2", "raw_data")]


def test_the_same_main_input_name_twice_gives_one_input_feeding_both_stages() -> None:
    info = multistage_module(
        "m",
        [
            ModuleStage(
                "stage1",
                FirstInfo,
                [ModuleInputConnection("raw_data", "first_data"), ModuleInputConnection("dict", "vocab")],
            ),
            ModuleStage(
                "stage2",
                SecondInfo,
                [
                    InternalModuleConnection("data"),
                    ModuleInputConnection("raw_data", "second_data"),
                    ModuleInputConnection("vocabulary", "vocab"),
                ],
            ),
            ModuleStage("stage3", ThirdInfo, [InternalModuleConnection("data", "corpus", "stage1")]),
        ],
    )
    assert main_inputs(info) == {"first_data": True, "vocab": False, "second_data": False}
    assert info.main_input_targets["vocab"] == [("stage1", "dict"), ("stage2", "vocabulary")]


def test_default_single_output_is_the_last_stages_default_output() -> None:
    info = multistage_module("m", [ModuleStage("stage1", FirstInfo), ModuleStage("stage2", ThirdInfo)])
    assert info.main_outputs == {"model": ("stage2", "model")}
    assert info.default_output() == "model"


def test_output_connections_replace_the_default_output_and_may_rename() -> None:
    from testmods.seed.outputs.info import ModuleInfo

    assert ModuleInfo.main_outputs == {"model": ("stage2", "model"), "stage3_model": ("stage3", "model")}
    assert ModuleInfo.default_output() == "model"


def test_stage_options_are_prefixed_with_the_stage_name() -> None:
    info = multistage_module("m", [ModuleStage("stage1", FirstInfo), ModuleStage("stage2", SecondInfo)])
    assert list(info.module_options) == ["stage1_threshold", "stage2_cutoff", "stage2_seed"]
    assert info.stage_options["stage2"] == {"cutoff": "stage2_cutoff", "seed": "stage2_seed"}


def test_option_connections_map_one_main_option_onto_several_stage_options_defined_by_the_first() -> None:
    from testmods.seed.options.info import ModuleInfo

    assert list(ModuleInfo.module_options) == ["threshold", "stage2_seed", "stage3_seed"]
    assert ModuleInfo.module_options["threshold"]["help"] == "A threshold"  # the first stage's definition
    assert ModuleInfo.stage_options["stage1"] == {"threshold": "threshold"}
    assert ModuleInfo.stage_options["stage2"]["cutoff"] == "threshold"


def test_use_stage_option_names_per_stage_and_for_all_and_explicit_mappings_win() -> None:
    per_stage = multistage_module(
        "m",
        [ModuleStage("stage1", FirstInfo), ModuleStage("stage2", SecondInfo, use_stage_option_names=True)],
    )
    assert list(per_stage.module_options) == ["stage1_threshold", "cutoff", "seed"]
    for_all = multistage_module(
        "m",
        [
            ModuleStage("stage1", FirstInfo),
            ModuleStage("stage2", SecondInfo, option_connections={"seed": "stage2_random_seed"}),
            ModuleStage("stage3", ThirdInfo, [InternalModuleConnection("data", "corpus", "stage1")]),
        ],
        use_stage_option_names=True,
    )
    assert list(for_all.module_options) == ["threshold", "cutoff", "stage2_random_seed", "seed"]
    assert for_all.stage_options["stage3"] == {"seed": "seed"}


def test_overlapping_stage_option_names_tie_together() -> None:
    info = multistage_module(
        "m",
        [
            ModuleStage("stage1", FirstInfo),
            ModuleStage("stage2", SecondInfo),
            ModuleStage("stage3", ThirdInfo, [InternalModuleConnection("data", "corpus", "stage1")]),
        ],
        use_stage_option_names=True,
    )
    assert info.stage_options["stage2"]["seed"] == info.stage_options["stage3"]["seed"] == "seed"
    assert list(info.module_options).count("seed") == 1


def test_the_multistage_module_reports_its_callers_package() -> None:
    from testmods.seed.internal.info import ModuleInfo

    assert ModuleInfo.type_label() == "testmods.seed.internal"
    assert ModuleInfo.is_multistage


class _Corpus(FirstInfo):
    module_outputs = [("corpus", TextCorpus())]


class _WantsJson(ThirdInfo):
    module_inputs = [("data", JSONData())]


class _Outside(FirstInfo):
    module_executable = False


_MULTISTAGE = multistage_module("inner", [ModuleStage("only", FirstInfo)])


@pytest.mark.parametrize(
    ("stages", "fragment"),
    [
        ([], "needs at least one stage"),
        ([ModuleStage("a:b", FirstInfo)], "may not contain"),
        ([ModuleStage("s", FirstInfo), ModuleStage("s", ThirdInfo)], "two stages have this name"),
        (
            [ModuleStage("fit", FirstInfo), ModuleStage("Fit", ThirdInfo)],
            "stage Fit: two stages have this name (as 'fit' but for case: on some file systems they would share"
            " a folder)",
        ),
        ([ModuleStage("ALL", FirstInfo)], "'ALL' cannot be used as a stage name: NAME:all runs every stage"),
        ([ModuleStage("Run-a", FirstInfo)], "'Run-a' cannot be used as a stage name: its folder would look like"),
        (
            [ModuleStage("s1", FirstInfo), ModuleStage("s2", ThirdInfo, [InternalModuleConnection("dta")])],
            "has no input 'dta' (did you mean 'data'?)",
        ),
        (
            [ModuleStage("s1", FirstInfo), ModuleStage("s2", ThirdInfo, [InternalModuleConnection("data", "corpse")])],
            "stage 's1' has no output 'corpse' (did you mean 'corpus'?)",
        ),
        (
            [
                ModuleStage("s1", FirstInfo),
                ModuleStage("s2", ThirdInfo, [InternalModuleConnection("data", None, "s3")]),
            ],
            "stage 's3' is not an earlier stage",
        ),
        (
            [
                ModuleStage("s1", FirstInfo),
                ModuleStage("s2", ThirdInfo, [InternalModuleConnection("data", None, "s3")]),
                ModuleStage("s3", FirstInfo),
            ],
            "stage 's3' comes after this one: a stage takes input only from earlier stages; earlier stages: 's1'",
        ),
        (
            [
                ModuleStage("s1", FirstInfo),
                ModuleStage("s2", ThirdInfo, [InternalModuleConnection("data", None, "s2")]),
            ],
            "a stage cannot take input from itself; earlier stages: 's1'",
        ),
        ([ModuleStage("s1", ThirdInfo, [InternalModuleConnection("data")])], "the first stage cannot take input"),
        (
            [ModuleStage("s1", _Corpus), ModuleStage("s2", _WantsJson)],
            "input 'data' (JSONData) cannot take output 'corpus' of stage 's1' (TextCorpus)",
        ),
        (
            [ModuleStage("s1", FirstInfo, [ModuleOutputConnection("corpus")])],
            "output connections go in output_connections=",
        ),
        (
            [ModuleStage("s1", FirstInfo, output_connections=[ModuleOutputConnection("model")])],
            "unknown output 'model'",
        ),
        (
            [
                ModuleStage("s1", FirstInfo, output_connections=[ModuleOutputConnection("corpus", "out")]),
                ModuleStage("s2", ThirdInfo, output_connections=[ModuleOutputConnection("model", "out")]),
            ],
            "two output connections are both called 'out'",
        ),
        (
            [ModuleStage("s1", FirstInfo, option_connections={"treshold": "t"})],
            "unknown option 'treshold' (did you mean 'threshold'?)",
        ),
        (
            [
                ModuleStage("s1", FirstInfo),
                ModuleStage("s2", ThirdInfo, [InternalModuleConnection("data"), ModuleInputConnection("data", "ext")]),
            ],
            "stage s2: input 'data' is connected twice",
        ),
        (
            [ModuleStage("s1", ThirdInfo, [ModuleInputConnection("data", "x1"), ModuleInputConnection("data", "x2")])],
            "stage s1: input 'data' is connected twice",
        ),
        (
            [ModuleStage("s1", "testmods.seed.first")],  # type: ignore[arg-type]
            "info must be a module type's ModuleInfo class (from its info.py), got 'testmods.seed.first'",
        ),
        (
            [ModuleStage("s1", FirstInfo), ModuleStage("s2", _MULTISTAGE)],
            "stage s2: inner is a multistage module: use its stages as stages of this one instead",
        ),
        (
            [ModuleStage("s1", _Outside)],
            "runs nothing (its data is made outside the pipeline), so it cannot be a stage",
        ),
        (
            [ModuleStage("s1", FirstInfo, option_connections=["threshold"])],  # type: ignore[arg-type]
            "option_connections must map the stage's option names to the multistage module's",
        ),
        (
            [ModuleStage("s1", SinkInfo), ModuleStage("s2", ThirdInfo)],
            "stage s2: stage 's1' has no outputs to feed input 'data'",
        ),
        # Arguments of the wrong kind: each named, with what it takes.
        ([ModuleStage(5, FirstInfo)], "multistage module m: a stage's name is a string, not 5"),  # type: ignore[arg-type]
        (
            [ModuleStage("s1", ThirdInfo, InternalModuleConnection("data"))],  # type: ignore[arg-type]
            "connections is a list of InternalModuleConnection or ModuleInputConnection, not"
            " InternalModuleConnection(input='data', output=None, stage=None)",
        ),
        (
            [ModuleStage("s1", FirstInfo, output_connections=ModuleOutputConnection("corpus"))],  # type: ignore[arg-type]
            "stage s1: output_connections is a list of ModuleOutputConnection, not"
            " ModuleOutputConnection(stage_output='corpus', main_output=None)",
        ),
        (
            [ModuleStage("s1", FirstInfo, output_connections=[ModuleInputConnection("raw_data")])],  # type: ignore[list-item]
            "output_connections is a list of ModuleOutputConnection, got"
            " ModuleInputConnection(stage_input='raw_data', main_input=None) (input connections go in connections=)",
        ),
        (
            [ModuleStage("s1", FirstInfo), ModuleStage("s2", ThirdInfo, [InternalModuleConnection("data", 5)])],  # type: ignore[arg-type]
            "stage s2: InternalModuleConnection's output is a name (a string) or None, not 5",
        ),
        (
            [ModuleStage("s1", ThirdInfo, [ModuleInputConnection(["data"])])],  # type: ignore[arg-type]
            "ModuleInputConnection's stage_input is a name (a string), not ['data']",
        ),
        (
            [ModuleStage("s1", FirstInfo, option_connections={5: "t"})],  # type: ignore[dict-item]
            "option_connections maps the stage's option names (strings) to names, got 5",
        ),
        (
            [ModuleStage("s1", FirstInfo, option_connections={"threshold": 5})],  # type: ignore[dict-item]
            "option_connections names the stage's option 'threshold' 5, which could never be set, because the name of"
            " an option is a string",
        ),
        (
            [ModuleStage("s1", FirstInfo, option_connections={"threshold": "thr "})],
            "option_connections names the stage's option 'threshold' 'thr ', which could never be set, because a key"
            " in a config is not empty, has no space at either end",
        ),
        (
            [ModuleStage("s1", FirstInfo, use_stage_option_names="no")],  # type: ignore[arg-type]
            "stage s1: use_stage_option_names is True or False, not 'no'",
        ),
    ],
    ids=[
        "no-stages",
        "bad-stage-name",
        "duplicate-stage",
        "stages-equal-but-for-case",
        "stage-named-all-in-capitals",
        "stage-named-like-a-run",
        "unknown-input",
        "unknown-output",
        "unknown-stage",
        "later-stage",
        "own-stage",
        "first-stage-internal",
        "datatype-mismatch",
        "output-in-connections",
        "unknown-output-connection",
        "duplicate-output",
        "unknown-option",
        "input-connected-twice",
        "input-taken-from-outside-twice",
        "info-not-a-class",
        "multistage-stage",
        "non-executable-stage",
        "option-connections-not-a-mapping",
        "previous-stage-without-outputs",
        "stage-name-not-a-string",
        "connections-not-a-list",
        "output-connections-not-a-list",
        "input-in-output-connections",
        "connection-naming-by-a-number",
        "connection-naming-by-a-list",
        "option-connections-key-not-a-string",
        "option-connections-value-not-a-string",
        "option-connections-value-unsettable",
        "use-stage-option-names-not-a-bool",
    ],
)
def test_mistakes_in_a_definition_are_clear_errors(stages: list[ModuleStage], fragment: str) -> None:
    with pytest.raises(ModuleTypeError) as caught:
        multistage_module("m", stages)
    assert str(caught.value).startswith("multistage module m")
    assert fragment in str(caught.value)


def test_use_stage_option_names_of_the_call_is_a_bool() -> None:
    with pytest.raises(ModuleTypeError, match="multistage module m: use_stage_option_names is True or False, not 1"):
        multistage_module("m", [ModuleStage("s1", FirstInfo)], use_stage_option_names=1)  # type: ignore[arg-type]


def test_a_later_stages_other_required_inputs_become_multistage_inputs() -> None:
    from testmods.pair.info import ModuleInfo as PairInfo

    info = multistage_module("m", [ModuleStage("stage1", FirstInfo), ModuleStage("stage2", PairInfo)])
    assert info.stage_inputs["stage2"] == {"left": StageSource("stage1", "corpus"), "right": StageSource(None, "right")}
    assert main_inputs(info) == {"raw_data": True, "dict": False, "right": True}


@pytest.mark.parametrize(
    ("stage_name", "use_stage_option_names", "option"),
    [("one", True, "type"), ("input", False, "input_format")],
    ids=["stage-option-type", "stage-named-input"],
)
def test_a_multistage_option_named_like_a_config_key_is_a_clear_error(
    stage_name: str, use_stage_option_names: bool, option: str
) -> None:
    class Stage(FirstInfo):
        module_options = {option.removeprefix("input_"): {"default": "x"}}

    info = multistage_module("m", [ModuleStage(stage_name, Stage)], use_stage_option_names=use_stage_option_names)
    with pytest.raises(ModuleTypeError, match=f"option '{option}' could never be set"):
        info.option_specs()


def test_a_stage_named_input_cannot_take_undeclared_options() -> None:
    from testmods.dynamic.info import ModuleInfo as DynamicInfo

    with pytest.raises(ModuleTypeError, match="stage input: its undeclared options would be named input_<name>"):
        multistage_module("m", [ModuleStage("input", DynamicInfo)])


def test_only_one_stage_may_take_unprefixed_dynamic_options() -> None:
    from testmods.dynamic.info import ModuleInfo as DynamicInfo

    with pytest.raises(ModuleTypeError, match="stage 'a' already takes the undeclared options without a prefix"):
        multistage_module(
            "m",
            [ModuleStage("a", DynamicInfo), ModuleStage("b", DynamicInfo, [InternalModuleConnection("data")])],
            use_stage_option_names=True,
        )
    info = multistage_module("m", [ModuleStage("a", DynamicInfo), ModuleStage("b", DynamicInfo)])
    assert info.dynamic_option_stages == {"a_": "a", "b_": "b"}
    assert info.route_dynamic_option("b_depth") == ("b", "depth")
    assert info.route_dynamic_option("c_depth") is None


class _ClashingFirst(FirstInfo):
    module_options = {"b_c": {"help": "Text", "default": "x"}}


class _ClashingSecond(SecondInfo):
    module_options = {"c": {"help": "A number", "type": int, "default": 2}}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (ModuleStage("a", _ClashingFirst), ModuleStage("a_b", _ClashingSecond)),
        (ModuleStage("a_b", _ClashingSecond), ModuleStage("a", _ClashingFirst)),
    ],
    ids=["prefixes", "prefixes-other-order"],
)
def test_two_stage_options_that_the_prefix_gives_one_name_are_an_error_not_a_tie(
    first: ModuleStage, second: ModuleStage
) -> None:
    # Stage a's b_c and stage a_b's c both read a_b_c: tied quietly, one of them got the other's value and type.
    with pytest.raises(ModuleTypeError, match=r"would both be the option 'a_b_c' of the multistage module; give one"):
        multistage_module("m", [first, second])


def test_a_stage_may_choose_the_name_that_the_prefix_gave_another_stages_option_to_share_it() -> None:
    info = multistage_module(
        "m",
        [
            ModuleStage("stage1", FirstInfo),
            ModuleStage(
                "stage2",
                SecondInfo,
                [InternalModuleConnection("data")],
                option_connections={"cutoff": "stage1_threshold"},
            ),
        ],
    )
    assert list(info.module_options) == ["stage1_threshold", "stage2_seed"]
    assert info.stage_options["stage2"]["cutoff"] == info.stage_options["stage1"]["threshold"] == "stage1_threshold"


def test_undeclared_options_whose_prefix_begins_another_stages_option_names_are_an_error() -> None:
    from testmods.dynamic.info import ModuleInfo as DynamicInfo

    with pytest.raises(ModuleTypeError, match=r"stage a: .* and stage a_b's a_b_<name>: an option a_b_<name> would"):
        multistage_module("m", [ModuleStage("a", DynamicInfo), ModuleStage("a_b", DynamicInfo)])
    with pytest.raises(ModuleTypeError, match=r"stage a: .* stage a_b's option 'c' is the option 'a_b_c' of the"):
        multistage_module("m", [ModuleStage("a", DynamicInfo), ModuleStage("a_b", _ClashingSecond)])
    # Names the stages chose are theirs: a declared option wins over an undeclared one, as before.
    chosen = multistage_module(
        "m", [ModuleStage("a", DynamicInfo), ModuleStage("x", _ClashingSecond, option_connections={"c": "a_c"})]
    )
    assert chosen.stage_options["x"] == {"c": "a_c"}
