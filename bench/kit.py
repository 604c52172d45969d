"""Kit benchmark: time to build and render the printable kit of a 15-person session (one HTML
document, one WeasyPrint render), against a one-page PDF rendered by WeasyPrint in the same run
with the same fonts and page setup.

    .venv/bin/python bench/kit.py --quick      # < 1 min
    .venv/bin/python bench/kit.py --repeat 10 --protocol analyse-des-pratiques --participants 15

15 people is above the atelier d'entraide's 12, so the default protocol is the analyse des
pratiques (4 to 16 people), which prints the rules, 14 problem sheets, 15 role cards, 13 echo
sheets and the harvest sheet. The last line printed is one JSON object; ``ratio_vs_baseline``
is the kit's median time over the one-page PDF's median time.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import percentile, print_json_last  # noqa: E402

ONE_PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 15mm; }
html { font-family: "DejaVu Sans", sans-serif; font-size: 10.5pt; }
</style></head><body><h1>Règles du jeu</h1><p>Qu'est-ce qui est important pour vous pour que ça se passe bien ?</p></body></html>"""



def count_pages(pdf: bytes) -> int:
    """Pages as poppler reads them (WeasyPrint compresses its object streams)."""
    done = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True, timeout=60)
    return int(re.search(rb"^Pages:\s+(\d+)", done.stdout, re.MULTILINE).group(1))


def timed(function, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--protocol", default="analyse-des-pratiques")
    parser.add_argument("--participants", type=int, default=15)
    parser.add_argument("--lang", default="fr")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.repeat = 3

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ENTRAIDE_VAR_DIR"] = tmp
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
        import django

        django.setup()
        from weasyprint import HTML

        from entraide.core.exports import render_pdf
        from entraide.kit.domain.kit import build_kit, render_kit_html
        from entraide.protocols.domain.library import builtin_sources
        from entraide.protocols.domain.spec import parse_spec

        specs = {spec.key: spec for spec in (parse_spec(s.text, s.filename) for s in builtin_sources())}
        version = SimpleNamespace(spec=specs[args.protocol], number=1)

        def baseline() -> bytes:
            return HTML(string=ONE_PAGE).write_pdf()

        def kit() -> bytes:
            return render_pdf(render_kit_html(build_kit(version, args.participants, args.lang)))

        def html_only() -> str:
            return render_kit_html(build_kit(version, args.participants, args.lang))

        baseline(), kit()  # warm up: fonts, templates, catalogs
        base_times, base_pdf = timed(baseline, args.repeat)
        html_times, _html = timed(html_only, args.repeat)
        kit_times, kit_pdf = timed(kit, args.repeat)

    pages = count_pages(kit_pdf)
    base_p50, kit_p50 = percentile(base_times, 0.5), percentile(kit_times, 0.5)
    print_json_last(
        {
            "bench": "kit",
            "protocol": args.protocol,
            "participants": args.participants,
            "language": args.lang,
            "repeat": args.repeat,
            "baseline_one_page_pdf": {"p50_ms": round(base_p50, 1), "max_ms": round(max(base_times), 1), "pages": count_pages(base_pdf)},
            "kit_pdf": {
                "p50_ms": round(kit_p50, 1),
                "max_ms": round(max(kit_times), 1),
                "pages": pages,
                "bytes": len(kit_pdf),
                "ms_per_page": round(kit_p50 / pages, 1),
                "html_p50_ms": round(percentile(html_times, 0.5), 1),
            },
            "ratio_vs_baseline": round(kit_p50 / base_p50, 2),
        }
    )


if __name__ == "__main__":
    main()
