"""The Redis channel layer configuration that every real deployment uses."""

from __future__ import annotations

from typing import Any

from channels_redis.core import RedisChannelLayer

from videocontact.conf.base import redis_channel_layer


def test_redis_reads_have_no_socket_timeout() -> None:
    """With any socket timeout, redis-py 8 aborts channels_redis's blocking 5 s receive (idle
    consumers die) and can swallow a closing consumer's cancellation on Python 3.11."""
    config: dict[str, Any] = dict(redis_channel_layer("redis://127.0.0.1:6379/0")["CONFIG"])  # type: ignore[call-overload]
    layer = RedisChannelLayer(**config)
    connection = layer.create_pool(0).make_connection()
    assert connection.socket_timeout is None
