"""The baseline: a minimal raw ASGI broadcast app, no framework. A client's "command" is
answered with a "result" and broadcast to every client of its room as "changed" with a
sequence number, which is what Entraide does minus everything else."""

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
        while (await receive())["type"] == "websocket.receive":
            versions[room] = versions.get(room, 0) + 1
            version = versions[room]
            await send({"type": "websocket.send", "text": '{"type": "result", "version": %d}' % version})
            for member in list(members):
                try:
                    await member({"type": "websocket.send", "text": '{"type": "changed", "version": %d}' % version})
                except Exception:
                    members.discard(member)
    finally:
        members.discard(send)
