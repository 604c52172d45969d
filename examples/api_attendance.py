#!/usr/bin/env python3
"""Read "my groups' attendance" from Entraide's API with a personal token (standard library only).

    ENTRAIDE_TOKEN=ent_… python examples/api_attendance.py https://entraide.example.org [--since 2026-01-01] [--until 2026-06-30]

Create the token in "Mon espace" › API (read scope is enough). For each group of the token's
organisation, prints one line per held or past session: date, number, present / excused /
absent / not recorded. A commissioner's figures below the minimum count print as "-".
Exit status 1 with the API's message on a refused request.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def get(base: str, path: str, token: str, **query) -> dict:
    """GET ``base + /api/v1 + path`` with the token; waits and retries once on 429 (Retry-After)."""
    url = f"{base.rstrip('/')}/api/v1{path}"
    params = {k: v for k, v in query.items() if v is not None}
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    for attempt in (1, 2):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as error:
            if error.code == 429 and attempt == 1:
                time.sleep(int(error.headers.get("Retry-After", "1")))
                continue
            detail = json.load(error).get("detail", "") if error.headers.get_content_type() == "application/json" else ""
            raise SystemExit(f"{error.code} {url}: {detail}") from None
    raise AssertionError("unreachable")


def pages(base: str, path: str, token: str, **query):
    """Every item of a paginated list (``limit``/``offset``, at most 200 a page)."""
    offset = 0
    while True:
        page = get(base, path, token, limit=200, offset=offset, **query)
        yield page, page["items"]
        offset += len(page["items"])
        if not page["items"] or offset >= page["count"]:
            return


def show(value) -> str:
    return "-" if value is None else str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="the site's address, e.g. https://entraide.example.org")
    parser.add_argument("--since", help="first date (YYYY-MM-DD)")
    parser.add_argument("--until", help="last date (YYYY-MM-DD)")
    args = parser.parse_args(argv)
    token = os.environ.get("ENTRAIDE_TOKEN", "")
    if not token:
        print("Set ENTRAIDE_TOKEN to a personal API token.", file=sys.stderr)
        return 2
    me = get(args.base_url, "/me", token)
    print(f"{me['organisation']['name']} — {me['display_name']} ({me['role']})")
    for _page, groups in pages(args.base_url, "/groups", token):
        for group in groups:
            print(f"\n{group['name']}")
            for page, rows in pages(args.base_url, f"/groups/{group['id']}/attendance", token, since=args.since, until=args.until):
                for row in rows:
                    print(
                        f"  {row['date']}  session {show(row['number'])}: present {show(row['present'])}, excused {show(row['excused'])}, "
                        f"absent {show(row['absent'])}, not recorded {show(row['unrecorded'])}"
                    )
                if page["offset"] == 0 and not rows:
                    print("  no session held yet")
    return 0


if __name__ == "__main__":
    sys.exit(main())
