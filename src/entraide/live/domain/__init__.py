"""Live sessions.

``rules`` is pure (votes, speaking queue, timer); ``commands`` is the one command path that
every door (websocket consumer, HTTP views, API, tests) calls; ``state`` builds what each role
sees.
"""
