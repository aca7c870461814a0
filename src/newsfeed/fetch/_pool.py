"""httpcore's connection pool with its bookkeeping made linear in the number of connections.

The pool re-plans every time a request arrives or a response is closed. httpcore 1.0 does
that in time quadratic in the open connections (for each idle one it lists them all again)
and asks every connection, busy or not, whether it has expired, which costs two system calls
apiece. A round over hundreds of feeds keeps dozens of connections open, and this planning
was a third of the fetcher's CPU. The result here is the same: a closed connection is
dropped; an idle one is closed when it has expired (only an idle HTTP/1.1 connection can) or
when more connections are open than may be kept alive; queued requests then get an open
connection to their origin, a new one, or one made by closing an idle one.
"""

from __future__ import annotations

import httpcore


class LinearPool(httpcore.AsyncConnectionPool):
    """``httpcore.AsyncConnectionPool``, planning in linear time (HTTP/1.1 only)."""

    def _assign_requests_to_connections(self) -> list[httpcore.AsyncConnectionInterface]:
        closing: list[httpcore.AsyncConnectionInterface] = []
        for connection in list(self._connections):
            if connection.is_closed():
                self._connections.remove(connection)
            elif connection.is_idle() and (
                connection.has_expired() or len(self._connections) > self._max_keepalive_connections
            ):
                self._connections.remove(connection)
                closing.append(connection)
        for pool_request in [r for r in self._requests if r.is_queued()]:
            origin = pool_request.request.url.origin
            available = next(
                (c for c in self._connections if c.can_handle_request(origin) and c.is_available()),
                None,
            )
            if available is not None:
                pool_request.assign_to_connection(available)
                continue
            if len(self._connections) >= self._max_connections:
                idle = next((c for c in self._connections if c.is_idle()), None)
                if idle is None:
                    continue  # the request waits for a connection to come free
                self._connections.remove(idle)
                closing.append(idle)
            connection = self.create_connection(origin)
            self._connections.append(connection)
            pool_request.assign_to_connection(connection)
        return closing
