"""Reading page by page: every row of a keyset-paged list, and where the
feed's followers start and listen.

The list functions (``list_features``, ``list_tasks``, ...) page by
``(created_at, id)``: pass the last row's as ``after``/``after_id`` for the
next page. Followers of the feed read ``get_activity_after`` and are woken on
``FEED_CHANNEL``; ``FEED_START`` asks for the feed from its first row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

# one empty NOTIFY per transaction that writes feed rows (claude.notify_feed) while a
# follower is registered: claude.follow_feed() LISTENs on it and registers the session
FEED_CHANNEL = "buildtracker_feed"
# get_activity_after's "from the very first row" (a follower that started on an empty feed)
FEED_START = UUID(int=0)

PAGE = 1000


class Dated(Protocol):
    @property
    def created_at(self) -> datetime: ...


R = TypeVar("R", bound=Dated)


def every_row(
    fetch: Callable[[datetime | None, UUID | None, int], list[R]],
    key: Callable[[R], UUID],
    page: int = PAGE,
) -> Iterator[R]:
    """Every row of a keyset-paged list: ``fetch(after, after_id, max_rows)``
    one page at a time, until a page comes back short."""
    after: datetime | None = None
    after_id: UUID | None = None
    while True:
        rows = fetch(after, after_id, page)
        yield from rows
        if len(rows) < page:
            return
        after, after_id = rows[-1].created_at, key(rows[-1])
