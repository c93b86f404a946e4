"""The config language: includes, copies, vars, descriptions, and where errors are reported."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from pimlico_lite.config import read_config
from pimlico_lite.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"))
    return path


def values(sections: list, name: str) -> dict[str, str]:
    section = next(s for s in sections if s.name == name)
    return {key: raw.value for key, raw in section.values.items()}


def test_sections_keep_file_order_values_and_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.conf",
        """
        [pipeline]
        name = demo

        [first]
        type = a.b
        size = 3
        """,
    )
    sections = read_config(path)
    assert [s.name for s in sections] == ["pipeline", "first"]
    assert values(sections, "first") == {"type": "a.b", "size": "3"}
    assert sections[1].location.line == 4
    assert sections[1].values["size"].location.line == 6


def test_comments_just_above_a_section_become_its_description(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.conf",
        """
        # not this one: a blank line follows

        # Tokenize the text.
        # Two lines of description.
        [tokens]
        type = x
        """,
    )
    (section,) = read_config(path)
    assert section.description == "Tokenize the text.\nTwo lines of description."


def test_vars_substitute_everywhere_use_earlier_vars_and_keep_double_percent(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.conf",
        """
        [pipeline]
        name = %(project)s_run

        [vars]
        project = demo
        data = /data/%(project)s
        rate = 50%%

        [load]
        dir = %(data)s/raw
        note = %(rate)s of %%(project)s
        """,
    )
    sections = read_config(path)
    assert values(sections, "pipeline")["name"] == "demo_run"
    assert values(sections, "load") == {"dir": "/data/demo/raw", "note": "50% of %(project)s"}


def test_include_is_relative_and_nested_and_errors_point_into_the_included_file(tmp_path: Path) -> None:
    (tmp_path / "parts" / "deeper").mkdir(parents=True)
    write(tmp_path / "parts" / "deeper" / "c.conf", "[c]\ntype = z\n")
    write(tmp_path / "parts" / "b.conf", "[b]\ntype = y\n%% include deeper/c.conf\n")
    path = write(tmp_path / "main.conf", "[a]\ntype = x\n%% include parts/b.conf\n[d]\ntype = w\n")
    sections = read_config(path)
    assert [s.name for s in sections] == ["a", "b", "c", "d"]
    assert sections[2].location.file == str((tmp_path / "parts" / "deeper" / "c.conf").resolve())
    assert sections[2].location.line == 1


def test_an_include_may_name_a_file_with_spaces_and_a_directive_may_end_in_a_comment(tmp_path: Path) -> None:
    (tmp_path / "sub dir").mkdir()
    write(tmp_path / "sub dir" / "x.conf", "[x]\ntype = z\n")
    write(tmp_path / "sub dir" / "y.conf", "[y]\ntype = z\n")
    text = (
        "[a]\ntype = t\nsize = 3\n%% include sub dir/x.conf  # the x part\n"
        "%% include 'sub dir/y.conf' # quoted\n[b]\n%% copy a size   # the same as a's\n"
    )
    sections = read_config(write(tmp_path / "main.conf", text))
    assert [s.name for s in sections] == ["a", "x", "y", "b"]
    assert {key: raw.value for key, raw in sections[3].values.items()} == {"type": "t"}


def test_an_included_file_that_cannot_be_read_names_the_line_that_includes_it(tmp_path: Path) -> None:
    # A file that no user can read, root included: this process's memory, whose first page is not mapped.
    unreadable = Path("/proc/self/mem")
    if not unreadable.is_file():
        pytest.skip("needs Linux's /proc")
    path = write(tmp_path / "main.conf", f"[a]\nx = 1\n%% include {unreadable}\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert str(caught.value).startswith(f"{unreadable.resolve()}: cannot read the config file: ")  # (/proc/<pid>)
    assert str(caught.value).endswith(f" (included at {path}:3)")


def test_a_file_that_is_not_a_config_gives_a_bounded_error(tmp_path: Path) -> None:
    path = write(tmp_path / "data.csv", "a,b\n" + "1,2\n" * 2000 + "x" * 100_000 + "\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    lines = str(caught.value).splitlines()
    assert len(caught.value.problems) == 2002
    assert len(lines) == 51
    assert lines[0] == f"{path}:1: expected 'key = value', a [section] header or a # comment, got 'a,b'"
    assert lines[-1] == "... and 1952 more problems"
    assert max(len(line) for line in lines) < 300


def test_copy_takes_earlier_keys_except_excluded_and_own_keys_win(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.conf",
        """
        [base]
        type = m.t
        size = 3
        seed = 1
        label = base

        [other]
        %% copy base seed
        label = mine
        """,
    )
    assert values(read_config(path), "other") == {"type": "m.t", "size": "3", "label": "mine"}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("[a]\n%% frobnicate x\n", 2, "unknown directive '%% frobnicate'"),
        ("[a]\n%% inclde x.conf\n", 2, "did you mean 'include'"),
        ("[a]\n%% include\n", 2, "malformed directive"),
        ("[a]\n%% include missing.conf\n", 2, "included file 'missing.conf' does not exist"),
        ("[a]\nx = 1\n[b]\n%% copy c\n", 4, "cannot copy section 'c': it does not exist"),
        ("[b]\n%% copy a\n[a]\nx = 1\n", 2, "cannot copy section 'a': it is defined later"),
        ("%% copy a\n", 1, "'%% copy' must be inside a section"),
        ("[vars]\nroot = /x\n[a]\ndir = %(rot)s\n", 4, "unknown variable '%(rot)s' (did you mean 'root'?)"),
        ("[var]\nroot = /x\n[a]\ndir = %(root)s\n", 4, "define it in [vars] ([var] at "),
        ("[a]\nx = 1\nx = 2\n", 3, "[a] x: 'x' is already set at "),
        ("[a]\nx = 1\n[a]\ny = 2\n", 3, "section [a] is already defined at "),
        ("[a]\nx = '''one\ntwo\n", 2, "value that starts here is never closed"),
        ("[a]\nx = '''one'''two\n", 2, "unexpected text after the closing ''': 'two' (a comment starts with #)"),
        ('[a]\nx = """one\ntwo""" b\n', 3, '[a]: unexpected text after the closing """: \'b\''),
        ("[vars]\na = %(a)s\n", 2, "variable '%(a)s' cannot use itself"),
        ("[a\nx = 1\n", 1, "expected a section header such as [name], got '[a'"),
        ("[a]\n[[nested]]\nx = 1\n", 2, "nested sections"),
        ("[a]\nthis line has no equals sign\n", 2, "expected 'key = value', a [section] header or a # comment"),
    ],
    ids=[
        "unknown-directive",
        "directive-typo",
        "include-without-file",
        "include-missing-file",
        "copy-unknown",
        "copy-later",
        "copy-outside-section",
        "unknown-var",
        "vars-section-misspelt",
        "duplicate-key",
        "duplicate-section",
        "unclosed-triple-quote",
        "text-after-triple-quote",
        "text-after-multiline-triple-quote",
        "var-uses-itself",
        "broken-header",
        "nested-section",
        "syntax",
    ],
)
def test_errors_name_the_file_and_line(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    path = write(tmp_path / "p.conf", text)
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert f"{path}:{line}" in str(caught.value)
    assert fragment in str(caught.value)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path / "p.conf", "[a]\n%% bogus\nx = %(nope)s\n%% other\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert [problem.location.line for problem in caught.value.problems] == [2, 4, 3]


def test_include_cycle_is_an_error_that_names_the_files_as_messages_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path / "a.conf", "[a]\nx = 1\n%% include b.conf\n")
    write(tmp_path / "b.conf", "[b]\nx = 1\n%% include a.conf\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        read_config(tmp_path / "a.conf")
    assert str(caught.value) == "b.conf:3: include cycle: a.conf -> b.conf -> a.conf"


def test_missing_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such pipeline config file"):
        read_config(tmp_path / "nope.conf")


def test_a_file_that_is_not_utf8_is_a_config_error_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "p.conf"
    path.write_bytes(b"[a]\ny = 1\nx = caf\xe9\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert (
        str(caught.value) == f"{path}:3: the config file is not UTF-8 text: byte 0xe9 cannot be read (save it as UTF-8)"
    )


def test_a_config_or_include_that_is_a_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r": not a file$"):
        read_config(tmp_path)
    (tmp_path / "folder").mkdir()
    path = write(tmp_path / "p.conf", "%% include folder\n[a]\nx = 1\n")
    with pytest.raises(ConfigError, match=r"p.conf:1: included file 'folder' is not a file \("):
        read_config(path)


def test_an_include_may_start_with_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    write(tmp_path / "home" / "shared.conf", "[shared]\nx = 1\n")
    path = write(tmp_path / "p.conf", "%% include ~/shared.conf\n[a]\ny = 2\n")
    assert [section.name for section in read_config(path)] == ["shared", "a"]


def test_copy_after_an_include_belongs_to_the_included_files_last_section(tmp_path: Path) -> None:
    write(tmp_path / "part.conf", "[b]\ntype = y\n")
    path = write(tmp_path / "p.conf", "[a]\nsize = 1\nseed = 2\n%% include part.conf\n%% copy a seed\n")
    assert values(read_config(path), "b") == {"type": "y", "size": "1"}


def test_a_section_cannot_copy_itself(tmp_path: Path) -> None:
    path = write(tmp_path / "p.conf", "[a]\nx = 1\n%% copy a\n")
    with pytest.raises(ConfigError, match=r"p.conf:3 \[a\]: a section cannot copy itself"):
        read_config(path)


def test_locations_below_the_working_directory_are_shown_relative(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pipelines").mkdir()
    write(tmp_path / "pipelines" / "p.conf", "[a]\n%% bogus\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        read_config(Path("pipelines/p.conf").absolute())
    assert str(caught.value).startswith("pipelines/p.conf:2: unknown directive")


def test_values_may_be_quoted_triple_quoted_or_followed_by_a_comment(tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.conf",
        """
        [a]
        plain = some text   # a comment
        hash = a#b
        quoted = "  spaced # not a comment  "
        single = 'x'
        commented = "hello world"  # a comment after the quotes
        inner = "say "hi" twice"   # quotes inside the value, and 'in' the comment
        whole = "The "Best" # 1 hits"
        joined = "a"#b
        empty =
        long = \'\'\'first line
          second line
        last\'\'\'
        short = \"\"\"one line\"\"\"   # a comment may follow
        after = 1
        """,
    )
    assert values(read_config(path), "a") == {
        "plain": "some text",
        "hash": "a#b",
        "quoted": "  spaced # not a comment  ",
        "single": "x",
        "commented": "hello world",
        "inner": 'say "hi" twice',
        "whole": 'The "Best" # 1 hits',
        "joined": '"a"#b',
        "empty": "",
        "long": "first line\n  second line\nlast",
        "short": "one line",
        "after": "1",
    }


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "p.conf"
    path.write_bytes("\ufeff[a]\nx = 1\n".encode())
    assert values(read_config(path), "a") == {"x": "1"}


def test_a_key_left_out_of_a_copy_must_be_a_key_of_the_copied_section(tmp_path: Path) -> None:
    path = write(tmp_path / "p.conf", "[base]\nvalue = y\nsize = 3\n\n[other]\n%% copy base vlaue\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert str(caught.value) == (
        f"{path}:6 [other]: 'vlaue' is not a key of [base] (did you mean 'value'?): nothing to leave out"
    )


@pytest.mark.parametrize("separator", ["\x0c", "\u2028", "\x1c", "\x85"])
def test_only_newlines_end_lines_so_line_numbers_are_an_editors(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "p.conf"
    path.write_text(f"# a comment with {separator} inside\n[a]\nx = 1{separator}2\ny = ?\n", encoding="utf-8")
    (section,) = read_config(path)
    assert section.values["x"].value == f"1{separator}2"
    assert section.values["y"].location.line == 4


def test_windows_and_old_mac_line_ends_are_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "p.conf"
    path.write_bytes(b"[a]\r\nx = 1\r\n\r\n[b]\ry = 2\r")
    sections = read_config(path)
    assert [(s.name, s.location.line) for s in sections] == [("a", 1), ("b", 4)]
    assert values(sections, "b") == {"y": "2"}


def test_a_var_that_uses_a_var_defined_below_it_is_told_where_that_is(tmp_path: Path) -> None:
    path = write(tmp_path / "p.conf", "[vars]\nroot = %(base)s/data\nbase = /tmp\n\n[a]\nx = %(root)s\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert str(caught.value) == (
        f"{path}:2 [vars] root: variable '%(base)s' is defined later, at {path}:3: a var may use the vars above it"
    )


def test_an_empty_config_has_no_sections(tmp_path: Path) -> None:
    assert read_config(write(tmp_path / "p.conf", "# nothing yet\n")) == []


def test_an_include_whose_links_lead_round_in_a_loop_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "loop.conf").symlink_to("loop.conf")
    path = write(tmp_path / "p.conf", "[pipeline]\nname = p\n%% include loop.conf\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    message = "cannot follow included file 'loop.conf': its symbolic links lead round in a loop"
    assert str(caught.value).endswith(f"p.conf:3: {message}")


def test_a_module_section_named_like_vars_is_not_taken_for_it(tmp_path: Path) -> None:
    path = write(tmp_path / "p.conf", "[vals]\ntype = t\n[a]\ndir = %(root)s\n")
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert str(caught.value) == f"{path}:4 [a] dir: unknown variable '%(root)s'; define it in [vars]"


def test_two_copies_into_one_section_add_up_and_may_not_disagree(tmp_path: Path) -> None:
    text = "[a]\ntype = m.t\nsize = 3\n\n[b]\nseed = 1\nsize = {size}\n\n[c]\n%% copy a\n%% copy b{left_out}\n{own}"
    path = write(tmp_path / "p.conf", text.format(size=3, left_out="", own=""))
    assert values(read_config(path), "c") == {"type": "m.t", "size": "3", "seed": "1"}
    # A key both give with different values is the section's to set, or one copy's to leave out.
    for left_out, own in [(" size", ""), ("", "size = 5\n")]:
        path = write(tmp_path / "p.conf", text.format(size=4, left_out=left_out, own=own))
        assert values(read_config(path), "c")["size"] == ("3" if left_out else "5")
    path = write(tmp_path / "p.conf", text.format(size=4, left_out="", own=""))
    with pytest.raises(ConfigError) as caught:
        read_config(path)
    assert str(caught.value) == (
        f"{path}:11 [c]: '%% copy b' and '%% copy a' (line 10) give 'size' different values ('4', '3'): set it in"
        " [c], or leave it out of one copy ('%% copy b size')"
    )
