"""ASGI entry point: HTTP through Django, websockets through Channels.

The websocket origin is checked against ALLOWED_HOSTS (the check is opt-in in Channels,
so it must stay here).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from entraide.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

# Full garbage collections must not pause the live rooms for a fifth of a second.
from entraide.core import collector  # noqa: E402

collector.install()
