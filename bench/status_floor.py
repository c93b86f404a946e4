"""The least a ``status`` of a generated pipeline can do, written straight: the floor that ``status`` is held to.

    python bench/status_floor.py pipeline.conf [--with-click]

What any status must do, and nothing more: start Python, import the module types the config names (their
``info.py`` declares inputs, outputs and options with pimlico_lite's module API), read the config, hash what each
module was configured with, where its inputs come from and what it outputs, read every module's record in one
query, and print one line per module with its state. It knows only what ``bench/generate.py`` writes (one
``[pipeline]`` section, then ``type`` and ``input`` keys), checks nothing, explains nothing and has no command line
to parse.

With ``--with-click`` it first imports click, the command-line library pimlico_lite is built on (a dependency the
project requires, and 0.03-0.05 s of every start on this machine): that is the floor of any ``status`` built on it.
``python -m bench.instructions`` counts both floors' instructions beside pimlico_lite's ``status``, and the benchmark
suite times them beside it.
"""

from __future__ import annotations

import importlib
import sqlite3
import sys
from _sha1 import sha1  # CPython's own, as pimlico_lite uses: hashlib loads OpenSSL first


def main(config: str) -> None:
    """Print every module of ``config`` with its state."""
    sections: dict[str, dict[str, str]] = {}
    values: dict[str, str] = {}
    with open(config, encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if line.startswith("["):
                values = sections.setdefault(line[1:-1], {})
            elif line and not line.startswith("#"):
                key, _, value = line.partition("=")
                values[key.strip()] = value.strip()
    settings = sections.pop("pipeline")
    sys.path.insert(0, settings["python_path"])
    infos = {t: importlib.import_module(f"{t}.info").ModuleInfo for t in {v["type"] for v in sections.values()}}
    database = sqlite3.connect(f"{settings['store']}/{settings['name']}/state.sqlite")
    query = "SELECT name, state, fingerprint FROM module"
    records = {name: (state, fingerprint) for name, state, fingerprint in database.execute(query)}
    states: dict[str, str] = {}
    outputs: dict[str, str] = {}  # module -> the name of its first output
    previous = ""
    out = []
    for name, values in sections.items():
        info = infos[values["type"]]
        declared = [input_name for input_name, _ in info.module_inputs]
        connected = {key.removeprefix("input_"): text for key, text in values.items() if key.startswith("input_")}
        if "input" in values or (declared and not connected):
            connected[declared[0]] = values.get("input", previous)
        inputs = {
            key: [f"{p.strip()}.{outputs[p.strip()]}" for p in text.split(",")] for key, text in connected.items()
        }
        producers = [connection.partition(".")[0] for connections in inputs.values() for connection in connections]
        options = (f"{key}={value!r}" for key, value in sorted(values.items()) if not key.startswith(("type", "input")))
        wiring = (f"{key}<{','.join(connections)}" for key, connections in sorted(inputs.items()))
        made = (f"{output}>{type(datatype).__name__}" for output, datatype in info.module_outputs)
        fingerprint = sha1("\x1f".join((values["type"], *options, *wiring, *made)).encode()).hexdigest()[:20]
        state, recorded = records.get(name, ("UNEXECUTED", None))
        waiting = any(states[producer] != "COMPLETE" for producer in producers)
        if state == "COMPLETE" and (recorded != fingerprint or waiting):
            state = "OUTDATED"
        states[name] = state
        outputs[name] = info.module_outputs[0][0] if info.module_outputs else ""
        out.append(f"{name:<10} {state:<10} {values['type']}")
        previous = name
    print("\n".join(out))


if __name__ == "__main__":
    if "--with-click" in sys.argv[2:]:
        import click  # noqa: F401  (what importing it costs is the point)
    main(sys.argv[1])
