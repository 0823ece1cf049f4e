"""The channel layer on Redis pub/sub (the production default; `CHANNEL_LAYER=core` selects
channels_redis's list-based layer instead).

Why not the list-based layer: it hands a process its messages one per Redis round trip (a
cleanup script, BZPOPMIN, a backup ZADD and a ZPOPMIN for every message received) and a group
send costs three more; under load the process's inbox in Redis grew and every relay waited (the
capacity benchmark, docs/performance.md). With pub/sub, Redis pushes every message to the
process's one subscriber connection and a send is one PUBLISH.

What this subclass adds to channels_redis's `RedisPubSubChannelLayer`:
- sends do not queue behind one lock, one round trip each (as upstream): what is published while
  a pipeline of PUBLISHes is on its way goes out in the next pipeline;
- a lost Redis is reported: every consumer's pending `receive` raises `ConnectionError`, so the
  room closes its sockets with 1013 and the pages reconnect (as with the list-based layer);
  upstream only logs it, and the consumers would silently miss what was sent meanwhile;
- the layer API is defined on the class (upstream resolves it in `__getattr__`).

What pub/sub does not do: keep a message for a consumer that is not subscribed at that moment
(the room sends nothing that must outlive a socket: a reconnecting page gets the current state
in `welcome`), nor bound a slow consumer's queue (`capacity`; a socket's own send buffer does).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close, decode_hosts

logger = logging.getLogger(__name__)


class LayerLost:
    """Put in every local channel's queue when the subscriber connection breaks."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Shard(RedisSingleShardConnection):  # type: ignore[misc]
    _outbox: list[tuple[str, bytes, asyncio.Future[None]]] | None = None
    _sender: asyncio.Task[None] | None = None

    async def publish(self, channel: str, message: bytes) -> None:
        """Sends go out pipelined: what is published while a pipeline is on its way goes in the
        next one (one write and one read for many relays, instead of one round trip, and one
        pool connection, each); each sender still waits for Redis to have taken its message."""
        self._ensure_redis()  # synchronous: no other task runs in between
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        if self._outbox is None:
            self._outbox = []
        self._outbox.append((channel, message, future))
        if self._sender is None or self._sender.done():
            self._sender = loop.create_task(self._send_outbox())
        await future

    async def _send_outbox(self) -> None:
        while self._outbox:
            batch, self._outbox = self._outbox, []
            error: Exception | None = None
            try:
                pipe = self._redis.pipeline(transaction=False)
                for channel, message, _ in batch:
                    pipe.publish(channel, message)
                await pipe.execute()
            except Exception as exc:  # redis ConnectionError, TimeoutError, …: every sender's
                error = exc
            for _, _, future in batch:
                if future.done():  # its sender stopped waiting
                    continue
                if error is None:
                    future.set_result(None)
                else:
                    future.set_exception(error)

    async def _do_receiving(self) -> None:
        while True:
            try:
                if self._pubsub and self._pubsub.subscribed:
                    message = await self._pubsub.get_message(
                        ignore_subscribe_messages=True, timeout=0.1
                    )
                    self._receive_message(message)
                else:
                    await asyncio.sleep(0.1)
            except (asyncio.CancelledError, GeneratorExit):
                raise
            except Exception as exc:  # redis ConnectionError, TimeoutError, …
                logger.warning("channel layer: subscriber connection lost: %r", exc)
                self.channel_layer.connection_lost(exc)
                await asyncio.sleep(1)  # redis-py reconnects and subscribes again on next read


class _LoopLayer(RedisPubSubLoopLayer):  # type: ignore[misc]
    def __init__(self, hosts: Any = None, **kwargs: Any) -> None:
        super().__init__(hosts, **kwargs)
        self._shards = [_Shard(host, self) for host in decode_hosts(hosts)]

    async def new_channel(self, prefix: str = "specific.") -> str:
        # Subscribing needs Redis (the list-based layer only makes up a name). Redis down at a
        # socket's start: the consumer's first receive reports it (the room closes with 1013)
        # instead of the consumer dying before it runs.
        channel = f"{self.prefix}{prefix}{uuid.uuid4().hex}"
        try:
            await self._subscribe_to_channel(channel)
        except Exception as exc:  # redis ConnectionError, TimeoutError, …
            logger.warning("channel layer: cannot subscribe: %r", exc)
            self.channels.setdefault(channel, asyncio.Queue()).put_nowait(LayerLost(exc))
        return channel

    def connection_lost(self, error: BaseException) -> None:
        # The upstream receive hands what it takes from the queue to `deserialize`, which
        # raises for this marker.
        for queue in self.channels.values():
            queue.put_nowait(LayerLost(error))


class RoomPubSubLayer(RedisPubSubChannelLayer):  # type: ignore[misc]
    def _get_layer(self) -> _LoopLayer:
        loop = asyncio.get_running_loop()
        layer = self._layers.get(loop)
        if layer is None:
            layer = _LoopLayer(*self._args, **self._kwargs, channel_layer=self)
            self._layers[loop] = layer
            _wrap_close(self, loop)
        return layer  # type: ignore[no-any-return]

    def deserialize(self, message: Any) -> Any:
        if isinstance(message, LayerLost):
            raise ConnectionError(f"the channel layer lost Redis: {message.error!r}")
        return super().deserialize(message)

    async def new_channel(self, prefix: str = "specific.") -> str:
        return await self._get_layer().new_channel(prefix)  # type: ignore[no-any-return]

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        await self._get_layer().send(channel, message)

    async def receive(self, channel: str) -> Any:
        return await self._get_layer().receive(channel)

    async def group_add(self, group: str, channel: str) -> None:
        await self._get_layer().group_add(group, channel)

    async def group_discard(self, group: str, channel: str) -> None:
        await self._get_layer().group_discard(group, channel)

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        await self._get_layer().group_send(group, message)

    async def flush(self) -> None:
        await self._get_layer().flush()
