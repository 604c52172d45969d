"""Check real websocket messages against docs/asyncapi.yaml."""

from functools import cache
from pathlib import Path

import jsonschema
import yaml

DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"


@cache
def document() -> dict:
    return yaml.safe_load(DOCUMENT.read_text())


def check(message: dict) -> None:
    """Validate one message against the payload schema of the message named by its type."""
    messages = document()["components"]["messages"]
    assert message.get("type") in messages, f"undocumented message type: {message!r}"
    reference = messages[message["type"]]["payload"]["$ref"]
    schema = {"$ref": reference, "components": document()["components"]}
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(message)
    if message["type"] == "command" and "args" in message:
        # A command's args follow the schema of its name (CommandArguments).
        arguments = document()["components"]["schemas"]["CommandArguments"]["properties"]
        if message.get("name") in arguments:
            jsonschema.Draft202012Validator(arguments[message["name"]]).validate(message["args"])
