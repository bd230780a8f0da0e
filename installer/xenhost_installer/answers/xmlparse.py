"""Parse an XML answer file safely, keeping each element's line for messages.

The document is parsed with expat directly; a DOCTYPE (and with it every entity declaration,
internal or external) is refused before anything is expanded, and external entities are never
resolved."""
import xml.etree.ElementTree as ET
from xml.parsers import expat

from ..errors import AnswerFileError


class _Refused(Exception):
    pass


def parse_safely(text, source):
    """Return (root element, {element: line}); AnswerFileError if not well-formed or not safe."""
    builder = ET.TreeBuilder()
    lines = {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def start(tag, attrs):
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    def refuse_doctype(*_):
        raise _Refused("line %d: a DOCTYPE declaration is not accepted in answer files (it can define entities); "
                       "fix: remove the <!DOCTYPE ...> line" % parser.CurrentLineNumber)

    def refuse_entity(*_):
        raise _Refused("line %d: entity declarations and external entities are not accepted; fix: remove them"
                       % parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_entity
    try:
        parser.Parse(text, True)
    except _Refused as exc:
        raise AnswerFileError("%s: %s" % (source, exc))
    except expat.ExpatError as exc:
        msg = "line %d column %d: %s" % (exc.lineno, exc.offset + 1, expat.ErrorString(exc.code))
        raise AnswerFileError('%s: is not well-formed XML (%s)' % (source, msg), 'correct the syntax there')
    return builder.close(), lines
