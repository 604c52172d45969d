"""The `entraide` console command: the project's manage.py, as `django-admin` is Django's.

    entraide migrate
    entraide fit_agenda --protocol atelier-entraide --participants 7 --start 14:00 --end 16:30
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else ["entraide", *sys.argv[1:]])


if __name__ == "__main__":
    main()
