from types import SimpleNamespace

import pytest

from entraide.protocols.domain.library import builtin_sources
from entraide.protocols.domain.spec import parse_spec


@pytest.fixture(scope="session")
def builtin_versions() -> dict[str, SimpleNamespace]:
    """The built-in specs as the kit reads a protocol version (its spec and number), no database."""
    versions = {}
    for source in builtin_sources():
        spec = parse_spec(source.text, source.filename, strict=True)
        versions[spec.key] = SimpleNamespace(spec=spec, number=1)
    return versions
