"""The room benchmark's baseline: a minimal raw ASGI app, no framework. A client's command is
answered with a "result" and a pre-rendered 5 KB fragment is pushed to every member of its
room with the new version, which is what a room needs at the least."""

import json

FRAGMENT = ('<div id="live" data-version="%d">' + "<p>" + "x" * 5000 + "</p></div>")
rooms: dict[str, set] = {}
versions: dict[str, int] = {}


async def app(scope, receive, send):
    if scope["type"] != "websocket":
        return
    room = scope["path"]
    await receive()  # websocket.connect
    await send({"type": "websocket.accept"})
    members = rooms.setdefault(room, set())
    members.add(send)
    try:
        while True:
            message = await receive()
            if message["type"] != "websocket.receive":
                break
            command = json.loads(message.get("text") or "{}")
            versions[room] = versions.get(room, 0) + 1
            version = versions[room]
            await send({"type": "websocket.send", "text": json.dumps({"type": "result", "id": command.get("id"), "version": version})})
            frame = json.dumps({"type": "fragment", "version": version, "html": FRAGMENT % version})
            for member in list(members):
                try:
                    await member({"type": "websocket.send", "text": frame})
                except Exception:
                    members.discard(member)
    finally:
        members.discard(send)
