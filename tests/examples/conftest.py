"""The examples run against the same kind of real server as the browser tests: its fixtures."""

from tests.browser.conftest import browser, pages_on_failure, screenshot, server_manage, server_url  # noqa: F401
