"""Python values in JSON arguments, and keyset paging edge cases of the client."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from buildtracker import Client, FeatureType


@pytest.fixture
def client(database_url: str) -> Iterator[Client]:
    """A client on one connection whose work is rolled back."""
    with psycopg.connect(database_url) as conn:
        yield Client(conn)
        conn.rollback()


def project(client: Client) -> Any:
    return client.add_project(f"values {uuid.uuid4().hex[:8]}").data.project_id


def test_uuid_values_in_changes_are_sent_as_json(client: Client) -> None:
    pid = project(client)
    parent = client.add_feature("Parent feature", FeatureType.FEATURE, pid).data
    child = client.add_feature("Child feature", FeatureType.FEATURE, pid).data
    moved = client.update_feature(child.feature_id, {"parent_feature_id": parent.feature_id})
    assert moved.data.parent_feature_id == parent.feature_id
    typed = client.update_feature(child.feature_id, {"feature_type": FeatureType.API})
    assert typed.data.feature_type is FeatureType.API


def test_paging_after_a_time_alone_is_strictly_after(client: Client) -> None:
    pid = project(client)
    made = [client.add_feature(f"Paged feature {n}", "feature", pid).data for n in range(3)]
    # one transaction: all three share created_at
    assert len({f.created_at for f in made}) == 1
    first = client.list_features(project_id=pid, max_rows=2)
    assert len(first) == 2
    rest = client.list_features(
        project_id=pid, after=first[-1].created_at, after_id=first[-1].feature_id, max_rows=2
    )
    assert {f.feature_id for f in first} | {f.feature_id for f in rest} == {
        f.feature_id for f in made
    }
    assert not {f.feature_id for f in first} & {f.feature_id for f in rest}
    assert client.list_features(project_id=pid, after=first[-1].created_at) == []


def test_out_of_range_numbers_are_validation_errors(client: Client) -> None:
    from buildtracker import ValidationError

    pid = project(client)
    with pytest.raises(ValidationError) as caught:
        client.add_feature("Huge priority", "feature", pid, priority=2**40)
    assert caught.value.sqlstate is not None and caught.value.sqlstate.startswith("22")


def test_activity_pages_keep_rows_that_share_a_time(client: Client) -> None:
    """Rows logged with one created_at are split across pages without loss."""
    from datetime import UTC, datetime

    name = f"same time {uuid.uuid4().hex[:8]}"
    # this month's start: the rows stay in their monthly partition (moving them
    # to another would be a delete and an insert, which the feed refuses)
    when = datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    conn = client.source
    assert isinstance(conn, psycopg.Connection)
    conn.execute(
        "SELECT claude.log_activity('system', NULL, 'updated', 'Same time ' || g, project_name => %s)"
        " FROM generate_series(1, 5) g",
        [name],
    )
    conn.execute("ALTER TABLE claude.activity_feed DISABLE TRIGGER bt05_append_only")
    conn.execute(
        "UPDATE claude.activity_feed SET created_at = %s WHERE project_name = %s", [when, name]
    )
    conn.execute("ALTER TABLE claude.activity_feed ENABLE TRIGGER bt05_append_only")
    seen: list[Any] = []
    page = client.get_activity(project_name=name, max_rows=2)
    while page:
        seen += [a.id for a in page]
        last = page[-1]
        page = client.get_activity(
            project_name=name, before=last.created_at, before_id=last.id, max_rows=2
        )
    assert len(seen) == len(set(seen)) == 5
