"""toolstack/xe-reference.md is generated from the fields table and commands: never stale."""
import os

from xenhost_toolstack.reference import render

PAGE = os.path.join(os.path.dirname(__file__), "..", "..", "toolstack", "xe-reference.md")


def test_reference_page_is_current():
    with open(PAGE, encoding="utf-8") as f:
        assert f.read() == render(), ("toolstack/xe-reference.md is stale: regenerate it with "
                                      "`cd toolstack && PYTHONPATH=../common:. python3 -m xenhost_toolstack.reference "
                                      "> xe-reference.md`")
