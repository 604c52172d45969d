"""The "something changed" signal on the channel layer. At most once, may be dropped: clients
resync from the database by version, so a lost signal only delays an update."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def group_name(session_id: int) -> str:
    return f"live.{session_id}"


def signal_changed(session_id: int, version: int) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(session_id), {"type": "session.changed", "version": version})
    except Exception:  # the database holds the truth; a lost signal is repaired by resync
        logger.warning("could not signal session %s v%s on the channel layer", session_id, version, exc_info=True)
