"""The answer schema (schema.json) and what is declared in it, read once: every key's default,
the hook stages, the sections the screens can ask. Validation, the plan, the screens, the summary
and the generated reference all read these here instead of restating them."""
import copy
import functools
import json
import os

SCHEMA_PATH = os.path.join(os.path.dirname(__file__), "schema.json")


@functools.lru_cache(maxsize=1)
def schema():
    with open(SCHEMA_PATH) as f:
        return json.load(f)


def default(path):
    """The schema's default of a key, by its dotted path ("storage.type", "network.mode")."""
    node = schema()
    for key in path.split("."):
        node = node["properties"][key]
    return copy.deepcopy(node["default"])


def hook_stages():
    """The hook stages, in the order the install reaches them (schema.json's hooks keys)."""
    return tuple(schema()["properties"]["hooks"]["properties"])


def interactive_sections():
    """Sections the screens can ask (schema.json's interactive-sections names)."""
    return tuple(schema()["properties"]["interactive-sections"]["items"]["enum"])


def given(answers, path):
    """The answers' value at a dotted path, or the schema's default where they do not say."""
    node = answers or {}
    for key in path.split("."):
        if not isinstance(node, dict) or node.get(key) is None:
            return default(path)
        node = node[key]
    return copy.deepcopy(node)
