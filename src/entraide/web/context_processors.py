from django.http import HttpRequest

from entraide.core import access


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    return {
        "my_organisations": access.organisations_of(user) if user and user.is_authenticated else [],
    }
