"""Loading a pipeline: module instances, connections, options, multistage expansion, and every config error."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeConfig

from pimlico_lite.errors import ConfigError
from pimlico_lite.pipeline import Connection, Pipeline, load_pipeline

TESTMODS = Path(__file__).resolve().parent.parent / "testmods"

HEADER_LINES = 4  # the [pipeline] header that make_config writes before the body

MakePipeline = Callable[[str], Pipeline]


def test_modules_load_in_config_order_with_converted_options(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        """
        [opts]
        type = testmods.typed_options
        epochs = 10
        shuffle = yes
        mode = slow
        sizes = 1, 2, 3
        """
    )
    assert pipeline.name == "test"
    assert pipeline.instances["opts"].options == {
        "epochs": 10,
        "rate": 0.1,
        "shuffle": True,
        "mode": "slow",
        "sizes": [1, 2, 3],
    }


def test_unspecified_required_input_takes_the_previous_sections_default_output(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        """
        [a]
        type = testmods.source

        [b]
        type = testmods.step
        """
    )
    assert pipeline.instances["b"].inputs == {"data": [Connection("data", "a", "data")]}


def test_inputs_by_name_by_output_and_multiple(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        """
        [a]
        type = testmods.source

        [p]
        type = testmods.pair
        input_left = a
        input_right = a.data

        [g]
        type = testmods.gather
        input_parts = p.second, a, p
        """
    )
    assert pipeline.instances["p"].inputs == {
        "left": [Connection("left", "a", "data")],
        "right": [Connection("right", "a", "data")],
    }
    assert [str(c) for c in pipeline.instances["g"].inputs["parts"]] == ["p.second", "a.data", "p.first"]


def test_input_key_works_for_a_single_input(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        """
        [a]
        type = testmods.source
        [b]
        type = testmods.source
        [c]
        type = testmods.step
        input = a
        """
    )
    assert pipeline.instances["c"].inputs["data"] == [Connection("data", "a", "data")]


def test_multistage_module_expands_into_stage_instances(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        """
        [raw]
        type = testmods.source

        # Three stages
        [ms]
        type = testmods.seed.internal
        stage1_threshold = 5

        [after]
        type = testmods.step
        """
    )
    assert list(pipeline.instances) == ["raw", "ms:stage1", "ms:stage2", "ms:stage3", "after"]
    assert pipeline.module_names() == ["raw", "ms", "after"]
    stage1, stage2, stage3 = (pipeline.instances[f"ms:stage{n}"] for n in (1, 2, 3))
    assert stage1.inputs == {"raw_data": [Connection("raw_data", "raw", "data")]}
    assert stage1.options == {"threshold": 5}
    assert stage2.inputs == {"data": [Connection("data", "ms:stage1", "corpus")]}
    assert stage3.inputs == {"data": [Connection("data", "ms:stage1", "corpus")]}
    assert (stage2.group, stage2.stage, stage2.description) == ("ms", "stage2", "Three stages")
    # A downstream module that names the multistage module reads the producing stage.
    assert pipeline.instances["after"].inputs == {"data": [Connection("data", "ms:stage3", "model")]}
    assert pipeline.groups["ms"].stages == ["ms:stage1", "ms:stage2", "ms:stage3"]


def test_multistage_outputs_options_and_shared_inputs_reach_the_stages(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        """
        [a]
        type = testmods.source
        [b]
        type = testmods.source

        [ms]
        type = testmods.seed.options
        input_first_data = a
        input_second_data = b
        threshold = 7

        [use_model]
        type = testmods.step
        input = ms.model

        [use_stage3]
        type = testmods.step
        input = ms:stage3.model
        """
    )
    assert pipeline.instances["ms:stage1"].options == {"threshold": 7}
    assert pipeline.instances["ms:stage2"].options == {"cutoff": 7, "seed": 0}
    assert pipeline.instances["ms:stage2"].inputs["raw_data"] == [Connection("raw_data", "b", "data")]
    assert pipeline.instances["use_model"].inputs["data"] == [Connection("data", "ms:stage3", "model")]
    assert pipeline.instances["use_stage3"].inputs["data"] == [Connection("data", "ms:stage3", "model")]
    outputs = make_pipeline(
        """
        [a]
        type = testmods.source
        [ms]
        type = testmods.seed.outputs
        input_first_data = a
        [x]
        type = testmods.step
        input = ms
        [y]
        type = testmods.step
        input = ms.stage3_model
        """
    )
    assert outputs.instances["x"].inputs["data"] == [Connection("data", "ms:stage2", "model")]
    assert outputs.instances["y"].inputs["data"] == [Connection("data", "ms:stage3", "model")]


def test_a_fingerprint_changes_with_options_and_connections(make_pipeline: MakePipeline) -> None:
    body = "[a]\ntype = testmods.source\nvalue = {}\n[b]\ntype = testmods.step\n"
    one, same, other = (make_pipeline(body.format(v)) for v in ("1", "1", "2"))
    assert one.instances["a"].fingerprint == same.instances["a"].fingerprint
    assert one.instances["a"].fingerprint != other.instances["a"].fingerprint
    assert one.instances["b"].fingerprint == other.instances["b"].fingerprint  # upstream runs decide the rest


def test_a_type_that_names_a_python_file_is_an_error_and_the_file_is_not_run(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    # A user's script beside the config, named by mistake: importing it (as the parent of 'train.info') ran it.
    (tmp_path / "train.py").write_text("print('training'); open(__file__ + '.ran', 'w').write('overwritten')\n")
    config = tmp_path / "p.conf"
    for type_path, hint in [("train", ""), ("tokenize", " (did you mean 'pimlico_lite.modules.text.tokenize'?)")]:
        config.write_text(f"[pipeline]\nname = p\npython_path = .\n[m]\ntype = {type_path}\n")
        with pytest.raises(ConfigError) as raised:
            load_pipeline(config)
        where = f"{type_path} is a Python file ("  # (the stdlib's tokenize.py, here)
        assert f"p.conf:5 [m] type: '{type_path}' is not a module type{hint}: {where}" in str(raised.value)
        assert str(raised.value).endswith("not a package with an info.py (it was not imported)")
    assert not (tmp_path / "train.py.ran").exists()
    assert "training" not in capfd.readouterr().out


@pytest.mark.parametrize(
    ("body", "line", "fragment"),
    [
        ("[a]\nsize = 3\n", 1, "missing 'type'"),
        ("[a]\ntype = testmods.sorce\n", 2, "unknown module type 'testmods.sorce'"),
        ("[a]\ntype = pimlico_lite.modules.text.tokenise\n", 2, "did you mean 'pimlico_lite.modules.text.tokenize'"),
        ("[a]\ntype = tokenise\n", 2, "unknown module type 'tokenise': no package with an info.py of that name"),
        ("[a]\ntype = text.tokenize\n", 2, "'text.tokenize' (did you mean 'pimlico_lite.modules.text.tokenize'?)"),
        (
            "[a]\ntype = testmods.broken_info\n",
            2,
            f"failed to import: RuntimeError: broken on purpose (at {TESTMODS}/broken_info/info.py, line 4)",
        ),
        (  # the line of the module type's own code, not the library's that raised
            "[a]\ntype = testmods.library_error\n",
            2,
            "failed to import: JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2"
            f" (char 1) (at {TESTMODS}/library_error/info.py, line 5)",
        ),
        (
            "[a]\ntype = testmods.misspelt_stage\n",
            2,
            "ModuleStage.__new__() got an unexpected keyword argument 'output_connection' (did you mean"
            f" 'output_connections'?) (at {TESTMODS}/misspelt_stage/info.py, line 7)",
        ),
        ("[a:b]\ntype = testmods.source\n", 1, "module name 'a:b' may not contain"),
        ("[a b]\ntype = testmods.source\n", 1, "may not contain"),
        ("[a]\ntype = testmods.source\nsise = 3\n", 3, "unknown option (did you mean 'size'?)"),
        ("[a]\ntype = testmods.source\nsize = ten\n", 3, "[a] size: expected an integer, got 'ten'"),
        ("[a]\ntype = testmods.typed_options\n", 1, "missing required option 'epochs' (integer)"),
        (
            "[a]\ntype = testmods.typed_options\nepochs =\n",
            3,
            "[a] epochs: required option 'epochs' (integer) is empty",
        ),
        ("[a]\ntype = testmods.typed_options\nepochs=1\nmode = fats\n", 4, "did you mean 'fast'"),
        ("[a]\ntype = testmods.step\n", 1, "required input 'data' is not connected and there is no module above"),
        ("[a]\ntype = testmods.source\n[b]\ntype = testmods.pair\n", 3, "required input 'right' is not connected"),
        (
            "[Data]\ntype = testmods.source\n[data]\ntype = testmods.source\n",
            3,
            "'data' and 'Data' differ only in case",
        ),
        (f"[{'x' * 101}]\ntype = testmods.source\n", 1, "is too long (at most 100 bytes"),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = a\ninput_data = a\n",
            5,
            "give the input once: 'input' and 'input_data' both connect it",
        ),
        ("[a]\ntype = testmods.bad_options\n", 2, "option 'size' declares unknown key 'defualt'"),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = c\n[c]\ntype = testmods.source\n",
            5,
            "module 'c' is defined later",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = aa\n",
            5,
            "unknown module 'aa' (did you mean 'a'?)",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = a.dat\n",
            5,
            "module 'a' has no output 'dat' (did you mean 'data'?)",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput_dta = a\n",
            5,
            "unknown input 'dta' (did you mean 'data'?)",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.pair\ninput = a\n",
            5,
            "'input=' needs a module type with exactly one input",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = a, a\n",
            5,
            "input 'data' takes one connection, got 2",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.corpus_reader\n",
            3,
            "input 'corpus' of 'b' expects TextCorpus, but output 'data' of 'a' is Datatype",
        ),
        ("[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = b\n", 5, "cannot take input from itself"),
        (
            "[a]\ntype = testmods.source\n[ms]\ntype = testmods.seed.internal\n"
            "[c]\ntype = testmods.step\ninput = ms:stage9\n",
            7,
            "unknown module 'ms:stage9'",
        ),
        (
            "[a]\ntype = testmods.source\n[ms]\ntype = testmods.seed.internal\nstage1_treshold = 1\n",
            5,
            "did you mean 'stage1_threshold'",
        ),
        (
            "[a]\ntype = testmods.source\n[c]\ntype = testmods.step\ninput = ms:stage1\n"
            "[ms]\ntype = testmods.seed.internal\ninput_raw_data = a\n",
            5,
            "module 'ms' is defined later (",
        ),
        (  # a stage it does not have: the module is what is defined later
            "[a]\ntype = testmods.source\n[c]\ntype = testmods.step\ninput = ms:stage9\n"
            "[ms]\ntype = testmods.seed.internal\ninput_raw_data = a\n",
            5,
            "module 'ms' is defined later (",
        ),
        (
            "[a]\ntype = testmods.source\n[ms]\ntype = testmods.seed.internal\ninput_raw_data = ms:stage1\n",
            5,
            "module 'ms:stage1' cannot take input from itself",
        ),
        (
            "[a]\ntype = testmods.source\n[s]\ntype = testmods.sink\n[b]\ntype = testmods.step\n",
            5,
            "required input 'data' is not connected and 's' has no outputs: add input_data=MODULE",
        ),
        (
            "[a]\ntype = testmods.source\n[ms]\ntype = testmods.seed.internal\nstage1_threshold = high\n",
            5,
            "[ms] stage1_threshold: expected an integer, got 'high'",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninput = a:stage1\n",
            5,
            "module 'a' is not a multistage module, so it has no stage 'stage1'",
        ),
        (
            "[a]\ntype = testmods.source\n[ms]\ntype = testmods.seed.options\ninput_first_data = a\n"
            "input_second_data = a\nseed = 2\n",
            7,
            "[ms] seed: unknown option (did you mean 'stage2_seed' or 'stage3_seed'?)",
        ),
        ("[a\\b]\ntype = testmods.source\n", 1, "may not contain : . / \\ [ ] , whitespace and control characters"),
        ("[a\x00b]\ntype = testmods.source\n", 1, "module name 'a\\x00b' may not contain"),
        ("[a]\ntype =\n", 2, "an empty type is not the dotted path of a module type package"),
        ("[a]\ntype = ..x\n", 2, "'..x' is not the dotted path of a module type package"),
        ("[a]\ntype = testmods.source\n[b]\ntype = testmods.source\ninput = a\n", 5, "testmods.source takes no inputs"),
        (
            "[m]\ntype = pimlico_lite.modules.ml.model_train\ntrain_primitive = sklearn.svm.SVC\ntran_C = 10\n",
            4,
            "[m] tran_C: unknown option (did you mean 'train_C'?)",
        ),
        *(
            (
                "[a]\ntype = testmods.source\n[ms]\ntype = testmods.seed.options\ninput_first_data = a\n"
                f"input_second_data = a\n{key} = 2\n",
                7,
                f"[ms] {key}: unknown option {hint}; options of testmods.seed.options: 'threshold', 'stage2_seed',",
            )
            for key, hint in [
                ("stage2_cutoff", "(did you mean 'threshold'? It sets stage stage2's option 'cutoff'.)"),
                ("stage2_cutof", "(did you mean 'threshold'? It sets stage stage2's option 'cutoff'.)"),
                ("stage3_sed", "(did you mean 'stage3_seed'?)"),
                ("stage3_C", "(stage stage3 has no option 'C')"),
                ("stage3_learning_rate", "(stage stage3 has no option 'learning_rate')"),
            ]
        ),
        (
            "[a]\ntype = testmods.source\n[m]\ntype = testmods.seed.prefixed\ninput_raw_data = a\nmodel_evl_seed = 1\n",
            6,
            "[m] model_evl_seed: unknown option (did you mean 'model_eval_seed'?)",
        ),
        (
            "[m]\ntype = pimlico_lite.modules.ml.model_tune\ntune_primitive = sklearn.svm.SVC\ntrain_primitve = x\n",
            4,
            "[m] train_primitve: unknown option (did you mean 'tune_primitive'?)",
        ),
        (
            "[m]\ntype = pimlico_lite.modules.ml.model_train\ntrain_primitive = sklearn.svm.SVC\nevaluate_C = 1\n",
            4,
            "[m] evaluate_C: unknown option (stage evaluate has no option 'C')",
        ),
        (
            "[a]\ntpye = testmods.source\n",
            1,
            "[a]: missing 'type': the dotted path of a module type package ('tpye' at ",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninputs = a\n",
            5,
            "unknown option (did you mean 'input'?)",
        ),
        (
            "[a]\ntype = testmods.source\n[b]\ntype = testmods.step\ninptu_data = a\n",
            5,
            "[b] inptu_data: unknown option (did you mean 'input_data'?)",
        ),
    ],
    ids=[
        "missing-type",
        "unknown-type",
        "unknown-bundled-type",
        "unknown-type-without-a-dot",
        "bundled-type-without-its-package",
        "broken-type",
        "type-failing-in-a-library",
        "misspelt-stage-argument",
        "colon-in-name",
        "space-in-name",
        "unknown-option",
        "bad-integer",
        "missing-required-option",
        "empty-required-option",
        "bad-choice",
        "no-previous-module",
        "second-input-unconnected",
        "names-equal-but-for-case",
        "name-too-long",
        "input-given-twice",
        "bad-option-declaration",
        "later-module",
        "unknown-module",
        "unknown-output",
        "unknown-input",
        "input-with-two-inputs",
        "two-connections-to-single-input",
        "datatype-mismatch",
        "input-from-itself",
        "unknown-stage",
        "unknown-stage-option",
        "later-stage",
        "later-module-of-an-unknown-stage",
        "input-from-own-stage",
        "default-input-from-a-module-without-outputs",
        "bad-stage-option-value",
        "stage-of-a-plain-module",
        "stage-option-without-its-prefix",
        "backslash-in-name",
        "control-character-in-name",
        "empty-type",
        "relative-type",
        "input-to-a-module-without-inputs",
        "stage-prefix-misspelt",
        "stage-option-set-by-another",
        "stage-option-set-by-another-misspelt",
        "stage-option-misspelt",
        "stage-option-near-another",
        "stage-option-unknown",
        "option-of-a-stage-whose-name-starts-with-another",
        "option-of-another-stage-misspelt",
        "option-a-stage-does-not-have",
        "type-misspelt",
        "input-misspelt",
        "named-input-misspelt",
    ],
)
def test_config_errors_name_file_line_and_what_is_wrong(
    make_config: MakeConfig, body: str, line: int, fragment: str
) -> None:
    path = make_config(body)
    with pytest.raises(ConfigError) as caught:
        load_pipeline(path)
    assert f"{path}:{HEADER_LINES + line} " in str(caught.value)
    assert fragment in str(caught.value)
    assert caught.value.exit_code == 2


def test_all_problems_of_a_file_are_reported_together(make_config: MakeConfig) -> None:
    path = make_config("[a]\ntype = testmods.source\nsize = x\nsise = 2\n[b]\ntype = nowhere.at_all\n")
    with pytest.raises(ConfigError) as caught:
        load_pipeline(path)
    assert len(caught.value.problems) == 3


@pytest.mark.parametrize(
    ("pipeline_section", "fragment"),
    [
        ("[pipeline]\nrelease = 1\n", "missing required setting 'name'"),
        ("[pipeline]\nname = a/b\n", "pipeline name 'a/b' may not contain"),
        ("[pipeline]\nname = x\nstroe = s\n", "unknown setting (did you mean 'store'?)"),
        ("[other]\nname = x\n", "no [pipeline] section"),
        ("[pipline]\nname = x\n", ": no [pipeline] section: it must give the pipeline a name ([pipline] at "),
    ],
    ids=["no-name", "bad-name", "unknown-setting", "no-pipeline-section", "pipeline-section-misspelt"],
)
def test_pipeline_section_errors(make_config: MakeConfig, pipeline_section: str, fragment: str) -> None:
    with pytest.raises(ConfigError, match=None) as caught:
        load_pipeline(make_config(pipeline_section, header=False))
    assert fragment in str(caught.value)


def test_store_defaults_beside_the_config_then_setting_then_environment(
    make_config: MakeConfig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = make_config("[pipeline]\nname = p\n", header=False)
    assert load_pipeline(plain).store_path == tmp_path / "store" / "p"
    configured = make_config("[pipeline]\nname = p\nstore = elsewhere\n", "c.conf", header=False)
    assert load_pipeline(configured).store_path == tmp_path / "elsewhere" / "p"
    monkeypatch.setenv("PIMLICO_LITE_STORE", str(tmp_path / "from_env"))
    assert load_pipeline(configured).store_path == tmp_path / "from_env" / "p"


@pytest.mark.parametrize(
    ("broken", "problem"),
    [
        ("[broken]\ntype = testmods.sorce\n", "unknown module type 'testmods.sorce'"),
        ("[bad..name]\ntype = testmods.source\n", "bad..name"),
        ("[A]\ntype = testmods.source\n", "'A' and 'a' differ only in case"),
    ],
    ids=["type", "name", "case"],
)
def test_a_module_with_a_problem_is_reported_once_not_again_by_the_next_module(
    make_config: MakeConfig, broken: str, problem: str
) -> None:
    # [b]'s default input is the broken section: no datatype mismatch with [a], nor "has no outputs", on top
    path = make_config("[a]\ntype = testmods.source\n" + broken + "[b]\ntype = testmods.corpus_reader\n")
    with pytest.raises(ConfigError) as caught:
        load_pipeline(path)
    assert len(caught.value.problems) == 1
    assert problem in str(caught.value)


def test_a_home_folder_that_cannot_be_found_is_a_config_error(make_config: MakeConfig) -> None:
    store = make_config("[pipeline]\nname = p\nstore = ~no_such_user_here/s\n", header=False)
    with pytest.raises(ConfigError) as caught:
        load_pipeline(store)
    assert str(caught.value) == (
        f"{store}:3 [pipeline] store: cannot expand '~no_such_user_here' in '~no_such_user_here/s':"
        " no such user, or no home folder known for it"
    )
    data = make_config("[words]\ntype = pimlico_lite.datatypes.TextCorpus\ndir = ~no_such_user_here/words\n")
    with pytest.raises(ConfigError, match="cannot expand '~no_such_user_here' in '~no_such_user_here/words'"):
        load_pipeline(data)


def test_python_path_is_relative_to_the_config_and_loads_user_module_types(tmp_path: Path) -> None:
    package = tmp_path / "mine" / "user_types_for_test" / "hello"
    package.mkdir(parents=True)
    (package.parent / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "info.py").write_text(
        "from pimlico_lite import BaseModuleInfo\n"
        "from pimlico_lite.datatypes import Datatype\n"
        "class ModuleInfo(BaseModuleInfo):\n"
        "    module_outputs = [('greeting', Datatype())]\n"
    )
    config = tmp_path / "conf" / "p.conf"
    config.parent.mkdir()
    config.write_text("[pipeline]\nname = p\npython_path = ../mine\n[hi]\ntype = user_types_for_test.hello\n")
    pipeline = load_pipeline(config)
    assert pipeline.instances["hi"].info.default_output() == "greeting"


def test_a_module_type_with_dynamic_options_takes_undeclared_options_converted(make_pipeline: MakePipeline) -> None:
    pipeline = make_pipeline(
        """
        [a]
        type = testmods.source

        [b]
        type = testmods.dynamic
        label = x
        depth = 3
        """
    )
    assert pipeline.instances["b"].options == {"label": "x", "depth": 3}
    assert pipeline.instances["b"].info.dynamic_options(pipeline.instances["b"].options) == {"depth": 3}


def test_a_dynamic_option_that_does_not_convert_is_a_config_error(make_config: MakeConfig) -> None:
    config = make_config("[a]\ntype = testmods.source\n\n[b]\ntype = testmods.dynamic\ndepth = deep\n")
    with pytest.raises(ConfigError) as caught:
        load_pipeline(config)
    assert str(caught.value) == f"{config}:{HEADER_LINES + 6} [b] depth: expected an integer, got 'deep'"


def test_multistage_dynamic_options_go_to_the_stage_their_prefix_names(make_pipeline: MakePipeline) -> None:
    body = """
        [a]
        type = testmods.source

        [m]
        type = testmods.dynamic_stages
        label = shared
        second_label = own
        depth = 1
        second_depth = 2
        """
    pipeline = make_pipeline(body)
    assert pipeline.instances["m:first"].options == {"label": "shared", "depth": 1}
    assert pipeline.instances["m:second"].options == {"label": "own", "depth": 2}
    assert pipeline.groups["m"].options["second_depth"] == 2


def test_a_python_path_folder_whose_links_lead_round_in_a_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "types").symlink_to("types")
    config = tmp_path / "p.conf"
    config.write_text("[pipeline]\nname = p\npython_path = types\n[m]\ntype = testmods.source\n")
    with pytest.raises(ConfigError) as caught:
        load_pipeline(config)
    message = "[pipeline] python_path: cannot follow folder 'types': its symbolic links lead round in a loop"
    assert f"p.conf:3 {message}" in str(caught.value)


def test_a_python_path_folder_that_cannot_be_read_is_named_when_a_module_type_is_not_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (another user's folder: "unknown module type" alone sent the user looking for a misspelling)
    (tmp_path / "theirs" / "unreadable_types" / "t").mkdir(parents=True)  # (a name no other test imports)
    config = tmp_path / "p.conf"
    config.write_text("[pipeline]\nname = p\npython_path = theirs\n[m]\ntype = unreadable_types.t\n")
    access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path).name != "theirs" and access(path, mode))
    with pytest.raises(ConfigError) as caught:
        load_pipeline(config)
    said = "p.conf:3 [pipeline] python_path: folder 'theirs' cannot be read: no module type can be found in it"
    assert str(caught.value).startswith(f"{tmp_path}/{said}\n")


def test_a_python_path_folder_that_is_not_there_is_named_when_a_module_type_is_not_found(tmp_path: Path) -> None:
    (tmp_path / "my types").mkdir()
    config = tmp_path / "p.conf"
    config.write_text("[pipeline]\nname = p\npython_path = my typs\n[m]\ntype = mine.t\n")
    with pytest.raises(ConfigError) as caught:
        load_pipeline(config)
    said = "p.conf:3 [pipeline] python_path: folder 'my typs' does not exist (did you mean 'my types'?): no module"
    assert said in str(caught.value)
    assert "p.conf:5 [m] type: unknown module type 'mine.t'" in str(caught.value)
    config.write_text("[pipeline]\nname = p\npython_path = my typs\n[m]\ntype = testmods.source\n")
    assert list(load_pipeline(config).instances) == ["m"]  # (a folder that is not there yet is no mistake itself)


@pytest.mark.parametrize("refused", ["input = a", "input_lefft = a"])
def test_an_input_key_refused_is_the_one_problem_of_the_inputs(make_config: MakeConfig, refused: str) -> None:
    # Not also "required input 'right' is not connected", nor a guess that the section above feeds 'left'.
    path = make_config(f"[a]\ntype = testmods.source\n[b]\ntype = testmods.pair\n{refused}\n")
    with pytest.raises(ConfigError) as caught:
        load_pipeline(path)
    (problem,) = caught.value.problems
    assert problem.key == refused.split()[0]


def test_an_info_py_that_does_not_parse_is_reported_at_its_own_line_alone(tmp_path: Path) -> None:
    (tmp_path / "mine" / "broken").mkdir(parents=True)
    (tmp_path / "mine" / "__init__.py").write_text("")
    (tmp_path / "mine" / "broken" / "__init__.py").write_text("")
    (tmp_path / "mine" / "broken" / "info.py").write_text(
        "from pimlico_lite import BaseModuleInfo\n\nclass ModuleInfo(BaseModuleInfo)\n"
    )
    config = tmp_path / "p.conf"
    config.write_text("[pipeline]\nname = p\npython_path = .\n[m]\ntype = mine.broken\n")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    assert str(raised.value).endswith("failed to import: SyntaxError: expected ':' (info.py, line 3)")


def test_the_python_path_folder_that_is_not_there_comes_first_however_many_types_are_unknown(tmp_path: Path) -> None:
    (tmp_path / "my types").mkdir()
    sections = "".join(f"[m{index}]\ntype = mine.t\n" for index in range(60))
    config = tmp_path / "p.conf"
    config.write_text(f"[pipeline]\nname = p\npython_path = my typs\n{sections}")
    with pytest.raises(ConfigError) as raised:
        load_pipeline(config)
    first = str(raised.value).splitlines()[0]
    said = "folder 'my typs' does not exist (did you mean 'my types'?): no module type can be found in it"
    assert first.endswith(f"p.conf:3 [pipeline] python_path: {said}")
