"""The hand-kept YAML tables name each key once: PyYAML keeps the last of two equal keys silently,
so a duplicate (left by a merge) would change a mapping without anyone seeing it."""
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
TABLES = ["packages/debian-names.yaml", "specs/sources.yaml", "specs/profiles.yaml", "iso/images.yaml"]


class UniqueKeyLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep)


@pytest.mark.parametrize("table", TABLES)
def test_every_key_once(table):
    yaml.load((REPO / table).read_text(), Loader=UniqueKeyLoader)


def test_the_loader_finds_a_duplicate():
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'curl'"):
        yaml.load("curl: curl\nzstd: zstd\ncurl: wget\n", Loader=UniqueKeyLoader)
